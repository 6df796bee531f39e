import type { Case } from "../../lib/api/bindings";
import { isSafeExternalUrl, openExternal } from "../../lib/external";
import { formatDateTime } from "../../lib/format";
import type { Notice } from "./useBulkActions";

/** Whether the case changed after it was last pushed (Kibana: updatedAt > pushedAt). */
export function needsPush(c: Case): boolean {
  const ext = c.external_service;
  if (!ext || !c.updated_at) return false;
  return Date.parse(c.updated_at) > Date.parse(ext.pushed_at);
}

/** The ticket a case was pushed to, opened in the system browser (the window never navigates). */
export function ExternalIncident({ c, notify }: { c: Case; notify: (n: Notice) => void }) {
  const ext = c.external_service;
  if (!ext) return <span className="muted">Not pushed</span>;
  const title = ext.external_title || ext.external_id;
  const stale = needsPush(c);
  return (
    <div className="external-incident">
      {isSafeExternalUrl(ext.external_url) ? (
        <button
          type="button"
          className="link-button external-link"
          title={`${ext.connector_name}: ${ext.external_url} — opens in your browser`}
          onClick={() =>
            openExternal(ext.external_url).catch((err: unknown) =>
              notify({ kind: "error", text: `Could not open ${ext.external_url}: ${err instanceof Error ? err.message : String(err)}` }),
            )
          }
        >
          {title}
        </button>
      ) : (
        <span title={ext.external_url}>{title}</span>
      )}
      <span className={stale ? "push-state stale" : "push-state"} title={`Pushed ${formatDateTime(ext.pushed_at)}`}>
        {stale ? "Requires update" : "Up to date"}
      </span>
    </div>
  );
}
