// Single-key shortcuts of a page; quiet while a dialog is open, so they live beside Dialog.
import { useEffect, useRef } from "react";
import { isDialogOpen } from "./Dialog";

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

/**
 * Single-key shortcuts ("c", "/"): ignored while typing in a field, with a modifier held, or
 * while a dialog is open.
 */
export function useHotkeys(keys: Record<string, () => void>): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (isDialogOpen() || isEditable(e.target)) return;
      const action = ref.current[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
