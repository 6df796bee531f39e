// A fake core for the UI in a plain browser (tests/mock.html, dev server only): answers the
// Tauri commands from an in-memory list. ?scenario=empty|error|slow|nosource|es-down|offline changes
// what it answers (nosource: no Elasticsearch source set; es-down: the cluster cannot be reached;
// offline: Jira and ServiceNow cannot be reached, so pushes wait in the outbox; call
// `__casebookOnline(true)` in the console to bring the network back).
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type {
  Case,
  CaseConfiguration,
  CasePatch,
  CaseCreate,
  CaseStats,
  FindQuery,
  FindResult,
  Severity,
  Space,
  Status,
  User,
  UserAction,
  Observable,
  SimilarCase,
} from "../src/lib/api/bindings";
import { ApiError, type CommandName } from "../src/lib/api/client";
import { anAlert, anEsAlert, anObservable, elasticFake, memoryBook, type MemoryBook } from "../src/testing/fakeCore";
import { FAKE_METADATA, connectorFake } from "../src/testing/fakeConnectors";

const params = new URLSearchParams(location.search);
const scenario = params.get("scenario") ?? "cases";

const me: User = { username: "ana", full_name: "Ana Lytic", email: "ana@example.org" };
const now = Date.parse("2026-11-27T14:00:00Z");
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
const H = 3_600_000;

const TITLES = [
  "Credential phishing wave targeting finance",
  "Impossible travel: j.doe logged in from two continents",
  "Ransomware precursor: Cobalt Strike beacon on WS-0142",
  "Suspicious PowerShell encoded command on build server",
  "Okta MFA fatigue attempts against helpdesk accounts",
  "Outbound DNS tunnelling from 10.20.4.17",
  "Unusual admin share access (ADMIN$) across subnet",
  "Malicious OAuth app consent in M365 tenant",
  "Brute force against VPN gateway",
  "Data staged for exfiltration in C:\\ProgramData\\tmp",
  "Lateral movement via WMI from jump host",
  "New service installed with random name on DC02",
];
const TAGS = ["phishing", "okta", "mfa", "ransomware", "cobalt-strike", "powershell", "dns", "exfiltration", "vpn", "m365", "lateral-movement", "triaged", "T1566", "T1059.001"];
const CATEGORIES = ["Email", "Identity", "Endpoint", "Network", null];
const USERS = ["ana", "bob", "chen", "dmitri"];
const PEOPLE: User[] = USERS.map((u) => ({ username: u, full_name: u === "ana" ? "Ana Lytic" : null, email: null }));
const configuration: CaseConfiguration = {
  space: "default",
  version: "1",
  closure_type: "close-by-user",
  custom_fields: [
    { key: "legal", label: "Needs legal review", type: "toggle", required: false },
    { key: "ticket", label: "Ticket", type: "text", required: false },
  ],
  templates: [],
  observable_types: [{ key: "ja3", label: "JA3 fingerprint" }],
} as unknown as CaseConfiguration;
const SEVERITIES: Severity[] = ["low", "medium", "high", "critical"];
const STATUSES: Status[] = ["open", "in-progress", "closed"];

