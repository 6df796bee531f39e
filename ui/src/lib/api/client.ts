// The only module that talks to the Rust core. One typed function per Tauri command; the
// argument keys are the ones the commands declare (Tauri maps camelCase keys to snake_case).
import { invoke } from "@tauri-apps/api/core";
import type {
  ActivityPage,
  AlertDetail,
  AlertHit,
  AlertImportReport,
  AlertListQuery,
  AlertOverview,
  AlertPage,
  AlertQuery,
  AlertSearchPage,
  AlertSource,
  AlertSourceInput,
  AssignReport,
  IdTaskStatus,
  ActivityQuery,
  Case,
  CaseConfiguration,
  CaseCreate,
  CasePatch,
  CaseStats,
  ClusterInfo,
  Comment,
  ConfigurationPatch,
  ConnectionCheck,
  Connector,
  ConnectorInput,
  ErrorCode,
  FindQuery,
  FindResult,
  Observable,
  ObservableInput,
  ObservableType,
  OutboxItem,
  PushOutcome,
  SimilarCasesPage,
  SortOrder,
  Space,
  StatusSyncReport,
  User,
  UserInput,
} from "./bindings";
import { ERROR_CODES } from "./bindings";

/** One step of a field path: a name, or a position in a list. */
export type FieldStep = string | number;

/**
 * A field path as the core writes it into `WireError.field`, as steps:
 * "templates[2].case_fields.title" → ["templates", 2, "case_fields", "title"].
 */
export function fieldSteps(field: string): FieldStep[] {
  const steps: FieldStep[] = [];
  for (const part of field.split(".")) {
    const open = part.indexOf("[");
    steps.push(open === -1 ? part : part.slice(0, open));
    if (open === -1) continue;
    for (const index of part.slice(open + 1, -1).split("][")) steps.push(Number(index));
  }
  return steps;
}

/**
 * A rejected command: the core's `WireError` (`{code, message, field?, what?}`), or `ipc` for a
 * transport failure. The message is for people; code, field and what are for branching.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /**
   * For a `validation` error, the path of the input it is about, as the core sent it ("title",
   * "tags[3]", "custom_fields.risk", "templates[2].case_fields.title"); else null.
   */
  readonly field: string | null;
  /** For `not_found`, `already_exists` and `conflict`, the kind of thing ("case", "Jira project"); else null. */
  readonly what: string | null;

  constructor(code: ErrorCode, message: string, about: { field?: string | null; what?: string | null } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.field = about.field ?? null;
    this.what = about.what ?? null;
  }

  /** The field path's steps; empty without a field. */
  get fieldPath(): FieldStep[] {
    return this.field === null ? [] : fieldSteps(this.field);
  }

  /** The top-level input the error is about: "tags" for "tags[3]", "custom_fields" for "custom_fields.risk". */
  get fieldRoot(): string | null {
    const first = this.fieldPath[0];
    return typeof first === "string" ? first : null;
  }

  /**
   * The steps of the field path after `prefix`, or null when the path does not start with it:
   * "custom_fields.risk" after ["custom_fields"] is ["risk"].
   */
  fieldAfter(...prefix: FieldStep[]): FieldStep[] | null {
    const path = this.fieldPath;
    if (path.length < prefix.length || prefix.some((s, i) => path[i] !== s)) return null;
    return path.slice(prefix.length);
  }

  /** The custom field key a validation error is about, its path being `...prefix.custom_fields.<key>`. */
  customFieldKey(...prefix: FieldStep[]): string | null {
    const [key] = this.fieldAfter(...prefix, "custom_fields") ?? [];
    return typeof key === "string" ? key : null;
  }

  /**
   * Within item `index` of the input list `list`, the names of the field (positions dropped):
   * "templates[2].case_fields.tags[1]" within ("templates", 2) is "case_fields.tags". Null when
   * the error is about something else.
   */
  fieldWithin(list: string, index: number): string | null {
    const names = (this.fieldAfter(list, index) ?? []).filter((s): s is string => typeof s === "string");
    return names.length > 0 ? names.join(".") : null;
  }

  /** Normalises whatever `invoke` rejected with. */
  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (typeof err === "object" && err !== null && "code" in err && "message" in err) {
      const { code, message, field, what } = err as Record<string, unknown>;
      const known = (ERROR_CODES as readonly string[]).includes(String(code));
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      return new ApiError(known ? (code as ErrorCode) : "ipc", String(message), { field: text(field), what: text(what) });
    }
    if (typeof err === "string") return new ApiError("ipc", err);
    if (err instanceof Error) {
      // Outside Tauri `window.__TAURI_INTERNALS__` is missing and invoke throws a TypeError.
      const outside = typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window);
      return new ApiError(
        "ipc",
        outside ? "Casebook's core is not reachable: open this page in the Casebook desktop app." : err.message,
      );
    }
    return new ApiError("ipc", "Unknown error");
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw ApiError.from(err);
  }
}

