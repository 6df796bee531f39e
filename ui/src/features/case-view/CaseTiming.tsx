import { useEffect, useState } from "react";
import type { Case } from "../../lib/api/bindings";
import { formatDateTime, formatDuration } from "../../lib/format";
import { caseTiming, tickEvery } from "./timing";

/**
 * Created, open duration, time in progress, time to close. While the case is not closed the
 * running figures tick as often as their last shown unit changes (seconds, then minutes).
 */
export function CaseTiming({ current }: { current: Case }) {
  const [now, setNow] = useState(() => Date.now());
  const t = caseTiming(current, now);
  const every = tickEvery(t, current.status === "closed");
  useEffect(() => {
    if (every === null) return;
    // A reopened case or a page back from the background: catch up at once, then tick.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [every]);
  return (
    <dl className="timing">
      <div>
        <dt>Created</dt>
        <dd>{formatDateTime(current.created_at)}</dd>
      </div>
      <div>
        <dt>{current.status === "closed" ? "Was open for" : "Open for"}</dt>
        <dd>{formatDuration(t.openFor)}</dd>
      </div>
      {t.inProgressFor !== null && (
        <div>
          <dt>In progress for</dt>
          <dd>{formatDuration(t.inProgressFor)}</dd>
        </div>
      )}
      <div>
        <dt>Time to close</dt>
        <dd>{t.timeToClose === null ? <span className="muted">Not closed</span> : formatDuration(t.timeToClose)}</dd>
      </div>
      {current.closed_at && (
        <div>
          <dt>Closed</dt>
          <dd>
            {formatDateTime(current.closed_at)}
            {current.closed_by && ` by ${current.closed_by.full_name ?? current.closed_by.username}`}
          </dd>
        </div>
      )}
    </dl>
  );
}
