// The only module the UI talks to the Rust core through. The typed function of each Tauri
// command is generated from the command table (commands.ts, re-exported here); this file keeps
// what is written by hand: the error type, the shapes not generated yet, and helpers.
import type { FindQuery } from "./bindings";

export { ApiError, type ApiErrorCode, type FieldStep, fieldSteps } from "./invoke";
export * from "./commands";

/** A case's connector fields, in Kibana's names (`issueType`, `priority`, `category`, `destIp`…). */
export type ConnectorFields = Record<string, string | boolean>;

/** The background numbering task's schedule, declared in the core (background/ids.rs). */
export type { IdTaskStatus } from "./bindings";

/** A FindQuery with no filters: the whole space, first page. */
export function emptyFindQuery(space: string): FindQuery {
  return {
    space,
    status: [],
    severity: [],
    tags: [],
    assignees: [],
    reporters: [],
    category: [],
    custom_toggles: [],
    sort_order: "desc",
    page: 1,
    per_page: 1,
  };
}
