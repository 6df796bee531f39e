// The case list's filters, search, sort and page: pure functions, persisted in localStorage
// (Kibana keeps the same in `cases.list.state`).
import type { FindQuery, Severity, SortField, SortOrder, Status } from "../../lib/api/bindings";
import { MAX_CASES_PER_PAGE, MAX_DOCS_PER_PAGE } from "../../lib/limits";
import { readJson, writeJson, type KeyValueStore } from "../../lib/storage";
import { MAX_SEARCH_LENGTH } from "../../lib/search";

export const TABLE_STATE_KEY = "casebook.cases.list.state";

export const STATUSES: readonly Status[] = ["open", "in-progress", "closed"];
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];
export const SORT_FIELDS: readonly SortField[] = [
  "title", "category", "created_at", "updated_at", "closed_at", "status", "severity",
];
export const PER_PAGE_OPTIONS: readonly number[] = [10, 25, 50, 100];

export type CasesTableState = {
  search: string;
  status: Status[];
  severity: Severity[];
  /** null: the core's default (relevance when searching, else newest first). */
  sortField: SortField | null;
  sortOrder: SortOrder;
  page: number;
  perPage: number;
};

export const DEFAULT_TABLE_STATE: CasesTableState = {
  search: "",
  status: [],
  severity: [],
  sortField: null,
  sortOrder: "desc",
  page: 1,
  perPage: 25,
};

/** The last page the core will serve for `perPage` (page × per_page ≤ 10 000). */
export function maxPage(perPage: number): number {
  return Math.max(1, Math.floor(MAX_DOCS_PER_PAGE / perPage));
}

function pickAll<T extends string>(value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value)) return [];
  // Kept in the canonical order, without repeats.
  return allowed.filter((a) => value.includes(a));
}

/** Whatever was stored (old shape, hand-edited, garbage) → a valid state. */
export function sanitizeTableState(raw: unknown): CasesTableState {
  const d = DEFAULT_TABLE_STATE;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ...d };
  const r = raw as Record<string, unknown>;
  const perPage = PER_PAGE_OPTIONS.includes(r.perPage as number) ? (r.perPage as number) : d.perPage;
  const page =
    typeof r.page === "number" && Number.isInteger(r.page) && r.page >= 1 ? Math.min(r.page, maxPage(perPage)) : 1;
  return {
    search: typeof r.search === "string" ? r.search.slice(0, MAX_SEARCH_LENGTH) : d.search,
    status: pickAll(r.status, STATUSES),
    severity: pickAll(r.severity, SEVERITIES),
    sortField: SORT_FIELDS.includes(r.sortField as SortField) ? (r.sortField as SortField) : null,
    sortOrder: r.sortOrder === "asc" || r.sortOrder === "desc" ? r.sortOrder : d.sortOrder,
    page,
    perPage,
  };
}

export function loadTableState(store?: KeyValueStore | null): CasesTableState {
  return sanitizeTableState(store === undefined ? readJson(TABLE_STATE_KEY) : readJson(TABLE_STATE_KEY, store));
}

export function saveTableState(state: CasesTableState, store?: KeyValueStore | null): void {
  if (store === undefined) writeJson(TABLE_STATE_KEY, state);
  else writeJson(TABLE_STATE_KEY, state, store);
}

export type TableAction =
  | { type: "search"; search: string }
  | { type: "toggleStatus"; status: Status }
  | { type: "toggleSeverity"; severity: Severity }
  | { type: "sort"; field: SortField }
  | { type: "resetSort" }
  | { type: "page"; page: number }
  | { type: "perPage"; perPage: number }
  | { type: "clearFilters" };

/** The order a column sorts in on its first click. */
export function firstSortOrder(field: SortField): SortOrder {
  return field === "title" || field === "category" ? "asc" : "desc";
}

function toggle<T>(list: T[], item: T, canonical: readonly T[]): T[] {
  const next = list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
  return canonical.filter((c) => next.includes(c));
}

/** Any change of what is listed goes back to page 1. */
export function tableReducer(state: CasesTableState, action: TableAction): CasesTableState {
  switch (action.type) {
    case "search": {
      const search = action.search.slice(0, MAX_SEARCH_LENGTH);
      return search === state.search ? state : { ...state, search, page: 1 };
    }
    case "toggleStatus":
      return { ...state, status: toggle(state.status, action.status, STATUSES), page: 1 };
    case "toggleSeverity":
      return { ...state, severity: toggle(state.severity, action.severity, SEVERITIES), page: 1 };
    case "sort": {
      const shown = effectiveSort(state);
      const sortOrder =
        shown.field === action.field ? (shown.order === "asc" ? "desc" : "asc") : firstSortOrder(action.field);
      return { ...state, sortField: action.field, sortOrder, page: 1 };
    }
    case "resetSort":
      return { ...state, sortField: null, sortOrder: "desc", page: 1 };
    case "page":
      return { ...state, page: Math.min(Math.max(1, Math.floor(action.page)), maxPage(state.perPage)) };
    case "perPage": {
      if (!PER_PAGE_OPTIONS.includes(action.perPage)) return state;
      // Keep the first case of the current page in view.
      const first = (state.page - 1) * state.perPage;
      const page = Math.min(Math.floor(first / action.perPage) + 1, maxPage(action.perPage));
      return { ...state, perPage: action.perPage, page };
    }
    case "clearFilters":
      return { ...state, search: "", status: [], severity: [], page: 1 };
  }
}

export function hasFilters(state: CasesTableState): boolean {
  return state.search.trim() !== "" || state.status.length > 0 || state.severity.length > 0;
}

/** The core's query for this state. */
export function toFindQuery(space: string, state: CasesTableState): FindQuery {
  const perPage = Math.min(state.perPage, MAX_CASES_PER_PAGE);
  const q: FindQuery = {
    space,
    status: [...state.status],
    severity: [...state.severity],
    tags: [],
    assignees: [],
    reporters: [],
    category: [],
    custom_toggles: [],
    sort_order: state.sortOrder,
    page: Math.min(state.page, maxPage(perPage)),
    per_page: perPage,
  };
  const search = state.search.trim();
  if (search) q.search = search;
  if (state.sortField) q.sort_field = state.sortField;
  return q;
}

/** The sort the list is shown in, for header arrows (the core's default when none is set). */
export function effectiveSort(state: CasesTableState): { field: SortField | "relevance"; order: SortOrder } {
  if (state.sortField) return { field: state.sortField, order: state.sortOrder };
  if (state.search.trim()) return { field: "relevance", order: "desc" };
  return { field: "created_at", order: state.sortOrder };
}
