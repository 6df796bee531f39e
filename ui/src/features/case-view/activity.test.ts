import { describe, expect, it } from "vitest";
import type { UserAction } from "../../lib/api/bindings";
import { anAction, memoryStore } from "../../lib/testing";
import {
  ACTION_TYPES,
  describeAction,
  insertQuote,
  loadFeedPrefs,
  quoteMarkdown,
  saveFeedPrefs,
  toFeedEntry,
  typesFor,
} from "./activity";

describe("activity filters", () => {
  it("asks the core for every type, comments only, or everything but comments", () => {
    expect(typesFor("all")).toEqual([]);
    expect(typesFor("comments")).toEqual(["comment"]);
    const history = typesFor("history");
    expect(history).not.toContain("comment");
    expect(history).toHaveLength(ACTION_TYPES.length - 1);
  });

  it("keeps the chosen filter and order, and repairs garbage", () => {
    const store = memoryStore();
    expect(loadFeedPrefs(store)).toEqual({ filter: "all", order: "asc" });
    saveFeedPrefs({ filter: "history", order: "desc" }, store);
    expect(loadFeedPrefs(store)).toEqual({ filter: "history", order: "desc" });
    store.setItem("casebook.case.activity", JSON.stringify({ filter: "bogus", order: 3 }));
    expect(loadFeedPrefs(store)).toEqual({ filter: "all", order: "asc" });
  });
});

describe("feed entries", () => {
  it("shows a live comment as its card, hides its edits, and notes deletions", () => {
    const live = new Set(["k1"]);
    expect(toFeedEntry(anAction({ type: "comment", action: "create", comment_id: "k1" }), live).kind).toBe("comment");
    expect(toFeedEntry(anAction({ type: "comment", action: "update", comment_id: "k1" }), live).kind).toBe("hidden");
    // Created, then deleted: the creation disappears, the deletion is a line.
    expect(toFeedEntry(anAction({ type: "comment", action: "create", comment_id: "gone" }), live).kind).toBe("hidden");
    const del = toFeedEntry(anAction({ type: "comment", action: "delete", comment_id: "gone" }), live);
    expect(del).toMatchObject({ kind: "event", text: "deleted a comment" });
  });

  it("describes changes in words an analyst reads at a glance", () => {
    const d = (patch: Partial<UserAction>) => describeAction(anAction(patch));
    expect(d({ type: "create_case", action: "create" })).toBe("created the case");
    expect(d({ type: "status", payload: { status: "closed" } })).toBe("marked the case as Closed");
    expect(d({ type: "status", payload: { status: "in-progress" } })).toBe("marked the case as In progress");
    expect(d({ type: "severity", payload: { severity: "critical" } })).toBe("changed severity to Critical");
    expect(d({ type: "tags", action: "add", payload: { tags: ["phishing", "mfa"] } })).toBe("added tags phishing, mfa");
    expect(d({ type: "tags", action: "delete", payload: { tags: ["mfa"] } })).toBe("removed tag mfa");
    expect(d({ type: "assignees", action: "add", payload: { assignees: [{ uid: "jdoe" }] } })).toBe("assigned jdoe");
    expect(d({ type: "assignees", action: "delete", payload: { assignees: [{ uid: "jdoe" }] } })).toBe("unassigned jdoe");
    expect(d({ type: "category", payload: { category: "Email" } })).toBe("set the category to “Email”");
    expect(d({ type: "category", payload: { category: null } })).toBe("removed the category");
    expect(d({ type: "title", payload: { title: "New name" } })).toBe("renamed the case to “New name”");
    expect(d({ type: "description", payload: { description: "x" } })).toBe("edited the description");
    expect(d({ type: "settings", payload: { settings: { sync_alerts: false } } })).toBe("turned off alert syncing");
    expect(d({ type: "delete_case", action: "delete" })).toBe("deleted the case");
  });

  it("never throws on an unexpected payload", () => {
    for (const type of ACTION_TYPES) {
      for (const payload of [null, 3, "x", [], { tags: "nope", status: 9 }]) {
        expect(typeof describeAction(anAction({ type, payload }))).toBe("string");
      }
    }
  });

  it("shortens a very long new title", () => {
    const text = describeAction(anAction({ type: "title", payload: { title: "a".repeat(200) } }));
    expect(text.length).toBeLessThan(110);
    expect(text).toContain("…");
  });
});

describe("quoting", () => {
  it("prefixes every line, keeps blank lines inside the quote, and ends with a blank line", () => {
    expect(quoteMarkdown("first\n\nsecond\n")).toBe("> first\n>\n> second\n\n");
  });

  it("appends to what is already typed", () => {
    expect(insertQuote("", "hi")).toBe("> hi\n\n");
    expect(insertQuote("my reply  \n", "hi")).toBe("my reply\n\n> hi\n\n");
  });
});
