import { describe, expect, it } from "vitest";
import {
  COLUMNS_KEY,
  columnVisibility,
  isShown,
  loadColumnPrefs,
  sanitizeColumnPrefs,
  saveColumnPrefs,
  toggleColumn,
} from "./columnPrefs";
import { DEFAULT_TABLE_STATE, type CasesTableState } from "./tableState";
import { memoryStore } from "../../testing/builders";

const state = (patch: Partial<CasesTableState> = {}): CasesTableState => ({ ...DEFAULT_TABLE_STATE, ...patch });


describe("column preferences", () => {
  it("keeps only known columns with boolean values; Name cannot be hidden", () => {
    expect(sanitizeColumnPrefs({ tags: false, title: false, bogus: true, status: "no", "cf:urgent": true, "cf:": true })).toEqual({ tags: false, "cf:urgent": true });
    expect(sanitizeColumnPrefs([false])).toEqual({});
    expect(sanitizeColumnPrefs(null)).toEqual({});
  });

  it("persists, and survives garbage in storage", () => {
    const store = memoryStore();
    saveColumnPrefs({ tags: false }, store);
    expect(JSON.parse(store.data.get(COLUMNS_KEY)!)).toEqual({ tags: false });
    expect(loadColumnPrefs(store)).toEqual({ tags: false });
    expect(loadColumnPrefs(memoryStore({ [COLUMNS_KEY]: "{oops" }))).toEqual({});
  });

  it("defaults: Closed on and custom fields off, the rest on", () => {
    const v = columnVisibility(["title", "tags", "closed_at", "external_service", "cf:urgent"], {}, state());
    expect(v).toEqual({ title: true, tags: true, closed_at: false, external_service: true, "cf:urgent": false });
  });

  it("Closed on appears when sorting by it or listing closed cases only, unless the user chose", () => {
    expect(isShown("closed_at", {}, state({ sortField: "closed_at" }))).toBe(true);
    expect(isShown("closed_at", {}, state({ status: ["closed"] }))).toBe(true);
    expect(isShown("closed_at", {}, state({ status: ["open", "closed"] }))).toBe(false);
    expect(isShown("closed_at", { closed_at: false }, state({ status: ["closed"] }))).toBe(false);
    expect(isShown("closed_at", { closed_at: true }, state())).toBe(true);
  });

  it("toggling flips what is shown and drops choices equal to the default", () => {
    let p = toggleColumn({}, "tags", state());
    expect(p).toEqual({ tags: false });
    p = toggleColumn(p, "tags", state());
    expect(p).toEqual({});
    expect(toggleColumn({}, "title", state())).toEqual({});
    expect(toggleColumn({}, "closed_at", state({ status: ["closed"] }))).toEqual({ closed_at: false });
  });
});
