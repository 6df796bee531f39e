import { useMemo, type Dispatch, type MouseEvent } from "react";
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type OnChangeFn,
  type Row,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { SortableHeader } from "../../../components/SortableHeader";
import type { CaseAlert } from "../../../lib/api/bindings";
import { formatCount } from "../../../lib/format";
import { alertColumns } from "./alertColumns";
import { ALERT_SORT_LABEL, NO_RULE, type AlertsView, type ViewAction } from "./alertsView";

type Props = {
  alerts: CaseAlert[];
  view: AlertsView;
  dispatch: Dispatch<ViewAction>;
  busy: boolean;
  /** Alerts per rule name in the whole case, for the group headers. */
  ruleCounts: Map<string | null, number>;
  selection: RowSelectionState;
  onSelectionChange: OnChangeFn<RowSelectionState>;
  /** The alert whose details are open. */
  openId: string | null;
  onOpen: (id: string) => void;
};

/** Consecutive rows with the same rule name: the page's part of each rule group. */
function groupRows(rows: Row<CaseAlert>[]): { rule: string | null; rows: Row<CaseAlert>[] }[] {
  const groups: { rule: string | null; rows: Row<CaseAlert>[] }[] = [];
  for (const row of rows) {
    const rule = row.original.rule_name;
    const last = groups[groups.length - 1];
    if (last && last.rule === rule) last.rows.push(row);
    else groups.push({ rule, rows: [row] });
  }
  return groups;
}

/**
 * The page of alerts the core returned. Sorted by rule ("Group by rule") a header row opens each
 * rule's alerts with the rule's count in the case, and the rows leave the rule out; other sorts
 * show a flat list with a Rule column.
 */
export function AlertsTable({ alerts, view, dispatch, busy, ruleCounts, selection, onSelectionChange, openId, onOpen }: Props) {
  const columns = useMemo(() => alertColumns(onOpen), [onOpen]);
  const sorting: SortingState = useMemo(() => [{ id: view.sort, desc: view.order === "desc" }], [view.sort, view.order]);
  const grouped = view.sort === "rule";
  // Grouped, each group's header names the rule: a Rule column would repeat it on every row.
  const columnVisibility = useMemo(() => ({ rule: !grouped }), [grouped]);
  const table = useReactTable({
    data: alerts,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (a) => a.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableRowSelection: true,
    onRowSelectionChange: onSelectionChange,
    state: { sorting, rowSelection: selection, columnVisibility },
  });
  const width = table.getVisibleLeafColumns().length;
  const rows = table.getRowModel().rows;

  // A click anywhere on a row opens it; the checkbox and buttons keep their own meaning.
  const onRowClick = (e: MouseEvent<HTMLTableRowElement>, id: string) => {
    if ((e.target as HTMLElement).closest("input, button, a, label")) return;
    onOpen(id);
  };

  const renderRow = (row: Row<CaseAlert>) => (
    <tr
      key={row.id}
      className={[row.getIsSelected() ? "selected" : "", row.id === openId ? "active" : ""].join(" ").trim() || undefined}
      onClick={(e) => onRowClick(e, row.id)}
    >
      {row.getVisibleCells().map((cell) => (
        <td key={cell.id} className={cell.column.columnDef.meta?.className}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
    </tr>
  );

  return (
    <div className="table-wrap alerts-table-wrap" aria-busy={busy}>
      {busy && <div className="progress" role="progressbar" aria-label="Loading alerts" />}
      <table className="alerts-table" aria-label="Alerts of this case">
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => {
                const meta = h.column.columnDef.meta;
                const field = meta?.alertSort;
                const dir = field === view.sort ? view.order : null;
                return (
                  <SortableHeader
                    key={h.id}
                    dir={dir}
                    className={meta?.className}
                    sort={field ? { title: field === "rule" ? "Group by rule" : `Sort by ${ALERT_SORT_LABEL[field].toLowerCase()}`, onClick: () => dispatch({ type: "sort", field }) } : undefined}
                  >
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </SortableHeader>
                );
              })}
            </tr>
          ))}
        </thead>
        {grouped ? (
          groupRows(rows).map((g, i) => {
            const n = ruleCounts.get(g.rule);
            return (
              <tbody key={`${i}-${g.rule ?? ""}`} className="alert-group">
                <tr className="alert-group-row">
                  <th scope="rowgroup" colSpan={width}>
                    <span className="alert-group-rule">{g.rule ?? NO_RULE}</span>
                    {n !== undefined && (
                      <span className="muted">
                        {" "}
                        · {formatCount(n)} {n === 1 ? "alert" : "alerts"}
                      </span>
                    )}
                  </th>
                </tr>
                {g.rows.map(renderRow)}
              </tbody>
            );
          })
        ) : (
          <tbody>{rows.map(renderRow)}</tbody>
        )}
      </table>
    </div>
  );
}
