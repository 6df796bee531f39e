import { describe, expect, it } from "vitest";
import type { Case } from "../../lib/api/bindings";
import { caseTiming } from "./timing";

const base = {
  created_at: "2026-11-27T10:00:00Z",
  in_progress_at: null,
  closed_at: null,
  duration: null,
  status: "open",
} as unknown as Case;
const at = (iso: string) => Date.parse(iso);

describe("case timing", () => {
  it("runs the open duration up to now while the case is open", () => {
    expect(caseTiming(base, at("2026-11-27T12:30:00Z"))).toEqual({ openFor: 9000, inProgressFor: null, timeToClose: null });
  });

  it("counts time in progress from the first move to in-progress", () => {
    const c = { ...base, status: "in-progress", in_progress_at: "2026-11-27T11:00:00Z" } as Case;
    expect(caseTiming(c, at("2026-11-27T12:00:00Z")).inProgressFor).toBe(3600);
  });

  it("stops the clocks at the close and reports the core's duration", () => {
    const c = {
      ...base,
      status: "closed",
      in_progress_at: "2026-11-27T11:00:00Z",
      closed_at: "2026-11-27T14:00:00Z",
      duration: 14400,
    } as Case;
    expect(caseTiming(c, at("2026-12-30T00:00:00Z"))).toEqual({ openFor: 14400, inProgressFor: 10800, timeToClose: 14400 });
  });
});
