import { useState } from "react";
import type { CaseConfiguration, Template } from "../../lib/api/bindings";
import { SEVERITY_LABEL } from "../../components/labels";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { MAX_TEMPLATES_LENGTH } from "../../lib/limits";
import { TemplateDialog } from "./TemplateDialog";
import { useConfigurationWrite, type ConfigEdit } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

/** Replaces the template with key `key`, or adds `t` at the end when `key` is null. */
export function upsertTemplate(key: string | null, t: Template): ConfigEdit {
  return (cfg) => {
    const at = key === null ? -1 : cfg.templates.findIndex((x) => x.key === key);
    return { templates: at < 0 ? [...cfg.templates, t] : cfg.templates.map((x, i) => (i === at ? t : x)) };
  };
}

const deleteTemplate = (key: string): ConfigEdit => (cfg) => ({ templates: cfg.templates.filter((t) => t.key !== key) });

/** What a template fills in, in a few words. */
function summary(t: Template): string {
  const c = t.case_fields;
  const parts: string[] = [];
  if (c.title) parts.push(`name “${c.title}”`);
  if (c.severity) parts.push(`${SEVERITY_LABEL[c.severity].toLowerCase()} severity`);
  if (c.tags?.length) parts.push(`${c.tags.length} tag${c.tags.length === 1 ? "" : "s"}`);
  if (c.category) parts.push(`category ${c.category}`);
  if (c.assignees?.length) parts.push(`${c.assignees.length} assignee${c.assignees.length === 1 ? "" : "s"}`);
  if (c.custom_fields?.length) parts.push(`${c.custom_fields.length} custom field value${c.custom_fields.length === 1 ? "" : "s"}`);
  if (c.description) parts.push("a description");
  if (c.settings && !c.settings.sync_alerts) parts.push("sync alerts off");
  if (c.settings && c.settings.extract_observables === false) parts.push("observable extraction off");
  return parts.length ? `Fills in ${parts.join(", ")}.` : "Fills in nothing yet.";
}

/** Kibana's "Templates": ready-made field values for the Create case form. */
export function TemplatesSection({ space, config }: { space: string; config: CaseConfiguration }) {
  const writer = useConfigurationWrite(space);
  const [editing, setEditing] = useState<Template | "new" | null>(null);
  const [deleting, setDeleting] = useState<Template | null>(null);
  const list = config.templates;
  const full = list.length >= MAX_TEMPLATES_LENGTH;
  const current = editing === "new" ? null : editing;

  const open = (what: Template | "new") => {
    writer.reset();
    setEditing(what);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-templates">
      <div className="section-header">
        <h2 id="settings-templates">Templates</h2>
        <button type="button" className="button" disabled={full} onClick={() => open("new")} aria-describedby="tpl-limit">
          Add template
        </button>
      </div>
      <p className="hint" id="tpl-limit">
        A template pre-fills the Create case form. Editing or deleting a template never changes cases already created.{" "}
        {full
          ? `This space has ${MAX_TEMPLATES_LENGTH} templates, the most allowed: delete one to add another.`
          : `${list.length} of at most ${MAX_TEMPLATES_LENGTH}.`}
      </p>
      {list.length === 0 ? (
        <p className="muted">No templates yet.</p>
      ) : (
        <ul className="template-list">
          {list.map((t) => (
            <li key={t.key} className="template-item">
              <div className="template-text">
                <strong>{t.name}</strong>
                {t.description && <span className="hint">{t.description}</span>}
                <span className="hint">{summary(t)}</span>
                {t.tags.length > 0 && (
                  <ul className="chips" aria-label={`Tags of ${t.name}`}>
                    {t.tags.map((tag) => (
                      <li key={tag} className="chip">
                        {tag}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <div className="row-actions">
                <button type="button" className="button subtle" aria-label={`Edit ${t.name}`} onClick={() => open(t)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="button subtle"
                  aria-label={`Delete ${t.name}`}
                  onClick={() => {
                    writer.reset();
                    setDeleting(t);
                  }}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {!editing && !deleting && (
        <WriteStatus
          error={writer.error}
          success={writer.success}
          failed="The templates were not saved."
          onRetry={() => void writer.reloadAndRetry()}
          onDiscard={() => void writer.reloadAndDiscard()}
        />
      )}

      {editing && (
        <TemplateDialog
          space={space}
          editing={current}
          index={current ? list.findIndex((t) => t.key === current.key) : list.length}
          otherKeys={list.filter((t) => t.key !== current?.key).map((t) => t.key)}
          defs={config.custom_fields}
          writer={writer}
          onSave={(t) => writer.save(upsertTemplate(current?.key ?? null, t), `Template “${t.name}” saved.`, () => setEditing(null))}
          onClose={() => {
            setEditing(null);
            writer.reset();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete template “${deleting.name}”?`}
          confirmLabel="Delete template"
          pending={writer.pending}
          onConfirm={() => writer.save(deleteTemplate(deleting.key), `Template “${deleting.name}” deleted.`, () => setDeleting(null))}
          onClose={() => {
            setDeleting(null);
            writer.reset();
          }}
        >
          <p>Cases created from it are not changed. It is no longer offered in the Create case form.</p>
          <WriteStatus error={writer.error} failed="The template was not deleted." onRetry={() => void writer.reloadAndRetry()} />
        </ConfirmDialog>
      )}
    </section>
  );
}
