// Generated from casebook-core (crates/core/src/bindings.rs). Do not edit by hand:
// run `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core bindings`.

import type { JsonValue } from "./json";

export type WireError = { 
/**
 * One of `ERROR_CODES`.
 */
code: string, 
/**
 * The sentence to show.
 */
message: string, 
/**
 * `validation` only: the offending input's path (`title`, `tags[3]`, `custom_fields.risk`).
 */
field?: string, 
/**
 * `not_found`, `already_exists`, `conflict` only: the kind of thing (`case`, `connector`).
 */
what?: string, };

export type Severity = "low" | "medium" | "high" | "critical";

export type Status = "open" | "in-progress" | "closed";

export type User = { username: string, full_name: string | null, email: string | null, profile_uid?: string, };

export type Assignee = { uid: string, };

export type UserInput = { username: string, full_name?: string, email?: string, };

export type ProfileStatus = { profile: User, 
/**
 * False until the profile is saved once (in the app, or `casebook user me` with a flag).
 */
confirmed: boolean, };

export type Space = { name: string, created_at: string, total_cases: number, };

export type CaseSettings = { sync_alerts: boolean, 
/**
 * Auto-extract observables from attached alerts (Kibana 9.2). On unless turned off.
 */
extract_observables: boolean, };

export type CustomFieldType = "text" | "toggle" | "number";

export type CustomFieldValue = { key: string, type: CustomFieldType, value: JsonValue, };

export type CaseConnector = { id: string, name: string, type: string, fields: JsonValue | null, };

export type ExternalService = { connector_id: string, connector_name: string, external_id: string, external_title: string, external_url: string, pushed_at: string, pushed_by: User, };

export type Case = { id: string, version: string, incremental_id: number | null, space: string, title: string, description: string, tags: Array<string>, severity: Severity, status: Status, assignees: Array<Assignee>, category: string | null, custom_fields: Array<CustomFieldValue>, settings: CaseSettings, owner: string, connector: CaseConnector, external_service: ExternalService | null, 
/**
 * Whether the ticket of the last push reflects the case and its comments.
 */
push_state: PushState, 
/**
 * A push waiting in the outbox, if any.
 */
pending_push: OutboxState | null, created_at: string, created_by: User, updated_at: string | null, updated_by: User | null, closed_at: string | null, closed_by: User | null, in_progress_at: string | null, 
/**
 * Seconds from creation to close; null unless closed.
 */
duration: number | null, time_to_acknowledge: number | null, time_to_investigate: number | null, time_to_resolve: number | null, total_comment: number, total_alerts: number, total_observables: number, };

export type CaseCreate = { title: string, description: string, tags: Array<string>, severity?: Severity, category?: string, assignees: Array<Assignee>, custom_fields: Array<CustomFieldValue>, settings?: CaseSettings, owner?: string, connector?: CaseConnector, };

export type CasePatch = { id: string, version: string, title?: string, description?: string, status?: Status, severity?: Severity, 
/**
 * `Some(None)` clears the category.
 */
category?: string | null, tags?: Array<string>, add_tags: Array<string>, remove_tags: Array<string>, assignees?: Array<Assignee>, add_assignees: Array<Assignee>, remove_assignees: Array<Assignee>, custom_fields?: Array<CustomFieldValue>, settings?: CaseSettings, connector?: CaseConnector, };

export type Comment = { id: string, version: string, case_id: string, 
/**
 * The Markdown body; Kibana names this field `comment`.
 */
comment: string, type: string, owner: string, created_at: string, created_by: User, updated_at: string | null, updated_by: User | null, pushed_at: string | null, pushed_by: User | null, };

export type ActionVerb = "add" | "create" | "delete" | "update" | "push_to_service";

export type ActionType = "create_case" | "delete_case" | "title" | "description" | "tags" | "status" | "severity" | "assignees" | "category" | "custom_fields" | "settings" | "connector" | "comment" | "observables" | "pushed";

export type UserAction = { id: string, case_id: string, action: ActionVerb, type: ActionType, payload: JsonValue, created_at: string, created_by: User, comment_id: string | null, owner: string, };

export type ActivityQuery = { types: Array<ActionType>, sort_order: SortOrder, page?: number, per_page?: number, };

export type ActivityPage = { user_actions: Array<UserAction>, page: number, per_page: number, total: number, };

export type SortField = "title" | "category" | "created_at" | "updated_at" | "closed_at" | "status" | "severity";

export type SortOrder = "asc" | "desc";

export type ToggleFilter = { key: string, value: boolean, };

export type DateField = "created_at" | "updated_at";

export type FindQuery = { space: string, status: Array<Status>, severity: Array<Severity>, 
/**
 * Cases with any of these tags.
 */
tags: Array<string>, 
/**
 * Usernames; the keyword `none` matches cases without assignees.
 */
assignees: Array<string>, 
/**
 * Usernames of the people who created the cases.
 */
reporters: Array<string>, category: Array<string>, custom_toggles: Array<ToggleFilter>, 
/**
 * Bounds (inclusive) on the time `date_field` names.
 */
from?: string, to?: string, 
/**
 * Default: the creation time.
 */
date_field?: DateField, 
/**
 * Cases breaching, or about to breach, the space's service-level targets.
 */
sla?: SlaFilter, 
/**
 * Free text, `#123`, or a case UUID.
 */
search?: string, 
/**
 * Default: by relevance when searching, else by creation time.
 */
sort_field?: SortField, sort_order: SortOrder, page: number, per_page: number, };

