//! Connectors and pushes to Jira through the core's `Casebook` API, against the fake Jira
//! (Cloud and Data Center): test connection, cached choices, create then update with only the
//! new comments, refused fields, and the token nowhere but the secret store. What happens when
//! Jira throttles, fails or loses an answer is in `push_jira_retries.rs`.

use std::sync::Arc;
use std::time::Duration;

use casebook_core::model::*;
use casebook_core::secrets::{MemorySecrets, SecretStore};
use casebook_core::{Casebook, push};
use serde_json::json;

use crate::alert_source::files_contain;
use crate::fake_jira::{FakeJira, Flavour, JiraAuth};
use crate::server::Reply;

pub(crate) const TOKEN: &str = "ATATT3xFfGF0-jira-token-5f1e";
const EMAIL: &str = "casey@example.com";

pub(crate) struct Book {
    pub dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    pub book: Casebook,
    pub secrets: Arc<MemorySecrets>,
}

impl Book {
    pub fn new() -> Book {
        // Retries come quickly in tests (the real first wait is 5 s).
        push::set_retry_base(Duration::from_millis(20));
        // And search is given 0.3 s, not a minute, to show a ticket a lost create made.
        push::set_unsure_create_wait(Duration::from_millis(300));
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("casebook.db");
        let mut book = Casebook::open(&path).expect("open");
        let secrets = Arc::new(MemorySecrets::new());
        book.set_secrets(secrets.clone());
        Book { dir, path, book, secrets }
    }

    /// The same database opened again, as after a restart of the app.
    pub fn reopen(self) -> Book {
        let Book { dir, path, book, secrets } = self;
        drop(book);
        let mut book = Casebook::open(&path).expect("reopen");
        book.set_secrets(secrets.clone());
        Book { dir, path, book, secrets }
    }

    pub fn case(&self, title: &str) -> Case {
        let input = CaseCreate {
            title: title.into(),
            description: "Beaconing from **WEB-01**\nto 203.0.113.9".into(),
            tags: vec!["phishing".into(), "wave 3".into()],
            ..Default::default()
        };
        self.book.create_case("default", &input).expect("create case")
    }

    pub fn get(&self, id: &str) -> Case {
        self.book.get_case(id).expect("get case")
    }
}

pub(crate) fn jira_input(url: &str) -> ConnectorInput {
    ConnectorInput {
        name: "SOC Jira".into(),
        url: url.into(),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "sec".into(),
            auth: ConnectorAuth::Basic,
            username: Some(EMAIL.into()),
        }),
        secret: Some(TOKEN.into()),
        secrets: None,
    }
}

pub(crate) fn cloud() -> FakeJira {
    FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN))
}

/// A case with the Jira connector chosen (priority High) and the choices fetched.
pub(crate) async fn ready(jira: &FakeJira, b: &Book) -> Case {
    b.book.create_connector("default", &jira_input(&jira.url())).expect("create connector");
    b.book.refresh_connector_metadata("default", "SOC Jira").await.expect("refresh");
    let case = b.case("Phishing wave Q3");
    b.book
        .set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"priority": "high"}))
        .expect("set connector")
}

pub(crate) fn sent(outcome: PushOutcome) -> PushReport {
    match outcome {
        PushOutcome::Sent { report } => report,
        other => panic!("expected the push to be sent: {other:?}"),
    }
}

pub(crate) fn queued(outcome: PushOutcome) -> OutboxItem {
    match outcome {
        PushOutcome::Queued { item } => item,
        other => panic!("expected the push to be queued: {other:?}"),
    }
}

