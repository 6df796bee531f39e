import type { BulkIssue } from "../../lib/api/bindings";
import { Dialog } from "../../components/Dialog";
import { formatCount } from "../../lib/format";
import { bulkMessage, casesNoun, seenOf } from "./bulk";
import type { BulkRunAction, BulkRunState } from "./useBulkRun";
import "./bulk.css";

type Props = {
  run: BulkRunState;
  onStop: () => void;
  onClose: () => void;
};

/** Skipped and failed cases listed by name up to this many; the rest are counted. */
const LISTED = 20;

function runningTitle(a: BulkRunAction, total: number): string {
  const what = casesNoun(total);
  if (a.kind === "delete") return `Deleting ${what}`;
  switch (a.change.kind) {
    case "status":
      return `Setting the status of ${what}`;
    case "severity":
      return `Setting the severity of ${what}`;
    case "tags":
      return `Editing the tags of ${what}`;
    case "assignees":
      return `Editing the assignees of ${what}`;
  }
}

/** The progress of a change to every matching case, batch by batch, then what it did and did not do. */
export function BulkProgressDialog({ run, onStop, onClose }: Props) {
  const { report, done, stopping, action, error } = run;
  const seen = seenOf(report);
  const progress = `${formatCount(seen)} of ${formatCount(report.total)}`;
  const headline = bulkMessage(report.changed, action.kind === "delete" ? { kind: "delete" } : action.change);
  const untouched = report.total - seen - report.gone;
  return (
    <Dialog
      title={done ? (report.cancelled || error ? "Stopped before the end" : "Done") : runningTitle(action, report.total)}
      // Closing while it runs would hide the report: it asks to stop instead.
      onClose={done ? onClose : onStop}
      className="dialog-small"
      footer={
        done ? (
          <button type="button" className="button primary" onClick={onClose}>
            Close
          </button>
        ) : (
          <button type="button" className="button" onClick={onStop} disabled={stopping}>
            {stopping ? "Stopping after this batch…" : "Stop"}
          </button>
        )
      }
    >
      <div className="bulk-run">
        <progress
          className="bulk-run-bar"
          aria-label="Cases done"
          max={Math.max(report.total, 1)}
          value={done && !report.cancelled && !error ? Math.max(report.total, 1) : seen}
          aria-valuetext={`${progress} cases`}
        />
        <p className="bulk-run-count" role="status">
          {progress} cases
        </p>
        {error && (
          <p className="form-error" role="alert">
            The run stopped: {error}
          </p>
        )}
        {done && (
          <ul className="bulk-report" aria-label="Report">
            <li>
              <strong>{headline}.</strong>
            </li>
            {report.unchanged > 0 && <li>{casesNoun(report.unchanged)} already as asked.</li>}
            {report.skipped.length > 0 && (
              <li>
                {casesNoun(report.skipped.length)} skipped: changed by someone else since you selected them, left as
                they are.
                <IssueList issues={report.skipped} />
              </li>
            )}
            {report.gone > 0 && (
              <li>{casesNoun(report.gone)} skipped: deleted, or changed so they no longer match, since you selected them.</li>
            )}
            {report.failed.length > 0 && (
              <li className="bulk-report-failed">
                {casesNoun(report.failed.length)} failed:
                <IssueList issues={report.failed} />
              </li>
            )}
            {(report.cancelled || error) && untouched > 0 && <li>{casesNoun(untouched)} not looked at.</li>}
          </ul>
        )}
      </div>
    </Dialog>
  );
}

function IssueList({ issues }: { issues: BulkIssue[] }) {
  return (
    <ul className="bulk-issues">
      {issues.slice(0, LISTED).map((i) => (
        <li key={i.id}>
          <span className="bulk-issue-case">
            {i.incremental_id !== null ? `#${i.incremental_id} ` : ""}
            {i.title}
          </span>{" "}
          <span className="muted">— {i.message}</span>
        </li>
      ))}
      {issues.length > LISTED && <li className="muted">…and {formatCount(issues.length - LISTED)} more</li>}
    </ul>
  );
}
