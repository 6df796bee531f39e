//! The fakes driven with plain HTTP, to show they keep the contract the clients are tested
//! against: shapes, statuses, validation, auth errors and the injected faults. Jira and
//! ServiceNow here; Resilient, Swimlane, TheHive and the webhook ticket API in their own files.

mod resilient;
mod swimlane;
mod thehive;
mod webhook;

use std::time::Duration;

use serde_json::{Value, json};

use crate::fake_jira::{FakeJira, Flavour, JiraAuth};
use crate::fake_servicenow::FakeServiceNow;
use crate::server::Reply;

enum Auth {
    None,
    Basic(&'static str, &'static str),
    Bearer(&'static str),
}

struct Resp {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Resp {
    /// The header `name`, when present and text.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
}

async fn try_call(base: &str, auth: &Auth, method: &str, path: &str, body: Option<Value>) -> reqwest::Result<Resp> {
    try_call_with(base, auth, &[], method, path, body).await
}

/// As `try_call`, with these extra headers.
async fn try_call_with(
    base: &str,
    auth: &Auth,
    headers: &[(&str, &str)],
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Result<Resp> {
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build()?;
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = client.request(method, format!("{base}{path}")).header("accept", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request = match auth {
        Auth::None => request,
        Auth::Basic(user, secret) => request.basic_auth(user, Some(secret)),
        Auth::Bearer(token) => request.bearer_auth(token),
    };
    if let Some(body) = body {
        let bytes = serde_json::to_vec(&body).expect("serialisable");
        request = request.header("content-type", "application/json").body(bytes);
    }
    let res = request.send().await?;
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (status, content_type, retry_after) =
        (res.status().as_u16(), header("content-type").unwrap_or_default(), header("retry-after"));
    let headers = res.headers().clone();
    Ok(Resp { status, content_type, retry_after, headers, text: res.text().await? })
}

async fn call_with(
    base: &str,
    auth: &Auth,
    headers: &[(&str, &str)],
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Resp {
    try_call_with(base, auth, headers, method, path, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e:?}"))
}

/// Whether a client giving up after 300 ms times out on `GET url` (for `Reply::delayed`).
async fn times_out(url: &str) -> bool {
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_millis(300)).build().expect("a client");
    client.get(url).send().await.is_err_and(|e| e.is_timeout())
}

async fn call(base: &str, auth: &Auth, method: &str, path: &str, body: Option<Value>) -> Resp {
    try_call(base, auth, method, path, body).await.unwrap_or_else(|e| panic!("{method} {path}: {e:?}"))
}

fn strings(v: &Value, pointer: &str) -> Vec<String> {
    v.as_array()
        .map(|items| items.iter().filter_map(|i| i.pointer(pointer)?.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn task(summary: &str, labels: &[&str]) -> Value {
    json!({"fields": {"summary": summary, "project": {"key": "SEC"}, "issuetype": {"id": "10001"}, "labels": labels}})
}

// ---------------------------------------------------------------------------------------------
// Jira

const EMAIL: &str = "analyst@example.com";
const TOKEN: &str = "ATATT3xFfGF0-token";

#[tokio::test]
async fn jira_cloud_create_get_edit_comment_and_search() {
    let jira = FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN));
    let (url, auth) = (jira.url(), Auth::Basic(EMAIL, TOKEN));

    let me = call(&url, &auth, "GET", "/rest/api/2/myself", None).await.json();
    assert_eq!((me["emailAddress"].as_str(), me["displayName"].as_str()), (Some(EMAIL), Some("Casey Analyst")));
    assert!(me["accountId"].is_string() && me.get("name").is_none(), "{me}");
    let project = call(&url, &auth, "GET", "/rest/api/2/project/SEC", None).await.json();
    assert_eq!((project["id"].as_str(), project["key"].as_str()), (Some("10000"), Some("SEC")));
    let missing = call(&url, &auth, "GET", "/rest/api/2/project/NOPE", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json(), json!({"errorMessages": ["No project could be found with key 'NOPE'."], "errors": {}}));

    let types = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes", None).await.json();
    assert_eq!(strings(&types["issueTypes"], "/name"), ["Task", "Bug", "Sub-task"]);
    assert_eq!(strings(&types["issueTypes"], "/id"), ["10001", "10002", "10003"]);
    assert_eq!((types["issueTypes"][2]["subtask"].as_bool(), types.get("values")), (Some(true), None));
    let fields = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes/10003", None).await.json();
    let ids = strings(&fields["fields"], "/fieldId");
    for id in ["summary", "issuetype", "description", "labels", "priority", "parent"] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
    let priority = fields["fields"].as_array().into_iter().flatten().find(|f| f["fieldId"] == "priority").cloned();
    let names = strings(&priority.unwrap_or_default()["allowedValues"], "/name");
    assert_eq!(names, ["Highest", "High", "Medium", "Low", "Lowest"]);
    let task_fields = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes/10001", None).await.json();
    assert!(!strings(&task_fields["fields"], "/fieldId").contains(&"parent".to_string()));

    let mut body = task("Disk full on ws-042", &["casebook", "case-42"]);
    body["fields"]["description"] = json!("Ransomware suspected.\n\nAdded by alice.");
    body["fields"]["priority"] = json!({"name": "High"});
    let created = call(&url, &auth, "POST", "/rest/api/2/issue", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let created = created.json();
    assert_eq!((created["id"].as_str(), created["key"].as_str()), (Some("10000"), Some("SEC-1")));
    assert_eq!(created["self"], json!(format!("{url}/rest/api/2/issue/10000")));
    let second = call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("Phishing mail", &["other"]))).await.json();
    assert_eq!((second["id"].as_str(), second["key"].as_str()), (Some("10001"), Some("SEC-2")));

    let issue = call(&url, &auth, "GET", "/rest/api/2/issue/10000", None).await.json();
    let f = &issue["fields"];
    assert_eq!((issue["key"].as_str(), f["summary"].as_str()), (Some("SEC-1"), Some("Disk full on ws-042")));
    assert_eq!(f["labels"], json!(["case-42", "casebook"]), "Jira sorts labels");
    assert_eq!((f["priority"]["name"].as_str(), f["issuetype"]["name"].as_str()), (Some("High"), Some("Task")));
    assert_eq!(f["comment"]["comments"], json!([]));
    let created_at = f["created"].as_str().unwrap_or_default().to_string();
    assert!(
        created_at.len() == 28 && created_at.ends_with("+0000") && created_at.as_bytes()[19] == b'.',
        "{created_at}"
    );

    let edit = json!({"fields": {"summary": "Disk full on ws-042 (contained)", "project": {"key": "SEC"}}});
    let edited = call(&url, &auth, "PUT", "/rest/api/2/issue/SEC-1", Some(edit)).await;
    assert_eq!((edited.status, edited.text.as_str()), (204, ""));
    let comment = call(&url, &auth, "POST", "/rest/api/2/issue/SEC-1/comment", Some(json!({"body": "Host isolated."})));
    let comment = comment.await;
    assert_eq!(comment.status, 201);
    let comment = comment.json();
    assert!(comment["id"].is_string() && comment["created"].is_string());
    assert_eq!(
        (comment["body"].as_str(), comment["author"]["displayName"].as_str()),
        (Some("Host isolated."), Some("Casey Analyst"))
    );

    let issue = call(&url, &auth, "GET", "/rest/api/2/issue/sec-1", None).await.json();
    let f = &issue["fields"];
    assert_eq!(f["summary"], "Disk full on ws-042 (contained)");
    assert!(f["updated"].as_str() > Some(created_at.as_str()), "updated moves: {f}");
    assert_eq!(strings(&f["comment"]["comments"], "/body"), ["Host isolated."]);
    let stored = jira.issue("SEC-1").expect("stored");
    assert_eq!((stored.id.as_str(), stored.comments.as_slice()), ("10000", ["Host isolated.".to_string()].as_slice()));
    assert_eq!(stored.fields["description"], "Ransomware suspected.\n\nAdded by alice.");
    assert_eq!(jira.issues().iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["SEC-1", "SEC-2"]);
    assert!(jira.issue("SEC-9").is_none());
    let gone = call(&url, &auth, "GET", "/rest/api/2/issue/SEC-9", None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.json()["errorMessages"], json!(["Issue does not exist or you do not have permission to see it."]));

    let search =
        "/rest/api/2/search/jql?jql=project%3D%22SEC%22%20AND%20labels%20%3D%20%22case-42%22&fields=summary,labels";
    let found = call(&url, &auth, "GET", search, None).await.json();
    assert_eq!((strings(&found["issues"], "/key"), found["isLast"].as_bool()), (vec!["SEC-1".to_string()], Some(true)));
    let fields = found["issues"][0]["fields"].as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
    assert_eq!(fields.unwrap_or_default(), ["labels", "summary"]);
    let ids_only = call(&url, &auth, "GET", "/rest/api/2/search/jql?jql=project%3DSEC", None).await.json();
    assert_eq!(ids_only["issues"], json!([{"id": "10001"}, {"id": "10000"}]), "no fields asked: ids only");
    let jql = "project = SEC and summary ~ \"DISK\" ORDER BY created ASC";
    let by_text = json!({"jql": jql, "fields": ["summary"], "maxResults": 10});
    let by_text = call(&url, &auth, "POST", "/rest/api/2/search/jql", Some(by_text)).await.json();
    assert_eq!(strings(&by_text["issues"], "/key"), ["SEC-1"]);
    let paged = call(&url, &auth, "GET", "/rest/api/2/search/jql?jql=project%3DSEC&fields=summary&maxResults=1", None);
    let paged = paged.await.json();
    assert_eq!((paged["isLast"].as_bool(), paged["nextPageToken"].is_string()), (Some(false), true));
    let removed = call(&url, &auth, "GET", "/rest/api/2/search?jql=project%3DSEC", None).await;
    assert_eq!(removed.status, 410);
    let message = removed.json()["errorMessages"][0].as_str().unwrap_or_default().to_string();
    assert!(
        message.starts_with("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.")
    );
}

#[tokio::test]
async fn jira_data_center_answers_values_and_the_classic_search() {
    let jira = FakeJira::start(Flavour::DataCenter, "SEC", JiraAuth::Bearer("pat-123".into()));
    let (url, auth) = (jira.url(), Auth::Bearer("pat-123"));
    let me = call(&url, &auth, "GET", "/rest/api/2/myself", None).await.json();
    assert!(me["name"].is_string() && me["key"].is_string() && me.get("accountId").is_none(), "{me}");
    let types = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes", None).await.json();
    assert_eq!((strings(&types["values"], "/name").len(), types.get("issueTypes")), (3, None));
    let fields = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/SEC/issuetypes/10001", None).await.json();
    assert!(strings(&fields["values"], "/fieldId").contains(&"priority".to_string()));
    let unknown = call(&url, &auth, "GET", "/rest/api/2/issue/createmeta/NOPE/issuetypes", None).await;
    assert_eq!(
        (unknown.status, unknown.json()["errorMessages"][0].as_str()),
        (404, Some("No project could be found with key 'NOPE'."))
    );

    for summary in ["First", "Second"] {
        let r = call(&url, &auth, "POST", "/rest/api/2/issue", Some(task(summary, &["x"]))).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let sub = json!({"fields": {"summary": "Sub", "project": {"key": "SEC"}, "issuetype": {"id": "10003"},
        "parent": {"key": "SEC-1"}}});
    let sub = call(&url, &auth, "POST", "/rest/api/2/issue", Some(sub)).await;
    assert_eq!((sub.status, sub.json()["key"].as_str()), (201, Some("SEC-3")));
    let parent = call(&url, &auth, "GET", "/rest/api/2/issue/SEC-3?fields=parent", None).await.json();
    assert_eq!(parent["fields"]["parent"]["fields"]["summary"], "First");

    let jql_path = call(&url, &auth, "GET", "/rest/api/2/search/jql?jql=project%3DSEC", None).await;
    assert_eq!(jql_path.status, 404);
    assert!(jql_path.json()["message"].as_str().unwrap_or_default().starts_with("null for uri: "));
    let q = "/rest/api/2/search?jql=labels%20in%20(%22x%22)%20ORDER%20BY%20created%20DESC";
    let found = call(&url, &auth, "GET", q, None).await.json();
    assert_eq!((found["total"].as_u64(), found["startAt"].as_u64()), (Some(2), Some(0)));
    assert_eq!(strings(&found["issues"], "/key"), ["SEC-2", "SEC-1"]);
    assert!(found["issues"][0]["fields"]["summary"].is_string(), "DC returns navigable fields by default");
    let post = json!({"jql": "project = \"SEC\" AND issuetype != Sub-task", "maxResults": 1, "startAt": 1});
    let page = call(&url, &auth, "POST", "/rest/api/2/search", Some(post)).await.json();
    assert_eq!((page["total"].as_u64(), page["issues"].as_array().map(Vec::len)), (Some(2), Some(1)));
    for (jql, wanted) in [
        ("project%20SEC", "Error in the JQL Query: Expecting operator but got 'SEC'."),
        ("project%3DNOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("summary%3Dx", "The operator '=' is not supported by the 'summary' field."),
    ] {
        let bad = call(&url, &auth, "GET", &format!("/rest/api/2/search?jql={jql}"), None).await;
        let message = bad.json()["errorMessages"][0].as_str().unwrap_or_default().to_string();
        assert!(bad.status == 400 && message.starts_with(wanted), "{jql}: {message}");
    }
}

#[tokio::test]
async fn jira_rejects_what_jira_rejects_and_stores_nothing() {
    let jira = FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN));
    let (url, auth) = (jira.url(), Auth::Basic(EMAIL, TOKEN));
    let mut cases: Vec<(Value, &str, &str)> = Vec::new();
    let mut no_summary = task("x", &[]);
    no_summary["fields"]["summary"] = Value::Null;
    cases.push((no_summary, "summary", "You must specify a summary of the issue."));
    let mut other_project = task("x", &[]);
    other_project["fields"]["project"] = json!({"key": "OPS"});
    cases.push((other_project, "project", "valid project is required"));
    let mut bad_type = task("x", &[]);
    bad_type["fields"]["issuetype"] = json!({"id": "99999"});
    cases.push((bad_type, "issuetype", "valid issue type is required"));
    cases.push((task("x", &["two words"]), "labels", "The label 'two words' contains spaces which is invalid."));
    let mut bad_priority = task("x", &[]);
    bad_priority["fields"]["priority"] = json!({"name": "Urgent"});
    cases.push((bad_priority, "priority", "Priority name 'Urgent' is not valid"));
    let mut orphan = task("x", &[]);
    orphan["fields"]["issuetype"] = json!({"id": "10003"});
    cases.push((orphan, "parent", "Issue type is a sub-task but parent issue key or id not specified."));
    for (body, field, message) in cases {
        let r = call(&url, &auth, "POST", "/rest/api/2/issue", Some(body)).await;
        assert_eq!(r.status, 400, "{field}");
        assert_eq!(r.json(), json!({"errorMessages": [], "errors": {field: message}}));
    }
    let garbage = try_call(&url, &auth, "POST", "/rest/api/2/issue", None).await.expect("an answer");
    assert_eq!((garbage.status, garbage.json()["errorMessages"].as_array().map(Vec::len)), (400, Some(1)));
    assert!(jira.issues().is_empty());

    assert_eq!(call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("ok", &[]))).await.status, 201);
    let empty = json!({"fields": {"summary": "  "}});
    let r = call(&url, &auth, "PUT", "/rest/api/2/issue/SEC-1", Some(empty)).await;
    assert_eq!(
        (r.status, r.json()["errors"]["summary"].as_str()),
        (400, Some("You must specify a summary of the issue."))
    );
    let r = call(&url, &auth, "PUT", "/rest/api/2/issue/SEC-7", Some(json!({"fields": {}}))).await;
    assert_eq!(r.status, 404);
    let r = call(&url, &auth, "POST", "/rest/api/2/issue/SEC-1/comment", Some(json!({"body": ""}))).await;
    assert_eq!((r.status, r.json()["errors"]["comment"].as_str()), (400, Some("Comment body can not be empty!")));
    assert_eq!(jira.issue("SEC-1").map(|i| (i.fields["summary"].clone(), i.comments.len())), Some((json!("ok"), 0)));
}

#[tokio::test]
async fn jira_authentication_errors_differ_by_flavour() {
    let jira = FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN));
    let url = jira.url();
    for auth in [Auth::None, Auth::Basic(EMAIL, "wrong"), Auth::Bearer(TOKEN)] {
        let r = call(&url, &auth, "GET", "/rest/api/2/myself", None).await;
        assert_eq!((r.status, r.text.as_str()), (401, "Client must be authenticated to access this resource."));
        assert!(r.content_type.starts_with("text/plain"), "{}", r.content_type);
    }
    jira.set_auth(JiraAuth::Bearer("rotated".into()));
    assert_eq!(call(&url, &Auth::Basic(EMAIL, TOKEN), "GET", "/rest/api/2/myself", None).await.status, 401);
    assert_eq!(call(&url, &Auth::Bearer("rotated"), "GET", "/rest/api/2/myself", None).await.status, 200);
    jira.set_forbidden(true);
    let r = call(&url, &Auth::Bearer("rotated"), "GET", "/rest/api/2/project/SEC", None).await;
    assert_eq!(r.status, 403);
    let denied = json!({"errorMessages": ["You do not have the permission to see the specified issue."], "errors": {}});
    assert_eq!(r.json(), denied);
    jira.set_forbidden(false);
    assert_eq!(call(&url, &Auth::Bearer("rotated"), "GET", "/rest/api/2/project/SEC", None).await.status, 200);

