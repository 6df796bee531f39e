import { useState, type FormEvent } from "react";
import type { Case } from "../../lib/api/bindings";
import { charCount } from "../../lib/format";
import { MAX_TITLE_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { useCaseUpdate, writeErrorMessage } from "./useCaseUpdate";

/** The case title as a heading, edited in place (Enter saves, Esc cancels). */
export function EditableTitle({ space, current }: { space: string; current: Case }) {
  const update = useCaseUpdate(space, current);
  const [editing, setEditing] = useState<{ text: string; base: string } | null>(null);

  if (!editing) {
    return (
      <div className="editable-title">
        <h1 className="case-title-heading">{current.title}</h1>
        <button
          type="button"
          className="icon-button"
          aria-label="Edit title"
          title="Edit title"
          onClick={() => {
            update.reset();
            setEditing({ text: current.title, base: current.title });
          }}
        >
          ✎
        </button>
      </div>
    );
  }

  const trimmed = trimRust(editing.text);
  const n = charCount(trimmed);
  const problem = n === 0 ? "The title cannot be empty." : n > MAX_TITLE_LENGTH ? `At most ${MAX_TITLE_LENGTH} characters (now ${n}).` : null;

  const save = (e?: FormEvent) => {
    e?.preventDefault();
    if (problem) return;
    if (trimmed === current.title) {
      setEditing(null);
      return;
    }
    update.mutate({ title: trimmed }, { onSuccess: () => setEditing(null) });
  };

  return (
    <form className="editable-title editing" onSubmit={save}>
      <input
        aria-label="Case title"
        className="title-input"
        value={editing.text}
        autoFocus
        aria-invalid={problem !== null}
        onChange={(e) => setEditing({ ...editing, text: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            setEditing(null);
            update.reset();
          }
        }}
      />
      <span className={`counter ${n > MAX_TITLE_LENGTH ? "over" : ""}`.trim()}>
        {n}/{MAX_TITLE_LENGTH}
      </span>
      <button type="submit" className="button primary" disabled={problem !== null || update.isPending}>
        Save
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          setEditing(null);
          update.reset();
        }}
      >
        Cancel
      </button>
      {problem && editing.text !== "" && (
        <p className="field-error" role="alert">
          Title: {problem}
        </p>
      )}
      {update.isError && (
        <p className="field-error" role="alert">
          {writeErrorMessage(update.error)}
        </p>
      )}
      {editing.base !== current.title && current.title !== trimmed && (
        <p className="hint" role="status">
          Changed elsewhere meanwhile to “{current.title}”; saving replaces it with your text.
        </p>
      )}
    </form>
  );
}
