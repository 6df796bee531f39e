//! The API as a transport calls it: a command name and its JSON arguments, against a real file.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::*;

struct Book {
    api: Api,
    events: Arc<Mutex<Vec<(String, Value)>>>,
    dir: tempfile::TempDir,
}

fn book() -> Book {
    let dir = tempfile::tempdir().unwrap();
    let mut casebook = Casebook::open(dir.path().join("casebook.db")).unwrap();
    casebook.set_secrets(Arc::new(crate::secrets::MemorySecrets::new()));
    let events: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let sink = events.clone();
    let api = Api::new(
        casebook,
        IdTask::new(None, false),
        Arc::new(move |name, payload| {
            sink.lock().unwrap().push((name.to_string(), payload));
        }),
    );
    Book { api, events, dir }
}

#[tokio::test]
async fn a_case_created_by_name_is_found_by_name() {
    let b = book();
    let input = json!({"title": "Credential phishing wave", "tags": ["phishing"], "severity": "high"});
    let created = dispatch(&b.api, "create_case", json!({"space": "default", "input": input})).await.unwrap();
    assert_eq!(created["title"], "Credential phishing wave");
    let found = dispatch(&b.api, "find_cases", json!({"query": {"search": "phishing"}})).await.unwrap();
    assert_eq!(found["total"], 1, "{found}");
    let id = created["id"].as_str().unwrap();
    let page = dispatch(&b.api, "list_comments", json!({"caseId": id, "order": "asc", "page": 1, "perPage": 10}))
        .await
        .unwrap();
    assert_eq!(page, json!({"comments": [], "total": 0}));
}

#[tokio::test]
async fn refusals_come_back_as_the_one_error_shape() {
    let b = book();
    let long = "x".repeat(161);
    let err = dispatch(&b.api, "create_case", json!({"space": "default", "input": {"title": long}})).await.unwrap_err();
    assert_eq!((err.code.as_str(), err.field.as_deref()), ("validation", Some("title")), "{err:?}");
    let found = dispatch(&b.api, "find_cases", json!({"query": {}})).await.unwrap();
    assert_eq!(found["total"], 0, "a refused create writes nothing");

    let err = dispatch(&b.api, "drop_database", json!({})).await.unwrap_err();
    assert_eq!(err.code, "ipc");
    assert!(err.message.contains("drop_database"), "{err:?}");
    let err = dispatch(&b.api, "list_comments", json!({"case_id": "x"})).await.unwrap_err();
    assert_eq!(err.code, "ipc");
    assert!(err.message.contains("caseId"), "the message names the key the client must send: {err:?}");
}

#[tokio::test]
async fn a_nullable_argument_may_be_left_out_and_no_arguments_may_be_null() {
    let b = book();
    assert_eq!(dispatch(&b.api, "list_outbox", json!({})).await.unwrap(), json!([]));
    let spaces = dispatch(&b.api, "list_spaces", Value::Null).await.unwrap();
    assert_eq!(spaces[0]["name"], "default", "{spaces}");
}

#[tokio::test]
async fn an_import_reports_its_progress_as_events() {
    let b = book();
    let case =
        dispatch(&b.api, "create_case", json!({"space": "default", "input": {"title": "Beacon"}})).await.unwrap();
    let path = b.dir.path().join("alerts.ndjson");
    let alert = |n: u32| {
        json!({"_id": format!("a{n}"), "_index": ".alerts-security.alerts-default",
               "_source": {"@timestamp": "2026-11-27T10:00:00Z", "kibana.alert.rule.name": "Beacon",
                           "kibana.alert.rule.uuid": "r1", "kibana.alert.severity": "high"}})
        .to_string()
    };
    std::fs::write(&path, (0..3).map(alert).collect::<Vec<_>>().join("\n")).unwrap();
    let args = json!({"caseId": case["id"], "path": path, "importId": "imp-1"});
    let report = dispatch(&b.api, "import_alerts", args).await.unwrap();
    assert_eq!(report["attached"], 3, "{report}");
    let last = {
        let events = b.events.lock().unwrap();
        events.iter().rev().find(|(name, _)| name == alerts::IMPORT_PROGRESS_EVENT).cloned()
    };
    let (_, payload) = last.expect("a progress event");
    assert_eq!(payload["import_id"], "imp-1", "{payload}");
    // The import is over: there is nothing left to cancel.
    assert_eq!(dispatch(&b.api, "cancel_alert_import", json!({"importId": "imp-1"})).await.unwrap(), json!(false));
}

#[tokio::test]
async fn an_api_over_a_database_that_could_not_be_opened_answers_why() {
    let error = Error::NotCasebookDatabase { path: "notes.db".into(), reason: "no Casebook tables".into() };
    let api = Api::failed(&error, IdTask::new(None, false), Arc::new(|_, _| {}));
    let err = dispatch(&api, "list_spaces", json!({})).await.unwrap_err();
    assert_eq!(err.code, "not_a_casebook_database");
}

#[test]
fn every_command_is_named_once_and_has_a_signature() {
    let unique: std::collections::BTreeSet<_> = COMMANDS.iter().collect();
    assert_eq!(unique.len(), COMMANDS.len(), "a command is declared twice");
    let names: Vec<&str> = signatures().iter().map(|s| s.name).collect();
    assert_eq!(names, COMMANDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_created_in_the_app_gets_its_number_without_waiting_for_the_schedule() {
    use crate::background::{Jobs, Scheduler};
    let b = book();
    // An hour between scheduled passes, the first one an hour away too.
    let task = IdTask::new(Some(std::time::Duration::from_secs(3600)), true);
    let api = Api::new(b.api.book().unwrap(), task.clone(), Arc::new(|_, _| {}));
    let handle = Scheduler::start(&api.book().unwrap(), Jobs { ids: Some(task), ..Jobs::default() });

    let created =
        dispatch(&api, "create_case", json!({"space": "default", "input": {"title": "Numbered now"}})).await.unwrap();
    assert_eq!(created["incremental_id"], Value::Null, "numbering is a separate pass");
    let id = created["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let case = dispatch(&api, "get_case", json!({"space": "default", "reference": id})).await.unwrap();
        if case["incremental_id"] == json!(1) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still unnumbered: {case}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    handle.stop().await;
}
