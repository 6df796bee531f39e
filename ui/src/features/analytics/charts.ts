// The Analytics page's charts as ECharts options and table views, from the core's Metrics.
import type { EChartsCoreOption } from "echarts/core";
import type { AgeBucket, Interval, Metrics, SlaWeek, Throughput, TimingStats } from "../../lib/api/bindings";
import { formatCount, formatDuration } from "../../lib/format";
import type { ChartColors, ChartTable } from "./Chart";

const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });

/** A bucket's label: its UTC day ("Mar 4"), week start ("Mar 2") or month ("Mar 2026"). */
export function bucketLabel(start: string, interval: Interval): string {
  const d = new Date(start);
  return interval === "month" ? monthYear.format(d) : monthDay.format(d);
}

function base(c: ChartColors, legend: boolean): EChartsCoreOption {
  const axis = {
    axisLine: { lineStyle: { color: c.border } },
    axisLabel: { color: c.muted },
    splitLine: { lineStyle: { color: c.border, opacity: 0.6 } },
  };
  return {
    color: c.series,
    textStyle: { color: c.text },
    grid: { left: 8, right: 16, top: legend ? 34 : 12, bottom: 8, containLabel: true },
    legend: legend ? { top: 0, textStyle: { color: c.text } } : undefined,
    tooltip: {
      trigger: "axis",
      backgroundColor: c.surface,
      borderColor: c.border,
      textStyle: { color: c.text },
    },
    xAxis: { type: "category", ...axis },
    yAxis: { type: "value", minInterval: 1, ...axis },
  };
}

function labels(m: Metrics): string[] {
  return m.trend.map((b) => bucketLabel(b.start, m.interval));
}

export function flowOption(m: Metrics) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, true) as Record<string, unknown>;
    return {
      ...o,
      xAxis: { ...(o.xAxis as object), data: labels(m) },
      series: [
        { name: "Opened", type: "bar", data: m.trend.map((b) => b.opened) },
        { name: "Closed", type: "bar", data: m.trend.map((b) => b.closed) },
        { name: "Reopened", type: "bar", data: m.trend.map((b) => b.reopened) },
      ],
    };
  };
}

export function flowTable(m: Metrics): ChartTable {
  return {
    columns: ["Period", "Opened", "Closed", "Reopened"],
    rows: m.trend.map((b) => [bucketLabel(b.start, m.interval), formatCount(b.opened), formatCount(b.closed), formatCount(b.reopened)]),
  };
}

export function backlogOption(m: Metrics) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, true) as Record<string, unknown>;
    return {
      ...o,
      xAxis: { ...(o.xAxis as object), data: labels(m), boundaryGap: false },
      series: [
        { name: "Open", type: "line", stack: "backlog", areaStyle: { opacity: 0.35 }, symbol: "none", data: m.trend.map((b) => b.open) },
        {
          name: "In progress",
          type: "line",
          stack: "backlog",
          areaStyle: { opacity: 0.35 },
          symbol: "none",
          data: m.trend.map((b) => b.in_progress),
        },
      ],
    };
  };
}

export function backlogTable(m: Metrics): ChartTable {
  return {
    columns: ["End of period", "Open", "In progress", "Closed (all time)"],
    rows: m.trend.map((b) => [
      bucketLabel(b.start, m.interval),
      formatCount(b.open),
      formatCount(b.in_progress),
      formatCount(b.closed_total),
    ]),
  };
}

export function alertsOption(m: Metrics) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, false) as Record<string, unknown>;
    return {
      ...o,
      xAxis: { ...(o.xAxis as object), data: labels(m) },
      series: [{ name: "Alerts attached", type: "bar", data: m.trend.map((b) => b.alerts), itemStyle: { color: c.series[1] } }],
    };
  };
}

export function alertsTable(m: Metrics): ChartTable {
  return {
    columns: ["Period", "Alerts attached"],
    rows: m.trend.map((b) => [bucketLabel(b.start, m.interval), formatCount(b.alerts)]),
  };
}

export const TIMING_LABEL = {
  acknowledge: "Time to acknowledge",
  investigate: "Time to investigate",
  resolve: "Time to resolve",
} as const;

type TimingKey = keyof typeof TIMING_LABEL;
const TIMING_KEYS: TimingKey[] = ["acknowledge", "investigate", "resolve"];

