import type { ReactNode } from "react";

/** A table column heading; a sortable one is a button with its direction shown and announced. */
export function SortableHeader({
  dir,
  className,
  sort,
  children,
}: {
  /** The column's current sort direction, or false/null when the table is sorted by another. */
  dir: "asc" | "desc" | false | null;
  className?: string;
  /** How to sort by this column; absent for a column that cannot be sorted. */
  sort?: { title: string; onClick: () => void };
  children: ReactNode;
}) {
  return (
    <th
      scope="col"
      className={className}
      aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}
    >
      {sort ? (
        <button type="button" className="sort-button" onClick={sort.onClick} title={sort.title}>
          {children}
          <span className={`sort-arrow ${dir ? "active" : ""}`} aria-hidden="true">
            {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
          </span>
        </button>
      ) : (
        children
      )}
    </th>
  );
}
