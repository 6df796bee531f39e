import { describe, expect, it } from "vitest";
import type { IdTaskStatus } from "./api/bindings";
import { assignedText, pendingTooltip } from "./ids";

const NOW = Date.parse("2026-11-28T10:00:00Z");
const status = (patch: Partial<IdTaskStatus> = {}): IdTaskStatus => ({
  interval_minutes: 10,
  interval_seconds: 600,
  from_env: false,
  setting_minutes: 10,
  next_run_at: "2026-11-28T10:03:00Z",
  last_run_at: null,
  last_assigned: null,
  ...patch,
});

describe("pendingTooltip", () => {
  it("says the interval and when the next run is due", () => {
    expect(pendingTooltip(status(), NOW)).toBe("Numbers are given every 10 minutes; next run in about 3 min");
    expect(pendingTooltip(status({ next_run_at: "2026-11-28T10:00:20Z" }), NOW)).toBe(
      "Numbers are given every 10 minutes; next run in less than a minute",
    );
    expect(pendingTooltip(status({ interval_minutes: 1, interval_seconds: 60 }), NOW)).toMatch(/^Numbers are given every minute;/);
    expect(pendingTooltip(status({ interval_minutes: 1, interval_seconds: 5 }), NOW)).toMatch(/every 5 seconds/);
  });

  it("falls back to a plain sentence before the schedule is known", () => {
    expect(pendingTooltip(undefined)).toBe("Numbers are given shortly after a case is created");
  });
});

describe("assignedText", () => {
  it("counts what a pass numbered", () => {
    expect(assignedText({ assigned: 0 })).toBe("Every case already has a number");
    expect(assignedText({ assigned: 1 })).toBe("Numbered 1 case");
    expect(assignedText({ assigned: 3 })).toBe("Numbered 3 cases");
  });
});
