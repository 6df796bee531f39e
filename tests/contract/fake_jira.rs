//! A fake Jira, Cloud or Data Center, on a [`FakeServer`]: the REST v2 endpoints Kibana's Jira
//! connector uses (connectors.md §1) with Jira's own validation messages and error bodies, the
//! flavour differences (createmeta `issueTypes` vs `values`; `/search/jql` on Cloud only, the
//! removed `/search` answering 410 there), one project holding issues and comments, a small JQL
//! subset, and fault injection: scripted replies, and a create whose answer never arrives.
//!
//! Every request goes through one handler per method (`/{*path}`), so faults, authentication and
//! the 403 switch apply to any path, known or not. A test can still override one endpoint with a
//! later `server.route(…)`, which then answers instead of the fake.

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

use crate::server::{FakeServer, Reply, Request};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Cloud,
    DataCenter,
}

/// The credentials the fake accepts: `Basic base64(user:secret)` (Cloud: email and API token;
/// DC: username and password) or `Bearer <token>` (a DC personal access token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JiraAuth {
    Basic { user: String, secret: String },
    Bearer(String),
}

impl JiraAuth {
    pub fn basic(user: &str, secret: &str) -> JiraAuth {
        JiraAuth::Basic { user: user.to_string(), secret: secret.to_string() }
    }
}

/// One issue as stored: `fields` holds everything `GET /issue` returns under `fields` except
/// `comment`; `comments` are the comment bodies, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeIssue {
    pub id: String,
    pub key: String,
    pub fields: Value,
    pub comments: Vec<String>,
}

struct IssueType {
    id: &'static str,
    name: &'static str,
    subtask: bool,
    description: &'static str,
}

static ISSUE_TYPES: [IssueType; 3] = [
    IssueType { id: "10001", name: "Task", subtask: false, description: "A small, distinct piece of work." },
    IssueType { id: "10002", name: "Bug", subtask: false, description: "A problem or error." },
    IssueType {
        id: "10003",
        name: "Sub-task",
        subtask: true,
        description: "A small piece of work that's part of a larger task.",
    },
];

/// `(id, name)`, highest first.
static PRIORITIES: [(&str, &str); 5] =
    [("1", "Highest"), ("2", "High"), ("3", "Medium"), ("4", "Low"), ("5", "Lowest")];
const DEFAULT_PRIORITY: usize = 2;
const PROJECT_ID: &str = "10000";
const DISPLAY_NAME: &str = "Casey Analyst";
const ACCOUNT_ID: &str = "5b10ac8d82e05b22cc7d4ef5";
const DC_USER_KEY: &str = "JIRAUSER10100";

const NOT_AUTHENTICATED_CLOUD: &str = "Client must be authenticated to access this resource.";
const NOT_AUTHENTICATED_DC: &str = "You are not authenticated. Authentication required to perform this operation.";
const FORBIDDEN: &str = "You do not have the permission to see the specified issue.";
const NO_ISSUE: &str = "Issue does not exist or you do not have permission to see it.";
const SEARCH_REMOVED: &str = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. \
     A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

/// Fields a create or edit may set besides the standard ones (stored as given, unchecked).
const OTHER_SETTABLE: [&str; 8] =
    ["assignee", "reporter", "duedate", "environment", "components", "fixVersions", "versions", "timetracking"];

struct StoredComment {
    id: u64,
    body: String,
    created: String,
    updated: String,
}

struct StoredIssue {
    id: u64,
    key: String,
    fields: Map<String, Value>,
    comments: Vec<StoredComment>,
}

impl StoredIssue {
    fn text(&self, field: &str) -> &str {
        self.fields.get(field).and_then(Value::as_str).unwrap_or("")
    }

    fn labels(&self) -> Vec<&str> {
        self.fields
            .get("labels")
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    fn issue_type(&self) -> Option<&'static IssueType> {
        let id = self.fields.get("issuetype").and_then(|t| t.get("id")).and_then(Value::as_str)?;
        ISSUE_TYPES.iter().find(|t| t.id == id)
    }

    fn to_fake(&self) -> FakeIssue {
        FakeIssue {
            id: self.id.to_string(),
            key: self.key.clone(),
            fields: Value::Object(self.fields.clone()),
            comments: self.comments.iter().map(|c| c.body.clone()).collect(),
        }
    }
}

/// Replies scripted by `fail_next` (here and in `fake_servicenow.rs`).
pub(crate) struct Fault {
    method: String,
    path_prefix: String,
    replies: VecDeque<Reply>,
}

impl Fault {
    pub(crate) fn new(method: &str, path_prefix: &str, replies: Vec<Reply>) -> Fault {
        Fault { method: method.to_ascii_uppercase(), path_prefix: path_prefix.to_string(), replies: replies.into() }
    }
}

struct JiraState {
    flavour: Flavour,
    base_url: String,
    project_key: String,
    auth: JiraAuth,
    forbidden: bool,
    issues: Vec<StoredIssue>,
    next_id: u64,
    next_number: u64,
    next_comment_id: u64,
    clock: Option<DateTime<Utc>>,
    faults: Vec<Fault>,
    drop_next_create: bool,
}

/// A fake Jira on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeJira {
    pub server: FakeServer,
    state: Arc<Mutex<JiraState>>,
}

