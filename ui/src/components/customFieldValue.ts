// Custom field values as a form holds them, checked with the core's rules (validate.rs
// custom_value) so that a value the form accepts is one create_case / update_cases accepts.
import type { CustomFieldDefinition, CustomFieldValue } from "../lib/api/bindings";
import { MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH, MAX_SAFE_INTEGER } from "../lib/limits";
import type { JsonValue } from "../lib/api/json";
import { charCount } from "../lib/format";
import { trimRust } from "../lib/search";

/**
 * What an input holds: text for `text`, a boolean for `toggle`, and for `number` the digits
 * as typed (a string) or a number. `null` is "no value".
 */
export type CustomFieldInputValue = string | number | boolean | null;

/** A stored value (a default, a case's value, a template's value) as an input value. */
export function toInputValue(def: CustomFieldDefinition, v: JsonValue | undefined): CustomFieldInputValue {
  if (v === undefined || v === null) return def.type === "toggle" ? false : null;
  if (def.type === "toggle") return v === true;
  if (def.type === "number") return typeof v === "number" ? v : typeof v === "string" ? v : null;
  return typeof v === "string" ? v : String(v);
}

/** Whether the value counts as empty (blank text, no number). A toggle is never empty. */
export function isEmptyValue(def: CustomFieldDefinition, v: CustomFieldInputValue): boolean {
  if (def.type === "toggle") return false;
  return v === null || (typeof v === "string" && trimRust(v) === "");
}

/** The error the core would give for this value, or undefined. */
export function customFieldError(def: CustomFieldDefinition, v: CustomFieldInputValue): string | undefined {
  if (isEmptyValue(def, v)) return def.required ? `${def.label} is required.` : undefined;
  if (def.type === "text") {
    const n = charCount(trimRust(String(v)));
    if (n > MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH) {
      return `At most ${MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH} characters (got ${n}).`;
    }
  }
  if (def.type === "number") {
    const s = trimRust(String(v));
    if (!/^[+-]?\d+$/.test(s)) return "A whole number, e.g. 42.";
    const n = Number(s);
    if (!Number.isSafeInteger(n)) return `Between -${MAX_SAFE_INTEGER} and ${MAX_SAFE_INTEGER}.`;
  }
  return undefined;
}

/** The JSON the core expects: trimmed text, a boolean, an integer, or null. */
export function toJsonValue(def: CustomFieldDefinition, v: CustomFieldInputValue): JsonValue {
  if (def.type === "toggle") return v === true;
  if (isEmptyValue(def, v)) return null;
  if (def.type === "number") return Number(trimRust(String(v)));
  return trimRust(String(v));
}

/** One value per definition, in the definitions' order, for a CaseCreate/CasePatch. */
export function toCustomFieldValues(
  defs: CustomFieldDefinition[],
  values: Record<string, CustomFieldInputValue>,
): CustomFieldValue[] {
  return defs.map((d) => ({ key: d.key, type: d.type, value: toJsonValue(d, valueFor(d, values)) }));
}

/** The value shown for a definition: the one set, else the definition's default. */
export function valueFor(def: CustomFieldDefinition, values: Record<string, CustomFieldInputValue>): CustomFieldInputValue {
  return Object.prototype.hasOwnProperty.call(values, def.key) ? values[def.key] : toInputValue(def, def.default_value);
}
