//! Additional fields (Kibana 9.2/9.3: Jira `otherFields`, ServiceNow `additionalFields`): sent
//! with the ticket, and checked against the system's own field list before anything is sent.
//! And a Jira Service Management project, whose request types are issue types of the same API.

use casebook_core::model::*;
use serde_json::{Value, json};

use crate::fake_servicenow::FakeServiceNow;
use crate::push_jira::{Book, cloud, jira_input, sent};
use crate::push_servicenow::{PASSWORD, USER, input};

fn posted_issues(jira: &crate::fake_jira::FakeJira) -> usize {
    jira.server.requests().iter().filter(|r| r.method == "POST" && r.path.ends_with("/rest/api/2/issue")).count()
}

#[tokio::test]
async fn jira_other_fields_are_sent_and_unknown_ones_refused_before_anything_is_created() {
    let jira = cloud();
    let b = Book::new();
    b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let case = b.case("Beaconing from WEB-01");
    // Typed offline, before the project's fields were ever fetched: kept as typed.
    let case = b
        .book
        .set_case_connector(
            &case.id,
            &case.version,
            Some("SOC Jira"),
            &json!({"otherFields": "{\"customfield_10042\": \"Blue team\", \"environment\": \"prod\"}"}),
        )
        .unwrap();
    assert_eq!(
        case.connector.fields.as_ref().unwrap()["otherFields"],
        json!({"customfield_10042": "Blue team", "environment": "prod"})
    );
    let report = sent(b.book.push_case(&case.id, None).await.unwrap());
    let issue = jira.issue(&report.external_title).unwrap();
    assert_eq!(
        (issue.fields["customfield_10042"].as_str(), issue.fields["environment"].as_str()),
        (Some("Blue team"), Some("prod"))
    );
    // The push fetched the project's fields and kept them.
    let fields = b.book.connector("default", "SOC Jira").unwrap().metadata.unwrap().fields;
    assert!(fields.iter().any(|f| f.id == "customfield_10042" && f.label == "Team"), "{fields:?}");

    // Now that they are known, a field the project lacks is refused when it is typed…
    let case = b.get(&case.id);
    let e = b
        .book
        .set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"otherFields": {"customfield_99": 1}}))
        .unwrap_err();
    assert!(e.to_string().contains("\"customfield_99\" is not a field SOC Jira offers"), "{e}");

    // …and one typed while the list was unknown fails the push before the ticket is created.
    let b2 = Book::new();
    b2.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let other = b2.case("Second");
    let other = b2
        .book
        .set_case_connector(&other.id, &other.version, Some("SOC Jira"), &json!({"otherFields": {"customfield_99": 1}}))
        .unwrap();
    let before = posted_issues(&jira);
    let outcome = b2.book.push_case(&other.id, None).await.unwrap();
    let PushOutcome::Failed { item } = outcome else { panic!("expected a refusal: {outcome:?}") };
    assert_eq!(item.last_error_code.as_deref(), Some("validation"));
    assert!(item.last_error.unwrap().contains("\"customfield_99\" is not a field SOC Jira offers"));
    assert_eq!(posted_issues(&jira), before, "nothing was created");
}

#[tokio::test]
async fn servicenow_additional_fields_go_unprefixed_through_the_import_set() {
    let sn = FakeServiceNow::start(USER, PASSWORD);
    let b = Book::new();
    b.book
        .create_connector("default", &input(&sn.url(), ConnectorKind::ServicenowItsm, ServiceNowMode::ImportSet))
        .unwrap();
    b.book.refresh_connector_metadata("default", "SNOW").await.unwrap();
    let case = b.case("Exfiltration over DNS");
    let e = b
        .book
        .set_case_connector(&case.id, &case.version, Some("SNOW"), &json!({"additionalFields": {"u_cost_center": "x"}}))
        .unwrap_err();
    assert!(e.to_string().contains("\"u_cost_center\" is not a field SNOW offers"), "{e}");
    let e = b
        .book
        .set_case_connector(
            &case.id,
            &case.version,
            Some("SNOW"),
            &json!({"additionalFields": {"correlation_id": "x"}}),
        )
        .unwrap_err();
    assert!(e.to_string().contains("cannot set \"correlation_id\""), "{e}");
    let case = b
        .book
        .set_case_connector(
            &case.id,
            &case.version,
            Some("SNOW"),
            &json!({"additionalFields": {"close_notes": "Contained"}}),
        )
        .unwrap();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let import = sn
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.contains("/api/now/import/"))
        .expect("an import");
    let body = import.json();
    assert_eq!(body["close_notes"], json!("Contained"), "unprefixed, as Kibana sends it: {body}");
    assert!(body.get("u_close_notes").is_none());
    let record = &sn.records("incident")[0];
    assert_eq!(record.fields.get("close_notes").and_then(Value::as_str), Some("Contained"));
}

#[tokio::test]
async fn a_jira_service_management_project_takes_its_request_types_as_issue_types() {
    let jira = cloud();
    jira.set_service_desk();
    let b = Book::new();
    b.book.create_connector("default", &jira_input(&jira.url())).unwrap();
    let refreshed = b.book.refresh_connector_metadata("default", "SOC Jira").await.unwrap();
    let types: Vec<String> = refreshed.metadata.unwrap().issue_types.into_iter().map(|c| c.label).collect();
    assert_eq!(types, ["[System] Incident", "[System] Service request", "[System] Change"]);
    let case = b.case("Phishing report from finance");
    let case = b
        .book
        .set_case_connector(&case.id, &case.version, Some("SOC Jira"), &json!({"issueType": "[System] Incident"}))
        .unwrap();
    assert_eq!(case.connector.fields.as_ref().unwrap()["issueType"], json!("10101"));
    let report = sent(b.book.push_case(&case.id, None).await.unwrap());
    let issue = jira.issue(&report.external_title).unwrap();
    assert_eq!(issue.fields["issuetype"]["id"], json!("10101"));
    assert_eq!(report.external_url, format!("{}/browse/{}", jira.url(), report.external_title));
    // Without a chosen type, Kibana's rule: the project's first one.
    let plain = b.case("No type chosen");
    let plain = b.book.set_case_connector(&plain.id, &plain.version, Some("SOC Jira"), &json!({})).unwrap();
    let report = sent(b.book.push_case(&plain.id, None).await.unwrap());
    assert_eq!(jira.issue(&report.external_title).unwrap().fields["issuetype"]["id"], json!("10101"));
}
