//! Connectors and pushes to IBM Resilient / QRadar SOAR through the core's `Casebook` API,
//! against the fake organisation: API-key sign-in, the organisation test, incident types,
//! severities and the field list, the create body Kibana sends (HTML description, types,
//! severity, the case id in a custom field), updates as `changes` with old values and the
//! conflict when someone changed the incident in between, comments as text, additional fields
//! checked before anything is sent, and throttling, failures and lost answers.

use std::time::Duration;

use casebook_core::model::*;
use casebook_core::secrets::SecretStore;
use serde_json::{Value, json};

use crate::alert_source::files_contain;
use crate::fake_resilient::{CASE_ID_FIELD, FakeResilient};
use crate::push_jira::{Book, drain, queued, sent};
use crate::server::Reply;

const ORG: u64 = 201;
const KEY_ID: &str = "5b1c7e2a-40d3-4c11-9f0e-6a2b9d8e7f10";
const KEY_SECRET: &str = "Rs1lient-s3cret-Xq7_Lm2pT9";

fn input(url: &str) -> ConnectorInput {
    ConnectorInput {
        name: "SOAR".into(),
        url: url.into(),
        settings: ConnectorSettings::Resilient(ResilientSettings {
            org_id: ORG.to_string(),
            api_key_id: KEY_ID.into(),
        }),
        secret: Some(KEY_SECRET.into()),
        secrets: None,
    }
}

fn soar() -> FakeResilient {
    FakeResilient::start(ORG, KEY_ID, KEY_SECRET)
}

/// The organisation's path prefix.
fn org() -> String {
    format!("/rest/orgs/{ORG}")
}

/// A case with the connector chosen (Malware and Phishing, High) and the choices fetched.
async fn ready(fake: &FakeResilient, b: &Book) -> Case {
    b.book.create_connector("default", &input(&fake.url())).expect("create connector");
    b.book.refresh_connector_metadata("default", "SOAR").await.expect("refresh");
    let case = b.case("Phishing wave Q3");
    let fields = json!({"incidentTypes": "Malware, phishing", "severityCode": "High"});
    b.book.set_case_connector(&case.id, &case.version, Some("SOAR"), &fields).expect("set connector")
}

fn only_incident(fake: &FakeResilient) -> i64 {
    let all = fake.incidents();
    assert_eq!(all.len(), 1, "exactly one incident");
    all[0].id
}

#[tokio::test]
async fn the_key_secret_stays_in_the_keychain_and_test_connection_names_the_problem() {
    let fake = soar();
    let b = Book::new();
    let c = b.book.create_connector("default", &input(&fake.url())).unwrap();
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(KEY_SECRET));
    assert_eq!(c.account.as_deref(), Some(KEY_ID), "the key id is shown as the account");
    assert_eq!(c.target, "organisation 201");
    assert!(!serde_json::to_string(&c).unwrap().contains(KEY_SECRET));

    let ok = b.book.test_connector("default", "SOAR").await.unwrap();
    assert_eq!(
        ok.message,
        format!("Connected to IBM Resilient at {}: organisation Casebook SOC (201) is reachable.", fake.url())
    );

    // An organisation the key does not belong to.
    let mut other = input(&fake.url());
    other.settings =
        ConnectorSettings::Resilient(ResilientSettings { org_id: "999".into(), api_key_id: KEY_ID.into() });
    other.secret = None;
    b.book.update_connector("default", "SOAR", &other).unwrap();
    let e = b.book.test_connector("default", "SOAR").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().starts_with("IBM Resilient organisation not found: 999 at "), "{e}");
    assert!(e.to_string().contains("check the organisation id"), "{e}");

    // A wrong secret: 401, the secret quoted nowhere.
    let mut wrong = input(&fake.url());
    wrong.secret = Some("not-the-secret".into());
    b.book.update_connector("default", "SOAR", &wrong).unwrap();
    let e = b.book.test_connector("default", "SOAR").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("rejected the API key id and secret (401)"), "{e}");
    assert!(!e.to_string().contains("not-the-secret"));

    // A key without the permission: 403 in Resilient's words.
    b.book.update_connector("default", "SOAR", &input(&fake.url())).unwrap();
    let refused = json!({"success": false, "title": null, "message": "The API key lacks the permission to read the organization", "hints": []});
    fake.fail_next("GET", &org(), vec![Reply::json(403, &refused)]);
    let e = b.book.test_connector("default", "SOAR").await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert!(e.to_string().ends_with("(403): The API key lacks the permission to read the organization"), "{e}");

    // A settings typo is refused before anything is stored.
    let mut bad = input(&fake.url());
    bad.settings = ConnectorSettings::Resilient(ResilientSettings { org_id: "acme".into(), api_key_id: KEY_ID.into() });
    let e = b.book.update_connector("default", "SOAR", &bad).unwrap_err();
    assert_eq!(e.field(), Some("org_id"));
    assert!(!files_contain(b.dir.path(), KEY_SECRET), "the secret reached a file");
}

