// Bold, italic, code, list, link and quote buttons over a Markdown text area, and the same as
// Ctrl/⌘+B, I, K in it. Edits go through the browser's own text insertion, so Ctrl+Z undoes them.
import { useState, type KeyboardEvent, type ReactNode } from "react";
import { formatEdit, type MarkdownAction, type TextEdit } from "../lib/markdownFormat";
import "./markdownToolbar.css";

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? "⌘" : "Ctrl+";

const SHORTCUT: Partial<Record<string, MarkdownAction>> = { b: "bold", i: "italic", k: "link" };

const svg = (children: ReactNode) => (
  <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
    {children}
  </svg>
);

const BUTTONS: { action: MarkdownAction; label: string; key?: string; icon: ReactNode }[] = [
  { action: "bold", label: "Bold", key: "B", icon: <b>B</b> },
  { action: "italic", label: "Italic", key: "I", icon: <i>I</i> },
  { action: "code", label: "Code", icon: <span className="mono">{"</>"}</span> },
  {
    action: "list",
    label: "Bulleted list",
    icon: svg(
      <>
        <circle cx="2.5" cy="4" r="1" fill="currentColor" stroke="none" />
        <circle cx="2.5" cy="8" r="1" fill="currentColor" stroke="none" />
        <circle cx="2.5" cy="12" r="1" fill="currentColor" stroke="none" />
        <path d="M6 4h8M6 8h8M6 12h8" />
      </>,
    ),
  },
  {
    action: "link",
    label: "Link",
    key: "K",
    icon: svg(
      <>
        <rect x="1" y="5.25" width="8" height="5.5" rx="2.75" />
        <rect x="7" y="5.25" width="8" height="5.5" rx="2.75" />
      </>,
    ),
  },
  {
    action: "quote",
    label: "Quote",
    icon: svg(<path d="M2.5 3v10M6 4.5h8M6 8h8M6 11.5h5" />),
  },
];

/**
 * Applies `edit` to the text area as typing would: execCommand("insertText") keeps the undo
 * history and fires the input event React listens to. Where that is missing (jsdom, a webview
 * without it) the range is replaced directly and an input event sent, losing only undo.
 */
function apply(area: HTMLTextAreaElement, edit: TextEdit): void {
  area.focus();
  area.setSelectionRange(edit.start, edit.end);
  let done = false;
  try {
    done =
      typeof document.execCommand === "function" &&
      (edit.text === "" ? document.execCommand("delete") : document.execCommand("insertText", false, edit.text));
  } catch {
    done = false;
  }
  if (!done) {
    area.setRangeText(edit.text, edit.start, edit.end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }
  area.setSelectionRange(edit.selStart, edit.selEnd);
}

function run(area: HTMLTextAreaElement | null, action: MarkdownAction): void {
  if (!area || area.disabled || area.readOnly) return;
  apply(area, formatEdit(action, area.value, area.selectionStart, area.selectionEnd));
}

/** Ctrl/⌘+B, I, K in a Markdown text area; true when the key was one of them (and handled). */
export function markdownShortcut(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return false;
  const action = SHORTCUT[e.key.toLowerCase()];
  if (!action) return false;
  e.preventDefault();
  run(e.currentTarget, action);
  return true;
}

type Props = {
  /** Id of the text area the buttons edit. */
  target: string;
  /** The field's name: the toolbar is "<label> formatting". */
  label: string;
  hidden?: boolean;
};

/** The buttons: one tab stop, ←/→ move between them (WAI-ARIA toolbar). */
export function MarkdownToolbar({ target, label, hidden }: Props) {
  const [focus, setFocus] = useState(0);
  const area = () => document.getElementById(target) as HTMLTextAreaElement | null;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    const to = e.key === "Home" ? 0 : e.key === "End" ? BUTTONS.length - 1 : (focus + step + BUTTONS.length) % BUTTONS.length;
    if (step === 0 && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    setFocus(to);
    e.currentTarget.querySelectorAll<HTMLButtonElement>("button")[to]?.focus();
  };
  return (
    <div className="markdown-toolbar" role="toolbar" aria-label={`${label} formatting`} aria-controls={target} hidden={hidden} onKeyDown={onKeyDown}>
      {BUTTONS.map((b, i) => (
        <button
          key={b.action}
          type="button"
          className="markdown-tool"
          aria-label={b.label}
          title={b.key ? `${b.label} (${MOD}${b.key})` : b.label}
          aria-keyshortcuts={b.key ? `${MAC ? "Meta" : "Control"}+${b.key}` : undefined}
          tabIndex={i === focus ? 0 : -1}
          // The text area keeps its selection: a mouse press here would not move focus to it.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            setFocus(i);
            run(area(), b.action);
          }}
        >
          {b.icon}
        </button>
      ))}
    </div>
  );
}
