import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Comment } from "../../lib/api/bindings";
import { ApiError, deleteComment, editComment } from "../../lib/api/client";
import { charCount, formatDateTime } from "../../lib/format";
import { MAX_COMMENT_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Markdown } from "../../components/Markdown";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { Menu } from "../../components/Menu";

type Props = { space: string; caseId: string; comment: Comment; onQuote: (text: string) => void };

/** One comment with a ⋯ menu: Quote, Edit, Delete (Kibana's user-action comment). */
export function CommentCard({ space, caseId, comment, onQuote }: Props) {
  const queryClient = useQueryClient();
  // `version`: the comment as it was when editing started; a stale one is refused by the core.
  const [editing, setEditing] = useState<{ text: string; version: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.case(space, caseId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
  };

  const save = useMutation({
    mutationFn: (e: { text: string; version: string }) => editComment(caseId, comment.id, e.version, e.text),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
    onError: refresh,
  });
  const remove = useMutation({
    mutationFn: () => deleteComment(caseId, comment.id),
    onSuccess: () => {
      setConfirming(false);
      refresh();
    },
  });

  const author = comment.created_by.full_name ?? comment.created_by.username;
  const saveError = save.error ? ApiError.from(save.error) : null;
  const changedMeanwhile = editing !== null && editing.version !== comment.version;
  const n = charCount(trimRust(editing?.text ?? ""));

  return (
    <article className="comment-card" aria-label={`Comment by ${author}`} data-comment-id={comment.id}>
      <header className="comment-header">
        <span className="avatar" aria-hidden="true">
          {author.slice(0, 1).toUpperCase()}
        </span>
        <strong>{author}</strong>
        <span className="hint">
          commented <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
          {comment.updated_at && <span title={`Edited ${formatDateTime(comment.updated_at)}`}> · edited</span>}
        </span>
        {!editing && (
          <span className="comment-actions">
            <Menu
              label="Comment actions"
              className="subtle"
              items={[
                { label: "Quote", onSelect: () => onQuote(comment.comment) },
                {
                  label: "Edit",
                  onSelect: () => {
                    save.reset();
                    setEditing({ text: comment.comment, version: comment.version });
                  },
                },
                { label: "Delete", danger: true, onSelect: () => setConfirming(true) },
              ]}
            />
          </span>
        )}
      </header>
      {editing ? (
        <div className="comment-edit">
          <MarkdownEditor
            label="Edit comment"
            value={editing.text}
            onChange={(text) => setEditing({ ...editing, text })}
            max={MAX_COMMENT_LENGTH}
            autoFocus
            onSubmit={() => save.mutate({ text: editing.text, version: comment.version })}
          />
          {(saveError?.code === "conflict" || changedMeanwhile) && (
            <div className="banner warning" role="alert">
              This comment was changed elsewhere since you started editing. Your text is kept; the latest version is
              below. Saving replaces it with your text.
              <details className="latest">
                <summary>Show the latest version</summary>
                <Markdown source={comment.comment} />
              </details>
            </div>
          )}
          {saveError && saveError.code !== "conflict" && (
            <p className="field-error" role="alert">
              {saveError.message}
            </p>
          )}
          <div className="editor-actions">
            <button
              type="button"
              className="button primary"
              disabled={n === 0 || n > MAX_COMMENT_LENGTH || save.isPending}
              // After a conflict the user has seen the latest version: save against it.
              onClick={() => save.mutate({ text: editing.text, version: comment.version })}
            >
              {save.isPending ? "Saving…" : "Save"}
            </button>
            <button type="button" className="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <Markdown source={comment.comment} className="comment-body" />
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this comment?"
          confirmLabel="Delete comment"
          // The label stays put while deleting; the button is only disabled.
          pendingLabel="Delete comment"
          pending={remove.isPending}
          error={remove.isError ? ApiError.from(remove.error).message : null}
          onConfirm={() => remove.mutate()}
          onClose={() => setConfirming(false)}
        >
          <p>The comment by {author} will be removed from the case. The activity log keeps a record that it was deleted.</p>
        </ConfirmDialog>
      )}
    </article>
  );
}
