import { describe, expect, it } from "vitest";
import {
  DRAFT_KEY,
  EMPTY_DRAFT,
  addTags,
  clearDraft,
  loadDraft,
  saveDraft,
  toCaseCreate,
  validateDraft,
  type CaseDraft,
} from "./draft";

function memoryStore() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const draft = (patch: Partial<CaseDraft> = {}): CaseDraft => ({ ...EMPTY_DRAFT, title: "Phishing wave", ...patch });

describe("validateDraft uses the core's limits", () => {
  it("accepts a normal draft", () => {
    expect(validateDraft(draft())).toEqual({});
  });

  it("title is required and trimmed before measuring", () => {
    expect(validateDraft(draft({ title: "   " })).title).toBe("A title is required.");
    expect(validateDraft(draft({ title: ` ${"t".repeat(160)} ` })).title).toBeUndefined();
    expect(validateDraft(draft({ title: "t".repeat(161) })).title).toBe("At most 160 characters (got 161).");
    expect(validateDraft(draft({ title: "😀".repeat(160) })).title).toBeUndefined();
  });

  it("description at most 30 000 characters", () => {
    expect(validateDraft(draft({ description: "d".repeat(30_000) })).description).toBeUndefined();
    expect(validateDraft(draft({ description: "d".repeat(30_001) })).description).toMatch(/^At most 30.000 characters/);
  });

  it("at most 200 tags of 256 characters, counting the one still typed", () => {
    const tags = Array.from({ length: 200 }, (_, i) => `t${i}`);
    expect(validateDraft(draft({ tags })).tags).toBeUndefined();
    expect(validateDraft(draft({ tags, tagInput: "one-more" })).tags).toBe("At most 200 tags (got 201).");
    expect(validateDraft(draft({ tags: [...tags, "t0"] })).tags).toBeUndefined(); // repeats are dropped
    expect(validateDraft(draft({ tags: ["x".repeat(257)] })).tags).toMatch(/at most 256 characters/);
  });

  it("category at most 50 characters", () => {
    expect(validateDraft(draft({ category: "c".repeat(50) })).category).toBeUndefined();
    expect(validateDraft(draft({ category: "c".repeat(51) })).category).toBe("At most 50 characters (got 51).");
  });
});

describe("addTags", () => {
  it("splits on commas, trims, drops blanks and repeats", () => {
    expect(addTags(["okta"], " phishing, okta ,, mfa\nsso ")).toEqual(["okta", "phishing", "mfa", "sso"]);
  });
});

describe("toCaseCreate", () => {
  it("trims, adds the typed tag, omits an empty category", () => {
    expect(toCaseCreate(draft({ title: "  T  ", description: " d ", tags: ["a"], tagInput: "b", severity: "high" }))).toEqual({
      title: "T",
      description: "d",
      tags: ["a", "b"],
      severity: "high",
      assignees: [],
      custom_fields: [],
    });
    expect(toCaseCreate(draft({ category: " Email " })).category).toBe("Email");
  });
});

describe("draft persistence", () => {
  it("saves, loads and clears", () => {
    const store = memoryStore();
    const d = draft({ description: "**x**", tags: ["a"], tagInput: "b", category: "Email", severity: "critical" });
    saveDraft(d, store);
    expect(loadDraft(store)).toEqual(d);
    clearDraft(store);
    expect(store.data.has(DRAFT_KEY)).toBe(false);
    expect(loadDraft(store)).toEqual(EMPTY_DRAFT);
  });

  it("an empty draft removes the key", () => {
    const store = memoryStore();
    saveDraft(draft(), store);
    saveDraft(EMPTY_DRAFT, store);
    expect(store.data.has(DRAFT_KEY)).toBe(false);
  });

  it("repairs a damaged draft", () => {
    const store = memoryStore();
    store.setItem(DRAFT_KEY, JSON.stringify({ title: 3, severity: "urgent", tags: ["a", 1], category: "x" }));
    expect(loadDraft(store)).toEqual({ ...EMPTY_DRAFT, tags: ["a"], category: "x" });
  });
});
