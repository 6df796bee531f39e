//! The commands as the window calls them: through Tauri's IPC (MockRuntime, no display),
//! with the JSON argument keys the UI sends, against a real database file.

use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::{builder, commands::COMMANDS};
use casebook_core::Casebook;
use casebook_core::api::Api;
use casebook_core::background::{IdTask, Jobs};

struct Harness {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Harness {
    /// The IPC surface on a fresh database, with an ACL-free mock context.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("casebook.db");
        let app = builder(mock_builder()).build(mock_context(noop_assets())).unwrap();
        let mut book = Casebook::open(&path).unwrap();
        // Secrets in memory: the real keychain has its own test (scripts/test-keychain).
        book.set_secrets(std::sync::Arc::new(casebook_core::secrets::MemorySecrets::new()));
        // The schedule only: tests that want the thread start it themselves.
        app.manage(Api::new(book, IdTask::new(None, false), crate::state::events(app.handle().clone())));
        let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
        Harness { _app: app, window, _dir: dir, path }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.window, cmd, args)
    }
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        // The local origin on Linux; "http://tauri.localhost" counts as remote here.
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn a_case_created_through_ipc_is_found_through_ipc() {
    let h = Harness::new();
    let input = json!({"title": "Credential phishing wave", "description": "Reported by **HR**",
                       "tags": ["phishing", "okta"], "severity": "high"});
    let created = h.invoke("create_case", json!({"space": "default", "input": input})).unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["title"], "Credential phishing wave");

    let found = h.invoke("find_cases", json!({"query": {"space": "default", "tags": ["okta"]}})).unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["count_open_cases"], 1);
    assert_eq!(found["cases"][0]["id"], id);
    assert_eq!(found["cases"][0]["severity"], "high");

    let got = h.invoke("get_case", json!({"space": "default", "reference": id})).unwrap();
    assert_eq!(got["description"], "Reported by **HR**");
    let stats = h.invoke("case_stats", json!({"query": {"space": "default"}})).unwrap();
    assert_eq!(stats["count_open_cases"], 1);
    assert_eq!(h.invoke("list_tags", json!({"space": "default"})).unwrap(), json!(["okta", "phishing"]));
}

#[test]
fn a_validation_error_arrives_as_code_message_and_field() {
    let h = Harness::new();
    let title = "x".repeat(161);
    let err = h.invoke("create_case", json!({"space": "default", "input": {"title": title}})).unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("title") && message.contains("160"), "{message}");
    assert_eq!(err["field"], "title", "{err}");
    assert_eq!(err.as_object().unwrap().len(), 3, "code, message and field only: {err}");
    let found = h.invoke("find_cases", json!({"query": {}})).unwrap();
    assert_eq!(found["total"], 0, "nothing was written");
}

#[test]
fn comments_updates_activity_and_deletes_use_the_camel_case_keys() {
    let h = Harness::new();
    let case = h.invoke("create_case", json!({"space": "default", "input": {"title": "Beaconing host"}})).unwrap();
    let id = case["id"].as_str().unwrap();

    let comment = h.invoke("add_comment", json!({"caseId": id, "body": "Isolated the host."})).unwrap();
    let page = h.invoke("list_comments", json!({"caseId": id, "order": "asc", "page": 1, "perPage": 20})).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["comments"][0]["comment"], "Isolated the host.");
    let edited = h
        .invoke(
            "edit_comment",
            json!({"caseId": id, "commentId": comment["id"], "version": comment["version"], "body": "Isolated at 10:42."}),
        )
        .unwrap();
    assert_eq!(edited["comment"], "Isolated at 10:42.");

    let patch = json!([{"id": id, "version": case["version"], "status": "in-progress", "add_tags": ["triaged"]}]);
    let updated = h.invoke("update_cases", json!({"space": "default", "patches": patch})).unwrap();
    assert_eq!(updated[0]["status"], "in-progress");
    // The same (now stale) version again: conflict, as the UI must handle it.
    let stale = h.invoke("update_cases", json!({"space": "default", "patches": patch})).unwrap_err();
    assert_eq!(stale["code"], "conflict", "{stale}");
    // Arguments the command cannot parse are refused by Tauri before the core runs, as a plain
    // string rather than {code, message}; the UI's invoke wrapper has to normalise these.
    let bad = h.invoke("update_cases", json!({"space": "default", "patches": [{"id": id}]})).unwrap_err();
    assert!(bad.as_str().unwrap().contains("missing field `version`"), "{bad}");

    let activity =
        h.invoke("find_activity", json!({"space": "default", "caseId": id, "query": {"types": ["status"]}})).unwrap();
    assert_eq!(activity["total"], 1, "{activity}");

    assert_eq!(h.invoke("delete_comment", json!({"caseId": id, "commentId": comment["id"]})).unwrap(), Value::Null);
    assert_eq!(h.invoke("delete_cases", json!({"ids": [id]})).unwrap(), Value::Null);
    let missing = h.invoke("get_case", json!({"space": "default", "reference": id})).unwrap_err();
    assert_eq!(missing["code"], "not_found", "{missing}");
}

