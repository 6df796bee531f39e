// The "Create case" form's draft, kept in localStorage so that closing the dialog by accident
// loses nothing. The core checks it (create_case, or check_case_create before submitting).
import type { CaseCreate, Connector, CustomFieldDefinition, Severity, Template } from "../../lib/api/bindings";
import type { ConnectorFields } from "../../lib/api/client";
import { toCustomFieldValues, toInputValue, type CustomFieldInputValue } from "../../components/customFieldValue";
import { readJson, remove, writeJson, type KeyValueStore } from "../../lib/storage";
import { trimRust } from "../../lib/search";
import { addTags, uniqueTags } from "../../lib/tags";

export { addTags, uniqueTags };
import { KIBANA_TYPE } from "../connectors/connectorText";
import { SEVERITIES } from "./tableState";

/** The default space's draft in localStorage; another space's adds `.<space>`. */
export const DRAFT_KEY = "casebook.cases.create.draft";
/** The same draft's name among the core's drafts on disk (another space's adds `.<space>`). */
export const CREATE_DRAFT_KEY = "create-case";

// One draft per space: a case started in one space is not offered, and created, in another.
// The default space keeps the keys drafts had before spaces had their own, so none is lost.
// Space names are lowercase letters, digits, '-' and '_', which draft keys accept.

/** The localStorage key of `space`'s create-form draft. */
export function draftKey(space: string): string {
  return space === "default" ? DRAFT_KEY : `${DRAFT_KEY}.${space}`;
}

/** The core's draft key of `space`'s create-form draft. */
export function createDraftKey(space: string): string {
  return space === "default" ? CREATE_DRAFT_KEY : `${CREATE_DRAFT_KEY}.${space}`;
}

export type CaseDraft = {
  title: string;
  description: string;
  severity: Severity;
  tags: string[];
  /** Text typed in the tag box but not yet turned into a tag. */
  tagInput: string;
  category: string;
  /** Usernames. */
  assignees: string[];
  /** Values the user set (or a template set), by field key; absent keys show the default. */
  customFields: Record<string, CustomFieldInputValue>;
  /** Kibana's settings.syncAlerts: closing the case closes its alerts. On by default. */
  syncAlerts: boolean;
  /** Kibana 9.2's settings.extractObservables: observables are taken from attached alerts. On by default. */
  extractObservables: boolean;
  /** Key of the template last applied, "" for none. */
  template: string;
  /** Id of the connector the case goes to, "" for none. */
  connector: string;
  /** That connector's fields (issue type, priority, urgency…), in Kibana's names. */
  connectorFields: ConnectorFields;
  /** Push to the connector right after the case is created (Kibana does). On by default. */
  pushOnCreate: boolean;
};

export const EMPTY_DRAFT: CaseDraft = {
  title: "",
  description: "",
  severity: "low",
  tags: [],
  tagInput: "",
  category: "",
  assignees: [],
  customFields: {},
  syncAlerts: true,
  extractObservables: true,
  template: "",
  connector: "",
  connectorFields: {},
  pushOnCreate: true,
};

export function isEmptyDraft(d: CaseDraft): boolean {
  return (
    d.title === "" && d.description === "" && d.severity === "low" && d.tags.length === 0 &&
    d.tagInput === "" && d.category === "" && d.assignees.length === 0 &&
    Object.keys(d.customFields).length === 0 && d.syncAlerts && d.extractObservables && d.template === "" &&
    d.connector === ""
  );
}

function sanitizeCustomFields(raw: unknown): Record<string, CustomFieldInputValue> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, CustomFieldInputValue> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number") out[k] = v;
  }
  return out;
}

function sanitizeConnectorFields(raw: unknown): ConnectorFields {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const out: ConnectorFields = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

export function sanitizeDraft(raw: unknown): CaseDraft {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ...EMPTY_DRAFT };
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    title: str(r.title),
    description: str(r.description),
    severity: SEVERITIES.includes(r.severity as Severity) ? (r.severity as Severity) : "low",
    tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === "string") : [],
    tagInput: str(r.tagInput),
    category: str(r.category),
    assignees: Array.isArray(r.assignees) ? r.assignees.filter((a): a is string => typeof a === "string") : [],
    customFields: sanitizeCustomFields(r.customFields),
    syncAlerts: typeof r.syncAlerts === "boolean" ? r.syncAlerts : true,
    extractObservables: typeof r.extractObservables === "boolean" ? r.extractObservables : true,
    template: str(r.template),
    connector: str(r.connector),
    connectorFields: sanitizeConnectorFields(r.connectorFields),
    pushOnCreate: typeof r.pushOnCreate === "boolean" ? r.pushOnCreate : true,
  };
}

