import type { UserInput } from "../../lib/api/bindings";
import type { ApiError } from "../../lib/api/client";
import { charCount } from "../../lib/format";
import { MAX_USERNAME_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { FieldLabel } from "../../components/Field";

export type PersonForm = { username: string; fullName: string; email: string };
export type PersonErrors = Partial<Record<"username" | "full_name" | "email", string>>;

export const EMPTY_PERSON: PersonForm = { username: "", fullName: "", email: "" };

/** The core's rules for a user (validate.rs username/email). */
export function personErrors(f: PersonForm): PersonErrors {
  const errors: PersonErrors = {};
  const u = trimRust(f.username);
  if (u === "") errors.username = "A username is required.";
  else if (/\s/.test(u)) errors.username = "No spaces in a username.";
  else if (charCount(u) > MAX_USERNAME_LENGTH) errors.username = `At most ${MAX_USERNAME_LENGTH} characters.`;
  if (charCount(trimRust(f.fullName)) > MAX_USERNAME_LENGTH) errors.full_name = `At most ${MAX_USERNAME_LENGTH} characters.`;
  const e = trimRust(f.email);
  if (e !== "") {
    const at = e.indexOf("@");
    if (at <= 0 || !e.slice(at + 1).includes(".") || /\s/.test(e)) errors.email = "Not an email address, e.g. ana@example.org.";
  }
  return errors;
}

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
  errors: PersonErrors;
  /** A core error naming one of these fields is shown next to it. */
  serverError: ApiError | null;
};

/** Username, full name and email: shared by the profile and the "Add teammate" form. */
export function PersonFields({ idPrefix, form, onChange, errors, serverError }: Props) {
  const field = serverError?.field;
  const errorFor = (f: keyof PersonErrors) =>
    errors[f] ?? (field === f ? serverError?.message : undefined) ??
    (f === "username" && serverError?.code === "already_exists" ? serverError.message : undefined);
  const input = (f: keyof PersonErrors, label: string, value: string, set: (v: string) => void, extra?: { type?: string; placeholder?: string }) => {
    const id = `${idPrefix}-${f}`;
    return (
      <div className="field grow">
        <FieldLabel htmlFor={id}>{label}</FieldLabel>
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
      {input("username", "Username", form.username, (username) => onChange({ ...form, username }), { placeholder: "e.g. ana" })}
      {input("full_name", "Full name (optional)", form.fullName, (fullName) => onChange({ ...form, fullName }))}
      {input("email", "Email (optional)", form.email, (email) => onChange({ ...form, email }), { type: "email" })}
    </div>
  );
}
