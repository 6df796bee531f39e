//! Connectors and pushes to Swimlane through the core's `Casebook` API, against the fake
//! Swimlane: the application's fields read before the connector is saved, test connection,
//! records created and updated with values typed as their fields are (numbers for numeric
//! fields, a values-list choice for the status), rich-text comments sent once, a push refused
//! before anything is sent while the case-id or comments field is not mapped, and throttling,
//! server errors, slow and lost answers that never make a second record.

use std::time::Duration;

use casebook_core::model::*;
use casebook_core::secrets::SecretStore;
use serde_json::{Value, json};

use crate::alert_source::files_contain;
use crate::fake_swimlane::*;
use crate::push_jira::{Book, drain, queued, sent};
use crate::server::Reply;

const APP: &str = "aBcD3fGh1JkLmN0pQ";
const TOKEN: &str = "sw-pat-6c2e91d0f4-secret";
const NAME: &str = "SOC Swimlane";

fn mapped() -> SwimlaneMappings {
    SwimlaneMappings {
        case_id: Some(CASE_ID_FIELD.into()),
        name: Some(CASE_NAME_FIELD.into()),
        description: Some(DESCRIPTION_FIELD.into()),
        severity: Some(PRIORITY_SCORE_FIELD.into()),
        status: Some(STATUS_FIELD.into()),
        comments: Some(COMMENTS_FIELD.into()),
    }
}

fn input(url: &str, mappings: SwimlaneMappings) -> ConnectorInput {
    ConnectorInput {
        name: NAME.into(),
        url: url.into(),
        settings: ConnectorSettings::Swimlane(SwimlaneSettings { app_id: APP.into(), mappings }),
        secret: Some(TOKEN.into()),
        secrets: None,
    }
}

fn start() -> FakeSwimlane {
    FakeSwimlane::start(APP, TOKEN)
}

/// A connector with every mapping, and a case that uses it.
fn ready(sw: &FakeSwimlane, b: &Book) -> Case {
    b.book.create_connector("default", &input(&sw.url(), mapped())).expect("create connector");
    let case = b.case("Phishing wave Q3");
    b.book.set_case_connector(&case.id, &case.version, Some(NAME), &json!({})).expect("set connector")
}

fn record_posts(sw: &FakeSwimlane) -> usize {
    sw.server.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with("/record")).count()
}

#[tokio::test]
async fn fields_are_read_before_saving_and_the_token_stays_in_the_keychain() {
    let sw = start();
    let b = Book::new();
    // The form's "Load fields": the typed token is used, nothing is stored.
    let fields = b.book.preview_connector_fields("default", None, &input(&sw.url(), Default::default())).await.unwrap();
    let ids: Vec<(&str, &str)> = fields.iter().map(|f| (f.id.as_str(), f.field_type.as_str())).collect();
    assert!(ids.contains(&(COMMENTS_FIELD, "comments")) && ids.contains(&(PRIORITY_SCORE_FIELD, "numeric")), "{ids:?}");
    let status = fields.iter().find(|f| f.id == STATUS_FIELD).unwrap();
    assert_eq!(status.values.iter().map(|v| v.label.as_str()).collect::<Vec<_>>(), STATUSES);
    assert!(fields.iter().find(|f| f.id == TRACKING_FIELD).unwrap().read_only);
    assert!(!serde_json::to_string(&fields).unwrap().contains(TOKEN));
    assert!(b.book.list_connectors("default").unwrap().is_empty());
    assert_eq!(sw.server.requests()[0].header("private-token"), Some(TOKEN));
    let mut wrong = input(&sw.url(), Default::default());
    wrong.secret = Some("nope".into());
    let e = b.book.preview_connector_fields("default", None, &wrong).await.unwrap_err();
    assert_eq!(e.code(), "unauthorized", "{e}");
    wrong.secret = None;
    let e = b.book.preview_connector_fields("default", None, &wrong).await.unwrap_err();
    assert_eq!(e.to_string(), "secret: is required to read the fields: the API token");

    let c = b.book.create_connector("default", &input(&sw.url(), mapped())).unwrap();
    assert_eq!(
        (c.target.as_str(), c.secret_label.as_str(), c.secret_stored),
        ("application aBcD3fGh1JkLmN0pQ", "API token", true)
    );
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(TOKEN));
    assert!(!serde_json::to_string(&b.book.list_connectors("default").unwrap()).unwrap().contains(TOKEN));
    // Editing: the stored token reads the fields for the same host only.
    let mut edit = input(&sw.url(), mapped());
    edit.secret = None;
    let again = b.book.preview_connector_fields("default", Some(NAME), &edit).await.unwrap();
    assert_eq!(again, fields);
    edit.url = "https://elsewhere.example".into();
    let e = b.book.preview_connector_fields("default", Some(NAME), &edit).await.unwrap_err();
    assert!(e.to_string().starts_with("secret: is required again when the URL moves"), "{e}");

    // "Refresh choices" keeps them for the form.
    let c = b.book.refresh_connector_metadata("default", NAME).await.unwrap();
    assert_eq!(c.metadata.unwrap().fields, fields);
    assert!(!files_contain(b.dir.path(), TOKEN), "the token reached a file");
}

