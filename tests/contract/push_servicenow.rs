//! Connectors and pushes to ServiceNow ITSM and SecOps through the core's `Casebook` API,
//! against the fake instance: the Elastic app (import sets, error rows with HTTP 201, SecOps
//! observables) and the plain Table API, choice lists with dependent subcategories, comments as
//! work notes, and a lost create answer recovered by `correlation_id`.

use casebook_core::model::*;
use casebook_core::secrets::SecretStore;
use serde_json::{Value, json};

use crate::alert_source::files_contain;
use crate::fake_servicenow::FakeServiceNow;
use crate::push_jira::Book;
use crate::server::Reply;

pub(crate) const USER: &str = "casebook.integration";
pub(crate) const PASSWORD: &str = "Sn0w-p@ss-9921";

pub(crate) fn input(url: &str, kind: ConnectorKind, mode: ServiceNowMode) -> ConnectorInput {
    ConnectorInput {
        name: "SNOW".into(),
        url: url.into(),
        settings: {
            let s = ServiceNowSettings { mode, username: USER.into() };
            if kind == ConnectorKind::ServicenowSir {
                ConnectorSettings::ServicenowSir(s)
            } else {
                ConnectorSettings::ServicenowItsm(s)
            }
        },
        secret: Some(PASSWORD.into()),
        secrets: None,
    }
}

fn sent(outcome: PushOutcome) -> PushReport {
    match outcome {
        PushOutcome::Sent { report } => report,
        other => panic!("expected the push to be sent: {other:?}"),
    }
}

fn field<'a>(fields: &'a serde_json::Map<String, Value>, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or("")
}

#[tokio::test]
async fn itsm_through_the_elastic_app_creates_an_incident_and_adds_work_notes() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    let c = b
        .book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::ImportSet))
        .unwrap();
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(PASSWORD));
    let ok = b.book.test_connector("default", "SNOW").await.unwrap();
    assert!(
        ok.message.starts_with(&format!("Connected to ServiceNow at {}: the Elastic app (x_elas2_inc_int)", sn.url())),
        "{}",
        ok.message
    );

    let c = b.book.refresh_connector_metadata("default", "SNOW").await.unwrap();
    let meta = c.metadata.unwrap();
    let values = |l: &[Choice]| l.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
    assert_eq!(values(&meta.urgencies), ["1", "2", "3"]);
    assert_eq!(values(&meta.severities), ["1", "2", "3"]);
    assert_eq!(values(&meta.categories), ["software", "network", "inquiry"]);
    let dns = meta.subcategories.iter().find(|s| s.value == "dns").unwrap();
    assert_eq!(dns.depends_on.as_deref(), Some("network"));
    assert!(meta.priorities.is_empty(), "ITSM asks no priority: it follows from urgency and impact");

    let case = b.case("Ransomware note on FS-02");
    let e = b
        .book
        .set_case_connector(
            &case.id,
            &case.version,
            Some("SNOW"),
            &json!({"category": "software", "subcategory": "dns"}),
        )
        .unwrap_err();
    assert!(
        e.to_string().starts_with("fields.subcategory: \"dns\" is not a subcategory of category \"software\""),
        "{e}"
    );
    let case = b
        .book
        .set_case_connector(
            &case.id,
            &case.version,
            Some("SNOW"),
            &json!({"urgency": "High", "impact": "2", "category": "Network", "subcategory": "DNS"}),
        )
        .unwrap();
    b.book.add_comment(&case.id, "Isolated FS-02").unwrap();
    b.book.add_comment(&case.id, "Restored from backup").unwrap();

    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.external_title.as_str(), r.comments_sent, r.created), ("INC0010001", 2, true));
    let records = sn.records("incident");
    assert_eq!(records.len(), 1);
    let rec = &records[0];
    assert_eq!(r.external_url, format!("{}/nav_to.do?uri=incident.do?sys_id={}", sn.url(), rec.sys_id));
    assert_eq!(field(&rec.fields, "short_description"), "Ransomware note on FS-02");
    assert!(field(&rec.fields, "description").contains("\n\nAdded by "));
    assert_eq!(field(&rec.fields, "correlation_id"), case.id);
    assert_eq!(field(&rec.fields, "caller_id"), USER);
    for (name, value) in [("urgency", "1"), ("impact", "2"), ("category", "network"), ("subcategory", "dns")] {
        assert_eq!(field(&rec.fields, name), value, "{name}");
    }
    assert_eq!(rec.work_notes.len(), 2);
    assert!(rec.work_notes[0].starts_with("Isolated FS-02\n\nAdded by "), "{:?}", rec.work_notes);

    // Up to date until something changes; then only the new note goes.
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
    b.book.add_comment(&case.id, "Closed the ticket with the vendor").unwrap();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((r.comments_sent, r.created), (1, false));
    let rec = &sn.records("incident")[0];
    assert_eq!(rec.work_notes.len(), 3);
    assert_eq!(sn.records("incident").len(), 1);
    assert!(!files_contain(b.dir.path(), PASSWORD), "the password reached a file");
}