export type FindResult = { cases: Array<Case>, page: number, per_page: number, total: number, count_open_cases: number, count_in_progress_cases: number, count_closed_cases: number, 
/**
 * Mean seconds from creation to close over the closed cases matching the filters.
 */
mean_time_to_close: number | null, };

export type CaseStats = { count_open_cases: number, count_in_progress_cases: number, count_closed_cases: number, mean_time_to_close: number | null, };

export type Interval = "day" | "week" | "month";

export type Breakdown = "severity" | "assignee" | "tag" | "category" | "connector";

export type MetricsQuery = { 
/**
 * One space by name; none: every space.
 */
space?: string, from?: string, to?: string, interval: Interval, severity: Array<Severity>, 
/**
 * Cases with any of these tags.
 */
tags: Array<string>, 
/**
 * Usernames; `none` matches cases without assignees.
 */
assignees: Array<string>, status: Array<Status>, 
/**
 * Breakdowns of the timing figures to compute; none: every one.
 */
by: Array<Breakdown>, };

export type TrendBucket = { 
/**
 * The bucket's first instant (UTC midnight).
 */
start: string, opened: number, closed: number, 
/**
 * Closed cases opened or set in progress again.
 */
reopened: number, alerts: number, 
/**
 * The backlog as it stood at the end of the bucket (deleted cases leave it).
 */
open: number, in_progress: number, 
/**
 * Closed cases still kept, cumulated.
 */
closed_total: number, };

export type DurationStats = { cases: number, median: number | null, p90: number | null, };

export type TimingStats = { acknowledge: DurationStats, investigate: DurationStats, resolve: DurationStats, };

export type BreakdownRow = { 
/**
 * The severity, username, tag, category or connector type; empty: none set.
 */
key: string, timing: TimingStats, };

export type BreakdownTable = { by: Breakdown, rows: Array<BreakdownRow>, };

export type Throughput = { assignee: string, closed: number, };

export type AgeBucket = { label: string, min_seconds: number, max_seconds: number | null, cases: number, };

export type OldCase = { id: string, space: string, incremental_id: number | null, title: string, severity: Severity, status: Status, created_at: string, age_seconds: number, };

export type TopItem = { value: string, cases: number, };

export type TopLists = { tags: Array<TopItem>, categories: Array<TopItem>, rules: Array<TopItem>, hosts: Array<TopItem>, users: Array<TopItem>, };

export type SlaTarget = { severity: Severity, acknowledge_seconds?: number, resolve_seconds?: number, };

export type SlaFilter = "breaching" | "at_risk";

export type SlaCase = { id: string, space: string, incremental_id: number | null, title: string, severity: Severity, status: Status, 
/**
 * `acknowledge` or `resolve`.
 */
target: string, due_at: string, 
/**
 * Seconds past the due time (negative: time left).
 */
overdue_seconds: number, };

export type SlaWeek = { start: string, closed: number, within_target: number, };

export type SlaReport = { 
/**
 * Whether any space asked about has targets.
 */
has_targets: boolean, breaching_total: number, at_risk_total: number, 
/**
 * The most overdue first (at most 20).
 */
breaching: Array<SlaCase>, 
/**
 * The soonest due first (at most 20).
 */
at_risk: Array<SlaCase>, weekly: Array<SlaWeek>, };

export type Metrics = { 
/**
 * The range the figures cover (the query's, or the log's first day to now).
 */
from: string, to: string, interval: Interval, trend: Array<TrendBucket>, timing: TimingStats, breakdowns: Array<BreakdownTable>, throughput: Array<Throughput>, age: Array<AgeBucket>, oldest_open: Array<OldCase>, top: TopLists, sla: SlaReport, };

export type ExportKind = "cases" | "comments" | "activity" | "metrics";

export type ExportFormat = "csv" | "ndjson";

export type ExportProgress = { done: number, total: number, };

export type SeverityCounts = { low: number, medium: number, high: number, critical: number, };

export type TagCount = { tag: string, cases: number, };

export type MatchingCases = { total: number, snapshot: string, };

export type BulkChange = { status?: Status, severity?: Severity, add_tags: Array<string>, remove_tags: Array<string>, add_assignees: Array<Assignee>, remove_assignees: Array<Assignee>, };

export type BulkIssue = { id: string, incremental_id: number | null, title: string, code: string, message: string, };

export type BulkBatch = { 
/**
 * Cases changed (or deleted).
 */
changed: number, 
/**
 * Cases that already were as asked.
 */
unchanged: number, 
/**
 * Changed by someone else since the selection: left as they are.
 */
skipped: Array<BulkIssue>, 
/**
 * Refused by a rule (say, one tag too many): left as they are.
 */
failed: Array<BulkIssue>, 
/**
 * Pass as `after` for the next batch; `None` after the last one.
 */
next: string | null, };

