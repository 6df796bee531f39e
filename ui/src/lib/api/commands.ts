// Generated from the command table (crates/core/src/api/table.rs). Do not edit by hand:
// run `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core generated`.
// One function per command. The argument keys are the table's names in camelCase, the
// keys Tauri (and `casebook serve --dev`) map to the commands' snake_case arguments.

import type {
  ActivityPage,
  ActivityQuery,
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
  BulkBatch,
  BulkChange,
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
  CreatedAndPushed,
  ExportFormat,
  ExportKind,
  FindQuery,
  FindResult,
  IdTaskStatus,
  LeftOutPage,
  MatchingCases,
  Metrics,
  MetricsQuery,
  Observable,
  ObservableInput,
  ObservableType,
  OutboxItem,
  PreviewRequest,
  ProfileStatus,
  Promotion,
  PushOutcome,
  RemoteField,
  RequestPreview,
  SecretStoreKind,
  SecretStoreStatus,
  SecretStoreSwitch,
  SeverityCounts,
  SimilarCasesPage,
  SortOrder,
  Space,
  StatusSyncReport,
  TagCount,
  User,
  UserInput,
} from "./bindings";
import type { JsonValue } from "./json";
import { call } from "./invoke";

/**
 * One page of a case's comments and how many the case has in all.
 */
export type CommentPage = { comments: Array<Comment>, total: number, };

