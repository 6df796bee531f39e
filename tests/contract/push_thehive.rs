//! Connectors and pushes to TheHive 5 through the core's `Casebook` API, against the fake
//! TheHive: Test connection with a harmless call (who the key belongs to, in which
//! organisation), the TLP levels offered without a request, cases created with Kibana's body
//! plus the status, updates, comments sent once, a lost create answer recovered by the case's
//! tag, throttling and failures retried from the outbox, and the key nowhere but the keychain.

use std::time::Duration;

use casebook_core::model::*;
use casebook_core::secrets::SecretStore;
use serde_json::{Value, json};

use crate::alert_source::files_contain;
use crate::fake_thehive::{FakeTheHive, LOGIN};
use crate::push_jira::{Book, drain, queued, sent};
use crate::server::{Reply, Request};

const KEY: &str = "hive-key-2b7e151628aed2a6";
const ORG: &str = "SOC";

fn input(url: &str, organisation: Option<&str>) -> ConnectorInput {
    ConnectorInput {
        name: "Hive".into(),
        url: url.into(),
        settings: ConnectorSettings::TheHive(TheHiveSettings { organisation: organisation.map(str::to_string) }),
        secret: Some(KEY.into()),
        secrets: None,
    }
}

fn hive() -> FakeTheHive {
    FakeTheHive::start(KEY, &[ORG, "CERT"])
}

/// A case with the TheHive connector chosen with `fields`.
fn ready(hive: &FakeTheHive, b: &Book, title: &str, fields: Value) -> Case {
    b.book.create_connector("default", &input(&hive.url(), Some(ORG))).expect("create connector");
    chosen(b, title, fields)
}

fn chosen(b: &Book, title: &str, fields: Value) -> Case {
    let case = b.case(title);
    b.book.set_case_connector(&case.id, &case.version, Some("Hive"), &fields).expect("set connector")
}

fn patch(b: &Book, id: &str, f: impl FnOnce(&mut CasePatch)) -> Case {
    let c = b.get(id);
    let mut p = CasePatch { id: c.id.clone(), version: c.version, ..Default::default() };
    f(&mut p);
    b.book.update_case(&p).expect("update case")
}

/// The requests TheHive got for `method path`, in order.
fn sent_to(hive: &FakeTheHive, method: &str, path: &str) -> Vec<Request> {
    hive.server.requests().into_iter().filter(|r| r.method == method && r.path == path).collect()
}

fn only_case(hive: &FakeTheHive) -> crate::fake_thehive::FakeCase {
    let cases = hive.cases();
    assert_eq!(cases.len(), 1, "exactly one TheHive case: {cases:?}");
    cases.into_iter().next().expect("one case")
}

