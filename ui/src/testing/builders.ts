// Fixture builders for the Vitest "unit" suites (not bundled: only tests import this): one
// value of a core type with plausible defaults, patched per test. Behaviour (sorting, paging,
// validation, pushes, Elasticsearch) is never imitated here: the "core" suites (*.core.test.tsx)
// get it from the real core over `casebook serve --dev` (testing/core/).
import type { Case, CaseAlert, IdTaskStatus, Observable, User, UserAction } from "../lib/api/bindings";
import type { KeyValueStore } from "../lib/storage";

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
    auto_extracted: false,
    alerts: null,
    ...patch,
  };
}
