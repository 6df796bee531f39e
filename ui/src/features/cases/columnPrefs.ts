// Which columns of the case list are shown: the user's explicit choices only, persisted in
// localStorage (Kibana: `cases.list.tableColumns`); everything else follows the defaults.
import type { VisibilityState } from "@tanstack/react-table";
import { MAX_CUSTOM_FIELD_KEY_LENGTH } from "../../lib/limits";
import { readJson, writeJson, type KeyValueStore } from "../../lib/storage";
import { COLUMN_LABEL, type BaseColumnId } from "../../components/labels";
import type { CasesTableState } from "./tableState";

export const COLUMNS_KEY = "casebook.cases.list.columns";

export const BASE_COLUMNS = Object.keys(COLUMN_LABEL) as BaseColumnId[];
/** Always shown: a row needs something to click. */
export const FIXED_COLUMN: BaseColumnId = "title";
export const CUSTOM_FIELD_PREFIX = "cf:";

/** Column id → shown, for the columns the user has switched on or off. */
export type ColumnPrefs = Record<string, boolean>;

export function customFieldColumnId(key: string): string {
  return CUSTOM_FIELD_PREFIX + key;
}

function isKnownId(id: string): boolean {
  if (id === FIXED_COLUMN) return false;
  if (id.startsWith(CUSTOM_FIELD_PREFIX)) {
    const key = id.slice(CUSTOM_FIELD_PREFIX.length);
    return key.trim() !== "" && key.length <= MAX_CUSTOM_FIELD_KEY_LENGTH;
  }
  return (BASE_COLUMNS as string[]).includes(id);
}

export function sanitizeColumnPrefs(raw: unknown): ColumnPrefs {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const out: ColumnPrefs = {};
  for (const [id, shown] of Object.entries(raw)) {
    if (typeof shown === "boolean" && isKnownId(id)) out[id] = shown;
  }
  return out;
}

export function loadColumnPrefs(store?: KeyValueStore | null): ColumnPrefs {
  return sanitizeColumnPrefs(store === undefined ? readJson(COLUMNS_KEY) : readJson(COLUMNS_KEY, store));
}

export function saveColumnPrefs(prefs: ColumnPrefs, store?: KeyValueStore | null): void {
  if (store === undefined) writeJson(COLUMNS_KEY, prefs);
  else writeJson(COLUMNS_KEY, prefs, store);
}

/**
 * Shown unless the user chose otherwise. "Closed on" and custom fields are off by default (as
 * in Kibana), but "Closed on" appears while it matters: sorting by it or listing closed cases only.
 */
export function defaultShown(id: string, state: CasesTableState): boolean {
  if (id.startsWith(CUSTOM_FIELD_PREFIX)) return false;
  if (id === "closed_at") {
    return state.sortField === "closed_at" || (state.status.length === 1 && state.status[0] === "closed");
  }
  return true;
}

export function isShown(id: string, prefs: ColumnPrefs, state: CasesTableState): boolean {
  if (id === FIXED_COLUMN) return true;
  return prefs[id] ?? defaultShown(id, state);
}

export function columnVisibility(ids: readonly string[], prefs: ColumnPrefs, state: CasesTableState): VisibilityState {
  return Object.fromEntries(ids.map((id) => [id, isShown(id, prefs, state)]));
}

/** Flips what the user sees now; a choice equal to the default is dropped so defaults keep applying. */
export function toggleColumn(prefs: ColumnPrefs, id: string, state: CasesTableState): ColumnPrefs {
  if (!isKnownId(id)) return prefs;
  const next = { ...prefs, [id]: !isShown(id, prefs, state) };
  if (id !== "closed_at" && next[id] === defaultShown(id, state)) delete next[id];
  return next;
}
