import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { StatusSyncReport } from "../../../lib/api/bindings";
import { ApiError, syncAlertStatuses } from "../../../lib/api/client";
import { formatCount } from "../../../lib/format";

const statuses = (n: number) => `${formatCount(n)} alert ${n === 1 ? "status" : "statuses"}`;

/**
 * Alerts attached from Elasticsearch whose new status (the case's, with Sync alerts on) has not
 * reached the cluster yet. The app sends them by itself every 30 s; "Send now" does not wait.
 */
export function StatusSyncNotice({ pending }: { pending: number }) {
  const queryClient = useQueryClient();
  const sync = useMutation({
    mutationFn: syncAlertStatuses,
    // Every space's alerts may have changed "sync pending".
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["cases"] }),
  });
  if (pending === 0 && sync.isIdle) return null;
  return (
    <div className="sync-notice" role="region" aria-label="Alert status sync">
      {pending > 0 && (
        <div className="sync-notice-line">
          <p>
            {statuses(pending)} {pending === 1 ? "waits" : "wait"} to be sent to Elasticsearch.{" "}
            <span className="hint">Casebook sends them every 30 seconds; Send now sends those of every case at once.</span>
          </p>
          <button type="button" className="button small" disabled={sync.isPending} onClick={() => sync.mutate()}>
            {sync.isPending ? "Sending…" : "Send now"}
          </button>
        </div>
      )}
      {sync.isSuccess && <SyncResult report={sync.data} onDismiss={sync.reset} />}
      {sync.isError && (
        <div className="form-error sync-result" role="alert">
          <p>
            <strong>The statuses were not sent.</strong> {ApiError.from(sync.error).message}
          </p>
          <button type="button" className="button small" onClick={sync.reset}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

function SyncResult({ report, onDismiss }: { report: StatusSyncReport; onDismiss: () => void }) {
  const failed = report.errors.length > 0 || report.waiting > 0;
  const sent =
    report.updated > 0 ? `${statuses(report.updated)} sent to Elasticsearch.` : failed ? "Nothing was sent." : "Nothing was waiting.";
  return (
    <div className={failed ? "form-error sync-result" : "sync-result sync-ok"} role={failed ? "alert" : "status"}>
      <div>
        <p>
          {failed ? sent : `✓ ${sent}`}
          {report.waiting > 0 && ` ${statuses(report.waiting)} still ${report.waiting === 1 ? "waits" : "wait"}.`}
        </p>
        {report.errors.length > 0 && (
          <ul className="sync-errors" aria-label="Why statuses were not sent">
            {report.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="button small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
