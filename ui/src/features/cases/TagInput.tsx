import { useId, type ClipboardEvent, type KeyboardEvent } from "react";
import { addTags } from "./draft";

type Props = {
  id: string;
  tags: string[];
  text: string;
  onChange: (tags: string[], text: string) => void;
  suggestions?: string[];
  invalid?: boolean;
  describedBy?: string;
};

/** Tags as chips: Enter or a comma adds what was typed, Backspace in an empty box removes the last. */
export function TagInput({ id, tags, text, onChange, suggestions, invalid, describedBy }: Props) {
  const listId = useId();
  const commit = () => {
    if (text.trim() !== "") onChange(addTags(tags, text), "");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
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
    <div className={`tag-input ${invalid ? "invalid" : ""}`.trim()}>
      <ul className="chips" aria-label="Tags">
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
      <input
        id={id}
        value={text}
        list={suggestions && suggestions.length > 0 ? listId : undefined}
        placeholder={tags.length === 0 ? "Type a tag, then Enter or comma" : "Add a tag"}
        onChange={(e) => {
          const v = e.target.value;
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
        onBlur={commit}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
      />
      {suggestions && suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.filter((s) => !tags.includes(s)).slice(0, 200).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </div>
  );
}