#[tokio::test]
async fn a_case_becomes_an_incident_with_kibanas_body_then_updates_and_comments_follow() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    let meta = b.book.connector("default", "SOAR").unwrap().metadata.unwrap();
    let values = |l: &[Choice]| l.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    assert_eq!(values(&meta.incident_types), ["16", "17", "19", "20", "21", "1001"]);
    assert_eq!(values(&meta.severities), ["4", "5", "6"]);
    let custom = meta.fields.iter().find(|f| f.id == CASE_ID_FIELD).expect("the custom field");
    assert_eq!((custom.key.as_deref(), custom.field_type.as_str()), (Some("properties"), "text"));
    let name = meta.fields.iter().find(|f| f.id == "name").unwrap();
    assert!(name.required && !name.read_only);
    assert!(meta.fields.iter().find(|f| f.id == "create_date").unwrap().read_only);
    // Labels are kept as the ids Resilient takes.
    assert_eq!(case.connector.fields, Some(json!({"incidentTypes": "19,20", "severityCode": "6"})));

    b.book.add_comment(&case.id, "Blocked the sender").unwrap();
    b.book.add_comment(&case.id, "Reset <two> passwords").unwrap();
    fake.server.take_requests();
    let before = chrono::Utc::now().timestamp_millis();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    let id = only_incident(&fake);
    assert_eq!((r.external_id.clone(), r.external_title.clone()), (id.to_string(), id.to_string()));
    assert_eq!(r.external_url, format!("{}/#incidents/{id}", fake.url()));
    assert_eq!((r.created, r.comments_sent), (true, 2));

    let requests = fake.server.requests();
    let create = requests.iter().find(|r| r.method == "POST" && r.path == format!("{}/incidents", org())).unwrap();
    assert_eq!(create.query_param("text_content_output_format").as_deref(), Some("objects_convert"));
    let mut body = create.json();
    let discovered = body.as_object_mut().unwrap().remove("discovered_date").expect("discovered_date");
    let discovered = discovered.as_i64().expect("epoch ms");
    assert!(discovered >= before && discovered <= chrono::Utc::now().timestamp_millis(), "{discovered}");
    let description = body["description"]["content"].as_str().unwrap().to_string();
    assert!(description.starts_with("Beaconing from **WEB-01**<br>to 203.0.113.9<br><br>Added by "), "{description}");
    assert_eq!(
        body,
        json!({
            "name": "Phishing wave Q3",
            "description": {"format": "html", "content": description},
            "incident_type_ids": [{"id": 19}, {"id": 20}],
            "severity_code": {"id": 6},
            "properties": {CASE_ID_FIELD: case.id},
        })
    );
    let note = requests.iter().find(|r| r.path == format!("{}/incidents/{id}/comments", org())).unwrap();
    let note = note.json();
    assert_eq!(note["text"]["format"], "text");
    assert!(note["text"]["content"].as_str().unwrap().starts_with("Blocked the sender\n\nAdded by "), "{note}");
    let comments = fake.comments(id);
    assert_eq!(comments.len(), 2);
    assert!(comments[1].starts_with("Reset <two> passwords\n\nAdded by "), "comments go as text: {comments:?}");
    let incident = fake.incident(id).unwrap();
    assert_eq!(incident.fields["incident_type_ids"], json!([19, 20]));
    assert_eq!(incident.fields["severity_code"], json!(6));
    assert_eq!(incident.fields["properties"][CASE_ID_FIELD], json!(case.id));
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);

    // A new title, another severity and an edited comment: "requires update", then one PATCH
    // with the values read and the case's, and the comment sent again as a new one.
    let c = b.get(&case.id);
    let (list, _) = b.book.list_comments(&case.id, SortOrder::Asc, 1, 20).unwrap();
    b.book.edit_comment(&case.id, &list[0].id, &list[0].version, "Blocked the sender and the domain").unwrap();
    let c = b
        .book
        .update_case(&CasePatch {
            id: c.id.clone(),
            version: c.version.clone(),
            title: Some("Phishing wave Q3 (contained)".into()),
            ..Default::default()
        })
        .unwrap();
    let c = b
        .book
        .set_case_connector(&c.id, &c.version, Some("SOAR"), &json!({"incidentTypes": "20", "severityCode": "Medium"}))
        .unwrap();
    assert_eq!(c.push_state, PushState::RequiresUpdate);
    fake.server.take_requests();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.created, r.comments_sent, r.external_title.clone()), (false, 1, id.to_string()));
    let requests = fake.server.requests();
    let patch = requests.iter().find(|r| r.method == "PATCH").expect("a PATCH").json();
    let changes = patch["changes"].as_array().unwrap();
    let by_name = |n: &str| changes.iter().find(|c| c["field"]["name"] == n).cloned().unwrap_or(Value::Null);
    assert_eq!(
        by_name("name"),
        json!({"field": {"name": "name"}, "old_value": {"text": "Phishing wave Q3"}, "new_value": {"text": "Phishing wave Q3 (contained)"}})
    );
    assert_eq!(by_name("incident_type_ids")["old_value"], json!({"ids": [19, 20]}));
    assert_eq!(by_name("incident_type_ids")["new_value"], json!({"ids": [20]}));
    assert_eq!(by_name("severity_code")["old_value"], json!({"id": 6}));
    assert_eq!(by_name("severity_code")["new_value"], json!({"id": 5}));
    assert!(by_name("description").is_null(), "an unchanged description is not sent: {patch}");
    let incident = fake.incident(id).unwrap();
    assert_eq!(incident.fields["name"], "Phishing wave Q3 (contained)");
    assert_eq!(incident.fields["severity_code"], json!(5));
    let comments = fake.comments(id);
    assert_eq!(comments.len(), 3);
    assert!(comments[2].starts_with("Blocked the sender and the domain"));
    assert_eq!(fake.incidents().len(), 1);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
}

