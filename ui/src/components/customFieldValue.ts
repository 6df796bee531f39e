// Custom field values as a form holds them, and the JSON sent for them. The core checks them
// (validate.rs custom_value) and names the field it refuses (`custom_fields.<key>`).
import type { CustomFieldDefinition, CustomFieldValue } from "../lib/api/bindings";
import type { JsonValue } from "../lib/api/json";
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

/**
 * The JSON the core expects: trimmed text, a boolean, an integer, or null. Number text is sent as
 * a number only when it is plain digits JavaScript holds exactly; anything else is sent as typed,
 * so the core refuses it in its own words instead of getting a rounded or NaN stand-in.
 */
export function toJsonValue(def: CustomFieldDefinition, v: CustomFieldInputValue): JsonValue {
  if (def.type === "toggle") return v === true;
  if (isEmptyValue(def, v)) return null;
  const text = trimRust(String(v));
  if (def.type === "number") return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
  return text;
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
