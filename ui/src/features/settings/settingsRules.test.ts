import { describe, expect, it } from "vitest";
import { deriveKey, keyError, validateCustomField, validateTemplate } from "./settingsRules";

describe("settings rules (the core's, checked while typing)", () => {
  it("derives a unique key of at most 36 characters from a label", () => {
    expect(deriveKey("Risk score", [])).toBe("risk_score");
    expect(deriveKey("Éléphant #2!", [])).toBe("elephant_2");
    expect(deriveKey("Risk score", ["risk_score", "risk_score_2"])).toBe("risk_score_3");
    expect(deriveKey("x".repeat(40), ["x".repeat(36)])).toBe(`${"x".repeat(34)}_2`);
    expect(deriveKey("!!!", [], 36, "template")).toBe("template");
  });

  it("checks keys like ^[a-z0-9_-]+$, ≤36, unique", () => {
    expect(keyError("ok-key_1", 36, [])).toBeUndefined();
    expect(keyError("Bad Key", 36, [])).toMatch(/lowercase/);
    expect(keyError("k".repeat(37), 36, [])).toBe("At most 36 characters (got 37).");
    expect(keyError("dup", 36, ["dup"])).toMatch(/already used/);
  });

  it("checks a custom field: label ≤50, default typed per type", () => {
    const f = { label: "L", key: "l", type: "text" as const, required: false, defaultValue: null };
    expect(validateCustomField(f, [])).toEqual({});
    expect(validateCustomField({ ...f, label: "l".repeat(51) }, []).label).toBe("At most 50 characters (got 51).");
    expect(validateCustomField({ ...f, defaultValue: "d".repeat(161) }, []).default_value).toMatch(/160/);
    expect(validateCustomField({ ...f, type: "number", defaultValue: "x" }, []).default_value).toMatch(/whole number/);
  });

  it("checks a template: name ≤50, ≤10 tags of ≤50, case limits", () => {
    const t = { key: "t", name: "T", tags: [], case_fields: {} };
    expect(validateTemplate(t)).toEqual({});
    expect(validateTemplate({ ...t, name: " " }).name).toBe("A name is required.");
    expect(validateTemplate({ ...t, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }).tags).toBe("At most 10 tags (got 11).");
    expect(validateTemplate({ ...t, case_fields: { title: "x".repeat(161) } }).title).toBe("At most 160 characters (got 161).");
  });
});
