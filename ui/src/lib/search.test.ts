import { describe, expect, it } from "vitest";
import { ftsExpression, parseSearch, parseUuid, searchHints, searchProblem, trimRust } from "./search";

describe("parseSearch mirrors the core's parse_search", () => {
  // The three tests of crates/core/src/fts.rs, verbatim.
  it("a UUID alone is an id lookup", () => {
    const p = parseSearch(" 3F2504E0-4F89-41D3-9A0C-0305E82C3301 ");
    expect(p.uuid).toBe("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    expect(ftsExpression(p)).toBeNull();
  });

  it("numbers and words", () => {
    const p = parseSearch('#42 phishing "lateral movement" cred*');
    expect(p.numbers).toEqual(["42"]);
    expect(ftsExpression(p)).toBe('"phishing" AND "lateral movement" AND "cred"*');
  });

  it("FTS syntax is plain text", () => {
    expect(ftsExpression(parseSearch('NEAR( a" OR - * ^'))).toBe('"NEAR(" AND "a""" AND "OR"');
    expect(ftsExpression(parseSearch("   "))).toBeNull();
    expect(ftsExpression(parseSearch("#0 #x"))).toBe('"#0" AND "#x"');
  });

  it("#N is a case number", () => {
    expect(parseSearch("#123")).toEqual({ uuid: null, numbers: ["123"], terms: [] });
    expect(parseSearch("#1 #2").numbers).toEqual(["1", "2"]);
    expect(parseSearch("#007").numbers).toEqual(["7"]);
    expect(parseSearch("#+5").numbers).toEqual(["5"]); // i64::from_str accepts a plus sign
  });

  it("#N that is not a positive i64 is a word", () => {
    expect(parseSearch("#-5")).toEqual({ uuid: null, numbers: [], terms: [{ text: "#-5", phrase: false, prefix: false }] });
    expect(parseSearch("#9223372036854775807").numbers).toEqual(["9223372036854775807"]);
    const big = parseSearch("#9223372036854775808");
    expect(big.numbers).toEqual([]);
    expect(big.terms[0].text).toBe("#9223372036854775808");
    expect(parseSearch("#").terms).toEqual([]); // no letter or digit: skipped
    expect(parseSearch("#12a").terms[0].text).toBe("#12a");
    expect(parseSearch('"#12"').numbers).toEqual([]); // quoted: a phrase, not a number
  });

  it("UUID forms accepted by the uuid crate", () => {
    const u = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    expect(parseUuid("3F2504E04F8941D39A0C0305E82C3301")).toBe(u);
    expect(parseUuid(`{${u}}`)).toBe(u);
    expect(parseUuid(`urn:uuid:${u}`)).toBe(u);
    expect(parseUuid(`URN:UUID:${u}`)).toBe(u);
    expect(parseUuid(u.slice(0, 35))).toBeNull();
    expect(parseUuid("3f2504e0-4f89-41d3-9a0c-0305e82c330z")).toBeNull();
    expect(parseUuid("3f2504e04-f89-41d3-9a0c-0305e82c3301")).toBeNull();
  });

  it("a UUID among words is a word", () => {
    const p = parseSearch("see 3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    expect(p.uuid).toBeNull();
    expect(p.terms.map((t) => t.text)).toEqual(["see", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"]);
  });

  it("phrases, prefixes and punctuation", () => {
    expect(parseSearch('"impossible travel"').terms).toEqual([{ text: "impossible travel", phrase: true, prefix: false }]);
    expect(parseSearch('"unterminated phrase').terms).toEqual([{ text: "unterminated phrase", phrase: true, prefix: false }]);
    expect(parseSearch('"a"b').terms.map((t) => t.text)).toEqual(["a", "b"]);
    expect(parseSearch('"" "--"').terms).toEqual([]);
    expect(parseSearch('"cred*"').terms).toEqual([{ text: "cred*", phrase: true, prefix: false }]);
    expect(parseSearch("* ** -").terms).toEqual([]);
    expect(parseSearch("é*").terms).toEqual([{ text: "é", phrase: false, prefix: true }]);
    expect(parseSearch("10.0.0.1").terms[0].text).toBe("10.0.0.1");
  });

  it("splits on Unicode White_Space as Rust does", () => {
    expect(parseSearch("a\u00a0b\u3000c").terms.map((t) => t.text)).toEqual(["a", "b", "c"]);
    expect(parseSearch("a\u0085b").terms.map((t) => t.text)).toEqual(["a", "b"]);
    // U+FEFF is not White_Space in Rust: it stays inside the word.
    expect(parseSearch("a\ufeffb").terms.map((t) => t.text)).toEqual(["a\ufeffb"]);
    expect(trimRust("\u0085 x \u00a0")).toBe("x");
  });

  it("empty input", () => {
    expect(parseSearch("")).toEqual({ uuid: null, numbers: [], terms: [] });
  });
});

describe("searchHints", () => {
  it("labels numbers, UUIDs and words", () => {
    expect(searchHints("#123").map((h) => h.label)).toEqual(["Case #123"]);
    expect(searchHints("3f2504e0-4f89-41d3-9a0c-0305e82c3301").map((h) => h.label)).toEqual(["Case ID 3f2504e0…"]);
    expect(searchHints('okta "impossible travel" cred* #7').map((h) => h.label)).toEqual([
      "Case #7",
      "okta",
      "“impossible travel”",
      "cred…",
    ]);
    expect(searchHints("   ")).toEqual([]);
  });
});

describe("searchProblem", () => {
  it("counts characters after trimming, like the core", () => {
    expect(searchProblem("x".repeat(1000))).toBeNull();
    expect(searchProblem(`  ${"x".repeat(1000)}  `)).toBeNull();
    expect(searchProblem("é".repeat(1001))).toBe("Search: at most 1000 characters (got 1001)");
    expect(searchProblem("😀".repeat(1000))).toBeNull(); // astral characters count once
  });
});
