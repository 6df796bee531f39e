import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { casesNoun } from "./bulk";

type Props = {
  count: number;
  /** The titles of the selected cases; null when every matching case is selected (not read). */
  titles: string[] | null;
  /** Resolves to an error to show, or null when done. */
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
};

/** Deleting cannot be undone: say how many and which, and make Cancel the first focus. */
export function DeleteCasesDialog({ count, titles, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = casesNoun(count);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    const problem = await onConfirm();
    setBusy(false);
    if (problem) setError(problem);
  };
  return (
    <ConfirmDialog
      title={`Delete ${what}?`}
      confirmLabel={`Delete ${what}`}
      pendingLabel="Deleting…"
      pending={busy}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      {/* Above the list, which can be long. */}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {titles ? (
        <>
          <p>
            This permanently deletes {count === 1 ? "this case" : `these ${what}`} with {count === 1 ? "its" : "their"}{" "}
            comments and alert links. It cannot be undone.
          </p>
          <ul className="delete-list">
            {titles.slice(0, 5).map((t, i) => (
              <li key={i}>{t}</li>
            ))}
            {titles.length > 5 && <li className="muted">…and {titles.length - 5} more</li>}
          </ul>
        </>
      ) : (
        <p>
          This permanently deletes all {what} matching the search and filters, with their comments and alert links,
          in batches you can stop. It cannot be undone.
        </p>
      )}
    </ConfirmDialog>
  );
}
