// How a push reads in the activity feed, in Kibana's words: the first push to a connector
// "pushed as new incident", later ones "updated incident", each with the ticket's link.
import type { UserAction } from "../../lib/api/bindings";
import type { JsonValue } from "../../lib/api/json";

export type PushLine = {
  /** "pushed as new incident", "updated incident", or "pushed" when it is not known which. */
  verb: string;
  ticket: { title: string; url: string } | null;
  /** " to SOC Jira" or " in SOC Jira"; empty when the record has no connector name. */
  where: string;
};

function str(payload: JsonValue | undefined, key: string): string | null {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null;
  const v = payload[key];
  return typeof v === "string" ? v : null;
}

function externalService(a: UserAction): JsonValue | undefined {
  const p = a.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return undefined;
  return p.externalService ?? p.external_service;
}

/** Whether the push made its ticket, as the core recorded it; null on a record that does not say. */
function created(a: UserAction): boolean | null {
  const p = a.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return null;
  return typeof p.created === "boolean" ? p.created : null;
}

/** A push record as words and a link. */
export function describePush(a: UserAction): PushLine {
  const ext = externalService(a);
  const title = str(ext, "external_title") || str(ext, "external_id");
  const url = str(ext, "external_url");
  const name = str(ext, "connector_name");
  const made = created(a);
  const verb = made === null ? "pushed" : made ? "pushed as new incident" : "updated incident";
  return {
    verb,
    ticket: title ? { title, url: url ?? "" } : null,
    where: name ? (made === false ? ` in ${name}` : ` to ${name}`) : "",
  };
}

/** The same as one sentence ("pushed as new incident SEC-1 to SOC Jira"). */
export function pushSentence(line: PushLine): string {
  return `${line.verb}${line.ticket ? ` ${line.ticket.title}` : ""}${line.where}`;
}