    let dc = FakeJira::start(Flavour::DataCenter, "SEC", JiraAuth::basic("casey", "hunter2"));
    let r = call(&dc.url(), &Auth::Basic("casey", "nope"), "GET", "/rest/api/2/myself", None).await;
    let message = "You are not authenticated. Authentication required to perform this operation.";
    let wanted = json!({"errorMessages": [message], "errors": {}});
    assert_eq!((r.status, r.json()), (401, wanted));
    let me = call(&dc.url(), &Auth::Basic("casey", "hunter2"), "GET", "/rest/api/2/myself", None).await.json();
    assert_eq!(me["name"], "casey");
}

#[tokio::test]
async fn jira_faults_answer_instead_and_a_dropped_create_still_creates() {
    let jira = FakeJira::start(Flavour::Cloud, "SEC", JiraAuth::basic(EMAIL, TOKEN));
    let (url, auth) = (jira.url(), Auth::Basic(EMAIL, TOKEN));
    let busy = Reply::json(503, &json!({"errorMessages": ["Service unavailable"], "errors": {}}));
    jira.fail_next("POST", "/rest/api/2/issue", vec![Reply::too_many_requests(3), busy]);
    let first = call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("one", &[]))).await;
    assert_eq!((first.status, first.retry_after.as_deref()), (429, Some("3")));
    assert_eq!(call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("one", &[]))).await.status, 503);
    let third = call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("one", &[]))).await;
    assert_eq!((third.status, third.json()["key"].as_str()), (201, Some("SEC-1")));
    assert_eq!(jira.issues().len(), 1, "faulted requests store nothing");

    jira.fail_next("*", "/rest/api/2/issue/SEC-1", vec![Reply::text(500, "oops")]);
    assert_eq!(call(&url, &auth, "GET", "/rest/api/2/issue/SEC-1", None).await.status, 500);
    assert_eq!(call(&url, &auth, "GET", "/rest/api/2/issue/SEC-1", None).await.status, 200);

    jira.drop_after_next_create();
    let lost = try_call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("lost answer", &[]))).await;
    assert!(lost.is_err(), "the client sees no answer");
    assert_eq!(jira.issue("SEC-2").map(|i| i.fields["summary"].clone()), Some(json!("lost answer")));
    let next = call(&url, &auth, "POST", "/rest/api/2/issue", Some(task("next", &[]))).await;
    assert_eq!((next.status, next.json()["key"].as_str()), (201, Some("SEC-3")));
    assert_eq!(jira.server.requests().len(), 7);
}

