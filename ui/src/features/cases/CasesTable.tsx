import { useEffect, useMemo, useRef, useState, type Dispatch, type RefObject } from "react";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type OnChangeFn,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { SortableHeader } from "../../components/SortableHeader";
import type { Case, CustomFieldDefinition, User } from "../../lib/api/bindings";
import { formatCount } from "../../lib/format";
import { MAX_DOCS_PER_PAGE } from "../../lib/limits";
import { caseColumns } from "./caseColumns";
import { COLUMN_WIDTH, CUSTOM_COLUMN_WIDTH, NAME_MIN_WIDTH, columnsToDrop } from "./columnFit";
import { CUSTOM_FIELD_PREFIX, columnVisibility, type ColumnPrefs } from "./columnPrefs";
import { SORT_LABEL } from "../../components/labels";
import type { Notice } from "./useBulkActions";
import { PER_PAGE_OPTIONS, effectiveSort, maxPage, type CasesTableState, type TableAction } from "./tableState";

type Props = {
  cases: Case[];
  state: CasesTableState;
  dispatch: Dispatch<TableAction>;
  busy: boolean;
  customFields: CustomFieldDefinition[];
  /** Known people by username: assignees show as their names. */
  users: ReadonlyMap<string, User>;
  columnPrefs: ColumnPrefs;
  selection: RowSelectionState;
  onSelectionChange: OnChangeFn<RowSelectionState>;
  notify: (n: Notice) => void;
  /** Told which shown columns were hidden to fit the width (for the Columns menu). */
  onFitted?: (dropped: string[]) => void;
};

/** The element's inner width, following resizes; 0 until measured (and where nothing is laid out). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** The page of cases the core returned; sorting and paging happen in the core. */
export function CasesTable({
  cases,
  state,
  dispatch,
  busy,
  customFields,
  users,
  columnPrefs,
  selection,
  onSelectionChange,
  notify,
  onFitted,
}: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useWidth(wrapRef);
  const shown = effectiveSort(state);
  const sorting: SortingState = useMemo(
    () => (shown.field === "relevance" ? [] : [{ id: shown.field, desc: shown.order === "desc" }]),
    [shown.field, shown.order],
  );
  const columns = useMemo(() => caseColumns(customFields), [customFields]);
  const visibility = columnVisibility(
    columns.map((c) => c.id!).filter((id) => id !== "select" && id !== "actions"),
    columnPrefs,
    state,
  );
  const shownColumns = ["select", "actions", ...Object.keys(visibility).filter((id) => id !== "title" && visibility[id])];
  const dropped = width > 0 ? columnsToDrop(shownColumns, columnPrefs, width) : [];
  for (const id of dropped) visibility[id] = false;
  const minWidth = shownColumns
    .filter((id) => !dropped.includes(id))
    .reduce((sum, id) => sum + (id.startsWith(CUSTOM_FIELD_PREFIX) ? CUSTOM_COLUMN_WIDTH : (COLUMN_WIDTH[id] ?? 0)), NAME_MIN_WIDTH);
  const droppedKey = dropped.join(",");
  useEffect(() => onFitted?.(droppedKey === "" ? [] : droppedKey.split(",")), [droppedKey, onFitted]);

  const table = useReactTable({
    data: cases,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (c) => c.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    enableRowSelection: true,
    onRowSelectionChange: onSelectionChange,
    meta: { notify, users },
    state: { sorting, columnVisibility: visibility, rowSelection: selection },
  });

  return (
    <div className="table-wrap" aria-busy={busy} ref={wrapRef}>
      {busy && <div className="progress" role="progressbar" aria-label="Loading cases" />}
      <table className="cases-table" style={{ minWidth }}>
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const meta = h.column.columnDef.meta;
                const field = meta?.sortField;
                const dir = h.column.getIsSorted();
                return (
                  <SortableHeader
                    key={h.id}
                    dir={dir}
                    className={meta?.className}
                    sort={field ? { title: `Sort by ${SORT_LABEL[field].toLowerCase()}`, onClick: () => dispatch({ type: "sort", field }) } : undefined}
                  >
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </SortableHeader>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-case-id={row.id} className={row.getIsSelected() ? "selected" : undefined}>
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