function makeCase(i: number): Case {
  const status = STATUSES[i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : i % 5 === 0 ? 2 : 0];
  const created = (i + 1) * 7 * H;
  const closedAgo = status === "closed" ? Math.max(created - (i % 4 + 1) * 26 * H, H) : null;
  return {
    id: `3f2504e0-4f89-41d3-9a0c-${String(i).padStart(12, "0")}`,
    version: "1",
    incremental_id: i < 2 ? null : 40 - i,
    space: "default",
    title: TITLES[i % TITLES.length] + (i >= TITLES.length ? ` (${Math.floor(i / TITLES.length) + 1})` : ""),
    description: "Reported by **HR**.",
    tags: TAGS.filter((_, t) => (t + i) % 5 === 0 || (i % 4 === 1 && t === 11)),
    severity: SEVERITIES[(i * 3) % 4],
    status,
    assignees: USERS.filter((_, u) => (u + i) % 3 === 0).map((uid) => ({ uid })),
    category: CATEGORIES[i % CATEGORIES.length],
    custom_fields: [{ key: "legal", type: "toggle", value: i % 4 === 0 }],
    settings: { sync_alerts: true, extract_observables: true },
    owner: "securitySolution",
    connector: { id: "none", name: "none", type: ".none", fields: null },
    // Some cases were pushed to a ticketing system; the even ones changed since.
    external_service:
      i % 3 === 2
        ? {
            connector_id: "jira",
            connector_name: "Jira",
            external_id: `SEC-${100 + i}`,
            external_title: `SEC-${100 + i}`,
            external_url: `https://jira.example.org/browse/SEC-${100 + i}`,
            pushed_at: iso(created / 2),
            pushed_by: me,
          }
        : null,
    push_state: i % 3 === 2 ? (i % 2 === 0 ? "requires_update" : "up_to_date") : "not_pushed",
    pending_push: null,
    created_at: iso(created),
    created_by: me,
    updated_at: i % 2 === 0 ? iso(created / 3) : null,
    updated_by: i % 2 === 0 ? me : null,
    closed_at: closedAgo !== null ? iso(closedAgo) : null,
    closed_by: closedAgo !== null ? me : null,
    in_progress_at: null,
    duration: closedAgo !== null ? (created - closedAgo) / 1000 : null,
    time_to_acknowledge: null,
    time_to_investigate: null,
    time_to_resolve: null,
    total_comment: (i * 7) % 13,
    total_alerts: (i * 11) % 40,
    total_observables: (i * 5) % 12,
  };
}

const cases: Case[] = scenario === "empty" ? [] : Array.from({ length: 38 }, (_, i) => makeCase(i));
const spaces: Space[] = [
  { name: "default", created_at: iso(900 * H), total_cases: cases.length },
  { name: "red-team", created_at: iso(400 * H), total_cases: 0 },
];

function stats(list: Case[]): CaseStats {
  const closed = list.filter((c) => c.status === "closed");
  return {
    count_open_cases: list.filter((c) => c.status === "open").length,
    count_in_progress_cases: list.filter((c) => c.status === "in-progress").length,
    count_closed_cases: closed.length,
    mean_time_to_close: closed.length ? closed.reduce((s, c) => s + (c.duration ?? 0), 0) / closed.length : null,
  };
}

const RANK: Record<string, Record<string, number>> = {
  status: { open: 0, "in-progress": 1, closed: 2 },
  severity: { low: 0, medium: 1, high: 2, critical: 3 },
};

function find(q: FindQuery): FindResult {
  const inSpace = cases.filter((c) => c.space === q.space);
  let list = inSpace.filter(
    (c) =>
      (q.severity.length === 0 || q.severity.includes(c.severity)) &&
      (q.tags.length === 0 || c.tags.some((t) => q.tags.includes(t))) &&
      (q.assignees.length === 0 ||
        c.assignees.some((a) => q.assignees.includes(a.uid)) ||
        (q.assignees.includes("none") && c.assignees.length === 0)) &&
      (q.reporters.length === 0 || q.reporters.includes(c.created_by.username)) &&
      (q.category.length === 0 || q.category.includes(c.category ?? "")) &&
      q.custom_toggles.every((t) => (c.custom_fields.find((f) => f.key === t.key)?.value === true) === t.value),
  );
  const s = q.search?.trim().toLowerCase();
  if (s) {
    const num = /^#(\d+)$/.exec(s);
    list = list.filter((c) =>
      num ? c.incremental_id === Number(num[1]) : s.split(/\s+/).every((w) => (c.title + " " + c.description).toLowerCase().includes(w.replace(/\*$/, ""))),
    );
  }
  const counts = stats(list);
  list = list.filter((c) => q.status.length === 0 || q.status.includes(c.status));
  const field = q.sort_field ?? "created_at";
  const dir = q.sort_order === "asc" ? 1 : -1;
  const key = (c: Case): string | number =>
    field in RANK ? RANK[field][c[field as "status"]] : ((c[field as keyof Case] as string | null) ?? "");
  list = [...list].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : a.id < b.id ? -1 : 1));
  const start = (q.page - 1) * q.per_page;
  return {
    cases: list.slice(start, start + q.per_page),
    page: q.page,
    per_page: q.per_page,
    total: list.length,
    ...counts,
  };
}

