import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import "./menu.css";

export type MenuItem = {
  label: string;
  onSelect: () => void;
  /** A destructive action, drawn in red. */
  danger?: boolean;
  disabled?: boolean;
};

type Props = {
  /** The button's accessible name ("Case actions"); it shows ⋯ unless `trigger` is given. */
  label: string;
  items: MenuItem[];
  /** Extra class on the trigger button. */
  className?: string;
  /** What the button shows instead of ⋯ (its accessible name is then this text). */
  trigger?: ReactNode;
  /** The button's hover text (default: `label`). */
  title?: string;
  /** A line of explanation above the items (not an item: arrows skip it). */
  note?: string;
};

/**
 * A ⋯ button that opens a list of actions (WAI-ARIA menu button). Enter, Space or ↓ open it on
 * the first item, ↑ on the last; ↑/↓/Home/End move, a letter jumps to the next item starting
 * with it, Enter picks, Esc closes. Focus goes back to the button when it closes, so a dialog an
 * item opens gives the focus back to the button too.
 */
export function Menu({ label, items, className, trigger: shown, title, note }: Props) {
  const [open, setOpen] = useState(false);
  // Which item gets the focus when the menu opens: the first or the last.
  const [start, setStart] = useState<"first" | "last">("first");
  const menuId = useId();
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const entries = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]:not([disabled])") ?? [])];

  useEffect(() => {
    if (!open) return;
    const all = entries();
    (start === "first" ? all[0] : all[all.length - 1])?.focus();
    // A click anywhere else closes the menu (focus stays where the click put it).
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !trigger.current?.contains(t)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open, start]);

  const show = (at: "first" | "last") => {
    setStart(at);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  const onTriggerKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      show(e.key === "ArrowDown" ? "first" : "last");
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = entries();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    if (e.key === "ArrowDown") next = all[(at + 1) % all.length];
    else if (e.key === "ArrowUp") next = all[(at - 1 + all.length) % all.length];
    else if (e.key === "Home") next = all[0];
    else if (e.key === "End") next = all[all.length - 1];
    else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    } else if (e.key === "Tab") {
      // Tab leaves the menu for the next control, as from the button.
      setOpen(false);
      return;
    } else if (e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const key = e.key.toLowerCase();
      const order = [...all.slice(at + 1), ...all.slice(0, at + 1)];
      next = order.find((b) => b.textContent?.trim().toLowerCase().startsWith(key));
      // Keep the letter away from the page's single-key shortcuts.
      e.preventDefault();
    }
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  const pick = (item: MenuItem) => {
    close();
    item.onSelect();
  };

  return (
    <span className="action-menu-anchor">
      <button
        ref={trigger}
        type="button"
        className={className ? `action-menu-button ${className}` : "action-menu-button"}
        aria-label={shown === undefined ? label : undefined}
        title={title ?? label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : show("first"))}
        onKeyDown={onTriggerKey}
      >
        {shown ?? <span aria-hidden="true">⋯</span>}
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" aria-label={label} className="action-menu" onKeyDown={onMenuKey}>
          {note && (
            <p role="none" className="action-menu-note">
              {note}
            </p>
          )}
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger ? "action-menu-item danger-text" : "action-menu-item"}
              disabled={item.disabled}
              onClick={() => pick(item)}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