export function loadDraft(space: string, store?: KeyValueStore | null): CaseDraft {
  const key = draftKey(space);
  return sanitizeDraft(store === undefined ? readJson(key) : readJson(key, store));
}

/** Saves `space`'s draft; an empty one removes the key. */
export function saveDraft(space: string, d: CaseDraft, store?: KeyValueStore | null): void {
  if (isEmptyDraft(d)) clearDraft(space, store);
  else if (store === undefined) writeJson(draftKey(space), d);
  else writeJson(draftKey(space), d, store);
}

export function clearDraft(space: string, store?: KeyValueStore | null): void {
  if (store === undefined) remove(draftKey(space));
  else remove(draftKey(space), store);
}


/** The form's inputs a core error can be about (the top of its field path). */
export type DraftField = "title" | "description" | "tags" | "category" | "assignees";

/** The chips plus whatever is still typed in the tag box. */
export function allTags(d: CaseDraft): string[] {
  return addTags(d.tags, d.tagInput);
}

/**
 * The create_case input; `defs` are the space's custom fields (values of others are dropped),
 * `connectors` the space's connectors (a chosen one that has since been deleted is dropped).
 */
export function toCaseCreate(d: CaseDraft, defs: CustomFieldDefinition[] = [], connectors: Connector[] = []): CaseCreate {
  const input: CaseCreate = {
    title: trimRust(d.title),
    description: trimRust(d.description),
    tags: allTags(d),
    severity: d.severity,
    assignees: d.assignees.map((uid) => ({ uid })),
    custom_fields: toCustomFieldValues(defs, d.customFields),
    settings: { sync_alerts: d.syncAlerts, extract_observables: d.extractObservables },
  };
  const category = trimRust(d.category);
  if (category !== "") input.category = category;
  const k = connectors.find((c) => c.id === d.connector);
  if (k) input.connector = { id: k.id, name: k.name, type: KIBANA_TYPE[k.kind], fields: d.connectorFields };
  return input;
}

/** The form fields a template sets, by the labels the create form shows. */
function templateFields(t: Template): string[] {
  const c = t.case_fields;
  const out: string[] = [];
  if (c.title !== undefined) out.push("Name");
  if (c.description !== undefined) out.push("Description");
  if (c.tags !== undefined) out.push("Tags");
  if (c.category !== undefined) out.push("Category");
  if (c.assignees !== undefined) out.push("Assignees");
  if (c.custom_fields !== undefined && c.custom_fields.length > 0) out.push("Custom fields");
  return out;
}

/**
 * The fields the user typed something in that applying `t` would replace (to confirm first).
 * Severity and the alert switches are not counted: they are one click to set back.
 */
export function templateOverwrites(d: CaseDraft, t: Template): string[] {
  const typed: Record<string, boolean> = {
    Name: trimRust(d.title) !== "",
    Description: trimRust(d.description) !== "",
    Tags: allTags(d).length > 0,
    Category: trimRust(d.category) !== "",
    Assignees: d.assignees.length > 0,
    "Custom fields": Object.keys(d.customFields).length > 0,
  };
  const next = applyTemplate(d, t, []);
  const same: Record<string, boolean> = {
    Name: next.title === d.title,
    Description: next.description === d.description,
    Tags: JSON.stringify(next.tags) === JSON.stringify(allTags(d)),
    Category: next.category === d.category,
    Assignees: JSON.stringify(next.assignees) === JSON.stringify(d.assignees),
    "Custom fields": false,
  };
  return templateFields(t).filter((f) => typed[f] && !same[f]);
}

/**
 * The draft with `t`'s case fields filled in: what the template sets replaces the form's value,
 * what it leaves out is kept. Custom field values are kept only for fields `defs` knows.
 */
export function applyTemplate(d: CaseDraft, t: Template, defs: CustomFieldDefinition[]): CaseDraft {
  const c = t.case_fields;
  const next: CaseDraft = { ...d, template: t.key };
  if (c.title !== undefined) next.title = c.title;
  if (c.description !== undefined) next.description = c.description;
  if (c.tags !== undefined) {
    next.tags = uniqueTags(c.tags);
    next.tagInput = "";
  }
  if (c.severity !== undefined) next.severity = c.severity;
  if (c.category !== undefined) next.category = c.category;
  if (c.assignees !== undefined) next.assignees = c.assignees.map((a) => a.uid);
  if (c.settings !== undefined) {
    next.syncAlerts = c.settings.sync_alerts;
    // Templates saved before the switch existed leave it on, as the core does.
    next.extractObservables = c.settings.extract_observables !== false;
  }
  if (c.custom_fields !== undefined) {
    const values = { ...d.customFields };
    for (const cf of c.custom_fields) {
      const def = defs.find((x) => x.key === cf.key);
      if (def) values[cf.key] = toInputValue(def, cf.value);
    }
    next.customFields = values;
  }
  return next;
}