export type CommentPage = { comments: Comment[]; total: number };

// Spaces
export const listSpaces = () => call<Space[]>("list_spaces");
export const createSpace = (name: string) => call<Space>("create_space", { name });

// Cases
export const findCases = (query: FindQuery) => call<FindResult>("find_cases", { query });
export const caseStats = (query: FindQuery) => call<CaseStats>("case_stats", { query });
/** `reference` is a case UUID or `#N`. */
export const getCase = (space: string, reference: string) => call<Case>("get_case", { space, reference });
export const createCase = (space: string, input: CaseCreate) => call<Case>("create_case", { space, input });
/** Every patched case must be in `space`; another space's case is `not_found`. */
export const updateCases = (space: string, patches: CasePatch[]) =>
  call<Case[]>("update_cases", { space, patches });
export const deleteCases = (ids: string[]) => call<null>("delete_cases", { ids });

// Comments
export const listComments = (caseId: string, order: SortOrder, page: number, perPage: number) =>
  call<CommentPage>("list_comments", { caseId, order, page, perPage });
export const addComment = (caseId: string, body: string) => call<Comment>("add_comment", { caseId, body });
export const editComment = (caseId: string, commentId: string, version: string, body: string) =>
  call<Comment>("edit_comment", { caseId, commentId, version, body });
export const deleteComment = (caseId: string, commentId: string) =>
  call<null>("delete_comment", { caseId, commentId });

// Activity
export const findActivity = (space: string, caseId: string, query: ActivityQuery) =>
  call<ActivityPage>("find_activity", { space, caseId, query });

// Alerts
/**
 * Attaches the alerts of a file (NDJSON, JSON, CSV). Progress arrives as `alert-import-progress`
 * events carrying `importId` (lib/files.ts listens to them); a cancelled import resolves with
 * `cancelled: true` and attaches nothing.
 */
export const importAlerts = (caseId: string, path: string, importId: string) =>
  call<AlertImportReport>("import_alerts", { caseId, path, importId });
/** Asks a running import to stop; false if it already ended. */
export const cancelAlertImport = (importId: string) => call<boolean>("cancel_alert_import", { importId });
export const listAlerts = (caseId: string, query: AlertListQuery) => call<AlertPage>("list_alerts", { caseId, query });
export const alertOverview = (caseId: string) => call<AlertOverview>("alert_overview", { caseId });
export const getAlert = (caseId: string, alertId: string) => call<AlertDetail>("get_alert", { caseId, alertId });
/** Detaches alerts from the case; resolves to how many were removed. */
export const removeAlerts = (caseId: string, alertIds: string[]) => call<number>("remove_alerts", { caseId, alertIds });

// Elasticsearch as a source of alerts (one per space; the API key lives in the OS keychain only)
/** The space's source, or null when none is set. The API key itself is never returned. */
export const getAlertSource = (space: string) => call<AlertSource | null>("get_alert_source", { space });
/** Saves the source; leave `api_key` out to keep the stored key (it is required the first time). */
export const setAlertSource = (space: string, input: AlertSourceInput) =>
  call<AlertSource>("set_alert_source", { space, input });
/** Forgets the source and deletes its API key from the keychain. */
export const removeAlertSource = (space: string) => call<null>("remove_alert_source", { space });
/** One cheap request to the cluster with the saved URL and key. */
export const testAlertSource = (space: string) => call<ClusterInfo>("test_alert_source", { space });
/** A page of the space's Security alerts; pass the previous page's `next` as `search_after`. */
export const searchSourceAlerts = (space: string, query: AlertQuery) =>
  call<AlertSearchPage>("search_source_alerts", { space, query });
/** Attaches hits of a search; they remember their index, so their status can be sent back. */
export const attachSourceAlerts = (caseId: string, hits: AlertHit[]) =>
  call<AlertImportReport>("attach_source_alerts", { caseId, hits });
/** Sends the waiting alert statuses to Elasticsearch now (the app also does every 30 s). */
export const syncAlertStatuses = () => call<StatusSyncReport>("sync_alert_statuses");

