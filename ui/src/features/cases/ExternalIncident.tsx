import type { Case, OutboxState } from "../../lib/api/bindings";
import { TicketLink } from "../../components/TicketLink";
import { formatDateTime } from "../../lib/format";
import type { Notice } from "./useBulkActions";

/** A waiting push's state, in the table and the header's Outbox. */
export const PENDING_LABEL: Record<OutboxState, string> = { queued: "Queued", sending: "Sending…", failed: "Push failed" };

/** The push states of a pushed case, as a mark that fits the one-line cell, and in words. */
const STATE = {
  up_to_date: { mark: "✓", label: "Up to date", className: "push-state" },
  requires_update: { mark: "↻", label: "Requires update", className: "push-state stale" },
} as const;
const PENDING_MARK: Record<OutboxState, string> = { queued: "…", sending: "…", failed: "!" };

/**
 * The table's External incident cell, one line in a narrow column: "Not pushed", a waiting
 * push's state in words before the first push, or the ticket followed by one mark (a waiting
 * push's before the ticket's own state) whose words are its tooltip and accessible name.
 */
export function ExternalIncident({ c, notify }: { c: Case; notify: (n: Notice) => void }) {
  const ext = c.external_service;
  const pending = c.pending_push;
  if (!ext) {
    return (
      <div className="external-incident">
        {pending ? (
          <span className={pending === "failed" ? "push-state failed" : "push-state stale"} title={`Not pushed yet: ${PENDING_LABEL[pending].toLowerCase()}`}>
            {PENDING_LABEL[pending]}
          </span>
        ) : (
          <span className="muted">Not pushed</span>
        )}
      </div>
    );
  }
  const state = c.push_state === "up_to_date" || c.push_state === "requires_update" ? STATE[c.push_state] : null;
  const pushed = `pushed ${formatDateTime(ext.pushed_at)} to ${ext.connector_name}`;
  const words = [state?.label, pending ? PENDING_LABEL[pending] : null].filter(Boolean).join(" · ");
  const mark = pending
    ? { mark: PENDING_MARK[pending], className: pending === "failed" ? "push-state failed" : "push-state stale" }
    : state;
  return (
    <div className="external-incident">
      <TicketLink
        title={ext.external_title || ext.external_id}
        url={ext.external_url}
        hint={`${ext.connector_name}: ${ext.external_url} — opens in your browser`}
        className="external-link"
        onError={(text) => notify({ kind: "error", text })}
      />
      {mark && (
        <span className={`${mark.className} push-mark`} role="img" aria-label={words} title={`${words} — ${pushed}`}>
          {mark.mark}
        </span>
      )}
    </div>
  );
}
