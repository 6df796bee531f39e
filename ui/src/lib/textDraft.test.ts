import { describe, expect, it } from "vitest";
import { clearTextDraft, loadTextDraft, saveTextDraft, textDraftKey } from "./textDraft";
import { memoryStore } from "./testing";

describe("text drafts", () => {
  it("keeps what was typed per case and kind until cleared", () => {
    const store = memoryStore();
    saveTextDraft("comment", "case-1", "half a thought", store);
    saveTextDraft("comment", "case-2", "other case", store);
    expect(loadTextDraft("comment", "case-1", store)).toBe("half a thought");
    expect(loadTextDraft("description", "case-1", store)).toBe("");
    clearTextDraft("comment", "case-1", store);
    expect(loadTextDraft("comment", "case-1", store)).toBe("");
    expect(loadTextDraft("comment", "case-2", store)).toBe("other case");
  });

  it("removes the entry when the text is blank, and survives garbage", () => {
    const store = memoryStore();
    saveTextDraft("comment", "c", "x", store);
    saveTextDraft("comment", "c", "   ", store);
    expect(store.data.has(textDraftKey("comment", "c"))).toBe(false);
    store.setItem(textDraftKey("comment", "c"), "{not json");
    expect(loadTextDraft("comment", "c", store)).toBe("");
  });
});
