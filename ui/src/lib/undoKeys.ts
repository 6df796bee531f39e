// Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in text fields on Linux. WebKitGTK keeps an undo history for
// each field but binds no key to it (GTK 3 text widgets have no undo; browsers built on it add
// their own accelerators), so without this Ctrl+Z does nothing in Casebook on Linux. Elsewhere
// the webview's own binding works, and doing it here as well would undo twice.

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement) return !target.readOnly && !target.disabled;
  if (target instanceof HTMLInputElement) {
    const textual = ["text", "search", "email", "url", "tel", "password", "number", ""];
    return textual.includes(target.type) && !target.readOnly && !target.disabled;
  }
  return target.isContentEditable;
}

/** "undo", "redo" or null for a key press. */
export function undoCommand(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">) {
  if (!e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === "z") return e.shiftKey ? "redo" : "undo";
  if (key === "y" && !e.shiftKey) return "redo";
  return null;
}

/** True where the webview binds no undo key: WebKitGTK, i.e. Linux. */
export function needsUndoKeys(userAgent = navigator.userAgent): boolean {
  return /Linux/.test(userAgent) && !/Android/.test(userAgent);
}

/** Installs the key handler on `doc`; returns the function that removes it. */
export function installUndoKeys(doc: Document = document): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const command = undoCommand(e);
    if (!command || !isTextField(e.target)) return;
    e.preventDefault();
    doc.execCommand(command);
  };
  doc.addEventListener("keydown", onKey);
  return () => doc.removeEventListener("keydown", onKey);
}