/// Runs the outbox until it is empty (retries are due within milliseconds in tests).
pub(crate) async fn drain(b: &Book) -> Vec<PushOutcome> {
    let mut all = Vec::new();
    for _ in 0..200 {
        if b.book.outbox(None).expect("outbox").is_empty() {
            return all;
        }
        all.extend(b.book.run_due_pushes().await.expect("run"));
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the outbox never emptied: {:?}", b.book.outbox(None).expect("outbox"));
}

fn set_project(input: &mut ConnectorInput, key: &str) {
    if let ConnectorSettings::Jira(s) = &mut input.settings {
        s.project_key = key.into();
    }
}

#[tokio::test]
async fn the_token_goes_to_the_keychain_and_test_connection_names_the_project() {
    let jira = cloud();
    let b = Book::new();
    let c = b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    assert_eq!((c.settings.target(), c.secret_stored), ("project SEC".to_string(), true));
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(TOKEN));
    assert!(!serde_json::to_string(&c).unwrap().contains(TOKEN));
    let ok = b.book.test_connector("default", "SOC Jira").await.unwrap();
    assert_eq!(
        ok.message,
        format!("Connected to Jira at {}: project SEC (SEC Security Operations) is reachable.", jira.url())
    );
    let auth = jira.server.requests().last().unwrap().header("authorization").unwrap().to_string();
    assert!(auth.starts_with("Basic "), "{auth}");

    // A second connector of the same name, and bad input, change nothing.
    let e = b.book.create_connector("default", &jira_input(&jira.url())).unwrap_err();
    assert_eq!((e.code(), e.to_string().as_str()), ("already_exists", "connector already exists: SOC Jira"));
    let mut bad = jira_input(&jira.url());
    bad.name = "Other".into();
    set_project(&mut bad, "S E C");
    let e = b.book.create_connector("default", &bad).unwrap_err();
    assert!(e.to_string().starts_with("project_key: must be a Jira project key"), "{e}");
    set_project(&mut bad, "SEC");
    bad.url = "http://jira.example.com".into();
    assert_eq!(b.book.create_connector("default", &bad).unwrap_err().code(), "validation");
    assert_eq!(b.book.list_connectors("default").unwrap().len(), 1);

    // Edit without a secret keeps the stored one; the project must exist.
    let mut edit = jira_input(&jira.url());
    edit.secret = None;
    set_project(&mut edit, "NOPE");
    b.book.update_connector("default", "SOC Jira", &edit).unwrap();
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(TOKEN));
    let e = b.book.test_connector("default", "SOC Jira").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().contains("Jira project not found: NOPE at"), "{e}");

    // 401 and 403 are told apart, and neither quotes the token.
    set_project(&mut edit, "SEC");
    b.book.update_connector("default", "SOC Jira", &edit).unwrap();
    jira.set_auth(JiraAuth::basic(EMAIL, "rotated"));
    let e = b.book.test_connector("default", "SOC Jira").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("rejected the email and API token (401)"), "{e}");
    jira.set_auth(JiraAuth::basic(EMAIL, TOKEN));
    jira.set_forbidden(true);
    let e = b.book.test_connector("default", "SOC Jira").await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert!(!e.to_string().contains(TOKEN));

    // Deleting takes the secret out of the keychain too.
    b.book.delete_connector("default", "SOC Jira").unwrap();
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap(), None);
    assert!(!files_contain(b.dir.path(), TOKEN), "the token reached a file");
}

#[tokio::test]
async fn nothing_listening_is_unreachable_and_no_secret_stored_is_explained() {
    let b = Book::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    b.book.create_connector("default", &jira_input(&format!("http://127.0.0.1:{port}"))).unwrap();
    let e = b.book.test_connector("default", "SOC Jira").await.unwrap_err();
    assert_eq!(e.code(), "unreachable", "{e}");
    // A certificate the OS does not trust is a TLS error, not a retryable outage.
    let tls = crate::tls::SelfSignedTls::start();
    let mut over_tls = jira_input(&tls.url());
    over_tls.name = "TLS Jira".into();
    b.book.create_connector("default", &over_tls).unwrap();
    let e = b.book.test_connector("default", "TLS Jira").await.unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");
    assert!(e.to_string().contains("signed by an unknown authority"), "{e}");
    let c = b.book.connector("default", "SOC Jira").unwrap();
    b.secrets.delete(&format!("connector:{}", c.id)).unwrap();
    assert!(!b.book.connector("default", "SOC Jira").unwrap().secret_stored);
    let e = b.book.test_connector("default", "SOC Jira").await.unwrap_err();
    assert!(
        e.to_string()
            .contains("the keychain holds no API token, password or personal access token for connector \"SOC Jira\""),
        "{e}"
    );
}

