import type { ApiError } from "../../../lib/api/client";

/** An import the core refused (unreadable file, unknown format…). */
export function ImportFailure({ file, error, onDismiss }: { file: string; error: ApiError; onDismiss: () => void }) {
  return (
    <div className="import-report failed" role="alert">
      <p>
        <strong className="file-name">{file}</strong> was not imported: {error.message}
      </p>
      <button type="button" className="button small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
