import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, addComment } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_COMMENT_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { clearTextDraft, loadTextDraft, saveTextDraft } from "../../lib/textDraft";
import { MarkdownEditor } from "../../components/MarkdownEditor";
import { insertQuote } from "./activity";

export type CommentEditorHandle = { quote: (text: string) => void };

/** The new-comment box. Its text is kept per case in localStorage until it is posted. */
export const CommentEditor = forwardRef<CommentEditorHandle, { space: string; caseId: string }>(function CommentEditor(
  { space, caseId },
  ref,
) {
  const [text, setText] = useState(() => loadTextDraft("comment", caseId));
  const area = useRef<HTMLTextAreaElement>(null);
  const queryClient = useQueryClient();

  useEffect(() => saveTextDraft("comment", caseId, text), [caseId, text]);

  useImperativeHandle(ref, () => ({
    quote: (quoted: string) => {
      setText((t) => insertQuote(t, quoted));
      area.current?.scrollIntoView?.({ block: "center" });
      area.current?.focus();
    },
  }));

  const post = useMutation({
    mutationFn: (body: string) => addComment(caseId, body),
    onSuccess: () => {
      setText("");
      clearTextDraft("comment", caseId);
      void queryClient.invalidateQueries({ queryKey: queryKeys.case(space, caseId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.space(space) });
    },
  });

  const n = charCount(trimRust(text));
  const canPost = n > 0 && n <= MAX_COMMENT_LENGTH && !post.isPending;
  const submit = () => {
    if (canPost) post.mutate(text);
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
      {post.isError && (
        <p className="field-error" role="alert">
          The comment was not added: {ApiError.from(post.error).message}. Your text is kept.
        </p>
      )}
      <div className="editor-actions">
        <button type="button" className="button primary" disabled={!canPost} onClick={submit}>
          {post.isPending ? "Adding…" : "Add comment"}
        </button>
        {text.trim() !== "" && <span className="hint">Draft saved</span>}
      </div>
    </div>
  );
});