#[tokio::test]
async fn choices_are_cached_and_fields_are_checked_against_them() {
    let jira = cloud();
    let b = Book::new();
    b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let c = b.book.refresh_connector_metadata("default", "SOC Jira").await.unwrap();
    let meta = c.metadata.expect("metadata");
    let labels = |l: &[Choice]| l.iter().map(|c| c.label.clone()).collect::<Vec<_>>();
    assert_eq!(labels(&meta.issue_types), ["Task", "Bug", "Sub-task"]);
    assert_eq!(labels(&meta.priorities), ["Highest", "High", "Medium", "Low", "Lowest"]);
    assert!(c.metadata_fetched_at.is_some());

    let case = b.case("Phishing");
    let e = b
        .book
        .set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"priority": "Urgent"}))
        .unwrap_err();
    assert!(
        e.to_string().starts_with(
            "fields.priority: \"Urgent\" is not offered by SOC Jira; choose one of: Highest, High, Medium, Low, Lowest"
        ),
        "{e}"
    );
    let e = b.book.set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"urgency": "1"})).unwrap_err();
    assert!(
        e.to_string().starts_with("fields.urgency: is not a Jira field; use one of issueType, priority, parent"),
        "{e}"
    );
    assert_eq!(b.get(&case.id).connector.connector_type, ".none", "a refused change changes nothing");
    let set =
        b.book.set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"issue_type": "Bug"})).unwrap();
    assert_eq!(set.connector.connector_type, ".jira");
    assert_eq!(set.connector.fields, Some(json!({"issueType": "10002"})));

    // Offline, the cached choices still serve the form.
    drop(jira);
    let again = b.book.connector("default", "SOC Jira").unwrap();
    assert_eq!(again.metadata.unwrap().issue_types.len(), 3);
}

/// `--field issueType=Task` on a connector whose choices were never fetched: the name is kept
/// on the case and sent as the type's id, found at push time; a name Jira does not offer is
/// refused before anything is created.
#[tokio::test]
async fn a_type_named_before_the_choices_were_fetched_is_sent_as_its_id() {
    let jira = cloud();
    let b = Book::new();
    b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let case = b.case("Phishing");
    let typed = json!({"issueType": "task", "priority": "highest"});
    let case = b.book.set_case_connector(&case.id, &case.version, Some("SOC Jira"), &typed).unwrap();
    assert_eq!(case.connector.fields, Some(typed), "kept as typed: nothing to check it against offline");

    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    let issue = jira.issue(&r.external_title).expect("issue");
    assert_eq!(issue.fields["issuetype"]["id"], "10001");
    assert_eq!(issue.fields["issuetype"]["name"], "Task");
    assert_eq!(issue.fields["priority"]["name"], "Highest");
    let created = jira.server.requests().into_iter().find(|r| r.method == "POST" && r.path == "/rest/api/2/issue");
    assert_eq!(created.expect("a create").json()["fields"]["issuetype"], json!({"id": "10001"}));
    // The choices fetched for the push serve the case form from now on.
    let c = b.book.connector("default", "SOC Jira").unwrap();
    assert_eq!(c.metadata.map(|m| m.issue_types.len()), Some(3));

    // A type the project does not offer, saved while no choices were cached: refused with the
    // choices, and no issue made.
    b.book
        .with_connection(|c| c.execute("UPDATE connectors SET metadata = NULL, metadata_at = NULL", []).map(|_| ()))
        .unwrap();
    let third = b.case("Spam");
    let third =
        b.book.set_case_connector(&third.id, &third.version, Some("SOC Jira"), &json!({"issueType": "Story"})).unwrap();
    let before = jira.issues().len();
    match b.book.push_case(&third.id, None).await.unwrap() {
        PushOutcome::Failed { item } => {
            let said = item.last_error.unwrap_or_default();
            assert!(
                said.starts_with(
                    "fields.issueType: \"Story\" is not offered by SOC Jira; choose one of: Task, Bug, Sub-task"
                ),
                "{said}"
            );
        }
        other => panic!("expected the push to be refused: {other:?}"),
    }
    assert_eq!(jira.issues().len(), before, "nothing was created");

    // Choices the account may not read: the name goes as a name, which Jira accepts, not as an id.
    b.book
        .with_connection(|c| c.execute("UPDATE connectors SET metadata = NULL, metadata_at = NULL", []).map(|_| ()))
        .unwrap();
    let fourth = b.case("Vishing");
    let fourth =
        b.book.set_case_connector(&fourth.id, &fourth.version, Some("SOC Jira"), &json!({"issueType": "bug"})).unwrap();
    jira.fail_next("GET", "/rest/api/2/search", vec![jira_403()]);
    jira.server.take_requests();
    let r = sent(b.book.push_case(&fourth.id, None).await.unwrap());
    assert_eq!(jira.issue(&r.external_title).unwrap().fields["issuetype"]["name"], "Bug");
    let created = jira.server.requests().into_iter().find(|r| r.method == "POST" && r.path == "/rest/api/2/issue");
    assert_eq!(created.expect("a create").json()["fields"]["issuetype"], json!({"name": "bug"}));
}