export type BulkReport = { 
/**
 * The cases selected (`MatchingCases::total`).
 */
total: number, changed: number, unchanged: number, skipped: Array<BulkIssue>, failed: Array<BulkIssue>, 
/**
 * Selected, but deleted or changed to no longer match before their batch came: left alone.
 */
gone: number, 
/**
 * Stopped between two batches: the cases after the last batch were not looked at.
 */
cancelled: boolean, };

export type ClosureType = "close-by-user" | "close-by-pushing";

export type CustomFieldDefinition = { key: string, label: string, type: CustomFieldType, required: boolean, default_value?: JsonValue, };

export type TemplateCaseFields = { title?: string, description?: string, tags?: Array<string>, severity?: Severity, assignees?: Array<Assignee>, category?: string, custom_fields?: Array<CustomFieldValue>, settings?: CaseSettings, connector?: CaseConnector, };

export type Template = { key: string, name: string, description?: string, tags: Array<string>, case_fields: TemplateCaseFields, };

export type CaseConfiguration = { space: string, version: string, closure_type: ClosureType, custom_fields: Array<CustomFieldDefinition>, templates: Array<Template>, 
/**
 * The space's own observable types (built-in ones are not listed here).
 */
observable_types: Array<ObservableType>, 
/**
 * How many observables a case of this space holds at most (Kibana's 50 unless raised).
 * Defaults when read from a document saved before it existed (`settings set --from-json`).
 */
max_observables: number, 
/**
 * Type keys in the order that ranks extracted values carried by as many alerts; types
 * not listed follow in their usual order (built-in, then the space's own).
 */
observable_type_priority: Array<string>, 
/**
 * Service-level targets per severity; a severity not listed has none.
 */
sla: Array<SlaTarget>, };

export type ConfigurationPatch = { version: string, closure_type?: ClosureType, custom_fields?: Array<CustomFieldDefinition>, templates?: Array<Template>, 
/**
 * Replaces the custom observable types; observables of a removed type are deleted.
 */
observable_types?: Array<ObservableType>, 
/**
 * Raising it fills every case's free room from its left-out values, best ranked first.
 */
max_observables?: number, observable_type_priority?: Array<string>, 
/**
 * Replaces the service-level targets.
 */
sla?: Array<SlaTarget>, };

export type AssignReport = { 
/**
 * Cases that got a number.
 */
assigned: number, };

export type IdTaskStatus = { 
/**
 * Minutes between passes (CASEBOOK_ID_INTERVAL in seconds is rounded up).
 */
interval_minutes: number, interval_seconds: number, 
/**
 * CASEBOOK_ID_INTERVAL sets the interval; the saved setting applies when it is unset.
 */
from_env: boolean, 
/**
 * The saved setting (minutes).
 */
setting_minutes: number, 
/**
 * RFC 3339, UTC.
 */
next_run_at: string, last_run_at: string | null, 
/**
 * Cases numbered by the last pass (background or "Assign IDs now").
 */
last_assigned: number | null, };

export type AlertOrigin = "file" | "elasticsearch";

export type WorkflowStatus = "open" | "acknowledged" | "closed";

export type CaseAlert = { 
/**
 * `kibana.alert.uuid`, else the document `_id`.
 */
id: string, index: string | null, rule_id: string | null, rule_name: string | null, severity: Severity | null, risk_score: number | null, reason: string | null, host: string | null, user: string | null, 
/**
 * When the alert was raised (its `@timestamp`): the alert's time, shown and sorted by.
 */
"@timestamp": string | null, 
/**
 * When the source event happened (`kibana.alert.original_time`, legacy
 * `signal.original_time`), shown apart as the event time.
 */
original_time: string | null, workflow_status: WorkflowStatus, origin: AlertOrigin, 
/**
 * The local workflow status has not reached Elasticsearch yet.
 */
status_sync_pending: boolean, attached_at: string, attached_by: User, };

export type AlertField = { field: string, values: Array<string | number | boolean>, };

export type AlertDetail = { alert: CaseAlert, 
/**
 * Every field, flattened to dotted paths, sorted by path.
 */
fields: Array<AlertField>, document: unknown, };

export type AlertSortField = "rule" | "time" | "severity" | "risk_score" | "host" | "user";

export type AlertListQuery = { page?: number, per_page?: number, sort?: AlertSortField, order?: SortOrder, 
/**
 * Exact rule name; `""` selects alerts that name no rule.
 */
rule?: string, severity?: Severity, workflow_status?: WorkflowStatus, 
/**
 * Words matched against rule, reason, host, user and alert id.
 */
search?: string, };

export type AlertPage = { alerts: Array<CaseAlert>, total: number, page: number, per_page: number, };

export type AlertRuleGroup = { rule_id: string | null, rule_name: string | null, alerts: number, newest: string | null, };

export type AlertOverview = { total: number, 
/**
 * Distinct `host.name` values.
 */
hosts: number, 
/**
 * Distinct `user.name` values.
 */
users: number, rules: Array<AlertRuleGroup>, 
/**
 * Alerts whose status change has not reached Elasticsearch yet.
 */
status_sync_pending: number, };

export type ParseIssue = { 
/**
 * 1-based line (NDJSON, CSV, and JSON syntax errors).
 */
line?: number, 
/**
 * 1-based document number (JSON).
 */
document?: number, reason: string, };

