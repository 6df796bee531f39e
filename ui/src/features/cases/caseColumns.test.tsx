import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { Chips } from "./caseColumns";

afterEach(() => cleanup());

const texts = (c: HTMLElement) => Array.from(c.querySelectorAll(".chip")).map((e) => e.textContent);

describe("Chips (tags and assignees cells, clamped at three lines)", () => {
  it("shows every value when they fit in max chips", () => {
    const { container } = render(<Chips items={["a", "b", "c"]} max={3} className="chip-tag" />);
    expect(texts(container)).toEqual(["a", "b", "c"]);
  });

  it('keeps the "+N" within max so the count is never clipped away', () => {
    const { container } = render(<Chips items={["a", "b", "c", "d", "e"]} max={3} className="chip-tag" />);
    expect(texts(container)).toEqual(["a", "b", "+3"]);
    expect(container.querySelector(".chips")?.getAttribute("title")).toBe("a, b, c, d, e");
  });

  it("shows a dash when empty", () => {
    const { container } = render(<Chips items={[]} max={3} className="chip-user" />);
    expect(container.textContent).toBe("—");
  });
});
