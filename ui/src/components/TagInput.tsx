import { type ClipboardEvent, type KeyboardEvent } from "react";
import { Combobox } from "./Combobox";
import { addTags } from "../lib/tags";

type Props = {
  id: string;
  tags: string[];
  text: string;
  onChange: (tags: string[], text: string) => void;
  suggestions?: string[];
  invalid?: boolean;
  describedBy?: string;
  /** Name of the chip list for screen readers (default "Tags"). */
  listLabel?: string;
};

/**
 * Tags as chips: Enter or a comma adds what was typed, Backspace in an empty box removes the
 * last; existing tags of the space are suggested in a combobox list. Leaving the box keeps
 * half-typed text as text (with a hint), never a tag the user did not ask for.
 */
export function TagInput({ id, tags, text, onChange, suggestions, invalid, describedBy, listLabel = "Tags" }: Props) {
  const pending = text.trim() !== "";
  const pendingId = `${id}-pending`;
  const commit = () => {
    if (pending) onChange(addTags(tags, text), "");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Ctrl/⌘+Enter submits the form, which asks about the typed text itself.
    if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === ",") {
      if (text.trim() !== "") {
        e.preventDefault();
        commit();
      } else if (e.key === ",") {
        e.preventDefault();
      }
    } else if (e.key === "Backspace" && text === "" && tags.length > 0) {
      e.preventDefault();
      onChange(tags.slice(0, -1), "");
    }
  };
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData("text");
    if (/[,\n]/.test(pasted)) {
      e.preventDefault();
      onChange(addTags(tags, text + pasted), "");
    }
  };
  return (
    <>
      <div className={`tag-input ${invalid ? "invalid" : ""}`.trim()}>
        <ul className="chips" aria-label={listLabel}>
          {tags.map((t) => (
            <li key={t} className="chip chip-tag">
              <span className="chip-text">{t}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove tag ${t}`}
                onClick={() => onChange(tags.filter((x) => x !== t), text)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <Combobox
          id={id}
          value={text}
          options={(suggestions ?? []).filter((s) => !tags.includes(s))}
          onPick={(s) => onChange(addTags(tags, s), "")}
          placeholder={tags.length === 0 ? "Type a tag, then Enter or comma" : "Add a tag"}
          onChange={(v) => {
            // A comma typed or dropped in the middle: everything before it becomes tags.
            if (v.includes(",")) {
              const cut = v.lastIndexOf(",");
              onChange(addTags(tags, v.slice(0, cut)), v.slice(cut + 1));
            } else {
              onChange(tags, v);
            }
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          invalid={invalid}
          describedBy={[pending ? pendingId : "", describedBy ?? ""].filter(Boolean).join(" ") || undefined}
        />
      </div>
      {pending && (
        <span id={pendingId} className="hint">
          Not a tag yet: press Enter to add it.
        </span>
      )}
    </>
  );
}
