// Test helpers shared by the Vitest suites (not bundled: only tests import this). The
// Elasticsearch fake is in fakeElastic.ts; its helpers are re-exported here.
import type {
  AlertDetail,
  AlertHit,
  AlertImportReport,
  AlertListQuery,
  AlertOverview,
  AlertPage,
  AlertQuery,
  AlertRuleGroup,
  AlertSearchPage,
  AlertSource,
  AlertSourceInput,
  Case,
  CaseAlert,
  ClusterInfo,
  Observable,
  ObservableInput,
  ObservableType,
  SimilarCase,
  SimilarCasesPage,
  Severity,
  StatusSyncReport,
  IdTaskStatus,
  User,
  UserAction,
} from "../lib/api/bindings";
import { ApiError, type CommandFunction } from "../lib/api/client";
import { notFoundError, validationError } from "./wireErrors";
import type { KeyValueStore } from "../lib/storage";
import {
  KEYCHAIN_LOCKED,
  KEYCHAIN_UNAVAILABLE,
  SEVERITY_VALUES,
  WORKFLOW_VALUES,
  checkSourceUrl,
  elasticFake,
  fieldOf,
  type ElasticFake,
} from "./fakeElastic";
import { BUILTIN_OBSERVABLE_TYPES } from "../features/case-view/observables/observableTypes";

/** An in-memory localStorage. */
export function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** The signed-in analyst the suites log in as. */
export function aUser(patch: Partial<User> = {}): User {
  return { username: "ana", full_name: "Ana Lytic", email: null, ...patch };
}

/** Case number `n`: open, high severity, tagged "phishing", assigned to ana; its id and version derive from `n`. */
export function aCase(n: number, patch: Partial<Case> = {}): Case {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    version: String(n + 10),
    incremental_id: n,
    space: "default",
    title: `Case number ${n}`,
    description: "",
    tags: ["phishing"],
    severity: "high",
    status: "open",
    assignees: [{ uid: "ana" }],
    category: "Email",
    custom_fields: [],
    settings: { sync_alerts: true, extract_observables: true },
    owner: "securitySolution",
    connector: { id: "none", name: "none", type: ".none", fields: null },
    external_service: null,
    push_state: "not_pushed",
    pending_push: null,
    created_at: "2026-11-20T10:00:00Z",
    created_by: aUser({ full_name: null }),
    updated_at: null,
    updated_by: null,
    closed_at: null,
    closed_by: null,
    in_progress_at: null,
    duration: null,
    time_to_acknowledge: null,
    time_to_investigate: null,
    time_to_resolve: null,
    total_comment: 0,
    total_alerts: 0,
    total_observables: 0,
    ...patch,
  };
}

/** An activity-log entry: ana changed case c1's title. */
export function anAction(patch: Partial<UserAction> = {}): UserAction {
  return {
    id: "a1",
    case_id: "c1",
    action: "update",
    type: "title",
    payload: {},
    created_at: "2026-11-27T10:00:00Z",
    created_by: aUser(),
    comment_id: null,
    owner: "securitySolution",
    ...patch,
  };
}

/** The numbering task's schedule: every 10 minutes (the setting), next run in 3 minutes, never run. */
export function idStatus(patch: Partial<IdTaskStatus> = {}): IdTaskStatus {
  return {
    interval_minutes: 10,
    interval_seconds: 600,
    from_env: false,
    setting_minutes: 10,
    next_run_at: new Date(Date.now() + 3 * 60_000).toISOString(),
    last_run_at: null,
    last_assigned: null,
    ...patch,
  };
}

// ---------- alerts and observables: a stateful fake of the core's commands for one case ----------

