import { useState } from "react";
import type { Case } from "../../lib/api/bindings";
import { charCount, formatDateTime } from "../../lib/format";
import { MAX_DESCRIPTION_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { draftKey, useStoredDraft } from "../../lib/drafts";
import { Markdown } from "../../components/Markdown";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { DraftNote } from "./DraftNote";
import { useCaseUpdate, writeErrorMessage } from "./useCaseUpdate";

/** `base`: the description when editing started, to tell whether it changed meanwhile. */
type Editing = { text: string; base: string };

/**
 * The Markdown description, edited in place. An unsaved edit is saved to disk as a draft (with
 * the text it started from), so closing the window, a crash or a conflict loses nothing. It can
 * be collapsed (as in Kibana) so that a long one does not push the activity out of sight.
 */
export function DescriptionSection({ space, current }: { space: string; current: Case }) {
  const update = useCaseUpdate(space, current);
  const draft = useStoredDraft(draftKey("description", current.id));
  const editing = parseEditing(draft.text);
  const [collapsed, setCollapsed] = useState(false);
  const setEditing = (e: Editing) => draft.setText(JSON.stringify(e));

  const stop = () => {
    draft.clear();
    update.reset();
  };

  const over = charCount(trimRust(editing?.text ?? "")) > MAX_DESCRIPTION_LENGTH;
  const changedMeanwhile = editing !== null && editing.base !== current.description;

  const save = () => {
    if (!editing || over) return;
    update.mutate({ description: editing.text }, { onSuccess: stop });
  };

  return (
    <section className="panel description" aria-labelledby="description-heading">
      <div className="panel-header">
        <h2 id="description-heading">Description</h2>
        <span className="hint">
          {current.created_by.full_name ?? current.created_by.username} · {formatDateTime(current.created_at)}
        </span>
        {!editing && (
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              setCollapsed(false);
              setEditing({ text: current.description, base: current.description });
            }}
          >
            Edit description
          </button>
        )}
        {!editing && (
          <button
            type="button"
            className="button subtle"
            aria-controls="description-content"
            onClick={() => setCollapsed(!collapsed)}
          >
            {collapsed ? "Show description" : "Hide description"}
          </button>
        )}
      </div>
      {editing ? (
        <div className="description-editor">
          {changedMeanwhile && (
            <div className="banner warning" role="status">
              {update.isError ? writeErrorMessage(update.error) : "This case was changed elsewhere while you were editing."}{" "}
              Saving replaces the description with your text.
              {current.description !== editing.text && (
                <details className="latest">
                  <summary>Show the latest saved description</summary>
                  <Markdown source={current.description || "_(empty)_"} />
                </details>
              )}
            </div>
          )}
          <MarkdownEditor
            label="Description"
            value={editing.text}
            onChange={(text) => setEditing({ ...editing, text })}
            max={MAX_DESCRIPTION_LENGTH}
            rows={10}
            autoFocus
            onSubmit={save}
          />
          {update.isError && !changedMeanwhile && (
            <p className="banner error" role="alert">
              {writeErrorMessage(update.error)}
            </p>
          )}
          <div className="editor-actions">
            <button type="button" className="button primary" disabled={over || update.isPending} onClick={save}>
              {update.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" className="button" onClick={stop}>
              Cancel
            </button>
            <span className="hint">Ctrl+Enter saves</span>
            <DraftNote status={draft.status} error={draft.error} />
          </div>
        </div>
      ) : (
        <div id="description-content" hidden={collapsed}>
          {current.description.trim() === "" ? (
            <p className="muted">No description yet.</p>
          ) : (
            <Markdown source={current.description} className="description-body" />
          )}
        </div>
      )}
    </section>
  );
}

function parseEditing(stored: string): Editing | null {
  if (!stored) return null;
  try {
    const d = JSON.parse(stored) as Partial<Editing>;
    return typeof d.text === "string" && typeof d.base === "string" ? { text: d.text, base: d.base } : null;
  } catch {
    return null;
  }
}
