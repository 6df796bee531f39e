//! The fake Swimlane: `Private-Token` auth, the application's fields, records checked by field
//! type, comments, record search by the case-id field, and faults.

use serde_json::{Value, json};

use super::{Auth, call_with, try_call_with};
use crate::fake_swimlane::{
    CASE_ID_FIELD, CASE_NAME_FIELD, COMMENTS_FIELD, DESCRIPTION_FIELD, FakeSwimlane, PRIORITY_SCORE_FIELD,
    SEVERITY_FIELD, STATUS_FIELD, TRACKING_FIELD,
};
use crate::server::Reply;

const APP: &str = "aBcD3fGh1JkLmN0pQ";
const TOKEN: &str = "sw-private-token-7f3a";
const HEADERS: [(&str, &str); 1] = [("private-token", TOKEN)];

async fn sw(url: &str, method: &str, path: &str, body: Option<Value>) -> super::Resp {
    call_with(url, &Auth::None, &HEADERS, method, path, body).await
}

fn record(case_id: &str, name: &str) -> Value {
    json!({"applicationId": APP, "values": {CASE_ID_FIELD: case_id, CASE_NAME_FIELD: name,
        DESCRIPTION_FIELD: "Ransomware suspected.\n\nAdded by alice.", SEVERITY_FIELD: "high",
        PRIORITY_SCORE_FIELD: 7, STATUS_FIELD: "Open"}})
}

fn search(field: &str, value: Value) -> Value {
    json!({"applicationIds": [APP], "filters": [{"fieldId": field, "filterType": "equals", "value": value}],
        "pageSize": 10, "keywords": ""})
}

#[tokio::test]
async fn swimlane_refuses_bad_tokens_and_unknown_applications() {
    let swimlane = FakeSwimlane::start(APP, TOKEN);
    let url = swimlane.url();
    let path = format!("/api/app/{APP}");
    for headers in [vec![], vec![("private-token", "wrong")]] {
        let res = call_with(&url, &Auth::None, &headers, "GET", &path, None).await;
        assert_eq!((res.status, res.json()["ErrorCode"].as_u64()), (401, Some(1000)));
        assert!(res.json()["Argument"].is_string());
    }
    let res = call_with(&url, &Auth::Bearer(TOKEN), &[], "GET", &path, None).await;
    assert_eq!(res.status, 401, "the token goes in Private-Token");
    let other = sw(&url, "GET", "/api/app/aNotMyApp00000000", None).await;
    assert_eq!((other.status, other.json()["ErrorCode"].as_u64()), (404, Some(3000)));

    let app = sw(&url, "GET", &path, None).await.json();
    assert_eq!((app["id"].as_str(), app["acronym"].as_str()), (Some(APP), Some("CBI")));
    let field = |id: &str| app["fields"].as_array().and_then(|f| f.iter().find(|f| f["id"] == id)).cloned();
    let kind = |id: &str| field(id).map(|f| f["fieldType"].clone());
    assert_eq!(kind(CASE_ID_FIELD), Some(json!("text")));
    assert_eq!(kind(PRIORITY_SCORE_FIELD), Some(json!("numeric")));
    assert_eq!(kind(STATUS_FIELD), Some(json!("valuesList")));
    assert_eq!(kind(COMMENTS_FIELD), Some(json!("comments")));
    let priority = field(PRIORITY_SCORE_FIELD).unwrap_or_default();
    assert_eq!((priority["key"].as_str(), priority["name"].as_str()), (Some("priority-score"), Some("Priority Score")));
    let statuses: Vec<Value> = field(STATUS_FIELD).and_then(|f| f["values"].as_array().cloned()).unwrap_or_default();
    assert_eq!(
        statuses.iter().map(|v| v["name"].clone()).collect::<Vec<_>>(),
        [json!("Open"), json!("In Progress"), json!("Closed")]
    );
}