/** Every command's IPC name, in the table's order. */
export const COMMAND_NAMES = [
  "list_spaces",
  "create_space",
  "find_cases",
  "case_stats",
  "severity_counts",
  "get_case",
  "create_case",
  "check_case_create",
  "create_and_push",
  "update_cases",
  "delete_cases",
  "select_matching_cases",
  "bulk_update_matching",
  "bulk_delete_matching",
  "list_tags",
  "tag_counts",
  "list_categories",
  "list_reporters",
  "case_metrics",
  "export_analytics",
  "save_chart",
  "list_comments",
  "add_comment",
  "edit_comment",
  "delete_comment",
  "find_activity",
  "get_configuration",
  "update_configuration",
  "profile",
  "set_profile",
  "profile_status",
  "list_users",
  "add_user",
  "remove_user",
  "secret_store_status",
  "unlock_secrets",
  "lock_secrets",
  "change_secrets_passphrase",
  "set_secret_store",
  "get_draft",
  "save_draft",
  "delete_draft",
  "assign_ids",
  "id_task_status",
  "set_id_interval",
  "import_alerts",
  "cancel_alert_import",
  "list_alerts",
  "alert_overview",
  "get_alert",
  "remove_alerts",
  "get_alert_source",
  "set_alert_source",
  "remove_alert_source",
  "test_alert_source",
  "search_source_alerts",
  "attach_source_alerts",
  "sync_alert_statuses",
  "list_observables",
  "add_observable",
  "update_observable",
  "delete_observable",
  "left_out_observables",
  "promote_observable",
  "observable_types",
  "similar_cases",
  "list_connectors",
  "create_connector",
  "update_connector",
  "delete_connector",
  "test_connector",
  "refresh_connector_metadata",
  "connector_fields_preview",
  "preview_connector_request",
  "set_case_connector",
  "push_case",
  "list_outbox",
  "retry_push",
  "cancel_push",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The name of each command's function below. */
export type CommandFunction =
  | "listSpaces"
  | "createSpace"
  | "findCases"
  | "caseStats"
  | "severityCounts"
  | "getCase"
  | "createCase"
  | "checkCaseCreate"
  | "createAndPush"
  | "updateCases"
  | "deleteCases"
  | "selectMatchingCases"
  | "bulkUpdateMatching"
  | "bulkDeleteMatching"
  | "listTags"
  | "tagCounts"
  | "listCategories"
  | "listReporters"
  | "caseMetrics"
  | "exportAnalytics"
  | "saveChart"
  | "listComments"
  | "addComment"
  | "editComment"
  | "deleteComment"
  | "findActivity"
  | "getConfiguration"
  | "updateConfiguration"
  | "profile"
  | "setProfile"
  | "profileStatus"
  | "listUsers"
  | "addUser"
  | "removeUser"
  | "secretStoreStatus"
  | "unlockSecrets"
  | "lockSecrets"
  | "changeSecretsPassphrase"
  | "setSecretStore"
  | "getDraft"
  | "saveDraft"
  | "deleteDraft"
  | "assignIds"
  | "idTaskStatus"
  | "setIdInterval"
  | "importAlerts"
  | "cancelAlertImport"
  | "listAlerts"
  | "alertOverview"
  | "getAlert"
  | "removeAlerts"
  | "getAlertSource"
  | "setAlertSource"
  | "removeAlertSource"
  | "testAlertSource"
  | "searchSourceAlerts"
  | "attachSourceAlerts"
  | "syncAlertStatuses"
  | "listObservables"
  | "addObservable"
  | "updateObservable"
  | "deleteObservable"
  | "leftOutObservables"
  | "promoteObservable"
  | "observableTypes"
  | "similarCases"
  | "listConnectors"
  | "createConnector"
  | "updateConnector"
  | "deleteConnector"
  | "testConnector"
  | "refreshConnectorMetadata"
  | "connectorFieldsPreview"
  | "previewConnectorRequest"
  | "setCaseConnector"
  | "pushCase"
  | "listOutbox"
  | "retryPush"
  | "cancelPush";

// crates/core/src/api/cases.rs
export const listSpaces = () => call<Array<Space>>("list_spaces");
export const createSpace = (name: string) => call<Space>("create_space", { name });
export const findCases = (query: FindQuery) => call<FindResult>("find_cases", { query });
export const caseStats = (query: FindQuery) => call<CaseStats>("case_stats", { query });
/** Cases per severity for the query's filters, its severity filter aside. */
export const severityCounts = (query: FindQuery) => call<SeverityCounts>("severity_counts", { query });
/** `reference` is a case UUID or `#N`. */
export const getCase = (space: string, reference: string) => call<Case>("get_case", { space, reference });
export const createCase = (space: string, input: CaseCreate) => call<Case>("create_case", { space, input });
/**
 * Every check `create_case` makes, writing nothing: resolves when the case would be
 * created, else rejects with the first refusal (its `field` names the input).
 */
export const checkCaseCreate = (space: string, input: CaseCreate) => call<null>("check_case_create", { space, input });

// crates/core/src/api/push.rs
/**
 * Creates the case and queues its push to the case's connector in one transaction, then
 * tries the push once; resolves with the case as it is after the push, and the outcome.
 */
export const createAndPush = (space: string, input: CaseCreate) =>
  call<CreatedAndPushed>("create_and_push", { space, input });

// crates/core/src/api/cases.rs
/** Every patched case must be in `space`; another space's case is `not_found`. */
export const updateCases = (space: string, patches: Array<CasePatch>) =>
  call<Array<Case>>("update_cases", { space, patches });
export const deleteCases = (ids: Array<string>) => call<null>("delete_cases", { ids });
/**
 * "Select all N matching cases": their number now, and the `snapshot` the bulk batches
 * start from (the query's sort and page are ignored).
 */
export const selectMatchingCases = (query: FindQuery) => call<MatchingCases>("select_matching_cases", { query });
/**
 * One batch (in case-id order) of a change to the selected cases; pass the answer's `next`
 * as `after` until it is null. A case edited since the snapshot is skipped, not overwritten.
 */
export const bulkUpdateMatching = (query: FindQuery, snapshot: string, after: string | null, change: BulkChange) =>
  call<BulkBatch>("bulk_update_matching", { query, snapshot, after, change });
/** One batch of deleting the selected cases, as `bulk_update_matching`. */
export const bulkDeleteMatching = (query: FindQuery, snapshot: string, after: string | null = null) =>
  call<BulkBatch>("bulk_delete_matching", { query, snapshot, after });
export const listTags = (space: string) => call<Array<string>>("list_tags", { space });
/** The space's tags by name, each with its number of cases. */
export const tagCounts = (space: string) => call<Array<TagCount>>("tag_counts", { space });
export const listCategories = (space: string) => call<Array<string>>("list_categories", { space });
export const listReporters = (space: string) => call<Array<string>>("list_reporters", { space });

// crates/core/src/api/analytics.rs
/** The Analytics page's figures for one space (or every space, `space` unset). */
export const caseMetrics = (query: MetricsQuery) => call<Metrics>("case_metrics", { query });
/**
 * Writes cases, comments, activity or trend rows (Kibana's case analytics field names) to
 * `path`, replaced once complete; resolves with the number of rows. Progress arrives as
 * `export-progress` events.
 */
export const exportAnalytics = (kind: ExportKind, format: ExportFormat, query: MetricsQuery, path: string) =>
  call<number>("export_analytics", { kind, format, query, path });
/** Saves a chart as the PNG or SVG file `path` (a `data:` URL of that kind). */
export const saveChart = (path: string, dataUrl: string) => call<null>("save_chart", { path, dataUrl });

// crates/core/src/api/comments.rs
export const listComments = (caseId: string, order: SortOrder, page: number, perPage: number) =>
  call<CommentPage>("list_comments", { caseId, order, page, perPage });
export const addComment = (caseId: string, body: string) => call<Comment>("add_comment", { caseId, body });
export const editComment = (caseId: string, commentId: string, version: string, body: string) =>
  call<Comment>("edit_comment", { caseId, commentId, version, body });
export const deleteComment = (caseId: string, commentId: string) => call<null>("delete_comment", { caseId, commentId });
export const findActivity = (space: string, caseId: string, query: ActivityQuery) =>
  call<ActivityPage>("find_activity", { space, caseId, query });

// crates/core/src/api/settings.rs
export const getConfiguration = (space: string) => call<CaseConfiguration>("get_configuration", { space });
export const updateConfiguration = (space: string, patch: ConfigurationPatch) =>
  call<CaseConfiguration>("update_configuration", { space, patch });
export const profile = () => call<User>("profile");
/** Saving the profile also confirms it (see `profile_status`). */
export const setProfile = (input: UserInput) => call<User>("set_profile", { input });
/** The profile, and whether the analyst has confirmed it: the app asks once on first start. */
export const profileStatus = () => call<ProfileStatus>("profile_status");
export const listUsers = () => call<Array<User>>("list_users");
export const addUser = (input: UserInput) => call<User>("add_user", { input });
export const removeUser = (username: string) => call<null>("remove_user", { username });

// crates/core/src/api/secrets.rs
export const secretStoreStatus = () => call<SecretStoreStatus>("secret_store_status");
/**
 * Gives the encrypted file's passphrase for this session (kept in the core's memory until
 * the app quits); a wrong one rejects with `wrong_passphrase` and changes nothing.
 */
export const unlockSecrets = (passphrase: string) => call<SecretStoreStatus>("unlock_secrets", { passphrase });
/** Forgets the encrypted file's passphrase until it is given again. */
export const lockSecrets = () => call<SecretStoreStatus>("lock_secrets");
/** Encrypts the secrets file again with the new passphrase; the old one must open it (`wrong_passphrase`). */
export const changeSecretsPassphrase = (oldPassphrase: string, newPassphrase: string) =>
  call<SecretStoreStatus>("change_secrets_passphrase", { oldPassphrase, newPassphrase });
/** Moves the secrets to `store`; `passphrase` opens the file, or creates it when there is none. */
export const setSecretStore = (store: SecretStoreKind, passphrase: string | null = null) =>
  call<SecretStoreSwitch>("set_secret_store", { store, passphrase });

// crates/core/src/api/drafts.rs
export const getDraft = (key: string) => call<string | null>("get_draft", { key });
export const saveDraft = (key: string, body: string) => call<null>("save_draft", { key, body });
export const deleteDraft = (key: string) => call<null>("delete_draft", { key });

// crates/core/src/api/ids.rs
/** One numbering pass now, over every space. */
export const assignIds = () => call<AssignReport>("assign_ids");
export const idTaskStatus = () => call<IdTaskStatus>("id_task_status");
export const setIdInterval = (minutes: number) => call<IdTaskStatus>("set_id_interval", { minutes });

// crates/core/src/api/alerts.rs
/**
 * Attaches the alerts of a file (NDJSON, JSON, CSV). Progress arrives as `alert-import-progress`
 * events carrying `import_id` (lib/files.ts listens to them); a cancelled import resolves with
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
export const removeAlerts = (caseId: string, alertIds: Array<string>) =>
  call<number>("remove_alerts", { caseId, alertIds });

// crates/core/src/api/alert_source.rs
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
export const attachSourceAlerts = (caseId: string, hits: Array<AlertHit>) =>
  call<AlertImportReport>("attach_source_alerts", { caseId, hits });
/** Sends the waiting alert statuses to Elasticsearch now (the app also does every 30 s). */
export const syncAlertStatuses = () => call<StatusSyncReport>("sync_alert_statuses");

// crates/core/src/api/observables.rs
export const listObservables = (caseId: string) => call<Array<Observable>>("list_observables", { caseId });
export const addObservable = (caseId: string, input: ObservableInput) =>
  call<Observable>("add_observable", { caseId, input });
export const updateObservable = (caseId: string, observableId: string, input: ObservableInput) =>
  call<Observable>("update_observable", { caseId, observableId, input });
export const deleteObservable = (caseId: string, observableId: string) =>
  call<null>("delete_observable", { caseId, observableId });
/**
 * Extracted values the space's cap left out, best ranked first (most alerts, then the
 * space's type priority).
 */
export const leftOutObservables = (caseId: string, page: number, perPage: number) =>
  call<LeftOutPage>("left_out_observables", { caseId, page, perPage });
/**
 * Moves a left-out value into the case; when it is full, the lowest ranked value extracted
 * automatically makes room (and is left out in its turn).
 */
export const promoteObservable = (caseId: string, typeKey: string, value: string) =>
  call<Promotion>("promote_observable", { caseId, typeKey, value });
/** The eight built-in types, then the space's own. */
export const observableTypes = (space: string) => call<Array<ObservableType>>("observable_types", { space });
/** Other cases of the space sharing an observable (same type and value) with this one. */
export const similarCases = (caseId: string, page: number, perPage: number) =>
  call<SimilarCasesPage>("similar_cases", { caseId, page, perPage });

// crates/core/src/api/connectors.rs
/** The space's connectors, by name; `secret_stored` says whether the keychain still holds the secret. */
export const listConnectors = (space: string) => call<Array<Connector>>("list_connectors", { space });
/** Creates a connector; `input.secret` is required and goes to the keychain. */
export const createConnector = (space: string, input: ConnectorInput) =>
  call<Connector>("create_connector", { space, input });
/** Edits a connector; leave `secret` out to keep the stored one. The system (`kind`) cannot change. */
export const updateConnector = (space: string, connector: string, input: ConnectorInput) =>
  call<Connector>("update_connector", { space, connector, input });
/** Deletes the connector and its secret; cases keep the links to their tickets. */
export const deleteConnector = (space: string, connector: string) =>
  call<null>("delete_connector", { space, connector });
/** One cheap request with the saved settings: URL, certificate, sign-in, project or table. */
export const testConnector = (space: string, connector: string) =>
  call<ConnectionCheck>("test_connector", { space, connector });
/** Fetches and keeps the case form's choices (issue types, priorities, categories…). */
export const refreshConnectorMetadata = (space: string, connector: string) =>
  call<Connector>("refresh_connector_metadata", { space, connector });
/**
 * The system's own fields (a Swimlane application's) for the settings `input` describes,
 * before it is saved, to choose the field mappings from; nothing is stored. Without
 * `input.secret`, `editing` (the connector being edited) lends its stored one.
 */
export const connectorFieldsPreview = (space: string, editing: string | null, input: ConnectorInput) =>
  call<Array<RemoteField>>("connector_fields_preview", { space, editing, input });
/**
 * The exact request a push of the case would send (`request`: create, update, comment, get or
 * find), secrets masked as ••••; nothing is sent. Webhook – Case Management connectors only.
 */
export const previewConnectorRequest = (space: string, connector: string, caseId: string, request: PreviewRequest) =>
  call<RequestPreview>("preview_connector_request", { space, connector, caseId, request });

// crates/core/src/api/push.rs
/**
 * Chooses the case's connector (null clears it) and its fields (in Kibana's names: `issueType`,
 * `priority`, `category`, `destIp`…), checked against the cached choices.
 */
export const setCaseConnector = (caseId: string, version: string, connector: string | null, fields: JsonValue) =>
  call<Case>("set_case_connector", { caseId, version, connector, fields });
/** Pushes the case to its connector (or `connector`); may take seconds. Offline it resolves as queued. */
export const pushCase = (caseId: string, connector: string | null = null) =>
  call<PushOutcome>("push_case", { caseId, connector });
/** The pushes waiting (queued, sending or failed), of one space or of all (null). */
export const listOutbox = (space: string | null = null) => call<Array<OutboxItem>>("list_outbox", { space });
/**
 * Sends a waiting or failed push now. `force`: after "needs your check" (a create whose answer
 * was lost), the user checked the system and wants the create sent again.
 */
export const retryPush = (id: number, force: boolean | null = null) => call<PushOutcome>("retry_push", { id, force });
/** Drops a waiting or failed push from the outbox. */
export const cancelPush = (id: number) => call<null>("cancel_push", { id });
