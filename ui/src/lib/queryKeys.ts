import type { ActivityQuery, AlertListQuery, FindQuery, MetricsQuery } from "./api/bindings";

// Every case query of a space starts with ["cases", space], so one prefix refreshes them all.
// "db-changed" invalidates everything anyway; the prefixes serve local invalidation after a write.
export const queryKeys = {
  spaces: ["spaces"] as const,
  space: (space: string) => ["cases", space] as const,
  find: (query: FindQuery) => ["cases", query.space, "find", query] as const,
  stats: (space: string) => ["cases", space, "stats"] as const,
  tags: (space: string) => ["cases", space, "tags"] as const,
  tagCounts: (space: string) => ["cases", space, "tag-counts"] as const,
  severityCounts: (query: FindQuery) => ["cases", query.space, "severity-counts", query] as const,
  categories: (space: string) => ["cases", space, "categories"] as const,
  reporters: (space: string) => ["cases", space, "reporters"] as const,
  case: (space: string, id: string) => ["cases", space, "case", id] as const,
  comments: (space: string, id: string) => ["cases", space, "case", id, "comments"] as const,
  activity: (space: string, id: string, query: ActivityQuery) =>
    ["cases", space, "case", id, "activity", query] as const,
  alerts: (space: string, id: string, query: AlertListQuery) => ["cases", space, "case", id, "alerts", "list", query] as const,
  alertOverview: (space: string, id: string) => ["cases", space, "case", id, "alerts", "overview"] as const,
  alert: (space: string, id: string, alertId: string) => ["cases", space, "case", id, "alerts", "one", alertId] as const,
  observables: (space: string, id: string) => ["cases", space, "case", id, "observables"] as const,
  leftOutObservables: (space: string, id: string, page: number) =>
    ["cases", space, "case", id, "observables", "left-out", page] as const,
  /** The space's waiting pushes (under the space's prefix: a case write may change them). */
  outbox: (space: string) => ["cases", space, "outbox"] as const,
  similar: (space: string, id: string, page: number, perPage: number) =>
    ["cases", space, "case", id, "similar", page, perPage] as const,
  /** The Analytics page's figures (one space or all: not under a space's prefix). */
  metrics: (query: MetricsQuery) => ["analytics", query] as const,
  configuration: (space: string) => ["configuration", space] as const,
  observableTypes: (space: string) => ["configuration", space, "observable-types"] as const,
  alertSource: (space: string) => ["configuration", space, "alert-source"] as const,
  connectors: (space: string) => ["configuration", space, "connectors"] as const,
  profile: ["people", "profile"] as const,
  /** The profile and whether the analyst confirmed it (the first-run dialog). */
  profileStatus: ["people", "profile-status"] as const,
  users: ["people", "users"] as const,
  idTask: ["ids", "status"] as const,
  secretStore: ["secrets", "store"] as const,
};
