import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import type { CustomFieldDefinition, Template } from "../../lib/api/bindings";
import { listCategories, listTags, listUsers, profile } from "../../lib/api/client";
import { AssigneesInput } from "../../components/AssigneesInput";
import { Combobox } from "../../components/Combobox";
import { Counter } from "../../components/Counter";
import { CustomFieldInput } from "../../components/CustomFieldInput";
import { valueFor } from "../../components/customFieldValue";
import { Dialog } from "../../components/Dialog";
import { Field, FieldLabel } from "../../components/Field";
import { FormDialogFooter } from "../../components/FormDialogFooter";
import { Switch } from "../../components/Switch";
import { charCount } from "../../lib/format";
import {
  MAX_CATEGORY_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_TAGS_PER_TEMPLATE,
  MAX_TEMPLATE_DESCRIPTION_LENGTH,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TITLE_LENGTH,
} from "../../lib/limits";
import { queryKeys } from "../../lib/queryKeys";
import { trimRust } from "../../lib/search";
import { SeveritySelect } from "../../components/SeveritySelect";
import { MarkdownToolbar, markdownShortcut } from "../../components/MarkdownToolbar";
import { TagInput } from "../../components/TagInput";
import type { TemplateField } from "./settingsRules";
import { optionalDef, templateForm, toTemplate, type TemplateForm } from "./templateForm";
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

type Err = TemplateField;
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

/** Add or edit a template: its name, description, tags, and the case fields it fills in. */
export function TemplateDialog({ space, editing, index, otherKeys, defs, writer, onSave, onClose }: Props) {
  const [form, setForm] = useState<TemplateForm>(() => templateForm(editing, defs));
  const tags = useQuery({ queryKey: queryKeys.tags(space), queryFn: () => listTags(space) });
  const categories = useQuery({ queryKey: queryKeys.categories(space), queryFn: () => listCategories(space) });
  const users = useQuery({ queryKey: queryKeys.users, queryFn: listUsers });
  const me = useQuery({ queryKey: queryKeys.profile, queryFn: profile });

  const template = toTemplate(form, editing?.key ?? null, otherKeys, defs);
  // The core checks the template and names the field it refuses (templates[<index>].case_fields.title…).
  const coreField = writer.error?.fieldWithin("templates", index) ?? null;
  const coreCustomField = writer.error?.customFieldKey("templates", index, "case_fields") ?? null;
  const errorFor = (f: Err) => (coreField && CORE_FIELD[coreField] === f ? writer.error?.message : undefined);
  useEffect(() => {
    const input = coreCustomField !== null ? `tpl-cf-${coreCustomField}` : coreField && CORE_FIELD[coreField] ? `tpl-${CORE_FIELD[coreField]}` : null;
    if (input) document.getElementById(input)?.focus();
  }, [coreField, coreCustomField, writer.error]);

  const set = (patch: Partial<TemplateForm>) => {
    if (writer.error && !writer.conflict) writer.reset();
    setForm((f) => ({ ...f, ...patch }));
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!writer.pending) onSave(template);
  };

  const field = (id: Err, label: string, control: ReactNode, counter?: ReactNode, hint?: string) => (
    <Field id={`tpl-${id}`} label={label} counter={counter} hint={hint} error={errorFor(id)}>
      {control}
    </Field>
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
        <FormDialogFooter form="template-form" submitLabel="Save template" pendingLabel="Saving…" pending={writer.pending} onCancel={onClose}>
          <span className="hint footer-hint">Changing a template never changes cases already created from it.</span>
        </FormDialogFooter>
      }
    >
      <form id="template-form" className="form" onSubmit={submit} noValidate>
        <WriteStatus error={writer.error} failed="The template was not saved." onRetry={() => void writer.reloadAndRetry()} />
        {field(
          "name",
          "Template name",
          text("name", form.name, (name) => set({ name }), "e.g. Phishing report"),
          <Counter announce={false} n={len(form.name)} max={MAX_TEMPLATE_NAME_LENGTH} />,
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
          <Counter announce={false} n={len(form.description)} max={MAX_TEMPLATE_DESCRIPTION_LENGTH} />,
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
          <Counter announce={false} n={form.tags.length} max={MAX_TAGS_PER_TEMPLATE} />,
          "Labels for the template itself (up to 50 characters each); not added to cases.",
        )}

        <fieldset className="custom-fields">
          <legend>Case fields the template fills in</legend>
          <p className="hint">Leave a field empty to keep what the person creating the case enters.</p>
          {field(
            "title",
            "Case name",
            text("title", form.title, (title) => set({ title })),
            <Counter announce={false} n={len(form.title)} max={MAX_TITLE_LENGTH} />,
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
              onKeyDown={markdownShortcut}
              aria-invalid={errorFor("case_description") ? true : undefined}
              aria-describedby="tpl-case_description-error"
            />,
            <>
              <MarkdownToolbar target="tpl-case_description" label="Case description" />
              <Counter announce={false} n={len(form.caseDescription)} max={MAX_DESCRIPTION_LENGTH} />
            </>,
          )}
          <div className="field-row">
            <div className="field">
              <FieldLabel htmlFor="tpl-severity">Severity</FieldLabel>
              <SeveritySelect id="tpl-severity" value={form.severity} onChange={(severity) => set({ severity })} unsetLabel="Not set" />
            </div>
            <Field
              id="tpl-category"
              label="Category"
              counter={<Counter announce={false} n={len(form.category)} max={MAX_CATEGORY_LENGTH} />}
              error={errorFor("category")}
              className="field grow"
            >
              <Combobox
                id="tpl-category"
                value={form.category}
                options={categories.data ?? []}
                onChange={(category) => set({ category })}
                invalid={Boolean(errorFor("category"))}
                describedBy="tpl-category-error"
              />
            </Field>
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
            <FieldLabel htmlFor="tpl-assignees">Assignees</FieldLabel>
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
              error={coreCustomField === d.key ? writer.error?.message : undefined}
            />
          ))}
          <Switch id="tpl-sync" label="Sync alerts" checked={form.syncAlerts} onChange={(syncAlerts) => set({ syncAlerts })} />
          <Switch
            id="tpl-extract"
            label="Extract observables from alerts"
            checked={form.extractObservables}
            onChange={(extractObservables) => set({ extractObservables })}
          />
        </fieldset>
      </form>
    </Dialog>
  );
}