/** Alert `n` of the case: "Brute force", high, risk 73, on ws-(n mod 3) as user(n mod 2), n minutes before 10:00. */
export function anAlert(n: number, patch: Partial<CaseAlert> = {}): CaseAlert {
  return {
    id: `alert-${String(n).padStart(4, "0")}`,
    index: ".internal.alerts-security.alerts-default-000001",
    rule_id: "r-brute",
    rule_name: "Brute force",
    severity: "high",
    risk_score: 73,
    reason: `authentication event with 12 failures on ws-${n % 3}`,
    host: `ws-${n % 3}`,
    user: `user${n % 2}`,
    "@timestamp": new Date(Date.UTC(2026, 10, 27, 10, 0) - n * 60_000).toISOString(),
    original_time: new Date(Date.UTC(2026, 10, 27, 10, 0) - n * 60_000 - 30_000).toISOString(),
    workflow_status: "open",
    origin: "file",
    status_sync_pending: false,
    attached_at: "2026-11-27T12:00:00Z",
    attached_by: aUser(),
    ...patch,
  };
}

/** An observable of the case, added by ana. */
export function anObservable(n: number, patch: Partial<Observable> = {}): Observable {
  return {
    id: `obs-${n}`,
    type_key: "observable-type-ipv4",
    type_label: "IPv4",
    value: `192.0.2.${n}`,
    description: null,
    created_at: "2026-11-27T11:00:00Z",
    created_by: aUser(),
    updated_at: null,
    ...patch,
  };
}

type Doc = { [key: string]: unknown };