#[tokio::test]
async fn an_incident_changed_in_resilient_meanwhile_is_a_conflict_in_its_words_not_retried() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let id = only_incident(&fake);

    // Casebook reads the incident, then an analyst renames it before the PATCH arrives.
    let read = fake.incident(id).unwrap().fields;
    fake.edit_incident(id, "name", json!("Renamed in SOAR"));
    fake.fail_next("GET", &format!("{}/incidents/{id}", org()), vec![Reply::json(200, &read)]);
    let c = b.get(&case.id);
    let patch =
        CasePatch { id: c.id.clone(), version: c.version, title: Some("Our title".into()), ..Default::default() };
    b.book.update_case(&patch).unwrap();
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    assert_eq!(item.last_error_code.as_deref(), Some("remote"));
    let said = item.last_error.clone().unwrap();
    assert!(said.contains("HTTP 409: incident"), "{said}");
    assert!(
        said.contains("was changed in IBM Resilient since Casebook read it: One or more fields could not be changed"),
        "{said}"
    );
    assert!(said.contains("name: The value of 'Name' was changed by someone else"), "{said}");
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "a conflict is not retried by itself");
    assert_eq!(fake.incident(id).unwrap().fields["name"], "Renamed in SOAR", "nothing was changed");

    // Pushing again reads the incident as it is now and goes through.
    b.book.retry_push(item.id).unwrap();
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(fake.incident(id).unwrap().fields["name"], "Our title");
    assert_eq!(fake.incidents().len(), 1);
}