impl FakeJira {
    /// A Jira with one project, `project_key` (id 10000, no issues yet), accepting `auth`.
    pub fn start(flavour: Flavour, project_key: &str, auth: JiraAuth) -> FakeJira {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(JiraState {
            flavour,
            base_url: server.url(),
            project_key: project_key.to_string(),
            auth,
            forbidden: false,
            issues: Vec::new(),
            next_id: 10000,
            next_number: 1,
            next_comment_id: 10100,
            clock: None,
            faults: Vec::new(),
            drop_next_create: false,
        }));
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeJira { server, state }
    }

    /// `http://127.0.0.1:<port>`, the `apiUrl` a client is configured with.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, JiraState> {
        lock(&self.state)
    }

    /// From now on only these credentials are accepted.
    pub fn set_auth(&self, auth: JiraAuth) {
        self.state().auth = auth;
    }

    /// While on, every authenticated request answers 403.
    pub fn set_forbidden(&self, forbidden: bool) {
        self.state().forbidden = forbidden;
    }

    /// The next `replies.len()` requests with this method (`"*"`: any) whose raw path starts with
    /// `path_prefix` get these replies, in turn, instead of being handled (nothing is stored).
    /// Checked before authentication, as a proxy or rate limiter in front of Jira would answer.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next successful `POST /rest/api/2/issue` stores the issue, then drops the connection
    /// instead of answering: the client never learns the issue exists. (A create that fails
    /// validation answers normally and leaves this armed.)
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// Every issue, in creation order.
    pub fn issues(&self) -> Vec<FakeIssue> {
        self.state().issues.iter().map(StoredIssue::to_fake).collect()
    }

    /// The issue with this key (any case) or id.
    pub fn issue(&self, key: &str) -> Option<FakeIssue> {
        let st = self.state();
        st.find(key).map(|i| st.issues[i].to_fake())
    }
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn handle(state: &Mutex<JiraState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    if !st.authenticated(req) {
        return st.unauthenticated(req);
    }
    if st.forbidden {
        return jira_error(403, &[FORBIDDEN]);
    }
    let Some(segments) = decode_segments(&req.path) else { return st.no_resource(req) };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let cloud = st.flavour == Flavour::Cloud;
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["rest", "api", "2", "myself"]) => Reply::json(200, &st.user(true)),
        ("GET", ["rest", "api", "2", "project", key]) => st.project(key),
        ("GET", ["rest", "api", "2", "issue", "createmeta", project, "issuetypes"]) => st.issue_types(project, req),
        ("GET", ["rest", "api", "2", "issue", "createmeta", project, "issuetypes", type_id]) => {
            st.field_meta(project, type_id, req)
        }
        ("POST", ["rest", "api", "2", "issue"]) => st.create(req),
        ("GET", ["rest", "api", "2", "issue", key]) => st.get(key, req),
        ("PUT", ["rest", "api", "2", "issue", key]) => st.edit(key, req),
        ("GET", ["rest", "api", "2", "issue", key, "comment"]) => st.comments(key),
        ("POST", ["rest", "api", "2", "issue", key, "comment"]) => st.add_comment(key, req),
        ("GET" | "POST", ["rest", "api", "2", "search", "jql"]) if cloud => st.search(req),
        ("GET" | "POST", ["rest", "api", "2", "search"]) if cloud => jira_error(410, &[SEARCH_REMOVED]),
        ("GET" | "POST", ["rest", "api", "2", "search"]) => st.search(req),
        _ => st.no_resource(req),
    }
}

pub(crate) fn take_fault(faults: &mut Vec<Fault>, req: &Request) -> Option<Reply> {
    let i = faults.iter().position(|f| {
        (f.method == "*" || f.method == req.method) && req.path.starts_with(&f.path_prefix) && !f.replies.is_empty()
    })?;
    let reply = faults[i].replies.pop_front();
    if faults[i].replies.is_empty() {
        faults.remove(i);
    }
    reply
}

/// The percent-decoded path segments; `None` when one is not UTF-8.
pub(crate) fn decode_segments(path: &str) -> Option<Vec<String>> {
    path.trim_start_matches('/')
        .split('/')
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|v| v.into_owned()))
        .collect()
}

/// Jira's error body: `{"errorMessages":[…],"errors":{}}`.
fn jira_error(status: u16, messages: &[&str]) -> Reply {
    Reply::json(status, &json!({"errorMessages": messages, "errors": {}}))
}

/// 400 with per-field messages, as Jira answers a create or edit it rejects.
fn field_errors(errors: Map<String, Value>) -> Reply {
    Reply::json(400, &json!({"errorMessages": [], "errors": errors}))
}

/// The JSON body, or the 400 Jira answers for a body it cannot read.
fn parse_body(req: &Request) -> Result<Value, Reply> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(jira_error(400, &["No content to map to Object due to end of input"]));
    }
    serde_json::from_slice(&req.body).map_err(|e| jira_error(400, &[&format!("Unexpected character in the body: {e}")]))
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn issue_type_json(base: &str, t: &IssueType) -> Value {
    json!({
        "self": format!("{base}/rest/api/2/issuetype/{}", t.id),
        "id": t.id,
        "description": t.description,
        "iconUrl": format!("{base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/{}?size=medium", t.id),
        "name": t.name,
        "untranslatedName": t.name,
        "subtask": t.subtask,
        "hierarchyLevel": if t.subtask { -1 } else { 0 },
    })
}

fn priority_json(base: &str, (id, name): (&str, &str)) -> Value {
    json!({
        "self": format!("{base}/rest/api/2/priority/{id}"),
        "iconUrl": format!("{base}/images/icons/priorities/{}.svg", name.to_lowercase()),
        "name": name,
        "id": id,
    })
}

fn status_json(base: &str) -> Value {
    json!({
        "self": format!("{base}/rest/api/2/status/10000"),
        "name": "To Do",
        "id": "10000",
        "statusCategory":
            {"self": format!("{base}/rest/api/2/statuscategory/2"), "id": 2, "key": "new", "name": "To Do"},
    })
}

/// Which fields an issue is rendered with (`fields=` of GET issue and search).
struct FieldFilter {
    all: bool,
    navigable: bool,
    names: Vec<String>,
    excluded: Vec<String>,
}

impl FieldFilter {
    const ALL: FieldFilter = FieldFilter { all: true, navigable: false, names: Vec::new(), excluded: Vec::new() };
    const NAVIGABLE: FieldFilter = FieldFilter { all: false, navigable: true, names: Vec::new(), excluded: Vec::new() };

    fn parse(list: &[String]) -> FieldFilter {
        let mut filter = FieldFilter { all: false, navigable: false, names: Vec::new(), excluded: Vec::new() };
        for name in list.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match name {
                "*all" => filter.all = true,
                "*navigable" => filter.navigable = true,
                _ => match name.strip_prefix('-') {
                    Some(excluded) => filter.excluded.push(excluded.to_string()),
                    None => filter.names.push(name.to_string()),
                },
            }
        }
        filter
    }

    fn includes(&self, field: &str) -> bool {
        if self.excluded.iter().any(|e| e == field) {
            return false;
        }
        self.all || self.names.iter().any(|n| n == field) || (self.navigable && field != "comment")
    }
}

