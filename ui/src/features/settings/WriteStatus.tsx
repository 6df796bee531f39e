import type { ApiError } from "../../lib/api/client";

type Props = {
  error: ApiError | null;
  success?: string | null;
  /** Shown before the core's message, e.g. "The custom field was not saved." */
  failed: string;
  onRetry?: () => void;
  onDiscard?: () => void;
  discardLabel?: string;
};

/**
 * The outcome of a settings write: a success line, the core's message, or for a conflict an
 * explanation with the two ways out (apply again on the fresh settings, or drop the change).
 */
export function WriteStatus(props: Props) {
  // A region that is always there, so screen readers announce what appears in it.
  return (
    <div className="write-status-region" aria-live="polite">
      <Outcome {...props} />
    </div>
  );
}

function Outcome({ error, success, failed, onRetry, onDiscard, discardLabel = "Reload without saving" }: Props) {
  if (error?.code === "conflict") {
    return (
      <div className="form-error write-status" role="alert">
        <p>
          <strong>{failed}</strong> These settings were changed elsewhere (another window or the casebook CLI) since
          they were loaded. Nothing was overwritten, and what you entered is kept.
        </p>
        <div className="write-status-actions">
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Reload settings and save my change again
            </button>
          )}
          {onDiscard && (
            <button type="button" className="button subtle" onClick={onDiscard}>
              {discardLabel}
            </button>
          )}
        </div>
      </div>
    );
  }
  if (error) {
    return (
      <div className="form-error write-status" role="alert">
        <strong>{failed}</strong> {error.message}
        {error.code === "busy" && " Try again in a moment."}
      </div>
    );
  }
  if (success) {
    return (
      <p className="write-success">
        ✓ {success}
      </p>
    );
  }
  return null;
}
