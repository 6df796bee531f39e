import { describe, expect, it } from "vitest";
import { parseRoute, routeHref } from "./route";

describe("routes", () => {
  it("parses the three pages and falls back to the list", () => {
    expect(parseRoute("")).toEqual({ page: "cases" });
    expect(parseRoute("#/cases")).toEqual({ page: "cases" });
    expect(parseRoute("#/settings")).toEqual({ page: "settings" });
    const id = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
    expect(parseRoute(`#/cases/${id.toUpperCase()}`)).toEqual({ page: "case", id });
    expect(parseRoute("#/cases/not-a-uuid")).toEqual({ page: "cases" });
    expect(parseRoute("#/elsewhere")).toEqual({ page: "cases" });
  });

  it("round-trips", () => {
    const id = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
    for (const r of [{ page: "cases" }, { page: "settings" }, { page: "case", id }] as const) {
      expect(parseRoute(routeHref(r))).toEqual(r);
    }
  });
});
