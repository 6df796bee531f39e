import { useIdTaskStatus, pendingTooltip } from "../lib/ids";

/** "ID pending", with a tooltip saying when the numbering task runs next. */
export function PendingId() {
  const status = useIdTaskStatus();
  return (
    <span className="case-number pending" title={pendingTooltip(status.data)}>
      ID pending
    </span>
  );
}
