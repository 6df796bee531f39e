import { describe, expect, it } from "vitest";
import { memoryStore } from "../../testing/builders";
import {
  DEFAULT_TABLE_STATE,
  TABLE_STATE_KEY,
  effectiveSort,
  hasFilters,
  loadTableState,
  maxPage,
  sanitizeTableState,
  saveTableState,
  tableReducer,
  toFindQuery,
  type CasesTableState,
} from "./tableState";


const state = (patch: Partial<CasesTableState> = {}): CasesTableState => ({ ...DEFAULT_TABLE_STATE, ...patch });

describe("persistence", () => {
  it("round-trips through storage", () => {
    const store = memoryStore();
    const s = state({ search: "okta", status: ["open"], severity: ["high", "critical"], sortField: "updated_at", sortOrder: "asc", page: 3, perPage: 50 });
    saveTableState(s, store);
    expect(JSON.parse(store.data.get(TABLE_STATE_KEY)!)).toEqual(s);
    expect(loadTableState(store)).toEqual(s);
  });

  it("falls back to defaults for missing, corrupt or foreign data", () => {
    expect(loadTableState(memoryStore())).toEqual(DEFAULT_TABLE_STATE);
    expect(loadTableState(memoryStore({ [TABLE_STATE_KEY]: "{not json" }))).toEqual(DEFAULT_TABLE_STATE);
    expect(loadTableState(memoryStore({ [TABLE_STATE_KEY]: "[1,2]" }))).toEqual(DEFAULT_TABLE_STATE);
    expect(loadTableState(memoryStore({ [TABLE_STATE_KEY]: "null" }))).toEqual(DEFAULT_TABLE_STATE);
  });

  it("keeps only valid values, in canonical order", () => {
    const s = sanitizeTableState({
      search: 42,
      status: ["closed", "bogus", "open", "open"],
      severity: ["critical", "urgent", "low"],
      sortField: "created; DROP TABLE",
      sortOrder: "sideways",
      page: -3,
      perPage: 1000,
    });
    expect(s).toEqual({ ...DEFAULT_TABLE_STATE, status: ["open", "closed"], severity: ["low", "critical"] });
  });

  it("clamps the page to what the core serves (page × per_page ≤ 10 000)", () => {
    expect(sanitizeTableState({ page: 500, perPage: 100 }).page).toBe(100);
    expect(sanitizeTableState({ page: 2.5 }).page).toBe(1);
    expect(maxPage(25)).toBe(400);
  });

  it("survives a storage that throws", () => {
    const broken = {
      getItem: () => { throw new Error("denied"); },
      setItem: () => { throw new Error("quota"); },
      removeItem: () => {},
    };
    expect(loadTableState(broken)).toEqual(DEFAULT_TABLE_STATE);
    expect(() => saveTableState(DEFAULT_TABLE_STATE, broken)).not.toThrow();
  });
});

