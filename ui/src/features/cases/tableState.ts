// The case list's filters, search, sort and page: pure functions, persisted in localStorage
// (Kibana keeps the same in `cases.list.state`).
import { SEVERITIES, STATUSES } from "../../lib/api/bindings";
import type { DateField, FindQuery, Severity, SlaFilter, SortField, SortOrder, Status } from "../../lib/api/bindings";
import {
  MAX_CASES_PER_PAGE,
  MAX_CATEGORY_LENGTH,
  MAX_CUSTOM_FIELD_KEY_LENGTH,
  MAX_DOCS_PER_PAGE,
  MAX_FILTER_VALUES,
  MAX_LENGTH_PER_TAG,
  MAX_USERNAME_LENGTH,
} from "../../lib/limits";
import { readJson, writeJson, type KeyValueStore } from "../../lib/storage";
import { MAX_SEARCH_LENGTH } from "../../lib/search";
import { rangeBounds, sanitizeDateRange, type DateRange } from "./dateRange";

export const TABLE_STATE_KEY = "casebook.cases.list.state";

// Declared once in the core (bindings.ts).
export { SEVERITIES, STATUSES };
export const SORT_FIELDS: readonly SortField[] = [
  "title", "category", "created_at", "updated_at", "closed_at", "status", "severity",
];
export const PER_PAGE_OPTIONS: readonly number[] = [10, 25, 50, 100];
/** The assignee filter's keyword for cases nobody is assigned to. */
export const NO_ASSIGNEES = "none";

/** The multi-value filters picked from lists (the core takes at most 100 values each). */
export type ListFilter = "tags" | "assignees" | "reporters" | "category";
export const LIST_FILTERS: readonly ListFilter[] = ["tags", "assignees", "reporters", "category"];
const MAX_VALUE_LENGTH: Record<ListFilter, number> = {
  tags: MAX_LENGTH_PER_TAG,
  assignees: MAX_USERNAME_LENGTH,
  reporters: MAX_USERNAME_LENGTH,
  category: MAX_CATEGORY_LENGTH,
};
const MAX_TOGGLE_KEY_LENGTH = MAX_CUSTOM_FIELD_KEY_LENGTH;

export type CasesTableState = {
  search: string;
  status: Status[];
  severity: Severity[];
  tags: string[];
  /** Usernames, or NO_ASSIGNEES. */
  assignees: string[];
  reporters: string[];
  category: string[];
  /** Custom toggle fields by key: true on, false off; absent = either. */
  toggles: Record<string, boolean>;
  /** Which time the date range bounds; kept when the range is cleared. */
  dateField: DateField;
  /** null: any time. */
  dateRange: DateRange | null;
  /** Cases past or near the space's service-level targets; null: any. */
  sla: SlaFilter | null;
  /** null: the core's default (relevance when searching, else newest first). */
  sortField: SortField | null;
  sortOrder: SortOrder;
  page: number;
  perPage: number;
};

/** The search and every filter, empty: the start state, and what "Clear filters" goes back to. */
const NO_FILTERS = {
  search: "",
  status: [],
  severity: [],
  tags: [],
  assignees: [],
  reporters: [],
  category: [],
  toggles: {},
  dateRange: null,
  sla: null,
} satisfies Partial<CasesTableState>;

export const DEFAULT_TABLE_STATE: CasesTableState = {
  ...NO_FILTERS,
  dateField: "created_at",
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

/** Distinct non-empty strings of a sane length, at most MAX_FILTER_VALUES, first seen first. */
function pickStrings(value: unknown, maxLength: number): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    if (typeof v !== "string" || v.trim() === "" || v.length > maxLength || out.includes(v)) continue;
    out.push(v);
    if (out.length === MAX_FILTER_VALUES) break;
  }
  return out;
}

