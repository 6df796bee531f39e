import type { DraftStatus } from "../../lib/drafts";

/** Whether what is typed is safe on disk yet. */
export function DraftNote({ status, error }: { status: DraftStatus; error: string | null }) {
  if (status === "failed") {
    return (
      <span className="field-error" role="alert">
        Draft not saved: {error}
      </span>
    );
  }
  if (status === "saving") return <span className="hint">Saving draft…</span>;
  if (status === "saved") return <span className="hint">Draft saved</span>;
  return null;
}
