// Test helpers shared by the Vitest suites (not bundled: only tests import this).
import type { Case, User, UserAction } from "./api/bindings";
import type { IdTaskStatus } from "./api/client";
import type { KeyValueStore } from "./storage";

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
    settings: { sync_alerts: true },
    owner: "securitySolution",
    connector: { id: "none", name: "none", type: ".none", fields: null },
    external_service: null,
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