describe("tableReducer", () => {
  it("filters and search go back to page 1", () => {
    const s = state({ page: 4 });
    expect(tableReducer(s, { type: "search", search: "x" }).page).toBe(1);
    expect(tableReducer(s, { type: "toggleStatus", status: "open" }).page).toBe(1);
    expect(tableReducer(s, { type: "toggleSeverity", severity: "low" }).page).toBe(1);
  });

  it("an unchanged search keeps the page", () => {
    const s = state({ search: "x", page: 4 });
    expect(tableReducer(s, { type: "search", search: "x" })).toBe(s);
  });

  it("toggles statuses and severities", () => {
    let s = tableReducer(state(), { type: "toggleStatus", status: "closed" });
    s = tableReducer(s, { type: "toggleStatus", status: "open" });
    expect(s.status).toEqual(["open", "closed"]);
    s = tableReducer(s, { type: "toggleStatus", status: "closed" });
    expect(s.status).toEqual(["open"]);
  });

  it("sorting: first click by the column's natural order, second flips", () => {
    let s = tableReducer(state(), { type: "sort", field: "title" });
    expect([s.sortField, s.sortOrder]).toEqual(["title", "asc"]);
    s = tableReducer(s, { type: "sort", field: "title" });
    expect([s.sortField, s.sortOrder]).toEqual(["title", "desc"]);
    s = tableReducer(s, { type: "sort", field: "updated_at" });
    expect([s.sortField, s.sortOrder]).toEqual(["updated_at", "desc"]);
  });

  it("clicking the default sort column flips it", () => {
    const s = tableReducer(state(), { type: "sort", field: "created_at" });
    expect([s.sortField, s.sortOrder]).toEqual(["created_at", "asc"]);
  });

  it("while searching the default is relevance", () => {
    expect(effectiveSort(state({ search: "okta" }))).toEqual({ field: "relevance", order: "desc" });
    const s = tableReducer(state({ search: "okta" }), { type: "sort", field: "created_at" });
    expect([s.sortField, s.sortOrder]).toEqual(["created_at", "desc"]);
    expect(tableReducer(s, { type: "resetSort" }).sortField).toBeNull();
  });

  it("changing the page size keeps the first visible case on screen", () => {
    const s = tableReducer(state({ page: 3, perPage: 25 }), { type: "perPage", perPage: 10 });
    expect(s).toMatchObject({ perPage: 10, page: 6 }); // case 51 is on page 6 of 10
    expect(tableReducer(state(), { type: "perPage", perPage: 7 })).toEqual(state());
  });

  it("pages are clamped", () => {
    expect(tableReducer(state(), { type: "page", page: 0 }).page).toBe(1);
    expect(tableReducer(state({ perPage: 100 }), { type: "page", page: 101 }).page).toBe(100);
  });

  it("clearFilters keeps sort and page size", () => {
    const s = tableReducer(state({ search: "a", status: ["open"], severity: ["low"], sortField: "title", perPage: 50, page: 2 }), { type: "clearFilters" });
    expect(s).toEqual(state({ sortField: "title", perPage: 50 }));
    expect(hasFilters(s)).toBe(false);
  });
});

describe("toFindQuery", () => {
  it("maps the state to the core's query", () => {
    const q = toFindQuery("red-team", state({ search: "  #12  ", status: ["open"], severity: ["high"], sortField: "severity", sortOrder: "asc", page: 2, perPage: 50 }));
    expect(q).toEqual({
      space: "red-team",
      status: ["open"],
      severity: ["high"],
      tags: [],
      assignees: [],
      reporters: [],
      category: [],
      custom_toggles: [],
      search: "#12",
      sort_field: "severity",
      sort_order: "asc",
      page: 2,
      per_page: 50,
    });
  });

  it("leaves out an empty search and the default sort", () => {
    const q = toFindQuery("default", state({ search: "   " }));
    expect("search" in q).toBe(false);
    expect("sort_field" in q).toBe(false);
  });
});