// ---------- the case view: alerts, observables, similar cases ----------

const RULES = [
  { id: "r-brute", name: "Brute force against VPN", severity: "high" as const, risk: 73 },
  { id: "r-beacon", name: "Cobalt Strike beacon", severity: "critical" as const, risk: 99 },
  { id: "r-scan", name: "Internal port scan", severity: "medium" as const, risk: 47 },
  { id: null, name: null, severity: "low" as const, risk: 21 },
];
const INDICATORS: [string, string, string][] = [
  ["observable-type-ipv4", "IPv4", "203.0.113.9"],
  ["observable-type-ipv4", "IPv4", "198.51.100.23"],
  ["observable-type-domain", "Domain", "update-check.example.net"],
  ["observable-type-hostname", "Hostname", "ws-0142"],
  ["observable-type-file-hash", "File hash", "44d88612fea8a8f36de82e1278abb02f"],
  ["observable-type-url", "URL", "https://update-check.example.net/payload.bin"],
  ["observable-type-email", "Email", "billing@docusign-secure.example.com"],
];

/**
 * The space's Elasticsearch source, the keychain and the cluster behind it, shared by every
 * case: 240 Security alerts, a few written with nested `kibana.alert` objects instead of dotted keys.
 */
const elastic = elasticFake({
  alerts: Array.from({ length: 240 }, (_, n) =>
    n % 10 === 7
      ? anEsAlert(n, {
          "kibana.alert.rule.name": undefined,
          "kibana.alert.severity": undefined,
          kibana: { alert: { rule: { name: "Suspicious PowerShell encoded command" }, severity: "high" } },
          host: [{ name: "build-01" }],
        })
      : anEsAlert(n),
  ),
  failure:
    scenario === "es-down"
      ? new ApiError(
          "unreachable",
          "Cannot reach https://elastic.example.org:9200: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.",
        )
      : null,
});
if (scenario !== "nosource") {
  elastic.sources.set("default", { url: "https://elastic.example.org:9200", kibana_space: "default", updated_at: iso(30 * H) });
  elastic.keychain.set("default", "ZXhhbXBsZTpzZWNyZXQ=");
}

/** Case `i`'s alerts and observables, made on first use; case 3 holds many, to page through. */
const books = new Map<string, MemoryBook>();
function bookOf(id: string): MemoryBook {
  let book = books.get(id);
  if (book) return book;
  const i = cases.findIndex((c) => c.id === id);
  const c = cases[i];
  const alerts = Array.from({ length: i === 3 ? 137 : (c?.total_alerts ?? 0) }, (_, n) => {
    const r = RULES[(n * 7 + i) % (n % 11 === 0 ? 4 : 3)];
    return anAlert(n, {
      id: `${id.slice(-4)}-alert-${n}`,
      rule_id: r.id,
      rule_name: r.name,
      severity: r.severity,
      risk_score: r.risk,
      host: `ws-${String((n * 13 + i) % 9).padStart(4, "0")}`,
      user: ["j.doe", "svc_backup", "a.lytic", null][n % 4],
      reason: r.name ? `${r.name} detected on ws-${(n * 13 + i) % 9} by ${["j.doe", "svc_backup", "a.lytic"][n % 3]}: ${n % 5 === 0 ? "process C:\\Windows\\Temp\\rundll32.exe made 14 outbound connections to 203.0.113.9:443 within 60 seconds" : "repeated authentication failures"}` : null,
      workflow_status: c?.status === "closed" ? "closed" : n % 9 === 0 ? "acknowledged" : "open",
      origin: n % 6 === 0 ? "elasticsearch" : "file",
      status_sync_pending: n % 17 === 0,
    });
  });
  const observables: Observable[] = Array.from({ length: c?.total_observables ?? 0 }, (_, k) => {
    const [type_key, type_label, value] = INDICATORS[(i + k * 3) % INDICATORS.length];
    return anObservable(k, { id: `${id.slice(-4)}-obs-${k}`, type_key, type_label, value, description: k === 0 ? "Seen in the first alert" : null });
  }).filter((o, k, all) => all.findIndex((x) => x.type_key === o.type_key && x.value === o.value) === k);
  book = memoryBook({ alerts, observables, customTypes: configuration.observable_types, elastic });
  books.set(id, book);
  return book;
}

