import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

type Props = {
  /** The trigger button's content. */
  label: ReactNode;
  /** The trigger's accessible name when `label` alone is not enough (e.g. "⋯"). */
  ariaLabel?: string;
  title?: string;
  buttonClassName?: string;
  /** "menu": the panel holds menuitems; "dialog": checkboxes, radios, a search box. */
  kind?: "menu" | "dialog";
  align?: "start" | "end";
  /** "up": opens above the button (rows near the bottom of a scrolling table). */
  placement?: "down" | "up";
  panelClassName?: string;
  children: (close: () => void) => ReactNode;
};

/**
 * A button that opens a small panel below it. Esc or a click elsewhere closes it and focus
 * returns to the button; ↑/↓ move between the panel's controls so it works from the keyboard.
 */
export function Popover({ label, ariaLabel, title, buttonClassName, kind = "dialog", align = "start", placement = "down", panelClassName, children }: Props) {
  const [open, setOpen] = useState(false);
  // A panel that would stick out of the window on the right opens leftwards instead.
  const [flipped, setFlipped] = useState(false);
  const panelId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  useLayoutEffect(() => {
    if (!open || align !== "start" || !panelRef.current) return setFlipped(false);
    setFlipped(panelRef.current.getBoundingClientRect().right > document.documentElement.clientWidth);
  }, [open, align]);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    const onDown = (e: PointerEvent | MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      // Only the popover closes: not the search box, not a dialog behind.
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    // A date field steps its day, month or year with the arrows: leave them to it.
    const stepper = e.target instanceof HTMLInputElement && ["date", "time", "datetime-local", "number"].includes(e.target.type);
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !stepper) {
      const items = Array.from(panelRef.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []).filter(
        (el) => !(el instanceof HTMLSelectElement),
      );
      if (items.length === 0) return;
      e.preventDefault();
      const at = items.indexOf(document.activeElement as HTMLElement);
      const next = e.key === "ArrowDown" ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
      items[at === -1 ? 0 : next].focus();
    }
  };

  return (
    <div
      className="popover"
      ref={wrapRef}
      onBlur={(e) => {
        // Tabbing out of the panel closes it (focus moves on by itself).
        if (open && e.relatedTarget instanceof Node && !wrapRef.current?.contains(e.relatedTarget)) close(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={buttonClassName ?? "button"}
        aria-haspopup={kind === "menu" ? "menu" : "dialog"}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={ariaLabel}
        title={title}
        onClick={() => (open ? close() : setOpen(true))}
      >
        {label}
      </button>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          className={`popover-panel popover-${flipped ? "end" : align} popover-${placement} ${panelClassName ?? ""}`.trim()}
          role={kind === "menu" ? "menu" : "dialog"}
          aria-label={ariaLabel ?? (typeof label === "string" ? label : undefined)}
          onKeyDown={onKeyDown}
        >
          {children(() => close())}
        </div>
      )}
    </div>
  );
}