export type AlertImportReport = { 
/**
 * Alerts newly attached.
 */
attached: number, 
/**
 * Alerts read that the case already had (stored once).
 */
already_attached: number, 
/**
 * Alerts the file (or the batch) held more than once, beyond their first time (stored once).
 */
repeated_in_file: number, 
/**
 * Every line or document that could not be read (the first 1 000; `issue_count` has all).
 */
issues: Array<ParseIssue>, issue_count: number, 
/**
 * Observables extracted from the new alerts and added to the case.
 */
observables_added: number, 
/**
 * Extracted observables left out because the case holds the maximum.
 */
observables_over_limit: number, 
/**
 * The import was cancelled: nothing was attached.
 */
cancelled: boolean, };

export type ImportPhase = "reading" | "saving";

export type AlertImportProgress = { phase: ImportPhase, bytes_read: number, total_bytes: number, alerts_read: number, };

export type ObservableType = { key: string, label: string, };

export type Observable = { id: string, type_key: string, 
/**
 * The type's label, or the key when the type is no longer configured.
 */
type_label: string, value: string, description: string | null, created_at: string, created_by: User, updated_at: string | null, 
/**
 * Extracted from alerts and not chosen by the analyst: a promoted value may replace it.
 */
auto_extracted: boolean, 
/**
 * How many of the case's alerts carry the value, when it came from them.
 */
alerts: number | null, };

export type ObservableInput = { type_key: string, value: string, description?: string, };

export type LeftOutObservable = { type_key: string, type_label: string, value: string, alerts: number, };

export type LeftOutPage = { values: Array<LeftOutObservable>, total: number, page: number, per_page: number, 
/**
 * The space's cap and how many observables the case holds.
 */
max_observables: number, held: number, };

export type Promotion = { observable: Observable, replaced: LeftOutObservable | null, };

export type SharedObservable = { type_key: string, type_label: string, value: string, };

export type SimilarCase = { case: Case, shared: Array<SharedObservable>, };

export type SimilarCasesPage = { cases: Array<SimilarCase>, total: number, page: number, per_page: number, };

export type AlertSource = { space: string, url: string, 
/**
 * The Kibana space whose alerts are read: `.alerts-security.alerts-<kibana_space>`.
 */
kibana_space: string, index: string, 
/**
 * Whether the keychain holds the API key (false when it was removed there by hand).
 */
api_key_stored: boolean, 
/**
 * Why the secret store could not be asked (the secrets file is locked, no keychain): then
 * `api_key_stored` says nothing.
 */
api_key_unreadable: WireError | null, updated_at: string, };

export type AlertSourceInput = { url: string, kibana_space?: string, api_key?: string, };

export type StatusSyncReport = { 
/**
 * Alerts whose status Elasticsearch now has.
 */
updated: number, 
/**
 * Alerts still waiting (their source could not be reached or refused); retried later.
 */
waiting: number, 
/**
 * Why, per space, in the system's own words.
 */
errors: Array<string>, };

export type AlertSummary = { rule_id: string | null, rule_name: string | null, severity: string | null, risk_score: number | null, reason: string | null, host: string | null, user: string | null, original_time: string | null, timestamp: string | null, workflow_status: string | null, };

export type AlertQuery = { 
/**
 * `@timestamp` at or after this instant.
 */
from?: string, 
/**
 * `@timestamp` at or before this instant.
 */
to?: string, 
/**
 * Exact `kibana.alert.rule.name`.
 */
rule?: string, 
/**
 * Exact `host.name`.
 */
host?: string, 
/**
 * Exact `user.name`.
 */
user?: string, 
/**
 * `low`, `medium`, `high` or `critical`.
 */
severity?: string, 
/**
 * `open`, `acknowledged` or `closed`.
 */
workflow_status?: string, 
/**
 * 1 to 1000; 100 when not given.
 */
size?: number, 
/**
 * The previous page's `next`, to get the page after it.
 */
search_after?: unknown[], };

export type AlertHit = { 
/**
 * `_id`, equal to `kibana.alert.uuid`.
 */
id: string, 
/**
 * The concrete index (`.internal.alerts-security.alerts-<space>-00000N`), which status
 * updates and case attachments name.
 */
index: string, 
/**
 * `_source`: literal dotted `kibana.alert.*` keys next to nested ECS objects.
 */
source: JsonValue, 
/**
 * The columns a result list shows, read from `source` by the same rules as an import
 * (`kibana.alert.*`, else legacy `signal.*`). Ignored when hits are sent back to attach.
 */
summary: AlertSummary, };

export type AlertSearchPage = { 
/**
 * Every alert that matches the filters, over all pages.
 */
total: number, hits: Array<AlertHit>, 
/**
 * Pass as `search_after` for the next page; `None` when this was the last one.
 */
next: unknown[] | null, };

export type ClusterInfo = { cluster_name: string, 
/**
 * `version.number`, e.g. `8.17.1`.
 */
version: string, };

export type ConnectorKind = "jira" | "servicenow-itsm" | "servicenow-sir" | "resilient" | "swimlane" | "thehive" | "cases-webhook";

