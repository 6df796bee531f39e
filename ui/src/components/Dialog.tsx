import { useEffect, useId, useRef, type ReactNode } from "react";
import { createPortal } from "react-dom";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

let openCount = 0;

/** Whether a modal dialog is open (keyboard shortcuts stay quiet then). */
export function isDialogOpen(): boolean {
  return openCount > 0;
}

type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** Extra class on the dialog box (e.g. a width). */
  className?: string;
  /** Id of the element to focus first; default: the first focusable element. */
  initialFocusId?: string;
};

/**
 * A modal dialog: rendered over the page, the page behind made inert, focus kept inside and
 * given back on close. Esc closes it (after closing an open suggestion list); clicking the
 * backdrop does not (a draft could be lost).
 */
export function Dialog({ title, onClose, children, footer, className, initialFocusId }: Props) {
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = document.getElementById("root");
    openCount++;
    if (root) root.inert = true;
    const box = boxRef.current;
    const first =
      (initialFocusId ? document.getElementById(initialFocusId) : null) ??
      box?.querySelector<HTMLElement>(FOCUSABLE) ??
      box;
    first?.focus();

    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        // An open suggestion list closes first (WAI-ARIA combobox); the combobox handles it.
        const t = e.target;
        if (t instanceof HTMLElement && t.getAttribute("role") === "combobox" && t.getAttribute("aria-expanded") === "true") return;
        e.preventDefault();
        e.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (e.key === "Tab" && box) {
        const items = Array.from(box.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
        if (items.length === 0) return;
        const firstEl = items[0];
        const lastEl = items[items.length - 1];
        if (e.shiftKey && document.activeElement === firstEl) {
          e.preventDefault();
          lastEl.focus();
        } else if (!e.shiftKey && document.activeElement === lastEl) {
          e.preventDefault();
          firstEl.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      openCount--;
      if (root && openCount === 0) root.inert = false;
      previous?.focus?.();
    };
    // Runs once per opening: the dialog is mounted while open.
  }, []);

  return createPortal(
    <div className="dialog-backdrop">
      <div
        ref={boxRef}
        className={`dialog ${className ?? ""}`.trim()}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </div>,
    document.body,
  );
}