#[tokio::test]
async fn test_connection_names_the_application_and_tells_401_403_and_a_wrong_app_apart() {
    let sw = start();
    let b = Book::new();
    let mut partial = input(&format!("{}/api", sw.url()), Default::default());
    b.book.create_connector("default", &partial).unwrap();
    let ok = b.book.test_connector("default", NAME).await.unwrap();
    assert_eq!(
        ok.message,
        format!(
            "Connected to Swimlane at {}/api: application Casebook Incidents (CBI) is reachable, with 10 fields. Map the case id and comments fields before pushing.",
            sw.url()
        )
    );
    assert_eq!(sw.server.requests().last().unwrap().path, format!("/api/app/{APP}"), "no second /api");

    partial.secret = Some("revoked-token".into());
    b.book.update_connector("default", NAME, &partial).unwrap();
    let e = b.book.test_connector("default", NAME).await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("API token"), "{e}");
    assert!(!e.to_string().contains("revoked-token"), "{e}");

    let forbidden = Reply::json(403, &json!({"ErrorCode": 1001, "Argument": "User lacks access to application"}));
    sw.fail_next("GET", "/api/app", vec![forbidden]);
    let e = b.book.test_connector("default", NAME).await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert!(e.to_string().contains("User lacks access to application (1001)"), "{e}");

    let mut other_app = input(&sw.url(), mapped());
    if let ConnectorSettings::Swimlane(s) = &mut other_app.settings {
        s.app_id = "aNoSuchApp0000000".into();
    }
    b.book.update_connector("default", NAME, &other_app).unwrap();
    let e = b.book.test_connector("default", NAME).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().contains("Swimlane application not found: aNoSuchApp0000000"), "{e}");

    // A mapping to a field the application does not have is named.
    let mut stale = mapped();
    stale.description = Some("aGone".into());
    b.book.update_connector("default", NAME, &input(&sw.url(), stale)).unwrap();
    let e = b.book.test_connector("default", NAME).await.unwrap_err();
    assert!(
        e.to_string().starts_with("mappings.description: field aGone (for the description) is not in application"),
        "{e}"
    );

    // Bad settings are refused with the field they are about.
    let mut twice = mapped();
    twice.name = Some(CASE_ID_FIELD.into());
    let e = b.book.update_connector("default", NAME, &input(&sw.url(), twice)).unwrap_err();
    assert!(e.to_string().starts_with("mappings.name: field acsid already gets the case id"), "{e}");
}

