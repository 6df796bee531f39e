//! The fake TheHive: the Bearer key and `X-Organisation`, cases with every field Kibana's schema
//! requires, status changes, comments, the query API finding a case by tag, and faults.

use serde_json::{Value, json};

use super::{Auth, call_with, strings, try_call_with};
use crate::fake_thehive::{FakeTheHive, LOGIN};
use crate::server::Reply;

const KEY: &str = "hive-api-key-0c1d";
const AUTH: Auth = Auth::Bearer(KEY);
const TAG: &str = "casebook-5f0c6d2e-8a51-4c1f-9d7b-2e4a6c8b0f13";

/// The fields Kibana's `TheHiveIncidentResponseSchema` requires.
const REQUIRED: [&str; 20] = [
    "_id",
    "_type",
    "_createdBy",
    "_createdAt",
    "number",
    "title",
    "description",
    "severity",
    "severityLabel",
    "startDate",
    "flag",
    "tlp",
    "tlpLabel",
    "pap",
    "papLabel",
    "status",
    "stage",
    "extraData",
    "newDate",
    "timeToDetect",
];

async fn hive(url: &str, org: Option<&str>, method: &str, path: &str, body: Option<Value>) -> super::Resp {
    let headers: Vec<(&str, &str)> = org.map(|o| ("x-organisation", o)).into_iter().collect();
    call_with(url, &AUTH, &headers, method, path, body).await
}

fn new_case(title: &str, tags: &[&str]) -> Value {
    json!({"title": title, "description": format!("{title}\n\nAdded by alice."), "severity": 3, "tlp": 2,
        "tags": tags})
}

fn by_tag(tag: &str) -> Value {
    json!({"query": [{"_name": "listCase"}, {"_name": "filter", "_eq": {"_field": "tags", "_value": tag}}]})
}

#[tokio::test]
async fn thehive_refuses_bad_keys_and_foreign_organisations() {
    let thehive = FakeTheHive::start(KEY, &["SOC", "CERT"]);
    let url = thehive.url();
    for auth in [Auth::None, Auth::Bearer("wrong"), Auth::Basic(LOGIN, KEY)] {
        let res = call_with(&url, &auth, &[], "GET", "/api/v1/user/current", None).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.json(), json!({"type": "AuthenticationError", "message": "Authentication failure"}));
    }
    let foreign = hive(&url, Some("Other"), "GET", "/api/v1/user/current", None).await;
    assert_eq!((foreign.status, foreign.json()["type"].as_str()), (403, Some("AuthorizationError")));
    let me = hive(&url, None, "GET", "/api/v1/user/current", None).await.json();
    assert_eq!(
        (me["login"].as_str(), me["organisation"].as_str()),
        (Some(LOGIN), Some("SOC")),
        "no header: the default"
    );
    assert!(me["_id"].is_string() && me["name"].is_string());
    assert_eq!(strings(&me["organisations"], "/organisation"), ["SOC", "CERT"]);
    let cert = hive(&url, Some("CERT"), "GET", "/api/v1/user/current", None).await.json();
    assert_eq!(cert["organisation"], "CERT");
}