#[tokio::test]
async fn additional_fields_are_checked_against_the_field_list_before_anything_is_sent() {
    let fake = soar();
    let b = Book::new();
    b.book.create_connector("default", &input(&fake.url())).unwrap();

    // Never fetched: kept as typed, the list is fetched at push time and the field refused.
    let case = b.case("Extra fields");
    let typed = json!({"additionalFields": "{\"confirmed\": true, \"nonsense\": 1}"});
    b.book.set_case_connector(&case.id, &case.version, Some("SOAR"), &typed).unwrap();
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    assert_eq!(item.last_error_code.as_deref(), Some("validation"));
    let said = item.last_error.unwrap();
    assert!(said.starts_with("fields.additionalFields: \"nonsense\" is not a field SOAR offers"), "{said}");
    assert!(fake.incidents().is_empty(), "nothing was sent");
    assert!(b.book.connector("default", "SOAR").unwrap().metadata.is_some(), "the list is kept");

    // With the list cached, a read-only field is refused when the case is saved.
    let c = b.get(&case.id);
    let e = b
        .book
        .set_case_connector(&c.id, &c.version, Some("SOAR"), &json!({"additionalFields": "{\"create_date\": 1}"}))
        .unwrap_err();
    assert_eq!(e.to_string(), "fields.additionalFields: \"create_date\" (Date Created) is read-only in SOAR");
    // What Casebook sends from the case itself is not set behind its back.
    let e = b
        .book
        .set_case_connector(&c.id, &c.version, Some("SOAR"), &json!({"additionalFields": {"casebook_case_id": "x"}}))
        .unwrap_err();
    assert!(e.to_string().contains("cannot set \"casebook_case_id\": Casebook sends it from the case"), "{e}");
    let e =
        b.book.set_case_connector(&c.id, &c.version, Some("SOAR"), &json!({"additionalFields": "[1]"})).unwrap_err();
    assert!(e.to_string().starts_with("fields.additionalFields: must be a JSON object"), "{e}");

    // Fields Resilient knows go with the incident: standard ones at the top, custom ones in
    // properties.
    let fields =
        json!({"additionalFields": "{\"confirmed\": true, \"plan_status\": \"A\", \"resolution_summary\": \"n/a\"}"});
    let c = b.book.set_case_connector(&c.id, &c.version, Some("SOAR"), &fields).unwrap();
    b.book.retry_push(item.id).unwrap();
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    let id = only_incident(&fake);
    let incident = fake.incident(id).unwrap();
    assert_eq!(incident.fields["confirmed"], json!(true));
    assert_eq!(incident.fields["resolution_summary"], json!({"format": "html", "content": "n/a"}));

    // An update sends a changed additional field with the value read.
    let c = b.get(&c.id);
    let fields = json!({"additionalFields": "{\"confirmed\": false}"});
    b.book.set_case_connector(&c.id, &c.version, Some("SOAR"), &fields).unwrap();
    fake.server.take_requests();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let patch = fake.server.requests().into_iter().find(|r| r.method == "PATCH").unwrap().json();
    let confirmed = patch["changes"].as_array().unwrap().iter().find(|c| c["field"]["name"] == "confirmed").cloned();
    assert_eq!(confirmed, Some(json!({"field": {"name": "confirmed"}, "old_value": true, "new_value": false})));
    assert_eq!(fake.incident(id).unwrap().fields["confirmed"], json!(false));
}

#[tokio::test]
async fn a_space_that_closes_cases_by_pushing_closes_the_case_on_push() {
    let fake = soar();
    let b = Book::new();
    let config = b.book.configuration("default").unwrap();
    let patch = ConfigurationPatch {
        version: config.version.clone(),
        closure_type: Some(ClosureType::CloseByPushing),
        ..Default::default()
    };
    b.book.update_configuration("default", &patch).unwrap();
    let case = ready(&fake, &b).await;
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.closed_case);
    let closed = b.get(&case.id);
    assert_eq!((closed.status, closed.push_state), (Status::Closed, PushState::UpToDate));
}

#[tokio::test]
async fn throttling_waits_as_long_as_resilient_asks_then_sends() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    fake.fail_next("POST", &format!("{}/incidents/query_paged", org()), vec![Reply::too_many_requests(1)]);
    let before = chrono::Utc::now();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert!(item.last_error.as_deref().unwrap().contains("HTTP 429"), "{item:?}");
    assert!(item.next_attempt_at.unwrap() >= before + chrono::TimeDelta::milliseconds(1000), "Retry-After honoured");
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "not due before Retry-After");
    assert!(fake.incidents().is_empty());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    sent(b.book.run_due_pushes().await.unwrap().remove(0));
    only_incident(&fake);
}

#[tokio::test]
async fn server_errors_are_retried_until_they_succeed_with_one_incident() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    b.book.add_comment(&case.id, "First note").unwrap();
    let failing = json!({"success": false, "message": "Service temporarily unavailable", "hints": []});
    fake.fail_next(
        "POST",
        &format!("{}/incidents/query_paged", org()),
        vec![Reply::json(503, &failing), Reply::status(502)],
    );
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert!(item.last_error.unwrap().contains("Service temporarily unavailable"));
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    let id = only_incident(&fake);
    assert_eq!(fake.comments(id).len(), 1);
}

#[tokio::test]
async fn a_lost_create_answer_is_recovered_by_the_case_id_field() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    b.book.add_comment(&case.id, "Note").unwrap();
    fake.drop_after_next_create();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    let id = only_incident(&fake);
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted, "{report:?}");
    assert_eq!(report.external_id, id.to_string());
    assert_eq!(only_incident(&fake), id, "still exactly one incident");
    assert_eq!(fake.comments(id).len(), 1);
}

#[tokio::test]
async fn a_slow_answer_is_waited_for() {
    let fake = soar();
    let b = Book::new();
    let case = ready(&fake, &b).await;
    let slow = Reply::json(200, &json!({"recordsTotal": 0, "recordsFiltered": 0, "data": []}))
        .delayed(Duration::from_millis(1500));
    fake.fail_next("POST", &format!("{}/incidents/query_paged", org()), vec![slow]);
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.created);
    only_incident(&fake);
}
