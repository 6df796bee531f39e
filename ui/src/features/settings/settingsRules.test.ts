import { describe, expect, it } from "vitest";
import { deriveKey } from "./settingsRules";

describe("settings helpers", () => {
  it("derives a unique key of at most 36 characters from a label", () => {
    expect(deriveKey("Risk score", [])).toBe("risk_score");
    expect(deriveKey("Éléphant #2!", [])).toBe("elephant_2");
    expect(deriveKey("Risk score", ["risk_score", "risk_score_2"])).toBe("risk_score_3");
    expect(deriveKey("x".repeat(40), ["x".repeat(36)])).toBe(`${"x".repeat(34)}_2`);
    expect(deriveKey("!!!", [], 36, "template")).toBe("template");
  });
});
