// Every command of Casebook's API, declared once: `module::name(argument: Type, …) -> Answer;`.
// The window calls them over Tauri IPC and `casebook serve --dev` answers them over HTTP; the
// argument names are the JSON keys both send, in camelCase (`case_id` is `caseId`); `///` lines
// become the TypeScript function's doc. `module::name` is the function in `api/<module>.rs`.
//
// From this table come (each a different `commands!` macro over the same `include!`):
// - here (api/mod.rs): `COMMANDS`, `dispatch` (the HTTP server's router) and `signatures`, from
//   which a test writes ui/src/lib/api/commands.ts (api/client_ts.rs);
// - in src-tauri: one `#[tauri::command]` per entry and their `generate_handler!`, the names
//   tauri-build turns into `allow-<name>` permissions (its build.rs), permissions/casebook.toml.
//
// Adding a command: its entry here, its function in `module` (`async fn(api: &Api, these
// arguments…) -> Answer<T>`), its `Casebook` method. Then
// `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core -p casebook-desktop generated`
// rewrites the two generated files.
//
// A `macro_rules!` table rather than tauri-specta: specta would need its own derive on every
// core type beside ts-rs, its Tauri integration is still a release candidate, it does not write
// the ACL permission set, and it could not route the HTTP server; this table is plain Rust.
//
// Only the table goes in this file: src-tauri's build.rs includes it with no types in scope.

