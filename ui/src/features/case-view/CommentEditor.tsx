import { forwardRef, useImperativeHandle, useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Case, Status } from "../../lib/api/bindings";
import { ApiError, addComment } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_COMMENT_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { draftKey, useStoredDraft } from "../../lib/drafts";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { DraftNote } from "./DraftNote";
import { insertQuote } from "./activity";
import { useCaseUpdate, writeErrorMessage } from "./useCaseUpdate";

export type CommentEditorHandle = { quote: (text: string) => void };

/**
 * The new-comment box, with Kibana's status button beside it ("Comment and close case"). Its
 * text is saved to disk (per case) as it is typed, until it is posted.
 */
export const CommentEditor = forwardRef<CommentEditorHandle, { space: string; current: Case }>(function CommentEditor(
  { space, current },
  ref,
) {
  const caseId = current.id;
  const status = useCaseUpdate(space, current);
  const draft = useStoredDraft(draftKey("comment", caseId));
  const { text, setText } = draft;
  const area = useRef<HTMLTextAreaElement>(null);
  const queryClient = useQueryClient();

  useImperativeHandle(ref, () => ({
    quote: (quoted: string) => {
      setText(insertQuote(text, quoted));
      area.current?.scrollIntoView?.({ block: "center" });
      area.current?.focus();
    },
  }));

  const post = useMutation({
    mutationFn: (body: string) => addComment(caseId, body),
    onSuccess: () => {
      draft.clear();
      void queryClient.invalidateQueries({ queryKey: queryKeys.case(space, caseId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
    },
  });

  const n = charCount(trimRust(text));
  const busy = post.isPending || status.isPending;
  const canPost = n > 0 && n <= MAX_COMMENT_LENGTH && !busy;
  const submit = () => {
    if (canPost) post.mutate(text);
  };
  const next: Status = current.status === "closed" ? "open" : "closed";
  const verb = next === "closed" ? "close" : "reopen";
  // The comment first: if the status change then fails, nothing typed is lost.
  const submitWithStatus = () => {
    if (n > MAX_COMMENT_LENGTH || busy) return;
    status.reset();
    if (n === 0) status.mutate({ status: next });
    else post.mutate(text, { onSuccess: () => status.mutate({ status: next }) });
  };

  return (
    <div className="comment-editor">
      <MarkdownEditor
        ref={area}
        label="Add a comment"
        value={text}
        onChange={(t) => {
          setText(t);
          if (post.isError) post.reset();
        }}
        max={MAX_COMMENT_LENGTH}
        rows={4}
        placeholder="Add a comment (Markdown). Ctrl+Enter to post."
        onSubmit={submit}
      />
      {status.isError && (
        <p className="field-error" role="alert">
          The case was not {verb === "close" ? "closed" : "reopened"}: {writeErrorMessage(status.error)}
        </p>
      )}
      {post.isError && (
        <p className="field-error" role="alert">
          The comment was not added: {ApiError.from(post.error).message}. Your text is kept.
        </p>
      )}
      <div className="editor-actions">
        <button type="button" className="button primary" disabled={!canPost} onClick={submit}>
          {post.isPending ? "Adding…" : "Add comment"}
        </button>
        <button type="button" className="button" disabled={busy || n > MAX_COMMENT_LENGTH} onClick={submitWithStatus}>
          {n > 0 ? `Comment and ${verb} case` : `${verb === "close" ? "Close" : "Reopen"} case`}
        </button>
        <DraftNote status={draft.status} error={draft.error} />
      </div>
    </div>
  );
});