impl JiraState {
    /// Now in Jira's format, strictly after the last time handed out (so `updated` always moves).
    fn tick(&mut self) -> String {
        let now = Utc::now();
        let now = DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now);
        let t = match self.clock {
            Some(last) if now <= last => last + TimeDelta::milliseconds(1),
            _ => now,
        };
        self.clock = Some(t);
        t.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string()
    }

    fn authenticated(&self, req: &Request) -> bool {
        let Some((scheme, credentials)) = req.header("authorization").and_then(|h| h.trim().split_once(' ')) else {
            return false;
        };
        match &self.auth {
            JiraAuth::Basic { user, secret } => {
                scheme.eq_ignore_ascii_case("basic")
                    && credentials.trim() == base64(format!("{user}:{secret}").as_bytes())
            }
            JiraAuth::Bearer(token) => scheme.eq_ignore_ascii_case("bearer") && credentials.trim() == token,
        }
    }

    fn unauthenticated(&self, req: &Request) -> Reply {
        let reply = match self.flavour {
            Flavour::Cloud => Reply::text(401, NOT_AUTHENTICATED_CLOUD),
            Flavour::DataCenter => jira_error(401, &[NOT_AUTHENTICATED_DC]),
        };
        if req.header("authorization").is_some() {
            reply.with_header("x-seraph-loginreason", "AUTHENTICATED_FAILED")
        } else {
            reply
        }
    }

    /// What Jira's REST layer answers for a path no resource serves.
    fn no_resource(&self, req: &Request) -> Reply {
        let query = req.query.as_deref().map(|q| format!("?{q}")).unwrap_or_default();
        let message = format!("null for uri: {}{}{query}", self.base_url, req.path);
        Reply::json(404, &json!({"message": message, "status-code": 404}))
    }

    fn user(&self, full: bool) -> Value {
        let base = &self.base_url;
        let email = match &self.auth {
            JiraAuth::Basic { user, .. } if user.contains('@') => user.clone(),
            _ => "casey.analyst@example.com".to_string(),
        };
        let mut user = match self.flavour {
            Flavour::Cloud => json!({
                "self": format!("{base}/rest/api/2/user?accountId={ACCOUNT_ID}"),
                "accountId": ACCOUNT_ID,
                "accountType": "atlassian",
                "emailAddress": email,
                "displayName": DISPLAY_NAME,
                "active": true,
                "timeZone": "Europe/Berlin",
            }),
            Flavour::DataCenter => {
                let name = match &self.auth {
                    JiraAuth::Basic { user, .. } => user.clone(),
                    JiraAuth::Bearer(_) => "casey.analyst".to_string(),
                };
                json!({
                    "self": format!("{base}/rest/api/2/user?username={name}"),
                    "key": DC_USER_KEY,
                    "name": name,
                    "emailAddress": email,
                    "displayName": DISPLAY_NAME,
                    "active": true,
                    "timeZone": "Europe/Berlin",
                })
            }
        };
        if full {
            user["locale"] = json!("en_US");
        }
        user
    }

    fn is_project(&self, key_or_id: &str) -> bool {
        key_or_id.eq_ignore_ascii_case(&self.project_key) || key_or_id == PROJECT_ID
    }

    fn project_json(&self) -> Value {
        json!({
            "self": format!("{}/rest/api/2/project/{PROJECT_ID}", self.base_url),
            "id": PROJECT_ID,
            "key": self.project_key,
            "name": format!("{} Security Operations", self.project_key),
            "projectTypeKey": "software",
            "simplified": false,
        })
    }

    fn no_project(key: &str) -> Reply {
        jira_error(404, &[&format!("No project could be found with key '{key}'.")])
    }

    fn project(&self, key: &str) -> Reply {
        if !self.is_project(key) {
            return Self::no_project(key);
        }
        let mut project = self.project_json();
        project["issueTypes"] = ISSUE_TYPES.iter().map(|t| issue_type_json(&self.base_url, t)).collect();
        project["style"] = json!("classic");
        Reply::json(200, &project)
    }

    /// `startAt`/`maxResults` of a createmeta page, as a window over `total` items.
    fn page(req: &Request, total: usize) -> Result<(usize, usize), Reply> {
        let start = number_param(req, "startAt")?.unwrap_or(0);
        let max = number_param(req, "maxResults")?.unwrap_or(50);
        Ok((start.min(total), max))
    }

    /// A createmeta page: Cloud `{<cloud_key>:[…],…}`, DC `{values:[…],isLast,…}`.
    fn meta_page(&self, cloud_key: &str, items: Vec<Value>, req: &Request) -> Reply {
        let total = items.len();
        let (start, max) = match Self::page(req, total) {
            Ok(p) => p,
            Err(reply) => return reply,
        };
        let page: Vec<Value> = items.into_iter().skip(start).take(max).collect();
        let is_last = start + page.len() >= total;
        let body = match self.flavour {
            Flavour::Cloud => json!({"maxResults": max, "startAt": start, "total": total, cloud_key: page}),
            Flavour::DataCenter => {
                json!({"maxResults": max, "startAt": start, "total": total, "isLast": is_last, "values": page})
            }
        };
        Reply::json(200, &body)
    }

    fn issue_types(&self, project: &str, req: &Request) -> Reply {
        if !self.is_project(project) {
            return Self::no_project(project);
        }
        let types = ISSUE_TYPES.iter().map(|t| issue_type_json(&self.base_url, t)).collect();
        self.meta_page("issueTypes", types, req)
    }

    fn field_meta(&self, project: &str, type_id: &str, req: &Request) -> Reply {
        if !self.is_project(project) {
            return Self::no_project(project);
        }
        let Some(issue_type) = ISSUE_TYPES.iter().find(|t| t.id == type_id) else {
            return jira_error(
                404,
                &[&format!("Issue type with id '{type_id}' does not exist or is not in the project.")],
            );
        };
        let base = &self.base_url;
        let field = |id: &str, name: &str, required: bool, schema: Value| {
            json!({"required": required, "schema": schema, "name": name, "fieldId": id, "key": id,
                "hasDefaultValue": false, "operations": ["set"]})
        };
        let mut fields = vec![
            field("summary", "Summary", true, json!({"type": "string", "system": "summary"})),
            field("issuetype", "Issue Type", true, json!({"type": "issuetype", "system": "issuetype"})),
            field("project", "Project", true, json!({"type": "project", "system": "project"})),
            field("description", "Description", false, json!({"type": "string", "system": "description"})),
            field("labels", "Labels", false, json!({"type": "array", "items": "string", "system": "labels"})),
            field("priority", "Priority", false, json!({"type": "priority", "system": "priority"})),
        ];
        fields[1]["allowedValues"] = json!([issue_type_json(base, issue_type)]);
        fields[2]["allowedValues"] = json!([self.project_json()]);
        fields[4]["autoCompleteUrl"] = json!(format!("{base}/rest/api/1.0/labels/suggest?query="));
        fields[4]["operations"] = json!(["add", "set", "remove"]);
        fields[5]["allowedValues"] = PRIORITIES.iter().map(|p| priority_json(base, *p)).collect();
        fields[5]["hasDefaultValue"] = json!(true);
        fields[5]["defaultValue"] = priority_json(base, PRIORITIES[DEFAULT_PRIORITY]);
        if issue_type.subtask {
            fields.push(field("parent", "Parent", true, json!({"type": "issuelink", "system": "parent"})));
        }
        self.meta_page("fields", fields, req)
    }

    fn find(&self, id_or_key: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.key.eq_ignore_ascii_case(id_or_key) || i.id.to_string() == id_or_key)
    }

    /// Checks a create's or edit's `fields` as Jira would, gathering every error; on success the
    /// fields to store, normalised (labels sorted and deduplicated, references expanded).
    fn check_fields(
        &self,
        fields: &Map<String, Value>,
        existing: Option<&StoredIssue>,
    ) -> Result<Map<String, Value>, Map<String, Value>> {
        let creating = existing.is_none();
        let base = &self.base_url;
        let mut errors = Map::new();
        let mut out = Map::new();
        let mut error = |field: &str, message: String| {
            errors.insert(field.to_string(), Value::String(message));
        };

        match fields.get("project") {
            Some(p) if !p.is_null() => {
                let key_or_id = p.get("key").or_else(|| p.get("id")).map(value_text).unwrap_or_default();
                if self.is_project(&key_or_id) {
                    out.insert("project".into(), self.project_json());
                } else {
                    error("project", "valid project is required".into());
                }
            }
            _ if creating => error("project", "valid project is required".into()),
            _ => {}
        }

        let mut issue_type = existing.and_then(StoredIssue::issue_type);
        let mut type_ok = true;
        match fields.get("issuetype") {
            Some(t) if !t.is_null() => {
                let id = t.get("id").map(value_text);
                let name = t.get("name").and_then(Value::as_str);
                let found = ISSUE_TYPES.iter().find(|it| match (&id, name) {
                    (Some(id), _) => it.id == id,
                    (None, Some(name)) => it.name.eq_ignore_ascii_case(name),
                    (None, None) => false,
                });
                match (found, issue_type) {
                    (Some(new), Some(old)) if new.subtask != old.subtask => {
                        error("issuetype", "The issue type selected is invalid.".into());
                        type_ok = false;
                    }
                    (Some(new), _) => {
                        out.insert("issuetype".into(), issue_type_json(base, new));
                        issue_type = Some(new);
                    }
                    (None, _) => {
                        error("issuetype", "valid issue type is required".into());
                        type_ok = false;
                    }
                }
            }
            _ if creating => {
                error("issuetype", "valid issue type is required".into());
                type_ok = false;
            }
            _ => {}
        }

        match fields.get("summary") {
            Some(Value::String(s)) if s.trim().is_empty() => {
                error("summary", "You must specify a summary of the issue.".into())
            }
            Some(Value::String(s)) if s.contains(['\n', '\r']) => {
                error("summary", "The summary is invalid because it contains newline characters.".into())
            }
            Some(Value::String(s)) if s.chars().count() > 255 => {
                error("summary", "Summary must be less than 255 characters.".into())
            }
            Some(Value::String(s)) => {
                out.insert("summary".into(), json!(s));
            }
            Some(Value::Null) => error("summary", "You must specify a summary of the issue.".into()),
            Some(_) => error("summary", "Operation value must be a string".into()),
            None if creating => error("summary", "You must specify a summary of the issue.".into()),
            None => {}
        }

        match fields.get("description") {
            Some(v @ (Value::String(_) | Value::Null)) => {
                out.insert("description".into(), v.clone());
            }
            Some(_) => error("description", "Operation value must be a string".into()),
            None => {}
        }

        match fields.get("labels") {
            Some(Value::Array(items)) => {
                let mut labels = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(l) if l.chars().any(char::is_whitespace) => {
                            error("labels", format!("The label '{l}' contains spaces which is invalid."))
                        }
                        Some(l) if l.chars().count() > 255 => {
                            error("labels", format!("The label '{l}' exceeds the 255 character limit."))
                        }
                        Some("") => {}
                        Some(l) => labels.push(l.to_string()),
                        None => error("labels", "Operation value must be a string".into()),
                    }
                }
                labels.sort();
                labels.dedup();
                out.insert("labels".into(), json!(labels));
            }
            Some(Value::Null) => {
                out.insert("labels".into(), json!([]));
            }
            Some(_) => error("labels", "data was not an array".into()),
            None => {}
        }

        match fields.get("priority") {
            Some(Value::Object(p)) => {
                let found = match (p.get("name").and_then(Value::as_str), p.get("id").map(value_text)) {
                    (Some(name), _) => PRIORITIES
                        .iter()
                        .find(|(_, n)| *n == name)
                        .ok_or_else(|| format!("Priority name '{name}' is not valid")),
                    (None, Some(id)) => PRIORITIES
                        .iter()
                        .find(|(i, _)| *i == id)
                        .ok_or_else(|| "The priority selected is invalid.".into()),
                    (None, None) => Err("Could not find valid 'id' or 'name' in priority object.".into()),
                };
                match found {
                    Ok(p) => {
                        out.insert("priority".into(), priority_json(base, *p));
                    }
                    Err(message) => error("priority", message),
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => error("priority", "Could not find valid 'id' or 'name' in priority object.".into()),
        }

        let parent = fields.get("parent").filter(|p| !p.is_null());
        match (issue_type, parent) {
            (Some(t), Some(p)) if t.subtask => {
                let key_or_id = p.get("key").or_else(|| p.get("id")).map(value_text).unwrap_or_default();
                match self.find(&key_or_id).map(|i| &self.issues[i]) {
                    None => error("parent", "Could not find issue by id or key.".into()),
                    Some(found) if found.issue_type().is_some_and(|t| t.subtask) => {
                        error("parent", "Given parent issue does not belong to appropriate hierarchy.".into())
                    }
                    Some(found) => {
                        let link = json!({"id": found.id.to_string(), "key": found.key,
                            "self": format!("{base}/rest/api/2/issue/{}", found.id)});
                        out.insert("parent".into(), link);
                    }
                }
            }
            (Some(t), None) if t.subtask && creating => {
                error("parent", "Issue type is a sub-task but parent issue key or id not specified.".into())
            }
            (Some(_), Some(_)) if type_ok => {
                error("parent", "Given parent issue does not belong to appropriate hierarchy.".into())
            }
            _ => {}
        }

        const STANDARD: [&str; 7] = ["project", "issuetype", "summary", "description", "labels", "priority", "parent"];
        for (name, value) in fields {
            if STANDARD.contains(&name.as_str()) {
                continue;
            }
            if name.starts_with("customfield_") || OTHER_SETTABLE.contains(&name.as_str()) {
                out.insert(name.clone(), value.clone());
            } else {
                error(name, format!("Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."));
            }
        }

        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }

    fn create(&mut self, req: &Request) -> Reply {
        let body = match parse_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let fields = body.get("fields").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut fields = match self.check_fields(&fields, None) {
            Ok(fields) => fields,
            Err(errors) => return field_errors(errors),
        };
        let now = self.tick();
        let base = self.base_url.clone();
        fields.entry("description").or_insert(Value::Null);
        fields.entry("labels").or_insert(json!([]));
        fields.entry("priority").or_insert_with(|| priority_json(&base, PRIORITIES[DEFAULT_PRIORITY]));
        fields.insert("status".into(), status_json(&base));
        fields.insert("reporter".into(), self.user(false));
        fields.insert("creator".into(), self.user(false));
        fields.insert("created".into(), json!(now));
        fields.insert("updated".into(), json!(now));
        let id = self.next_id;
        let key = format!("{}-{}", self.project_key, self.next_number);
        self.next_id += 1;
        self.next_number += 1;
        self.issues.push(StoredIssue { id, key: key.clone(), fields, comments: Vec::new() });
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        Reply::json(201, &json!({"id": id.to_string(), "key": key, "self": format!("{base}/rest/api/2/issue/{id}")}))
    }

    fn comment_json(&self, issue_id: u64, c: &StoredComment) -> Value {
        let mut comment = json!({
            "self": format!("{}/rest/api/2/issue/{issue_id}/comment/{}", self.base_url, c.id),
            "id": c.id.to_string(),
            "author": self.user(false),
            "body": c.body,
            "updateAuthor": self.user(false),
            "created": c.created,
            "updated": c.updated,
        });
        if self.flavour == Flavour::Cloud {
            comment["jsdPublic"] = json!(true);
        }
        comment
    }

    fn comment_page(&self, issue: &StoredIssue) -> Value {
        let comments: Vec<Value> = issue.comments.iter().map(|c| self.comment_json(issue.id, c)).collect();
        json!({"comments": comments, "maxResults": comments.len(), "total": comments.len(), "startAt": 0})
    }

    fn render(&self, issue: &StoredIssue, filter: &FieldFilter) -> Value {
        let mut fields: Map<String, Value> =
            issue.fields.iter().filter(|(k, _)| filter.includes(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some(parent) = fields.get_mut("parent") {
            let summary = parent.get("key").and_then(Value::as_str).and_then(|k| self.find(k)).map(|i| {
                let p = &self.issues[i];
                json!({"summary": p.text("summary"), "status": p.fields.get("status"),
                    "priority": p.fields.get("priority"), "issuetype": p.fields.get("issuetype")})
            });
            if let Some(summary) = summary {
                parent["fields"] = summary;
            }
        }
        if filter.includes("comment") {
            fields.insert("comment".into(), self.comment_page(issue));
        }
        json!({
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            "id": issue.id.to_string(),
            "self": format!("{}/rest/api/2/issue/{}", self.base_url, issue.id),
            "key": issue.key,
            "fields": fields,
        })
    }

    fn get(&self, key: &str, req: &Request) -> Reply {
        let Some(i) = self.find(key) else { return jira_error(404, &[NO_ISSUE]) };
        let requested: Vec<String> = req
            .query_pairs()
            .into_iter()
            .filter(|(n, _)| n == "fields")
            .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let filter = if requested.is_empty() { FieldFilter::ALL } else { FieldFilter::parse(&requested) };
        Reply::json(200, &self.render(&self.issues[i], &filter))
    }

    fn edit(&mut self, key: &str, req: &Request) -> Reply {
        let Some(i) = self.find(key) else { return jira_error(404, &[NO_ISSUE]) };
        let body = match parse_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let fields = body.get("fields").and_then(Value::as_object).cloned().unwrap_or_default();
        let changes = match self.check_fields(&fields, Some(&self.issues[i])) {
            Ok(changes) => changes,
            Err(errors) => return field_errors(errors),
        };
        let now = self.tick();
        let issue = &mut self.issues[i];
        issue.fields.extend(changes);
        issue.fields.insert("updated".into(), json!(now));
        if req.query_param("returnIssue").as_deref() == Some("true") {
            return Reply::json(200, &self.render(&self.issues[i], &FieldFilter::ALL));
        }
        Reply::status(204)
    }

    fn comments(&self, key: &str) -> Reply {
        match self.find(key) {
            Some(i) => Reply::json(200, &self.comment_page(&self.issues[i])),
            None => jira_error(404, &[NO_ISSUE]),
        }
    }

    fn add_comment(&mut self, key: &str, req: &Request) -> Reply {
        let Some(i) = self.find(key) else { return jira_error(404, &[NO_ISSUE]) };
        let body = match parse_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(text) = body.get("body").and_then(Value::as_str).filter(|t| !t.trim().is_empty()) else {
            return field_errors(Map::from_iter([("comment".to_string(), json!("Comment body can not be empty!"))]));
        };
        let now = self.tick();
        let comment =
            StoredComment { id: self.next_comment_id, body: text.to_string(), created: now.clone(), updated: now };
        self.next_comment_id += 1;
        let answer = self.comment_json(self.issues[i].id, &comment);
        let issue = &mut self.issues[i];
        issue.fields.insert("updated".into(), json!(comment.created));
        issue.comments.push(comment);
        Reply::json(201, &answer)
    }

    fn search(&self, req: &Request) -> Reply {
        let cloud = self.flavour == Flavour::Cloud;
        let params = match SearchParams::read(req) {
            Ok(params) => params,
            Err(reply) => return reply,
        };
        if cloud && params.jql.trim().is_empty() {
            return jira_error(
                400,
                &["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
            );
        }
        let jql = match parse_jql(&params.jql) {
            Ok(jql) => jql,
            Err(message) => return jira_error(400, &[&message]),
        };
        if let Some(expr) = &jql.expr {
            let mut problems = Vec::new();
            self.check_values(expr, &mut problems);
            if !problems.is_empty() {
                let problems: Vec<&str> = problems.iter().map(String::as_str).collect();
                return jira_error(400, &problems);
            }
        }
        let mut hits: Vec<&StoredIssue> =
            self.issues.iter().filter(|i| jql.expr.as_ref().is_none_or(|e| self.eval(e, i))).collect();
        let order = if jql.order.is_empty() { vec![(OrderField::Key, true)] } else { jql.order.clone() };
        hits.sort_by(|a, b| {
            order
                .iter()
                .map(|(field, desc)| {
                    let o = field.compare(a, b);
                    if *desc { o.reverse() } else { o }
                })
                .find(|o| o.is_ne())
                .unwrap_or_else(|| a.id.cmp(&b.id))
        });
        let total = hits.len();
        let start = params.start.min(total);
        let page: Vec<&StoredIssue> = hits.into_iter().skip(start).take(params.max_results).collect();
        let end = start + page.len();
        if cloud {
            let issues: Vec<Value> = match &params.fields {
                None => page.iter().map(|i| json!({"id": i.id.to_string()})).collect(),
                Some(list) => page.iter().map(|i| self.render(i, &FieldFilter::parse(list))).collect(),
            };
            let mut body = json!({"issues": issues, "isLast": end >= total});
            if end < total {
                body["nextPageToken"] = json!(end.to_string());
            }
            Reply::json(200, &body)
        } else {
            let filter = params.fields.as_deref().map(FieldFilter::parse).unwrap_or(FieldFilter::NAVIGABLE);
            let issues: Vec<Value> = page.iter().map(|i| self.render(i, &filter)).collect();
            Reply::json(
                200,
                &json!({"expand": "schema,names", "startAt": start, "maxResults": params.max_results,
                    "total": total, "issues": issues}),
            )
        }
    }

    /// Jira rejects values that name no project, issue type or issue.
    fn check_values(&self, expr: &Expr, problems: &mut Vec<String>) {
        match expr {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| self.check_values(p, problems)),
            Expr::Not(inner) => self.check_values(inner, problems),
            Expr::Clause(c) => {
                for v in &c.values {
                    let problem = match c.field {
                        JqlField::Project if !(self.is_project(v) || v.eq_ignore_ascii_case(&self.project_name())) => {
                            format!("The value '{v}' does not exist for the field 'project'.")
                        }
                        JqlField::IssueType
                            if !ISSUE_TYPES.iter().any(|t| t.name.eq_ignore_ascii_case(v) || t.id == v) =>
                        {
                            format!("The value '{v}' does not exist for the field 'issuetype'.")
                        }
                        JqlField::Key if self.find(v).is_none() => {
                            format!("An issue with key '{v}' does not exist for field 'key'.")
                        }
                        _ => continue,
                    };
                    problems.push(problem);
                }
            }
        }
    }

    fn project_name(&self) -> String {
        format!("{} Security Operations", self.project_key)
    }

    fn eval(&self, expr: &Expr, issue: &StoredIssue) -> bool {
        match expr {
            Expr::And(parts) => parts.iter().all(|p| self.eval(p, issue)),
            Expr::Or(parts) => parts.iter().any(|p| self.eval(p, issue)),
            Expr::Not(inner) => !self.eval(inner, issue),
            Expr::Clause(c) => {
                let positive = matches!(c.op, JqlOp::Eq | JqlOp::In | JqlOp::Like);
                let any = |f: &dyn Fn(&str) -> bool| c.values.iter().any(|v| f(v));
                match c.field {
                    JqlField::Project => {
                        any(&|v| self.is_project(v) || v.eq_ignore_ascii_case(&self.project_name())) == positive
                    }
                    JqlField::Labels => {
                        let labels = issue.labels();
                        let hit = any(&|v| labels.contains(&v));
                        // As in Jira, `labels != x` does not match issues without labels.
                        if positive { hit } else { !labels.is_empty() && !hit }
                    }
                    JqlField::Summary => {
                        let summary = issue.text("summary").to_lowercase();
                        any(&|v| summary.contains(&text_term(v))) == positive
                    }
                    JqlField::IssueType => {
                        let t = issue.issue_type();
                        any(&|v| t.is_some_and(|t| t.name.eq_ignore_ascii_case(v) || t.id == v)) == positive
                    }
                    JqlField::Key => {
                        any(&|v| issue.key.eq_ignore_ascii_case(v) || issue.id.to_string() == v) == positive
                    }
                }
            }
        }
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A non-negative integer query parameter; 400 when it is not one.
fn number_param(req: &Request, name: &str) -> Result<Option<usize>, Reply> {
    match req.query_param(name) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| bad_number(name, &v)),
    }
}

fn bad_number(name: &str, value: &str) -> Reply {
    jira_error(400, &[&format!("The value '{value}' is not valid for the parameter '{name}'.")])
}

/// The text of a `~` operand: Lucene escapes and wildcards removed, lowercase.
fn text_term(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '?' => {}
            c => out.push(c),
        }
    }
    out.trim().to_lowercase()
}

