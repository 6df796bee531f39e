import type { ObservableType } from "../../../lib/api/bindings";
import { FieldLabel } from "../../../components/Field";
import type { ObservableErrors, ObservableForm } from "./observableForm";

type Props = {
  /** Prefix of the controls' ids. */
  idPrefix: string;
  types: readonly ObservableType[];
  form: ObservableForm;
  errors: ObservableErrors;
  onChange: (patch: Partial<ObservableForm>) => void;
  disabled?: boolean;
};

/** An error line under a control, announced when it appears. */
function ErrorLine({ id, text }: { id: string; text?: string }) {
  return text ? (
    <span id={id} className="field-error" role="alert">
      {text}
    </span>
  ) : null;
}

/** Type, value and description of an observable: the add form's and the edit dialog's fields. */
export function ObservableFields({ idPrefix, types, form, errors, onChange, disabled }: Props) {
  const id = (f: string) => `${idPrefix}-${f}`;
  // A type removed from the space since: still shown, so the value keeps its meaning.
  const known = types.some((t) => t.key === form.typeKey) || form.typeKey === "";
  return (
    <>
      <div className="field obs-type">
        <FieldLabel htmlFor={id("type")}>Type</FieldLabel>
        <select
          id={id("type")}
          value={form.typeKey}
          disabled={disabled}
          onChange={(e) => onChange({ typeKey: e.target.value })}
          aria-invalid={errors.type_key ? true : undefined}
          aria-describedby={errors.type_key ? id("type-error") : undefined}
        >
          {!known && <option value={form.typeKey}>{form.typeKey}</option>}
          {types.map((t) => (
            <option key={t.key} value={t.key}>
              {t.label}
            </option>
          ))}
        </select>
        <ErrorLine id={id("type-error")} text={errors.type_key} />
      </div>
      <div className="field obs-value">
        <FieldLabel htmlFor={id("value")}>Value</FieldLabel>
        <input
          id={id("value")}
          value={form.value}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. 192.0.2.10, evil.example.com, a SHA-256"
          onChange={(e) => onChange({ value: e.target.value })}
          aria-invalid={errors.value ? true : undefined}
          aria-describedby={errors.value ? id("value-error") : undefined}
        />
        <ErrorLine id={id("value-error")} text={errors.value} />
      </div>
      <div className="field obs-description">
        <FieldLabel htmlFor={id("description")}>
          Description <span className="optional">(optional)</span>
        </FieldLabel>
        <input
          id={id("description")}
          value={form.description}
          disabled={disabled}
          autoComplete="off"
          onChange={(e) => onChange({ description: e.target.value })}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? id("description-error") : undefined}
        />
        <ErrorLine id={id("description-error")} text={errors.description} />
      </div>
    </>
  );
}