fn jira_403() -> Reply {
    Reply::json(
        403,
        &json!({"errorMessages": ["You do not have the permission to browse this project."], "errors": {}}),
    )
}

#[tokio::test]
async fn push_creates_then_updates_and_sends_each_comment_once() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    assert_eq!(case.push_state, PushState::NotPushed);
    b.book.add_comment(&case.id, "Blocked the sender").unwrap();

    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.created && !r.adopted);
    assert_eq!((r.external_title.as_str(), r.comments_sent), ("SEC-1", 1));
    assert_eq!(r.external_url, format!("{}/browse/SEC-1", jira.url()));
    let issue = jira.issue("SEC-1").expect("issue");
    assert_eq!(issue.fields["summary"], "Phishing wave Q3");
    let description = issue.fields["description"].as_str().unwrap();
    assert!(description.starts_with("Beaconing from **WEB-01**\nto 203.0.113.9\n\nAdded by "), "{description}");
    let labels = issue.fields["labels"].as_array().unwrap();
    for l in ["phishing", "wave-3", &format!("casebook-{}", case.id)] {
        assert!(labels.iter().any(|x| x == l), "{l} missing from {labels:?}");
    }
    assert_eq!(issue.fields["priority"]["name"], "High");
    assert_eq!(issue.fields["issuetype"]["name"], "Task", "no type chosen: the project's first");
    assert_eq!(issue.comments.len(), 1);
    assert!(issue.comments[0].starts_with("Blocked the sender\n\nAdded by "), "{:?}", issue.comments);

    let pushed = b.get(&case.id);
    assert_eq!(pushed.push_state, PushState::UpToDate);
    assert_eq!(pushed.pending_push, None);
    let ext = pushed.external_service.clone().expect("external service");
    assert_eq!((ext.external_title.as_str(), ext.connector_name.as_str()), ("SEC-1", "SOC Jira"));
    let activity = b.book.find_activity(&case.space, &case.id, &ActivityQuery::default()).unwrap();
    assert!(activity.user_actions.iter().any(|a| a.action_type == ActionType::Pushed));

    // A new comment makes the case require an update; the next push sends only that comment.
    b.book.add_comment(&case.id, "Reset the user's password").unwrap();
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(!r.created);
    assert_eq!(r.comments_sent, 1);
    let issue = jira.issue("SEC-1").unwrap();
    assert_eq!(issue.comments.len(), 2);
    assert!(issue.comments[1].starts_with("Reset the user's password"));
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
    // Each push record says whether it made the ticket: the feed words it from that alone.
    let q = ActivityQuery { types: vec![ActionType::Pushed], sort_order: SortOrder::Asc, ..Default::default() };
    let pushes = b.book.find_activity(&case.space, &case.id, &q).unwrap().user_actions;
    let created: Vec<_> = pushes.iter().map(|a| a.payload["created"].clone()).collect();
    assert_eq!(created, [json!(true), json!(false)]);

    // An edited title and an edited comment: the issue is updated, the comment sent again.
    let c = b.get(&case.id);
    let (comments, _) = b.book.list_comments(&case.id, SortOrder::Asc, 1, 20).unwrap();
    let first = &comments[0];
    b.book.edit_comment(&case.id, &first.id, &first.version, "Blocked the sender and the domain").unwrap();
    b.book
        .update_case(&CasePatch {
            id: c.id.clone(),
            version: c.version.clone(),
            title: Some("Phishing wave Q3 (contained)".into()),
            ..Default::default()
        })
        .unwrap();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(r.comments_sent, 1);
    let issue = jira.issue("SEC-1").unwrap();
    assert_eq!(issue.fields["summary"], "Phishing wave Q3 (contained)");
    assert_eq!(issue.comments.len(), 3);
    assert_eq!(jira.issues().len(), 1);
}