/// The parameters of a search, from the query string (GET) or the body (POST).
struct SearchParams {
    jql: String,
    fields: Option<Vec<String>>,
    max_results: usize,
    /// DC `startAt`; on Cloud the offset carried by `nextPageToken`.
    start: usize,
}

impl SearchParams {
    fn read(req: &Request) -> Result<SearchParams, Reply> {
        let token = |t: &str| {
            t.parse::<usize>().map_err(|_| jira_error(400, &["The provided next page token is invalid or expired."]))
        };
        if req.method == "POST" {
            let body = parse_body(req)?;
            let number = |name: &str| match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_u64().map(|n| Some(n as usize)).ok_or_else(|| bad_number(name, &v.to_string())),
            };
            let fields = match body.get("fields") {
                Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).map(str::to_string).collect()),
                Some(Value::String(s)) => Some(s.split(',').map(str::to_string).collect()),
                _ => None,
            };
            let start = match body.get("nextPageToken").and_then(Value::as_str) {
                Some(t) => token(t)?,
                None => number("startAt")?.unwrap_or(0),
            };
            return Ok(SearchParams {
                jql: body.get("jql").and_then(Value::as_str).unwrap_or("").to_string(),
                fields,
                max_results: number("maxResults")?.unwrap_or(50),
                start,
            });
        }
        let pairs = req.query_pairs();
        let fields: Vec<String> = pairs
            .iter()
            .filter(|(n, _)| n == "fields")
            .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let start = match req.query_param("nextPageToken") {
            Some(t) => token(&t)?,
            None => number_param(req, "startAt")?.unwrap_or(0),
        };
        Ok(SearchParams {
            jql: req.query_param("jql").unwrap_or_default(),
            fields: pairs.iter().any(|(n, _)| n == "fields").then_some(fields),
            max_results: number_param(req, "maxResults")?.unwrap_or(50),
            start,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// A small JQL: clauses on project, labels, summary, issuetype and key, combined with AND, OR,
// NOT and parentheses, then ORDER BY. Errors carry Jira's messages.

#[derive(Debug, Clone, Copy, PartialEq)]
enum JqlField {
    Project,
    Labels,
    Summary,
    IssueType,
    Key,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum JqlOp {
    Eq,
    NotEq,
    In,
    NotIn,
    Like,
    NotLike,
}

#[derive(Debug)]
struct Clause {
    field: JqlField,
    op: JqlOp,
    values: Vec<String>,
}

#[derive(Debug)]
enum Expr {
    Clause(Clause),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
enum OrderField {
    Created,
    Updated,
    Key,
    Summary,
    Priority,
    Project,
}

impl OrderField {
    fn compare(self, a: &StoredIssue, b: &StoredIssue) -> Ordering {
        let rank = |i: &StoredIssue| {
            let name = i.fields.get("priority").and_then(|p| p.get("name")).and_then(Value::as_str);
            PRIORITIES.iter().position(|(_, n)| Some(*n) == name)
        };
        match self {
            // Jira's timestamps in one zone sort as text.
            OrderField::Created => a.text("created").cmp(b.text("created")),
            OrderField::Updated => a.text("updated").cmp(b.text("updated")),
            OrderField::Key => a.id.cmp(&b.id),
            OrderField::Project => Ordering::Equal,
            OrderField::Summary => a.text("summary").cmp(b.text("summary")),
            // Highest first when ascending, as Jira sorts priorities by rank.
            OrderField::Priority => rank(a).cmp(&rank(b)),
        }
    }
}

struct Jql {
    expr: Option<Expr>,
    order: Vec<(OrderField, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 1-based character position, as in Jira's messages.
    pos: usize,
    /// As written, for messages.
    text: String,
}

fn jql_error(message: &str, pos: usize) -> String {
    format!("Error in the JQL Query: {message} (line 1, character {pos})")
}

fn tokenize(jql: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = jql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if let Some(op) = ["!=", "!~", "<=", ">="].into_iter().find(|o| *o == two) {
            tokens.push(Token { tok: Tok::Op(op), pos, text: two });
            i += 2;
            continue;
        }
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Op("="), 1),
            '~' => (Tok::Op("~"), 1),
            '<' => (Tok::Op("<"), 1),
            '>' => (Tok::Op(">"), 1),
            '!' => {
                let message = "The character '!' is a reserved JQL character. You must enclose it in a string or use \
                               the escape '\\u0021' instead.";
                return Err(jql_error(message, pos));
            }
            '"' | '\'' => {
                let (value, len) = quoted(&chars[i..], pos)?;
                (Tok::Str(value), len)
            }
            _ => {
                let len = chars[i..].iter().take_while(|c| !c.is_whitespace() && !"=!~<>(),\"'".contains(**c)).count();
                (Tok::Word(chars[i..i + len].iter().collect()), len)
            }
        };
        tokens.push(Token { tok, pos, text: chars[i..i + len].iter().collect() });
        i += len;
    }
    Ok(tokens)
}

/// A quoted string at the start of `chars` (the quote included): its value and length.
fn quoted(chars: &[char], pos: usize) -> Result<(String, usize), String> {
    let quote = chars[0];
    let mut value = String::new();
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((value, i + 1)),
            '\\' => {
                let escape = chars.get(i + 1).copied();
                let decoded = match escape {
                    Some('"') => Some('"'),
                    Some('\'') => Some('\''),
                    Some('\\') => Some('\\'),
                    Some('n') => Some('\n'),
                    Some('r') => Some('\r'),
                    Some('t') => Some('\t'),
                    Some(' ') => Some(' '),
                    Some('u') => chars
                        .get(i + 2..i + 6)
                        .map(|h| h.iter().collect::<String>())
                        .and_then(|h| u32::from_str_radix(&h, 16).ok())
                        .and_then(char::from_u32),
                    _ => None,
                };
                let Some(decoded) = decoded else {
                    let seq: String = chars[i..chars.len().min(i + 2)].iter().collect();
                    let message = format!(
                        "'{seq}' is an illegal JQL escape sequence. The valid escape sequences are \\', \\\", \\t, \
                         \\n, \\r, \\\\, '\\ ' and \\uXXXX."
                    );
                    return Err(jql_error(&message, pos + i));
                };
                value.push(decoded);
                i += if escape == Some('u') { 6 } else { 2 };
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    let text: String = chars.iter().collect();
    Err(jql_error(&format!("The quoted string {text} has not been completed."), pos))
}

struct Parser {
    tokens: Vec<Token>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.i)
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.i).cloned();
        self.i += 1;
        t
    }

    /// "Expecting X but got 'Y'." at the next token, or "… before the end of the query.".
    fn expecting(&self, what: &str) -> String {
        match self.peek() {
            Some(t) => jql_error(&format!("Expecting {what} but got '{}'.", t.text), t.pos),
            None => format!("Error in the JQL Query: Expecting {what} before the end of the query."),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.and()?];
        while self.peek_word("OR") {
            self.i += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Or(parts) })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.unary()?];
        while self.peek_word("AND") {
            self.i += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_word("NOT") {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.peek(), Some(Token { tok: Tok::LParen, .. })) {
            self.i += 1;
            let inner = self.or()?;
            if !matches!(self.peek(), Some(Token { tok: Tok::RParen, .. })) {
                return Err(self.expecting("')'"));
            }
            self.i += 1;
            return Ok(inner);
        }
        self.clause()
    }

    fn field(&mut self) -> Result<(String, Token), String> {
        match self.next() {
            Some(t @ Token { tok: Tok::Word(_) | Tok::Str(_), .. }) => {
                let name = match &t.tok {
                    Tok::Word(w) | Tok::Str(w) => w.clone(),
                    _ => String::new(),
                };
                Ok((name, t))
            }
            _ => {
                self.i -= 1;
                Err(self.expecting("a field name"))
            }
        }
    }

    fn clause(&mut self) -> Result<Expr, String> {
        let (name, _) = self.field()?;
        let field = match name.to_ascii_lowercase().as_str() {
            "project" => JqlField::Project,
            "labels" => JqlField::Labels,
            "summary" => JqlField::Summary,
            "issuetype" | "type" => JqlField::IssueType,
            "key" | "issuekey" | "id" => JqlField::Key,
            _ => return Err(format!("Field '{name}' does not exist or you do not have permission to view it.")),
        };
        let operators = "operator but got '{}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', \
                         'IN', 'NOT IN', 'IS' and 'IS NOT'";
        let Some(op_token) = self.next() else {
            return Err("Error in the JQL Query: Expecting operator before the end of the query.".into());
        };
        let op_text = op_token.text.clone();
        let op = match &op_token.tok {
            Tok::Op("=") => Some(JqlOp::Eq),
            Tok::Op("!=") => Some(JqlOp::NotEq),
            Tok::Op("~") => Some(JqlOp::Like),
            Tok::Op("!~") => Some(JqlOp::NotLike),
            Tok::Op(_) => None,
            Tok::Word(w) if w.eq_ignore_ascii_case("IN") => Some(JqlOp::In),
            Tok::Word(w) if w.eq_ignore_ascii_case("NOT") && self.peek_word("IN") => {
                self.i += 1;
                Some(JqlOp::NotIn)
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("IS") => None,
            _ => {
                let message = format!("Expecting {}.", operators.replace("{}", &op_text));
                return Err(jql_error(&message, op_token.pos));
            }
        };
        let field_name = match field {
            JqlField::Project => "project",
            JqlField::Labels => "labels",
            JqlField::Summary => "summary",
            JqlField::IssueType => "issuetype",
            JqlField::Key => "key",
        };
        let text_field = field == JqlField::Summary;
        let op = match op {
            Some(op @ (JqlOp::Like | JqlOp::NotLike)) if text_field => op,
            Some(op @ (JqlOp::Eq | JqlOp::NotEq | JqlOp::In | JqlOp::NotIn)) if !text_field => op,
            _ => {
                let shown = if op == Some(JqlOp::NotIn) { "not in".to_string() } else { op_text.to_lowercase() };
                return Err(format!("The operator '{shown}' is not supported by the '{field_name}' field."));
            }
        };
        let values = if matches!(op, JqlOp::In | JqlOp::NotIn) {
            if !matches!(self.next(), Some(Token { tok: Tok::LParen, .. })) {
                self.i -= 1;
                return Err(self.expecting("'('"));
            }
            let mut values = vec![self.value()?];
            loop {
                match self.next() {
                    Some(Token { tok: Tok::Comma, .. }) => values.push(self.value()?),
                    Some(Token { tok: Tok::RParen, .. }) => break,
                    _ => {
                        self.i -= 1;
                        return Err(self.expecting("either ',' or ')'"));
                    }
                }
            }
            values
        } else {
            vec![self.value()?]
        };
        Ok(Expr::Clause(Clause { field, op, values }))
    }

    fn value(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token { tok: Tok::Str(s), .. }) => Ok(s),
            Some(Token { tok: Tok::Word(w), .. })
                if !["AND", "OR", "NOT", "ORDER", "IN", "IS"].iter().any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                Ok(w)
            }
            _ => {
                self.i -= 1;
                Err(self.expecting("either a value, list or function"))
            }
        }
    }

    fn order(&mut self) -> Result<Vec<(OrderField, bool)>, String> {
        self.i += 1; // ORDER
        if !self.peek_word("BY") {
            return Err(self.expecting("'by'"));
        }
        self.i += 1;
        let mut order = Vec::new();
        loop {
            let (name, _) = self.field()?;
            let field = match name.to_ascii_lowercase().as_str() {
                "created" | "createddate" => OrderField::Created,
                "updated" | "updateddate" => OrderField::Updated,
                "key" | "issuekey" | "id" => OrderField::Key,
                "summary" => OrderField::Summary,
                "priority" => OrderField::Priority,
                "project" => OrderField::Project,
                _ => return Err(format!("Field '{name}' does not exist or you do not have permission to view it.")),
            };
            let desc = if self.peek_word("DESC") {
                self.i += 1;
                true
            } else {
                if self.peek_word("ASC") {
                    self.i += 1;
                }
                false
            };
            order.push((field, desc));
            if matches!(self.peek(), Some(Token { tok: Tok::Comma, .. })) {
                self.i += 1;
            } else {
                return Ok(order);
            }
        }
    }
}

