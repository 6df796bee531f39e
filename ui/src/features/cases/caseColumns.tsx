// The case list's columns: what each cell shows. Sorting and paging happen in the core.
import { useEffect, useRef, type MouseEvent } from "react";
import { createColumnHelper, type ColumnDef, type Table } from "@tanstack/react-table";
import { PendingId } from "../../components/CaseNumber";
import { AvatarGroup } from "../../components/Avatar";
import type { Case, CustomFieldDefinition, SortField, User } from "../../lib/api/bindings";
import { formatCount, formatDateTime, formatShortDateTime } from "../../lib/format";
import { navigate, routeHref } from "../../lib/route";
import { SeverityBadge, StatusBadge } from "../../components/Badges";
import { customFieldColumnId } from "./columnPrefs";
import { COLUMN_WIDTH } from "./columnFit";
import { ExternalIncident } from "./ExternalIncident";
import { COLUMN_LABEL } from "../../components/labels";
import { RowActions } from "./RowActions";
import type { Notice } from "./useBulkActions";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    /** The core's sort field for a sortable column. */
    sortField?: SortField;
    className?: string;
  }
  interface TableMeta<TData> {
    notify: (n: Notice) => void;
    /** Known people by username. */
    users: ReadonlyMap<string, User>;
  }
}

const col = createColumnHelper<Case>();

/** A chip's width in px at the table's 12 px font: padding and border, about 6.6 px a letter. */
function chipWidth(text: string): number {
  return 16 + Math.ceil(text.length * 6.6);
}
const CHIP_GAP = 4;

/**
 * How many of `items` to show: at most `max` chips, the "+N" counting as one, and with `room`
 * (px) only as many whole chips as fit beside the "+N", so chips are not all cut to "v…" while
 * the first one is always there (cut with "…" if it alone is too long).
 */
export function chipsShown(items: readonly string[], max: number, room?: number): number {
  const limit = items.length <= max ? items.length : max - 1;
  if (room === undefined || limit <= 1) return limit;
  const more = (rest: number) => (rest > 0 ? CHIP_GAP + chipWidth(`+${rest}`) : 0);
  let n = 1;
  let used = chipWidth(items[0]);
  while (n < limit && used + CHIP_GAP + chipWidth(items[n]) + more(items.length - n - 1) <= room) {
    used += CHIP_GAP + chipWidth(items[n]);
    n += 1;
  }
  return n;
}

/**
 * Chips on one line (see [`chipsShown`]), the "+N" never the part cut off; every item is in
 * the tooltip.
 */
export function Chips({ items, max, room, className }: { items: string[]; max: number; room?: number; className: string }) {
  if (items.length === 0) return <span className="muted">—</span>;
  const shown = items.slice(0, chipsShown(items, max, room));
  return (
    <span className="chips" title={items.join(", ")}>
      {shown.map((t) => (
        <span key={t} className={`chip ${className}`}>
          {t}
        </span>
      ))}
      {shown.length < items.length && <span className="chip chip-more">+{items.length - shown.length}</span>}
    </span>
  );
}

/** One short line ("2:05 PM" today, "Dec 7", "Dec 7, 2025"); the full date and time on hover. */
function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="when">
      {formatShortDateTime(iso)}
    </time>
  );
}

/** A checkbox whose "some rows" state is shown as a dash. */
function Checkbox({ checked, indeterminate, onChange, label }: { checked: boolean; indeterminate?: boolean; onChange: () => void; label: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = !!indeterminate;
  }, [indeterminate]);
  return <input ref={ref} type="checkbox" className="row-check" checked={checked} onChange={onChange} aria-label={label} />;
}

/** The title opens the case in this window (a hash route, so no page load). */
function CaseName({ c }: { c: Case }) {
  const open = (e: MouseEvent) => {
    e.preventDefault();
    navigate({ page: "case", id: c.id });
  };
  return (
    <div className="case-name">
      <a className="case-title" href={routeHref({ page: "case", id: c.id })} title={c.title} onClick={open} onAuxClick={(e) => e.preventDefault()}>
        {c.title}
      </a>
      {c.incremental_id !== null ? (
        <span className="case-number">#{c.incremental_id}</span>
      ) : (
        <PendingId />
      )}
    </div>
  );
}

function customValue(c: Case, key: string): Case["custom_fields"][number]["value"] | undefined {
  return c.custom_fields.find((f) => f.key === key)?.value;
}

function CustomFieldCell({ c, def }: { c: Case; def: CustomFieldDefinition }) {
  const v = customValue(c, def.key);
  if (def.type === "toggle") return <>{v === true ? "On" : "Off"}</>;
  if (v === null || v === undefined || v === "") return <span className="muted">—</span>;
  return <span title={String(v)}>{typeof v === "number" ? formatCount(v) : String(v)}</span>;
}