#[tokio::test]
async fn a_case_created_with_its_connector_is_checked_as_a_chosen_one_is_then_pushed() {
    let jira = cloud();
    let b = Book::new();
    ready(&jira, &b).await;
    let k = b.book.connector("default", "SOC Jira").unwrap();
    let with = |id: &str, kind: &str, fields: serde_json::Value| CaseCreate {
        title: "Created with its connector".into(),
        connector: Some(CaseConnector {
            id: id.into(),
            name: "SOC Jira".into(),
            connector_type: kind.into(),
            fields: Some(fields),
        }),
        ..Default::default()
    };
    let cases = || b.book.find_cases(&FindQuery { space: "default".into(), ..Default::default() }).unwrap().total;
    let before = cases();
    let refused = [
        (
            with(&k.id, ".jira", json!({"priority": "Urgent!!"})),
            "fields.priority: \"Urgent!!\" is not offered by SOC Jira",
        ),
        (with(&k.id, ".jira", json!({"urgency": "1"})), "fields.urgency: is not a Jira field"),
        (
            with(&k.id, ".servicenow", json!({})),
            "connector.type: SOC Jira is a Jira connector (.jira), not .servicenow",
        ),
        (
            with("no-such-connector", ".jira", json!({})),
            "connector.id: \"no-such-connector\" is not a connector of space default; add it under Settings",
        ),
    ];
    for (input, message) in refused {
        let e = b.book.create_case("default", &input).unwrap_err();
        assert!(e.to_string().starts_with(message), "{e}");
    }
    assert_eq!(cases(), before, "nothing was created");
    // "Create and push" without a connector is refused as a whole: no case, nothing queued.
    let bare = CaseCreate { title: "No connector".into(), ..Default::default() };
    let e = b.book.create_and_push("default", &bare).await.unwrap_err();
    assert!(e.to_string().starts_with("connector: the case has no connector"), "{e}");
    assert_eq!(cases(), before, "nothing was created");
    assert!(b.book.outbox(None).unwrap().is_empty(), "nothing was queued");

    // A label is taken for its value, as `set-connector` takes it; created and pushed in one
    // call, whose case already shows its ticket.
    let made = b.book.create_and_push("default", &with(&k.id, ".jira", json!({"priority": "high"}))).await.unwrap();
    let c = made.case;
    assert_eq!(c.connector.fields.as_ref().unwrap()["priority"], "High");
    assert!(sent(made.push).created);
    assert_eq!(c.external_service.as_ref().map(|x| x.external_title.as_str()), Some("SEC-1"));
    assert_eq!(c.push_state, PushState::UpToDate);
    assert_eq!(jira.issue("SEC-1").unwrap().fields["priority"]["name"], "High");

    // An update that sets the connector is checked the same way, and changes nothing when refused.
    let patch = CasePatch {
        id: c.id.clone(),
        version: b.get(&c.id).version,
        connector: Some(CaseConnector {
            id: k.id.clone(),
            name: k.name.clone(),
            connector_type: ".jira".into(),
            fields: Some(json!({"issueType": "Saga"})),
        }),
        ..Default::default()
    };
    let e = b.book.update_case(&patch).unwrap_err();
    assert!(e.to_string().starts_with("fields.issueType: \"Saga\" is not offered by SOC Jira"), "{e}");
    assert_eq!(b.get(&c.id).connector, c.connector);
}

#[tokio::test]
async fn alerts_are_announced_once_and_status_changes_do_not_require_an_update() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    let doc = |id: &str| (id.to_string(), None, json!({"kibana.alert.uuid": id, "kibana.alert.rule.name": "Beacon"}));
    b.book.attach_alert_documents(&case.id, &[doc("a1"), doc("a2")], AlertOrigin::File).unwrap();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(jira.issue("SEC-1").unwrap().comments, ["Elastic Security alerts attached to the case: 2"]);
    // Status, severity and assignees are not part of the ticket (Kibana's rule).
    let c = b.get(&case.id);
    let patch = CasePatch {
        id: c.id.clone(),
        version: c.version,
        status: Some(Status::InProgress),
        severity: Some(Severity::High),
        ..Default::default()
    };
    b.book.update_case(&patch).unwrap();
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
    b.book.attach_alert_documents(&case.id, &[doc("a3")], AlertOrigin::File).unwrap();
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate, "a new alert");
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let comments = jira.issue("SEC-1").unwrap().comments;
    assert_eq!(comments.last().map(String::as_str), Some("Elastic Security alerts attached to the case: 3"));
    assert_eq!(comments.len(), 2);

    // A case pushed to a connector that was deleted later keeps its link, not "requires update".
    b.book.add_comment(&case.id, "after").unwrap();
    b.book.delete_connector("default", "SOC Jira").unwrap();
    let gone = b.get(&case.id);
    assert!(gone.external_service.is_some());
    assert_eq!(gone.push_state, PushState::UpToDate);
}