#[tokio::test]
async fn push_creates_a_record_with_typed_values_then_updates_it_and_sends_each_comment_once() {
    let sw = start();
    let b = Book::new();
    let case = ready(&sw, &b);
    let c = b.get(&case.id);
    let case = b
        .book
        .update_case(&CasePatch {
            id: c.id.clone(),
            version: c.version,
            severity: Some(Severity::High),
            status: Some(Status::InProgress),
            ..Default::default()
        })
        .unwrap();
    b.book.add_comment(&case.id, "Blocked the sender").unwrap();
    sw.server.take_requests();

    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.created && !r.adopted);
    assert_eq!((r.external_title.as_str(), r.comments_sent), ("CBI-1", 1));
    let rec = sw.record("CBI-1").expect("record");
    assert_eq!(r.external_id, rec.id);
    assert_eq!(r.external_url, format!("{}/record/{APP}/{}", sw.url(), rec.id));

    // The exact create body: the application, and each mapped field typed as the field is.
    let requests = sw.server.requests();
    let create = requests.iter().find(|r| r.method == "POST" && r.path == format!("/api/app/{APP}/record")).unwrap();
    let body = create.json();
    assert_eq!(body["applicationId"], APP);
    let values = body["values"].as_object().unwrap();
    assert_eq!(values[CASE_ID_FIELD], json!(case.id));
    assert_eq!(values[CASE_NAME_FIELD], "Phishing wave Q3");
    let description = values[DESCRIPTION_FIELD].as_str().unwrap();
    assert!(description.starts_with("Beaconing from **WEB-01**\nto 203.0.113.9\n\nAdded by "), "{description}");
    assert_eq!(values[PRIORITY_SCORE_FIELD], json!(3), "high is 3, a number");
    assert_eq!(values[STATUS_FIELD]["value"], "In Progress");
    assert_eq!(values.len(), 5);
    assert_eq!(rec.values[STATUS_FIELD], "In Progress");

    let comment = requests.iter().find(|r| r.path.ends_with("/comment")).unwrap();
    assert_eq!(comment.path, format!("/api/app/{APP}/record/{}/{COMMENTS_FIELD}/comment", rec.id));
    let body = comment.json();
    assert_eq!((body["fieldId"].as_str(), body["isRichText"].as_bool()), (Some(COMMENTS_FIELD), Some(true)));
    assert!(body["createdDate"].as_str().unwrap().ends_with('Z'));
    assert!(rec.comments[0].message.starts_with("Blocked the sender\n\nAdded by "), "{:?}", rec.comments);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);

    // A new comment requires an update; only it is sent, with a PATCH of the record.
    b.book.add_comment(&case.id, "Reset the user's password").unwrap();
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate);
    sw.server.take_requests();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.created, r.comments_sent), (false, 1));
    let patch = sw.server.requests().into_iter().find(|r| r.method == "PATCH").expect("an update");
    assert_eq!(patch.path, format!("/api/app/{APP}/record/{}", rec.id));
    assert_eq!(
        (patch.json()["id"].as_str(), patch.json()["applicationId"].as_str()),
        (Some(rec.id.as_str()), Some(APP))
    );
    assert_eq!(sw.comments("CBI-1").len(), 2);

    // An edited title and comment: the record is updated, the comment sent again as a new one.
    let c = b.get(&case.id);
    let (comments, _) = b.book.list_comments(&case.id, SortOrder::Asc, 1, 20).unwrap();
    b.book.edit_comment(&case.id, &comments[0].id, &comments[0].version, "Blocked the sender and the domain").unwrap();
    let patch =
        CasePatch { id: c.id, version: c.version, title: Some("Phishing (contained)".into()), ..Default::default() };
    b.book.update_case(&patch).unwrap();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(r.comments_sent, 1);
    let rec = sw.record("CBI-1").unwrap();
    assert_eq!(rec.values[CASE_NAME_FIELD], "Phishing (contained)");
    assert_eq!(rec.comments.len(), 3);
    assert!(rec.comments[2].message.starts_with("Blocked the sender and the domain"));
    assert_eq!(sw.records().len(), 1);
}

#[tokio::test]
async fn severity_in_a_text_field_goes_as_text_and_closing_by_pushing_closes_the_case() {
    let sw = start();
    let b = Book::new();
    let config = b.book.configuration("default").unwrap();
    let patch = ConfigurationPatch {
        version: config.version.clone(),
        closure_type: Some(ClosureType::CloseByPushing),
        ..Default::default()
    };
    b.book.update_configuration("default", &patch).unwrap();
    let m = SwimlaneMappings { severity: Some(SEVERITY_FIELD.into()), description: None, status: None, ..mapped() };
    b.book.create_connector("default", &input(&sw.url(), m)).unwrap();
    let case = b.case("Text severity");
    b.book.set_case_connector(&case.id, &case.version, Some(NAME), &json!({})).unwrap();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.closed_case);
    let closed = b.get(&case.id);
    assert_eq!((closed.status, closed.push_state), (Status::Closed, PushState::UpToDate));
    let rec = sw.record(&r.external_title).unwrap();
    assert_eq!(rec.values[SEVERITY_FIELD], "low");
    assert!(!rec.values.contains_key(DESCRIPTION_FIELD) && !rec.values.contains_key(STATUS_FIELD));
}

#[tokio::test]
async fn without_a_comments_or_case_id_field_nothing_is_sent() {
    let sw = start();
    let b = Book::new();
    let m = SwimlaneMappings { comments: None, ..mapped() };
    b.book.create_connector("default", &input(&sw.url(), m)).unwrap();
    let case = b.case("Unmapped");
    b.book.set_case_connector(&case.id, &case.version, Some(NAME), &json!({})).unwrap();
    sw.server.take_requests();
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    assert_eq!(item.last_error_code.as_deref(), Some("validation"));
    let said = item.last_error.unwrap();
    assert!(said.starts_with("mappings.comments: no Swimlane comments field is mapped"), "{said}");
    assert!(said.contains("Settings → Connectors"), "{said}");
    assert!(sw.server.requests().is_empty(), "nothing was sent: {:?}", sw.server.requests());

    let m = SwimlaneMappings { case_id: None, ..mapped() };
    b.book.update_connector("default", NAME, &input(&sw.url(), m)).unwrap();
    b.book.retry_push(item.id).unwrap();
    let PushOutcome::Failed { item } = b.book.run_due_pushes().await.unwrap().remove(0) else { panic!("not failed") };
    assert!(item.last_error.unwrap().starts_with("mappings.case_id: no Swimlane field is mapped to the case ID"));
    assert!(sw.server.requests().is_empty());
    assert!(sw.records().is_empty());

    // A numeric field cannot hold the case id: refused with the field's name, no record made.
    let m = SwimlaneMappings { case_id: Some(PRIORITY_SCORE_FIELD.into()), severity: None, ..mapped() };
    b.book.update_connector("default", NAME, &input(&sw.url(), m)).unwrap();
    b.book.retry_push(item.id).unwrap();
    let PushOutcome::Failed { item } = b.book.run_due_pushes().await.unwrap().remove(0) else { panic!("not failed") };
    let said = item.last_error.unwrap();
    assert!(said.starts_with("mappings.case_id: field \"Priority Score\" is a numeric field"), "{said}");
    assert!(sw.records().is_empty());
}

