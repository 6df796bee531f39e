import { useState } from "react";

/**
 * A create whose answer was lost, to a system Casebook cannot search: the user checks it for a
 * ticket of the case first, and only then sends the create again.
 */
export function NeedsCheck({ busy, pushing, onRetry }: { busy: boolean; pushing: boolean; onRetry: () => void }) {
  const [checked, setChecked] = useState(false);
  return (
    <div className="editor-actions">
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I checked the system: it has no ticket for this case
      </label>
      <button type="button" className="button small" disabled={busy || !checked} onClick={onRetry}>
        {pushing ? "Pushing…" : "Retry anyway"}
      </button>
    </div>
  );
}
