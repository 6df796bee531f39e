// The Add/Edit connector form's state, and the ConnectorInput it sends.
import type { Connector, ConnectorAuth, ConnectorInput, ConnectorKind, ConnectorMetadata, ServiceNowMode } from "../../lib/api/bindings";
import type { ApiError } from "../../lib/api/client";

export type ConnectorForm = {
  name: string;
  kind: ConnectorKind;
  url: string;
  projectKey: string;
  auth: ConnectorAuth;
  mode: ServiceNowMode;
  username: string;
  /** Typed by the user; empty when editing means "keep the stored one". Never pre-filled. */
  secret: string;
};

export type FormField = "name" | "kind" | "url" | "project_key" | "auth" | "mode" | "username" | "secret";
const FIELDS: readonly string[] = ["name", "kind", "url", "project_key", "auth", "mode", "username", "secret"];

export function formFrom(c: Connector | null): ConnectorForm {
  return {
    name: c?.name ?? "",
    kind: c?.kind ?? "jira",
    url: c?.url ?? "",
    projectKey: c?.project_key ?? "",
    auth: c?.auth ?? "basic",
    mode: c?.mode ?? "import-set",
    username: c?.username ?? "",
    secret: "",
  };
}

/** What the core gets: only the fields of the chosen system; the secret only when one was typed. */
export function toInput(f: ConnectorForm): ConnectorInput {
  const input: ConnectorInput = { name: f.name.trim(), kind: f.kind, url: f.url.trim() };
  const auth: ConnectorAuth = f.kind === "jira" ? f.auth : "basic";
  if (f.kind === "jira") input.project_key = f.projectKey.trim();
  else input.mode = f.mode;
  input.auth = auth;
  if (auth === "basic" && f.username.trim() !== "") input.username = f.username.trim();
  if (f.secret.trim() !== "") input.secret = f.secret.trim();
  return input;
}

/** The form field a core error is about (`project_key: …`, a taken name…), else null. */
export function errorField(e: ApiError | null): FormField | null {
  if (!e) return null;
  if (e.code === "already_exists") return "name";
  const f = e.field === "type" ? "kind" : e.field;
  return f && FIELDS.includes(f) ? (f as FormField) : null;
}

/** "3 issue types, 5 priorities, 2 parent issues": what the cached choices hold. */
export function choicesSummary(kind: ConnectorKind, m: ConnectorMetadata): string {
  const lists: [number, string, string][] =
    kind === "jira"
      ? [
          [m.issue_types.length, "issue type", "issue types"],
          [m.priorities.length, "priority", "priorities"],
          [m.parents.length, "parent issue", "parent issues"],
        ]
      : kind === "servicenow-itsm"
        ? [
            [m.urgencies.length, "urgency", "urgencies"],
            [m.severities.length, "severity", "severities"],
            [m.impacts.length, "impact", "impacts"],
            [m.categories.length, "category", "categories"],
            [m.subcategories.length, "subcategory", "subcategories"],
          ]
        : [
            [m.categories.length, "category", "categories"],
            [m.subcategories.length, "subcategory", "subcategories"],
            [m.priorities.length, "priority", "priorities"],
          ];
  return lists.map(([n, one, many]) => `${n} ${n === 1 ? one : many}`).join(", ");
}
