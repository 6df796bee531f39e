import type { Severity, Status } from "../lib/api/bindings";
import { SEVERITY_LABEL, STATUS_LABEL } from "./labels";

export function StatusBadge({ status }: { status: Status }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`severity severity-${severity}`}>
      <span className="severity-dot" aria-hidden="true" />
      {SEVERITY_LABEL[severity]}
    </span>
  );
}
