// Shared with build.rs through `include!`: tauri-build generates an `allow-<name>` permission
// for each, and `permissions/casebook.toml` grants them to the window. A command that is in
// `generate_handler!` but not here is refused at runtime ("not allowed"); the IPC tests
// check that each name here is both handled and allowed.

/// Every command the window may invoke, by its IPC name.
pub const COMMANDS: &[&str] = &[
    // cases.rs
    "list_spaces",
    "create_space",
    "find_cases",
    "case_stats",
    "get_case",
    "create_case",
    "update_cases",
    "delete_cases",
    "list_tags",
    "list_categories",
    "list_reporters",
    // comments.rs
    "list_comments",
    "add_comment",
    "edit_comment",
    "delete_comment",
    "find_activity",
    // settings.rs
    "get_configuration",
    "update_configuration",
    "profile",
    "set_profile",
    "list_users",
    "add_user",
    "remove_user",
    // drafts.rs
    "get_draft",
    "save_draft",
    "delete_draft",
    // ids.rs
    "assign_ids",
    "id_task_status",
    "set_id_interval",
    // alerts.rs
    "import_alerts",
    "cancel_alert_import",
    "list_alerts",
    "alert_overview",
    "get_alert",
    "remove_alerts",
    // alert_source.rs
    "get_alert_source",
    "set_alert_source",
    "remove_alert_source",
    "test_alert_source",
    "search_source_alerts",
    "attach_source_alerts",
    "sync_alert_statuses",
    // observables.rs
    "list_observables",
    "add_observable",
    "update_observable",
    "delete_observable",
    "observable_types",
    "similar_cases",
    // connectors.rs
    "list_connectors",
    "create_connector",
    "update_connector",
    "delete_connector",
    "test_connector",
    "refresh_connector_metadata",
    // push.rs
    "set_case_connector",
    "push_case",
    "list_outbox",
    "retry_push",
    "cancel_push",
];
