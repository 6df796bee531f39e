import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { AlertDetail, AlertField } from "../../../lib/api/bindings";
import { ApiError, getAlert } from "../../../lib/api/client";
import { formatCount, formatDateTime } from "../../../lib/format";
import { queryKeys } from "../../../lib/queryKeys";
import { Dialog } from "../../../components/Dialog";
import { userLabel } from "../../../components/AssigneesInput";
import { SeverityBadge } from "../../../components/Badges";
import { WorkflowBadge } from "./alertColumns";
import { NO_RULE } from "./alertsView";

type Props = {
  space: string;
  caseId: string;
  alertId: string;
  onClose: () => void;
};

/** The fields whose name or a value holds `text` (case-insensitive). */
export function filterFields(fields: readonly AlertField[], text: string): AlertField[] {
  const q = text.trim().toLowerCase();
  if (q === "") return [...fields];
  return fields.filter((f) => f.field.toLowerCase().includes(q) || f.values.some((v) => String(v).toLowerCase().includes(q)));
}

/**
 * One alert, as Kibana's alert flyout: a summary, then every field of the original document
 * (filterable), or the document itself as JSON.
 */
export function AlertDetailPanel({ space, caseId, alertId, onClose }: Props) {
  const detail = useQuery({ queryKey: queryKeys.alert(space, caseId, alertId), queryFn: () => getAlert(caseId, alertId) });
  return (
    <Dialog title="Alert details" onClose={onClose} className="dialog-flyout alert-detail">
      {detail.isPending ? (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading the alert…
        </p>
      ) : detail.isError ? (
        <p className="form-error" role="alert">
          The alert could not be loaded: {ApiError.from(detail.error).message}
        </p>
      ) : (
        <AlertDetailBody detail={detail.data} />
      )}
    </Dialog>
  );
}

function AlertDetailBody({ detail }: { detail: AlertDetail }) {
  const [search, setSearch] = useState("");
  const [json, setJson] = useState(false);
  const a = detail.alert;
  const shown = useMemo(() => filterFields(detail.fields, search), [detail.fields, search]);
  const pretty = useMemo(() => (json ? JSON.stringify(detail.document, null, 2) : ""), [json, detail.document]);

  return (
    <div className="alert-detail-body">
      <h3 className="alert-detail-rule">{a.rule_name ?? NO_RULE}</h3>
      {a.reason && <p className="alert-reason">{a.reason}</p>}
      <dl className="alert-summary">
        <div>
          <dt>Severity</dt>
          <dd>{a.severity ? <SeverityBadge severity={a.severity} /> : "—"}</dd>
        </div>
        <div>
          <dt>Risk score</dt>
          <dd>{a.risk_score ?? "—"}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd title="When the alert was raised (@timestamp)">{formatDateTime(a["@timestamp"])}</dd>
        </div>
        <div>
          <dt>Event time</dt>
          <dd title="When the source event happened (kibana.alert.original_time)">{formatDateTime(a.original_time)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <WorkflowBadge alert={a} />
          </dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd>{a.host ?? "—"}</dd>
        </div>
        <div>
          <dt>User</dt>
          <dd>{a.user ?? "—"}</dd>
        </div>
        <div>
          <dt>Alert ID</dt>
          <dd className="mono">{a.id}</dd>
        </div>
        <div>
          <dt>Index</dt>
          <dd className="mono">{a.index ?? "—"}</dd>
        </div>
        <div>
          <dt>Attached</dt>
          <dd>
            {formatDateTime(a.attached_at)} by {userLabel(a.attached_by, a.attached_by.username)}
            {a.origin === "elasticsearch" ? " from Elasticsearch" : " from a file"}
          </dd>
        </div>
      </dl>

      <div className="alert-detail-toolbar">
        <div className="segmented" role="group" aria-label="Show the alert as">
          <button type="button" className="segment" aria-pressed={!json} onClick={() => setJson(false)}>
            Fields
          </button>
          <button type="button" className="segment" aria-pressed={json} onClick={() => setJson(true)}>
            JSON
          </button>
        </div>
        {!json && (
          <>
            <input
              type="search"
              className="field-search"
              aria-label="Filter fields"
              placeholder="Filter by field name or value"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <span className="hint" aria-live="polite">
              {shown.length === detail.fields.length
                ? `${formatCount(detail.fields.length)} fields`
                : `${formatCount(shown.length)} of ${formatCount(detail.fields.length)} fields`}
            </span>
          </>
        )}
      </div>

      {json ? (
        <pre className="alert-json" aria-label="The alert document as JSON" tabIndex={0}>
          {pretty}
        </pre>
      ) : shown.length === 0 ? (
        <p className="muted">No field name or value contains “{search.trim()}”.</p>
      ) : (
        <table className="alert-fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.field}>
                <th scope="row" className="mono">
                  {f.field}
                </th>
                <td>
                  {f.values.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    f.values.map((v, i) => (
                      <div key={i} className="field-value">
                        {String(v)}
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