/// Choice labels typed before the choices were fetched (`--field urgency=High`) are sent as
/// ServiceNow's values, found at push time.
#[tokio::test]
async fn labels_typed_before_the_choices_were_fetched_are_sent_as_values() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::Table))
        .unwrap();
    let case = b.case("VPN outage");
    let typed = json!({"urgency": "High", "category": "network", "subcategory": "VPN"});
    let case = b.book.set_case_connector(&case.id, &case.version, Some("SNOW"), &typed).unwrap();
    assert_eq!(case.connector.fields, Some(typed));
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let records = sn.records("incident");
    let fields = &records.first().expect("an incident").fields;
    assert_eq!(
        (field(fields, "urgency"), field(fields, "category"), field(fields, "subcategory")),
        ("1", "network", "vpn")
    );

    // An account that may not read sys_choice: the values go as typed, as they always did.
    b.book
        .with_connection(|c| c.execute("UPDATE connectors SET metadata = NULL, metadata_at = NULL", []).map(|_| ()))
        .unwrap();
    let other = b.case("DNS outage");
    let other = b.book.set_case_connector(&other.id, &other.version, Some("SNOW"), &json!({"urgency": "2"})).unwrap();
    let refused =
        json!({"error": {"message": "Insufficient rights to query records", "detail": "ACL"}, "status": "failure"});
    sn.fail_next("GET", "/api/now/table/sys_choice", vec![Reply::json(403, &refused)]);
    sent(b.book.push_case(&other.id, None).await.unwrap());
    let records = sn.records("incident");
    assert_eq!(field(&records.last().expect("a second incident").fields, "urgency"), "2");
    assert!(b.book.connector("default", "SNOW").unwrap().metadata.is_none(), "the choices were refused");
}

#[tokio::test]
async fn the_app_missing_and_an_import_error_row_are_explained() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::ImportSet))
        .unwrap();
    sn.set_app_installed(false);
    let e = b.book.test_connector("default", "SNOW").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().contains("Elastic ServiceNow app not found: x_elas2_inc_int"), "{e}");
    assert!(e.to_string().contains("set the connector's mode to Table API"), "{e}");
    sn.set_app_installed(true);

    // HTTP 201 with an error row: the transform refused it. Not retried by itself.
    let case = b.case("Refused");
    b.book.set_case_connector(&case.id, &case.version, Some("SNOW"), &json!({})).unwrap();
    sn.reject_import("u_category", "Invalid choice for category");
    let PushOutcome::Failed { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not failed") };
    let text = item.last_error.unwrap();
    assert!(text.contains("the import set refused the incident:\nInvalid choice for category"), "{text}");
    assert!(sn.records("incident").is_empty());

    // Wrong password: 401, the password quoted nowhere.
    let mut wrong = input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::ImportSet);
    wrong.secret = Some("not-it".into());
    b.book.update_connector("default", "SNOW", &wrong).unwrap();
    let e = b.book.test_connector("default", "SNOW").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(!e.to_string().contains("not-it"));
}

