import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { Chips, chipsShown } from "./caseColumns";

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

  it("shows only the whole chips that fit the room beside the +N, and always the first", () => {
    // "vpn" and "brute-force" do not both fit 108 px: "vpn +1" rather than "v… brute-f…".
    const { container } = render(<Chips items={["vpn", "brute-force"]} max={3} room={108} className="chip-tag" />);
    expect(texts(container)).toEqual(["vpn", "+1"]);
    expect(chipsShown(["secrets", "aws"], 3, 108)).toBe(2);
    expect(chipsShown(["credential-access", "windows"], 3, 108)).toBe(1);
    expect(chipsShown(["c2", "cobalt-strike", "build", "linux"], 3, 108)).toBe(1);
    expect(chipsShown(["a", "b", "c", "d"], 3, 108)).toBe(2);
  });
});
