import { useMemo, type Dispatch } from "react";
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import type { Case, SortField } from "../../lib/api/bindings";
import { formatCount, formatDateTime, splitDateTime } from "../../lib/format";
import { MAX_DOCS_PER_PAGE } from "../../lib/limits";
import { SeverityBadge, StatusBadge } from "./Badges";
import { SORT_LABEL } from "./labels";
import { PER_PAGE_OPTIONS, effectiveSort, maxPage, type CasesTableState, type TableAction } from "./tableState";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    /** The core's sort field for a sortable column. */
    sortField?: SortField;
    className?: string;
  }
}

const col = createColumnHelper<Case>();

function Chips({ items, max, className }: { items: string[]; max: number; className: string }) {
  if (items.length === 0) return <span className="muted">—</span>;
  const shown = items.slice(0, max);
  return (
    <span className="chips" title={items.join(", ")}>
      {shown.map((t) => (
        <span key={t} className={`chip ${className}`}>
          {t}
        </span>
      ))}
      {items.length > max && <span className="chip chip-more">+{items.length - max}</span>}
    </span>
  );
}

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">—</span>;
  const parts = splitDateTime(iso);
  if (!parts) return <>{iso}</>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="when">
      <span>{parts.date}</span>
      <span className="muted">{parts.time}</span>
    </time>
  );
}

const columns = [
  col.accessor("title", {
    id: "title",
    header: "Name",
    meta: { sortField: "title", className: "col-name" },
    cell: ({ row }) => {
      const c = row.original;
      return (
        <div className="case-name">
          <span className="case-title" title={c.title}>
            {c.title}
          </span>
          {c.incremental_id !== null ? (
            <span className="case-number">#{c.incremental_id}</span>
          ) : (
            <span className="case-number pending" title="Numbers are given shortly after a case is created">
              ID pending
            </span>
          )}
        </div>
      );
    },
  }),
  col.accessor((c) => c.assignees.map((a) => a.uid), {
    id: "assignees",
    header: "Assignees",
    meta: { className: "col-assignees" },
    cell: (info) => <Chips items={info.getValue()} max={2} className="chip-user" />,
  }),
  col.accessor("tags", {
    header: "Tags",
    meta: { className: "col-tags" },
    cell: (info) => <Chips items={info.getValue()} max={4} className="chip-tag" />,
  }),
  col.accessor("total_alerts", {
    header: "Alerts",
    meta: { className: "col-num" },
    cell: (info) => formatCount(info.getValue()),
  }),
  col.accessor("total_comment", {
    header: "Comments",
    meta: { className: "col-num" },
    cell: (info) => formatCount(info.getValue()),
  }),
  col.accessor("category", {
    header: "Category",
    meta: { sortField: "category", className: "col-category" },
    cell: (info) => info.getValue() ?? <span className="muted">—</span>,
  }),
  col.accessor("created_at", {
    header: "Created on",
    meta: { sortField: "created_at", className: "col-date" },
    cell: (info) => <When iso={info.getValue()} />,
  }),
  col.accessor("updated_at", {
    header: "Updated on",
    meta: { sortField: "updated_at", className: "col-date" },
    cell: (info) => <When iso={info.getValue()} />,
  }),
  col.accessor("closed_at", {
    header: "Closed on",
    meta: { sortField: "closed_at", className: "col-date" },
    cell: (info) => <When iso={info.getValue()} />,
  }),
  col.accessor("status", {
    header: "Status",
    meta: { sortField: "status", className: "col-status" },
    cell: (info) => <StatusBadge status={info.getValue()} />,
  }),
  col.accessor("severity", {
    header: "Severity",
    meta: { sortField: "severity", className: "col-severity" },
    cell: (info) => <SeverityBadge severity={info.getValue()} />,
  }),
];

type Props = {
  cases: Case[];
  state: CasesTableState;
  dispatch: Dispatch<TableAction>;
  busy: boolean;
};

/** The page of cases the core returned; sorting and paging happen in the core. */
export function CasesTable({ cases, state, dispatch, busy }: Props) {
  const shown = effectiveSort(state);
  const sorting: SortingState = useMemo(
    () => (shown.field === "relevance" ? [] : [{ id: shown.field, desc: shown.order === "desc" }]),
    [shown.field, shown.order],
  );
  // "Closed on" (off by default in Kibana) appears when it matters.
  const columnVisibility: VisibilityState = {
    closed_at: state.sortField === "closed_at" || (state.status.length === 1 && state.status[0] === "closed"),
  };

  const table = useReactTable({
    data: cases,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (c) => c.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility },
  });

  return (
    <div className="table-wrap" aria-busy={busy}>
      {busy && <div className="progress" role="progressbar" aria-label="Loading cases" />}
      <table className="cases-table">
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const meta = h.column.columnDef.meta;
                const field = meta?.sortField;
                const dir = h.column.getIsSorted();
                return (
                  <th
                    key={h.id}
                    scope="col"
                    className={meta?.className}
                    aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
                  >
                    {field ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => dispatch({ type: "sort", field })}
                        title={`Sort by ${SORT_LABEL[field].toLowerCase()}`}
                      >
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className={`sort-arrow ${dir ? "active" : ""}`} aria-hidden="true">
                          {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-case-id={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cell.column.columnDef.meta?.className}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "1–25 of 312", rows per page, previous / next. */
export function Pagination({
  state,
  dispatch,
  total,
}: {
  state: CasesTableState;
  dispatch: Dispatch<TableAction>;
  total: number;
}) {
  const reachable = Math.min(total, MAX_DOCS_PER_PAGE);
  const pages = Math.max(1, Math.min(Math.ceil(reachable / state.perPage), maxPage(state.perPage)));
  const page = Math.min(state.page, pages);
  const first = total === 0 ? 0 : (page - 1) * state.perPage + 1;
  const last = Math.min(page * state.perPage, reachable);
  return (
    <nav className="pagination" aria-label="Pages">
      <label className="per-page">
        Rows per page
        <select value={state.perPage} onChange={(e) => dispatch({ type: "perPage", perPage: Number(e.target.value) })}>
          {PER_PAGE_OPTIONS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <span className="range" aria-live="polite">
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </span>
      {total > MAX_DOCS_PER_PAGE && (
        <span className="hint">Only the first {formatCount(MAX_DOCS_PER_PAGE)} can be paged through; narrow the filters to see the rest.</span>
      )}
      <span className="pager">
        <button type="button" className="button" disabled={page <= 1} onClick={() => dispatch({ type: "page", page: 1 })} aria-label="First page">
          «
        </button>
        <button type="button" className="button" disabled={page <= 1} onClick={() => dispatch({ type: "page", page: page - 1 })}>
          ‹ Previous
        </button>
        <span className="page-of">
          Page {formatCount(page)} of {formatCount(pages)}
        </span>
        <button type="button" className="button" disabled={page >= pages} onClick={() => dispatch({ type: "page", page: page + 1 })}>
          Next ›
        </button>
        <button type="button" className="button" disabled={page >= pages} onClick={() => dispatch({ type: "page", page: pages })} aria-label="Last page">
          »
        </button>
      </span>
    </nav>
  );
}