/** Source settings live in `elastic`, shared by every book: any book answers for them. */
const sourceBook = () => bookOf(cases[0]?.id ?? "");

function similarTo(id: string, page: number, perPage: number) {
  const mine = bookOf(id).state.observables;
  const found: SimilarCase[] = cases
    .filter((c) => c.id !== id)
    .map((c) => ({
      case: c,
      shared: bookOf(c.id)
        .state.observables.filter((o) => mine.some((m) => m.type_key === o.type_key && m.value === o.value))
        .map((o) => ({ type_key: o.type_key, type_label: o.type_label, value: o.value })),
    }))
    .filter((s) => s.shared.length > 0);
  return { cases: found.slice((page - 1) * perPage, page * perPage), total: found.length, page, per_page: perPage };
}

function activityOf(c: Case): UserAction[] {
  const base = { case_id: c.id, created_by: me, comment_id: null, owner: "securitySolution" };
  return [
    { ...base, id: "u1", action: "create", type: "create_case", payload: {}, created_at: c.created_at },
    {
      ...base,
      id: "u2",
      action: "create",
      type: "comment",
      payload: { comment: { type: "alert", alertId: ["x"], index: [], rule: { id: "r-brute", name: RULES[0].name } }, total: 12 },
      created_at: c.created_at,
    },
    {
      ...base,
      id: "u3",
      action: "add",
      type: "observables",
      payload: { observables: { count: 2, actionType: "add", values: [{ typeKey: INDICATORS[0][0], value: INDICATORS[0][2] }, { typeKey: INDICATORS[2][0], value: INDICATORS[2][2] }] } },
      created_at: c.created_at,
    },
  ];
}

/** A running fake import: progress events every 150 ms, cancellable. */
const imports = new Map<string, { cancelled: boolean }>();
async function importFile(caseId: string, path: string, importId: string) {
  const run = { cancelled: false };
  imports.set(importId, run);
  const total = 8_400_000;
  try {
    for (let step = 1; step <= 12; step++) {
      await sleep(150);
      if (run.cancelled) return { attached: 0, already_attached: 0, issues: [], issue_count: 0, observables_added: 0, observables_over_limit: 0, cancelled: true };
      void emit("alert-import-progress", { import_id: importId, phase: "reading", bytes_read: (total * step) / 12, total_bytes: total, alerts_read: step * 1_000 });
    }
    void emit("alert-import-progress", { import_id: importId, phase: "saving", bytes_read: total, total_bytes: total, alerts_read: 12_000 });
    await sleep(400);
    const book = bookOf(caseId);
    const start = book.state.alerts.length;
    for (let n = 0; n < 25; n++) book.state.alerts.push(anAlert(1000 + n, { id: `${caseId.slice(-4)}-imported-${start + n}`, rule_name: RULES[n % 3].name, rule_id: RULES[n % 3].id }));
    const c = cases.find((x) => x.id === caseId);
    if (c) c.total_alerts = book.state.alerts.length;
    void emit("db-changed");
    return {
      attached: 25,
      already_attached: 3,
      issues: [
        { line: 12, reason: "not valid JSON: expected `,` or `}` at line 1 column 88" },
        { line: 4_031, reason: "not an alert: no _id, kibana.alert.uuid or event.id" },
      ],
      issue_count: 2,
      observables_added: 2,
      observables_over_limit: 0,
      cancelled: false,
      file: path,
    };
  } finally {
    imports.delete(importId);
  }
}

