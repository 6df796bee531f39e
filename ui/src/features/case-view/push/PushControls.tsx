import type { Case, OutboxItem, PushReport } from "../../../lib/api/bindings";
import { formatDateTime } from "../../../lib/format";
import { NeedsCheck } from "./NeedsCheck";
import { useOutboxItem, usePush } from "./usePush";

/** Kibana's button text for each push state. */
export function pushLabel(c: Case): string {
  switch (c.push_state) {
    case "not_pushed":
      return "Push as new incident";
    case "requires_update":
      return "Update incident";
    case "up_to_date":
      return "Up to date";
  }
}

type Props = {
  space: string;
  current: Case;
  /** Why pushing is not possible now (no connector, a closed case…), or null. */
  blocked: string | null;
};

/**
 * The push button, then what became of the push: sent, queued to be retried by the background
 * sender, or refused and waiting for the user, each naming the connector it went to (a push from
 * the CLI can use another one than the case's). The outbox keeps the waiting state across reloads.
 */
export function PushControls({ space, current, blocked }: Props) {
  const push = usePush(space, current);
  const { item, loading } = useOutboxItem(space, current);
  const waiting = current.pending_push !== null;
  const upToDate = current.push_state === "up_to_date";

  return (
    <div className="push-controls">
      {!waiting && (
        <>
          <button
            type="button"
            className="button primary push-button"
            disabled={blocked !== null || upToDate || push.busy}
            aria-describedby={blocked ? "push-blocked" : undefined}
            onClick={push.pushNow}
          >
            {push.pushing ? "Pushing…" : pushLabel(current)}
          </button>
          {blocked && (
            <p id="push-blocked" className="hint">
              {blocked}
            </p>
          )}
        </>
      )}

      {push.last?.outcome === "sent" && upToDate && !waiting && <Sent report={push.last.report} />}

      {waiting && !item && (
        <p className="muted" role="status">
          {loading ? "A push of this case is waiting in the outbox…" : "A push of this case is waiting in the outbox."}
        </p>
      )}
      {item?.state === "sending" && (
        <p className="muted" role="status">
          <span className="spinner small" aria-hidden="true" /> Sending to {item.connector_name}…
        </p>
      )}
      {item?.state === "queued" && (
        <div className="push-notice push-queued" role="status">
          <p className="push-notice-title">Queued for {item.connector_name} — will retry by itself</p>
          <Attempts item={item} />
          <Actions retryLabel="Retry now" item={item} push={push} />
        </div>
      )}
      {item?.state === "failed" && (
        <div className="push-notice push-failed" role="alert">
          <p className="push-notice-title">Push to {item.connector_name} failed</p>
          <Attempts item={item} />
          {item.last_error_code === "needs_check" && (
            <NeedsCheck busy={push.busy} pushing={push.pushing} onRetry={() => push.retryAnyway(item.id)} />
          )}
          <Actions retryLabel="Retry" item={item} push={push} />
        </div>
      )}

      {push.error && (
        <p className="field-error push-error-lines" role="alert">
          {push.error.message}
        </p>
      )}
    </div>
  );
}

function Sent({ report }: { report: PushReport }) {
  const notes = [
    report.adopted && "An earlier attempt's ticket was found and updated instead of creating another.",
    report.comments_sent > 0 && `${report.comments_sent} comment${report.comments_sent === 1 ? "" : "s"} sent.`,
    report.closed_case && "The case was closed: this space closes cases when they are pushed.",
  ].filter((n): n is string => typeof n === "string");
  return (
    <div className="push-sent" role="status">
      <p>
        Pushed to {report.connector_name}: {report.external_title}
      </p>
      {notes.map((n) => (
        <p key={n} className="hint">
          {n}
        </p>
      ))}
    </div>
  );
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Seconds matter for the first retries (5 s, 10 s…); a later day gets its date. */
function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === new Date().toDateString() ? timeOfDay.format(d) : formatDateTime(iso);
}

/** The last error in the system's words (one line per field error) and when it is tried next. */
export function Attempts({ item }: { item: OutboxItem }) {
  return (
    <>
      {item.last_error && <p className="push-error-lines">{item.last_error}</p>}
      <p className="hint">
        {item.attempts === 0 ? "Not tried yet" : `${item.attempts} attempt${item.attempts === 1 ? "" : "s"} so far`}
        {item.state === "queued" && item.next_attempt_at ? `; next attempt at ${when(item.next_attempt_at)}.` : "."}
      </p>
    </>
  );
}

function Actions({ retryLabel, item, push }: { retryLabel: string; item: OutboxItem; push: ReturnType<typeof usePush> }) {
  return (
    <div className="editor-actions">
      <button type="button" className="button small" disabled={push.busy} onClick={() => push.retryNow(item.id)}>
        {push.pushing ? "Pushing…" : retryLabel}
      </button>
      <button type="button" className="button small" disabled={push.busy} onClick={() => push.cancelNow(item.id)}>
        {push.cancelling ? "Cancelling…" : "Cancel push"}
      </button>
    </div>
  );
}