#[tokio::test]
async fn thehive_create_get_update_status_and_comment() {
    let thehive = FakeTheHive::start(KEY, &["SOC", "CERT"]);
    let url = thehive.url();
    let created = hive(&url, Some("SOC"), "POST", "/api/v1/case", Some(new_case("Disk full", &[TAG, "disk"]))).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let case = created.json();
    for field in REQUIRED {
        assert!(case.get(field).is_some_and(|v| !v.is_null()), "{field} missing from {case}");
    }
    let id = case["_id"].as_str().unwrap_or_default().to_string();
    assert!(id.starts_with('~') && id[1..].parse::<u64>().is_ok(), "{id}");
    assert_eq!((case["_type"].as_str(), case["number"].as_u64()), (Some("Case"), Some(1)));
    assert_eq!((case["severity"].as_i64(), case["severityLabel"].as_str()), (Some(3), Some("HIGH")));
    assert_eq!(
        (case["tlpLabel"].as_str(), case["pap"].as_i64(), case["papLabel"].as_str()),
        (Some("AMBER"), Some(2), Some("AMBER"))
    );
    assert_eq!((case["status"].as_str(), case["stage"].as_str()), (Some("New"), Some("New")));
    assert_eq!((case["tags"].clone(), case["assignee"].as_str()), (json!([TAG, "disk"]), Some(LOGIN)));
    assert!(case["_createdAt"].is_i64() && case.get("endDate").is_none(), "{case}");

    let by_number = hive(&url, Some("SOC"), "GET", "/api/v1/case/1", None).await.json();
    assert_eq!(by_number["_id"], json!(id));
    let path = format!("/api/v1/case/{id}");
    let patched =
        hive(&url, Some("SOC"), "PATCH", &path, Some(json!({"title": "Disk full (contained)", "tlp": 1}))).await;
    assert_eq!((patched.status, patched.text.as_str()), (204, ""));
    let got = hive(&url, Some("SOC"), "GET", &path, None).await.json();
    assert_eq!((got["title"].as_str(), got["tlpLabel"].as_str()), (Some("Disk full (contained)"), Some("GREEN")));
    assert!(got["_updatedAt"].is_i64() && got["_updatedBy"] == LOGIN);

    hive(&url, Some("SOC"), "PATCH", &path, Some(json!({"status": "InProgress"}))).await;
    let got = hive(&url, Some("SOC"), "GET", &path, None).await.json();
    assert_eq!((got["stage"].as_str(), got["inProgressDate"].is_i64()), (Some("InProgress"), true));
    let close = json!({"status": "TruePositive", "impactStatus": "WithImpact", "summary": "Contained and cleaned."});
    assert_eq!(hive(&url, Some("SOC"), "PATCH", &path, Some(close)).await.status, 204);
    let got = hive(&url, Some("SOC"), "GET", &path, None).await.json();
    assert_eq!(
        (got["status"].as_str(), got["stage"].as_str(), got["impactStatus"].as_str()),
        (Some("TruePositive"), Some("Closed"), Some("WithImpact"))
    );
    assert!(got["endDate"].is_i64() && got["summary"] == "Contained and cleaned.");
    hive(&url, Some("SOC"), "PATCH", &path, Some(json!({"status": "New"}))).await;
    let got = hive(&url, Some("SOC"), "GET", &path, None).await.json();
    assert_eq!((got["stage"].as_str(), got.get("endDate")), (Some("New"), None), "reopened");
    let bad = hive(&url, Some("SOC"), "PATCH", &path, Some(json!({"status": "Closed"}))).await;
    assert_eq!((bad.status, bad.json()["type"].as_str()), (400, Some("BadRequest")));
    let bad_impact =
        hive(&url, Some("SOC"), "PATCH", &path, Some(json!({"status": "FalsePositive", "impactStatus": "Huge"})));
    assert_eq!(bad_impact.await.status, 400);
    assert_eq!(
        thehive.case(&id).map(|c| c.case["status"].clone()),
        Some(json!("New")),
        "refused updates change nothing"
    );

    let comments = format!("{path}/comment");
    let comment = hive(&url, Some("SOC"), "POST", &comments, Some(json!({"message": "Host isolated."}))).await;
    assert_eq!(comment.status, 201, "{}", comment.text);
    let comment = comment.json();
    assert_eq!((comment["_type"].as_str(), comment["message"].as_str()), (Some("Comment"), Some("Host isolated.")));
    assert!(comment["_id"].is_string() && comment["createdAt"].is_i64() && comment["isEdited"] == false);
    assert_eq!(thehive.comments(&id), ["Host isolated."]);
    let empty = hive(&url, Some("SOC"), "POST", &format!("{path}/comment"), Some(json!({"message": ""}))).await;
    assert_eq!(empty.status, 400);

    let untitled = hive(&url, Some("SOC"), "POST", "/api/v1/case", Some(json!({"description": "x"}))).await;
    assert_eq!((untitled.status, untitled.json()["type"].as_str()), (400, Some("AttributeCheckingError")));
    let bad_severity =
        hive(&url, Some("SOC"), "POST", "/api/v1/case", Some(json!({"title": "x", "description": "x", "severity": 9})));
    assert_eq!(bad_severity.await.status, 400);

    let elsewhere = hive(&url, Some("CERT"), "GET", &path, None).await;
    assert_eq!((elsewhere.status, elsewhere.json()["type"].as_str()), (404, Some("NotFoundError")));
    let cert = hive(&url, Some("CERT"), "POST", "/api/v1/case", Some(new_case("Other org", &[]))).await.json();
    assert_eq!(cert["number"], 1, "numbers count per organisation");
    assert_eq!(thehive.cases().iter().map(|c| c.organisation.as_str()).collect::<Vec<_>>(), ["SOC", "CERT"]);
}

