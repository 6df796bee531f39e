import { afterEach, describe, expect, it, vi } from "vitest";
import { installUndoKeys, needsUndoKeys, undoCommand } from "./undoKeys";

const key = (init: KeyboardEventInit) => ({ ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, key: "", ...init });

describe("undo keys", () => {
  let remove: (() => void) | undefined;
  afterEach(() => {
    remove?.();
    document.body.innerHTML = "";
    vi.restoreAllMocks();
  });

  it("maps Ctrl+Z to undo and Ctrl+Shift+Z or Ctrl+Y to redo, nothing else", () => {
    expect(undoCommand(key({ ctrlKey: true, key: "z" }))).toBe("undo");
    expect(undoCommand(key({ ctrlKey: true, shiftKey: true, key: "Z" }))).toBe("redo");
    expect(undoCommand(key({ ctrlKey: true, key: "y" }))).toBe("redo");
    expect(undoCommand(key({ key: "z" }))).toBeNull();
    expect(undoCommand(key({ ctrlKey: true, altKey: true, key: "z" }))).toBeNull();
    expect(undoCommand(key({ ctrlKey: true, key: "b" }))).toBeNull();
  });

  it("is needed in WebKitGTK only", () => {
    expect(needsUndoKeys("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)")).toBe(true);
    expect(needsUndoKeys("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15")).toBe(false);
    expect(needsUndoKeys("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120.0")).toBe(false);
  });

  it("runs the webview's undo in a text field and leaves other keys and elements alone", () => {
    const exec = vi.fn(() => true);
    Object.defineProperty(document, "execCommand", { value: exec, configurable: true });
    remove = installUndoKeys(document);
    document.body.innerHTML = `<textarea id="t"></textarea><input id="ro" readonly><button id="b">x</button>`;
    const fire = (id: string, init: KeyboardEventInit) => {
      const e = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
      document.getElementById(id)!.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(fire("t", { ctrlKey: true, key: "z" })).toBe(true);
    expect(fire("t", { ctrlKey: true, shiftKey: true, key: "Z" })).toBe(true);
    expect(exec.mock.calls).toEqual([["undo"], ["redo"]]);
    expect(fire("ro", { ctrlKey: true, key: "z" })).toBe(false);
    expect(fire("b", { ctrlKey: true, key: "z" })).toBe(false);
    expect(fire("t", { key: "z" })).toBe(false);
    expect(exec).toHaveBeenCalledTimes(2);
  });
});