/** A document's leaves as dotted paths, sorted, as the core's get_alert flattens them. */
function flatten(doc: unknown, prefix = "", out = new Map<string, (string | number | boolean)[]>()) {
  if (Array.isArray(doc)) {
    for (const v of doc) flatten(v, prefix, out);
  } else if (typeof doc === "object" && doc !== null) {
    for (const [k, v] of Object.entries(doc)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof doc === "string" || typeof doc === "number" || typeof doc === "boolean") {
    out.set(prefix, [...(out.get(prefix) ?? []), doc]);
  }
  return out;
}

/** The document an alert came from, as an Elastic Security alert holds it. */
export function alertDocument(a: CaseAlert): Doc {
  return {
    "@timestamp": a["@timestamp"],
    kibana: {
      alert: {
        uuid: a.id,
        original_time: a.original_time,
        reason: a.reason,
        risk_score: a.risk_score,
        severity: a.severity,
        workflow_status: a.workflow_status,
        rule: { name: a.rule_name, uuid: a.rule_id },
      },
    },
    host: { name: a.host, ip: ["10.0.0.5", "192.0.2.7"] },
    user: { name: a.user },
    event: { category: ["authentication"], outcome: "failure" },
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;


type MemoryBookInit = {
  alerts?: CaseAlert[];
  /** Documents by alert id (default: alertDocument). */
  documents?: Record<string, Doc>;
  observables?: Observable[];
  customTypes?: ObservableType[];
  similar?: SimilarCase[];
  /** The keychain and cluster (default: a fresh one, no source set). */
  elastic?: ElasticFake;
  /** The Casebook space status syncs are sent for. */
  space?: string;
};

/**
 * The core's alert, observable and similar-case commands over one case in memory, answering
 * as the core does: sorting, filters and paging of list_alerts, overview figures, the checks
 * and errors of add/update_observable (type, IPv4 syntax, duplicates, the 50 limit). Its
 * methods have the signatures of lib/api/client's functions, for mockImplementation.
 */
export function memoryBook(init: MemoryBookInit = {}) {
  const state = {
    alerts: [...(init.alerts ?? [])],
    documents: { ...(init.documents ?? {}) },
    observables: [...(init.observables ?? [])],
    customTypes: [...(init.customTypes ?? [])],
    similar: [...(init.similar ?? [])],
    elastic: init.elastic ?? elasticFake(),
  };
  const bookSpace = init.space ?? "default";
  let nextObservable = 1000;
  const types = () => [...BUILTIN_OBSERVABLE_TYPES, ...state.customTypes];
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const SEVERITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

  const checkObservable = (input: ObservableInput, except: string | null): { key: string; value: string } => {
    const type = types().find((t) => t.key === input.type_key);
    if (!type) throw validationError("type_key", `"${input.type_key}" is not an observable type of this space`);
    const value = input.value.trim();
    if (value === "") throw validationError("value", "cannot be an empty string");
    if (type.key === "observable-type-ipv4" && !IPV4.test(value)) {
      throw validationError("value", `"${value}" is not an IPv4 address (like 192.0.2.10)`);
    }
    if ((input.description ?? "").length > 1000) throw validationError("description", "at most 1000 characters");
    if (state.observables.some((o) => o.id !== except && o.type_key === type.key && o.value === value)) {
      throw new ApiError("already_exists", `observable already exists: ${type.key} "${value}" (a case holds each value once)`, { what: "observable" });
    }
    return { key: type.key, value };
  };

  const keychain = () => {
    if (state.elastic.keychainState === "unavailable") throw new ApiError("keychain_unavailable", KEYCHAIN_UNAVAILABLE);
    if (state.elastic.keychainState === "locked") throw new ApiError("keychain_locked", KEYCHAIN_LOCKED);
    return state.elastic.keychain;
  };
  const sourceOf = (space: string): AlertSource | null => {
    const saved = state.elastic.sources.get(space);
    if (!saved) return null;
    return {
      space,
      url: saved.url,
      kibana_space: saved.kibana_space,
      index: `.alerts-security.alerts-${saved.kibana_space}`,
      api_key_stored: keychain().has(space),
      updated_at: saved.updated_at,
    };
  };
  /** What every request to the cluster goes through: a source, its key, the network, the key's validity. */
  const connect = (space: string) => {
    const saved = state.elastic.sources.get(space);
    if (!saved) {
      throw new ApiError(
        "not_found",
        `Elasticsearch source not found: for space ${space}; set one in Settings → Alert source or with \`casebook source set\``,
        { what: "Elasticsearch source" },
      );
    }
    const key = keychain().get(space);
    if (!key) {
      throw validationError("api_key", `the keychain holds no API key for the Elasticsearch source of space ${space}; enter it again in Settings`);
    }
    if (state.elastic.failure) throw state.elastic.failure;
    if (state.elastic.validKey !== null && key !== state.elastic.validKey) {
      throw new ApiError(
        "unauthorized",
        `Elasticsearch at ${saved.url} rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook.`,
      );
    }
    return saved;
  };
  const esTime = (h: AlertHit) => Date.parse(fieldOf(h.source, "@timestamp") ?? "") || 0;
  /** A field of a cluster's alert, with the status Casebook sent it since. */
  const esField = (h: AlertHit, field: string) =>
    field === "kibana.alert.workflow_status" && state.elastic.statuses.has(h.id) ? state.elastic.statuses.get(h.id)! : fieldOf(h.source, field);

  return {
    state,
    getAlertSource: async (space: string): Promise<AlertSource | null> => sourceOf(space),
    setAlertSource: async (space: string, input: AlertSourceInput): Promise<AlertSource> => {
      const kibanaSpace = input.kibana_space?.trim() || space;
      if (!/^[a-z0-9_-]{1,100}$/.test(kibanaSpace)) {
        throw validationError("kibana_space", `${JSON.stringify(kibanaSpace)} is not a Kibana space id (lowercase letters, digits, \`_\` and \`-\`, e.g. \`default\`)`);
      }
      const key = input.api_key?.trim() || null;
      const url = checkSourceUrl(input.url);
      const keys = keychain();
      if (key) keys.set(space, key);
      else if (!keys.has(space)) throw validationError("api_key", "is required: paste the encoded API key Kibana showed");
      state.elastic.sources.set(space, { url, kibana_space: kibanaSpace, updated_at: new Date().toISOString() });
      return sourceOf(space)!;
    },
    removeAlertSource: async (space: string): Promise<null> => {
      keychain().delete(space);
      state.elastic.sources.delete(space);
      return null;
    },
    testAlertSource: async (space: string): Promise<ClusterInfo> => {
      connect(space);
      return { ...state.elastic.cluster };
    },
    searchSourceAlerts: async (space: string, q: AlertQuery): Promise<AlertSearchPage> => {
      connect(space);
      const size = q.size ?? 100;
      if (size < 1 || size > 1000) throw validationError("size", `must be between 1 and 1000 (got ${size})`);
      const from = q.from ? Date.parse(q.from) : null;
      const to = q.to ? Date.parse(q.to) : null;
      if (from !== null && to !== null && from > to) throw validationError("from", `${q.from} is after \`to\` (${q.to})`);
      for (const [field, value, allowed] of [
        ["severity", q.severity, SEVERITY_VALUES],
        ["workflow_status", q.workflow_status, WORKFLOW_VALUES],
      ] as const) {
        if (value && !allowed.includes(value)) {
          throw validationError(field, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
        }
      }
      if (q.search_after && q.search_after.length === 0) {
        throw validationError("search_after", "is empty; pass the previous page's `next` unchanged");
      }
      const terms: [string, string | undefined][] = [
        ["kibana.alert.rule.name", q.rule],
        ["host.name", q.host],
        ["user.name", q.user],
        ["kibana.alert.severity", q.severity],
        ["kibana.alert.workflow_status", q.workflow_status],
      ];
      const matching = state.elastic.alerts
        .filter(
          (h) =>
            (from === null || esTime(h) >= from) &&
            (to === null || esTime(h) <= to) &&
            terms.every(([field, v]) => !v?.trim() || esField(h, field) === v.trim()),
        )
        .sort((a, b) => esTime(b) - esTime(a) || cmp(a.id, b.id));
      let rest = matching;
      if (q.search_after) {
        const [t, id] = q.search_after as [number, string];
        rest = matching.filter((h) => esTime(h) < t || (esTime(h) === t && h.id > id));
      }
      const hits = rest.slice(0, size);
      const last = hits[hits.length - 1];
      return { total: matching.length, hits, next: hits.length === size && last ? [esTime(last), last.id] : null };
    },
    attachSourceAlerts: async (caseId: string, hits: AlertHit[]): Promise<AlertImportReport> => {
      if (hits.length === 0) throw validationError("hits", `nothing to attach to case ${caseId}`);
      let attached = 0;
      let already = 0;
      for (const h of hits) {
        if (state.alerts.some((a) => a.id === h.id)) {
          already++;
          continue;
        }
        const s = h.source;
        const severity = fieldOf(s, "kibana.alert.severity");
        const status = fieldOf(s, "kibana.alert.workflow_status");
        const risk = fieldOf(s, "kibana.alert.risk_score");
        state.alerts.push(
          anAlert(0, {
            id: h.id,
            index: h.index,
            rule_id: fieldOf(s, "kibana.alert.rule.uuid"),
            rule_name: fieldOf(s, "kibana.alert.rule.name"),
            severity: severity && SEVERITY_VALUES.includes(severity) ? (severity as Severity) : null,
            risk_score: risk === null ? null : Number(risk),
            reason: fieldOf(s, "kibana.alert.reason"),
            host: fieldOf(s, "host.name"),
            user: fieldOf(s, "user.name"),
            "@timestamp": fieldOf(s, "@timestamp"),
            original_time: fieldOf(s, "kibana.alert.original_time"),
            workflow_status: status && WORKFLOW_VALUES.includes(status) ? (status as CaseAlert["workflow_status"]) : "open",
            origin: "elasticsearch",
            attached_at: new Date().toISOString(),
          }),
        );
        if (s && typeof s === "object" && !Array.isArray(s)) state.documents[h.id] = s as Doc;
        attached++;
      }
      return {
        attached,
        already_attached: already,
        repeated_in_file: 0,
        issues: [],
        issue_count: 0,
        observables_added: 0,
        observables_over_limit: 0,
        cancelled: false,
      };
    },
    syncAlertStatuses: async (): Promise<StatusSyncReport> => {
      const pending = state.alerts.filter((a) => a.status_sync_pending && a.index !== null);
      if (pending.length === 0) return { updated: 0, waiting: 0, errors: [] };
      try {
        connect(bookSpace);
      } catch (e) {
        return { updated: 0, waiting: pending.length, errors: [`space ${bookSpace}: ${ApiError.from(e).message}`] };
      }
      for (const a of pending) state.elastic.statuses.set(a.id, a.workflow_status);
      state.alerts = state.alerts.map((a) => (a.status_sync_pending && a.index !== null ? { ...a, status_sync_pending: false } : a));
      return { updated: pending.length, waiting: 0, errors: [] };
    },
    listAlerts: async (_caseId: string, q: AlertListQuery): Promise<AlertPage> => {
      const page = q.page ?? 1;
      const perPage = q.per_page ?? 50;
      if (perPage < 1 || perPage > 100) throw validationError("per_page", `must be between 1 and 100 (got ${perPage})`);
      const words = (q.search ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      let rows = state.alerts.filter(
        (a) =>
          (q.rule === undefined || (q.rule === "" ? a.rule_name === null : a.rule_name === q.rule)) &&
          (q.severity === undefined || a.severity === q.severity) &&
          (q.workflow_status === undefined || a.workflow_status === q.workflow_status) &&
          words.every((w) => [a.rule_name, a.reason, a.host, a.user, a.id].some((f) => f?.toLowerCase().includes(w))),
      );
      const dir = q.order === "asc" ? 1 : -1;
      const sort = q.sort ?? "rule";
      rows = [...rows].sort((a, b) => {
        switch (sort) {
          case "rule": {
            const g = q.order === "desc" ? -1 : 1;
            return g * cmp(a.rule_name, b.rule_name) || g * cmp(a.rule_id, b.rule_id) || -cmp(a["@timestamp"], b["@timestamp"]) || -cmp(a.id, b.id);
          }
          case "time":
            return dir * cmp(a["@timestamp"], b["@timestamp"]) || dir * cmp(a.id, b.id);
          case "severity":
            return dir * cmp(a.severity && SEVERITY_RANK[a.severity], b.severity && SEVERITY_RANK[b.severity]) || dir * cmp(a.risk_score, b.risk_score) || dir * cmp(a.id, b.id);
          case "risk_score":
            return dir * cmp(a.risk_score, b.risk_score) || dir * cmp(a.id, b.id);
          case "host":
            return dir * cmp(a.host, b.host) || dir * cmp(a.id, b.id);
          case "user":
            return dir * cmp(a.user, b.user) || dir * cmp(a.id, b.id);
        }
      });
      return { alerts: rows.slice((page - 1) * perPage, page * perPage), total: rows.length, page, per_page: perPage };
    },
    alertOverview: async (): Promise<AlertOverview> => {
      const groups = new Map<string, AlertRuleGroup>();
      for (const a of state.alerts) {
        // As the core: by rule id, else by name.
        const k = a.rule_id ?? `\u0000${a.rule_name}`;
        const g = groups.get(k) ?? { rule_id: a.rule_id, rule_name: a.rule_name, alerts: 0, newest: null };
        g.alerts += 1;
        const at = a["@timestamp"];
        if (at && (!g.newest || at > g.newest)) g.newest = at;
        groups.set(k, g);
      }
      return {
        total: state.alerts.length,
        hosts: new Set(state.alerts.map((a) => a.host).filter(Boolean)).size,
        users: new Set(state.alerts.map((a) => a.user).filter(Boolean)).size,
        rules: [...groups.values()].sort((a, b) => cmp(a.rule_name, b.rule_name) || cmp(a.rule_id, b.rule_id)),
        status_sync_pending: state.alerts.filter((a) => a.status_sync_pending).length,
      };
    },
    getAlert: async (caseId: string, alertId: string): Promise<AlertDetail> => {
      const alert = state.alerts.find((a) => a.id === alertId);
      if (!alert) throw notFoundError("alert", `${alertId} in case ${caseId}`);
      const document = state.documents[alertId] ?? alertDocument(alert);
      const fields = [...flatten(document).entries()].sort(([a], [b]) => cmp(a, b)).map(([field, values]) => ({ field, values }));
      return { alert, fields, document };
    },
    removeAlerts: async (caseId: string, alertIds: string[]): Promise<number> => {
      const missing = alertIds.find((id) => !state.alerts.some((a) => a.id === id));
      if (missing) throw notFoundError("alert", `${missing} in case ${caseId}`);
      state.alerts = state.alerts.filter((a) => !alertIds.includes(a.id));
      return alertIds.length;
    },
    listObservables: async (): Promise<Observable[]> => [...state.observables],
    addObservable: async (_caseId: string, input: ObservableInput): Promise<Observable> => {
      const { key, value } = checkObservable(input, null);
      if (state.observables.length >= 50) {
        throw validationError("observables", "a case holds at most 50 observables; delete one before adding another");
      }
      const o = anObservable(nextObservable++, {
        type_key: key,
        type_label: types().find((t) => t.key === key)!.label,
        value,
        description: input.description?.trim() || null,
      });
      state.observables.push(o);
      return o;
    },
    updateObservable: async (_caseId: string, observableId: string, input: ObservableInput): Promise<Observable> => {
      const at = state.observables.findIndex((o) => o.id === observableId);
      if (at < 0) throw notFoundError("observable", `${observableId}`);
      const { key, value } = checkObservable(input, observableId);
      const o = {
        ...state.observables[at],
        type_key: key,
        type_label: types().find((t) => t.key === key)!.label,
        value,
        description: input.description?.trim() || null,
        updated_at: "2026-11-27T13:00:00Z",
      };
      state.observables[at] = o;
      return o;
    },
    deleteObservable: async (_caseId: string, observableId: string): Promise<null> => {
      if (!state.observables.some((o) => o.id === observableId)) throw notFoundError("observable", `${observableId}`);
      state.observables = state.observables.filter((o) => o.id !== observableId);
      return null;
    },
    observableTypes: async (): Promise<ObservableType[]> => types(),
    similarCases: async (_caseId: string, page: number, perPage: number): Promise<SimilarCasesPage> => ({
      cases: state.similar.slice((page - 1) * perPage, page * perPage),
      total: state.similar.length,
      page,
      per_page: perPage,
    }),
  };
}

export type MemoryBook = ReturnType<typeof memoryBook>;

/** The client functions of the space's Elasticsearch source a MemoryBook also answers for. */
export const SOURCE_COMMANDS = [
  "getAlertSource",
  "setAlertSource",
  "removeAlertSource",
  "testAlertSource",
  "searchSourceAlerts",
  "attachSourceAlerts",
  "syncAlertStatuses",
] as const satisfies readonly CommandFunction[];

/** The client functions a MemoryBook answers for. */
export const BOOK_COMMANDS = [
  "listAlerts",
  "alertOverview",
  "getAlert",
  "removeAlerts",
  "listObservables",
  "addObservable",
  "updateObservable",
  "deleteObservable",
  "observableTypes",
  "similarCases",
] as const satisfies readonly CommandFunction[];

/** A client function a MemoryBook answers for. */
export type BookCommand = (typeof BOOK_COMMANDS)[number] | (typeof SOURCE_COMMANDS)[number];

/** Points the mocked client functions `commands` (of `vi.mocked(client)`) at `book`'s. */
export function answerFromBook(mocked: Record<BookCommand, unknown>, book: MemoryBook, commands: readonly BookCommand[]) {
  for (const k of commands) (mocked[k] as { mockImplementation: (f: unknown) => void }).mockImplementation(book[k]);
}

export { anEsAlert, elasticFake, fieldOf, summaryOf, type ElasticFake } from "./fakeElastic";
