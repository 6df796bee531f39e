import { describe, expect, it } from "vitest";
import { localToRfc3339 } from "./alertFields";

describe("localToRfc3339", () => {
  it("turns a datetime-local value (local time) into RFC 3339 UTC", () => {
    const expected = new Date(2026, 10, 27, 10, 0).toISOString().replace(".000Z", "Z");
    expect(localToRfc3339("2026-11-27T10:00")).toBe(expected);
    expect(localToRfc3339("2026-11-27T10:00")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("is undefined when blank and null when not a time", () => {
    expect(localToRfc3339("")).toBeUndefined();
    expect(localToRfc3339("  ")).toBeUndefined();
    expect(localToRfc3339("yesterday")).toBeNull();
  });
});
