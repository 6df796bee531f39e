import { describe, expect, it } from "vitest";
import {
  DRAFT_KEY,
  EMPTY_DRAFT,
  addTags,
  applyTemplate,
  clearDraft,
  createDraftKey,
  isEmptyDraft,
  loadDraft,
  saveDraft,
  templateOverwrites,
  toCaseCreate,
  type CaseDraft,
} from "./draft";
import type { CustomFieldDefinition, Template } from "../../lib/api/bindings";
import { memoryStore } from "../../testing/builders";


const draft = (patch: Partial<CaseDraft> = {}): CaseDraft => ({ ...EMPTY_DRAFT, title: "Phishing wave", ...patch });

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
      settings: { sync_alerts: true, extract_observables: true },
    });
    expect(toCaseCreate(draft({ category: " Email " })).category).toBe("Email");
  });
});

describe("draft persistence", () => {
  it("saves, loads and clears", () => {
    const store = memoryStore();
    const d = draft({ description: "**x**", tags: ["a"], tagInput: "b", category: "Email", severity: "critical" });
    saveDraft("default", d, store);
    expect(loadDraft("default", store)).toEqual(d);
    clearDraft("default", store);
    expect(store.data.has(DRAFT_KEY)).toBe(false);
    expect(loadDraft("default", store)).toEqual(EMPTY_DRAFT);
  });

  it("keeps one draft per space, the default space's where drafts always were", () => {
    const store = memoryStore();
    saveDraft("default", draft({ title: "In default" }), store);
    saveDraft("soc-emea", draft({ title: "In EMEA" }), store);
    expect(loadDraft("default", store).title).toBe("In default");
    expect(loadDraft("soc-emea", store).title).toBe("In EMEA");
    expect(loadDraft("soc-apac", store)).toEqual(EMPTY_DRAFT);
    expect(JSON.parse(store.data.get(DRAFT_KEY)!).title).toBe("In default");
    expect([createDraftKey("default"), createDraftKey("soc-emea")]).toEqual(["create-case", "create-case.soc-emea"]);
    clearDraft("soc-emea", store);
    expect(loadDraft("default", store).title).toBe("In default");
  });

  it("an empty draft removes the key", () => {
    const store = memoryStore();
    saveDraft("default", draft(), store);
    saveDraft("default", EMPTY_DRAFT, store);
    expect(store.data.has(DRAFT_KEY)).toBe(false);
  });

  it("repairs a damaged draft", () => {
    const store = memoryStore();
    store.setItem(DRAFT_KEY, JSON.stringify({ title: 3, severity: "urgent", tags: ["a", 1], category: "x" }));
    expect(loadDraft("default", store)).toEqual({ ...EMPTY_DRAFT, tags: ["a"], category: "x" });
    store.setItem(
      DRAFT_KEY,
      JSON.stringify({ assignees: ["ana", 7], customFields: { a: "x", b: { o: 1 }, c: 3, d: null }, syncAlerts: "no", template: 4 }),
    );
    expect(loadDraft("default", store)).toEqual({ ...EMPTY_DRAFT, assignees: ["ana"], customFields: { a: "x", c: 3, d: null } });
  });

  it("keeps assignees, custom field values, the alert switches and the template", () => {
    const store = memoryStore();
    const d = draft({
      assignees: ["ana", "bob"],
      customFields: { risk: "12", reviewed: true, note: null },
      syncAlerts: false,
      extractObservables: false,
      template: "phishing",
    });
    saveDraft("default", d, store);
    expect(loadDraft("default", store)).toEqual(d);
  });

  it("any one new field alone makes the draft worth keeping", () => {
    for (const patch of [{ assignees: ["ana"] }, { customFields: { a: null } }, { syncAlerts: false }, { extractObservables: false }, { template: "t" }]) {
      const d = { ...EMPTY_DRAFT, ...patch };
      expect(isEmptyDraft(d)).toBe(false);
      const store = memoryStore();
      saveDraft("default", d, store);
      expect(loadDraft("default", store)).toEqual(d);
    }
  });
});

const DEFS: CustomFieldDefinition[] = [
  { key: "risk", label: "Risk score", type: "number", required: true },
  { key: "ticket", label: "Ticket", type: "text", required: false, default_value: "INC-0" },
  { key: "reviewed", label: "Reviewed", type: "toggle", required: true, default_value: true },
];

describe("custom fields in the draft", () => {
  it("sends what was typed, for the core to judge: numbers as numbers only when they are plain digits", () => {
    const risk = (typed: string) => toCaseCreate(draft({ customFields: { risk: typed } }), DEFS).custom_fields[0].value;
    expect(risk(" -7 ")).toBe(-7);
    expect(risk("4.5")).toBe("4.5");
    expect(risk("9007199254740992")).toBe("9007199254740992");
    expect(risk("1e3")).toBe("1e3");
    expect(risk("  ")).toBeNull();
    // A long text goes whole: the core says it is too long.
    const ticket = toCaseCreate(draft({ customFields: { ticket: "t".repeat(161) } }), DEFS).custom_fields[1].value;
    expect(ticket).toBe("t".repeat(161));
  });

  it("sends one value per definition, defaults filled, unknown keys dropped", () => {
    const input = toCaseCreate(draft({ customFields: { risk: " 42 ", gone: "x" }, assignees: ["ana"], syncAlerts: false }), DEFS);
    expect(input.custom_fields).toEqual([
      { key: "risk", type: "number", value: 42 },
      { key: "ticket", type: "text", value: "INC-0" },
      { key: "reviewed", type: "toggle", value: true },
    ]);
    expect(input.assignees).toEqual([{ uid: "ana" }]);
    expect(input.settings).toEqual({ sync_alerts: false, extract_observables: true });
    expect(toCaseCreate(draft({ extractObservables: false })).settings).toEqual({ sync_alerts: true, extract_observables: false });
    // A cleared optional text field is sent as null, not as its default.
    expect(toCaseCreate(draft({ customFields: { risk: 1, ticket: null } }), DEFS).custom_fields[1].value).toBeNull();
  });
});

const TEMPLATE: Template = {
  key: "phishing",
  name: "Phishing",
  tags: [],
  case_fields: {
    title: "Phishing report",
    tags: ["phishing"],
    severity: "high",
    assignees: [{ uid: "bob" }],
    custom_fields: [{ key: "risk", type: "number", value: 70 }, { key: "gone", type: "text", value: "x" }],
    settings: { sync_alerts: false, extract_observables: false },
  },
};

describe("templates", () => {
  it("fill the fields they set and keep the others", () => {
    const next = applyTemplate(draft({ title: "", description: "keep me", tagInput: "half" }), TEMPLATE, DEFS);
    expect(next).toEqual({
      ...EMPTY_DRAFT,
      title: "Phishing report",
      description: "keep me",
      tags: ["phishing"],
      severity: "high",
      assignees: ["bob"],
      customFields: { risk: 70 },
      syncAlerts: false,
      extractObservables: false,
      template: "phishing",
    });
  });

  it("say which typed fields they would overwrite", () => {
    expect(templateOverwrites({ ...EMPTY_DRAFT }, TEMPLATE)).toEqual([]);
    expect(templateOverwrites(draft({ description: "mine" }), TEMPLATE)).toEqual(["Name"]);
    expect(templateOverwrites(draft({ title: "Phishing report", tags: ["x"], assignees: ["bob"] }), TEMPLATE)).toEqual(["Tags"]);
  });
});
