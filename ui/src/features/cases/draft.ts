// The "Create case" form's draft: validated with the core's rules and kept in localStorage so
// that closing the dialog by accident loses nothing.
import type { CaseCreate, Severity } from "../../lib/api/bindings";
import { charCount } from "../../lib/format";
import {
  MAX_CATEGORY_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_LENGTH_PER_TAG,
  MAX_TAGS_PER_CASE,
  MAX_TITLE_LENGTH,
} from "../../lib/limits";
import { readJson, remove, writeJson, type KeyValueStore } from "../../lib/storage";
import { trimRust } from "../../lib/search";
import { SEVERITIES } from "./tableState";

export const DRAFT_KEY = "casebook.cases.create.draft";

export type CaseDraft = {
  title: string;
  description: string;
  severity: Severity;
  tags: string[];
  /** Text typed in the tag box but not yet turned into a tag. */
  tagInput: string;
  category: string;
};

export const EMPTY_DRAFT: CaseDraft = {
  title: "",
  description: "",
  severity: "low",
  tags: [],
  tagInput: "",
  category: "",
};

export function isEmptyDraft(d: CaseDraft): boolean {
  return (
    d.title === "" && d.description === "" && d.severity === "low" && d.tags.length === 0 &&
    d.tagInput === "" && d.category === ""
  );
}

export function sanitizeDraft(raw: unknown): CaseDraft {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ...EMPTY_DRAFT };
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    title: str(r.title),
    description: str(r.description),
    severity: SEVERITIES.includes(r.severity as Severity) ? (r.severity as Severity) : "low",
    tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === "string") : [],
    tagInput: str(r.tagInput),
    category: str(r.category),
  };
}

export function loadDraft(store?: KeyValueStore | null): CaseDraft {
  return sanitizeDraft(store === undefined ? readJson(DRAFT_KEY) : readJson(DRAFT_KEY, store));
}

/** Saves a draft; an empty one removes the key. */
export function saveDraft(d: CaseDraft, store?: KeyValueStore | null): void {
  if (isEmptyDraft(d)) clearDraft(store);
  else if (store === undefined) writeJson(DRAFT_KEY, d);
  else writeJson(DRAFT_KEY, d, store);
}

export function clearDraft(store?: KeyValueStore | null): void {
  if (store === undefined) remove(DRAFT_KEY);
  else remove(DRAFT_KEY, store);
}

/**
 * Adds the tags typed in `input` (separated by commas or new lines) to `tags`: trimmed,
 * blanks dropped, repeats (first spelling wins) dropped, as the core does.
 */
export function addTags(tags: string[], input: string): string[] {
  return uniqueTags([...tags, ...input.split(/[,\n]/)]);
}

/** Trimmed, without blanks or repeats (first spelling wins), as the core stores them. */
export function uniqueTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = trimRust(raw);
    if (t !== "" && !seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}

export type DraftErrors = Partial<Record<"title" | "description" | "tags" | "category", string>>;

/** The core's limits; a draft with no errors is accepted by create_case. */
export function validateDraft(d: CaseDraft): DraftErrors {
  const errors: DraftErrors = {};
  const title = trimRust(d.title);
  if (title === "") errors.title = "A title is required.";
  else if (charCount(title) > MAX_TITLE_LENGTH) {
    errors.title = `At most ${MAX_TITLE_LENGTH} characters (got ${charCount(title)}).`;
  }
  const description = charCount(trimRust(d.description));
  if (description > MAX_DESCRIPTION_LENGTH) {
    errors.description = `At most ${MAX_DESCRIPTION_LENGTH.toLocaleString()} characters (got ${description.toLocaleString()}).`;
  }
  const tags = allTags(d);
  const long = tags.find((t) => charCount(t) > MAX_LENGTH_PER_TAG);
  if (tags.length > MAX_TAGS_PER_CASE) errors.tags = `At most ${MAX_TAGS_PER_CASE} tags (got ${tags.length}).`;
  else if (long !== undefined) {
    errors.tags = `Each tag has at most ${MAX_LENGTH_PER_TAG} characters ("${long.slice(0, 20)}…" has ${charCount(long)}).`;
  }
  const category = charCount(trimRust(d.category));
  if (category > MAX_CATEGORY_LENGTH) {
    errors.category = `At most ${MAX_CATEGORY_LENGTH} characters (got ${category}).`;
  }
  return errors;
}

/** The chips plus whatever is still typed in the tag box. */
export function allTags(d: CaseDraft): string[] {
  return addTags(d.tags, d.tagInput);
}

export function toCaseCreate(d: CaseDraft): CaseCreate {
  const input: CaseCreate = {
    title: trimRust(d.title),
    description: trimRust(d.description),
    tags: allTags(d),
    severity: d.severity,
    assignees: [],
    custom_fields: [],
  };
  const category = trimRust(d.category);
  if (category !== "") input.category = category;
  return input;
}
