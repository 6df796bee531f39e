import { describe, expect, it } from "vitest";
import type { Case } from "../../lib/api/bindings";
import { bulkMessage, bulkPatches, labelChanges, nextPresence, presenceOf } from "./bulk";

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
