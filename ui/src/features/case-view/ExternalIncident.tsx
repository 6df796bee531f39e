import { TicketLink } from "../../components/TicketLink";
import type { Case } from "../../lib/api/bindings";
import { formatDateTime } from "../../lib/format";

/** Where the case was pushed, with a link that opens in the system browser, and the core's push state. */
export function ExternalIncident({ current }: { current: Case }) {
  const ext = current.external_service;
  if (!ext) return <p className="muted">Not pushed to an incident system yet.</p>;
  return (
    <div className="case-external">
      <p>
        <TicketLink title={ext.external_title} url={ext.external_url} />{" "}
        <span className="hint">in {ext.connector_name}</span>
      </p>
      {/* not_pushed with a ticket: the case now has another connector; the badge would mislead. */}
      {current.push_state === "requires_update" && <p className="badge warning">Requires update</p>}
      {current.push_state === "up_to_date" && <p className="badge ok">Up to date</p>}
      <p className="hint">
        Pushed {formatDateTime(ext.pushed_at)} by {ext.pushed_by.full_name ?? ext.pushed_by.username}
      </p>
    </div>
  );
}
