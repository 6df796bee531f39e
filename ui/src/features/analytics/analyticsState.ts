// The Analytics page's filters: kept between visits, turned into the core's MetricsQuery, and
// into the cases list's filters for "View cases".
import { BREAKDOWNS, INTERVALS, SEVERITIES, STATUSES } from "../../lib/api/bindings";
import type { Breakdown, Interval, MetricsQuery, Severity, Status } from "../../lib/api/bindings";
import { MAX_FILTER_VALUES } from "../../lib/limits";
import { readJson, writeJson, type KeyValueStore } from "../../lib/storage";
import { rangeBounds, sanitizeDateRange, type DateRange } from "../cases/dateRange";
import { DEFAULT_TABLE_STATE, saveTableState, type CasesTableState } from "../cases/tableState";

export const ANALYTICS_STATE_KEY = "casebook.analytics.state";

/** This space, or every space. */
export type AnalyticsScope = "space" | "all";

export type AnalyticsState = {
  scope: AnalyticsScope;
  range: DateRange;
  interval: Interval;
  severity: Severity[];
  status: Status[];
  tags: string[];
  /** Usernames, or "none". */
  assignees: string[];
  /** What the timing table is broken down by. */
  breakdown: Breakdown;
};

export const DEFAULT_ANALYTICS_STATE: AnalyticsState = {
  scope: "space",
  range: { quick: "30d" },
  interval: "day",
  severity: [],
  status: [],
  tags: [],
  assignees: [],
  breakdown: "severity",
};

function pickAll<T extends string>(value: unknown, allowed: readonly T[]): T[] {
  return Array.isArray(value) ? allowed.filter((a) => value.includes(a)) : [];
}

function pickStrings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((v): v is string => typeof v === "string" && v.trim() !== "" && v.length <= 256))].slice(
    0,
    MAX_FILTER_VALUES,
  );
}

/** Whatever was stored → a valid state. */
export function sanitizeAnalyticsState(raw: unknown): AnalyticsState {
  const d = DEFAULT_ANALYTICS_STATE;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ...d };
  const r = raw as Record<string, unknown>;
  return {
    scope: r.scope === "all" ? "all" : "space",
    range: sanitizeDateRange(r.range) ?? d.range,
    interval: INTERVALS.includes(r.interval as Interval) ? (r.interval as Interval) : d.interval,
    severity: pickAll(r.severity, SEVERITIES),
    status: pickAll(r.status, STATUSES),
    tags: pickStrings(r.tags),
    assignees: pickStrings(r.assignees),
    breakdown: BREAKDOWNS.includes(r.breakdown as Breakdown) ? (r.breakdown as Breakdown) : d.breakdown,
  };
}

export function loadAnalyticsState(store?: KeyValueStore | null): AnalyticsState {
  return sanitizeAnalyticsState(store === undefined ? readJson(ANALYTICS_STATE_KEY) : readJson(ANALYTICS_STATE_KEY, store));
}

export function saveAnalyticsState(state: AnalyticsState, store?: KeyValueStore | null): void {
  if (store === undefined) writeJson(ANALYTICS_STATE_KEY, state);
  else writeJson(ANALYTICS_STATE_KEY, state, store);
}

export function hasCaseFilters(s: AnalyticsState): boolean {
  return s.severity.length + s.status.length + s.tags.length + s.assignees.length > 0;
}

/** The core's question for `state` in `space`, with the one breakdown the timing chart shows. */
export function toMetricsQuery(state: AnalyticsState, space: string, now: Date): MetricsQuery {
  return {
    space: state.scope === "space" ? space : undefined,
    ...rangeBounds(state.range, now),
    interval: state.interval,
    severity: state.severity,
    status: state.status,
    tags: state.tags,
    assignees: state.assignees,
    by: [state.breakdown],
  };
}

/** The cases list's filters for the same cases: created in the range, with the same case filters. */
export function toCasesList(state: AnalyticsState, extra: Partial<CasesTableState> = {}): CasesTableState {
  return {
    ...DEFAULT_TABLE_STATE,
    severity: state.severity,
    status: state.status,
    tags: state.tags,
    assignees: state.assignees,
    dateField: "created_at",
    dateRange: state.range,
    ...extra,
  };
}

/** Opens the cases list with these filters (the list reads its state when it mounts). */
export function openCasesList(state: AnalyticsState, extra: Partial<CasesTableState> = {}): void {
  saveTableState(toCasesList(state, extra));
  window.location.hash = "#/cases";
}
