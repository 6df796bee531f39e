// The Alerts tab's view: sort, page and filters, and the list_alerts query they make. Sorting,
// filtering and paging happen in the core.
import type { AlertListQuery, AlertRuleGroup, AlertSortField, Severity, SortOrder, WorkflowStatus } from "../../../lib/api/bindings";

export const ALERTS_PER_PAGE = 50;

export const WORKFLOW_STATUSES: readonly WorkflowStatus[] = ["open", "acknowledged", "closed"];
export const WORKFLOW_LABEL: Record<WorkflowStatus, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  closed: "Closed",
};

export const ALERT_SORT_LABEL: Record<AlertSortField, string> = {
  rule: "Rule",
  time: "Time",
  severity: "Severity",
  risk_score: "Risk score",
  host: "Host",
  user: "User",
};

/** The first click on a column: newest, worst and riskiest first; names A–Z. */
const FIRST_ORDER: Record<AlertSortField, SortOrder> = {
  rule: "asc",
  time: "desc",
  severity: "desc",
  risk_score: "desc",
  host: "asc",
  user: "asc",
};

/** The rule filter: every rule (null), alerts without a rule (""), or one rule by name. */
export type RuleFilter = string | null;

export type AlertsView = {
  page: number;
  sort: AlertSortField;
  order: SortOrder;
  rule: RuleFilter;
  severity: Severity | null;
  status: WorkflowStatus | null;
  /** As typed; the query uses it once typing pauses. */
  search: string;
};

/** Kibana's default: grouped by rule. */
export const DEFAULT_VIEW: AlertsView = {
  page: 1,
  sort: "rule",
  order: "asc",
  rule: null,
  severity: null,
  status: null,
  search: "",
};

export type ViewAction =
  | { type: "sort"; field: AlertSortField }
  | { type: "group"; on: boolean }
  | { type: "page"; page: number }
  | { type: "rule"; rule: RuleFilter }
  | { type: "severity"; severity: Severity | null }
  | { type: "status"; status: WorkflowStatus | null }
  | { type: "search"; search: string }
  | { type: "clear" };

export function viewReducer(v: AlertsView, a: ViewAction): AlertsView {
  switch (a.type) {
    case "sort":
      return v.sort === a.field
        ? { ...v, order: v.order === "asc" ? "desc" : "asc", page: 1 }
        : { ...v, sort: a.field, order: FIRST_ORDER[a.field], page: 1 };
    case "group":
      if (a.on) return { ...v, sort: "rule", order: "asc", page: 1 };
      return v.sort === "rule" ? { ...v, sort: "time", order: "desc", page: 1 } : v;
    case "page":
      return { ...v, page: Math.max(1, a.page) };
    case "rule":
      return { ...v, rule: a.rule, page: 1 };
    case "severity":
      return { ...v, severity: a.severity, page: 1 };
    case "status":
      return { ...v, status: a.status, page: 1 };
    case "search":
      return { ...v, search: a.search, page: 1 };
    case "clear":
      return { ...v, rule: null, severity: null, status: null, search: "", page: 1 };
  }
}

export function hasFilters(v: AlertsView): boolean {
  return v.rule !== null || v.severity !== null || v.status !== null || v.search.trim() !== "";
}

/** The list_alerts query for a view; `search` is the debounced text. */
export function toAlertQuery(v: AlertsView, search: string): AlertListQuery {
  const q: AlertListQuery = { page: v.page, per_page: ALERTS_PER_PAGE, sort: v.sort, order: v.order };
  if (v.rule !== null) q.rule = v.rule;
  if (v.severity !== null) q.severity = v.severity;
  if (v.status !== null) q.workflow_status = v.status;
  const s = search.trim();
  if (s !== "") q.search = s;
  return q;
}

/** What a missing rule name reads as. */
export const NO_RULE = "No rule";

/**
 * The alerts of each rule name in the whole case (a rule renamed keeps two ids under one name,
 * so the groups are summed by name).
 */
export function ruleCounts(rules: readonly AlertRuleGroup[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const r of rules) counts.set(r.rule_name, (counts.get(r.rule_name) ?? 0) + r.alerts);
  return counts;
}

/** The rule names to filter by, A–Z, "No rule" (null) last. */
export function ruleNames(rules: readonly AlertRuleGroup[]): (string | null)[] {
  const names = [...new Set(rules.map((r) => r.rule_name))];
  const named = names.filter((n): n is string => n !== null).sort((a, b) => a.localeCompare(b));
  return names.includes(null) ? [...named, null] : named;
}
