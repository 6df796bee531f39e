// The Add/Edit connector form's state, and the ConnectorInput it sends.
import type { Connector, ConnectorInput, ConnectorKind, ConnectorMetadata, ConnectorSettings } from "../../lib/api/bindings";
import { CONNECTOR_CHOICE_FIELDS } from "../../lib/api/bindings";
import type { ApiError } from "../../lib/api/client";
import { SYSTEM_FORMS, formOf } from "./systems";

export type ConnectorForm = {
  name: string;
  url: string;
  /** The system's own settings; `settings.kind` is the system. */
  settings: ConnectorSettings;
  /** Typed by the user; empty when editing means "keep the stored one". Never pre-filled. */
  secret: string;
  /** Named secrets typed (a webhook's secret headers, client key); "" removes a stored one. */
  secrets: Record<string, string>;
};

export function formFrom(c: Connector | null): ConnectorForm {
  return { name: c?.name ?? "", url: c?.url ?? "", settings: c?.settings ?? SYSTEM_FORMS.jira.defaults(), secret: "", secrets: {} };
}

/** Another system chosen: its own settings start from its defaults. */
export function withKind(f: ConnectorForm, kind: ConnectorKind): ConnectorForm {
  return f.settings.kind === kind ? f : { ...f, settings: SYSTEM_FORMS[kind].defaults() };
}

/** What the core gets: the system's settings as its form cleans them; the secret only when typed. */
export function toInput(f: ConnectorForm): ConnectorInput {
  const input: ConnectorInput = { name: f.name.trim(), url: f.url.trim(), settings: formOf(f.settings).clean(f.settings) };
  if (f.secret.trim() !== "") input.secret = f.secret.trim();
  if (Object.keys(f.secrets).length > 0) input.secrets = { ...f.secrets };
  return input;
}

/** The form field a core error is about (`project_key: …`, a taken name…), else null. */
export function errorField(e: ApiError | null): string | null {
  if (!e) return null;
  if (e.code === "already_exists") return "name";
  return e.field === "type" ? "kind" : (e.field ?? null);
}

/** "3 issue types, 5 priorities": what the cached choices hold, per choice field of the system (else its fields). */
export function choicesSummary(kind: ConnectorKind, m: ConnectorMetadata): string {
  const plural = (n: number, word: string) => (n === 1 ? word : word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`);
  // An acronym keeps its capitals: "5 TLPs", not "5 tlps".
  const word = (label: string) => (/^[A-Z]{2,}$/.test(label) ? label : label.toLowerCase());
  const lists = CONNECTOR_CHOICE_FIELDS[kind].map((f) => `${m[f.list].length} ${plural(m[f.list].length, word(f.label))}`);
  // A system without drop-downs (Swimlane): its own fields, what the field mappings are chosen from.
  if (lists.length === 0 && m.fields.length > 0) lists.push(`${m.fields.length} ${plural(m.fields.length, "field")}`);
  return lists.join(", ");
}