fn parse_jql(jql: &str) -> Result<Jql, String> {
    let mut parser = Parser { tokens: tokenize(jql)?, i: 0 };
    let expr = if parser.peek().is_none() || parser.peek_word("ORDER") { None } else { Some(parser.or()?) };
    let order = if parser.peek_word("ORDER") { parser.order()? } else { Vec::new() };
    if parser.peek().is_some() {
        return Err(parser.expecting("either 'OR' or 'AND'"));
    }
    Ok(Jql { expr, order })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn no_prefix_of_a_query_makes_the_parser_panic() {
        let queries = [
            r#"project = "SEC" AND (labels in ("a", 'b') OR NOT summary !~ "x\\- y\u00e9") ORDER BY created DESC, key"#,
            "issuetype not in (Sub-task, Bug) and key != SEC-1 order by priority asc",
            "labels = é! ~ <= >= \"unterminated \\",
        ];
        for query in queries {
            for (end, _) in query.char_indices() {
                let _ = parse_jql(&query[..end]);
            }
        }
    }

    #[test]
    fn jql_parses_kibanas_queries_and_rejects_bad_ones() {
        let q = parse_jql(r#"project="SEC" and summary ~"disk \\- full" ORDER BY created DESC"#).unwrap();
        assert!(matches!(q.expr, Some(Expr::And(ref parts)) if parts.len() == 2));
        assert!(matches!(q.order.as_slice(), [(OrderField::Created, true)]));
        assert_eq!(text_term(r"disk \- full*"), "disk - full");
        let q = parse_jql(r#"labels in ("a", b) AND issuetype != Sub-task OR NOT (key = SEC-1)"#).unwrap();
        assert!(matches!(q.expr, Some(Expr::Or(_))));
        assert!(parse_jql("").unwrap().expr.is_none());
        for (bad, wanted) in [
            ("project SEC", "Expecting operator but got 'SEC'"),
            ("project = ", "Expecting either a value, list or function before the end"),
            ("summary = x", "The operator '=' is not supported by the 'summary' field."),
            ("colour = red", "Field 'colour' does not exist"),
            (r#"summary ~ "a \- b""#, "is an illegal JQL escape sequence"),
            ("summary ~ \"open", "has not been completed"),
            ("project = SEC labels = x", "Expecting either 'OR' or 'AND' but got 'labels'"),
            ("labels in (a, b", "Expecting either ',' or ')' before the end"),
        ] {
            let e = parse_jql(bad).err().unwrap_or_default();
            assert!(e.contains(wanted), "{bad}: {e}");
        }
    }
}