#[tokio::test]
async fn the_key_goes_to_the_keychain_and_test_connection_says_who_and_where_without_making_a_case() {
    let hive = hive();
    let b = Book::new();
    let c = b.book.create_connector("default", &input(&hive.url(), Some(" SOC "))).unwrap();
    assert_eq!(c.settings, ConnectorSettings::TheHive(TheHiveSettings { organisation: Some(ORG.into()) }));
    assert_eq!((c.kind.as_str(), c.kind.kibana_type(), c.kind.label()), ("thehive", ".thehive", "TheHive"));
    assert_eq!((c.target.as_str(), c.secret_label.as_str()), ("organisation SOC", "API key"));
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(KEY));
    assert!(!serde_json::to_string(&c).unwrap().contains(KEY));
    // The TLP levels are TheHive's own: offered without "Refresh choices", and no request made.
    let tlps: Vec<(String, String)> =
        c.metadata.as_ref().expect("choices").tlps.iter().map(|t| (t.value.clone(), t.label.clone())).collect();
    let want = [("0", "CLEAR"), ("1", "GREEN"), ("2", "AMBER"), ("3", "AMBER+STRICT"), ("4", "RED")];
    assert_eq!(tlps, want.map(|(v, l)| (v.to_string(), l.to_string())));
    assert!(c.metadata_fetched_at.is_some());
    assert!(hive.server.requests().is_empty());
    let refreshed = b.book.refresh_connector_metadata("default", "Hive").await.unwrap();
    assert_eq!(refreshed.metadata, c.metadata);
    assert!(hive.server.requests().is_empty(), "the levels are known, not fetched");

    let ok = b.book.test_connector("default", "Hive").await.unwrap();
    assert_eq!(
        ok.message,
        format!("Connected to TheHive at {} as Casebook Integration ({LOGIN}) in organisation SOC.", hive.url())
    );
    let asked = hive.server.take_requests();
    assert_eq!(asked.len(), 1);
    assert_eq!((asked[0].method.as_str(), asked[0].path.as_str()), ("GET", "/api/v1/user/current"));
    assert_eq!(asked[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(asked[0].header("x-organisation"), Some(ORG));
    assert!(hive.cases().is_empty(), "testing made no case");

    // Another of the key's organisations, then none: no header, the user's default one.
    let mut edit = input(&hive.url(), Some("cert"));
    edit.secret = None;
    b.book.update_connector("default", "Hive", &edit).unwrap();
    let ok = b.book.test_connector("default", "Hive").await.unwrap();
    assert!(ok.message.ends_with("in organisation CERT."), "{}", ok.message);
    edit.settings = ConnectorSettings::TheHive(TheHiveSettings { organisation: Some("  ".into()) });
    let c = b.book.update_connector("default", "Hive", &edit).unwrap();
    assert_eq!(c.settings, ConnectorSettings::TheHive(TheHiveSettings { organisation: None }));
    assert_eq!(c.target, "the key's default organisation");
    assert!(c.metadata.is_some_and(|m| m.tlps.len() == 5), "an edit keeps the levels");
    let ok = b.book.test_connector("default", "Hive").await.unwrap();
    assert!(ok.message.ends_with("in organisation SOC."), "{}", ok.message);
    assert_eq!(hive.server.requests().last().unwrap().header("x-organisation"), None);

    // An organisation the key's user is not in: TheHive's words, and what to change.
    edit.settings = ConnectorSettings::TheHive(TheHiveSettings { organisation: Some("NOPE".into()) });
    b.book.update_connector("default", "Hive", &edit).unwrap();
    let e = b.book.test_connector("default", "Hive").await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert_eq!(
        e.to_string(),
        format!(
            "TheHive at {} refused the request (403): AuthorizationError: User {LOGIN} is not a member of the organisation NOPE. Check the organisation (NOPE) in the connector's settings, or leave it empty to use the user's default organisation.",
            hive.url()
        )
    );

    // A wrong key: 401, the key quoted nowhere.
    let mut wrong = input(&hive.url(), Some(ORG));
    wrong.secret = Some("not-the-key".into());
    b.book.update_connector("default", "Hive", &wrong).unwrap();
    let e = b.book.test_connector("default", "Hive").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().starts_with(&format!("TheHive at {} rejected the API key (401).", hive.url())), "{e}");
    assert!(!e.to_string().contains("not-the-key"));

    // A URL that is not TheHive 5's API.
    let other = crate::server::FakeServer::start();
    let mut elsewhere = input(&other.url(), Some(ORG));
    elsewhere.name = "Elsewhere".into();
    b.book.create_connector("default", &elsewhere).unwrap();
    let e = b.book.test_connector("default", "Elsewhere").await.unwrap_err();
    assert_eq!(e.code(), "not_found", "{e}");
    assert!(e.to_string().contains("check that the URL is TheHive 5's address"), "{e}");

    // A setting TheHive does not have, and an organisation that cannot be a header.
    let mut given = serde_json::Map::new();
    given.insert("org_id".into(), json!("201"));
    let e = ConnectorSettings::from_json(ConnectorKind::TheHive, given).unwrap_err();
    assert_eq!(e.to_string(), "org_id: is not a TheHive setting; its settings are organisation");
    let mut bad = input(&hive.url(), Some("SOC\u{7f}"));
    bad.name = "Bad".into();
    assert_eq!(b.book.create_connector("default", &bad).unwrap_err().code(), "validation");

    b.book.delete_connector("default", "Hive").unwrap();
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap(), None);
    assert!(!files_contain(b.dir.path(), KEY), "the key reached a file");
}

