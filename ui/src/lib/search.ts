// What the search box asks for, parsed with the same rules as the core's `parse_search`
// (crates/core/src/fts.rs). The core does the searching; the UI parses only to show hints
// ("Case #123", "Case ID …", the words that must all match). The grammar's marks, its white
// space and its length limit are the core's own, through the bindings.
import {
  MAX_SEARCH_LENGTH,
  SEARCH_CASE_NUMBER_PREFIX,
  SEARCH_PHRASE_QUOTE,
  SEARCH_PREFIX_WILDCARD,
  WHITESPACE_CHARS,
} from "./api/bindings";

/** The core refuses longer searches (in characters). */
export { MAX_SEARCH_LENGTH };

export type SearchTerm = {
  /** The word or phrase, without quotes or the trailing `*`. */
  text: string;
  /** Typed in "double quotes": the words must appear together. */
  phrase: boolean;
  /** Typed with a trailing `*`: matches words starting with `text`. */
  prefix: boolean;
};

export type ParsedSearch = {
  /** The whole string is a case UUID (lower-case, hyphenated): only that case is found. */
  uuid: string | null;
  /** `#123` tokens, as decimal strings (no sign, no leading zeros). */
  numbers: string[];
  /** The other words and phrases; all must appear in the title, description or comments. */
  terms: SearchTerm[];
};

// Rust's char::is_whitespace and str::trim use Unicode White_Space, which differs from JS \s
// (JS adds U+FEFF, Rust adds U+0085): the core lists its set, written here as \u escapes.
const WS = Array.from(WHITESPACE_CHARS, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`).join("");
const IS_WS = new RegExp(`^[${WS}]$`);
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, "g");
// Rust's char::is_alphanumeric: Alphabetic or Numeric (Nd, Nl, No).
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const I64_MAX = 9223372036854775807n;

/** Rust's str::trim. */
export function trimRust(s: string): string {
  return s.replace(TRIM, "");
}

/** The uuid crate's parse_str: simple, hyphenated, {braced} or urn:uuid: (any case) forms. */
export function parseUuid(s: string): string | null {
  const hex = /^[0-9a-fA-F]{32}$/;
  let body: string | null = null;
  if (s.length === 32) body = s;
  else if (s.length === 36) body = hyphenated(s);
  else if (s.length === 38 && s.startsWith("{") && s.endsWith("}")) body = hyphenated(s.slice(1, -1));
  else if (s.length === 45 && s.slice(0, 9).toLowerCase() === "urn:uuid:") body = hyphenated(s.slice(9));
  if (body === null || !hex.test(body)) return null;
  const h = body.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function hyphenated(s: string): string | null {
  if (!/^[^-]{8}-[^-]{4}-[^-]{4}-[^-]{4}-[^-]{12}$/.test(s)) return null;
  return s.replace(/-/g, "");
}

/** Rust's `n.parse::<i64>()` followed by `> 0`: an optional `+`, ASCII digits, in range. */
function caseNumber(s: string): string | null {
  const m = /^[+]?([0-9]+)$/.exec(s);
  if (!m) return null;
  const n = BigInt(m[1]);
  if (n <= 0n || n > I64_MAX) return null;
  return n.toString();
}

export function parseSearch(input: string): ParsedSearch {
  const text = trimRust(input);
  const uuid = parseUuid(text);
  if (uuid !== null) return { uuid, numbers: [], terms: [] };
  const out: ParsedSearch = { uuid: null, numbers: [], terms: [] };
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length) {
    if (IS_WS.test(chars[i])) {
      i++;
      continue;
    }
    let token = "";
    const phrase = chars[i] === SEARCH_PHRASE_QUOTE;
    if (phrase) {
      i++;
      while (i < chars.length) {
        const c = chars[i++];
        if (c === SEARCH_PHRASE_QUOTE) break;
        token += c;
      }
    } else {
      while (i < chars.length && !IS_WS.test(chars[i])) token += chars[i++];
    }
    if (!phrase && token.startsWith(SEARCH_CASE_NUMBER_PREFIX)) {
      const n = caseNumber(token.slice(SEARCH_CASE_NUMBER_PREFIX.length));
      if (n !== null) {
        out.numbers.push(n);
        continue;
      }
    }
    const prefix = !phrase && Array.from(token).length > 1 && token.endsWith(SEARCH_PREFIX_WILDCARD);
    const word = prefix ? token.slice(0, -1) : token;
    // A token with no letter or digit would be an empty FTS phrase: the core skips it.
    if (!ALNUM.test(word)) continue;
    out.terms.push({ text: word, phrase, prefix });
  }
  return out;
}

/** The FTS5 expression the core builds from the terms (for tests against the core's own). */
export function ftsExpression(parsed: ParsedSearch): string | null {
  if (parsed.terms.length === 0) return null;
  return parsed.terms.map((t) => `"${t.text.replace(/"/g, '""')}"${t.prefix ? "*" : ""}`).join(" AND ");
}

export type SearchHint =
  | { kind: "uuid"; label: string; value: string }
  | { kind: "number"; label: string; value: string }
  | { kind: "term"; label: string; value: string };

/** Chips to show under the search box: what the core will look for. */
export function searchHints(input: string): SearchHint[] {
  const p = parseSearch(input);
  if (p.uuid) return [{ kind: "uuid", label: `Case ID ${p.uuid.slice(0, 8)}…`, value: p.uuid }];
  const hints: SearchHint[] = p.numbers.map((n) => ({ kind: "number", label: `Case #${n}`, value: n }));
  for (const t of p.terms) {
    const label = t.phrase ? `“${t.text}”` : t.prefix ? `${t.text}…` : t.text;
    hints.push({ kind: "term", label, value: t.text });
  }
  return hints;
}

/** A reason the core would refuse the search, or null. */
export function searchProblem(input: string): string | null {
  const n = Array.from(trimRust(input)).length;
  return n > MAX_SEARCH_LENGTH ? `Search: at most ${MAX_SEARCH_LENGTH} characters (got ${n})` : null;
}