export type ConnectorSettings = { "kind": "jira" } & JiraSettings | { "kind": "servicenow-itsm" } & ServiceNowSettings | { "kind": "servicenow-sir" } & ServiceNowSettings | { "kind": "resilient" } & ResilientSettings | { "kind": "swimlane" } & SwimlaneSettings | { "kind": "thehive" } & TheHiveSettings | { "kind": "cases-webhook" } & CasesWebhookSettings;

export type JiraSettings = { 
/**
 * The project issues are created in (SEC).
 */
project_key: string, auth: ConnectorAuth, 
/**
 * Jira Cloud: the account's email; Data Center: the user name. None with a personal
 * access token.
 */
username?: string, };

export type ServiceNowSettings = { mode: ServiceNowMode, 
/**
 * The ServiceNow user the incidents are created as (basic sign-in).
 */
username: string, };

export type ResilientSettings = { 
/**
 * The organisation's number, as in `/rest/orgs/201`.
 */
org_id: string, 
/**
 * The API key's id. Kibana keeps it among the secrets, but alone it signs in to nothing
 * (like a user name): Casebook keeps it in the settings and shows it as the account, so
 * people can tell which key a connector uses. The key's secret goes to the keychain only.
 */
api_key_id: string, };

export type SwimlaneSettings = { 
/**
 * The application's id (in its URL: `/app/<id>`), not its name.
 */
app_id: string, mappings: SwimlaneMappings, };

export type SwimlaneMappings = { case_id?: string, 
/**
 * Gets the case title.
 */
name?: string, description?: string, severity?: string, status?: string, 
/**
 * A `comments` field: each case comment is added to it.
 */
comments?: string, };

export type TheHiveSettings = { 
/**
 * The organisation cases are made in (`X-Organisation`). None: the user's default one.
 */
organisation?: string, };

export type CasesWebhookSettings = { create_incident: WebhookCreate, get_incident: WebhookGet, 
/**
 * Where people open the incident (`https://x/browse/{{{external.system.title}}}`).
 */
view_incident_url: string, update_incident: WebhookRequest, 
/**
 * Without it, comments are not sent (as in Kibana).
 */
create_comment?: WebhookRequest, 
/**
 * Without it, a create whose answer was lost waits for the user's check.
 */
find_incident?: WebhookFind, 
/**
 * Plain headers (secret ones are in the keychain as `header:<name>`).
 */
headers: { [key in string]: string }, auth: WebhookAuth, };

export type WebhookMethod = "get" | "post" | "put" | "patch";

export type WebhookCreate = { method: WebhookMethod, url: string, json: string, response_key: string, };

export type WebhookGet = { method: WebhookMethod, url: string, 
/**
 * Only with `post`.
 */
json?: string, title_key: string, };

export type WebhookRequest = { method: WebhookMethod, url: string, json: string, };

export type WebhookFind = { method: WebhookMethod, url: string, json?: string, id_key?: string, };

export type CertType = "pem" | "pfx";

export type Verification = "full" | "certificate" | "none";

export type WebhookAuth = { "type": "none" } | { "type": "basic", username: string, } | { "type": "bearer" } | { "type": "oauth2", access_token_url: string, client_id: string, scope?: string, 
/**
 * More form fields for the token request (`audience`, `resource`…).
 */
additional_fields?: { [key in string]: string }, } | { "type": "certificate", cert_type: CertType, 
/**
 * The certificate chain (PEM), for `pem`.
 */
certificate?: string, 
/**
 * A CA (PEM) to trust for the server's certificate.
 */
ca?: string, verification: Verification, };

export type PreviewRequest = "create" | "update" | "comment" | "get" | "find";

export type PreviewHeader = { name: string, value: string, secret: boolean, };

export type RequestPreview = { method: string, url: string, headers: Array<PreviewHeader>, 
/**
 * The JSON body, indented; none for a request without one.
 */
body: string | null, };

export type ConnectorAuth = "basic" | "pat";

export type ServiceNowMode = "import-set" | "table";

export type Choice = { value: string, label: string, 
/**
 * ServiceNow: the category value a subcategory belongs to.
 */
depends_on?: string, };

export type RemoteField = { 
/**
 * What the API calls it (Resilient `name`, Swimlane field id, Jira field id).
 */
id: string, 
/**
 * What people see.
 */
label: string, 
/**
 * The system's type name (`text`, `numeric`, `select`, `comments`…).
 */
field_type: string, 
/**
 * Swimlane's field key, Resilient's `prefix` (`properties` for custom fields)…
 */
key?: string, required: boolean, read_only: boolean, 
/**
 * The values a select field offers.
 */
values: Array<Choice>, };

export type ConnectorMetadata = { 
/**
 * Jira: issue types of the project (value = id).
 */
issue_types: Array<Choice>, 
/**
 * Jira: priorities (value = name); ServiceNow SecOps: priority choices.
 */
priorities: Array<Choice>, 
/**
 * Jira: recent issues of the project that can be a parent (value = key).
 */
parents: Array<Choice>, 
/**
 * ServiceNow ITSM: urgency choices.
 */
urgencies: Array<Choice>, 
/**
 * ServiceNow ITSM: severity choices.
 */
severities: Array<Choice>, 
/**
 * ServiceNow ITSM: impact choices.
 */
impacts: Array<Choice>, 
/**
 * ServiceNow: categories.
 */
categories: Array<Choice>, 
/**
 * ServiceNow: subcategories, each with the category it depends on.
 */
subcategories: Array<Choice>, 
/**
 * IBM Resilient: incident types (value = id).
 */
incident_types: Array<Choice>, 
/**
 * TheHive: traffic light protocol levels (value = TheHive's number).
 */
tlps: Array<Choice>, 
/**
 * The system's own fields (Resilient incident fields, a Swimlane application's fields…):
 * what case data can be mapped to, and what additional fields are checked against.
 */
fields: Array<RemoteField>, };

