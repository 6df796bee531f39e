// The core's rules for a space's settings (crates/core/src/validate.rs), checked while typing so
// that Save rarely fails. The core checks again and its message wins.
import type { CustomFieldDefinition, CustomFieldType, Template } from "../../lib/api/bindings";
import { charCount } from "../../lib/format";
import {
  MAX_CATEGORY_LENGTH,
  MAX_CUSTOM_FIELDS_PER_CASE,
  MAX_CUSTOM_FIELD_KEY_LENGTH,
  MAX_CUSTOM_FIELD_LABEL_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_LENGTH_PER_TAG,
  MAX_TAGS_PER_CASE,
  MAX_TAGS_PER_TEMPLATE,
  MAX_TEMPLATE_DESCRIPTION_LENGTH,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_TAG_LENGTH,
  MAX_TITLE_LENGTH,
} from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { customFieldError, type CustomFieldInputValue } from "../../components/customFieldValue";

/** Kibana allows as many custom field definitions per space as values per case. */
export const MAX_CUSTOM_FIELDS_PER_SPACE = MAX_CUSTOM_FIELDS_PER_CASE;

export const KEY_PATTERN = /^[a-z0-9_-]+$/;

export const TYPE_LABEL: Record<CustomFieldType, string> = { text: "Text", toggle: "Toggle", number: "Number" };

const len = (s: string) => charCount(trimRust(s));

/**
 * A key from a label, as Kibana keys look: "Risk score" → "risk_score". Made unique against
 * `taken` with a numeric suffix; never longer than `max`.
 */
export function deriveKey(label: string, taken: string[], max = MAX_CUSTOM_FIELD_KEY_LENGTH, fallback = "field"): string {
  const base =
    label
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, max)
      .replace(/_+$/, "") || fallback;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = base.slice(0, max - suffix.length) + suffix;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** A key's problem, or undefined. */
export function keyError(key: string, max: number, taken: string[]): string | undefined {
  const k = trimRust(key);
  if (k === "") return "A key is required.";
  if (charCount(k) > max) return `At most ${max} characters (got ${charCount(k)}).`;
  if (!KEY_PATTERN.test(k)) return "Only lowercase letters, digits, _ and - (no spaces).";
  if (taken.includes(k)) return `"${k}" is already used by another field.`;
  return undefined;
}

export type CustomFieldForm = {
  label: string;
  key: string;
  type: CustomFieldType;
  required: boolean;
  defaultValue: CustomFieldInputValue;
};

export type CustomFieldFormErrors = Partial<Record<"label" | "key" | "default_value", string>>;

/** `otherKeys`: keys of the space's other fields. */
export function validateCustomField(f: CustomFieldForm, otherKeys: string[]): CustomFieldFormErrors {
  const errors: CustomFieldFormErrors = {};
  if (len(f.label) === 0) errors.label = "A label is required.";
  else if (len(f.label) > MAX_CUSTOM_FIELD_LABEL_LENGTH) {
    errors.label = `At most ${MAX_CUSTOM_FIELD_LABEL_LENGTH} characters (got ${len(f.label)}).`;
  }
  const k = keyError(f.key, MAX_CUSTOM_FIELD_KEY_LENGTH, otherKeys);
  if (k) errors.key = k;
  const d = customFieldError(defaultDefinition(f), f.defaultValue);
  if (d) errors.default_value = d;
  return errors;
}

/** The definition the default-value input edits: never required (a default is optional). */
export function defaultDefinition(f: CustomFieldForm): CustomFieldDefinition {
  return { key: f.key || "default", label: "Default value", type: f.type, required: false };
}

export type TemplateFormErrors = Partial<
  Record<"name" | "description" | "tags" | "title" | "case_description" | "case_tags" | "category", string>
>;

/** The template's own fields and its case fields, with the case limits. */
export function validateTemplate(t: Template): TemplateFormErrors {
  const errors: TemplateFormErrors = {};
  if (len(t.name) === 0) errors.name = "A name is required.";
  else if (len(t.name) > MAX_TEMPLATE_NAME_LENGTH) {
    errors.name = `At most ${MAX_TEMPLATE_NAME_LENGTH} characters (got ${len(t.name)}).`;
  }
  if (t.description !== undefined && len(t.description) > MAX_TEMPLATE_DESCRIPTION_LENGTH) {
    errors.description = `At most ${MAX_TEMPLATE_DESCRIPTION_LENGTH.toLocaleString()} characters (got ${len(t.description).toLocaleString()}).`;
  }
  const longTag = t.tags.find((x) => len(x) > MAX_TEMPLATE_TAG_LENGTH);
  if (t.tags.length > MAX_TAGS_PER_TEMPLATE) errors.tags = `At most ${MAX_TAGS_PER_TEMPLATE} tags (got ${t.tags.length}).`;
  else if (longTag) errors.tags = `Each tag has at most ${MAX_TEMPLATE_TAG_LENGTH} characters ("${longTag.slice(0, 20)}…").`;
  const c = t.case_fields;
  if (c.title !== undefined && len(c.title) > MAX_TITLE_LENGTH) {
    errors.title = `At most ${MAX_TITLE_LENGTH} characters (got ${len(c.title)}).`;
  }
  if (c.description !== undefined && len(c.description) > MAX_DESCRIPTION_LENGTH) {
    errors.case_description = `At most ${MAX_DESCRIPTION_LENGTH.toLocaleString()} characters.`;
  }
  const caseTags = c.tags ?? [];
  const longCaseTag = caseTags.find((x) => len(x) > MAX_LENGTH_PER_TAG);
  if (caseTags.length > MAX_TAGS_PER_CASE) errors.case_tags = `At most ${MAX_TAGS_PER_CASE} tags.`;
  else if (longCaseTag) errors.case_tags = `Each tag has at most ${MAX_LENGTH_PER_TAG} characters.`;
  if (c.category !== undefined && len(c.category) > MAX_CATEGORY_LENGTH) {
    errors.category = `At most ${MAX_CATEGORY_LENGTH} characters (got ${len(c.category)}).`;
  }
  return errors;
}
