import { useState } from "react";
import type { Case } from "../../lib/api/bindings";
import { isSafeExternalUrl, openExternal } from "../../lib/external";
import { formatDateTime } from "../../lib/format";

/** Where the case was pushed, with a link that opens in the system browser, and the core's push state. */
export function ExternalIncident({ current }: { current: Case }) {
  const [failed, setFailed] = useState<string | null>(null);
  const ext = current.external_service;
  if (!ext) return <p className="muted">Not pushed to an incident system yet.</p>;
  const open = () => openExternal(ext.external_url).catch((e: unknown) => setFailed(String(e)));
  return (
    <div className="case-external">
      <p>
        {isSafeExternalUrl(ext.external_url) ? (
          <button type="button" className="link-button" onClick={() => void open()} title={ext.external_url}>
            {ext.external_title} ↗
          </button>
        ) : (
          <span>{ext.external_title}</span>
        )}{" "}
        <span className="hint">in {ext.connector_name}</span>
      </p>
      {/* not_pushed with a ticket: the case now has another connector; the badge would mislead. */}
      {current.push_state === "requires_update" && <p className="badge warning">Requires update</p>}
      {current.push_state === "up_to_date" && <p className="badge ok">Up to date</p>}
      <p className="hint">
        Pushed {formatDateTime(ext.pushed_at)} by {ext.pushed_by.full_name ?? ext.pushed_by.username}
      </p>
      {failed && (
        <p className="field-error" role="alert">
          Could not open the link: {failed}
        </p>
      )}
    </div>
  );
}