#[tokio::test]
async fn push_creates_the_case_kibana_creates_then_updates_it_and_sends_each_comment_once() {
    let hive = hive();
    let b = Book::new();
    // A TLP named as TheHive shows it: kept as its number.
    let case = ready(&hive, &b, "Phishing wave Q3", json!({"tlp": "red"}));
    assert_eq!(case.connector.fields, Some(json!({"tlp": "4"})));
    let case = patch(&b, &case.id, |p| p.severity = Some(Severity::High));
    b.book.add_comment(&case.id, "Blocked the sender").unwrap();

    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.created && !r.adopted);
    let made = only_case(&hive);
    assert_eq!(made.organisation, ORG);
    assert_eq!(r.external_id, made.id);
    assert_eq!(r.external_title, "#1 Phishing wave Q3", "TheHive's case number, then its title");
    assert_eq!(r.external_url, format!("{}/cases/{}/details", hive.url(), made.id));
    assert_eq!(r.comments_sent, 1);

    // Exactly Kibana's five fields (no status: the case is open, and TheHive makes it New).
    let creates = sent_to(&hive, "POST", "/api/v1/case");
    assert_eq!(creates.len(), 1);
    let body = creates[0].json();
    let description = body["description"].as_str().unwrap().to_string();
    assert!(description.starts_with("Beaconing from **WEB-01**\nto 203.0.113.9\n\nAdded by "), "{description}");
    assert_eq!(
        body,
        json!({
            "title": "Phishing wave Q3",
            "description": description,
            "severity": 3,
            "tlp": 4,
            "tags": ["phishing", "wave 3", format!("casebook-{}", case.id)],
        })
    );
    assert_eq!(creates[0].header("x-organisation"), Some(ORG));
    assert_eq!(creates[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(
        (&made.case["status"], &made.case["severityLabel"], &made.case["tlpLabel"]),
        (&json!("New"), &json!("HIGH"), &json!("RED"))
    );
    assert_eq!(made.comments.len(), 1);
    assert!(made.comments[0].starts_with("Blocked the sender\n\nAdded by "), "{:?}", made.comments);
    let c = b.get(&case.id);
    assert_eq!(c.push_state, PushState::UpToDate);
    assert_eq!(c.external_service.map(|x| x.external_title), Some("#1 Phishing wave Q3".into()));

    // A new comment requires an update; only that comment goes, with the case as it is.
    b.book.add_comment(&case.id, "Reset the user's password").unwrap();
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.created, r.comments_sent), (false, 1));
    let updates = sent_to(&hive, "PATCH", &format!("/api/v1/case/{}", made.id));
    assert_eq!(updates.len(), 1);
    let body = updates[0].json();
    assert_eq!(
        body,
        json!({
            "title": "Phishing wave Q3",
            "description": description,
            "severity": 3,
            "tlp": 4,
            "tags": ["phishing", "wave 3", format!("casebook-{}", case.id)],
            "status": "New",
        })
    );
    assert_eq!(hive.comments(&made.id).len(), 2);

    // An edited title and an edited comment: the case is updated, the comment sent again.
    let (comments, _) = b.book.list_comments(&case.id, SortOrder::Asc, 1, 20).unwrap();
    let first = &comments[0];
    b.book.edit_comment(&case.id, &first.id, &first.version, "Blocked the sender and the domain").unwrap();
    patch(&b, &case.id, |p| p.title = Some("Phishing wave Q3 (contained)".into()));
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.comments_sent, r.external_title.as_str()), (1, "#1 Phishing wave Q3 (contained)"));
    let now = only_case(&hive);
    assert_eq!(now.case["title"], "Phishing wave Q3 (contained)");
    assert_eq!(now.comments.len(), 3);
    assert!(now.comments[2].starts_with("Blocked the sender and the domain\n\nAdded by "), "{:?}", now.comments);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
}

#[tokio::test]
async fn without_a_tlp_a_case_is_amber_and_severities_map_as_kibana_maps_them() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Low and unlabelled", json!({}));
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    let body = sent_to(&hive, "POST", "/api/v1/case")[0].json();
    assert_eq!((&body["tlp"], &body["severity"]), (&json!(2), &json!(1)));
    assert_eq!(hive.case(&r.external_id).unwrap().case["tlpLabel"], "AMBER");
    for (severity, number) in [(Severity::Medium, 2), (Severity::High, 3), (Severity::Critical, 4)] {
        patch(&b, &case.id, |p| {
            p.severity = Some(severity);
            p.tags = Some(vec![format!("{number}")]); // a change that requires an update
        });
        sent(b.book.push_case(&case.id, None).await.unwrap());
        let last = sent_to(&hive, "PATCH", &format!("/api/v1/case/{}", r.external_id)).pop().unwrap().json();
        assert_eq!(last["severity"], number, "{severity:?}");
    }
    // A level TheHive does not have is refused before anything is sent.
    let e = b.book.set_case_connector(&case.id, &b.get(&case.id).version, Some("Hive"), &json!({"tlp": "WHITE"}));
    let e = e.unwrap_err().to_string();
    assert!(
        e.starts_with(
            "fields.tlp: \"WHITE\" is not offered by Hive; choose one of: CLEAR, GREEN, AMBER, AMBER+STRICT, RED"
        ),
        "{e}"
    );
}

