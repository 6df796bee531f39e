// The alerts table's columns: what each cell shows. Sorting and paging happen in the core.
import { useEffect, useRef } from "react";
import { createColumnHelper, type ColumnDef, type Table } from "@tanstack/react-table";
import type { AlertSortField, CaseAlert } from "../../../lib/api/bindings";
import { formatCount, formatDateTime, splitDateTime } from "../../../lib/format";
import { SeverityBadge } from "../../../components/Badges";
import { NO_RULE, WORKFLOW_LABEL } from "./alertsView";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    /** The core's sort field for a sortable alerts column. */
    alertSort?: AlertSortField;
  }
}

const col = createColumnHelper<CaseAlert>();

/** A checkbox whose "some rows" state is shown as a dash. */
function Checkbox({ checked, indeterminate, onChange, label }: { checked: boolean; indeterminate?: boolean; onChange: () => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = !!indeterminate;
  }, [indeterminate]);
  return <input ref={ref} type="checkbox" className="row-check" checked={checked} onChange={onChange} aria-label={label} />;
}

/** How an alert is named to screen readers: "Brute force at 27 Nov 2026, 10:00" (when it was raised). */
export function alertName(a: CaseAlert): string {
  const at = a["@timestamp"];
  return `${a.rule_name ?? NO_RULE}${at ? ` at ${formatDateTime(at)}` : ""}`;
}

/** What the time cell says on hover: when the alert was raised, and when its event happened. */
export function timeTitle(a: CaseAlert): string {
  const raised = a["@timestamp"] ? `Alert raised ${formatDateTime(a["@timestamp"])}` : "No alert time (@timestamp)";
  return a.original_time ? `${raised}\nEvent ${formatDateTime(a.original_time)}` : raised;
}

/** The alert's time (its @timestamp, as Kibana's alerts table shows); a click opens its details. */
function TimeCell({ alert, onOpen }: { alert: CaseAlert; onOpen: (id: string) => void }) {
  const at = alert["@timestamp"];
  const parts = at ? splitDateTime(at) : null;
  return (
    <button
      type="button"
      className="link-button alert-open"
      onClick={() => onOpen(alert.id)}
      aria-label={`Details of the alert ${alertName(alert)}`}
      title={timeTitle(alert)}
    >
      {parts ? (
        <span className="when">
          <span>{parts.date}</span>
          <span className="muted">{parts.time}</span>
        </span>
      ) : (
        <span className="muted">—</span>
      )}
    </button>
  );
}

/** A text value with its full text on hover; a dash when there is none. */
export function Text({ value, className }: { value: string | null; className?: string }) {
  if (value === null || value === "") return <span className="muted">—</span>;
  return (
    <span className={className} title={value}>
      {value}
    </span>
  );
}

export function WorkflowBadge({ alert }: { alert: CaseAlert }) {
  return (
    <span className="workflow">
      <span className={`badge workflow-${alert.workflow_status}`}>{WORKFLOW_LABEL[alert.workflow_status]}</span>
      {alert.status_sync_pending && (
        <span className="hint sync-pending" title="This status has not reached Elasticsearch yet">
          sync pending
        </span>
      )}
    </span>
  );
}

/** A sortable column of one text field, clipped to a line. */
function textColumn(field: "rule_name" | "host" | "user", sort: AlertSortField, header: string, className: string) {
  return col.accessor(field, {
    id: sort,
    header,
    meta: { alertSort: sort, className },
    cell: (info) => <Text value={info.getValue()} className="clip" />,
  });
}

export function alertColumns(onOpen: (id: string) => void): ColumnDef<CaseAlert, unknown>[] {
  const cols = [
    {
      id: "select",
      meta: { className: "col-select" },
      header: ({ table }: { table: Table<CaseAlert> }) => (
        <Checkbox
          label="Select all alerts on this page"
          checked={table.getIsAllPageRowsSelected()}
          indeterminate={table.getIsSomePageRowsSelected()}
          onChange={() => table.toggleAllPageRowsSelected(!table.getIsAllPageRowsSelected())}
        />
      ),
      cell: ({ row }) => (
        <Checkbox label={`Select the alert ${alertName(row.original)}`} checked={row.getIsSelected()} onChange={() => row.toggleSelected()} />
      ),
    } as ColumnDef<CaseAlert, unknown>,
    col.accessor("@timestamp", {
      id: "time",
      header: "Time",
      meta: { alertSort: "time", className: "col-time" },
      cell: ({ row }) => <TimeCell alert={row.original} onOpen={onOpen} />,
    }),
    textColumn("rule_name", "rule", "Rule", "col-rule"),
    col.accessor("severity", {
      id: "severity",
      header: "Severity",
      meta: { alertSort: "severity", className: "col-severity" },
      cell: (info) => {
        const s = info.getValue();
        return s ? <SeverityBadge severity={s} /> : <span className="muted">—</span>;
      },
    }),
    col.accessor("risk_score", {
      id: "risk_score",
      header: "Risk score",
      meta: { alertSort: "risk_score", className: "col-risk" },
      cell: (info) => {
        const v = info.getValue();
        return v === null ? <span className="muted">—</span> : formatCount(v);
      },
    }),
    col.accessor("reason", {
      id: "reason",
      header: "Reason",
      meta: { className: "col-reason" },
      cell: (info) => <Text value={info.getValue()} className="clip-lines" />,
    }),
    textColumn("host", "host", "Host", "col-host"),
    textColumn("user", "user", "User", "col-user"),
    col.accessor("workflow_status", {
      id: "status",
      header: "Status",
      meta: { className: "col-workflow" },
      cell: ({ row }) => <WorkflowBadge alert={row.original} />,
    }),
  ];
  return cols as ColumnDef<CaseAlert, unknown>[];
}
