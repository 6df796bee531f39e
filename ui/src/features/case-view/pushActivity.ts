// How a push reads in the activity feed, in Kibana's words: the first push to a connector
// "pushed as new incident", later ones "updated incident", each with the ticket's link.
import type { ActivityQuery, UserAction } from "../../lib/api/bindings";
import type { JsonValue } from "../../lib/api/json";
import { MAX_USER_ACTIONS_PER_PAGE } from "../../lib/limits";

/** The feed's second query: every push of the case, oldest first (a case has few). */
export const PUSHES_QUERY: ActivityQuery = { types: ["pushed"], sort_order: "asc", per_page: MAX_USER_ACTIONS_PER_PAGE };

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

/**
 * The ids of the pushes that made a ticket: per connector, the oldest push (as Kibana decides
 * between "pushed as new incident" and "updated incident"). `pushes` is oldest first.
 */
export function firstPushIds(pushes: readonly UserAction[]): Set<string> {
  const seen = new Set<string>();
  const first = new Set<string>();
  for (const a of pushes) {
    if (a.type !== "pushed") continue;
    const connector = str(externalService(a), "connector_id") ?? "";
    if (seen.has(connector)) continue;
    seen.add(connector);
    first.add(a.id);
  }
  return first;
}

/** A push record as words and a link; `firstPushes` from {@link firstPushIds}, if known. */
export function describePush(a: UserAction, firstPushes?: ReadonlySet<string>): PushLine {
  const ext = externalService(a);
  const title = str(ext, "external_title") || str(ext, "external_id");
  const url = str(ext, "external_url");
  const name = str(ext, "connector_name");
  const created = firstPushes?.has(a.id);
  const verb = created === undefined ? "pushed" : created ? "pushed as new incident" : "updated incident";
  return {
    verb,
    ticket: title ? { title, url: url ?? "" } : null,
    where: name ? (created === false ? ` in ${name}` : ` to ${name}`) : "",
  };
}

/** The same as one sentence ("pushed as new incident SEC-1 to SOC Jira"). */
export function pushSentence(line: PushLine): string {
  return `${line.verb}${line.ticket ? ` ${line.ticket.title}` : ""}${line.where}`;
}
