import type { UserInput } from "../../lib/api/bindings";
import type { ApiError } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_USERNAME_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { FieldLabel } from "../../components/Field";

export type PersonForm = { username: string; fullName: string; email: string };
/** The inputs a core error can be about; the core checks a user (validate.rs username/email). */
type PersonField = "username" | "full_name" | "email";

export const EMPTY_PERSON: PersonForm = { username: "", fullName: "", email: "" };

/** Blank optional fields are left out (the core stores them as none). */
export function toUserInput(f: PersonForm): UserInput {
  const input: UserInput = { username: trimRust(f.username) };
  if (trimRust(f.fullName) !== "") input.full_name = trimRust(f.fullName);
  if (trimRust(f.email) !== "") input.email = trimRust(f.email);
  return input;
}

type Props = {
  idPrefix: string;
  form: PersonForm;
  onChange: (f: PersonForm) => void;
  /** A core error naming one of these fields is shown next to it. */
  serverError: ApiError | null;
};

/** Username, full name and email: shared by the profile and the "Add teammate" form. */
export function PersonFields({ idPrefix, form, onChange, serverError }: Props) {
  const field = serverError?.field;
  const errorFor = (f: PersonField) =>
    (field === f ? serverError?.message : undefined) ??
    (f === "username" && serverError?.code === "already_exists" ? serverError.message : undefined);
  const input = (f: PersonField, label: string, value: string, set: (v: string) => void, extra?: { type?: string; placeholder?: string; max?: number }) => {
    const id = `${idPrefix}-${f}`;
    const n = charCount(trimRust(value));
    const counter = extra?.max === undefined ? undefined : <span className={`counter ${n > extra.max ? "over" : ""}`.trim()}>{n}/{extra.max}</span>;
    return (
      <div className="field grow">
        <FieldLabel htmlFor={id} counter={counter}>
          {label}
        </FieldLabel>
        <input
          id={id}
          type={extra?.type ?? "text"}
          value={value}
          placeholder={extra?.placeholder}
          onChange={(e) => set(e.target.value)}
          aria-invalid={errorFor(f) ? true : undefined}
          aria-describedby={`${id}-error`}
          aria-required={f === "username" || undefined}
          autoComplete="off"
        />
        <span id={`${id}-error`} className="field-error">
          {errorFor(f)}
        </span>
      </div>
    );
  };
  return (
    <div className="field-row person-fields">
      {input("username", "Username", form.username, (username) => onChange({ ...form, username }), { placeholder: "e.g. ana", max: MAX_USERNAME_LENGTH })}
      {input("full_name", "Full name (optional)", form.fullName, (fullName) => onChange({ ...form, fullName }), { max: MAX_USERNAME_LENGTH })}
      {input("email", "Email (optional)", form.email, (email) => onChange({ ...form, email }), { type: "email" })}
    </div>
  );
}