// ---------------------------------------------------------------------------------------------
// ServiceNow

const SN: Auth = Auth::Basic("casebook", "s3cret");

const SHA256: &str = "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c";

fn sn_error(message: &str, detail: &str) -> Value {
    json!({"error": {"message": message, "detail": detail}, "status": "failure"})
}

/// Kibana's `getChoices` query, percent-encoded.
fn choices_path(table: &str, elements: &[&str]) -> String {
    let query = format!("name=task^ORname={table}^element={}^language=en", elements.join("^ORelement="));
    let query: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/api/now/table/sys_choice?sysparm_query={query}&sysparm_fields=label,value,dependent_value,element")
}

fn is_sys_id(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit()))
}

#[tokio::test]
async fn servicenow_table_api_creates_patches_with_work_notes_and_queries() {
    let sn = FakeServiceNow::start("casebook", "s3cret");
    let url = sn.url();
    let body = json!({"short_description": "Disk full", "correlation_id": "case-1", "urgency": 2, "description": null,
        "correlation_display": "Elastic Case"});
    let created = call(&url, &SN, "POST", "/api/now/v2/table/incident", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let r = created.json()["result"].clone();
    assert!(is_sys_id(&r["sys_id"]), "{r}");
    assert_eq!(
        (r["number"].as_str(), r["state"].as_str(), r["urgency"].as_str()),
        (Some("INC0010001"), Some("1"), Some("2"))
    );
    assert_eq!((r["description"].as_str(), r["short_description"].as_str()), (Some(""), Some("Disk full")));
    let created_on = r["sys_created_on"].as_str().unwrap_or_default();
    assert!(created_on.len() == 19 && created_on.as_bytes()[10] == b' ', "{created_on}");
    let sys_id = r["sys_id"].as_str().unwrap_or_default().to_string();

    let patch = json!({"short_description": "Disk full (contained)", "work_notes": "First note"});
    let patched = call(&url, &SN, "PATCH", &format!("/api/now/v2/table/incident/{sys_id}"), Some(patch)).await;
    assert_eq!(patched.status, 200);
    let r = patched.json()["result"].clone();
    assert_eq!((r["short_description"].as_str(), r.get("work_notes")), (Some("Disk full (contained)"), None));
    let again = json!({"work_notes": "Second note", "state": "2"});
    call(&url, &SN, "PATCH", &format!("/api/now/v2/table/incident/{sys_id}"), Some(again)).await;
    call(&url, &SN, "PATCH", &format!("/api/now/v2/table/incident/{sys_id}"), Some(json!({"work_notes": ""}))).await;
    let records = sn.records("incident");
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].number.as_str(), records[0].sys_id.as_str()), ("INC0010001", sys_id.as_str()));
    assert_eq!(records[0].work_notes, ["First note", "Second note"]);
    assert_eq!((records[0].fields["state"].as_str(), records[0].fields.get("work_notes")), (Some("2"), None));

    let got = call(&url, &SN, "GET", &format!("/api/now/v2/table/incident/{sys_id}"), None).await;
    assert_eq!((got.status, got.json()["result"]["number"].as_str()), (200, Some("INC0010001")));
    let missing = call(&url, &SN, "GET", "/api/now/v2/table/incident/0123456789abcdef0123456789abcdef", None).await;
    let no_record = sn_error("No Record found", "Record doesn't exist or ACL restricts the record retrieval");
    assert_eq!((missing.status, missing.json()), (404, no_record));

    let second = json!({"short_description": "Again", "correlation_id": "case-1"});
    call(&url, &SN, "POST", "/api/now/v2/table/incident", Some(second)).await;
    call(
        &url,
        &SN,
        "POST",
        "/api/now/v2/table/incident",
        Some(json!({"short_description": "Other", "correlation_id": "case-2"})),
    )
    .await;
    for prefix in ["/api/now/v2/table", "/api/now/table"] {
        let q = format!(
            "{prefix}/incident?sysparm_query=ORDERBYDESCsys_created_on%5Ecorrelation_id%3Dcase-1&sysparm_limit=1"
        );
        let found = call(&url, &SN, "GET", &q, None).await.json();
        assert_eq!(strings(&found["result"], "/number"), ["INC0010002"], "{prefix}");
    }
    let all =
        call(&url, &SN, "GET", "/api/now/table/incident?sysparm_query=correlation_id%3Dcase-1", None).await.json();
    assert_eq!(strings(&all["result"], "/number"), ["INC0010001", "INC0010002"]);

    let sir =
        call(&url, &SN, "POST", "/api/now/v2/table/sn_si_incident", Some(json!({"short_description": "Phish"}))).await;
    assert_eq!(sir.json()["result"]["number"], "SIR0010001");
    let bad = call(&url, &SN, "GET", "/api/now/v2/table/incidnet", None).await;
    let invalid = json!({"error": {"message": "Invalid table incidnet", "detail": null}, "status": "failure"});
    assert_eq!((bad.status, bad.json()), (400, invalid));
    let not_json = try_call(&url, &SN, "POST", "/api/now/v2/table/incident", None).await.expect("an answer");
    assert_eq!(not_json.status, 400);

    let denied = call(&url, &Auth::Basic("casebook", "wrong"), "GET", "/api/now/v2/table/incident", None).await;
    let unauthenticated = sn_error("User Not Authenticated", "Required to provide Auth information");
    assert_eq!((denied.status, denied.json()), (401, unauthenticated));
    assert_eq!(call(&url, &Auth::None, "GET", "/api/now/v2/table/incident", None).await.status, 401);
    sn.set_forbidden(true);
    let acl = call(&url, &SN, "POST", "/api/now/v2/table/incident", Some(json!({"short_description": "x"}))).await;
    let refused = sn_error("Operation Failed", "ACL Exception Insert Failed due to security constraints");
    assert_eq!((acl.status, acl.json()), (403, refused));
    sn.set_forbidden(false);
    assert_eq!(sn.records("incident").len(), 3);
}

