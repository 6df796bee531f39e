import { useState, type FormEvent, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { CustomFieldDefinition, Severity, Template } from "../../lib/api/bindings";
import { listCategories, listTags, listUsers, profile } from "../../lib/api/client";
import { AssigneesInput } from "../../components/AssigneesInput";
import { Combobox } from "../../components/Combobox";
import { CustomFieldInput } from "../../components/CustomFieldInput";
import { valueFor } from "../../components/customFieldValue";
import { Dialog } from "../../components/Dialog";
import { charCount } from "../../lib/format";
import { MAX_CATEGORY_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { SEVERITY_LABEL } from "../cases/labels";
import { SEVERITIES } from "../cases/tableState";
import { TagInput } from "../cases/TagInput";
import {
  MAX_TAGS_PER_TEMPLATE,
  MAX_TEMPLATE_DESCRIPTION_LENGTH,
  MAX_TEMPLATE_NAME_LENGTH,
  settingsErrorField,
  validateTemplate,
  type TemplateFormErrors,
} from "./settingsRules";
import { optionalDef, templateCustomFieldErrors, templateForm, toTemplate, type TemplateForm } from "./templateForm";
import type { ConfigurationWriter } from "./useConfigurationWrite";
import { WriteStatus } from "./WriteStatus";

type Props = {
  space: string;
  editing: Template | null;
  index: number;
  otherKeys: string[];
  defs: CustomFieldDefinition[];
  writer: ConfigurationWriter;
  onSave: (t: Template) => void;
  onClose: () => void;
};

type Err = keyof TemplateFormErrors;
// Core field names (after "templates[i].") → the form's.
const CORE_FIELD: Record<string, Err> = {
  name: "name",
  description: "description",
  tags: "tags",
  "case_fields.title": "title",
  "case_fields.description": "case_description",
  "case_fields.tags": "case_tags",
  "case_fields.category": "category",
};

function Counter({ n, max }: { n: number; max: number }) {
  return <span className={`counter ${n > max ? "over" : ""}`.trim()}>{n.toLocaleString()}/{max.toLocaleString()}</span>;
}

/** Add or edit a template: its name, description, tags, and the case fields it fills in. */
export function TemplateDialog({ space, editing, index, otherKeys, defs, writer, onSave, onClose }: Props) {
  const [form, setForm] = useState<TemplateForm>(() => templateForm(editing, defs));
  const [submitted, setSubmitted] = useState(false);
  const tags = useQuery({ queryKey: queryKeys.tags(space), queryFn: () => listTags(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });

  const template = toTemplate(form, editing?.key ?? null, otherKeys, defs);
  const errors = validateTemplate(template);
  const cfErrors = templateCustomFieldErrors(form, defs);
  const coreField = settingsErrorField(writer.error, "templates", index);
  const errorFor = (f: Err) =>
    (submitted ? errors[f] : undefined) ?? (coreField && CORE_FIELD[coreField] === f ? writer.error?.message : undefined);

  const set = (patch: Partial<TemplateForm>) => {
    if (writer.error && !writer.conflict) writer.reset();
    setForm((f) => ({ ...f, ...patch }));
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setSubmitted(true);
    const firstCf = defs.find((d) => cfErrors[d.key]);
    if (Object.keys(errors).length > 0 || firstCf) {
      const first = (Object.keys(errors) as Err[])[0];
      document.getElementById(first ? `tpl-${first}` : `tpl-cf-${firstCf?.key}`)?.focus();
      return;
    }
    if (!writer.pending) onSave(template);
  };

  const field = (id: Err, label: string, control: ReactNode, counter?: ReactNode, hint?: string) => (
    <div className="field">
      <div className="field-label">
        <label htmlFor={`tpl-${id}`}>{label}</label>
        {counter}
      </div>
      {control}
      {hint && <span className="hint">{hint}</span>}
      <span id={`tpl-${id}-error`} className="field-error">
        {errorFor(id)}
      </span>
    </div>
  );
  const text = (id: Err, value: string, onChange: (v: string) => void, placeholder?: string) => (
    <input
      id={`tpl-${id}`}
      value={value}
      placeholder={placeholder}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={errorFor(id) ? true : undefined}
      aria-describedby={`tpl-${id}-error`}
      autoComplete="off"
    />
  );
  const len = (s: string) => charCount(trimRust(s));

  return (
    <Dialog
      title={editing ? `Edit template “${editing.name}”` : "Add template"}
      onClose={onClose}
      className="dialog-create"
      initialFocusId="tpl-name"
      footer={
        <>
          <span className="hint footer-hint">Changing a template never changes cases already created from it.</span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="template-form" className="button primary" disabled={writer.pending}>
            {writer.pending ? "Saving…" : "Save template"}
          </button>
        </>
      }
    >
      <form id="template-form" className="form" onSubmit={submit} noValidate>
        <WriteStatus error={writer.error} failed="The template was not saved." onRetry={() => void writer.reloadAndRetry()} />
        {field(
          "name",
          "Template name",
          text("name", form.name, (name) => set({ name }), "e.g. Phishing report"),
          <Counter n={len(form.name)} max={MAX_TEMPLATE_NAME_LENGTH} />,
        )}
        {field(
          "description",
          "Template description (optional)",
          <textarea
            id="tpl-description"
            className="short-textarea"
            rows={2}
            value={form.description}
            onChange={(e) => set({ description: e.target.value })}
            aria-invalid={errorFor("description") ? true : undefined}
            aria-describedby="tpl-description-error"
          />,
          <Counter n={len(form.description)} max={MAX_TEMPLATE_DESCRIPTION_LENGTH} />,
          "Shown when picking the template in the Create case form.",
        )}
        {field(
          "tags",
          "Template tags (optional)",
          <TagInput
            id="tpl-tags"
            listLabel="Template tags"
            tags={form.tags}
            text={form.tagInput}
            onChange={(t, tagInput) => set({ tags: t, tagInput })}
            invalid={Boolean(errorFor("tags"))}
            describedBy="tpl-tags-error"
          />,
          <Counter n={form.tags.length} max={MAX_TAGS_PER_TEMPLATE} />,
          "Labels for the template itself (up to 50 characters each); not added to cases.",
        )}

        <fieldset className="custom-fields">
          <legend>Case fields the template fills in</legend>
          <p className="hint">Leave a field empty to keep what the person creating the case enters.</p>
          {field(
            "title",
            "Case name",
            text("title", form.title, (title) => set({ title })),
            <Counter n={len(form.title)} max={MAX_TITLE_LENGTH} />,
          )}
          {field(
            "case_description",
            "Case description",
            <textarea
              id="tpl-case_description"
              className="short-textarea"
              rows={4}
              value={form.caseDescription}
              onChange={(e) => set({ caseDescription: e.target.value })}
              aria-invalid={errorFor("case_description") ? true : undefined}
              aria-describedby="tpl-case_description-error"
            />,
            <Counter n={len(form.caseDescription)} max={MAX_DESCRIPTION_LENGTH} />,
          )}
          <div className="field-row">
            <div className="field">
              <div className="field-label">
                <label htmlFor="tpl-severity">Severity</label>
              </div>
              <select id="tpl-severity" value={form.severity} onChange={(e) => set({ severity: e.target.value as Severity | "" })}>
                <option value="">Not set</option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <div className="field-label">
                <label htmlFor="tpl-category">Category</label>
                <Counter n={len(form.category)} max={MAX_CATEGORY_LENGTH} />
              </div>
              <Combobox
                id="tpl-category"
                value={form.category}
                options={categories.data ?? []}
                onChange={(category) => set({ category })}
                invalid={Boolean(errorFor("category"))}
                describedBy="tpl-category-error"
              />
              <span id="tpl-category-error" className="field-error">
                {errorFor("category")}
              </span>
            </div>
          </div>
          {field(
            "case_tags",
            "Case tags",
            <TagInput
              id="tpl-case_tags"
              tags={form.caseTags}
              text={form.caseTagInput}
              suggestions={tags.data}
              onChange={(t, caseTagInput) => set({ caseTags: t, caseTagInput })}
              invalid={Boolean(errorFor("case_tags"))}
              describedBy="tpl-case_tags-error"
            />,
          )}
          <div className="field">
            <div className="field-label">
              <label htmlFor="tpl-assignees">Assignees</label>
            </div>
            <AssigneesInput
              id="tpl-assignees"
              value={form.assignees}
              onChange={(assignees) => set({ assignees })}
              users={users.data ?? (me.data ? [me.data] : [])}
              currentUser={me.data?.username}
            />
          </div>
          {defs.map((d) => (
            <CustomFieldInput
              key={d.key}
              id={`tpl-cf-${d.key}`}
              definition={optionalDef(d)}
              value={valueFor(d, form.customFields)}
              onChange={(v) => set({ customFields: { ...form.customFields, [d.key]: v } })}
              error={submitted ? cfErrors[d.key] : undefined}
            />
          ))}
          <label className="switch-label" htmlFor="tpl-sync">
            <input
              id="tpl-sync"
              type="checkbox"
              role="switch"
              checked={form.syncAlerts}
              onChange={(e) => set({ syncAlerts: e.target.checked })}
            />
            <span className="custom-field-name">Sync alerts</span>
            <span className="muted">{form.syncAlerts ? "On" : "Off"}</span>
          </label>
        </fieldset>
      </form>
    </Dialog>
  );
}
