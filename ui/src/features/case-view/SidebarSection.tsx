import { useState, type ReactNode } from "react";
import { writeErrorMessage } from "./useCaseUpdate";

type Props = {
  title: string;
  /** The value as shown. */
  view: ReactNode;
  /** The editor, given a way to finish; none: the section is read-only. */
  editor?: (done: () => void) => ReactNode;
  /** The last write's error, shown under the editor. */
  error?: unknown;
  onEditStart?: () => void;
};

/** A side-panel block: a heading with an Edit button, the value, or its editor in place. */
export function SidebarSection({ title, view, editor, error, onEditStart }: Props) {
  const [editing, setEditing] = useState(false);
  const slug = title.toLowerCase().replace(/[^a-z]+/g, "-");
  return (
    <section className="sidebar-section" aria-labelledby={`side-${slug}`}>
      <div className="sidebar-heading">
        <h3 id={`side-${slug}`}>{title}</h3>
        {editor && !editing && (
          <button
            type="button"
            className="button subtle small"
            aria-label={`Edit ${title.toLowerCase()}`}
            onClick={() => {
              onEditStart?.();
              setEditing(true);
            }}
          >
            Edit
          </button>
        )}
      </div>
      {editing && editor ? editor(() => setEditing(false)) : view}
      {editing && error !== undefined && error !== null && (
        <p className="field-error" role="alert">
          {writeErrorMessage(error)}
        </p>
      )}
    </section>
  );
}

export function EditorButtons({ onSave, onCancel, busy, disabled }: { onSave: () => void; onCancel: () => void; busy: boolean; disabled?: boolean }) {
  return (
    <div className="editor-actions">
      <button type="button" className="button primary small" disabled={busy || disabled} onClick={onSave}>
        {busy ? "Saving…" : "Save"}
      </button>
      <button type="button" className="button small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
