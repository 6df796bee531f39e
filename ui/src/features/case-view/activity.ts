// The activity feed's logic: which user actions each filter asks for, and one sentence per
// action in Kibana's wording ("changed status to Closed", "added tags phishing, mfa").
import type { ActionType, SortOrder, UserAction } from "../../lib/api/bindings";
import type { JsonValue } from "../../lib/api/json";
import { readJson, writeJson, type KeyValueStore } from "../../lib/storage";
import { SEVERITY_LABEL, STATUS_LABEL } from "../../components/labels";
import { observableText, typeLabeler } from "./observables/observableTypes";
import { describePush, pushSentence, type PushLine } from "./pushActivity";
import { formatCount } from "../../lib/format";

export type ActivityFilter = "all" | "comments" | "history";

export const ACTION_TYPES: readonly ActionType[] = [
  "create_case", "delete_case", "title", "description", "tags", "status", "severity",
  "assignees", "category", "custom_fields", "settings", "connector", "comment", "observables", "pushed",
];

/** The `types` of the core's activity query for a filter ([] = every type). */
export function typesFor(filter: ActivityFilter): ActionType[] {
  switch (filter) {
    case "all":
      return [];
    case "comments":
      return ["comment"];
    case "history":
      return ACTION_TYPES.filter((t) => t !== "comment");
  }
}

export type FeedPrefs = { filter: ActivityFilter; order: SortOrder };
export const FEED_PREFS_KEY = "casebook.case.activity";
export const DEFAULT_FEED_PREFS: FeedPrefs = { filter: "all", order: "asc" };

export function loadFeedPrefs(store?: KeyValueStore | null): FeedPrefs {
  const raw = store === undefined ? readJson(FEED_PREFS_KEY) : readJson(FEED_PREFS_KEY, store);
  if (typeof raw !== "object" || raw === null) return { ...DEFAULT_FEED_PREFS };
  const r = raw as Record<string, unknown>;
  return {
    filter: r.filter === "comments" || r.filter === "history" || r.filter === "all" ? r.filter : "all",
    order: r.order === "desc" ? "desc" : "asc",
  };
}

export function saveFeedPrefs(prefs: FeedPrefs, store?: KeyValueStore | null): void {
  if (store === undefined) writeJson(FEED_PREFS_KEY, prefs);
  else writeJson(FEED_PREFS_KEY, prefs, store);
}

function field(payload: JsonValue, key: string): JsonValue | undefined {
  return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? payload[key] : undefined;
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function uids(v: JsonValue | undefined): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a) => {
    const uid = field(a, "uid");
    return typeof uid === "string" ? [uid] : [];
  });
}

function quoted(s: string, max = 80): string {
  const one = s.replace(/\s+/g, " ").trim();
  return `“${one.length > max ? `${one.slice(0, max - 1)}…` : one}”`;
}