// Connectors to Jira and ServiceNow, per space (the token or password lives in the OS keychain only).
// `connector` is the connector's id or name.
/** The space's connectors, by name; `secret_stored` says whether the keychain still holds the secret. */
export const listConnectors = (space: string) => call<Connector[]>("list_connectors", { space });
/** Creates a connector; `input.secret` is required and goes to the keychain. */
export const createConnector = (space: string, input: ConnectorInput) =>
  call<Connector>("create_connector", { space, input });
/** Edits a connector; leave `secret` out to keep the stored one. The system (`kind`) cannot change. */
export const updateConnector = (space: string, connector: string, input: ConnectorInput) =>
  call<Connector>("update_connector", { space, connector, input });
/** Deletes the connector and its secret; cases keep the links to their tickets. */
export const deleteConnector = (space: string, connector: string) => call<null>("delete_connector", { space, connector });
/** One cheap request with the saved settings: URL, certificate, sign-in, project or table. */
export const testConnector = (space: string, connector: string) =>
  call<ConnectionCheck>("test_connector", { space, connector });
/** Fetches and keeps the case form's choices (issue types, priorities, categories…). */
export const refreshConnectorMetadata = (space: string, connector: string) =>
  call<Connector>("refresh_connector_metadata", { space, connector });

// Pushing cases to the connectors (an outbox keeps what could not be sent yet)
/** A case's connector fields, in Kibana's names (`issueType`, `priority`, `category`, `destIp`…). */
export type ConnectorFields = Record<string, string | boolean>;
/** Chooses the case's connector (null clears it) and its fields, checked against the cached choices. */
export const setCaseConnector = (caseId: string, version: string, connector: string | null, fields: ConnectorFields) =>
  call<Case>("set_case_connector", { caseId, version, connector, fields });
/** Pushes the case to its connector (or `connector`); may take seconds. Offline it resolves as queued. */
export const pushCase = (caseId: string, connector: string | null = null) =>
  call<PushOutcome>("push_case", { caseId, connector });
/** The pushes waiting (queued, sending or failed), of one space or of all (null). */
export const listOutbox = (space: string | null) => call<OutboxItem[]>("list_outbox", { space });
/** Sends a waiting or failed push now. */
export const retryPush = (id: number) => call<PushOutcome>("retry_push", { id });
/** Drops a waiting or failed push from the outbox. */
export const cancelPush = (id: number) => call<null>("cancel_push", { id });

// Observables
export const listObservables = (caseId: string) => call<Observable[]>("list_observables", { caseId });
export const addObservable = (caseId: string, input: ObservableInput) => call<Observable>("add_observable", { caseId, input });
export const updateObservable = (caseId: string, observableId: string, input: ObservableInput) =>
  call<Observable>("update_observable", { caseId, observableId, input });
export const deleteObservable = (caseId: string, observableId: string) =>
  call<null>("delete_observable", { caseId, observableId });
/** The eight built-in types, then the space's own. */
export const observableTypes = (space: string) => call<ObservableType[]>("observable_types", { space });
/** Other cases of the space sharing an observable (same type and value) with this one. */
export const similarCases = (caseId: string, page: number, perPage: number) =>
  call<SimilarCasesPage>("similar_cases", { caseId, page, perPage });

// Settings
export const getConfiguration = (space: string) => call<CaseConfiguration>("get_configuration", { space });
export const updateConfiguration = (space: string, patch: ConfigurationPatch) =>
  call<CaseConfiguration>("update_configuration", { space, patch });

// People
export const profile = () => call<User>("profile");
export const setProfile = (input: UserInput) => call<User>("set_profile", { input });
export const listUsers = () => call<User[]>("list_users");
export const addUser = (input: UserInput) => call<User>("add_user", { input });
export const removeUser = (username: string) => call<null>("remove_user", { username });

// Drafts: unsent text, kept on disk beside the database (blank text removes it).
export const getDraft = (key: string) => call<string | null>("get_draft", { key });
export const saveDraft = (key: string, body: string) => call<null>("save_draft", { key, body });
export const deleteDraft = (key: string) => call<null>("delete_draft", { key });

// Case numbers
/** One numbering pass now, over every space. */
export const assignIds = () => call<AssignReport>("assign_ids");
export const idTaskStatus = () => call<IdTaskStatus>("id_task_status");
export const setIdInterval = (minutes: number) => call<IdTaskStatus>("set_id_interval", { minutes });

// Suggestions
export const listTags = (space: string) => call<string[]>("list_tags", { space });
export const listCategories = (space: string) => call<string[]>("list_categories", { space });
export const listReporters = (space: string) => call<string[]>("list_reporters", { space });

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