describe("list and toggle filters", () => {
  it("sanitizes stored lists: strings only, no blanks or repeats, at most 100", () => {
    const s = sanitizeTableState({
      tags: ["a", "a", "", "  ", 7, null, "b", "x".repeat(300)],
      assignees: ["none", "ana"],
      reporters: "ana",
      category: Array.from({ length: 150 }, (_, i) => `c${i}`),
      toggles: { urgent: true, legal: false, bad: "yes", "": true },
    });
    expect(s.tags).toEqual(["a", "b"]);
    expect(s.assignees).toEqual(["none", "ana"]);
    expect(s.reporters).toEqual([]);
    expect(s.category).toHaveLength(100);
    expect(s.toggles).toEqual({ urgent: true, legal: false });
    expect(sanitizeTableState({ toggles: ["urgent"] }).toggles).toEqual({});
  });

  it("round-trips the new filters through storage", () => {
    const store = memoryStore();
    const s = state({ tags: ["phishing"], assignees: ["none"], reporters: ["ana"], category: ["Email"], toggles: { urgent: true } });
    saveTableState(s, store);
    expect(loadTableState(store)).toEqual(s);
  });

  it("toggles values, back to page 1, and refuses the 101st", () => {
    let s = tableReducer(state({ page: 3 }), { type: "toggleValue", filter: "tags", value: "okta" });
    expect(s).toMatchObject({ tags: ["okta"], page: 1 });
    s = tableReducer(s, { type: "toggleValue", filter: "tags", value: "mfa" });
    s = tableReducer(s, { type: "toggleValue", filter: "tags", value: "okta" });
    expect(s.tags).toEqual(["mfa"]);
    const full = state({ category: Array.from({ length: 100 }, (_, i) => `c${i}`) });
    expect(tableReducer(full, { type: "toggleValue", filter: "category", value: "new" })).toBe(full);
    expect(tableReducer(full, { type: "toggleValue", filter: "category", value: "c5" }).category).toHaveLength(99);
    expect(tableReducer(state(), { type: "toggleValue", filter: "tags", value: "  " })).toEqual(state());
    expect(tableReducer(state({ reporters: ["a"], page: 2 }), { type: "clearList", filter: "reporters" })).toMatchObject({ reporters: [], page: 1 });
  });

  it("sets and clears toggle filters", () => {
    let s = tableReducer(state({ page: 2 }), { type: "setToggle", key: "urgent", value: false });
    expect(s).toMatchObject({ toggles: { urgent: false }, page: 1 });
    expect(tableReducer(s, { type: "setToggle", key: "urgent", value: false })).toBe(s);
    s = tableReducer(s, { type: "setToggle", key: "urgent", value: null });
    expect(s.toggles).toEqual({});
  });

  it("each filter counts for hasFilters, and clearFilters clears them all", () => {
    for (const patch of [{ tags: ["a"] }, { assignees: ["none"] }, { reporters: ["ana"] }, { category: ["Email"] }, { toggles: { u: true } }]) {
      const s = state(patch);
      expect(hasFilters(s)).toBe(true);
      expect(hasFilters(tableReducer(s, { type: "clearFilters" }))).toBe(false);
    }
  });

  it("maps them to the query, leaving out toggle fields the space no longer has", () => {
    const s = state({ tags: ["a"], assignees: ["none", "bob"], reporters: ["ana"], category: ["Email"], toggles: { zeta: true, alpha: false } });
    expect(toFindQuery("default", s)).toMatchObject({
      tags: ["a"],
      assignees: ["none", "bob"],
      reporters: ["ana"],
      category: ["Email"],
      custom_toggles: [{ key: "alpha", value: false }, { key: "zeta", value: true }],
    });
    expect(toFindQuery("default", s, ["zeta"]).custom_toggles).toEqual([{ key: "zeta", value: true }]);
    expect(toFindQuery("default", s, []).custom_toggles).toEqual([]);
  });
});

describe("date range", () => {
  const now = new Date(2026, 11, 7, 14, 35);

  it("is a filter: back to page 1, cleared with the others; the field is kept", () => {
    let s = tableReducer(state({ page: 4 }), { type: "dateRange", range: { quick: "30d" } });
    expect(s).toMatchObject({ page: 1, dateRange: { quick: "30d" } });
    expect(hasFilters(s)).toBe(true);
    s = tableReducer({ ...s, page: 2 }, { type: "dateField", field: "updated_at" });
    expect(s).toMatchObject({ page: 1, dateField: "updated_at" });
    s = tableReducer(s, { type: "clearFilters" });
    expect(s).toMatchObject({ dateRange: null, dateField: "updated_at" });
    expect(hasFilters(s)).toBe(false);
    // Without a range the field changes nothing listed: the page stays.
    expect(tableReducer({ ...s, page: 3 }, { type: "dateField", field: "created_at" }).page).toBe(3);
    // Days in the wrong order are refused.
    expect(tableReducer(s, { type: "dateRange", range: { from: "2026-05-01", to: "2026-04-01" } })).toBe(s);
  });

  it("becomes from/to and the field in the core's query", () => {
    const q = toFindQuery("default", state({ dateField: "updated_at", dateRange: { from: "2026-03-01", to: null } }), undefined, now);
    expect(q).toMatchObject({ from: new Date(2026, 2, 1).toISOString(), date_field: "updated_at" });
    expect(q.to).toBeUndefined();
    const none = toFindQuery("default", state({ dateField: "updated_at" }), undefined, now);
    expect([none.from, none.to, none.date_field]).toEqual([undefined, undefined, undefined]);
  });

  it("survives storage, and junk becomes no range", () => {
    const store = memoryStore();
    const s = state({ dateField: "updated_at", dateRange: { quick: "today" } });
    saveTableState(s, store);
    expect(loadTableState(store)).toEqual(s);
    expect(sanitizeTableState({ dateField: "closed_at", dateRange: { quick: "ever" } })).toMatchObject({ dateField: "created_at", dateRange: null });
  });
});
