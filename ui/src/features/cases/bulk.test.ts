import { describe, expect, it } from "vitest";
import type { BulkBatch, Case } from "../../lib/api/bindings";
import { formatCount } from "../../lib/format";
import {
  addBatch,
  bulkMessage,
  bulkPatches,
  casesNoun,
  coreChange,
  emptyReport,
  labelChanges,
  nextPresence,
  presenceOf,
  seenOf,
} from "./bulk";

const c = (id: string, version: string) => ({ id, version }) as Case;

describe("bulk edits", () => {
  it("one patch per case, each with its version", () => {
    const patches = bulkPatches([c("a", "3"), c("b", "7")], { kind: "status", status: "closed" });
    expect(patches).toEqual([
      { id: "a", version: "3", status: "closed", add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] },
      { id: "b", version: "7", status: "closed", add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] },
    ]);
    const a = bulkPatches([c("a", "1")], { kind: "assignees", add: ["bob"], remove: ["ana"] })[0];
    expect(a).toMatchObject({ add_assignees: [{ uid: "bob" }], remove_assignees: [{ uid: "ana" }] });
    expect(bulkPatches([c("a", "1")], { kind: "tags", add: ["x"], remove: ["y"] })[0]).toMatchObject({ add_tags: ["x"], remove_tags: ["y"] });
    expect(bulkPatches([c("a", "1")], { kind: "severity", severity: "low" })[0].severity).toBe("low");
  });

  it("says what happened", () => {
    expect(bulkMessage(2, { kind: "status", status: "closed" })).toBe("2 cases closed");
    expect(bulkMessage(1, { kind: "status", status: "in-progress" })).toBe("1 case marked in progress");
    expect(bulkMessage(3, { kind: "severity", severity: "high" })).toBe("3 cases set to High severity");
    expect(bulkMessage(2, { kind: "delete" })).toBe("2 cases deleted");
  });

  it("presence: on every selected case or only some", () => {
    const p = presenceOf([["a", "b"], ["a"], ["a", "c", "c"]]);
    expect([...p]).toEqual([["a", "all"], ["b", "some"], ["c", "some"]]);
    expect(nextPresence("some")).toBe("all");
    expect(nextPresence("all")).toBe("none");
    expect(nextPresence("none")).toBe("all");
  });

  it("only values the user changed are added or removed", () => {
    const initial = presenceOf([["a", "b"], ["a"]]);
    const chosen = new Map(initial).set("a", "none").set("b", "all").set("new", "all");
    expect(labelChanges(initial, chosen)).toEqual({ add: ["b", "new"], remove: ["a"] });
    expect(labelChanges(initial, new Map(initial))).toEqual({ add: [], remove: [] });
  });
});

describe("a batched run's report", () => {
  const b = (changed: number, next: string | null): BulkBatch => ({ changed, unchanged: 1, skipped: [], failed: [], next });

  it("adds the batches up; after the last, the selected cases not met are gone", () => {
    let r = emptyReport(10);
    r = addBatch(r, b(3, "4"));
    expect([r.changed, r.unchanged, r.gone, seenOf(r)]).toEqual([3, 1, 0, 4]);
    r = addBatch(r, b(2, null));
    expect([r.changed, r.unchanged, r.gone, seenOf(r)]).toEqual([5, 2, 3, 7]);
  });

  it("sends each kind of change in the core's shape", () => {
    const none = { add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] };
    expect(coreChange({ kind: "status", status: "closed" })).toEqual({ ...none, status: "closed" });
    expect(coreChange({ kind: "assignees", add: ["bob"], remove: ["ana"] })).toEqual({
      ...none,
      add_assignees: [{ uid: "bob" }],
      remove_assignees: [{ uid: "ana" }],
    });
  });

  it("counts with thousands separators", () => {
    expect(casesNoun(48_210)).toBe(`${formatCount(48_210)} cases`);
    expect(bulkMessage(12_000, { kind: "delete" })).toBe(`${formatCount(12_000)} cases deleted`);
  });
});
