import { useId, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import "./inputs.css";

type Props = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Every suggestion; the list shows those containing what is typed (case-insensitive). */
  options: string[];
  /** A suggestion chosen (click or Enter on the highlighted one). Default: onChange(option). */
  onPick?: (option: string) => void;
  /** How a suggestion reads in the list (e.g. "Ana Lytic (ana)"); default the option itself. */
  optionLabel?: (option: string) => string;
  /** Keys the list does not use (Enter with nothing highlighted, Backspace, comma…). */
  onKeyDown?: (e: KeyboardEvent<HTMLInputElement>) => void;
  onPaste?: (e: ClipboardEvent<HTMLInputElement>) => void;
  onBlur?: () => void;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
  disabled?: boolean;
  /** Name for screen readers when no <label for=id> exists. */
  ariaLabel?: string;
  className?: string;
};

const MAX_SHOWN = 50;

/**
 * A text box with a suggestion list (WAI-ARIA combobox with listbox popup): typing filters,
 * ↓/↑ move, Enter picks the highlighted suggestion (or the only one left), Esc/Tab close the
 * list. Not a datalist, whose support and styling differ between the webviews Tauri uses.
 */
export function Combobox(props: Props) {
  const { id, value, onChange, options, onPick, optionLabel, onKeyDown, onPaste, onBlur } = props;
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const needle = value.trim().toLowerCase();
  const shown = options
    .filter((o) => needle === "" || (optionLabel ? optionLabel(o) : o).toLowerCase().includes(needle))
    .slice(0, MAX_SHOWN);
  const expanded = open && shown.length > 0 && !props.disabled;
  // Typing down to a single suggestion highlights it, so Enter takes it (Esc first to keep the
  // typed text instead).
  const current = active >= 0 && active < shown.length ? active : needle !== "" && shown.length === 1 ? 0 : -1;

  const pick = (o: string) => {
    if (onPick) onPick(o);
    else onChange(o);
    setActive(-1);
    setOpen(false);
  };

  const keyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(e.key === "ArrowDown" ? 0 : shown.length - 1);
        return;
      }
      const n = shown.length;
      if (n > 0) setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : (a - 1 + n) % n));
      return;
    }
    // Ctrl/⌘+Enter is the form's (submit), never a pick.
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && expanded && current >= 0) {
      e.preventDefault();
      pick(shown[current]);
      return;
    }
    // The open list takes Esc; the dialog around it sees this combobox expanded and waits (see
    // Dialog), so a second Esc closes the dialog.
    if (e.key === "Escape" && expanded) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
      return;
    }
    if (e.key === "Tab") setOpen(false);
    onKeyDown?.(e);
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <div className={`combobox ${props.className ?? ""}`.trim()}>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && current >= 0 ? optionId(current) : undefined}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        aria-required={props.required || undefined}
        aria-label={props.ariaLabel}
        value={value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete="off"
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onKeyDown={keyDown}
        onPaste={onPaste}
        onBlur={() => {
          setOpen(false);
          setActive(-1);
          onBlur?.();
        }}
      />
      <ul id={listId} role="listbox" className="combobox-list" hidden={!expanded}>
        {expanded &&
          shown.map((o, i) => (
            <li
              key={o}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className="combobox-option"
              // mousedown would blur the input (closing the list) before the click lands.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(o)}
            >
              {optionLabel ? optionLabel(o) : o}
            </li>
          ))}
      </ul>
    </div>
  );
}