export type Connector = { id: string, space: string, name: string, 
/**
 * The system, as `settings.kind` says it (here for lists and filters).
 */
kind: ConnectorKind, url: string, settings: ConnectorSettings, 
/**
 * What it points at, in a few words (`project SEC`, `Elastic app`), from its settings.
 */
target: string, 
/**
 * The account it signs in as, when it names one (never a secret).
 */
account: string | null, 
/**
 * What its main secret is called (`API token or password`, `Personal access token`).
 */
secret_label: string, 
/**
 * Whether the OS keychain holds this connector's token or password.
 */
secret_stored: boolean, 
/**
 * The names of the secrets the keychain holds for it (`secret`, `header:X-Api-Key`,
 * `client_key`…), never their values.
 */
stored_secrets: Array<string>, 
/**
 * Why the secret store could not be asked (the secrets file is locked, no keychain): then
 * `secret_stored` says nothing, and the list still shows.
 */
secret_unreadable: WireError | null, metadata: ConnectorMetadata | null, metadata_fetched_at: string | null, created_at: string, updated_at: string, };

export type ConnectorInput = { name: string, url: string, 
/**
 * The system and its settings (`{"kind": "jira", "project_key": "SEC", …}`).
 */
settings: ConnectorSettings, 
/**
 * The API token, password or personal access token. Goes to the OS keychain only.
 */
secret?: string, 
/**
 * More named secrets, for the systems that take them (a webhook's `header:<Name>`,
 * `client_key`, `client_key_password`). Keychain only; on edit, those not given are kept
 * and an empty value removes one.
 */
secrets?: { [key in string]: string }, };

export type ConnectionCheck = { 
/**
 * One sentence, e.g. `Connected to Jira: project SEC (Security) is reachable.`
 */
message: string, };

export type PushState = "not_pushed" | "up_to_date" | "requires_update";

export type OutboxState = "queued" | "sending" | "failed";

export type OutboxItem = { id: number, case_id: string, case_title: string, space: string, connector_id: string, connector_name: string, state: OutboxState, 
/**
 * Failed attempts so far.
 */
attempts: number, 
/**
 * When the next attempt is due (queued only).
 */
next_attempt_at: string | null, requested_at: string, 
/**
 * The last failure in the system's own words (several lines for field errors).
 */
last_error: string | null, 
/**
 * The error code of the last failure (`unreachable`, `remote`, `unauthorized`…).
 */
last_error_code: string | null, };

export type PushReport = { case_id: string, connector_name: string, external_id: string, external_title: string, external_url: string, 
/**
 * True when this push created the ticket (or adopted one a lost answer had created).
 */
created: boolean, 
/**
 * True when an earlier attempt's ticket was found and reused instead of creating another.
 */
adopted: boolean, comments_sent: number, 
/**
 * True when the push closed the case (the space closes cases by pushing).
 */
closed_case: boolean, };

export type PushOutcome = { "outcome": "sent", report: PushReport, } | { "outcome": "queued", item: OutboxItem, } | { "outcome": "failed", item: OutboxItem, };

export type CreatedAndPushed = { 
/**
 * The case as it is after the push (with its ticket, when sent).
 */
case: Case, push: PushOutcome, };

export type ChoiceField = { 
/**
 * Kibana's name, as a case's `connector.fields` holds it: `issueType`, `urgency`.
 */
name: string, 
/**
 * How the forms label it.
 */
label: string, 
/**
 * Where the connector's cached choices for it are.
 */
list: { [K in keyof ConnectorMetadata]: ConnectorMetadata[K] extends Choice[] ? K : never }[keyof ConnectorMetadata], 
/**
 * The system takes only a choice's value (an id), never the name a user typed.
 */
must_be_id: boolean, 
/**
 * Any value is accepted; the choices only suggest (Jira's parent: any issue key).
 */
free_text: boolean, 
/**
 * Several choices in one comma-separated value (Resilient's incident types), each checked
 * and resolved alone. Kept as text so a case's fields stay strings, as Kibana's are.
 */
multiple: boolean, 
/**
 * What the form shows for no choice: what the system then gets (`Not set`, or TheHive's
 * `Not set: AMBER`).
 */
unset: string, };

export type SwitchField = { 
/**
 * Kibana's name: `destIp`.
 */
name: string, label: string, };

export type JsonField = { 
/**
 * Kibana's name, as a case's `connector.fields` holds it.
 */
name: string, label: string, 
/**
 * Most keys one case may set.
 */
max_keys: number, 
/**
 * Keys Casebook itself sends (title, description, the case's mark…), refused here.
 */
reserved: Array<string>, };

export type SecretStoreKind = "os-keychain" | "encrypted-file";

