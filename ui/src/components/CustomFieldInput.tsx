import type { CustomFieldDefinition } from "../lib/api/bindings";
import { MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH } from "../lib/limits";
import { charCount } from "../lib/format";
import { trimRust } from "../lib/search";
import type { CustomFieldInputValue } from "./customFieldValue";
import { Switch } from "./Switch";
import "./inputs.css";

type Props = {
  /** Id of the control; the label and the error hang off it. */
  id: string;
  definition: CustomFieldDefinition;
  /** See CustomFieldInputValue: text, boolean, digits as typed, or null. */
  value: CustomFieldInputValue;
  onChange: (value: CustomFieldInputValue) => void;
  onBlur?: () => void;
  /** Shown under the control and marks it invalid (a local check or the core's message). */
  error?: string;
  disabled?: boolean;
};

/**
 * One custom field of the space as a labelled form field: text box (with the 160-character
 * counter), on/off switch, or whole-number box, following the definition's type.
 */
export function CustomFieldInput({ id, definition: def, value, onChange, onBlur, error, disabled }: Props) {
  const errorId = `${id}-error`;
  const common = {
    id,
    disabled,
    onBlur,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": errorId,
    "aria-required": def.required || undefined,
  } as const;

  if (def.type === "toggle") {
    return (
      <div className="field custom-field">
        <Switch {...common} label={def.label} checked={value === true} onChange={onChange} />
        <span id={errorId} className="field-error">
          {error}
        </span>
      </div>
    );
  }

  const text = value === null ? "" : String(value);
  return (
    <div className="field custom-field">
      <div className="field-label">
        <label htmlFor={id}>
          {def.label}
          {!def.required && <span className="optional"> (optional)</span>}
        </label>
        {def.type === "text" && (
          <span className={`counter ${charCount(trimRust(text)) > MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH ? "over" : ""}`.trim()}>
            {charCount(trimRust(text))}/{MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH}
          </span>
        )}
      </div>
      <input
        {...common}
        type="text"
        inputMode={def.type === "number" ? "numeric" : undefined}
        value={text}
        placeholder={def.type === "number" ? "A whole number" : undefined}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
      />
      <span id={errorId} className="field-error">
        {error}
      </span>
    </div>
  );
}