#[tokio::test]
async fn a_space_that_closes_cases_by_pushing_closes_the_case_on_push() {
    let jira = cloud();
    let b = Book::new();
    let config = b.book.configuration("default").unwrap();
    let patch = ConfigurationPatch {
        version: config.version.clone(),
        closure_type: Some(ClosureType::CloseByPushing),
        ..Default::default()
    };
    b.book.update_configuration("default", &patch).unwrap();
    let case = ready(&jira, &b).await;
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.closed_case);
    let closed = b.get(&case.id);
    assert_eq!((closed.status, closed.push_state), (Status::Closed, PushState::UpToDate));
    assert!(closed.closed_at.is_some());
}

#[tokio::test]
async fn moving_a_connector_to_another_host_needs_the_secret_again() {
    let jira = cloud();
    let b = Book::new();
    b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let mut moved = jira_input("https://other.atlassian.net");
    moved.secret = None;
    let e = b.book.update_connector("default", "SOC Jira", &moved).unwrap_err();
    assert!(e.to_string().starts_with("secret: is required again when the URL moves to another host"), "{e}");
    assert_eq!(b.book.connector("default", "SOC Jira").unwrap().url, jira.url());
}

#[tokio::test]
async fn refused_fields_fail_with_jiras_words_and_wait_for_a_retry() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    let refusal = Reply::json(400, &json!({"errorMessages": [], "errors": {"customfield_10010": "Team is required."}}));
    jira.fail_next("POST", "/rest/api/2/issue", vec![refusal]);
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    assert_eq!(item.last_error_code.as_deref(), Some("remote"));
    assert!(item.last_error.as_deref().unwrap().contains("HTTP 400: customfield_10010: Team is required."), "{item:?}");
    assert_eq!(b.get(&case.id).pending_push, Some(OutboxState::Failed));
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "a refused push is not retried by itself");
    b.book.retry_push(item.id).unwrap();
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(jira.issues().len(), 1);

    // Cancelling a waiting push drops it and sends nothing.
    b.book.add_comment(&case.id, "later").unwrap();
    jira.fail_next("*", "/rest/api/2/issue", vec![Reply::status(503)]);
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    b.book.cancel_push(item.id).unwrap();
    assert!(b.book.outbox(None).unwrap().is_empty());
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    assert_eq!(jira.issues()[0].comments.len(), 0);
}

#[tokio::test]
async fn data_center_with_a_personal_access_token_finds_its_issue_with_the_old_search() {
    let pat = "NjY2MTE3OTk0ODk2OjdnQl-dc-pat";
    let jira = FakeJira::start(Flavour::DataCenter, "SEC", JiraAuth::Bearer(pat.into()));
    let b = Book::new();
    let mut input = jira_input(&jira.url());
    if let ConnectorSettings::Jira(s) = &mut input.settings {
        s.auth = ConnectorAuth::Pat;
        s.username = None;
    }
    input.secret = Some(pat.into());
    b.book.create_connector("default", &input).unwrap();
    b.book.test_connector("default", "SOC Jira").await.expect("test");
    let c = b.book.refresh_connector_metadata("default", "SOC Jira").await.expect("refresh");
    assert_eq!(c.metadata.unwrap().issue_types.len(), 3);
    let case = b.case("DC case");
    b.book.set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({})).unwrap();
    jira.drop_after_next_create();
    queued(b.book.push_case(&case.id, None).await.unwrap());
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted);
    assert_eq!(jira.issues().len(), 1);
    let auth = jira.server.requests().last().unwrap().header("authorization").unwrap().to_string();
    assert_eq!(auth, format!("Bearer {pat}"));
}

#[tokio::test]
async fn closed_cases_and_cases_without_a_connector_are_not_pushed() {
    let b = Book::new();
    let case = b.case("No connector");
    let e = b.book.request_push(&case.id, None).unwrap_err();
    assert!(e.to_string().starts_with("connector: the case has no connector"), "{e}");
    let closed = b
        .book
        .update_case(&CasePatch {
            id: case.id.clone(),
            version: case.version.clone(),
            status: Some(Status::Closed),
            ..Default::default()
        })
        .unwrap();
    b.book.create_connector("default", &jira_input("https://soc.atlassian.net")).unwrap();
    let e = b.book.request_push(&closed.id, Some("SOC Jira")).unwrap_err();
    assert!(e.to_string().starts_with("status: closed cases are not pushed"), "{e}");
    assert!(b.book.outbox(None).unwrap().is_empty());
}
