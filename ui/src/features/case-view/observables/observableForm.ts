// The observable form's state, and the core's errors mapped to its fields (the core checks the
// value against its type, its length, and that the case does not already hold it).
import type { Observable, ObservableInput, ObservableType } from "../../../lib/api/bindings";
import { ApiError } from "../../../lib/api/client";
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

/**
 * The core's refusal, next to the field it names (its `field`: value, type_key, description); a
 * duplicate is the value's problem; anything else is the form's.
 */
export function errorsFromCore(err: unknown, typeLabel: string): ObservableErrors {
  const e = ApiError.from(err);
  if (e.code === "already_exists") return { value: `Value: this case already has this ${typeLabel} observable.` };
  const field = e.field;
  if (field === "value" || field === "type_key" || field === "description") return { [field]: e.message };
  return { form: e.message };
}