#[test]
fn spaces_settings_and_people() {
    let h = Harness::new();
    assert_eq!(h.invoke("create_space", json!({"name": "red-team"})).unwrap()["name"], "red-team");
    let again = h.invoke("create_space", json!({"name": "red-team"})).unwrap_err();
    assert_eq!(again["code"], "already_exists");
    let spaces = h.invoke("list_spaces", json!({})).unwrap();
    assert_eq!(spaces.as_array().unwrap().len(), 2, "{spaces}");

    let config = h.invoke("get_configuration", json!({"space": "red-team"})).unwrap();
    assert!(config.is_object(), "{config}");
    let patch = json!({"version": config["version"], "closure_type": "close-by-pushing"});
    let updated = h.invoke("update_configuration", json!({"space": "red-team", "patch": patch})).unwrap();
    assert_eq!(updated["closure_type"], "close-by-pushing", "{updated}");

    let me = h.invoke("set_profile", json!({"input": {"username": "ana", "full_name": "Ana Lytic"}})).unwrap();
    assert_eq!(me["full_name"], "Ana Lytic");
    assert_eq!(h.invoke("profile", json!({})).unwrap()["username"], "ana");
    h.invoke("add_user", json!({"input": {"username": "bob"}})).unwrap();
    assert!(h.invoke("list_users", json!({})).unwrap().to_string().contains("\"bob\""));
    assert_eq!(h.invoke("remove_user", json!({"username": "bob"})).unwrap(), Value::Null);
    assert_eq!(h.invoke("list_categories", json!({"space": "red-team"})).unwrap(), json!([]));
    assert_eq!(h.invoke("list_reporters", json!({"space": "red-team"})).unwrap(), json!([]));
}

#[test]
fn drafts_are_kept_beside_the_database_and_do_not_count_as_database_changes() {
    let h = Harness::new();
    let before = h.path.metadata().unwrap().modified().unwrap();
    assert_eq!(h.invoke("get_draft", json!({"key": "comment.abc"})).unwrap(), Value::Null);
    h.invoke("save_draft", json!({"key": "comment.abc", "body": "half a thought"})).unwrap();
    assert_eq!(h.invoke("get_draft", json!({"key": "comment.abc"})).unwrap(), json!("half a thought"));
    assert!(h.path.with_file_name("casebook.db.drafts").join("comment.abc.draft").is_file());
    assert_eq!(h.path.metadata().unwrap().modified().unwrap(), before, "the database file was written");
    h.invoke("delete_draft", json!({"key": "comment.abc"})).unwrap();
    assert_eq!(h.invoke("get_draft", json!({"key": "comment.abc"})).unwrap(), Value::Null);
    let bad = h.invoke("save_draft", json!({"key": "../escape", "body": "x"})).unwrap_err();
    assert_eq!(bad["code"], "validation", "{bad}");
}

#[test]
fn a_database_that_cannot_be_opened_is_reported_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "these are my notes, not a database").unwrap();
    let error = Casebook::open(&path).unwrap_err();
    let app = builder(mock_builder()).build(mock_context(noop_assets())).unwrap();
    app.manage(Api::failed(&error, IdTask::new(None, false), crate::state::events(app.handle().clone())));
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    for (cmd, args) in [("list_spaces", json!({})), ("find_cases", json!({"query": {}}))] {
        let err = invoke(&window, cmd, args).unwrap_err();
        assert_eq!(err["code"], "not_a_casebook_database", "{err}");
        assert!(err["message"].as_str().unwrap().contains("notes.db"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "these are my notes, not a database");
}

/// With the app's real tauri.conf.json and capabilities/main.json: every command of the table
/// (COMMANDS, whose names build.rs gives tauri-build and generated.rs writes into
/// permissions/casebook.toml) is handled and allowed for the "main" window, and the opener only
/// accepts https URLs.
#[test]
fn the_main_window_capability_allows_exactly_the_app_commands() {
    let dir = tempfile::tempdir().unwrap();
    let app = builder(mock_builder())
        .plugin(tauri_plugin_opener::init())
        .build(tauri::generate_context!(test = true))
        .unwrap();
    let book = Casebook::open(dir.path().join("c.db")).unwrap();
    app.manage(Api::new(book, IdTask::new(None, false), crate::state::events(app.handle().clone())));
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap(),
    };
    // Every name once (the count is the table's; adding a command changes nothing here).
    let unique: std::collections::BTreeSet<_> = COMMANDS.iter().collect();
    assert_eq!(unique.len(), COMMANDS.len(), "a command is declared twice");
    assert!(COMMANDS.contains(&"create_and_push") && COMMANDS.contains(&"find_cases"));
    for cmd in COMMANDS {
        if let Err(e) = invoke(&window, cmd, json!({})) {
            // Commands with arguments fail on the missing ones; that is past the ACL.
            let text = e.to_string();
            assert!(!text.contains("not allowed") && !text.contains("not found"), "{cmd}: {text}");
        }
    }
    let unknown = invoke(&window, "drop_database", json!({})).unwrap_err().to_string();
    assert!(unknown.contains("not allowed"), "{unknown}");
    let path = invoke(&window, "plugin:opener|open_path", json!({"path": "/etc/passwd"})).unwrap_err();
    assert!(path.to_string().contains("not allowed"), "{path}");
    for url in ["http://jira.example.org/browse/SEC-1", "file:///etc/passwd", "javascript:alert(1)"] {
        let refused = invoke(&window, "plugin:opener|open_url", json!({"url": url})).unwrap_err();
        assert!(refused.to_string().contains("Not allowed to open url"), "{url}: {refused}");
    }
}