// ---------- connectors to Jira and ServiceNow, and the push outbox ----------

const connectors = connectorFake({ findCase: (id) => cases.find((c) => c.id === id), me });
connectors.state.online = scenario !== "offline";
connectors.add(
  "default",
  { name: "SOC Jira", kind: "jira", url: "https://jira.example.org", project_key: "SEC", auth: "basic", username: "ana@example.org", secret: "jira-token" },
  { metadata: structuredClone(FAKE_METADATA.jira), metadata_fetched_at: iso(2 * H) },
);
connectors.add("default", {
  name: "SOC ServiceNow",
  kind: "servicenow-itsm",
  url: "https://soc.service-now.com",
  mode: "import-set",
  username: "casebook",
  secret: "snow-password",
});
(window as unknown as { __casebookOnline: (up: boolean) => void }).__casebookOnline = (up) => {
  connectors.state.online = up;
};
// The desktop app's background sender: due pushes every 2 s.
setInterval(() => {
  if (connectors.sendDue().length > 0) void emit("db-changed");
}, 2_000);

(window as unknown as { __ipcLog: unknown[] }).__ipcLog = [];
// The window and webview APIs (file drops) believe they run in the "main" window.
mockWindows("main");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

mockIPC(
  async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    (window as unknown as { __ipcLog: unknown[] }).__ipcLog.push({ cmd, args: a });
    if (scenario === "slow") await sleep(1500);
    if (scenario === "error" && cmd === "find_cases") {
      throw { code: "database_corrupt", message: "/home/ana/.local/share/Casebook/casebook.db: SQLite reports the file damaged; it was not modified" };
    }
    // Typed, so a case for a command the table no longer has (renamed, removed) fails typecheck.
    switch (cmd as CommandName | "plugin:dialog|open") {
      case "list_spaces":
        return spaces;
      case "create_space": {
        const s = { name: String(a.name), created_at: new Date().toISOString(), total_cases: 0 };
        if (spaces.some((x) => x.name === s.name)) throw { code: "already_exists", message: `space already exists: ${s.name}`, what: "space" };
        spaces.push(s);
        return s;
      }
      case "find_cases":
        return find(a.query as FindQuery);
      case "case_stats":
        return stats(cases.filter((c) => c.space === (a.query as FindQuery).space));
      case "list_tags":
        return TAGS;
      case "list_categories":
        return ["Email", "Endpoint", "Identity", "Network"];
      case "create_case": {
        const input = a.input as CaseCreate;
        // The core's first check, as its wire error: the form shows it next to the title.
        if (input.title.trim() === "") throw { code: "validation", message: "title: cannot be an empty string", field: "title" };
        if (input.title.toLowerCase().includes("conflict")) throw { code: "busy", message: "the database was busy for more than 10 s" };
        const c: Case = {
          ...makeCase(cases.length),
          id: crypto.randomUUID(),
          incremental_id: null,
          space: String(a.space),
          title: input.title,
          description: input.description,
          tags: input.tags,
          severity: input.severity ?? "low",
          status: "open",
          category: input.category ?? null,
          created_at: new Date(now).toISOString(),
          updated_at: null,
          closed_at: null,
          duration: null,
          total_comment: 0,
          total_alerts: 0,
          total_observables: 0,
          assignees: [],
        };
        cases.unshift(c);
        void emit("db-changed");
        return c;
      }
      case "profile":
        return me;
      case "list_users":
        return PEOPLE;
      case "list_reporters":
        return ["ana"];
      case "get_configuration":
        return configuration;
      case "update_cases": {
        const patches = a.patches as CasePatch[];
        const found = patches.map((p) => cases.find((c) => c.id === p.id));
        const elsewhere = found.findIndex((c) => c && c.space !== a.space);
        if (elsewhere >= 0) throw { code: "not_found", message: `case not found: cases[${elsewhere}] in space ${String(a.space)}`, what: "case" };
        const stale = patches.findIndex((p, i) => !found[i] || found[i]!.version !== p.version);
        if (stale >= 0) throw { code: "conflict", message: `case cases[${stale}] was changed since you loaded it. Reload it and apply your change again.`, what: "case" };
        const updated = patches.map((p, i) => {
          const c = found[i]!;
          if (p.status) {
            c.status = p.status;
            c.closed_at = p.status === "closed" ? new Date(now).toISOString() : null;
            // Sync alerts: the alerts from Elasticsearch take the case's status, to be sent back.
            if (c.settings.sync_alerts) {
              const workflow = p.status === "closed" ? "closed" : p.status === "in-progress" ? "acknowledged" : "open";
              const book = bookOf(c.id);
              book.state.alerts = book.state.alerts.map((x) =>
                x.origin === "elasticsearch" && x.workflow_status !== workflow ? { ...x, workflow_status: workflow, status_sync_pending: true } : x,
              );
            }
          }
          if (p.severity) c.severity = p.severity;
          c.tags = [...c.tags.filter((t) => !p.remove_tags.includes(t)), ...p.add_tags.filter((t) => !c.tags.includes(t))];
          const uids = c.assignees.map((x) => x.uid).filter((u) => !p.remove_assignees.some((r) => r.uid === u));
          c.assignees = [...uids, ...p.add_assignees.map((x) => x.uid).filter((u) => !uids.includes(u))].map((uid) => ({ uid }));
          c.version = String(Number(c.version) + 1);
          c.updated_at = new Date(now).toISOString();
          if (c.push_state === "up_to_date") c.push_state = "requires_update";
          return c;
        });
        void emit("db-changed");
        return updated;
      }
      case "delete_cases": {
        for (const id of a.ids as string[]) {
          const at = cases.findIndex((c) => c.id === id);
          if (at >= 0) cases.splice(at, 1);
        }
        void emit("db-changed");
        return null;
      }
      case "get_case": {
        const c = cases.find((x) => x.id === a.reference || `#${x.incremental_id}` === a.reference);
        if (!c) throw { code: "not_found", message: `case not found: ${String(a.reference)}`, what: "case" };
        return { ...c, total_alerts: bookOf(c.id).state.alerts.length, total_observables: bookOf(c.id).state.observables.length };
      }
      case "list_comments":
        return { comments: [], total: 0 };
      case "find_activity": {
        const c = cases.find((x) => x.id === a.caseId && x.space === a.space);
        if (!c) throw { code: "not_found", message: `case not found: ${String(a.caseId)} in space ${String(a.space)}`, what: "case" };
        const types = (a.query as { types: string[] }).types;
        const list = activityOf(c).filter((u) => types.length === 0 || types.includes(u.type));
        return { user_actions: list, page: 1, per_page: 100, total: list.length };
      }
      case "get_draft":
        return null;
      case "save_draft":
      case "delete_draft":
        return null;
      case "id_task_status":
        return { interval_minutes: 10, interval_seconds: 600, from_env: false, setting_minutes: 10, next_run_at: iso(-3 * 60_000), last_run_at: null, last_assigned: null };
      case "list_alerts":
        return bookOf(String(a.caseId)).listAlerts(String(a.caseId), a.query as never);
      case "alert_overview":
        return bookOf(String(a.caseId)).alertOverview();
      case "get_alert":
        return bookOf(String(a.caseId)).getAlert(String(a.caseId), String(a.alertId));
      case "remove_alerts": {
        const n = await bookOf(String(a.caseId)).removeAlerts(String(a.caseId), a.alertIds as string[]);
        void emit("db-changed");
        return n;
      }
      case "list_observables":
        return bookOf(String(a.caseId)).listObservables();
      case "add_observable":
      case "update_observable":
      case "delete_observable": {
        const book = bookOf(String(a.caseId));
        const result =
          cmd === "add_observable"
            ? await book.addObservable(String(a.caseId), a.input as never)
            : cmd === "update_observable"
              ? await book.updateObservable(String(a.caseId), String(a.observableId), a.input as never)
              : await book.deleteObservable(String(a.caseId), String(a.observableId));
        void emit("db-changed");
        return result;
      }
      case "observable_types":
        return bookOf(cases[0]?.id ?? "").observableTypes();
      case "similar_cases":
        return similarTo(String(a.caseId), Number(a.page), Number(a.perPage));
      case "import_alerts":
        return importFile(String(a.caseId), String(a.path), String(a.importId));
      case "cancel_alert_import": {
        const run = imports.get(String(a.importId));
        if (run) run.cancelled = true;
        return Boolean(run);
      }
      case "get_alert_source":
        return sourceBook().getAlertSource(String(a.space));
      case "set_alert_source":
        return sourceBook().setAlertSource(String(a.space), a.input as never);
      case "remove_alert_source":
        await sourceBook().removeAlertSource(String(a.space));
        return null;
      case "test_alert_source":
        await sleep(300);
        return sourceBook().testAlertSource(String(a.space));
      case "search_source_alerts":
        await sleep(200);
        return sourceBook().searchSourceAlerts(String(a.space), a.query as never);
      case "attach_source_alerts": {
        const book = bookOf(String(a.caseId));
        const report = await book.attachSourceAlerts(String(a.caseId), a.hits as never);
        const c = cases.find((x) => x.id === a.caseId);
        if (c) c.total_alerts = book.state.alerts.length;
        void emit("db-changed");
        return report;
      }
      case "sync_alert_statuses": {
        await sleep(300);
        const report = { updated: 0, waiting: 0, errors: [] as string[] };
        for (const book of books.values()) {
          const r = await book.syncAlertStatuses();
          report.updated += r.updated;
          report.waiting += r.waiting;
          for (const e of r.errors) if (!report.errors.includes(e)) report.errors.push(e);
        }
        void emit("db-changed");
        return report;
      }
      case "list_connectors":
        return connectors.listConnectors(String(a.space));
      case "test_connector":
        await sleep(300);
        return connectors.testConnector(String(a.space), String(a.connector));
      case "refresh_connector_metadata":
        await sleep(300);
        return connectors.refreshConnectorMetadata(String(a.space), String(a.connector));
      case "create_connector":
      case "update_connector":
      case "delete_connector":
      case "set_case_connector":
      case "push_case":
      case "retry_push":
      case "cancel_push": {
        if (cmd === "push_case" || cmd === "retry_push") await sleep(600);
        const result =
          cmd === "create_connector"
            ? await connectors.createConnector(String(a.space), a.input as never)
            : cmd === "update_connector"
              ? await connectors.updateConnector(String(a.space), String(a.connector), a.input as never)
              : cmd === "delete_connector"
                ? await connectors.deleteConnector(String(a.space), String(a.connector))
                : cmd === "set_case_connector"
                  ? await connectors.setCaseConnector(String(a.caseId), String(a.version), (a.connector as string | null) ?? null, (a.fields ?? {}) as never)
                  : cmd === "push_case"
                    ? await connectors.pushCase(String(a.caseId), (a.connector as string | null) ?? null)
                    : cmd === "retry_push"
                      ? await connectors.retryPush(Number(a.id))
                      : await connectors.cancelPush(Number(a.id));
        void emit("db-changed");
        return result;
      }
      case "list_outbox":
        return connectors.listOutbox((a.space as string | null) ?? null);
      case "plugin:dialog|open":
        return "/home/ana/Downloads/alerts-export.ndjson";
      default:
        throw { code: "not_found", message: `mock: no command ${cmd}` };
    }
  },
  { shouldMockEvents: true },
);