#[tokio::test]
async fn servicenow_import_sets_insert_update_and_report_error_rows() {
    let sn = FakeServiceNow::start("casebook", "s3cret");
    let url = sn.url();
    for scope in ["x_elas2_inc_int", "x_elas2_sir_int"] {
        let health = call(&url, &SN, "GET", &format!("/api/{scope}/elastic_api/health"), None).await;
        assert_eq!(health.json(), json!({"result": {"name": "Elastic", "scope": scope, "version": "1.0.0"}}));
    }
    let import = "/api/now/import/x_elas2_inc_int_elastic_incident";
    let insert = json!({"u_short_description": "Disk full", "u_correlation_id": "case-1", "u_category": "software",
        "u_urgency": "1", "u_work_notes": null, "u_severity": null, "custom_field": "extra"});
    let inserted = call(&url, &SN, "POST", import, Some(insert)).await;
    assert_eq!(inserted.status, 201);
    let body = inserted.json();
    assert_eq!(
        (body["import_set"].as_str(), body["staging_table"].as_str()),
        (Some("ISET0010001"), Some("x_elas2_inc_int_elastic_incident"))
    );
    let row = body["result"][0].clone();
    assert_eq!(
        (row["status"].as_str(), row["table"].as_str(), row["display_value"].as_str()),
        (Some("inserted"), Some("incident"), Some("INC0010001"))
    );
    assert_eq!(
        (row["transform_map"].as_str(), row["display_name"].as_str()),
        (Some("Elastic Incident"), Some("number"))
    );
    assert!(is_sys_id(&row["sys_id"]) && row["record_link"].as_str().is_some_and(|l| l.starts_with(&url)));
    let sys_id = row["sys_id"].as_str().unwrap_or_default().to_string();
    let record = &sn.records("incident")[0];
    assert_eq!(
        (record.fields["category"].as_str(), record.fields["custom_field"].as_str()),
        (Some("software"), Some("extra"))
    );
    assert!(
        record.fields.get("u_category").is_none()
            && record.fields.get("severity").is_none()
            && record.work_notes.is_empty()
    );

    let update = json!({"u_short_description": "Disk full (contained)", "u_work_notes": "A comment\n\nAdded by alice.",
        "elastic_incident_id": sys_id});
    let updated = call(&url, &SN, "POST", import, Some(update)).await.json();
    assert_eq!(
        (updated["result"][0]["status"].as_str(), updated["result"][0]["sys_id"].as_str()),
        (Some("updated"), Some(sys_id.as_str()))
    );
    let record = &sn.records("incident")[0];
    assert_eq!(record.fields["short_description"], "Disk full (contained)");
    assert_eq!(record.work_notes, ["A comment\n\nAdded by alice."]);

    sn.reject_import("u_category", "Invalid category: nonsense");
    let rejected =
        call(&url, &SN, "POST", import, Some(json!({"u_short_description": "x", "u_category": "nonsense"}))).await;
    assert_eq!(rejected.status, 201, "an error row still comes with a 2xx");
    let row = rejected.json()["result"][0].clone();
    assert_eq!(
        (row["status"].as_str(), row["error_message"].as_str()),
        (Some("error"), Some("Invalid category: nonsense"))
    );
    assert!(row["status_message"].is_string() && row.get("sys_id").is_none());
    assert_eq!(sn.records("incident").len(), 1, "a rejected import stores nothing");

    let sir = call(
        &url,
        &SN,
        "POST",
        "/api/now/import/x_elas2_sir_int_elastic_si_incident",
        Some(json!({"u_short_description": "Phish", "u_priority": "2"})),
    );
    let sir = sir.await.json();
    assert_eq!(
        (sir["result"][0]["display_value"].as_str(), sir["result"][0]["table"].as_str()),
        (Some("SIR0010001"), Some("sn_si_incident"))
    );
    let sir_id = sir["result"][0]["sys_id"].as_str().unwrap_or_default().to_string();
    let observables = format!("/api/x_elas2_sir_int/elastic_api/incident/{sir_id}/observables/bulk");
    let items = json!([{"value": "10.0.0.7", "type": "ipv4-addr"}, {"value": SHA256, "type": "SHA256"}]);
    let added = call(&url, &SN, "POST", &observables, Some(items.clone())).await;
    assert_eq!(added.status, 200);
    let added = added.json();
    assert_eq!(strings(&added["result"], "/value")[0], "10.0.0.7");
    assert!(
        added["result"]
            .as_array()
            .is_some_and(|r| r.len() == 2 && r.iter().all(|o| is_sys_id(&o["observable_sys_id"])))
    );
    let again = call(&url, &SN, "POST", &observables, Some(items)).await.json();
    assert_eq!(again["result"][0]["observable_sys_id"], added["result"][0]["observable_sys_id"]);
    let stored = &sn.records("sn_si_incident")[0].observables;
    assert_eq!(
        stored,
        &[("ipv4-addr".to_string(), "10.0.0.7".to_string()), ("SHA256".to_string(), SHA256.to_string())]
    );
    let bad = call(&url, &SN, "POST", &observables, Some(json!({"value": "x"}))).await;
    assert_eq!(bad.status, 400);

    sn.set_app_installed(false);
    let health = call(&url, &SN, "GET", "/api/x_elas2_inc_int/elastic_api/health", None).await;
    let message = "Requested URI does not represent any resource";
    let no_resource = json!({"error": {"message": message, "detail": null}, "status": "failure"});
    assert_eq!((health.status, health.json()), (400, no_resource));
    assert_eq!(call(&url, &SN, "POST", import, Some(json!({"u_short_description": "x"}))).await.status, 400);
}

