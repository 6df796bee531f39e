import { describe, expect, it } from "vitest";
import { parseRoute, routeHref } from "./route";

describe("routes", () => {
  it("parses the four pages and falls back to the list", () => {
    expect(parseRoute("")).toEqual({ page: "cases" });
    expect(parseRoute("#/cases")).toEqual({ page: "cases" });
    expect(parseRoute("#/analytics")).toEqual({ page: "analytics" });
    expect(routeHref({ page: "analytics" })).toBe("#/analytics");
    expect(parseRoute("#/settings")).toEqual({ page: "settings" });
    const id = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
    expect(parseRoute(`#/cases/${id.toUpperCase()}`)).toEqual({ page: "case", id });
    expect(parseRoute("#/cases/not-a-uuid")).toEqual({ page: "cases" });
    expect(parseRoute("#/elsewhere")).toEqual({ page: "cases" });
  });

  it("keeps a case's tab in the hash, Activity being the default", () => {
    const id = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
    expect(parseRoute(`#/cases/${id}?tab=alerts`)).toEqual({ page: "case", id, tab: "alerts" });
    expect(parseRoute(`#/cases/${id}?tab=similar`)).toEqual({ page: "case", id, tab: "similar" });
    expect(parseRoute(`#/cases/${id}?tab=activity`)).toEqual({ page: "case", id });
    expect(parseRoute(`#/cases/${id}?tab=bogus`)).toEqual({ page: "case", id });
    expect(routeHref({ page: "case", id, tab: "observables" })).toBe(`#/cases/${id}?tab=observables`);
    expect(routeHref({ page: "case", id, tab: "activity" })).toBe(`#/cases/${id}`);
  });

  it("addresses each Settings section, the first being the default", () => {
    expect(parseRoute("#/settings/connectors")).toEqual({ page: "settings", section: "connectors" });
    expect(parseRoute("#/settings/people")).toEqual({ page: "settings", section: "people" });
    expect(parseRoute("#/settings/closure")).toEqual({ page: "settings" });
    expect(parseRoute("#/settings/bogus")).toEqual({ page: "settings" });
    expect(routeHref({ page: "settings", section: "alert-source" })).toBe("#/settings/alert-source");
    expect(routeHref({ page: "settings", section: "closure" })).toBe("#/settings");
  });

  it("round-trips", () => {
    const id = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
    const routes = [
      { page: "cases" },
      { page: "settings" },
      { page: "settings", section: "spaces" },
      { page: "case", id },
      { page: "case", id, tab: "alerts" },
    ] as const;
    for (const r of routes) {
      expect(parseRoute(routeHref(r))).toEqual(r);
    }
  });
});