#[tokio::test]
async fn swimlanes_refusal_is_shown_in_its_words() {
    let sw = start();
    let b = Book::new();
    let case = ready(&sw, &b);
    let refusal = Reply::json(400, &json!({"ErrorCode": 5010, "Argument": "Field 'Case Name' is required"}));
    sw.fail_next("POST", &format!("/api/app/{APP}/record"), vec![refusal]);
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    let said = item.last_error.unwrap();
    assert!(said.contains("HTTP 400: Field 'Case Name' is required (5010)"), "{said}");
    assert!(sw.records().is_empty());

    // A gateway that echoes the Private-Token: cut out of what is shown and stored.
    let echo =
        Reply::json(502, &json!({"ErrorCode": 502, "Argument": format!("upstream refused Private-Token {TOKEN}")}));
    sw.fail_next("POST", "/api/search", vec![echo]);
    b.book.retry_push(item.id).unwrap();
    let PushOutcome::Queued { item } = b.book.run_due_pushes().await.unwrap().remove(0) else { panic!("not queued") };
    let said = item.last_error.unwrap();
    assert!(said.contains("upstream refused Private-Token [redacted] (502)"), "{said}");
    assert!(!files_contain(b.dir.path(), TOKEN), "the token reached a file");
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_with_one_record() {
    let sw = start();
    let b = Book::new();
    let case = ready(&sw, &b);
    b.book.add_comment(&case.id, "First note").unwrap();
    sw.fail_next("POST", &format!("/api/app/{APP}/record"), vec![Reply::too_many_requests(1)]);
    let before = chrono::Utc::now();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert!(item.last_error.as_deref().unwrap().contains("HTTP 429"), "{item:?}");
    assert!(item.next_attempt_at.unwrap() >= before + chrono::TimeDelta::milliseconds(1000), "Retry-After honoured");
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "not due before Retry-After");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(sw.records().len(), 1);

    let other = b.case("Server errors");
    b.book.set_case_connector(&other.id, &other.version, Some(NAME), &json!({})).unwrap();
    let failing = Reply::json(503, &json!({"ErrorCode": 9000, "Argument": "Service unavailable"}));
    sw.fail_next("POST", &format!("/api/app/{APP}/record"), vec![failing, Reply::status(500)]);
    let item = queued(b.book.push_case(&other.id, None).await.unwrap());
    assert!(item.last_error.unwrap().contains("Service unavailable (9000)"));
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    assert_eq!(sw.records().len(), 2);
    assert_eq!(sw.comments("CBI-1").len(), 1);
}

#[tokio::test]
async fn a_lost_create_answer_is_found_by_the_case_id_field() {
    let sw = start();
    let b = Book::new();
    let case = ready(&sw, &b);
    b.book.add_comment(&case.id, "Note").unwrap();
    sw.drop_after_next_create();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    assert_eq!(sw.records().len(), 1, "Swimlane made the record; Casebook never heard");
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted, "{report:?}");
    assert_eq!(report.external_title, "CBI-1");
    assert_eq!(sw.records().len(), 1, "still exactly one record");
    assert_eq!(sw.comments("CBI-1").len(), 1);
    let search = sw.server.requests().into_iter().find(|r| r.path == "/api/search").expect("a search");
    let filter = &search.json()["filters"][0];
    assert_eq!((filter["fieldId"].as_str(), filter["value"].as_str()), (Some(CASE_ID_FIELD), Some(case.id.as_str())));
}

#[tokio::test]
async fn a_slow_answer_is_waited_for() {
    let sw = start();
    let b = Book::new();
    let case = ready(&sw, &b);
    let slow = Reply::json(200, &json!({"results": {APP: []}, "count": {APP: 0}})).delayed(Duration::from_millis(700));
    sw.fail_next("POST", "/api/search", vec![slow]);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(r.external_title, "CBI-1");
    assert_eq!(record_posts(&sw), 1);
    let values: &Value = &json!(sw.record("CBI-1").unwrap().values);
    assert_eq!(values[CASE_ID_FIELD], json!(case.id));
}
