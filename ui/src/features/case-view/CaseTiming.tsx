import { useEffect, useState } from "react";
import type { Case } from "../../lib/api/bindings";
import { formatDateTime, formatDuration } from "../../lib/format";
import { caseTiming } from "./timing";

/** Created, open duration, time in progress, time to close; running figures tick each minute. */
export function CaseTiming({ current }: { current: Case }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (current.status === "closed") return;
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, [current.status]);
  const t = caseTiming(current, now);
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
