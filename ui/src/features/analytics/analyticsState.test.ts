import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYTICS_STATE, sanitizeAnalyticsState, toCasesList, toMetricsQuery } from "./analyticsState";

describe("the Analytics page's filters", () => {
  it("keep only valid values from storage", () => {
    const s = sanitizeAnalyticsState({
      scope: "all",
      range: { quick: "7d" },
      interval: "hourly",
      severity: ["high", "urgent", "high"],
      status: ["closed"],
      tags: ["phishing", "", 3],
      breakdown: "planet",
    });
    expect(s).toEqual({
      ...DEFAULT_ANALYTICS_STATE,
      scope: "all",
      range: { quick: "7d" },
      severity: ["high"],
      status: ["closed"],
      tags: ["phishing"],
    });
    expect(sanitizeAnalyticsState("garbage")).toEqual(DEFAULT_ANALYTICS_STATE);
  });

  it("ask the core about one space, or all of them, over the range", () => {
    const now = new Date("2026-03-31T12:00:30Z");
    const one = toMetricsQuery({ ...DEFAULT_ANALYTICS_STATE, interval: "week", tags: ["vpn"] }, "soc", now);
    expect(one).toMatchObject({ space: "soc", interval: "week", tags: ["vpn"], from: "2026-03-01T12:00:00.000Z", by: ["severity"] });
    const all = toMetricsQuery({ ...DEFAULT_ANALYTICS_STATE, scope: "all" }, "soc", now);
    expect(all.space).toBeUndefined();
  });

  it("open the cases list with the same cases: created in the range, same filters", () => {
    const list = toCasesList({ ...DEFAULT_ANALYTICS_STATE, severity: ["critical"], assignees: ["none"] }, { tags: ["c2"] });
    expect(list).toMatchObject({
      severity: ["critical"],
      assignees: ["none"],
      tags: ["c2"],
      dateField: "created_at",
      dateRange: { quick: "30d" },
      page: 1,
    });
  });
});