#[tokio::test]
async fn a_lost_create_answer_is_recovered_by_correlation_id() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::Table))
        .unwrap();
    let ok = b.book.test_connector("default", "SNOW").await.unwrap();
    assert!(ok.message.ends_with("the incident table is reachable."), "{}", ok.message);
    let case = b.case("Lost answer");
    b.book.set_case_connector(&case.id, &case.version, Some("SNOW"), &json!({"urgency": "2"})).unwrap();
    b.book.add_comment(&case.id, "note").unwrap();
    sn.drop_after_next_create();
    let PushOutcome::Queued { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not queued") };
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    assert_eq!(sn.records("incident").len(), 1);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let r = sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert!(r.adopted);
    let records = sn.records("incident");
    assert_eq!(records.len(), 1, "still one incident");
    assert_eq!(records[0].work_notes.len(), 1);
}

#[tokio::test]
async fn throttling_then_success_in_table_mode() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::Table))
        .unwrap();
    let case = b.case("Throttled");
    b.book.set_case_connector(&case.id, &case.version, Some("SNOW"), &json!({})).unwrap();
    sn.fail_next("POST", "/api/now/v2/table/incident", vec![Reply::too_many_requests(0), Reply::status(500)]);
    let PushOutcome::Queued { item } = b.book.push_case(&case.id, None).await.unwrap() else { panic!("not queued") };
    assert!(item.last_error.unwrap().contains("HTTP 429"));
    for _ in 0..50 {
        if b.book.outbox(None).unwrap().is_empty() {
            break;
        }
        b.book.run_due_pushes().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    assert!(b.book.outbox(None).unwrap().is_empty());
    assert_eq!(sn.records("incident").len(), 1);
}

fn alert(id: &str, dest: &str, src: &str, hash: &str, url: &str) -> (String, Option<String>, Value) {
    let doc = json!({
        "@timestamp": "2026-11-30T10:00:00Z",
        "kibana.alert.uuid": id,
        "kibana.alert.rule.name": "Malware beacon",
        "destination": {"ip": dest},
        "source.ip": src,
        "file": {"hash": {"sha256": hash}},
        "url": {"full": url},
    });
    (id.to_string(), None, doc)
}

#[tokio::test]
async fn secops_sends_the_switched_on_observables_of_the_alerts() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowSir, ServiceNowMode::ImportSet))
        .unwrap();
    let c = b.book.refresh_connector_metadata("default", "SNOW").await.unwrap();
    let meta = c.metadata.unwrap();
    assert_eq!(meta.categories.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["malware", "phishing"]);
    assert_eq!(meta.priorities.len(), 4);

    let case = b.case("Beacon");
    let hash = "a".repeat(64);
    let docs = [
        alert("a1", "203.0.113.9", "10.0.0.5", &hash, "https://evil.example/payload"),
        alert("a2", "203.0.113.9", "10.0.0.6", &hash, "https://evil.example/payload"),
    ];
    b.book.attach_alert_documents(&case.id, &docs, AlertOrigin::File).unwrap();
    let case = b.get(&case.id);
    let fields = json!({"category": "malware", "subcategory": "trojan", "priority": "High", "destIp": true, "malwareHash": true});
    b.book.set_case_connector(&case.id, &case.version, Some("SNOW"), &fields).unwrap();
    let r = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(r.external_title.starts_with("SIR"), "{r:?}");
    let rec = &sn.records("sn_si_incident")[0];
    assert_eq!((field(&rec.fields, "category"), field(&rec.fields, "priority")), ("malware", "2"));
    let mut seen = rec.observables.clone();
    seen.sort();
    assert_eq!(seen, [("SHA256".to_string(), hash.clone()), ("ipv4-addr".to_string(), "203.0.113.9".to_string())]);

    // Table mode: the same values as comma-joined fields of the incident.
    let mut table = input(&sn.url(), ConnectorKind::ServicenowSir, ServiceNowMode::Table);
    table.name = "SNOW table".into();
    b.book.create_connector("default", &table).unwrap();
    let other = b.case("Beacon, table mode");
    b.book.attach_alert_documents(&other.id, &docs, AlertOrigin::File).unwrap();
    let other = b.get(&other.id);
    b.book.set_case_connector(&other.id, &other.version, Some("SNOW table"), &json!({"sourceIp": true})).unwrap();
    sent(b.book.push_case(&other.id, None).await.unwrap());
    let rec =
        sn.records("sn_si_incident").into_iter().find(|r| field(&r.fields, "correlation_id") == other.id).unwrap();
    assert_eq!(field(&rec.fields, "source_ip"), "10.0.0.5,10.0.0.6");
}
