// The formatting toolbar of every Markdown editor: what a click or a shortcut does to the text.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { MarkdownEditor } from "./MarkdownEditor";

function Editor({ initial, onChange }: { initial: string; onChange?: (v: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <MarkdownEditor
      label="Comment"
      value={value}
      max={100}
      onChange={(v) => {
        setValue(v);
        onChange?.(v);
      }}
    />
  );
}

function setup(initial: string, start: number, end = start) {
  const onChange = vi.fn();
  render(<Editor initial={initial} onChange={onChange} />);
  const area = screen.getByRole("textbox", { name: "Comment" }) as HTMLTextAreaElement;
  area.focus();
  area.setSelectionRange(start, end);
  return { area, onChange };
}

afterEach(cleanup);

describe("MarkdownEditor toolbar", () => {
  it("names each button, with its shortcut on hover", () => {
    setup("", 0);
    const bar = screen.getByRole("toolbar", { name: "Comment formatting" });
    const buttons = within(bar).getAllByRole("button");
    expect(buttons.map((b) => b.getAttribute("aria-label"))).toEqual(["Bold", "Italic", "Code", "Bulleted list", "Link", "Quote"]);
    expect(within(bar).getByRole("button", { name: "Bold" }).getAttribute("title")).toMatch(/^Bold \((Ctrl\+|⌘)B\)$/);
    // One tab stop; arrows move along.
    expect(buttons.map((b) => b.tabIndex)).toEqual([0, -1, -1, -1, -1, -1]);
    fireEvent.keyDown(buttons[0], { key: "ArrowRight" });
    expect(document.activeElement).toBe(buttons[1]);
    expect(buttons[1].tabIndex).toBe(0);
  });

  it("wraps the selected text in bold and keeps it selected for the next step", () => {
    const { area, onChange } = setup("urgent: reset the password", 0, 6);
    fireEvent.click(screen.getByRole("button", { name: "Bold" }));
    expect(area.value).toBe("**urgent**: reset the password");
    expect(onChange).toHaveBeenLastCalledWith("**urgent**: reset the password");
    expect(document.activeElement).toBe(area);
    expect([area.selectionStart, area.selectionEnd]).toEqual([2, 8]);
  });

  it("turns the lines of the selection into a bulleted list", () => {
    const { area } = setup("Revoke the grant\nReview sign-ins", 3, 20);
    fireEvent.click(screen.getByRole("button", { name: "Bulleted list" }));
    expect(area.value).toBe("- Revoke the grant\n- Review sign-ins");
  });

  it("quotes the line at the caret", () => {
    const { area } = setup("He said\nclick the link", 12);
    fireEvent.click(screen.getByRole("button", { name: "Quote" }));
    expect(area.value).toBe("He said\n> click the link");
  });

  it("Ctrl+B, Ctrl+I and Ctrl+K format as the buttons do", () => {
    const { area } = setup("see the report", 4, 14);
    fireEvent.keyDown(area, { key: "k", ctrlKey: true });
    expect(area.value).toBe("see [the report](https://)");
    // The caret waits where the address goes.
    expect(area.selectionStart).toBe("see [the report](https://".length);
    area.setSelectionRange(5, 8);
    fireEvent.keyDown(area, { key: "i", ctrlKey: true });
    expect(area.value).toBe("see [_the_ report](https://)");
    area.setSelectionRange(0, 3);
    fireEvent.keyDown(area, { key: "B", metaKey: true });
    expect(area.value).toBe("**see** [_the_ report](https://)");
  });

  it("hides the toolbar on the Preview tab", () => {
    setup("**x**", 0);
    fireEvent.click(screen.getByRole("tab", { name: "Preview" }));
    expect(screen.queryByRole("toolbar")).toBeNull();
  });
});
