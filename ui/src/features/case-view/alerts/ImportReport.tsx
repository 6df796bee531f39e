import type { AlertImportReport, ParseIssue } from "../../../lib/api/bindings";
import { formatCount } from "../../../lib/format";

/** "line 12: not valid JSON", "document 3: …". */
export function issueText(issue: ParseIssue): string {
  // The core sends null for what does not apply (a JSON file's entry has a document, no line).
  const where = typeof issue.line === "number" ? `line ${issue.line}` : typeof issue.document === "number" ? `document ${issue.document}` : null;
  return where ? `${where}: ${issue.reason}` : issue.reason;
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** " (2 already in the case, 2 repeated in the file)", or nothing. */
function notes(report: AlertImportReport): string {
  const parts: string[] = [];
  if (report.already_attached > 0) parts.push(`${formatCount(report.already_attached)} already in the case`);
  if (report.repeated_in_file > 0) parts.push(`${formatCount(report.repeated_in_file)} repeated in the file`);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

type Props = {
  file: string;
  report: AlertImportReport;
  /** Whether the case extracts observables from its alerts. */
  extracting: boolean;
  onDismiss: () => void;
};

/** What an import did: alerts attached, observables extracted, and the lines it could not read. */
export function ImportReport({ file, report, extracting, onDismiss }: Props) {
  if (report.cancelled) {
    return (
      <div className="import-report" role="status">
        <p>
          Import of <strong className="file-name">{file}</strong> cancelled: nothing was attached.
        </p>
        <button type="button" className="button small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  const hidden = report.issue_count - report.issues.length;
  return (
    <div className={`import-report ${report.issue_count > 0 ? "with-issues" : ""}`.trim()} role="status">
      <div className="import-report-head">
        <p>
          <strong>
            Attached {plural(report.attached, "alert", "alerts")}
            {notes(report)}
          </strong>{" "}
          from <span className="file-name">{file}</span>.
        </p>
        <button type="button" className="button small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <p className="import-observables">
        {!extracting && report.observables_added === 0
          ? "Observable extraction is off for this case."
          : report.observables_added > 0
            ? `${plural(report.observables_added, "observable", "observables")} extracted and added to the case.`
            : "No new observables in these alerts."}
        {report.observables_over_limit > 0 &&
          ` ${plural(report.observables_over_limit, "more was", "more were")} left out by the space's cap on observables (the values the most alerts carry were kept): see Observables › Left out.`}
      </p>
      {report.issue_count > 0 && (
        <div className="import-issues">
          <p className="import-issues-title">
            {plural(report.issue_count, "entry", "entries")} could not be read and {report.issue_count === 1 ? "was" : "were"} skipped
            {hidden > 0 && ` (the first ${formatCount(report.issues.length)} are listed)`}:
          </p>
          <ol className="import-issue-list" aria-label="Entries not read">
            {report.issues.map((issue, i) => (
              <li key={i}>{issueText(issue)}</li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
