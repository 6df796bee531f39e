import { useState } from "react";
import type { Case } from "../../lib/api/bindings";
import { isSafeExternalUrl, openExternal } from "../../lib/external";
import { formatDateTime } from "../../lib/format";
import { needsPush } from "../cases/ExternalIncident";

/** Where the case was pushed, with a link that opens in the system browser. */
export function ExternalIncident({ current }: { current: Case }) {
  const [failed, setFailed] = useState<string | null>(null);
  const ext = current.external_service;
  if (!ext) return <p className="muted">Not pushed to an incident system yet.</p>;
  const stale = needsPush(current);
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
      <p className={stale ? "badge warning" : "badge ok"}>{stale ? "Requires update" : "Up to date"}</p>
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
