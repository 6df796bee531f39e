// The template editor's state and its conversion to and from the core's Template.
import type { CustomFieldDefinition, Severity, Template } from "../../lib/api/bindings";
import { toInputValue, toJsonValue, valueFor, type CustomFieldInputValue } from "../../components/customFieldValue";
import { MAX_TEMPLATE_KEY_LENGTH } from "../../lib/limits";
import { trimRust } from "../../lib/search";
import { addTags } from "../cases/draft";
import { deriveKey } from "./settingsRules";

export type TemplateForm = {
  name: string;
  description: string;
  /** The template's own tags (to find it), not the case's. */
  tags: string[];
  tagInput: string;
  title: string;
  caseDescription: string;
  /** "" = the template leaves severity as the form has it. */
  severity: Severity | "";
  caseTags: string[];
  caseTagInput: string;
  category: string;
  assignees: string[];
  customFields: Record<string, CustomFieldInputValue>;
  syncAlerts: boolean;
  extractObservables: boolean;
};

export function templateForm(t: Template | null, defs: CustomFieldDefinition[]): TemplateForm {
  const c = t?.case_fields ?? {};
  const customFields: Record<string, CustomFieldInputValue> = {};
  for (const cf of c.custom_fields ?? []) {
    const def = defs.find((d) => d.key === cf.key);
    if (def) customFields[cf.key] = toInputValue(def, cf.value);
  }
  return {
    name: t?.name ?? "",
    description: t?.description ?? "",
    tags: t?.tags ?? [],
    tagInput: "",
    title: c.title ?? "",
    caseDescription: c.description ?? "",
    severity: c.severity ?? "",
    caseTags: c.tags ?? [],
    caseTagInput: "",
    category: c.category ?? "",
    assignees: (c.assignees ?? []).map((a) => a.uid),
    customFields,
    syncAlerts: c.settings?.sync_alerts ?? true,
    extractObservables: c.settings?.extract_observables !== false,
  };
}

/** In a template every custom field is optional: an empty one just sets nothing. */
export const optionalDef = (d: CustomFieldDefinition): CustomFieldDefinition => ({ ...d, required: false });

/**
 * The Template to save: blanks left out (the template then leaves that field alone), custom
 * fields with a value only, Sync alerts always set. `key`: the existing key, or null to make one.
 */
export function toTemplate(f: TemplateForm, key: string | null, otherKeys: string[], defs: CustomFieldDefinition[]): Template {
  const opt = (s: string) => (trimRust(s) === "" ? undefined : trimRust(s));
  const caseTags = addTags(f.caseTags, f.caseTagInput);
  const customFields = defs
    .map((d) => ({ key: d.key, type: d.type, value: toJsonValue(d, valueFor(d, f.customFields)) }))
    .filter((c) => c.value !== null);
  const t: Template = {
    key: key ?? deriveKey(f.name, otherKeys, MAX_TEMPLATE_KEY_LENGTH, "template"),
    name: trimRust(f.name),
    tags: addTags(f.tags, f.tagInput),
    case_fields: {
      title: opt(f.title),
      description: opt(f.caseDescription),
      tags: caseTags.length > 0 ? caseTags : undefined,
      severity: f.severity === "" ? undefined : f.severity,
      category: opt(f.category),
      assignees: f.assignees.length > 0 ? f.assignees.map((uid) => ({ uid })) : undefined,
      custom_fields: customFields.length > 0 ? customFields : undefined,
      settings: { sync_alerts: f.syncAlerts, extract_observables: f.extractObservables },
    },
  };
  const description = opt(f.description);
  if (description !== undefined) t.description = description;
  // Drop the undefined keys so the JSON sent (and compared in tests) holds only what is set.
  t.case_fields = Object.fromEntries(Object.entries(t.case_fields).filter(([, v]) => v !== undefined));
  return t;
}