#[tokio::test]
async fn swimlane_create_get_update_comment_and_search() {
    let swimlane = FakeSwimlane::start(APP, TOKEN);
    let url = swimlane.url();
    let created = sw(&url, "POST", &format!("/api/app/{APP}/record"), Some(record("case-1", "Disk full"))).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let created = created.json();
    let id = created["id"].as_str().unwrap_or_default().to_string();
    assert_eq!((id.len(), created["name"].as_str()), (17, Some("CBI-1")));
    let created_date = created["createdDate"].as_str().unwrap_or_default().to_string();
    assert!(created_date.ends_with('Z') && created_date.len() == 24, "{created_date}");
    let second = sw(&url, "POST", &format!("/api/app/{APP}/record"), Some(record("case-2", "Phishing"))).await;
    assert_eq!(second.json()["name"], "CBI-2");

    let got = sw(&url, "GET", &format!("/api/app/{APP}/record/{id}"), None).await.json();
    let values = &got["values"];
    assert_eq!((values[CASE_ID_FIELD].as_str(), values[PRIORITY_SCORE_FIELD].as_i64()), (Some("case-1"), Some(7)));
    assert_eq!((values[TRACKING_FIELD].as_str(), values[STATUS_FIELD].as_str()), (Some("CBI-1"), Some("Open")));

    let update = json!({"applicationId": APP, "id": id, "values": {CASE_NAME_FIELD: "Disk full (contained)",
        STATUS_FIELD: "In Progress", PRIORITY_SCORE_FIELD: 3.5}});
    let updated = sw(&url, "PATCH", &format!("/api/app/{APP}/record/{id}"), Some(update)).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let updated = updated.json();
    assert_eq!((updated["id"].as_str(), updated["name"].as_str()), (Some(id.as_str()), Some("CBI-1")));
    assert!(updated["modifiedDate"].as_str() > Some(created_date.as_str()));

    let comment = json!({"createdDate": "2024-06-01T10:00:00.000Z", "fieldId": COMMENTS_FIELD, "isRichText": true,
        "message": "Host isolated.\n\nAdded by alice."});
    let path = format!("/api/app/{APP}/record/{id}/{COMMENTS_FIELD}/comment");
    let added = sw(&url, "POST", &path, Some(comment)).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(swimlane.comments("CBI-1"), ["Host isolated.\n\nAdded by alice."]);
    let stored = swimlane.record(&id).expect("stored");
    assert_eq!(
        (stored.comments[0].is_rich_text, stored.comments[0].created_date.as_str()),
        (true, "2024-06-01T10:00:00.000Z")
    );
    assert_eq!(stored.values[CASE_NAME_FIELD], "Disk full (contained)");
    let got = sw(&url, "GET", &format!("/api/app/{APP}/record/{id}"), None).await.json();
    assert_eq!(got["values"][COMMENTS_FIELD][0]["message"], "Host isolated.\n\nAdded by alice.");
    let wrong_field = format!("/api/app/{APP}/record/{id}/{CASE_ID_FIELD}/comment");
    assert_eq!(sw(&url, "POST", &wrong_field, Some(json!({"message": "x"}))).await.status, 400);

    let found = sw(&url, "POST", "/api/search", Some(search(CASE_ID_FIELD, json!("case-2")))).await;
    assert_eq!(found.status, 200, "{}", found.text);
    let found = found.json();
    assert_eq!((found["count"][APP].as_u64(), found["results"][APP][0]["name"].as_str()), (Some(1), Some("CBI-2")));
    assert_eq!(found["results"][APP][0]["values"][CASE_ID_FIELD], "case-2");
    let none = sw(&url, "POST", "/api/search", Some(search(CASE_ID_FIELD, json!("case-9")))).await.json();
    assert_eq!((none["count"][APP].as_u64(), none["results"][APP].clone()), (Some(0), json!([])));
    let by_score = sw(&url, "POST", "/api/search", Some(search(PRIORITY_SCORE_FIELD, json!(3.5)))).await.json();
    assert_eq!(by_score["results"][APP][0]["name"], "CBI-1");
    let mut keywords = search(SEVERITY_FIELD, json!("high"));
    keywords["keywords"] = json!("phishing");
    let by_keywords = sw(&url, "POST", "/api/search", Some(keywords)).await.json();
    assert_eq!(by_keywords["results"][APP][0]["name"], "CBI-2");
    let mut other_app = search(CASE_ID_FIELD, json!("case-1"));
    other_app["applicationIds"] = json!(["aNotMyApp00000000"]);
    assert_eq!(sw(&url, "POST", "/api/search", Some(other_app)).await.status, 404);
}

#[tokio::test]
async fn swimlane_checks_values_by_field_type() {
    let swimlane = FakeSwimlane::start(APP, TOKEN);
    let url = swimlane.url();
    let path = format!("/api/app/{APP}/record");
    for (field, value) in [
        (PRIORITY_SCORE_FIELD, json!("high")),
        (PRIORITY_SCORE_FIELD, json!("5")),
        (CASE_ID_FIELD, json!(42)),
        (STATUS_FIELD, json!("Done")),
        (TRACKING_FIELD, json!("CBI-99")),
        (COMMENTS_FIELD, json!("a comment")),
        ("anope", json!("x")),
    ] {
        let body = json!({"applicationId": APP, "values": {field: value}});
        let res = sw(&url, "POST", &path, Some(body)).await;
        assert_eq!(res.status, 400, "{field} = {value}");
        let error = res.json();
        assert!(error["ErrorCode"].as_u64() == Some(5010) && error["Argument"].is_string(), "{error}");
    }
    let numeric = sw(&url, "POST", &path, Some(json!({"values": {PRIORITY_SCORE_FIELD: "7"}}))).await.json();
    assert!(numeric["Argument"].as_str().is_some_and(|a| a.contains("Priority Score")), "{numeric}");
    let other_app = json!({"applicationId": "aNotMyApp00000000", "values": {}});
    assert_eq!(sw(&url, "POST", &path, Some(other_app)).await.status, 400);
    assert!(swimlane.records().is_empty(), "refused records are not stored");
    let ok = sw(&url, "POST", &path, Some(json!({"values": {PRIORITY_SCORE_FIELD: 0}}))).await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn swimlane_faults_and_a_dropped_create() {
    let swimlane = FakeSwimlane::start(APP, TOKEN);
    let url = swimlane.url();
    let path = format!("/api/app/{APP}/record");
    swimlane.fail_next("POST", &path, vec![Reply::too_many_requests(2), Reply::status(502)]);
    let limited = sw(&url, "POST", &path, Some(record("case-1", "x"))).await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (429, Some("2")));
    assert_eq!(sw(&url, "POST", &path, Some(record("case-1", "x"))).await.status, 502);
    assert!(swimlane.records().is_empty());
    assert_eq!(sw(&url, "POST", &path, Some(record("case-1", "x"))).await.json()["name"], "CBI-1");

    swimlane.drop_after_next_create();
    let lost = try_call_with(&url, &Auth::None, &HEADERS, "POST", &path, Some(record("case-5", "lost"))).await;
    assert!(lost.is_err(), "the client sees no answer");
    assert_eq!(swimlane.record("CBI-2").map(|r| r.values[CASE_ID_FIELD].clone()), Some(json!("case-5")));
    let found = sw(&url, "POST", "/api/search", Some(search(CASE_ID_FIELD, json!("case-5")))).await.json();
    assert_eq!(found["results"][APP][0]["name"], "CBI-2");
}
