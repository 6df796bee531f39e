import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Menu } from "./Menu";

const quote = vi.fn();
const edit = vi.fn();
const remove = vi.fn();

function renderMenu() {
  render(
    <>
      <Menu
        label="Comment actions"
        items={[
          { label: "Quote", onSelect: quote },
          { label: "Edit", onSelect: edit },
          { label: "Archive", onSelect: vi.fn(), disabled: true },
          { label: "Delete", onSelect: remove, danger: true },
        ]}
      />
      <button type="button">Elsewhere</button>
    </>,
  );
  return screen.getByRole("button", { name: "Comment actions" });
}
const focused = () => document.activeElement?.textContent;
const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k });

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("the ⋯ menu", () => {
  it("opens on the first item; arrows, Home, End and a letter move; Enter on an item picks it", () => {
    const button = renderMenu();
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByRole("menu")).toBeNull();

    fireEvent.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const menu = screen.getByRole("menu", { name: "Comment actions" });
    expect(button.getAttribute("aria-controls")).toBe(menu.id);
    expect(focused()).toBe("Quote");
    key("ArrowDown");
    expect(focused()).toBe("Edit");
    // The disabled item is passed over.
    key("ArrowDown");
    expect(focused()).toBe("Delete");
    key("ArrowDown");
    expect(focused()).toBe("Quote");
    key("ArrowUp");
    expect(focused()).toBe("Delete");
    key("Home");
    expect(focused()).toBe("Quote");
    key("End");
    expect(focused()).toBe("Delete");
    key("e");
    expect(focused()).toBe("Edit");

    // A native button: Enter and Space click it.
    fireEvent.click(document.activeElement!);
    expect(edit).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("↓ and ↑ on the button open it on the first or the last item", () => {
    const button = renderMenu();
    button.focus();
    key("ArrowUp");
    expect(focused()).toBe("Delete");
    key("Escape");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    key("ArrowDown");
    expect(focused()).toBe("Quote");
  });

  it("Esc closes it without picking and gives the focus back; Tab and a click elsewhere close it", () => {
    const button = renderMenu();
    fireEvent.click(button);
    key("Escape");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    expect([quote, edit, remove].every((f) => f.mock.calls.length === 0)).toBe(true);

    fireEvent.click(button);
    key("Tab");
    expect(screen.queryByRole("menu")).toBeNull();

    fireEvent.click(button);
    fireEvent.pointerDown(screen.getByRole("button", { name: "Elsewhere" }));
    expect(screen.queryByRole("menu")).toBeNull();
    expect(remove).not.toHaveBeenCalled();
  });

  it("keeps a typed letter from the page's single-key shortcuts", () => {
    const onPage = vi.fn((e: KeyboardEvent) => e.defaultPrevented);
    document.addEventListener("keydown", onPage);
    try {
      fireEvent.click(renderMenu());
      key("c");
      expect(onPage).toHaveReturnedWith(true);
    } finally {
      document.removeEventListener("keydown", onPage);
    }
  });
});
