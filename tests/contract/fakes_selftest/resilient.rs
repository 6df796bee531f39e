//! The fake Resilient: API-key auth, the organisation path, incidents, PATCH with optimistic
//! concurrency, comments, the field catalogue, searches by a case's mark, and faults.

use std::time::Duration;

use serde_json::{Value, json};

use super::{Auth, call, strings, times_out, try_call};
use crate::fake_resilient::{CASE_ID_FIELD, FakeResilient};
use crate::server::Reply;

const KEY_ID: &str = "6a1d3c4e-0b2f-4a7d-9c1e-key";
const SECRET: &str = "soar-secret-Xq9";
const AUTH: Auth = Auth::Basic(KEY_ID, SECRET);
const ORG: u64 = 201;

fn org(path: &str) -> String {
    format!("/rest/orgs/{ORG}{path}")
}

const CREATE: &str = "/incidents?text_content_output_format=objects_convert";

fn incident(name: &str, case_id: &str) -> Value {
    json!({"name": name, "discovered_date": 1_717_000_000_000_i64,
        "description": {"format": "html", "content": format!("<p>{name}</p>")},
        "properties": {CASE_ID_FIELD: case_id}})
}

async fn create(url: &str, body: Value) -> i64 {
    let res = call(url, &AUTH, "POST", &org(CREATE), Some(body)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["id"].as_i64().expect("a numeric id")
}

async fn patch(url: &str, id: i64, changes: Value) -> Value {
    let res = call(url, &AUTH, "PATCH", &org(&format!("/incidents/{id}")), Some(json!({"changes": changes}))).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

#[tokio::test]
async fn resilient_refuses_wrong_keys_and_unknown_organisations() {
    let soar = FakeResilient::start(ORG, KEY_ID, SECRET);
    let url = soar.url();
    for auth in [Auth::None, Auth::Basic(KEY_ID, "wrong"), Auth::Basic("other-key", SECRET), Auth::Bearer(SECRET)] {
        let res = call(&url, &auth, "GET", &org("/types/incident/fields"), None).await;
        assert_eq!(res.status, 401);
        let body = res.json();
        assert_eq!((body["success"].as_bool(), body["message"].as_str()), (Some(false), Some("Unauthorized")));
    }
    let other = call(&url, &AUTH, "GET", "/rest/orgs/999/incidents/2095", None).await;
    assert_eq!((other.status, other.json()["message"].as_str()), (404, Some("Organization not found: 999")));
    let mine = call(&url, &AUTH, "GET", &org(""), None).await.json();
    assert_eq!((mine["id"].as_u64(), soar.org_id()), (Some(ORG), ORG));
}

#[tokio::test]
async fn resilient_create_get_patch_comment_and_field_catalogue() {
    let soar = FakeResilient::start(ORG, KEY_ID, SECRET);
    let url = soar.url();

    let types = call(&url, &AUTH, "GET", &org("/types/incident/fields/incident_type_ids"), None).await.json();
    let malware = types["values"].as_array().and_then(|v| v.iter().find(|t| t["label"] == "Malware")).cloned();
    assert_eq!(malware.map(|t| t["value"].clone()), Some(json!(19)));
    let severities = call(&url, &AUTH, "GET", &org("/types/incident/fields/severity_code"), None).await.json();
    assert_eq!(strings(&severities["values"], "/label"), ["Low", "Medium", "High"]);
    assert_eq!(severities["values"][2]["value"], 6);
    let fields = call(&url, &AUTH, "GET", &org("/types/incident/fields"), None).await.json();
    let field = |name: &str| fields.as_array().and_then(|f| f.iter().find(|f| f["name"] == name)).cloned();
    let custom = field(CASE_ID_FIELD).expect("the case mark field");
    assert_eq!((custom["input_type"].as_str(), custom["prefix"].as_str()), (Some("text"), Some("properties")));
    assert_eq!(field("name").map(|f| f["required"].clone()), Some(json!("always")));
    assert_eq!(field("description").map(|f| f["input_type"].clone()), Some(json!("textarea")));
    assert_eq!(field("create_date").map(|f| f["read_only"].clone()), Some(json!(true)));

    let mut body = incident("Disk full on ws-042", "case-1");
    body["incident_type_ids"] = json!([{"id": 19}]);
    body["severity_code"] = json!({"id": 6});
    let created = call(&url, &AUTH, "POST", &org(CREATE), Some(body)).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let created = created.json();
    let id = created["id"].as_i64().expect("a numeric id");
    assert!(created["create_date"].is_i64() && created["name"] == "Disk full on ws-042", "{created}");

    let converted = org(&format!("/incidents/{id}?text_content_output_format=objects_convert"));
    let got = call(&url, &AUTH, "GET", &converted, None).await.json();
    assert_eq!(got["description"], json!({"format": "html", "content": "<p>Disk full on ws-042</p>"}));
    assert_eq!((got["incident_type_ids"].clone(), got["severity_code"].clone()), (json!([19]), json!(6)));
    assert_eq!((got["properties"][CASE_ID_FIELD].as_str(), got["plan_status"].as_str()), (Some("case-1"), Some("A")));
    let plain = call(&url, &AUTH, "GET", &org(&format!("/incidents/{id}")), None).await.json();
    assert_eq!(plain["description"], "<p>Disk full on ws-042</p>", "without objects_convert: the bare content");

    let old_description = json!({"textarea": {"format": "html", "content": "<p>Disk full on ws-042</p>"}});
    let changes = json!([
        {"field": {"name": "name"}, "old_value": {"text": "Disk full on ws-042"},
            "new_value": {"text": "Disk full on ws-042 (contained)"}},
        {"field": {"name": "description"}, "old_value": old_description,
            "new_value": {"textarea": {"format": "html", "content": "<p>Contained.</p>"}}},
        {"field": {"name": "severity_code"}, "old_value": {"id": 6}, "new_value": {"id": 4}},
        {"field": {"name": "incident_type_ids"}, "old_value": {"ids": [19]}, "new_value": {"ids": [20, 19]}},
    ]);
    assert_eq!(patch(&url, id, changes).await["success"], true);
    let stored = soar.incident(id).expect("stored").fields;
    assert_eq!(
        (stored["name"].as_str(), stored["severity_code"].as_i64()),
        (Some("Disk full on ws-042 (contained)"), Some(4))
    );
    assert_eq!(
        (stored["description"]["content"].as_str(), stored["incident_type_ids"].clone()),
        (Some("<p>Contained.</p>"), json!([19, 20]))
    );
    assert!(stored["inc_last_modified_date"].as_i64() > stored["create_date"].as_i64());
    assert_eq!(stored["vers"], 2);

    let note = json!({"text": {"format": "text", "content": "Host isolated.\n\nAdded by alice."}});
    let comments = org(&format!("/incidents/{id}/comments"));
    let converted = format!("{comments}?text_content_output_format=objects_convert");
    let added = call(&url, &AUTH, "POST", &converted, Some(note)).await;
    assert_eq!(added.status, 200, "{}", added.text);
    let added = added.json();
    assert_eq!(added["text"], json!({"format": "text", "content": "Host isolated.\n\nAdded by alice."}));
    assert!(added["id"].is_i64() && added["create_date"].is_i64() && added["inc_id"] == id);
    call(&url, &AUTH, "POST", &comments, Some(json!({"text": {"format": "text", "content": "Second."}}))).await;
    assert_eq!(soar.comments(id), ["Host isolated.\n\nAdded by alice.", "Second."]);
    let listed = call(&url, &AUTH, "GET", &comments, None).await.json();
    assert_eq!(listed[1]["text"], "Second.");
    let empty = call(&url, &AUTH, "POST", &comments, Some(json!({"text": {"format": "text", "content": " "}}))).await;
    assert_eq!(empty.status, 400);

    let missing = call(&url, &AUTH, "GET", &org("/incidents/9999"), None).await;
    assert_eq!((missing.status, missing.json()["success"].as_bool()), (404, Some(false)));
    let no_date = call(&url, &AUTH, "POST", &org(CREATE), Some(json!({"name": "x"}))).await;
    let message = no_date.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(no_date.status == 400 && message.contains("discovered_date"), "{message}");
    let mut unknown = incident("x", "case-x");
    unknown["properties"]["no_such_field"] = json!("y");
    assert_eq!(call(&url, &AUTH, "POST", &org(CREATE), Some(unknown)).await.status, 400);
    let mut bad_severity = incident("x", "case-x");
    bad_severity["severity_code"] = json!({"id": 99});
    assert_eq!(call(&url, &AUTH, "POST", &org(CREATE), Some(bad_severity)).await.status, 400);
    assert_eq!(soar.incidents().len(), 1, "refused creates store nothing");
}

#[tokio::test]
async fn resilient_patch_with_a_stale_old_value_changes_nothing() {
    let soar = FakeResilient::start(ORG, KEY_ID, SECRET);
    let url = soar.url();
    let id = create(&url, incident("Original", "case-1")).await;
    soar.edit_incident(id, "name", json!("Renamed in SOAR"));

    let changes = json!([
        {"field": {"name": "description"}, "old_value": {"textarea": {"format": "html", "content": "<p>Original</p>"}},
            "new_value": {"textarea": {"format": "html", "content": "<p>New</p>"}}},
        {"field": {"name": "name"}, "old_value": {"text": "Original"}, "new_value": {"text": "From Casebook"}},
    ]);
    let conflict = patch(&url, id, changes).await;
    assert_eq!(conflict["success"], false, "{conflict}");
    assert!(conflict["message"].as_str().is_some_and(|m| !m.is_empty()));
    let failure = &conflict["field_failures"][0];
    assert_eq!(failure["field"]["name"], "name");
    assert_eq!(failure["actual_current_value"], json!({"text": "Renamed in SOAR"}));
    assert_eq!(conflict["field_failures"].as_array().map(Vec::len), Some(1));
    let stored = soar.incident(id).expect("stored").fields;
    assert_eq!(
        (stored["name"].as_str(), stored["description"]["content"].as_str()),
        (Some("Renamed in SOAR"), Some("<p>Original</p>")),
        "nothing applied"
    );

    let retried = json!([{"field": {"name": "name"}, "old_value": {"text": "Renamed in SOAR"},
        "new_value": {"text": "From Casebook"}}]);
    assert_eq!(patch(&url, id, retried).await["success"], true);
    let custom = json!([{"field": {"name": format!("properties.{CASE_ID_FIELD}")}, "old_value": "case-1",
        "new_value": "case-2"}]);
    assert_eq!(patch(&url, id, custom).await["success"], true);
    let blind = json!([{"field": {"name": "name"}, "new_value": {"text": "Blind write"}}]);
    assert_eq!(patch(&url, id, blind).await["success"], true, "no old_value: no check");
    let fields = soar.incident(id).expect("stored").fields;
    assert_eq!(
        (fields["name"].as_str(), fields["properties"][CASE_ID_FIELD].as_str()),
        (Some("Blind write"), Some("case-2"))
    );

    let vers = fields["vers"].as_i64().unwrap_or_default();
    let stale = json!({"version": vers - 1, "changes": [{"field": {"name": "name"}, "new_value": {"text": "x"}}]});
    let res = call(&url, &AUTH, "PATCH", &org(&format!("/incidents/{id}")), Some(stale)).await.json();
    assert_eq!(res["success"], false);
    let read_only = json!([{"field": {"name": "create_date"}, "new_value": {"date": 1}}]);
    let res = call(&url, &AUTH, "PATCH", &org(&format!("/incidents/{id}")), Some(json!({"changes": read_only}))).await;
    assert_eq!(res.status, 400);
    assert_eq!(soar.incident(id).map(|i| i.fields["name"].clone()), Some(json!("Blind write")));
}

#[tokio::test]
async fn resilient_query_paged_finds_incidents_by_case_mark() {
    let soar = FakeResilient::start(ORG, KEY_ID, SECRET);
    let url = soar.url();
    let first = create(&url, incident("[Casebook] Disk full", "case-1")).await;
    let second = create(&url, incident("Phishing mail", "case-2")).await;
    let query = org("/incidents/query_paged?return_level=normal");
    let by_mark = |value: &str| {
        json!({"filters": [{"conditions": [{"field_name": format!("properties.{CASE_ID_FIELD}"),
            "method": "equals", "value": value}]}], "sorts": [{"field_name": "create_date", "type": "desc"}],
            "start": 0, "length": 10})
    };
    let found = call(&url, &AUTH, "POST", &query, Some(by_mark("case-2"))).await.json();
    assert_eq!((found["recordsTotal"].as_u64(), found["data"][0]["id"].as_i64()), (Some(1), Some(second)));
    assert_eq!(found["data"][0]["properties"][CASE_ID_FIELD], "case-2");
    let none = call(&url, &AUTH, "POST", &query, Some(by_mark("case-9"))).await.json();
    assert_eq!((none["recordsTotal"].as_u64(), none["data"].clone()), (Some(0), json!([])));

    let by_name =
        json!({"filters": [{"conditions": [{"field_name": "name", "method": "contains", "value": "casebook"}]}]});
    let found = call(&url, &AUTH, "POST", &query, Some(by_name)).await.json();
    assert_eq!(found["data"].as_array().map(|d| d.iter().map(|i| i["id"].clone()).collect()), Some(vec![json!(first)]));
    let all = json!({"filters": [], "sorts": [{"field_name": "id", "type": "desc"}], "length": 1});
    let page = call(&url, &AUTH, "POST", &query, Some(all)).await.json();
    assert_eq!((page["recordsTotal"].as_u64(), page["data"][0]["id"].as_i64()), (Some(2), Some(second)));
    let bad = json!({"filters": [{"conditions": [{"field_name": "nope", "method": "equals", "value": "x"}]}]});
    assert_eq!(call(&url, &AUTH, "POST", &query, Some(bad)).await.status, 400);
}

#[tokio::test]
async fn resilient_faults_slow_answers_and_a_dropped_create() {
    let soar = FakeResilient::start(ORG, KEY_ID, SECRET);
    let url = soar.url();
    let busy = Reply::json(503, &json!({"success": false, "message": "Service Unavailable"}));
    soar.fail_next("POST", &org("/incidents"), vec![Reply::too_many_requests(5), busy]);
    let limited = call(&url, &AUTH, "POST", &org(CREATE), Some(incident("x", "case-1"))).await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (429, Some("5")));
    assert_eq!(call(&url, &AUTH, "POST", &org(CREATE), Some(incident("x", "case-1"))).await.status, 503);
    assert!(soar.incidents().is_empty(), "faulted requests store nothing");
    let id = create(&url, incident("x", "case-1")).await;

    soar.fail_next("GET", &org("/incidents"), vec![Reply::json(200, &json!({})).delayed(Duration::from_secs(2))]);
    assert!(times_out(&format!("{url}{}", org(&format!("/incidents/{id}")))).await);

    soar.drop_after_next_create();
    let lost = try_call(&url, &AUTH, "POST", &org(CREATE), Some(incident("lost answer", "case-7"))).await;
    assert!(lost.is_err(), "the client sees no answer");
    let stored = soar.incidents();
    assert_eq!((stored.len(), stored[1].fields["name"].as_str()), (2, Some("lost answer")));
    let query = json!({"filters": [{"conditions": [{"field_name": format!("properties.{CASE_ID_FIELD}"),
        "method": "equals", "value": "case-7"}]}]});
    let found = call(&url, &AUTH, "POST", &org("/incidents/query_paged?return_level=normal"), Some(query)).await;
    assert_eq!(found.json()["data"][0]["id"].as_i64(), Some(stored[1].id));
}