/** Median and p90 of each metric per breakdown row, in hours on the axis, spans in tooltips. */
export function timingOption(rows: { key: string; timing: TimingStats }[]) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, true) as Record<string, unknown>;
    return {
      ...o,
      tooltip: {
        ...(o.tooltip as object),
        valueFormatter: (v: unknown) => (typeof v === "number" ? formatDuration(v * 3600) : "—"),
      },
      xAxis: { ...(o.xAxis as object), data: rows.map((r) => r.key || "(none)") },
      yAxis: { ...(o.yAxis as object), minInterval: 0, axisLabel: { color: c.muted, formatter: "{value} h" } },
      series: TIMING_KEYS.map((k) => ({
        name: TIMING_LABEL[k],
        type: "bar",
        data: rows.map((r) => (r.timing[k].median === null ? null : Math.round((r.timing[k].median / 3600) * 10) / 10)),
      })),
    };
  };
}

export function timingTable(rows: { key: string; timing: TimingStats }[]): ChartTable {
  return {
    columns: ["", ...TIMING_KEYS.flatMap((k) => [`${TIMING_LABEL[k]} (median)`, "p90", "cases"])],
    rows: rows.map((r) => [
      r.key || "(none)",
      ...TIMING_KEYS.flatMap((k) => [formatDuration(r.timing[k].median), formatDuration(r.timing[k].p90), formatCount(r.timing[k].cases)]),
    ]),
  };
}

export function ageOption(age: AgeBucket[]) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, false) as Record<string, unknown>;
    return {
      ...o,
      xAxis: { ...(o.xAxis as object), data: age.map((a) => a.label), axisLabel: { color: c.muted, interval: 0, fontSize: 11 } },
      series: [{ name: "Open cases", type: "bar", data: age.map((a) => a.cases), itemStyle: { color: c.series[3] } }],
    };
  };
}

export function ageTable(age: AgeBucket[]): ChartTable {
  return { columns: ["Age", "Open cases"], rows: age.map((a) => [a.label, formatCount(a.cases)]) };
}

export function throughputOption(t: Throughput[], name: (u: string) => string) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, false) as Record<string, unknown>;
    const shown = t.slice(0, 10).reverse();
    return {
      ...o,
      tooltip: { ...(o.tooltip as object), trigger: "item" },
      xAxis: { ...(o.xAxis as object), type: "value", minInterval: 1 },
      yAxis: { ...(o.yAxis as object), type: "category", data: shown.map((x) => name(x.assignee)) },
      series: [{ name: "Closed", type: "bar", data: shown.map((x) => x.closed), itemStyle: { color: c.series[2] } }],
    };
  };
}

export function throughputTable(t: Throughput[], name: (u: string) => string): ChartTable {
  return { columns: ["Assignee", "Cases closed"], rows: t.map((x) => [name(x.assignee), formatCount(x.closed)]) };
}

/** The share of the week's closed cases (with a resolve target) resolved within it, in %. */
export function slaWeeklyOption(weeks: SlaWeek[]) {
  return (c: ChartColors): EChartsCoreOption => {
    const o = base(c, false) as Record<string, unknown>;
    return {
      ...o,
      tooltip: { ...(o.tooltip as object), valueFormatter: (v: unknown) => (typeof v === "number" ? `${v} %` : "—") },
      xAxis: { ...(o.xAxis as object), data: weeks.map((w) => bucketLabel(w.start, "week")) },
      yAxis: { ...(o.yAxis as object), max: 100, axisLabel: { color: c.muted, formatter: "{value} %" } },
      series: [
        {
          name: "Resolved within target",
          type: "bar",
          data: weeks.map((w) => (w.closed === 0 ? null : Math.round((100 * w.within_target) / w.closed))),
          itemStyle: { color: c.series[2] },
        },
      ],
    };
  };
}

export function slaWeeklyTable(weeks: SlaWeek[]): ChartTable {
  return {
    columns: ["Week of", "Closed", "Within target", "Share"],
    rows: weeks.map((w) => [
      bucketLabel(w.start, "week"),
      formatCount(w.closed),
      formatCount(w.within_target),
      w.closed === 0 ? "—" : `${Math.round((100 * w.within_target) / w.closed)} %`,
    ]),
  };
}
