import { useState } from "react";
import { OutboxDialog } from "./OutboxDialog";
import { useOutbox } from "./useOutbox";
import "./outbox.css";
import { formatCount } from "../../lib/format";

/**
 * In the header while pushes wait (offline, throttled or refused): how many, how many failed,
 * and the list behind it. Nothing is shown while the outbox is empty.
 */
export function OutboxButton({ space }: { space: string }) {
  const outbox = useOutbox(space);
  const [open, setOpen] = useState(false);
  const items = outbox.list.data ?? [];
  const failed = items.filter((i) => i.state === "failed").length;
  if (items.length === 0 && !open) return null;
  const label = `${formatCount(items.length)} push${items.length === 1 ? "" : "es"} waiting${failed > 0 ? `, ${formatCount(failed)} failed` : ""}`;
  return (
    <>
      <button
        type="button"
        className={failed > 0 ? "outbox-button failed" : "outbox-button"}
        aria-label={`Outbox: ${label}`}
        title="Pushes waiting to be sent"
        onClick={() => setOpen(true)}
      >
        Outbox <span className="outbox-count">{formatCount(items.length)}</span>
        {failed > 0 && <span className="outbox-failed">{failed} failed</span>}
      </button>
      {open && <OutboxDialog space={space} outbox={outbox} onClose={() => setOpen(false)} />}
    </>
  );
}
