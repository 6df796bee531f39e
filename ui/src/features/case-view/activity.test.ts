import { describe, expect, it } from "vitest";
import type { UserAction } from "../../lib/api/bindings";
import { anAction, memoryStore } from "../../testing/builders";
import {
  ACTION_TYPES,
  describeAction,
  inFilter,
  isAlertAttachment,
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
    const jira = { id: "k1", name: "SOC Jira", type: ".jira" };
    expect(d({ type: "connector", payload: { connector: { ...jira, fields: {} } } })).toBe("chose the connector SOC Jira");
    expect(d({ type: "connector", payload: { connector: { ...jira, fields: { priority: "High", destIp: true } } } })).toBe(
      "chose the connector SOC Jira (priority High, destIp)",
    );
    expect(d({ type: "connector", payload: { connector: { id: "none", name: "none", type: ".none", fields: null } } })).toBe(
      "removed the connector",
    );
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

describe("alert and observable records", () => {
  const alerts = (patch: Partial<UserAction> = {}, total = 12, rule: string | null = "Brute force") =>
    anAction({
      type: "comment",
      action: "create",
      comment_id: null,
      payload: {
        comment: { type: "alert", alertId: ["a1", "a2"], index: [".alerts"], rule: { id: "r-1", name: rule }, owner: "securitySolution" },
        total,
      },
      ...patch,
    });

  it("tells attached and removed alerts, with the rule", () => {
    expect(toFeedEntry(alerts(), new Set())).toMatchObject({ kind: "event", text: "attached 12 alerts from rule Brute force" });
    expect(describeAction(alerts({}, 1))).toBe("attached an alert from rule Brute force");
    expect(describeAction(alerts({}, 3, null))).toBe("attached 3 alerts");
    expect(describeAction(alerts({ action: "delete" }, 1))).toBe("removed an alert from rule Brute force");
    expect(describeAction(alerts({}, 12_000))).toBe(`attached ${(12_000).toLocaleString()} alerts from rule Brute force`);
  });

  it("keeps alert attachments out of the Comments filter only", () => {
    const user = anAction({ type: "comment", action: "create", comment_id: "k1", payload: { comment: { comment: "hi", type: "user" } } });
    expect(isAlertAttachment(alerts())).toBe(true);
    expect(isAlertAttachment(user)).toBe(false);
    expect(inFilter(alerts(), "comments")).toBe(false);
    expect(inFilter(alerts(), "all")).toBe(true);
    expect(inFilter(user, "comments")).toBe(true);
  });

  it("tells added, updated and deleted observables with their types' labels", () => {
    const obs = (action: UserAction["action"], kind: string, values: { typeKey: string; value: string }[]) =>
      anAction({ type: "observables", action, payload: { observables: { count: values.length, actionType: kind, values } } });
    const ip = { typeKey: "observable-type-ipv4", value: "192.0.2.1" };
    const domain = { typeKey: "observable-type-domain", value: "evil.example.com" };
    const ja3 = { typeKey: "ja3", value: "771,4865-4866" };
    const url = { typeKey: "observable-type-url", value: "https://evil.example.com/x" };
    expect(describeAction(obs("add", "add", [ip, domain, url]))).toBe(
      "added 3 observables (IPv4 192.0.2.1, Domain evil.example.com, URL https://evil.example.com/x)",
    );
    expect(describeAction(obs("add", "add", [ip, domain, url, ja3]))).toBe(
      "added 4 observables (IPv4 192.0.2.1, Domain evil.example.com, URL https://evil.example.com/x, and 1 more)",
    );
    expect(describeAction(obs("update", "update", [ip]))).toBe("updated an observable (IPv4 192.0.2.1)");
    expect(describeAction(obs("delete", "delete", [ip]))).toBe("deleted an observable (IPv4 192.0.2.1)");
    // A custom type reads with the space's label; an unknown one with its key.
    const label = (k: string) => (k === "ja3" ? "JA3 fingerprint" : k);
    expect(describeAction(obs("add", "add", [ja3]), label)).toBe("added an observable (JA3 fingerprint 771,4865-4866)");
    expect(describeAction(obs("add", "add", [ja3]))).toBe("added an observable (ja3 771,4865-4866)");
    expect(toFeedEntry(obs("add", "add", [ip]), new Set())).toMatchObject({ kind: "event", text: "added an observable (IPv4 192.0.2.1)" });
  });

  it("says where both alert switches stand when the settings change", () => {
    expect(describeAction(anAction({ type: "settings", payload: { settings: { sync_alerts: true, extract_observables: false } } }))).toBe(
      "changed the case settings: alert syncing on, observable extraction off",
    );
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
