import { describe, expect, it } from "vitest";
import { customRangeProblem, rangeBounds, rangeLabel, sanitizeDateRange } from "./dateRange";

const now = new Date(2026, 11, 7, 14, 35, 42, 500);

describe("date ranges", () => {
  it("quick ranges count back from now, to the minute, and leave the end open", () => {
    const minute = new Date(2026, 11, 7, 14, 35).getTime();
    expect(rangeBounds({ quick: "24h" }, now)).toEqual({ from: new Date(minute - 86_400_000).toISOString() });
    expect(rangeBounds({ quick: "7d" }, now)).toEqual({ from: new Date(minute - 7 * 86_400_000).toISOString() });
    expect(rangeBounds({ quick: "today" }, now)).toEqual({ from: new Date(2026, 11, 7).toISOString() });
    expect(rangeBounds({ quick: "month" }, now)).toEqual({ from: new Date(2026, 11, 1).toISOString() });
    expect(rangeBounds({ quick: "year" }, now)).toEqual({ from: new Date(2026, 0, 1).toISOString() });
    // The same query for the whole minute.
    expect(rangeBounds({ quick: "1h" }, new Date(2026, 11, 7, 14, 35, 59))).toEqual(rangeBounds({ quick: "1h" }, now));
  });

  it("custom days cover whole days in the user's time zone", () => {
    expect(rangeBounds({ from: "2026-03-01", to: "2026-03-31" }, now)).toEqual({
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 2, 31, 23, 59, 59, 999).toISOString(),
    });
    expect(rangeBounds({ from: null, to: "2026-03-31" }, now)).toEqual({ to: new Date(2026, 2, 31, 23, 59, 59, 999).toISOString() });
    expect(rangeLabel({ from: "2026-03-01", to: null })).toBe("Since 2026-03-01");
    expect(rangeLabel({ from: null, to: "2026-03-31" })).toBe("Until 2026-03-31");
    expect(rangeLabel({ quick: "90d" })).toBe("Last 90 days");
  });

  it("refuses what the core would refuse, and cleans what was stored", () => {
    expect(customRangeProblem("", "")).toBe("Pick a first day, a last day, or both.");
    expect(customRangeProblem("2026-04-01", "2026-03-01")).toBe("The first day must not be after the last.");
    expect(customRangeProblem("2026-02-30", "")).toBe("Enter days as YYYY-MM-DD.");
    expect(customRangeProblem("2026-03-01", "")).toBeNull();
    expect(sanitizeDateRange({ quick: "7d" })).toEqual({ quick: "7d" });
    expect(sanitizeDateRange({ quick: "forever" })).toBeNull();
    expect(sanitizeDateRange({ from: "2026-04-01", to: "2026-03-01" })).toBeNull();
    expect(sanitizeDateRange({ from: "junk", to: "2026-03-01" })).toEqual({ from: null, to: "2026-03-01" });
    expect(sanitizeDateRange("7d")).toBeNull();
  });
});
