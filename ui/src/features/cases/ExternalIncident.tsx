import type { Case, OutboxState } from "../../lib/api/bindings";
import { TicketLink } from "../../components/TicketLink";
import { formatDateTime } from "../../lib/format";
import type { Notice } from "./useBulkActions";

/** A waiting push's state, in the table and the header's Outbox. */
export const PENDING_LABEL: Record<OutboxState, string> = { queued: "Queued", sending: "Sending…", failed: "Push failed" };

/** A push waiting in the outbox, beside the ticket (or instead of it before the first push). */
function Pending({ c }: { c: Case }) {
  if (!c.pending_push) return null;
  return <span className={c.pending_push === "failed" ? "push-state failed" : "push-state stale"}>{PENDING_LABEL[c.pending_push]}</span>;
}

/** The ticket a case was pushed to, opened in the system browser (the window never navigates). */
export function ExternalIncident({ c, notify }: { c: Case; notify: (n: Notice) => void }) {
  const ext = c.external_service;
  if (!ext) {
    return (
      <div className="external-incident">
        <span className="muted">Not pushed</span>
        <Pending c={c} />
      </div>
    );
  }
  return (
    <div className="external-incident">
      <TicketLink
        title={ext.external_title || ext.external_id}
        url={ext.external_url}
        hint={`${ext.connector_name}: ${ext.external_url} — opens in your browser`}
        className="external-link"
        onError={(text) => notify({ kind: "error", text })}
      />
      {c.push_state === "requires_update" && (
        <span className="push-state stale" title={`Pushed ${formatDateTime(ext.pushed_at)}`}>
          Requires update
        </span>
      )}
      {c.push_state === "up_to_date" && (
        <span className="push-state" title={`Pushed ${formatDateTime(ext.pushed_at)}`}>
          Up to date
        </span>
      )}
      <Pending c={c} />
    </div>
  );
}
