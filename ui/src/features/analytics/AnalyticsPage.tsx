// The Analytics page: trends from the activity log (opened, closed, reopened, the backlog as it
// stood, alerts attached), Kibana's timing metrics as median and p90 by severity, assignee, tag,
// category or connector, the open backlog's age, throughput, the oldest open cases and top
// lists — for the space or every space, exportable as CSV or NDJSON.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { BREAKDOWNS, CONNECTOR_KIND_LABEL, CONNECTOR_KINDS, INTERVALS, KIBANA_CONNECTOR_TYPE, SEVERITIES, STATUSES } from "../../lib/api/bindings";
import type { Breakdown, ExportFormat, ExportKind, Interval, Metrics, Severity, SlaCase, SlaReport, TopItem } from "../../lib/api/bindings";
import { caseMetrics, exportAnalytics, listUsers, tagCounts } from "../../lib/api/client";
import { onExportProgress, pickSavePath, type ExportProgressEvent } from "../../lib/files";
import { formatCount, formatDuration } from "../../lib/format";
import { queryKeys } from "../../lib/queryKeys";
import { routeHref } from "../../lib/route";
import { settingsHref } from "../../lib/settingsSections";
import { SEVERITY_LABEL, STATUS_LABEL } from "../../components/labels";
import { QUICK_RANGES, customRangeProblem, rangeLabel, type QuickRangeId } from "../cases/dateRange";
import { ListFilterPopover } from "../cases/ListFilterPopover";
import { Chart } from "./Chart";
import {
  ageOption,
  ageTable,
  alertsOption,
  alertsTable,
  backlogOption,
  backlogTable,
  flowOption,
  flowTable,
  slaWeeklyOption,
  slaWeeklyTable,
  throughputOption,
  throughputTable,
  timingOption,
  timingTable,
} from "./charts";
import {
  DEFAULT_ANALYTICS_STATE,
  hasCaseFilters,
  loadAnalyticsState,
  openCasesList,
  saveAnalyticsState,
  toMetricsQuery,
  type AnalyticsState,
} from "./analyticsState";
import "./analytics.css";

/** The quick ranges that make sense for trends (hours are too short to chart). */
const RANGES: QuickRangeId[] = ["7d", "30d", "90d", "month", "year", "1y"];
const INTERVAL_LABEL: Record<Interval, string> = { day: "Day", week: "Week", month: "Month" };
const BREAKDOWN_LABEL: Record<Breakdown, string> = {
  severity: "Severity",
  assignee: "Assignee",
  tag: "Tag",
  category: "Category",
  connector: "Connector",
};
const EXPORTS: { kind: ExportKind; label: string }[] = [
  { kind: "cases", label: "Cases" },
  { kind: "comments", label: "Comments" },
  { kind: "activity", label: "Activity" },
  { kind: "metrics", label: "Trend figures" },
];