function pickToggles(value: unknown): Record<string, boolean> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "boolean" && k.trim() !== "" && k.length <= MAX_TOGGLE_KEY_LENGTH && Object.keys(out).length < MAX_FILTER_VALUES) out[k] = v;
  }
  return out;
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
    tags: pickStrings(r.tags, MAX_VALUE_LENGTH.tags),
    assignees: pickStrings(r.assignees, MAX_VALUE_LENGTH.assignees),
    reporters: pickStrings(r.reporters, MAX_VALUE_LENGTH.reporters),
    category: pickStrings(r.category, MAX_VALUE_LENGTH.category),
    toggles: pickToggles(r.toggles),
    dateField: r.dateField === "updated_at" ? "updated_at" : "created_at",
    dateRange: sanitizeDateRange(r.dateRange),
    sla: r.sla === "breaching" || r.sla === "at_risk" ? r.sla : null,
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
  /** Adds or removes one value of a list filter (adding past the limit is ignored). */
  | { type: "toggleValue"; filter: ListFilter; value: string }
  | { type: "clearList"; filter: ListFilter }
  /** null: either value. */
  | { type: "setToggle"; key: string; value: boolean | null }
  | { type: "dateField"; field: DateField }
  | { type: "sla"; sla: SlaFilter | null }
  /** null: any time. */
  | { type: "dateRange"; range: DateRange | null }
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
    case "toggleValue": {
      const list = state[action.filter];
      if (list.includes(action.value)) {
        return { ...state, [action.filter]: list.filter((v) => v !== action.value), page: 1 };
      }
      if (list.length >= MAX_FILTER_VALUES || action.value.trim() === "" || action.value.length > MAX_VALUE_LENGTH[action.filter]) {
        return state;
      }
      return { ...state, [action.filter]: [...list, action.value], page: 1 };
    }
    case "clearList":
      return state[action.filter].length === 0 ? state : { ...state, [action.filter]: [], page: 1 };
    case "setToggle": {
      if (state.toggles[action.key] === (action.value ?? undefined)) return state;
      const toggles = { ...state.toggles };
      if (action.value === null) delete toggles[action.key];
      else if (action.key.trim() !== "" && action.key.length <= MAX_TOGGLE_KEY_LENGTH) toggles[action.key] = action.value;
      else return state;
      return { ...state, toggles, page: 1 };
    }
    case "dateField":
      if (action.field === state.dateField) return state;
      // The list changes only if a range applies to the field.
      return { ...state, dateField: action.field, page: state.dateRange ? 1 : state.page };
    case "dateRange": {
      const dateRange = action.range === null ? null : sanitizeDateRange(action.range);
      if (action.range !== null && dateRange === null) return state;
      return { ...state, dateRange, page: 1 };
    }
    case "sla":
      return action.sla === state.sla ? state : { ...state, sla: action.sla, page: 1 };
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
      return { ...state, ...NO_FILTERS, page: 1 };
  }
}

export function hasFilters(state: CasesTableState): boolean {
  return (
    state.search.trim() !== "" ||
    state.status.length > 0 ||
    state.severity.length > 0 ||
    LIST_FILTERS.some((f) => state[f].length > 0) ||
    Object.keys(state.toggles).length > 0 ||
    state.dateRange !== null ||
    state.sla !== null
  );
}

/**
 * The core's query for this state. `toggleKeys`: the space's toggle fields, when known; the
 * core refuses a toggle filter on a field that no longer exists, so such a filter is left out.
 * `now`: what a relative date range ("Last 7 days") counts back from.
 */
export function toFindQuery(
  space: string,
  state: CasesTableState,
  toggleKeys?: readonly string[],
  now: Date = new Date(),
): FindQuery {
  const perPage = Math.min(state.perPage, MAX_CASES_PER_PAGE);
  const q: FindQuery = {
    space,
    status: [...state.status],
    severity: [...state.severity],
    tags: [...state.tags],
    assignees: [...state.assignees],
    reporters: [...state.reporters],
    category: [...state.category],
    custom_toggles: Object.keys(state.toggles)
      .filter((key) => toggleKeys === undefined || toggleKeys.includes(key))
      .sort()
      .map((key) => ({ key, value: state.toggles[key] })),
    sort_order: state.sortOrder,
    page: Math.min(state.page, maxPage(perPage)),
    per_page: perPage,
  };
  const search = state.search.trim();
  if (search) q.search = search;
  if (state.sortField) q.sort_field = state.sortField;
  if (state.sla) q.sla = state.sla;
  if (state.dateRange) {
    Object.assign(q, rangeBounds(state.dateRange, now));
    q.date_field = state.dateField;
  }
  return q;
}

/** The sort the list is shown in, for header arrows (the core's default when none is set). */
export function effectiveSort(state: CasesTableState): { field: SortField | "relevance"; order: SortOrder } {
  if (state.sortField) return { field: state.sortField, order: state.sortOrder };
  if (state.search.trim()) return { field: "relevance", order: "desc" };
  return { field: "created_at", order: state.sortOrder };
}