/// Past Kibana: the status goes with every push, so a case worked on or closed in Casebook is
/// not left "New" in TheHive.
#[tokio::test]
async fn the_status_reaches_thehive_and_a_closed_case_is_closed_there() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Beacon on WS-0142", json!({"tlp": "1"}));
    let case = patch(&b, &case.id, |p| p.status = Some(Status::InProgress));
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    let body = sent_to(&hive, "POST", "/api/v1/case")[0].json();
    assert_eq!(body["status"], "InProgress", "a case that is not open says so at once");
    assert_eq!(hive.case(&r.external_id).unwrap().case["stage"], "InProgress");

    // A push that waits (TheHive unavailable), then the case is closed: the push that goes
    // closes the TheHive case, with TheHive's required impact and summary.
    b.book.add_comment(&case.id, "Reimaged WS-0142").unwrap();
    hive.fail_next("PATCH", "/api/v1/case/", vec![Reply::status(503)]);
    queued(b.book.push_case(&case.id, None).await.unwrap());
    patch(&b, &case.id, |p| p.status = Some(Status::Closed));
    drain(&b).await;
    let patched = sent_to(&hive, "PATCH", &format!("/api/v1/case/{}", r.external_id)).pop().unwrap().json();
    assert_eq!(
        (&patched["status"], &patched["impactStatus"], &patched["summary"]),
        (&json!("TruePositive"), &json!("NotApplicable"), &json!("Closed in Casebook."))
    );
    let closed = hive.case(&r.external_id).unwrap();
    assert_eq!((&closed.case["status"], &closed.case["stage"]), (&json!("TruePositive"), &json!("Closed")));
    assert_eq!(closed.comments.len(), 1);

    // Reopened: New again, and TheHive drops the closing details.
    patch(&b, &case.id, |p| {
        p.status = Some(Status::Open);
        p.title = Some("Beacon on WS-0142 (again)".into());
    });
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let reopened = hive.case(&r.external_id).unwrap();
    assert_eq!((&reopened.case["status"], &reopened.case["stage"]), (&json!("New"), &json!("New")));
    assert_eq!(reopened.case.get("impactStatus"), None);

    // The ticket carries status and severity: changing either makes it out of date, and a
    // case closed in Casebook is pushed (not refused, as for Jira) to close it in TheHive.
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
    patch(&b, &case.id, |p| p.severity = Some(Severity::Critical));
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(hive.case(&r.external_id).unwrap().case["severity"], json!(4));
    patch(&b, &case.id, |p| p.status = Some(Status::Closed));
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(hive.case(&r.external_id).unwrap().case["status"], json!("TruePositive"));
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
    assert_eq!(hive.cases().len(), 1);
}

#[tokio::test]
async fn a_space_that_closes_cases_by_pushing_closes_the_case_on_push() {
    let hive = hive();
    let b = Book::new();
    let config = b.book.configuration("default").unwrap();
    let close = ConfigurationPatch {
        version: config.version.clone(),
        closure_type: Some(ClosureType::CloseByPushing),
        ..Default::default()
    };
    b.book.update_configuration("default", &close).unwrap();
    let case = ready(&hive, &b, "Closed by pushing", json!({}));
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.closed_case);
    let closed = b.get(&case.id);
    assert_eq!((closed.status, closed.push_state), (Status::Closed, PushState::UpToDate));
    assert_eq!(hive.cases().len(), 1);
    // The same push closed it in TheHive: nothing is left for another.
    let there = hive.case(&r.external_id).unwrap();
    assert_eq!((&there.case["status"], &there.case["stage"]), (&json!("TruePositive"), &json!("Closed")));
}

