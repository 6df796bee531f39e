import { describe, expect, it } from "vitest";
import { charCount, formatCount, formatDuration, formatShortDateTime } from "./format";

describe("formatDuration", () => {
  it("uses the two largest units", () => {
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 5 * 60)).toBe("3d 4h");
    expect(formatDuration(12 * 60 + 5)).toBe("12m 5s");
    expect(formatDuration(45)).toBe("45s");
    expect(formatDuration(3_600)).toBe("1h");
    expect(formatDuration(86_400 + 59)).toBe("1d");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(0.4)).toBe("0s");
    expect(formatDuration(59.6)).toBe("1m");
  });
  it("shows a dash when there is nothing to show", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(-1)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe("charCount", () => {
  it("counts code points", () => {
    expect(charCount("abc")).toBe(3);
    expect(charCount("😀é")).toBe(2);
  });
});

describe("formatCount", () => {
  it("groups thousands with the locale's separator", () => {
    expect(formatCount(60_000)).toMatch(/^60\D000$/);
    expect(formatCount(1_234_567)).toMatch(/^1\D234\D567$/);
    expect(formatCount(999)).toBe("999");
  });
  it("shows a dash for no count", () => {
    expect(formatCount(null)).toBe("—");
    expect(formatCount(undefined)).toBe("—");
  });
});

describe("formatShortDateTime", () => {
  const now = new Date(2026, 11, 7, 16, 0);
  const clock = (d: Date) => d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  it("gives the time today, the day this year, the date before", () => {
    const today = new Date(2026, 11, 7, 9, 5);
    expect(formatShortDateTime(today.toISOString(), now)).toBe(clock(today));
    expect(formatShortDateTime(new Date(2026, 2, 3, 9, 5).toISOString(), now)).toBe(
      new Date(2026, 2, 3).toLocaleDateString(undefined, { month: "short", day: "numeric" }),
    );
    expect(formatShortDateTime(new Date(2025, 2, 3, 9, 5).toISOString(), now)).toBe(
      new Date(2025, 2, 3).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }),
    );
    expect(formatShortDateTime("not a date", now)).toBe("not a date");
  });
});
