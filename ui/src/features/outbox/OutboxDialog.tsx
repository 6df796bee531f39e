import { ApiError } from "../../lib/api/client";
import { navigate } from "../../lib/route";
import { Dialog } from "../../components/Dialog";
import { Attempts } from "../case-view/push/PushControls";
import { PENDING_LABEL } from "../cases/ExternalIncident";
import type { useOutbox } from "./useOutbox";
import { NeedsCheck } from "../case-view/push/NeedsCheck";

type Props = {
  space: string;
  outbox: ReturnType<typeof useOutbox>;
  onClose: () => void;
};

/**
 * Every push of the space waiting to be sent, as `casebook outbox list` shows them: the case, the
 * system, why it waits (in the system's words) and when it is tried next; Retry now or Cancel.
 */
export function OutboxDialog({ space, outbox, onClose }: Props) {
  const items = outbox.list.data ?? [];
  // One action at a time.
  const busy = outbox.retrying !== null || outbox.cancelling !== null;
  return (
    <Dialog
      title="Outbox"
      onClose={onClose}
      className="dialog-outbox"
      footer={
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      }
    >
      <p className="hint">
        Pushes of space <strong>{space}</strong> that wait to be sent. Queued pushes are retried by themselves, with longer
        waits after each failure; a refused push waits until you retry or cancel it. Cancelling changes nothing in the
        case.
      </p>
      {outbox.error && (
        <p className="field-error push-error-lines" role="alert">
          {outbox.error.message}
        </p>
      )}
      {outbox.list.isError ? (
        <div className="banner error" role="alert">
          The outbox could not be read: {ApiError.from(outbox.list.error).message}{" "}
          <button type="button" className="link-button" onClick={() => void outbox.list.refetch()}>
            Retry
          </button>
        </div>
      ) : items.length === 0 ? (
        <p className="muted" role="status">
          {outbox.list.isPending ? "Loading…" : "The outbox is empty: every push was sent."}
        </p>
      ) : (
        <ul className="outbox-list" aria-label="Waiting pushes">
          {items.map((item) => {
            return (
              <li key={item.id} className={`outbox-item ${item.state}`}>
                <div className="outbox-item-head">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      onClose();
                      navigate({ page: "case", id: item.case_id });
                    }}
                  >
                    {item.case_title}
                  </button>
                  <span className="hint"> to {item.connector_name}</span>
                  <span className={`push-state ${item.state === "failed" ? "failed" : "stale"}`}>{PENDING_LABEL[item.state]}</span>
                </div>
                <Attempts item={item} />
                {item.state !== "sending" && item.last_error_code === "needs_check" && (
                  <NeedsCheck busy={busy} pushing={outbox.retrying === item.id} onRetry={() => outbox.retry(item.id, true)} />
                )}
                {item.state !== "sending" && (
                  <div className="editor-actions">
                    <button type="button" className="button small" disabled={busy} onClick={() => outbox.retry(item.id)}>
                      {outbox.retrying === item.id ? "Pushing…" : item.state === "failed" ? "Retry" : "Retry now"}
                    </button>
                    <button type="button" className="button small" disabled={busy} onClick={() => outbox.cancel(item.id)}>
                      {outbox.cancelling === item.id ? "Cancelling…" : "Cancel push"}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
