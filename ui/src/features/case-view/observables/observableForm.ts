// The observable form's state, its checks, and the core's errors mapped to its fields.
import type { Observable, ObservableInput, ObservableType } from "../../../lib/api/bindings";
import { ApiError } from "../../../lib/api/client";
import { charCount } from "../../../lib/format";
import { MAX_OBSERVABLE_DESCRIPTION_LENGTH, MAX_OBSERVABLE_VALUE_LENGTH } from "../../../lib/limits";
import { trimRust } from "../../../lib/search";

export type ObservableForm = { typeKey: string; value: string; description: string };
export type ObservableErrors = Partial<Record<"type_key" | "value" | "description" | "form", string>>;

export function emptyForm(types: readonly ObservableType[]): ObservableForm {
  return { typeKey: types[0]?.key ?? "", value: "", description: "" };
}

export function formOf(o: Observable): ObservableForm {
  return { typeKey: o.type_key, value: o.value, description: o.description ?? "" };
}

export function toInput(f: ObservableForm): ObservableInput {
  const description = trimRust(f.description);
  return description === "" ? { type_key: f.typeKey, value: trimRust(f.value) } : { type_key: f.typeKey, value: trimRust(f.value), description };
}

/** What can be told before asking the core (which checks the value against its type). */
export function checkForm(f: ObservableForm): ObservableErrors {
  const errors: ObservableErrors = {};
  if (f.typeKey === "") errors.type_key = "Type: choose a type.";
  const value = charCount(trimRust(f.value));
  if (value === 0) errors.value = "Value: a value is required.";
  else if (value > MAX_OBSERVABLE_VALUE_LENGTH) {
    errors.value = `Value: at most ${MAX_OBSERVABLE_VALUE_LENGTH.toLocaleString()} characters (got ${value.toLocaleString()}).`;
  }
  const description = charCount(trimRust(f.description));
  if (description > MAX_OBSERVABLE_DESCRIPTION_LENGTH) {
    errors.description = `Description: at most ${MAX_OBSERVABLE_DESCRIPTION_LENGTH.toLocaleString()} characters (got ${description.toLocaleString()}).`;
  }
  return errors;
}

/**
 * The core's refusal, next to the field it names: `validation` errors start with the field
 * ("value: …"), a duplicate is the value's problem; anything else is the form's.
 */
export function errorsFromCore(err: unknown, typeLabel: string): ObservableErrors {
  const e = ApiError.from(err);
  if (e.code === "already_exists") return { value: `Value: this case already has this ${typeLabel} observable.` };
  const field = e.field;
  if (field === "value" || field === "type_key" || field === "description") return { [field]: e.message };
  return { form: e.message };
}
