//! A fake Jira, Cloud or Data Center, on a [`FakeServer`]: the REST v2 endpoints Kibana's Jira
//! connector uses (connectors.md §1) with Jira's own validation messages and error bodies, the
//! flavour differences (createmeta `issueTypes` vs `values`; `/search/jql` on Cloud only, the
//! removed `/search` answering 410 there), one project holding issues and comments, a small JQL
//! subset, and fault injection: scripted replies, and a create whose answer never arrives.
//!
//! Every request goes through one handler per method (`/{*path}`), so faults, authentication and
//! the 403 switch apply to any path, known or not. A test can still override one endpoint with a
//! later `server.route(…)`, which then answers instead of the fake.
//!
//! Here: the state, the routes and the project, issue and comment endpoints; `fields.rs` checks
//! what a create or edit sends, `search.rs` answers searches, `jql.rs` parses their JQL.

mod fields;
mod issue_types;
mod jql;
mod search;

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

use issue_types::{ISSUE_TYPES, IssueType, SERVICE_DESK_TYPES};

use crate::fake_support::{Fault, base64, decode_segments, lock, take_fault};
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

    fn issue_type(&self, types: &'static [IssueType]) -> Option<&'static IssueType> {
        let id = self.fields.get("issuetype").and_then(|t| t.get("id")).and_then(Value::as_str)?;
        types.iter().find(|t| t.id == id)
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

struct JiraState {
    flavour: Flavour,
    /// The project's issue types (a software project's, or a service desk's).
    types: &'static [IssueType],
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
            types: &ISSUE_TYPES,
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

    /// The project becomes a Jira Service Management one: its issue types are the service
    /// desk's (incident, service request, change), behind the same issue API.
    pub fn set_service_desk(&self) {
        lock(&self.state).types = &SERVICE_DESK_TYPES;
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
        project["issueTypes"] = self.types.iter().map(|t| issue_type_json(&self.base_url, t)).collect();
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
        let types = self.types.iter().map(|t| issue_type_json(&self.base_url, t)).collect();
        self.meta_page("issueTypes", types, req)
    }

    fn field_meta(&self, project: &str, type_id: &str, req: &Request) -> Reply {
        if !self.is_project(project) {
            return Self::no_project(project);
        }
        let Some(issue_type) = self.types.iter().find(|t| t.id == type_id) else {
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
            field("environment", "Environment", false, json!({"type": "string", "system": "environment"})),
            field("customfield_10042", "Team", false, json!({"type": "string", "custom": "textfield"})),
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