#[tokio::test]
async fn servicenow_choices_dictionary_and_faults() {
    let sn = FakeServiceNow::start("casebook", "s3cret");
    let url = sn.url();
    let q = choices_path("incident", &["urgency", "category", "subcategory"]);
    let choices = call(&url, &SN, "GET", &q, None).await.json();
    let rows = choices["result"].as_array().cloned().unwrap_or_default();
    assert!(rows.iter().all(|r| ["urgency", "category", "subcategory"].contains(&r["element"].as_str().unwrap_or(""))));
    assert!(rows.iter().all(|r| r.as_object().map(|o| o.len()) == Some(4)), "only the asked fields");
    assert!(rows.contains(&json!({"label": "High", "value": "1", "dependent_value": "", "element": "urgency"})));
    assert!(rows.contains(
        &json!({"label": "Inquiry / Help", "value": "inquiry", "dependent_value": "", "element": "category"})
    ));
    assert!(rows.contains(
        &json!({"label": "Email", "value": "email", "dependent_value": "software", "element": "subcategory"})
    ));
    assert!(!rows.iter().any(|r| r["value"] == "malware"), "SIR categories are not the incident's");
    let q = choices_path("sn_si_incident", &["category", "priority"]);
    let sir = call(&url, &SN, "GET", &q, None).await.json();
    let values = strings(&sir["result"], "/value");
    assert_eq!(values, ["1", "2", "3", "4", "malware", "phishing"]);
    let q = "/api/now/table/sys_dictionary?sysparm_query=name%3Dtask%5EORname%3Dincident%5Einternal_type%3Dstring\
             &active=true&sysparm_fields=max_length,element,column_label,mandatory";
    let dictionary = call(&url, &SN, "GET", q, None).await.json();
    assert!(strings(&dictionary["result"], "/element").contains(&"short_description".to_string()));

    sn.fail_next("POST", "/api/now/v2/table/incident", vec![Reply::too_many_requests(2)]);
    let limited = call(&url, &SN, "POST", "/api/now/v2/table/incident", Some(json!({"short_description": "x"}))).await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (429, Some("2")));
    assert!(sn.records("incident").is_empty());
    assert_eq!(
        call(&url, &SN, "POST", "/api/now/v2/table/incident", Some(json!({"short_description": "x"}))).await.status,
        201
    );

    sn.drop_after_next_create();
    let lost = try_call(
        &url,
        &SN,
        "POST",
        "/api/now/v2/table/incident",
        Some(json!({"short_description": "lost", "correlation_id": "c9"})),
    )
    .await;
    assert!(lost.is_err());
    let records = sn.records("incident");
    assert_eq!((records.len(), records[1].fields["correlation_id"].as_str()), (2, Some("c9")));
    sn.drop_after_next_create();
    let lost = try_call(
        &url,
        &SN,
        "POST",
        "/api/now/import/x_elas2_inc_int_elastic_incident",
        Some(json!({"u_short_description": "lost too"})),
    )
    .await;
    assert!(lost.is_err());
    assert_eq!(sn.records("incident").len(), 3);
    let found =
        call(&url, &SN, "GET", "/api/now/v2/table/incident?sysparm_query=correlation_id%3Dc9", None).await.json();
    assert_eq!(strings(&found["result"], "/number"), ["INC0010002"]);
}
