import type { Dispatch } from "react";
import type { AlertRuleGroup, Severity, WorkflowStatus } from "../../../lib/api/bindings";
import { SEVERITY_LABEL } from "../../../components/labels";
import { SEVERITIES } from "../../../lib/api/bindings";
import {
  NO_RULE,
  WORKFLOW_LABEL,
  WORKFLOW_STATUSES,
  hasFilters,
  ruleNames,
  type AlertsView,
  type RuleFilter,
  type ViewAction,
} from "./alertsView";

type Props = {
  view: AlertsView;
  dispatch: Dispatch<ViewAction>;
  rules: readonly AlertRuleGroup[];
};

const ALL = "all";
const NONE = "none";
const ruleValue = (r: RuleFilter) => (r === null ? ALL : r === "" ? NONE : `rule:${r}`);
const ruleOf = (value: string): RuleFilter => (value === ALL ? null : value === NONE ? "" : value.slice("rule:".length));

/** Search, rule, severity and status filters, and the "Group by rule" switch of the alerts table. */
export function AlertFilters({ view, dispatch, rules }: Props) {
  const names = ruleNames(rules);
  // A rule chosen earlier whose alerts were all removed still shows as chosen.
  if (view.rule !== null && view.rule !== "" && !names.includes(view.rule)) names.unshift(view.rule);
  const grouped = view.sort === "rule";
  return (
    <div className="alert-filters">
      <div className="search-field alert-search">
        <span className="search-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          type="search"
          aria-label="Search alerts"
          placeholder="Search rule, reason, host, user or alert ID"
          value={view.search}
          onChange={(e) => dispatch({ type: "search", search: e.target.value })}
        />
      </div>
      <label className="inline-select">
        <span>Rule</span>
        <select aria-label="Filter by rule" value={ruleValue(view.rule)} onChange={(e) => dispatch({ type: "rule", rule: ruleOf(e.target.value) })}>
          <option value={ALL}>All rules</option>
          {names.map((n) => (
            <option key={n ?? NONE} value={ruleValue(n ?? "")}>
              {n ?? NO_RULE}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-select">
        <span>Severity</span>
        <select
          aria-label="Filter by severity"
          value={view.severity ?? ALL}
          onChange={(e) => dispatch({ type: "severity", severity: e.target.value === ALL ? null : (e.target.value as Severity) })}
        >
          <option value={ALL}>Any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-select">
        <span>Status</span>
        <select
          aria-label="Filter by alert status"
          value={view.status ?? ALL}
          onChange={(e) => dispatch({ type: "status", status: e.target.value === ALL ? null : (e.target.value as WorkflowStatus) })}
        >
          <option value={ALL}>Any</option>
          {WORKFLOW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {WORKFLOW_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button small"
        aria-pressed={grouped}
        title={grouped ? "Show a flat list, newest first" : "Group the alerts by rule"}
        onClick={() => dispatch({ type: "group", on: !grouped })}
      >
        Group by rule
      </button>
      {hasFilters(view) && (
        <button type="button" className="link-button" onClick={() => dispatch({ type: "clear" })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