function num(v: JsonValue | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The label of an observable type key ("observable-type-ipv4" → "IPv4"). */
export type TypeLabel = (key: string) => string;
const builtinLabel = typeLabeler();

/**
 * An alert attachment: a `comment` record whose payload is Kibana's `{comment: {type: "alert",
 * rule: {name}}, total}` rather than a user comment.
 */
export function isAlertAttachment(a: UserAction): boolean {
  return a.type === "comment" && field(field(a.payload, "comment") ?? null, "type") === "alert";
}

/** "attached 12 alerts from rule Brute force", "removed an alert from rule Brute force". */
function describeAlerts(a: UserAction): string {
  const comment = field(a.payload, "comment") ?? null;
  const rule = field(field(comment, "rule") ?? null, "name");
  const ids = field(comment, "alertId");
  const total = num(field(a.payload, "total")) ?? (Array.isArray(ids) ? ids.length : 1);
  const what = total === 1 ? "an alert" : `${formatCount(total)} alerts`;
  const from = typeof rule === "string" && rule.trim() !== "" ? ` from rule ${rule}` : "";
  return `${a.action === "delete" ? "removed" : "attached"} ${what}${from}`;
}

/** "added 3 observables (IPv4 192.0.2.1, Domain example.com, URL …)", "deleted an observable (…)". */
function describeObservables(a: UserAction, label: TypeLabel): string {
  const o = field(a.payload, "observables") ?? null;
  const values = Array.isArray(field(o, "values")) ? (field(o, "values") as JsonValue[]) : [];
  const texts = values.flatMap((v) => {
    const key = field(v, "typeKey");
    const value = field(v, "value");
    return typeof key === "string" && typeof value === "string" ? [observableText(label(key), value)] : [];
  });
  const count = num(field(o, "count")) ?? texts.length;
  const kind = field(o, "actionType");
  const verb =
    kind === "delete" || a.action === "delete" ? "deleted" : kind === "update" || a.action === "update" ? "updated" : "added";
  const what = count === 1 ? "an observable" : `${formatCount(count)} observables`;
  if (texts.length === 0) return `${verb} ${what}`;
  const shown = texts.slice(0, 3).join(", ");
  const more = count > 3 ? `, and ${formatCount(count - 3)} more` : "";
  return `${verb} ${what} (${shown}${more})`;
}

/** Whether an entry belongs in a filter: "Comments" shows the analysts' comments only. */
export function inFilter(a: UserAction, filter: ActivityFilter): boolean {
  return filter !== "comments" || !isAlertAttachment(a);
}

/** What a feed entry shows: a comment card, or one line of history. */
export type FeedEntry =
  | { kind: "comment"; action: UserAction; commentId: string }
  | { kind: "event"; action: UserAction; text: string; push?: PushLine }
  | { kind: "hidden"; action: UserAction };

/**
 * A comment's creation shows as its card (if it still exists); its edits show on the card as
 * "edited" rather than as separate lines, as in Kibana.
 */
export function toFeedEntry(
  action: UserAction,
  liveComments: ReadonlySet<string>,
  label: TypeLabel = builtinLabel,
): FeedEntry {
  if (isAlertAttachment(action)) return { kind: "event", action, text: describeAlerts(action) };
  if (action.type === "comment") {
    const id = action.comment_id;
    if (action.action === "create" && id && liveComments.has(id)) return { kind: "comment", action, commentId: id };
    if (action.action === "delete") return { kind: "event", action, text: "deleted a comment" };
    return { kind: "hidden", action };
  }
  if (action.type === "pushed") {
    const push = describePush(action);
    return { kind: "event", action, text: pushSentence(push), push };
  }
  return { kind: "event", action, text: describeAction(action, label) };
}

/** One sentence, without the actor ("changed severity to High"). */
export function describeAction(a: UserAction, label: TypeLabel = builtinLabel): string {
  const p = a.payload;
  switch (a.type) {
    case "create_case":
      return "created the case";
    case "delete_case":
      return "deleted the case";
    case "title": {
      const t = field(p, "title");
      return typeof t === "string" ? `renamed the case to ${quoted(t)}` : "renamed the case";
    }
    case "description":
      return "edited the description";
    case "status": {
      const s = field(p, "status");
      return typeof s === "string" && s in STATUS_LABEL
        ? `marked the case as ${STATUS_LABEL[s as keyof typeof STATUS_LABEL]}`
        : "changed the status";
    }
    case "severity": {
      const s = field(p, "severity");
      return typeof s === "string" && s in SEVERITY_LABEL
        ? `changed severity to ${SEVERITY_LABEL[s as keyof typeof SEVERITY_LABEL]}`
        : "changed the severity";
    }
    case "tags": {
      const tags = strings(field(p, "tags"));
      const verb = a.action === "delete" ? "removed" : "added";
      return `${verb} ${tags.length === 1 ? "tag" : "tags"} ${tags.join(", ")}`.trim();
    }
    case "assignees": {
      const who = uids(field(p, "assignees"));
      return a.action === "delete" ? `unassigned ${who.join(", ")}`.trim() : `assigned ${who.join(", ")}`.trim();
    }
    case "category": {
      const c = field(p, "category");
      return typeof c === "string" && c !== "" ? `set the category to ${quoted(c)}` : "removed the category";
    }
    case "custom_fields":
      return "updated custom fields";
    case "settings": {
      const settings = field(p, "settings") ?? null;
      const sync = field(settings, "sync_alerts");
      const extract = field(settings, "extract_observables");
      // The record holds the whole settings after the change, so with both switches in it the
      // one that changed cannot be told: say where both stand.
      if (typeof sync === "boolean" && typeof extract === "boolean") {
        return `changed the case settings: alert syncing ${sync ? "on" : "off"}, observable extraction ${extract ? "on" : "off"}`;
      }
      if (typeof sync === "boolean") return `turned ${sync ? "on" : "off"} alert syncing`;
      if (typeof extract === "boolean") return `turned ${extract ? "on" : "off"} observable extraction`;
      return "changed the case settings";
    }
    case "connector": {
      const connector = field(p, "connector") ?? null;
      const name = field(connector, "name");
      if (typeof name !== "string" || name === "none") return "removed the connector";
      // The record holds the connector with all its fields after the change.
      const fields = field(connector, "fields");
      const set =
        fields && typeof fields === "object" && !Array.isArray(fields)
          ? Object.entries(fields as Record<string, unknown>)
              .filter(([, v]) => v !== null && v !== false && v !== "")
              .map(([k, v]) => (v === true ? k : `${k} ${String(v)}`))
          : [];
      return set.length ? `chose the connector ${name} (${set.join(", ")})` : `chose the connector ${name}`;
    }
    case "pushed":
      return pushSentence(describePush(a));
    case "comment":
      if (isAlertAttachment(a)) return describeAlerts(a);
      return a.action === "delete" ? "deleted a comment" : a.action === "update" ? "edited a comment" : "commented";
    case "observables":
      return describeObservables(a, label);
  }
  return "changed the case";
}

/** Markdown that quotes `text` for a reply. */
export function quoteMarkdown(text: string): string {
  const body = text
    .trimEnd()
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
  return `${body}\n\n`;
}

/** Appends a quote to what is already typed, separated by a blank line. */
export function insertQuote(current: string, text: string): string {
  const quote = quoteMarkdown(text);
  if (current.trim() === "") return quote;
  return `${current.replace(/\s*$/, "")}\n\n${quote}`;
}
