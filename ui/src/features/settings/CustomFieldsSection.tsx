import { useState } from "react";
import type { CaseConfiguration, CustomFieldDefinition } from "../../lib/api/bindings";
import type { JsonValue } from "../../lib/api/json";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CustomFieldDialog } from "./CustomFieldDialog";
import { MAX_CUSTOM_FIELDS_PER_SPACE, TYPE_LABEL } from "./settingsRules";
import { useConfigurationWrite, type ConfigEdit } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

function showDefault(def: CustomFieldDefinition): string {
  const v: JsonValue | undefined = def.default_value;
  if (v === undefined || v === null) return "—";
  if (def.type === "toggle") return v === true ? "On" : "Off";
  return String(v);
}

/** Replaces the field with key `key` (or adds `def` at the end when `key` is null). */
export function upsertField(key: string | null, def: CustomFieldDefinition): ConfigEdit {
  return (cfg) => {
    const at = key === null ? -1 : cfg.custom_fields.findIndex((f) => f.key === key);
    const custom_fields = at < 0 ? [...cfg.custom_fields, def] : cfg.custom_fields.map((f, i) => (i === at ? def : f));
    return { custom_fields };
  };
}

/** Removes a field, and its value from the templates that set one (the core would refuse them). */
export function deleteField(key: string): ConfigEdit {
  return (cfg) => ({
    custom_fields: cfg.custom_fields.filter((f) => f.key !== key),
    templates: cfg.templates.map((t) =>
      t.case_fields.custom_fields?.some((c) => c.key === key)
        ? { ...t, case_fields: { ...t.case_fields, custom_fields: t.case_fields.custom_fields.filter((c) => c.key !== key) } }
        : t,
    ),
  });
}

/** Kibana's "Custom fields": extra typed fields on every case of the space. */
export function CustomFieldsSection({ space, config }: { space: string; config: CaseConfiguration }) {
  const writer = useConfigurationWrite(space);
  const [editing, setEditing] = useState<CustomFieldDefinition | "new" | null>(null);
  const [deleting, setDeleting] = useState<CustomFieldDefinition | null>(null);
  const fields = config.custom_fields;
  const full = fields.length >= MAX_CUSTOM_FIELDS_PER_SPACE;
  const current = editing === "new" ? null : editing;

  const open = (what: CustomFieldDefinition | "new") => {
    writer.reset();
    setEditing(what);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-custom-fields">
      <div className="section-header">
        <h2 id="settings-custom-fields">Custom fields</h2>
        <button type="button" className="button" disabled={full} onClick={() => open("new")} aria-describedby="cf-limit">
          Add field
        </button>
      </div>
      <p className="hint" id="cf-limit">
        Extra fields on every case of this space: text, on/off or a number; they can be required and have a default.{" "}
        {full
          ? `This space has ${MAX_CUSTOM_FIELDS_PER_SPACE} custom fields, the most allowed: delete one to add another.`
          : `${fields.length} of at most ${MAX_CUSTOM_FIELDS_PER_SPACE}.`}
      </p>
      {fields.length === 0 ? (
        <p className="muted">No custom fields yet.</p>
      ) : (
        <table className="settings-table">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Default</th>
              <th scope="col">
                <span className="offscreen">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.key}>
                <td>{f.label}</td>
                <td className="mono">{f.key}</td>
                <td>{TYPE_LABEL[f.type]}</td>
                <td>{f.required ? "Required" : "Optional"}</td>
                <td>{showDefault(f)}</td>
                <td className="row-actions">
                  <button type="button" className="button subtle" aria-label={`Edit ${f.label}`} onClick={() => open(f)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button subtle"
                    aria-label={`Delete ${f.label}`}
                    onClick={() => {
                      writer.reset();
                      setDeleting(f);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!editing && !deleting && (
        <WriteStatus
          error={writer.error}
          success={writer.success}
          failed="The custom fields were not saved."
          onRetry={() => void writer.reloadAndRetry()}
          onDiscard={() => void writer.reloadAndDiscard()}
        />
      )}

      {editing && (
        <CustomFieldDialog
          editing={current}
          index={current ? fields.findIndex((f) => f.key === current.key) : fields.length}
          otherKeys={fields.filter((f) => f.key !== current?.key).map((f) => f.key)}
          writer={writer}
          onSave={(def) =>
            writer.save(upsertField(current?.key ?? null, def), `Custom field “${def.label}” saved.`, () => setEditing(null))
          }
          onClose={() => {
            setEditing(null);
            writer.reset();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete custom field “${deleting.label}”?`}
          confirmLabel="Delete field"
          pending={writer.pending}
          onConfirm={() =>
            writer.save(deleteField(deleting.key), `Custom field “${deleting.label}” deleted.`, () => setDeleting(null))
          }
          onClose={() => {
            setDeleting(null);
            writer.reset();
          }}
        >
          <p>
            Cases of this space stop showing <strong>{deleting.label}</strong>, and templates that set a value for it
            lose that value.
          </p>
          <WriteStatus
            error={writer.error}
            failed="The field was not deleted."
            onRetry={() => void writer.reloadAndRetry()}
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
