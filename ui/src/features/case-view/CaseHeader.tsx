import { useEffect, useState } from "react";
import type { Case, Severity, Status } from "../../lib/api/bindings";
import { PendingId } from "../../components/CaseNumber";
import { Menu } from "../../components/Menu";
import { copyText } from "../../lib/clipboard";
import { SEVERITY_LABEL, STATUS_LABEL } from "../../components/labels";
import { SEVERITIES, STATUSES } from "../../lib/api/bindings";
import { AlertMetrics } from "./alerts/AlertMetrics";
import { DeleteCaseDialog } from "./DeleteCaseDialog";
import { EditableTitle } from "./EditableTitle";
import { useCaseUpdate, writeErrorMessage } from "./useCaseUpdate";

/** Title, number, status and severity, a ⋯ menu (copy ID, delete); the alerts' figures. */
export function CaseHeader({ space, current }: { space: string; current: Case }) {
  const update = useCaseUpdate(space, current);
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  const [deleting, setDeleting] = useState(false);

  // "Copied" fades; a failure stays, with the ID to select by hand.
  useEffect(() => {
    if (copied !== "ok") return;
    const t = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = async () => setCopied((await copyText(current.id)) ? "ok" : "failed");

  return (
    <header className="case-header">
      <div className="case-header-title">
        <EditableTitle space={space} current={current} />
        {current.incremental_id !== null ? <CopyNumber n={current.incremental_id} /> : <PendingId />}
      </div>
      <div className="case-header-controls">
        <label className="inline-select">
          <span>Status</span>
          <select
            aria-label="Status"
            className={`status-select status-${current.status}`}
            value={current.status}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ status: e.target.value as Status })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-select">
          <span>Severity</span>
          <select
            aria-label="Severity"
            className={`severity-select severity-${current.severity}`}
            value={current.severity}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ severity: e.target.value as Severity })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <Menu
          label="Case actions"
          items={[
            { label: "Copy case ID", onSelect: () => void copy() },
            { label: "Delete case", danger: true, onSelect: () => setDeleting(true) },
          ]}
        />
        <span className="copy-note" role="status">
          {copied === "ok" ? "Case ID copied" : copied === "failed" ? `Could not reach the clipboard. The case ID is ${current.id}` : ""}
        </span>
      </div>
      <AlertMetrics space={space} caseId={current.id} />
      {update.isError && (
        <div className="banner error case-header-error" role="alert">
          {writeErrorMessage(update.error)}{" "}
          <button type="button" className="link-button" onClick={() => update.reset()}>
            Dismiss
          </button>
        </div>
      )}
      {deleting && <DeleteCaseDialog space={space} current={current} onClose={() => setDeleting(false)} />}
    </header>
  );
}

/** The case's number, `#42`: a click copies it (to paste into a chat or a ticket). */
function CopyNumber({ n }: { n: number }) {
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 2500);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => setCopied((await copyText(`#${n}`)) ? "ok" : "failed");
  return (
    <>
      <button
        type="button"
        className="case-number big copy-number"
        onClick={() => void copy()}
        aria-label={`Copy #${n}`}
        title={`The case's number in this space. Click to copy #${n}`}
      >
        #{n}
      </button>
      <span className="copy-note" aria-live="polite">
        {copied === "ok" ? `#${n} copied` : copied === "failed" ? "Copy failed" : ""}
      </span>
    </>
  );
}
