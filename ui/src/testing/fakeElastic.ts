// Test helpers: the space's Elasticsearch source, the keychain and the cluster, faked (used by
// memoryBook in testing.ts; not bundled: only tests import this).
import type { AlertHit, AlertSummary, ClusterInfo } from "../lib/api/bindings";
import { ApiError } from "../lib/api/client";
import { validationError } from "./wireErrors";

// The fake reads alert documents as the core does (literal dotted keys and nested objects).
type Leaf = string | number | boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function find(node: unknown, parts: readonly string[], at: number): Leaf | null {
  // An array anywhere on the way: its first item that has the field.
  if (Array.isArray(node)) {
    for (const item of node) {
      const v = find(item, parts, at);
      if (v !== null) return v;
    }
    return null;
  }
  if (at === parts.length) return typeof node === "string" || typeof node === "number" || typeof node === "boolean" ? node : null;
  if (!isObject(node)) return null;
  // Security alerts mix literal dotted keys ("kibana.alert.rule.name") with nested ECS objects
  // (host: {name}), and sometimes both ("kibana.alert": {"rule.name": …}): try the longest key first.
  for (let end = parts.length; end > at; end--) {
    const key = parts.slice(at, end).join(".");
    if (has(node, key)) {
      const v = find(node[key], parts, end);
      if (v !== null) return v;
    }
  }
  return null;
}

/**
 * A field of an alert document as text, e.g. `fieldOf(source, "host.name")`: found under a
 * literal dotted key, nested objects or a mix of both; of an array, the first value. Null when
 * the document has no such value (or only an object there).
 */
export function fieldOf(source: unknown, path: string): string | null {
  const v = find(source, path.split("."), 0);
  return v === null ? null : String(v);
}


/** Security alert `n` as Elasticsearch returns it: dotted `kibana.alert.*` keys next to nested ECS objects. */
export function anEsAlert(n: number, source: Record<string, unknown> = {}): AlertHit {
  const id = `es-${String(n).padStart(4, "0")}`;
  const at = Date.UTC(2026, 10, 27, 9, 0) - n * 60_000;
  const rules = [
    ["Brute force against VPN", "high", 73],
    ["Cobalt Strike beacon", "critical", 99],
    ["Internal port scan", "medium", 47],
  ] as const;
  const [rule, severity, risk] = rules[n % 3];
  const hit = {
    id,
    index: ".internal.alerts-security.alerts-default-000001",
    source: {
      "@timestamp": new Date(at).toISOString(),
      "kibana.alert.uuid": id,
      "kibana.alert.original_time": new Date(at - 30_000).toISOString(),
      "kibana.alert.rule.name": rule,
      "kibana.alert.rule.uuid": `rule-${n % 3}`,
      "kibana.alert.severity": severity,
      "kibana.alert.risk_score": risk,
      "kibana.alert.reason": `${rule} on srv-${n % 4} by svc${n % 2}`,
      "kibana.alert.workflow_status": "open",
      host: { name: `srv-${n % 4}`, ip: ["10.1.0.4"] },
      user: { name: `svc${n % 2}` },
      event: { kind: "signal" },
      ...source,
    },
  };
  return { ...hit, summary: summaryOf(hit.source) };
}

/** What the core's `summarize` reads from a document, for fake search hits. */
export function summaryOf(s: Record<string, unknown>): AlertSummary {
  const risk = fieldOf(s, "kibana.alert.risk_score");
  return {
    rule_id: fieldOf(s, "kibana.alert.rule.uuid"),
    rule_name: fieldOf(s, "kibana.alert.rule.name"),
    severity: fieldOf(s, "kibana.alert.severity"),
    risk_score: risk === null ? null : Number(risk),
    reason: fieldOf(s, "kibana.alert.reason"),
    host: fieldOf(s, "host.name"),
    user: fieldOf(s, "user.name"),
    original_time: fieldOf(s, "kibana.alert.original_time"),
    timestamp: fieldOf(s, "@timestamp"),
    workflow_status: fieldOf(s, "kibana.alert.workflow_status"),
  };
}

/** The keychain and the cluster a MemoryBook's Elasticsearch commands talk to (share one between books). */
export type ElasticFake = {
  /** Saved sources by Casebook space. */
  sources: Map<string, { url: string; kibana_space: string; updated_at: string }>;
  /** The keychain: API keys by Casebook space. */
  keychain: Map<string, string>;
  keychainState: "ok" | "unavailable" | "locked";
  cluster: ClusterInfo;
  /** The key the cluster accepts; null: any. */
  validKey: string | null;
  /** The network's or the cluster's answer to every request, when it fails. */
  failure: ApiError | null;
  /** The cluster's Security alerts. */
  alerts: AlertHit[];
  /** The statuses the cluster received: alert id → workflow status. */
  statuses: Map<string, string>;
};

export function elasticFake(patch: Partial<ElasticFake> = {}): ElasticFake {
  return {
    sources: new Map(),
    keychain: new Map(),
    keychainState: "ok",
    cluster: { cluster_name: "soc-prod", version: "8.17.1" },
    validKey: null,
    failure: null,
    alerts: [],
    statuses: new Map(),
    ...patch,
  };
}

export const KEYCHAIN_UNAVAILABLE =
  "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again. Nothing was saved.";
export const KEYCHAIN_LOCKED = "The OS keychain is locked or access was denied. Unlock it and try again.";
export const SEVERITY_VALUES = ["low", "medium", "high", "critical"];
export const WORKFLOW_VALUES = ["open", "acknowledged", "closed"];

/** The core's check of a source URL: https, or http to this computer only. */
export function checkSourceUrl(input: string): string {
  const example = "e.g. https://elastic.example.com:9200";
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validationError("url", `${JSON.stringify(raw)} is not a URL (relative URL without a base); it must start with https://, ${example}`);
  }
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && !local) {
    throw validationError("url", `must start with https:// (plain http:// would send the API key unencrypted; it is accepted only for localhost), ${example}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw validationError("url", `must start with https://, ${example}`);
  return raw.replace(/\/+$/, "");
}