/** A breakdown row's key as people read it: names, not usernames or connector type ids. */
function keyLabel(by: Breakdown, key: string, name: (u: string) => string): string {
  switch (by) {
    case "assignee":
      return name(key);
    case "severity":
      return SEVERITY_LABEL[key as Severity] ?? key;
    case "connector": {
      const kind = CONNECTOR_KINDS.find((k) => KIBANA_CONNECTOR_TYPE[k] === key);
      return kind ? CONNECTOR_KIND_LABEL[kind] : key === ".none" || key === "" ? "No connector" : key;
    }
    default:
      return key === "" ? "(none)" : key;
  }
}

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export function AnalyticsPage({ space }: { space: string }) {
  const [state, setState] = useState<AnalyticsState>(() => loadAnalyticsState());
  useEffect(() => saveAnalyticsState(state), [state]);
  const set = (patch: Partial<AnalyticsState>) => setState((s) => ({ ...s, ...patch }));

  const query = useMemo(() => toMetricsQuery(state, space, new Date()), [state, space]);
  const metrics = useQuery({
    queryKey: queryKeys.metrics(query),
    queryFn: () => caseMetrics(query),
    placeholderData: keepPreviousData,
  });
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const tags = useQuery({ queryKey: queryKeys.tagCounts(space), queryFn: () => tagCounts(space) });
  const name = useCallback(
    (u: string) => (u === "" ? "Unassigned" : (users.data?.find((x) => x.username === u)?.full_name ?? u)),
    [users.data],
  );

  const m = metrics.data;
  return (
    <div className="analytics-page">
      <div className="page-header">
        <div className="page-title">
          <h1>Analytics</h1>
          <p className="hint">
            {state.scope === "all" ? "All spaces" : <>Space <strong>{space}</strong></>} · {rangeLabel(state.range)} · days in UTC
          </p>
        </div>
        <div className="page-header-actions">
          <div className="segmented" role="group" aria-label="Scope">
            <button type="button" className="segment" aria-pressed={state.scope === "space"} onClick={() => set({ scope: "space" })}>
              This space
            </button>
            <button type="button" className="segment" aria-pressed={state.scope === "all"} onClick={() => set({ scope: "all" })}>
              All spaces
            </button>
          </div>
          <ExportControl state={state} space={space} />
        </div>
      </div>
      <Filters state={state} set={set} tagOptions={(tags.data ?? []).map((t) => ({ value: t.tag, label: t.tag, hint: formatCount(t.cases) }))} userOptions={[{ value: "none", label: "Unassigned" }, ...(users.data ?? []).map((u) => ({ value: u.username, label: u.full_name ?? u.username }))]} />
      {metrics.isError && (
        <div className="state-panel error" role="alert">
          <h2>Analytics could not be computed</h2>
          <p className="error-message">{metrics.error.message}</p>
        </div>
      )}
      {m && <Figures m={m} state={state} set={set} name={name} busy={metrics.isFetching} />}
      {!m && metrics.isPending && <p className="hint">Computing…</p>}
    </div>
  );
}

type FilterProps = {
  state: AnalyticsState;
  set: (p: Partial<AnalyticsState>) => void;
  tagOptions: { value: string; label: string; hint?: string }[];
  userOptions: { value: string; label: string }[];
};