#[tokio::test]
async fn throttling_waits_as_long_as_thehive_asks_then_sends() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Throttled", json!({}));
    hive.fail_next("POST", "/api/v1/case", vec![Reply::too_many_requests(1)]);
    let before = chrono::Utc::now();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((item.attempts, item.last_error_code.as_deref()), (1, Some("remote")));
    assert!(item.last_error.as_deref().unwrap().contains("HTTP 429"), "{item:?}");
    let due = item.next_attempt_at.expect("next attempt");
    assert!(due >= before + chrono::TimeDelta::milliseconds(1000), "Retry-After: 1 s was honoured ({due} vs {before})");
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "not due before Retry-After");
    assert!(hive.cases().is_empty());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(r.external_title, "#1 Throttled");
    assert_eq!(hive.cases().len(), 1);
    assert!(b.book.outbox(None).unwrap().is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_and_refusals_wait_with_thehives_words() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Flaky", json!({}));
    b.book.add_comment(&case.id, "First note").unwrap();
    let failing = Reply::json(500, &json!({"type": "InternalError", "message": "Database unavailable"}));
    hive.fail_next("POST", "/api/v1/case", vec![failing, Reply::status(502)]);
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert!(item.last_error.unwrap().contains("HTTP 500: InternalError: Database unavailable"));
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    assert_eq!(only_case(&hive).comments.len(), 1);

    // A refusal is not retried by itself, and says what TheHive said.
    b.book.add_comment(&case.id, "Second note").unwrap();
    let refusal = Reply::json(400, &json!({"type": "AttributeCheckingError", "message": "Invalid value for message"}));
    hive.fail_next("POST", "/api/v1/case/", vec![refusal]);
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    assert_eq!(item.last_error_code.as_deref(), Some("remote"));
    assert!(
        item.last_error.as_deref().unwrap().contains("HTTP 400: AttributeCheckingError: Invalid value for message"),
        "{item:?}"
    );
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "a refused push is not retried by itself");
    b.book.retry_push(item.id).unwrap();
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(only_case(&hive).comments.len(), 2);
}

#[tokio::test]
async fn a_lost_create_answer_is_recovered_by_the_case_tag_not_sent_twice() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Lost answer", json!({}));
    b.book.add_comment(&case.id, "Note").unwrap();
    hive.drop_after_next_create();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    assert_eq!(hive.cases().len(), 1, "TheHive made the case; Casebook never heard");
    hive.server.take_requests();
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted, "{report:?}");
    assert_eq!(report.external_title, "#1 Lost answer");
    let found = only_case(&hive);
    assert_eq!(report.external_id, found.id);
    assert_eq!(found.comments.len(), 1);
    // Found through the query API by the case's tag; no second create.
    let queries = sent_to(&hive, "POST", "/api/v1/query");
    assert_eq!(
        queries[0].json()["query"][1],
        json!({"_name": "filter", "_eq": {"_field": "tags", "_value": format!("casebook-{}", case.id)}})
    );
    assert!(sent_to(&hive, "POST", "/api/v1/case").is_empty());

    // Another organisation's case with the same tag is not this one's.
    let other = chosen(&b, "Same tag elsewhere", json!({}));
    let mut cert = input(&hive.url(), Some("CERT"));
    cert.name = "Hive CERT".into();
    b.book.create_connector("default", &cert).unwrap();
    sent(b.book.push_case(&other.id, Some("Hive")).await.unwrap());
    let r = sent(b.book.push_case(&other.id, Some("Hive CERT")).await.unwrap());
    assert!(r.created && !r.adopted, "{r:?}");
    assert_eq!(hive.cases().iter().filter(|c| c.organisation == "CERT").count(), 1);
}

#[tokio::test]
async fn a_slow_answer_is_waited_for() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Slow", json!({}));
    let slow = Reply::json(200, &json!([])).delayed(Duration::from_millis(1500));
    hive.fail_next("POST", "/api/v1/query", vec![slow]);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.created);
    assert_eq!(hive.cases().len(), 1);
}

#[tokio::test]
async fn a_key_echoed_by_thehive_is_kept_and_shown_nowhere() {
    let hive = hive();
    let b = Book::new();
    let case = ready(&hive, &b, "Echo", json!({}));
    let echo = json!({"type": "BadRequest", "message": format!("Unparseable header Authorization: Bearer {KEY}")});
    hive.fail_next("POST", "/api/v1/case", vec![Reply::json(400, &echo)]);
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    let said = item.last_error.unwrap();
    assert!(said.contains("HTTP 400: BadRequest: Unparseable header Authorization: Bearer [redacted]"), "{said}");
    hive.fail_next("GET", "/api/v1/user/current", vec![Reply::json(403, &echo)]);
    let e = b.book.test_connector("default", "Hive").await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "{e}");
    let activity = b.book.find_activity(&case.space, &case.id, &ActivityQuery::default()).unwrap();
    assert!(!serde_json::to_string(&activity.user_actions).unwrap().contains(KEY));
    assert!(!files_contain(b.dir.path(), KEY), "the key reached a file");
}