/// The generated client sends each argument under the table's name in camelCase: Tauri asks for
/// the first one under that very key.
#[test]
fn every_command_reads_its_first_argument_under_the_generated_clients_key() {
    let h = Harness::new();
    for command in casebook_core::api::signatures() {
        let Some((name, ts)) = command.args.first() else { continue };
        if ts.ends_with(" | null") {
            continue; // A missing key is `None`.
        }
        let key = casebook_core::api::camel(name);
        let err = h.invoke(command.name, json!({})).unwrap_err().to_string();
        assert!(err.contains(&format!("missing required key {key}")), "{}: {err}", command.name);
    }
}

#[test]
fn a_commit_from_another_connection_emits_db_changed() {
    let h = Harness::new();
    let (tx, rx) = std::sync::mpsc::channel();
    h.window.app_handle().listen_any(crate::watch::DB_CHANGED, move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    let book = Casebook::open(&h.path).unwrap();
    let hook = crate::watch::hook(h.window.app_handle().clone());
    let background = crate::Background::default();
    background.start(&book, Jobs { watch: Some((std::time::Duration::from_millis(20), hook)), ..Jobs::default() });
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(rx.try_recv().is_err(), "no event before any change");

    // As the `casebook` CLI would: its own connection to the same file.
    let cli = Casebook::open(&h.path).unwrap();
    cli.create_case("default", &casebook_core::CaseCreate { title: "from the CLI".into(), ..Default::default() })
        .unwrap();
    let payload = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("db-changed within 5 s");
    assert_eq!(payload, "null");
    background.stop();
}

#[test]
fn assign_ids_numbers_cases_in_creation_order_and_reports_how_many() {
    let h = Harness::new();
    let mut ids = Vec::new();
    for title in ["first", "second", "third"] {
        let case = h.invoke("create_case", json!({"space": "default", "input": {"title": title}})).unwrap();
        assert_eq!(case["incremental_id"], Value::Null, "{case}");
        ids.push(case["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(h.invoke("assign_ids", json!({})).unwrap(), json!({"assigned": 3}));
    for (n, id) in ids.iter().enumerate() {
        let case = h.invoke("get_case", json!({"space": "default", "reference": id})).unwrap();
        assert_eq!(case["incremental_id"], n + 1, "{case}");
    }
    let second = h.invoke("get_case", json!({"space": "default", "reference": "#2"})).unwrap();
    assert_eq!(second["title"], "second");
    assert_eq!(h.invoke("assign_ids", json!({})).unwrap(), json!({"assigned": 0}));
    let status = h.invoke("id_task_status", json!({})).unwrap();
    assert_eq!(status["last_assigned"], 0, "{status}");
    assert!(status["last_run_at"].is_string(), "{status}");
}

#[test]
fn the_numbering_interval_is_validated_saved_and_reported() {
    let h = Harness::new();
    let status = h.invoke("id_task_status", json!({})).unwrap();
    let keys: Vec<&str> = status.as_object().unwrap().keys().map(String::as_str).collect();
    // The shape of the core's IdTaskStatus (generated into ui/src/lib/api/bindings.ts).
    assert_eq!(
        keys,
        [
            "from_env",
            "interval_minutes",
            "interval_seconds",
            "last_assigned",
            "last_run_at",
            "next_run_at",
            "setting_minutes"
        ]
    );
    assert_eq!((status["interval_minutes"].as_u64(), status["from_env"].as_bool()), (Some(10), Some(false)));
    assert_eq!(status["last_run_at"], Value::Null);
    chrono::DateTime::parse_from_rfc3339(status["next_run_at"].as_str().unwrap()).unwrap();

    let set = h.invoke("set_id_interval", json!({"minutes": 25})).unwrap();
    assert_eq!((set["interval_minutes"].as_u64(), set["setting_minutes"].as_u64()), (Some(25), Some(25)));
    for bad in [0, 61] {
        let err = h.invoke("set_id_interval", json!({"minutes": bad})).unwrap_err();
        assert_eq!(err["code"], "validation", "{err}");
        assert!(err["message"].as_str().unwrap().starts_with("interval: "), "{err}");
    }
    // As `casebook ids interval 40` would, from another connection: the status reads it.
    Casebook::open(&h.path).unwrap().set_id_interval_minutes(40).unwrap();
    assert_eq!(h.invoke("id_task_status", json!({})).unwrap()["interval_minutes"], 40);
}

#[test]
fn the_background_task_numbers_new_cases_by_itself() {
    let h = Harness::new();
    let book = Casebook::open(&h.path).unwrap();
    book.create_case("default", &casebook_core::CaseCreate { title: "waiting".into(), ..Default::default() }).unwrap();
    let task = IdTask::new(Some(std::time::Duration::from_secs(1)), true);
    let background = crate::Background::default();
    background.start(&book, Jobs { ids: Some(task.clone()), ..Jobs::default() });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found = h.invoke("get_case", json!({"space": "default", "reference": "#1"}));
        if let Ok(case) = found {
            assert_eq!(case["title"], "waiting");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no number after 10 s");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // A case created later is numbered by a later pass: the task keeps running.
    book.create_case("default", &casebook_core::CaseCreate { title: "later".into(), ..Default::default() }).unwrap();
    while h.invoke("get_case", json!({"space": "default", "reference": "#2"})).is_err() {
        assert!(std::time::Instant::now() < deadline, "the second case got no number");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = task.status();
    assert_eq!(status.last_assigned, Some(1), "{status:?}");
    background.stop();
}

#[test]
fn a_connector_secret_goes_in_and_never_comes_back_and_an_offline_push_waits_in_the_outbox() {
    let h = Harness::new();
    let secret = "ATATT-ipc-secret-7731";
    // Nothing listens on this port: the push cannot reach Jira.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let input = json!({"name": "SOC Jira", "url": format!("http://127.0.0.1:{port}"),
                       "settings": {"kind": "jira", "project_key": "SEC", "username": "casey@example.com"},
                       "secret": secret});
    let created = h.invoke("create_connector", json!({"space": "default", "input": input})).unwrap();
    assert_eq!((created["secret_stored"].as_bool(), created["kind"].as_str()), (Some(true), Some("jira")));
    let listed = h.invoke("list_connectors", json!({"space": "default"})).unwrap();
    for answer in [&created, &listed] {
        assert!(!answer.to_string().contains(secret), "{answer}");
    }
    let bad = h
        .invoke(
            "create_connector",
            json!({"space": "default", "input": {"name": "x", "url": "https://x.atlassian.net", "settings": {"kind": "jira"}}}),
        )
        .unwrap_err();
    assert_eq!(bad["code"], "validation");
    assert!(bad["message"].as_str().unwrap().starts_with("project_key: is required"), "{bad}");

    let case = h.invoke("create_case", json!({"space": "default", "input": {"title": "offline"}})).unwrap();
    let case = h
        .invoke(
            "set_case_connector",
            json!({"caseId": case["id"], "version": case["version"], "connector": "SOC Jira", "fields": {"priority": "High"}}),
        )
        .unwrap();
    assert_eq!(case["connector"]["type"], ".jira");
    let outcome = h.invoke("push_case", json!({"caseId": case["id"], "connector": null})).unwrap();
    assert_eq!(outcome["outcome"], "queued", "{outcome}");
    assert_eq!(outcome["item"]["last_error_code"], "unreachable", "{outcome}");
    assert!(!outcome.to_string().contains(secret));
    let outbox = h.invoke("list_outbox", json!({"space": "default"})).unwrap();
    assert_eq!(outbox.as_array().unwrap().len(), 1);
    let seen = h.invoke("get_case", json!({"space": "default", "reference": case["id"]})).unwrap();
    assert_eq!((seen["pending_push"].as_str(), seen["push_state"].as_str()), (Some("queued"), Some("not_pushed")));
    h.invoke("cancel_push", json!({"id": outbox[0]["id"]})).unwrap();
    assert_eq!(h.invoke("list_outbox", json!({"space": null})).unwrap(), json!([]));
    h.invoke("delete_connector", json!({"space": "default", "connector": "SOC Jira"})).unwrap();
}