function Filters({ state, set, tagOptions, userOptions }: FilterProps) {
  const custom = !("quick" in state.range) ? state.range : null;
  const [editing, setEditing] = useState(custom !== null);
  const [from, setFrom] = useState(custom?.from ?? "");
  const [to, setTo] = useState(custom?.to ?? "");
  const problem = customRangeProblem(from, to);
  const rangeValue = "quick" in state.range && !editing ? state.range.quick : "custom";
  return (
    <div className="filters analytics-filters" role="toolbar" aria-label="Analytics filters">
      <label className="inline-field">
        <span>Range</span>
        <select
          value={rangeValue}
          onChange={(e) => {
            if (e.target.value === "custom") setEditing(true);
            else {
              setEditing(false);
              set({ range: { quick: e.target.value as QuickRangeId } });
            }
          }}
        >
          {RANGES.map((id) => (
            <option key={id} value={id}>
              {QUICK_RANGES.find((q) => q.id === id)!.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {editing && (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem) set({ range: { from: from || null, to: to || null } });
          }}
        >
          <input type="date" aria-label="First day" value={from} onChange={(e) => setFrom(e.target.value)} />
          <span aria-hidden="true">→</span>
          <input type="date" aria-label="Last day" value={to} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="button" disabled={problem !== null} title={problem ?? undefined}>
            Apply
          </button>
        </form>
      )}
      <div className="segmented" role="group" aria-label="Interval">
        {INTERVALS.map((i) => (
          <button key={i} type="button" className="segment" aria-pressed={state.interval === i} onClick={() => set({ interval: i })}>
            {INTERVAL_LABEL[i]}
          </button>
        ))}
      </div>
      <ListFilterPopover
        label="Severity"
        options={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
        selected={state.severity}
        onToggle={(v) => set({ severity: toggle(state.severity, v as (typeof SEVERITIES)[number]) })}
        onClear={() => set({ severity: [] })}
        emptyText=""
      />
      <ListFilterPopover
        label="Status"
        options={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
        selected={state.status}
        onToggle={(v) => set({ status: toggle(state.status, v as (typeof STATUSES)[number]) })}
        onClear={() => set({ status: [] })}
        emptyText=""
      />
      <ListFilterPopover
        label="Tags"
        options={tagOptions}
        selected={state.tags}
        onToggle={(v) => set({ tags: toggle(state.tags, v) })}
        onClear={() => set({ tags: [] })}
        emptyText="No tags in this space yet."
      />
      <ListFilterPopover
        label="Assignees"
        options={userOptions}
        selected={state.assignees}
        onToggle={(v) => set({ assignees: toggle(state.assignees, v) })}
        onClear={() => set({ assignees: [] })}
        emptyText="No teammates yet."
      />
      {hasCaseFilters(state) && (
        <button
          type="button"
          className="link-button"
          onClick={() => set({ severity: [], status: [], tags: [], assignees: [] })}
        >
          Clear filters
        </button>
      )}
      {hasCaseFilters(state) && <span className="hint">Filters test each case's current values.</span>}
    </div>
  );
}

function sum(m: Metrics, k: "opened" | "closed" | "reopened" | "alerts"): number {
  return m.trend.reduce((n, b) => n + b[k], 0);
}

type FiguresProps = {
  m: Metrics;
  state: AnalyticsState;
  set: (p: Partial<AnalyticsState>) => void;
  name: (u: string) => string;
  busy: boolean;
};

function Figures({ m, state, set, name, busy }: FiguresProps) {
  const last = m.trend[m.trend.length - 1];
  const breakdown = useMemo(
    () =>
      (m.breakdowns.find((b) => b.by === state.breakdown)?.rows ?? []).map((r) => ({
        ...r,
        key: keyLabel(state.breakdown, r.key, name),
      })),
    [m, state.breakdown, name],
  );
  const view = (extra = {}) => () => openCasesList(state, extra);
  const noTrend = m.trend.every((b) => b.opened + b.closed + b.reopened === 0);
  return (
    <div className="analytics-body" aria-busy={busy}>
      <section className="metrics kpis" aria-label="Key figures">
        <dl>
        <Kpi label="Opened" value={formatCount(sum(m, "opened"))} />
        <Kpi label="Closed" value={formatCount(sum(m, "closed"))} />
        <Kpi label="Reopened" value={formatCount(sum(m, "reopened"))} />
        <Kpi label="Open now" value={formatCount(last ? last.open + last.in_progress : 0)} />
        <Kpi
          label="Time to acknowledge"
          value={formatDuration(m.timing.acknowledge.median)}
          sub={`p90 ${formatDuration(m.timing.acknowledge.p90)}`}
        />
        <Kpi label="Time to resolve" value={formatDuration(m.timing.resolve.median)} sub={`p90 ${formatDuration(m.timing.resolve.p90)}`} />
        </dl>
      </section>
      <Sla sla={m.sla} state={state} showSpace={state.scope === "all"} />
      <div className="chart-grid">
        <Chart
          id="cases-flow"
          title="Cases opened, closed and reopened"
          note="From the activity log: each creation, close and reopen counted on its day."
          option={useMemo(() => flowOption(m), [m])}
          table={flowTable(m)}
          onViewCases={view()}
          empty={noTrend}
        />
        <Chart
          id="backlog"
          title="Backlog by status"
          note="Open and in-progress cases as they stood at the end of each period."
          option={useMemo(() => backlogOption(m), [m])}
          table={backlogTable(m)}
          onViewCases={view({ status: state.status.length ? state.status : ["open", "in-progress"] })}
        />
        <Chart
          id="timing"
          title="Time to acknowledge, investigate and resolve"
          note="Median per group, in hours; the table adds p90. Cases closed (or acknowledged) in the range."
          option={useMemo(() => timingOption(breakdown), [breakdown])}
          table={timingTable(breakdown)}
          empty={breakdown.length === 0}
        >
          <div className="segmented breakdown" role="group" aria-label="Break down by">
            {BREAKDOWNS.map((b) => (
              <button key={b} type="button" className="segment" aria-pressed={state.breakdown === b} onClick={() => set({ breakdown: b })}>
                {BREAKDOWN_LABEL[b]}
              </button>
            ))}
          </div>
        </Chart>
        <Chart
          id="age"
          title="Open cases by age"
          note="Open and in-progress cases now, by time since creation."
          option={useMemo(() => ageOption(m.age), [m])}
          table={ageTable(m.age)}
          onViewCases={() => openCasesList({ ...state, range: DEFAULT_ANALYTICS_STATE.range }, { dateRange: null, status: ["open", "in-progress"] })}
          empty={m.age.every((a) => a.cases === 0)}
        />
        <Chart
          id="alerts"
          title="Alerts attached"
          option={useMemo(() => alertsOption(m), [m])}
          table={alertsTable(m)}
          empty={m.trend.every((b) => b.alerts === 0)}
        />
        <Chart
          id="throughput"
          title="Cases closed per assignee"
          option={useMemo(() => throughputOption(m.throughput, name), [m, name])}
          table={throughputTable(m.throughput, name)}
          empty={m.throughput.length === 0}
        />
      </div>
      <div className="lists-grid">
        <section className="chart-card" aria-labelledby="oldest-open">
          <header className="chart-head">
            <h2 id="oldest-open">Oldest open cases</h2>
          </header>
          {m.oldest_open.length === 0 ? (
            <p className="chart-empty">No open case.</p>
          ) : (
            <table className="chart-table">
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Age</th>
                  <th scope="col">Status</th>
                  <th scope="col">Severity</th>
                </tr>
              </thead>
              <tbody>
                {m.oldest_open.map((o) => (
                  <tr key={o.id}>
                    <th scope="row" className="case-cell">
                      <a href={routeHref({ page: "case", id: o.id })} title={o.title}>
                        {o.incremental_id === null ? "" : `#${o.incremental_id} `}
                        {o.title}
                      </a>
                      {state.scope === "all" && <span className="hint"> · {o.space}</span>}
                    </th>
                    <td>{formatDuration(o.age_seconds)}</td>
                    <td>{STATUS_LABEL[o.status]}</td>
                    <td>{SEVERITY_LABEL[o.severity]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <TopList title="Top tags" items={m.top.tags} onPick={(tag) => openCasesList(state, { tags: [tag] })} />
        <TopList title="Top categories" items={m.top.categories} onPick={(c) => openCasesList(state, { category: [c] })} />
        <TopList title="Top rules" items={m.top.rules} />
        <TopList title="Top hosts" items={m.top.hosts} />
        <TopList title="Top users" items={m.top.users} />
      </div>
    </div>
  );
}

function Sla({ sla, state, showSpace }: { sla: SlaReport; state: AnalyticsState; showSpace: boolean }) {
  const weekly = useMemo(() => slaWeeklyOption(sla.weekly), [sla.weekly]);
  if (!sla.has_targets) {
    return (
      <p className="hint sla-none">
        No service-level targets here yet: set them in <a href={settingsHref("sla")}>Settings → Service levels</a> to see the
        cases breaching or near them.
      </p>
    );
  }
  const view = (which: "breaching" | "at_risk") => () => openCasesList(state, { sla: which, dateRange: null });
  return (
    <div className="sla-grid">
      <section className="chart-card" aria-labelledby="sla-cases">
        <header className="chart-head">
          <h2 id="sla-cases">Service levels</h2>
          <span className="hint">cases not closed, by the space's targets</span>
        </header>
        <div className="sla-totals">
          <button type="button" className="sla-total breaching" onClick={view("breaching")} title="View the breaching cases">
            <strong>{formatCount(sla.breaching_total)}</strong> breaching
          </button>
          <button type="button" className="sla-total at-risk" onClick={view("at_risk")} title="View the cases at risk">
            <strong>{formatCount(sla.at_risk_total)}</strong> at risk
          </button>
        </div>
        <SlaTable title="Breaching" cases={sla.breaching} showSpace={showSpace} />
        <SlaTable title="At risk" cases={sla.at_risk} showSpace={showSpace} />
      </section>
      <Chart
        id="sla-weekly"
        title="Resolved within target, per week"
        note="Cases closed in the range whose severity has a time-to-resolve target."
        option={weekly}
        table={slaWeeklyTable(sla.weekly)}
        empty={sla.weekly.length === 0}
      />
    </div>
  );
}

function SlaTable({ title, cases, showSpace }: { title: string; cases: SlaCase[]; showSpace: boolean }) {
  if (cases.length === 0) return null;
  return (
    <div className="chart-table-wrap sla-table">
    <table className="chart-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col">Target</th>
          <th scope="col">{cases[0].overdue_seconds >= 0 ? "Overdue by" : "Due in"}</th>
          <th scope="col">Severity</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={c.id}>
            <th scope="row" className="case-cell">
              <a href={routeHref({ page: "case", id: c.id })} title={c.title}>
                {c.incremental_id === null ? "" : `#${c.incremental_id} `}
                {c.title}
              </a>
              {showSpace && <span className="hint"> · {c.space}</span>}
            </th>
            <td>{c.target === "acknowledge" ? "Acknowledge" : "Resolve"}</td>
            <td>{formatDuration(Math.abs(c.overdue_seconds))}</td>
            <td>{SEVERITY_LABEL[c.severity]}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function Kpi({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd>
        {value}
        {sub && <span className="kpi-sub">{sub}</span>}
      </dd>
    </div>
  );
}

function TopList({ title, items, onPick }: { title: string; items: TopItem[]; onPick?: (v: string) => void }) {
  const id = `top-${title.toLowerCase().replace(/\s+/g, "-")}`;
  return (
    <section className="chart-card top-list" aria-labelledby={id}>
      <header className="chart-head">
        <h2 id={id}>{title}</h2>
        <span className="hint">cases created in the range</span>
      </header>
      {items.length === 0 ? (
        <p className="chart-empty">None.</p>
      ) : (
        <ol>
          {items.map((t) => (
            <li key={t.value}>
              {onPick ? (
                <button type="button" className="link-button" onClick={() => onPick(t.value)} title={`View the cases with ${t.value}`}>
                  {t.value}
                </button>
              ) : (
                <span title={t.value}>{t.value}</span>
              )}
              <span className="count">{formatCount(t.cases)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ExportControl({ state, space }: { state: AnalyticsState; space: string }) {
  const [kind, setKind] = useState<ExportKind>("cases");
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [progress, setProgress] = useState<ExportProgressEvent | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setMessage(null);
    const path = await pickSavePath("Export", `casebook-${kind}.${format}`, format);
    if (!path) return;
    setRunning(true);
    const stop = await onExportProgress((p) => setProgress(p));
    try {
      const rows = await exportAnalytics(kind, format, toMetricsQuery(state, space, new Date()), path);
      setMessage({ error: false, text: `${formatCount(rows)} rows written to ${path}` });
    } catch (e) {
      setMessage({ error: true, text: `Not exported: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      stop();
      setRunning(false);
      setProgress(null);
    }
  };

  return (
    <div className="export-control" role="group" aria-label="Export">
      <select aria-label="What to export" value={kind} onChange={(e) => setKind(e.target.value as ExportKind)}>
        {EXPORTS.map((x) => (
          <option key={x.kind} value={x.kind}>
            {x.label}
          </option>
        ))}
      </select>
      <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
        <option value="csv">CSV</option>
        <option value="ndjson">NDJSON</option>
      </select>
      <button type="button" className="button" onClick={() => void run()} disabled={running}>
        {running ? "Exporting…" : "Export…"}
      </button>
      {running && progress && progress.total > 0 && (
        <span className="hint" role="status">
          {formatCount(progress.done)} of {formatCount(progress.total)} rows
        </span>
      )}
      {message && (
        <span className={message.error ? "field-error" : "hint"} role={message.error ? "alert" : "status"}>
          {message.text}
        </span>
      )}
    </div>
  );
}