function selectColumn(): ColumnDef<Case, unknown> {
  return {
    id: "select",
    meta: { className: "col-select" },
    enableHiding: false,
    header: ({ table }: { table: Table<Case> }) => (
      <Checkbox
        label="Select all cases on this page"
        checked={table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={() => table.toggleAllPageRowsSelected(!table.getIsAllPageRowsSelected())}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        label={`Select ${row.original.incremental_id !== null ? `case #${row.original.incremental_id}` : `“${row.original.title}”`}`}
        checked={row.getIsSelected()}
        onChange={() => row.toggleSelected()}
      />
    ),
  };
}

/** Every column, custom fields (off by default) before Status/Severity like Kibana. */
export function caseColumns(customFields: readonly CustomFieldDefinition[]): ColumnDef<Case, unknown>[] {
  const L = COLUMN_LABEL;
  const cols = [
    selectColumn(),
    col.accessor("title", {
      id: "title",
      header: L.title,
      enableHiding: false,
      meta: { sortField: "title", className: "col-name" },
      cell: ({ row }) => <CaseName c={row.original} />,
    }),
    col.accessor((c) => c.assignees.map((a) => a.uid), {
      id: "assignees",
      header: L.assignees,
      meta: { className: "col-assignees" },
      cell: (info) => <AvatarGroup usernames={info.getValue()} users={info.table.options.meta!.users} max={3} />,
    }),
    col.accessor("tags", {
      id: "tags",
      header: L.tags,
      meta: { className: "col-tags" },
      // The column's width less the cell's 6 px padding on each side.
      cell: (info) => <Chips items={info.getValue()} max={3} room={COLUMN_WIDTH.tags - 12} className="chip-tag" />,
    }),
    col.accessor("total_alerts", {
      id: "total_alerts",
      header: L.total_alerts,
      meta: { className: "col-num" },
      cell: (info) => formatCount(info.getValue()),
    }),
    col.accessor("total_comment", {
      id: "total_comment",
      header: L.total_comment,
      meta: { className: "col-num col-comments" },
      cell: (info) => formatCount(info.getValue()),
    }),
    col.accessor("category", {
      id: "category",
      header: L.category,
      meta: { sortField: "category", className: "col-category" },
      // The column is narrow: a clipped category stays readable on hover.
      cell: (info) => {
        const v = info.getValue();
        return v === null ? <span className="muted">—</span> : <span title={v}>{v}</span>;
      },
    }),
    col.accessor("created_at", {
      id: "created_at",
      header: L.created_at,
      meta: { sortField: "created_at", className: "col-date" },
      cell: (info) => <When iso={info.getValue()} />,
    }),
    col.accessor("updated_at", {
      id: "updated_at",
      header: L.updated_at,
      meta: { sortField: "updated_at", className: "col-date" },
      cell: (info) => <When iso={info.getValue()} />,
    }),
    col.accessor("closed_at", {
      id: "closed_at",
      header: L.closed_at,
      meta: { sortField: "closed_at", className: "col-date" },
      cell: (info) => <When iso={info.getValue()} />,
    }),
    col.display({
      id: "external_service",
      header: L.external_service,
      meta: { className: "col-external" },
      cell: ({ row, table }) => <ExternalIncident c={row.original} notify={table.options.meta!.notify} />,
    }),
    ...customFields.map((def) =>
      col.display({
        id: customFieldColumnId(def.key),
        header: def.label,
        meta: { className: "col-custom" },
        cell: ({ row }) => <CustomFieldCell c={row.original} def={def} />,
      }),
    ),
    col.accessor("status", {
      id: "status",
      header: L.status,
      meta: { sortField: "status", className: "col-status" },
      cell: (info) => <StatusBadge status={info.getValue()} />,
    }),
    col.accessor("severity", {
      id: "severity",
      header: L.severity,
      meta: { sortField: "severity", className: "col-severity" },
      cell: (info) => <SeverityBadge severity={info.getValue()} />,
    }),
    col.display({
      id: "actions",
      header: () => <span className="offscreen">Actions</span>,
      enableHiding: false,
      meta: { className: "col-actions" },
      cell: ({ row, table }) => {
        // The table scrolls sideways, so it clips what sticks out: the last rows' menus open upwards.
        const count = table.getRowModel().rows.length;
        return <RowActions c={row.original} notify={table.options.meta!.notify} up={row.index >= 1 && row.index >= count - 2} />;
      },
    }),
  ];
  return cols as ColumnDef<Case, unknown>[];
}