commands! {
    // Spaces and cases
    cases::list_spaces() -> Vec<Space>;
    cases::create_space(name: String) -> Space;
    cases::find_cases(query: FindQuery) -> FindResult;
    cases::case_stats(query: FindQuery) -> CaseStats;
    /// Cases per severity for the query's filters, its severity filter aside.
    cases::severity_counts(query: FindQuery) -> SeverityCounts;
    /// `reference` is a case UUID or `#N`.
    cases::get_case(space: String, reference: String) -> Case;
    cases::create_case(space: String, input: CaseCreate) -> Case;
    /// Every check `create_case` makes, writing nothing: resolves when the case would be
    /// created, else rejects with the first refusal (its `field` names the input).
    cases::check_case_create(space: String, input: CaseCreate) -> ();
    /// Creates the case and queues its push to the case's connector in one transaction, then
    /// tries the push once; resolves with the case as it is after the push, and the outcome.
    push::create_and_push(space: String, input: CaseCreate) -> CreatedAndPushed;
    /// Every patched case must be in `space`; another space's case is `not_found`.
    cases::update_cases(space: String, patches: Vec<CasePatch>) -> Vec<Case>;
    cases::delete_cases(ids: Vec<String>) -> ();
    /// "Select all N matching cases": their number now, and the `snapshot` the bulk batches
    /// start from (the query's sort and page are ignored).
    cases::select_matching_cases(query: FindQuery) -> MatchingCases;
    /// One batch (in case-id order) of a change to the selected cases; pass the answer's `next`
    /// as `after` until it is null. A case edited since the snapshot is skipped, not overwritten.
    cases::bulk_update_matching(query: FindQuery, snapshot: String, after: Option<String>, change: BulkChange) -> BulkBatch;
    /// One batch of deleting the selected cases, as `bulk_update_matching`.
    cases::bulk_delete_matching(query: FindQuery, snapshot: String, after: Option<String>) -> BulkBatch;
    cases::list_tags(space: String) -> Vec<String>;
    /// The space's tags by name, each with its number of cases.
    cases::tag_counts(space: String) -> Vec<TagCount>;
    cases::list_categories(space: String) -> Vec<String>;
    cases::list_reporters(space: String) -> Vec<String>;

    // Analytics
    /// The Analytics page's figures for one space (or every space, `space` unset).
    analytics::case_metrics(query: MetricsQuery) -> Metrics;
    /// Writes cases, comments, activity or trend rows (Kibana's case analytics field names) to
    /// `path`, replaced once complete; resolves with the number of rows. Progress arrives as
    /// `export-progress` events.
    analytics::export_analytics(kind: ExportKind, format: ExportFormat, query: MetricsQuery, path: PathBuf) -> u64;
    /// Saves a chart as the PNG or SVG file `path` (a `data:` URL of that kind).
    analytics::save_chart(path: PathBuf, data_url: String) -> ();

    // Comments and activity
    comments::list_comments(case_id: String, order: SortOrder, page: u32, per_page: u32) -> CommentPage;
    comments::add_comment(case_id: String, body: String) -> Comment;
    comments::edit_comment(case_id: String, comment_id: String, version: String, body: String) -> Comment;
    comments::delete_comment(case_id: String, comment_id: String) -> ();
    comments::find_activity(space: String, case_id: String, query: ActivityQuery) -> ActivityPage;

    // Settings and people
    settings::get_configuration(space: String) -> CaseConfiguration;
    settings::update_configuration(space: String, patch: ConfigurationPatch) -> CaseConfiguration;
    settings::profile() -> User;
    /// Saving the profile also confirms it (see `profile_status`).
    settings::set_profile(input: UserInput) -> User;
    /// The profile, and whether the analyst has confirmed it: the app asks once on first start.
    settings::profile_status() -> ProfileStatus;
    settings::list_users() -> Vec<User>;
    settings::add_user(input: UserInput) -> User;
    settings::remove_user(username: String) -> ();

    // Secrets: the OS keychain, or the opt-in encrypted file beside the database
    secrets::secret_store_status() -> SecretStoreStatus;
    /// Gives the encrypted file's passphrase for this session (kept in the core's memory until
    /// the app quits); a wrong one rejects with `wrong_passphrase` and changes nothing.
    secrets::unlock_secrets(passphrase: String) -> SecretStoreStatus;
    /// Forgets the encrypted file's passphrase until it is given again.
    secrets::lock_secrets() -> SecretStoreStatus;
    /// Encrypts the secrets file again with the new passphrase; the old one must open it (`wrong_passphrase`).
    secrets::change_secrets_passphrase(old_passphrase: String, new_passphrase: String) -> SecretStoreStatus;
    /// Moves the secrets to `store`; `passphrase` opens the file, or creates it when there is none.
    secrets::set_secret_store(store: SecretStoreKind, passphrase: Option<String>) -> SecretStoreSwitch;

    // Drafts: unsent text, kept on disk beside the database (blank text removes it)
    drafts::get_draft(key: String) -> Option<String>;
    drafts::save_draft(key: String, body: String) -> ();
    drafts::delete_draft(key: String) -> ();

    // Case numbers
    /// One numbering pass now, over every space.
    ids::assign_ids() -> AssignReport;
    ids::id_task_status() -> IdTaskStatus;
    ids::set_id_interval(minutes: u32) -> IdTaskStatus;

    // Alerts
    /// Attaches the alerts of a file (NDJSON, JSON, CSV). Progress arrives as `alert-import-progress`
    /// events carrying `import_id` (lib/files.ts listens to them); a cancelled import resolves with
    /// `cancelled: true` and attaches nothing.
    alerts::import_alerts(case_id: String, path: PathBuf, import_id: String) -> AlertImportReport;
    /// Asks a running import to stop; false if it already ended.
    alerts::cancel_alert_import(import_id: String) -> bool;
    alerts::list_alerts(case_id: String, query: AlertListQuery) -> AlertPage;
    alerts::alert_overview(case_id: String) -> AlertOverview;
    alerts::get_alert(case_id: String, alert_id: String) -> AlertDetail;
    /// Detaches alerts from the case; resolves to how many were removed.
    alerts::remove_alerts(case_id: String, alert_ids: Vec<String>) -> u64;

    // Elasticsearch as a source of alerts (one per space; the API key lives in the OS keychain only)
    /// The space's source, or null when none is set. The API key itself is never returned.
    alert_source::get_alert_source(space: String) -> Option<AlertSource>;
    /// Saves the source; leave `api_key` out to keep the stored key (it is required the first time).
    alert_source::set_alert_source(space: String, input: AlertSourceInput) -> AlertSource;
    /// Forgets the source and deletes its API key from the keychain.
    alert_source::remove_alert_source(space: String) -> ();
    /// One cheap request to the cluster with the saved URL and key.
    alert_source::test_alert_source(space: String) -> ClusterInfo;
    /// A page of the space's Security alerts; pass the previous page's `next` as `search_after`.
    alert_source::search_source_alerts(space: String, query: AlertQuery) -> AlertSearchPage;
    /// Attaches hits of a search; they remember their index, so their status can be sent back.
    alert_source::attach_source_alerts(case_id: String, hits: Vec<AlertHit>) -> AlertImportReport;
    /// Sends the waiting alert statuses to Elasticsearch now (the app also does every 30 s).
    alert_source::sync_alert_statuses() -> StatusSyncReport;

    // Observables
    observables::list_observables(case_id: String) -> Vec<Observable>;
    observables::add_observable(case_id: String, input: ObservableInput) -> Observable;
    observables::update_observable(case_id: String, observable_id: String, input: ObservableInput) -> Observable;
    observables::delete_observable(case_id: String, observable_id: String) -> ();
    /// Extracted values the space's cap left out, best ranked first (most alerts, then the
    /// space's type priority).
    observables::left_out_observables(case_id: String, page: u32, per_page: u32) -> LeftOutPage;
    /// Moves a left-out value into the case; when it is full, the lowest ranked value extracted
    /// automatically makes room (and is left out in its turn).
    observables::promote_observable(case_id: String, type_key: String, value: String) -> Promotion;
    /// The eight built-in types, then the space's own.
    observables::observable_types(space: String) -> Vec<ObservableType>;
    /// Other cases of the space sharing an observable (same type and value) with this one.
    observables::similar_cases(case_id: String, page: u32, per_page: u32) -> SimilarCasesPage;

    // Connectors to Jira and ServiceNow, per space (the token or password lives in the OS keychain
    // only). `connector` is the connector's id or name.
    /// The space's connectors, by name; `secret_stored` says whether the keychain still holds the secret.
    connectors::list_connectors(space: String) -> Vec<Connector>;
    /// Creates a connector; `input.secret` is required and goes to the keychain.
    connectors::create_connector(space: String, input: ConnectorInput) -> Connector;
    /// Edits a connector; leave `secret` out to keep the stored one. The system (`kind`) cannot change.
    connectors::update_connector(space: String, connector: String, input: ConnectorInput) -> Connector;
    /// Deletes the connector and its secret; cases keep the links to their tickets.
    connectors::delete_connector(space: String, connector: String) -> ();
    /// One cheap request with the saved settings: URL, certificate, sign-in, project or table.
    connectors::test_connector(space: String, connector: String) -> ConnectionCheck;
    /// Fetches and keeps the case form's choices (issue types, priorities, categories…).
    connectors::refresh_connector_metadata(space: String, connector: String) -> Connector;
    /// The system's own fields (a Swimlane application's) for the settings `input` describes,
    /// before it is saved, to choose the field mappings from; nothing is stored. Without
    /// `input.secret`, `editing` (the connector being edited) lends its stored one.
    connectors::connector_fields_preview(space: String, editing: Option<String>, input: ConnectorInput) -> Vec<RemoteField>;
    /// The exact request a push of the case would send (`request`: create, update, comment, get or
    /// find), secrets masked as ••••; nothing is sent. Webhook – Case Management connectors only.
    connectors::preview_connector_request(space: String, connector: String, case_id: String, request: PreviewRequest) -> RequestPreview;

    // Pushing cases to the connectors (an outbox keeps what could not be sent yet)
    /// Chooses the case's connector (null clears it) and its fields (in Kibana's names: `issueType`,
    /// `priority`, `category`, `destIp`…), checked against the cached choices.
    push::set_case_connector(case_id: String, version: String, connector: Option<String>, fields: Value) -> Case;
    /// Pushes the case to its connector (or `connector`); may take seconds. Offline it resolves as queued.
    push::push_case(case_id: String, connector: Option<String>) -> PushOutcome;
    /// The pushes waiting (queued, sending or failed), of one space or of all (null).
    push::list_outbox(space: Option<String>) -> Vec<OutboxItem>;
    /// Sends a waiting or failed push now. `force`: after "needs your check" (a create whose answer
    /// was lost), the user checked the system and wants the create sent again.
    push::retry_push(id: i64, force: Option<bool>) -> PushOutcome;
    /// Drops a waiting or failed push from the outbox.
    push::cancel_push(id: i64) -> ();
}
