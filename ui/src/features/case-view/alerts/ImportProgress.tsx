import type { AlertImportProgress } from "../../../lib/api/bindings";
import { formatCount } from "../../../lib/format";

type Props = {
  file: string;
  progress: AlertImportProgress | null;
  cancelling: boolean;
  onCancel: () => void;
};

/** Percent of the file read, 0–100. */
export function readPercent(p: AlertImportProgress): number {
  if (p.total_bytes <= 0) return 0;
  return Math.min(100, Math.floor((p.bytes_read * 100) / p.total_bytes));
}

/** "Reading 42% · 12,000 alerts", "Saving… · 12,000 alerts". */
export function progressText(p: AlertImportProgress | null): string {
  if (!p) return "Starting…";
  const alerts = `${formatCount(p.alerts_read)} ${p.alerts_read === 1 ? "alert" : "alerts"}`;
  return p.phase === "reading" ? `Reading ${readPercent(p)}% · ${alerts}` : `Saving… · ${alerts}`;
}

/** A running import: how far it got, and Cancel (which attaches nothing). */
export function ImportProgress({ file, progress, cancelling, onCancel }: Props) {
  const reading = progress?.phase === "reading";
  const pct = progress && reading ? readPercent(progress) : undefined;
  const text = cancelling ? "Cancelling…" : progressText(progress);
  return (
    <div className="import-progress">
      <div className="import-progress-line">
        <span>
          Attaching the alerts of <strong className="file-name">{file}</strong>
        </span>
        <span className="import-progress-text">{text}</span>
        <button type="button" className="button small" onClick={onCancel} disabled={cancelling}>
          {cancelling ? "Cancelling…" : "Cancel"}
        </button>
      </div>
      {/* Reading has a known size; saving is one transaction, shown as busy. */}
      <progress
        className="import-bar"
        aria-label={`Importing ${file}`}
        max={100}
        value={pct}
        aria-valuemin={pct === undefined ? undefined : 0}
        aria-valuemax={pct === undefined ? undefined : 100}
        aria-valuenow={pct}
        aria-valuetext={text}
      />
    </div>
  );
}