#[tokio::test]
async fn thehive_query_finds_cases_by_tag() {
    let thehive = FakeTheHive::start(KEY, &["SOC", "CERT"]);
    let url = thehive.url();
    let first = hive(&url, None, "POST", "/api/v1/case", Some(new_case("Disk full", &[TAG]))).await.json();
    hive(&url, None, "POST", "/api/v1/case", Some(new_case("Phishing", &["casebook-other"]))).await;
    hive(&url, Some("CERT"), "POST", "/api/v1/case", Some(new_case("Same tag elsewhere", &[TAG]))).await;

    let found = hive(&url, Some("SOC"), "POST", "/api/v1/query", Some(by_tag(TAG))).await;
    assert_eq!(found.status, 200, "{}", found.text);
    let found = found.json();
    assert_eq!(strings(&found, "/_id"), [first["_id"].as_str().unwrap_or_default()], "only this organisation's");
    let none = hive(&url, Some("SOC"), "POST", "/api/v1/query", Some(by_tag("casebook-missing"))).await.json();
    assert_eq!(none, json!([]));

    let query = json!({"query": [{"_name": "listCase"},
        {"_name": "filter", "_or": [{"_like": {"_field": "title", "_value": "phish*"}}, {"_eq": {"number": 1}}]},
        {"_name": "sort", "_fields": [{"_createdAt": "desc"}]}, {"_name": "page", "from": 0, "to": 10}]});
    let titles = hive(&url, Some("SOC"), "POST", "/api/v1/query", Some(query)).await.json();
    assert_eq!(strings(&titles, "/title"), ["Phishing", "Disk full"]);
    let count = json!({"query": [{"_name": "listCase"}, {"_name": "count"}]});
    assert_eq!(hive(&url, Some("SOC"), "POST", "/api/v1/query", Some(count)).await.json(), json!(2));

    let id = first["_id"].as_str().unwrap_or_default();
    hive(&url, None, "POST", &format!("/api/v1/case/{id}/comment"), Some(json!({"message": "Noted."}))).await;
    let comments = json!({"query": [{"_name": "getCase", "idOrName": id}, {"_name": "comments"}]});
    let listed = hive(&url, None, "POST", "/api/v1/query", Some(comments)).await.json();
    assert_eq!(strings(&listed, "/message"), ["Noted."]);
    let bad = json!({"query": [{"_name": "filter", "_eq": {"_field": "tags", "_value": TAG}}]});
    let bad = hive(&url, None, "POST", "/api/v1/query", Some(bad)).await;
    assert_eq!((bad.status, bad.json()["type"].as_str()), (400, Some("BadRequest")));
}

#[tokio::test]
async fn thehive_faults_and_a_dropped_create() {
    let thehive = FakeTheHive::start(KEY, &["SOC"]);
    let url = thehive.url();
    let busy = Reply::json(503, &json!({"type": "ServiceUnavailable", "message": "Try later"}));
    thehive.fail_next("POST", "/api/v1/case", vec![Reply::too_many_requests(1), busy]);
    let limited = hive(&url, None, "POST", "/api/v1/case", Some(new_case("x", &[]))).await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (429, Some("1")));
    assert_eq!(hive(&url, None, "POST", "/api/v1/case", Some(new_case("x", &[]))).await.status, 503);
    assert!(thehive.cases().is_empty());
    assert_eq!(hive(&url, None, "POST", "/api/v1/case", Some(new_case("x", &[]))).await.status, 201);

    thehive.drop_after_next_create();
    let lost = try_call_with(&url, &AUTH, &[], "POST", "/api/v1/case", Some(new_case("lost", &[TAG]))).await;
    assert!(lost.is_err(), "the client sees no answer");
    let found = hive(&url, None, "POST", "/api/v1/query", Some(by_tag(TAG))).await.json();
    assert_eq!((strings(&found, "/title"), thehive.cases().len()), (vec!["lost".to_string()], 2));
}
