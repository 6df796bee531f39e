import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import type { Case } from "../../lib/api/bindings";
import { aCase } from "../../testing/builders";
import { CaseTiming } from "./CaseTiming";

const CREATED = "2026-11-27T10:00:00Z";
/** The figure shown after a label ("Open for" → "12m 5s"). */
const figure = (label: string) => screen.getByText(label).nextElementSibling?.textContent;
const advance = (ms: number) => act(() => vi.advanceTimersByTime(ms));

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("case timing on an open page", () => {
  it("ticks each second while the figures show seconds", () => {
    vi.setSystemTime(new Date("2026-11-27T10:12:05Z"));
    render(<CaseTiming current={aCase(1, { created_at: CREATED, status: "open" })} />);
    expect(figure("Open for")).toBe("12m 5s");
    advance(1_000);
    expect(figure("Open for")).toBe("12m 6s");
    advance(55_000);
    expect(figure("Open for")).toBe("13m 1s");
  });

  it("ticks each minute past the hour, in progress too", () => {
    vi.setSystemTime(new Date("2026-11-27T12:00:00Z"));
    const c = aCase(1, { created_at: CREATED, status: "in-progress", in_progress_at: "2026-11-27T10:30:00Z" });
    render(<CaseTiming current={c} />);
    expect([figure("Open for"), figure("In progress for")]).toEqual(["2h", "1h 30m"]);
    advance(60_000);
    expect([figure("Open for"), figure("In progress for")]).toEqual(["2h 1m", "1h 31m"]);
  });

  it("stops at the close, and runs again from now when the case is reopened", () => {
    vi.setSystemTime(new Date("2026-11-27T12:00:00Z"));
    const closed: Case = aCase(1, { created_at: CREATED, status: "closed", closed_at: "2026-11-27T11:00:00Z", duration: 3600 });
    const view = render(<CaseTiming current={closed} />);
    expect([figure("Was open for"), figure("Time to close")]).toEqual(["1h", "1h"]);
    advance(10 * 60_000);
    expect(figure("Was open for")).toBe("1h");

    view.rerender(<CaseTiming current={{ ...closed, status: "open", closed_at: null, duration: null }} />);
    expect(figure("Open for")).toBe("2h 10m");
    expect(figure("Time to close")).toBe("Not closed");
    advance(60_000);
    expect(figure("Open for")).toBe("2h 11m");
  });
});
