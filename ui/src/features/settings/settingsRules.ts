// Helpers of the space settings forms: key suggestions, labels, form shapes. The rules are the
// core's (crates/core/src/validate.rs): it checks what is saved and names the field it refuses;
// the forms count characters against the limits it exports.
import type { CustomFieldDefinition, CustomFieldType } from "../../lib/api/bindings";
import { MAX_CUSTOM_FIELDS_PER_CASE, MAX_CUSTOM_FIELD_KEY_LENGTH } from "../../lib/limits";
import type { CustomFieldInputValue } from "../../components/customFieldValue";

/** Kibana allows as many custom field definitions per space as values per case. */
export const MAX_CUSTOM_FIELDS_PER_SPACE = MAX_CUSTOM_FIELDS_PER_CASE;

export const TYPE_LABEL: Record<CustomFieldType, string> = { text: "Text", toggle: "Toggle", number: "Number" };

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

export type CustomFieldForm = {
  label: string;
  key: string;
  type: CustomFieldType;
  required: boolean;
  defaultValue: CustomFieldInputValue;
};

/** The definition the default-value input edits: never required (a default is optional). */
export function defaultDefinition(f: CustomFieldForm): CustomFieldDefinition {
  return { key: f.key || "default", label: "Default value", type: f.type, required: false };
}

/** The template dialog's inputs a core error can be about. */
export type TemplateField = "name" | "description" | "tags" | "title" | "case_description" | "case_tags" | "category";
