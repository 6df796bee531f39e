// A fake core for the UI in a plain browser (tests/mock.html, dev server only): answers the
// Tauri commands from an in-memory list. ?scenario=empty|error|slow changes what it answers.
import { mockIPC } from "@tauri-apps/api/mocks";
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
} from "../src/lib/api/bindings";

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
    settings: { sync_alerts: true },
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

(window as unknown as { __ipcLog: unknown[] }).__ipcLog = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

mockIPC(
  async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    (window as unknown as { __ipcLog: unknown[] }).__ipcLog.push({ cmd, args: a });
    if (scenario === "slow") await sleep(1500);
    if (scenario === "error" && cmd === "find_cases") {
      throw { code: "database_corrupt", message: "/home/ana/.local/share/Casebook/casebook.db: SQLite reports the file damaged; it was not modified" };
    }
    switch (cmd) {
      case "list_spaces":
        return spaces;
      case "create_space": {
        const s = { name: String(a.name), created_at: new Date().toISOString(), total_cases: 0 };
        if (spaces.some((x) => x.name === s.name)) throw { code: "already_exists", message: `space already exists: ${s.name}` };
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
        const stale = patches.findIndex((p, i) => !found[i] || found[i]!.version !== p.version);
        if (stale >= 0) throw { code: "conflict", message: `cases[${stale}]: the case was changed meanwhile` };
        const updated = patches.map((p, i) => {
          const c = found[i]!;
          if (p.status) {
            c.status = p.status;
            c.closed_at = p.status === "closed" ? new Date(now).toISOString() : null;
          }
          if (p.severity) c.severity = p.severity;
          c.tags = [...c.tags.filter((t) => !p.remove_tags.includes(t)), ...p.add_tags.filter((t) => !c.tags.includes(t))];
          const uids = c.assignees.map((x) => x.uid).filter((u) => !p.remove_assignees.some((r) => r.uid === u));
          c.assignees = [...uids, ...p.add_assignees.map((x) => x.uid).filter((u) => !uids.includes(u))].map((uid) => ({ uid }));
          c.version = String(Number(c.version) + 1);
          c.updated_at = new Date(now).toISOString();
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
      default:
        throw { code: "not_found", message: `mock: no command ${cmd}` };
    }
  },
  { shouldMockEvents: true },
);