export type SecretStoreStatus = { store: SecretStoreKind, 
/**
 * The encrypted file's path (whether or not it is in use).
 */
file_path: string, file_exists: boolean, 
/**
 * The file's passphrase was given this session.
 */
unlocked: boolean, 
/**
 * Why the OS keychain cannot be used now (the system's words), or `None` when it answers.
 */
keychain_problem: string | null, 
/**
 * How many secrets this database has (connectors and alert sources), wherever they are.
 */
secrets_in_use: number, };

export type SecretNotMoved = { 
/**
 * What the secret belongs to, as the user knows it ("Connector “SOC Jira”").
 */
label: string, reason: string, };

export type SecretStoreSwitch = { status: SecretStoreStatus, 
/**
 * How many secrets were moved into the new store.
 */
moved: number, 
/**
 * Those left in the old store: enter them again, or switch back to reach them.
 */
not_moved: Array<SecretNotMoved>, };

// Kibana's limits as the core enforces them (text is trimmed, then counted in characters).
export const MAX_TITLE_LENGTH = 160;
export const MAX_DESCRIPTION_LENGTH = 30000;
export const MAX_COMMENT_LENGTH = 30000;
export const MAX_TAGS_PER_CASE = 200;
export const MAX_LENGTH_PER_TAG = 256;
export const MAX_CATEGORY_LENGTH = 50;
export const MAX_ASSIGNEES_PER_CASE = 10;
export const MAX_CUSTOM_FIELDS_PER_CASE = 10;
export const MAX_CUSTOM_FIELD_KEY_LENGTH = 36;
export const MAX_CUSTOM_FIELD_LABEL_LENGTH = 50;
export const MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH = 160;
export const MAX_TEMPLATES_LENGTH = 10;
export const MAX_TEMPLATE_KEY_LENGTH = 36;
export const MAX_TEMPLATE_NAME_LENGTH = 50;
export const MAX_TEMPLATE_DESCRIPTION_LENGTH = 1000;
export const MAX_TAGS_PER_TEMPLATE = 10;
export const MAX_TEMPLATE_TAG_LENGTH = 50;
export const MAX_CASES_PER_PAGE = 100;
export const MAX_USER_ACTIONS_PER_PAGE = 100;
export const MAX_DOCS_PER_PAGE = 10000;
export const MAX_BULK_CASES = 100;
export const MAX_FILTER_VALUES = 100;
export const MAX_SPACE_NAME_LENGTH = 100;
export const MAX_USERNAME_LENGTH = 256;
export const MAX_SEARCH_LENGTH = 1000;
export const MAX_SAFE_INTEGER = 9007199254740991;
export const MAX_OBSERVABLES_PER_CASE = 50;
export const MAX_OBSERVABLES_CAP = 500;
export const MAX_CUSTOM_OBSERVABLE_TYPES = 10;
export const MAX_OBSERVABLE_TYPE_KEY_LENGTH = 36;
export const MAX_OBSERVABLE_TYPE_LABEL_LENGTH = 50;
export const MAX_OBSERVABLE_VALUE_LENGTH = 2048;
export const MAX_OBSERVABLE_DESCRIPTION_LENGTH = 1000;
export const MAX_ALERTS_PER_PAGE = 100;
export const MAX_CONNECTOR_NAME_LENGTH = 128;
export const MIN_ID_INTERVAL_MINUTES = 1;
export const MAX_ID_INTERVAL_MINUTES = 60;
export const MIN_PASSPHRASE_LENGTH = 12;

/**
 * Every error code a call can fail with: the core's own, then the adapters' transport codes
 * (`usage`: the CLI refused its arguments; `ipc`: the UI could not reach the core).
 */
