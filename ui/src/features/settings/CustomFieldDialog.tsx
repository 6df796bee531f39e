import { useEffect, useState, type FormEvent } from "react";
import type { CustomFieldDefinition, CustomFieldType } from "../../lib/api/bindings";
import { CustomFieldInput } from "../../components/CustomFieldInput";
import { toInputValue, toJsonValue } from "../../components/customFieldValue";
import { Dialog } from "../../components/Dialog";
import { FieldLabel } from "../../components/Field";
import { FormDialogFooter } from "../../components/FormDialogFooter";
import { charCount } from "../../lib/format";
import { MAX_CUSTOM_FIELD_KEY_LENGTH, MAX_CUSTOM_FIELD_LABEL_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import {
  TYPE_LABEL,
  defaultDefinition,
  deriveKey,
  type CustomFieldForm,
} from "./settingsRules";
import type { ConfigurationWriter } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

type Props = {
  /** The field being edited, or null for a new one. */
  editing: CustomFieldDefinition | null;
  /** Position of the field in the list sent to the core (to place the core's errors). */
  index: number;
  /** Keys of the space's other fields. */
  otherKeys: string[];
  writer: ConfigurationWriter;
  onSave: (def: CustomFieldDefinition) => void;
  onClose: () => void;
};

function formFrom(d: CustomFieldDefinition | null): CustomFieldForm {
  if (!d) return { label: "", key: "", type: "text", required: false, defaultValue: null };
  return {
    label: d.label,
    key: d.key,
    type: d.type,
    required: d.required,
    defaultValue: d.type === "toggle" && d.default_value === undefined ? null : toInputValue(d, d.default_value),
  };
}

/** The definition sent to the core: trimmed, no default when none is set. */
export function toDefinition(f: CustomFieldForm): CustomFieldDefinition {
  const def: CustomFieldDefinition = { key: trimRust(f.key), label: trimRust(f.label), type: f.type, required: f.required };
  const value = f.defaultValue === null ? null : toJsonValue(defaultDefinition(f), f.defaultValue);
  if (value !== null) def.default_value = value;
  return def;
}

/** Add or edit one custom field definition. The type and key of an existing field are fixed. */
export function CustomFieldDialog({ editing, index, otherKeys, writer, onSave, onClose }: Props) {
  const [form, setForm] = useState<CustomFieldForm>(() => formFrom(editing));
  // The key follows the label until the user types a key of their own.
  const [keyEdited, setKeyEdited] = useState(editing !== null);
  // The core checks the definition and names the field it refuses (custom_fields[<index>].key…).
  const serverField = writer.error?.fieldWithin("custom_fields", index) ?? null;
  const errorFor = (f: "label" | "key" | "default_value" | "type") => (serverField === f ? writer.error?.message : undefined);
  useEffect(() => {
    if (serverField === "label" || serverField === "key") document.getElementById(`cf-${serverField}`)?.focus();
    else if (serverField === "default_value") document.getElementById("cf-default")?.focus();
  }, [serverField, writer.error]);

  const set = (patch: Partial<CustomFieldForm>) => {
    if (writer.error && !writer.conflict) writer.reset();
    setForm((f) => {
      const next = { ...f, ...patch };
      if (!keyEdited && patch.label !== undefined) next.key = deriveKey(patch.label, otherKeys);
      return next;
    });
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!writer.pending) onSave(toDefinition(form));
  };

  const labelLen = charCount(trimRust(form.label));
  const keyLen = charCount(trimRust(form.key));
  return (
    <Dialog
      title={editing ? `Edit custom field “${editing.label}”` : "Add custom field"}
      onClose={onClose}
      initialFocusId="cf-label"
      footer={<FormDialogFooter form="custom-field-form" submitLabel="Save" pendingLabel="Saving…" pending={writer.pending} onCancel={onClose} />}
    >
      <form id="custom-field-form" className="form" onSubmit={submit} noValidate>
        <WriteStatus
          error={writer.error}
          failed="The custom field was not saved."
          onRetry={() => void writer.reloadAndRetry()}
        />
        <div className="field">
          <FieldLabel
            htmlFor="cf-label"
            counter={<span className={`counter ${labelLen > MAX_CUSTOM_FIELD_LABEL_LENGTH ? "over" : ""}`.trim()}>{labelLen}/{MAX_CUSTOM_FIELD_LABEL_LENGTH}</span>}
          >
            Label
          </FieldLabel>
          <input
            id="cf-label"
            value={form.label}
            onChange={(e) => set({ label: e.target.value })}
            aria-invalid={errorFor("label") ? true : undefined}
            aria-describedby="cf-label-error"
            aria-required="true"
            autoComplete="off"
          />
          <span id="cf-label-error" className="field-error">
            {errorFor("label")}
          </span>
        </div>
        <div className="field">
          <FieldLabel
            htmlFor="cf-key"
            counter={<span className={`counter ${keyLen > MAX_CUSTOM_FIELD_KEY_LENGTH ? "over" : ""}`.trim()}>{keyLen}/{MAX_CUSTOM_FIELD_KEY_LENGTH}</span>}
          >
            Key
          </FieldLabel>
          <input
            id="cf-key"
            className="mono"
            value={form.key}
            readOnly={editing !== null}
            onChange={(e) => {
              setKeyEdited(true);
              set({ key: e.target.value });
            }}
            aria-invalid={errorFor("key") ? true : undefined}
            aria-describedby="cf-key-hint cf-key-error"
            autoComplete="off"
          />
          <span id="cf-key-hint" className="hint">
            {editing
              ? "The key identifies this field's values on cases, so it cannot change."
              : "Made from the label; lowercase letters, digits, _ and -. Used by the CLI: casebook case create --custom-field KEY=VALUE."}
          </span>
          <span id="cf-key-error" className="field-error">
            {errorFor("key")}
          </span>
        </div>
        <div className="field-row">
          <div className="field">
            <FieldLabel htmlFor="cf-type">Type</FieldLabel>
            <select
              id="cf-type"
              value={form.type}
              disabled={editing !== null}
              onChange={(e) => set({ type: e.target.value as CustomFieldType, defaultValue: null })}
              aria-describedby="cf-type-hint cf-type-error"
            >
              {(Object.keys(TYPE_LABEL) as CustomFieldType[]).map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABEL[t]}
                </option>
              ))}
            </select>
            <span id="cf-type-hint" className="hint">
              {editing ? "A field's type cannot change once defined." : "Text (up to 160 characters), on/off, or a whole number."}
            </span>
            <span id="cf-type-error" className="field-error">
              {errorFor("type")}
            </span>
          </div>
          <div className="field">
            <span className="field-label">&nbsp;</span>
            <label className="switch-label" htmlFor="cf-required">
              <input
                id="cf-required"
                type="checkbox"
                checked={form.required}
                onChange={(e) => set({ required: e.target.checked })}
              />
              Required
            </label>
            <span className="hint">A new case cannot be created without a value.</span>
          </div>
        </div>
        <CustomFieldInput
          id="cf-default"
          definition={defaultDefinition(form)}
          value={form.type === "toggle" ? form.defaultValue === true : form.defaultValue}
          onChange={(v) => set({ defaultValue: v })}
          error={errorFor("default_value")}
        />
        <p className="hint">
          The default value fills new cases. Cases that already exist are not changed: they show no value for a new
          field.
        </p>
      </form>
    </Dialog>
  );
}