export const ERROR_CODES = ["validation", "not_found", "conflict", "already_exists", "database_too_new", "not_a_casebook_database", "database_corrupt", "busy", "storage", "keychain_unavailable", "keychain_locked", "secrets_locked", "wrong_passphrase", "unreachable", "tls", "unauthorized", "forbidden", "remote", "needs_check", "usage", "ipc"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// A case's statuses and severities, in the order the UI lists them.
export const STATUSES: readonly Status[] = ["open", "in-progress", "closed"];
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

// The Analytics page: trend intervals, timing breakdowns, and the most buckets a trend may hold.
export const INTERVALS: readonly Interval[] = ["day", "week", "month"];
export const BREAKDOWNS: readonly Breakdown[] = ["severity", "assignee", "tag", "category", "connector"];
export const MAX_TREND_BUCKETS = 2000;

// Connectors: the systems, Kibana's connector type ids, and the fields of a case's connector.
export const CONNECTOR_KINDS: readonly ConnectorKind[] = ["jira", "servicenow-itsm", "servicenow-sir", "resilient", "swimlane", "thehive", "cases-webhook"];
export const CONNECTOR_KIND_LABEL: Record<ConnectorKind, string> = {
  "jira": "Jira",
  "servicenow-itsm": "ServiceNow ITSM",
  "servicenow-sir": "ServiceNow SecOps",
  "resilient": "IBM Resilient",
  "swimlane": "Swimlane",
  "thehive": "TheHive",
  "cases-webhook": "Webhook \u2013 Case Management",
};
/** Kibana's connector type id of each kind, as a case's `connector.type` holds it. */
export const KIBANA_CONNECTOR_TYPE: Record<ConnectorKind, string> = {
  "jira": ".jira",
  "servicenow-itsm": ".servicenow",
  "servicenow-sir": ".servicenow-sir",
  "resilient": ".resilient",
  "swimlane": ".swimlane",
  "thehive": ".thehive",
  "cases-webhook": ".cases-webhook",
};
/** The drop-downs of each system, in Kibana's order. */
export const CONNECTOR_CHOICE_FIELDS: Record<ConnectorKind, readonly ChoiceField[]> = {
  "jira": [
    {"name":"issueType","label":"Issue type","list":"issue_types","must_be_id":true,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"priority","label":"Priority","list":"priorities","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"parent","label":"Parent issue","list":"parents","must_be_id":false,"free_text":true,"multiple":false,"unset":"Not set"},
  ],
  "servicenow-itsm": [
    {"name":"urgency","label":"Urgency","list":"urgencies","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"severity","label":"Severity","list":"severities","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"impact","label":"Impact","list":"impacts","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"category","label":"Category","list":"categories","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"subcategory","label":"Subcategory","list":"subcategories","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
  ],
  "servicenow-sir": [
    {"name":"category","label":"Category","list":"categories","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"subcategory","label":"Subcategory","list":"subcategories","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
    {"name":"priority","label":"Priority","list":"priorities","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set"},
  ],
  "resilient": [
    {"name":"incidentTypes","label":"Incident type","list":"incident_types","must_be_id":true,"free_text":false,"multiple":true,"unset":"Not set"},
    {"name":"severityCode","label":"Severity","list":"severities","must_be_id":true,"free_text":false,"multiple":false,"unset":"Not set"},
  ],
  "swimlane": [
  ],
  "thehive": [
    {"name":"tlp","label":"TLP","list":"tlps","must_be_id":false,"free_text":false,"multiple":false,"unset":"Not set: AMBER"},
  ],
  "cases-webhook": [
  ],
};
/** The switches of each system that collect observables of the case's alerts into the ticket. */
export const CONNECTOR_SWITCHES: Record<ConnectorKind, readonly SwitchField[]> = {
  "jira": [
  ],
  "servicenow-itsm": [
  ],
  "servicenow-sir": [
    {"name":"destIp","label":"Destination IPs"},
    {"name":"sourceIp","label":"Source IPs"},
    {"name":"malwareHash","label":"Malware hashes"},
    {"name":"malwareUrl","label":"Malware URLs"},
  ],
  "resilient": [
  ],
  "swimlane": [
  ],
  "thehive": [
  ],
  "cases-webhook": [
  ],
};
/** Whether a system's ticket carries the case's status and severity (a closed case can then be pushed, to close it there). */
export const CONNECTOR_SENDS_STATUS: Record<ConnectorKind, boolean> = {
  "jira": false,
  "servicenow-itsm": false,
  "servicenow-sir": false,
  "resilient": false,
  "swimlane": true,
  "thehive": true,
  "cases-webhook": false,
};
/** The fields of each system holding a JSON object of its own fields (additional fields). */
export const CONNECTOR_JSON_FIELDS: Record<ConnectorKind, readonly JsonField[]> = {
  "jira": [
    {"name":"otherFields","label":"Additional fields (JSON)","max_keys":20,"reserved":["summary","description","project","issuetype","labels","priority","parent"]},
  ],
  "servicenow-itsm": [
    {"name":"additionalFields","label":"Additional fields (JSON)","max_keys":20,"reserved":["short_description","description","correlation_id","correlation_display","caller_id","opened_by","work_notes","urgency","severity","impact","category","subcategory","priority"]},
  ],
  "servicenow-sir": [
    {"name":"additionalFields","label":"Additional fields (JSON)","max_keys":20,"reserved":["short_description","description","correlation_id","correlation_display","caller_id","opened_by","work_notes","urgency","severity","impact","category","subcategory","priority"]},
  ],
  "resilient": [
    {"name":"additionalFields","label":"Additional fields (JSON)","max_keys":20,"reserved":["name","description","discovered_date","incident_type_ids","severity_code","casebook_case_id"]},
  ],
  "swimlane": [
  ],
  "thehive": [
  ],
  "cases-webhook": [
  ],
};

/** Kibana's eight built-in observable types, in its order. */
export const BUILTIN_OBSERVABLE_TYPES: readonly ObservableType[] = [
  {"key":"observable-type-ipv4","label":"IPv4"},
  {"key":"observable-type-ipv6","label":"IPv6"},
  {"key":"observable-type-url","label":"URL"},
  {"key":"observable-type-hostname","label":"Hostname"},
  {"key":"observable-type-file-hash","label":"File hash"},
  {"key":"observable-type-file-path","label":"File path"},
  {"key":"observable-type-email","label":"Email"},
  {"key":"observable-type-domain","label":"Domain"},
];

// The search grammar (crates/core/src/fts.rs).
/** What Rust's `char::is_whitespace` and `str::trim` count as white space. */
export const WHITESPACE_CHARS = "\u0009\u000a\u000b\u000c\u000d \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
export const SEARCH_CASE_NUMBER_PREFIX = "#";
export const SEARCH_PHRASE_QUOTE = "\"";
export const SEARCH_PREFIX_WILDCARD = "*";
