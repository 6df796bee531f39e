//! A fake TheHive 5 on a [`FakeServer`], as Kibana's `.thehive` connector sees it
//! (connectors.md §11): the v1 API under `/api/v1`, an API key (`Authorization: Bearer`) that
//! belongs to several organisations chosen by `X-Organisation` (none → the first), cases with
//! every field Kibana's response schema requires, status changes with their derived `stage`,
//! comments, the query API (`POST /api/v1/query`) to find cases, and fault injection as in
//! `fake_jira/`.
//!
//! Each organisation sees only its own cases, numbered from 1 per organisation; ids (`~…`) are
//! unique across the instance. Errors are TheHive's `{type, message}`: 401
//! `AuthenticationError`, 403 `AuthorizationError`, 404 `NotFoundError`, 400 `BadRequest` or
//! `AttributeCheckingError`.
//!
//! Here: the state, the routes, cases and comments; `query.rs` runs query pipelines.

mod query;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value, json};

use crate::fake_support::{Clock, Fault, decode_segments, lock, take_fault};
use crate::server::{FakeServer, Reply, Request};

pub const LOGIN: &str = "casebook@thehive.local";
const USER_NAME: &str = "Casebook Integration";

/// TheHive 5's case statuses; the first two are open, the rest close the case.
pub const STATUSES: [&str; 7] =
    ["New", "InProgress", "TruePositive", "FalsePositive", "Indeterminate", "Duplicated", "Other"];
const IMPACT_STATUSES: [&str; 3] = ["NotApplicable", "WithImpact", "NoImpact"];
const SEVERITY_LABELS: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const TLP_LABELS: [&str; 5] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];
const PAP_LABELS: [&str; 4] = ["CLEAR", "GREEN", "AMBER", "RED"];

/// One case as stored: `case` is what `GET /api/v1/case/{id}` answers; `comments` the comment
/// messages, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeCase {
    pub id: String,
    pub organisation: String,
    pub case: Value,
    pub comments: Vec<String>,
}

struct StoredComment {
    id: String,
    message: String,
    created_at: i64,
}

pub(super) struct StoredCase {
    id: String,
    organisation: String,
    number: u64,
    /// The case as rendered, but for the derived fields filled in by `render`.
    fields: Map<String, Value>,
    comments: Vec<StoredComment>,
}

struct HiveState {
    api_key: String,
    organisations: Vec<String>,
    cases: Vec<StoredCase>,
    next_id: u64,
    next_number: HashMap<String, u64>,
    clock: Clock,
    faults: Vec<Fault>,
    drop_next_create: bool,
}

/// A fake TheHive on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeTheHive {
    pub server: FakeServer,
    state: Arc<Mutex<HiveState>>,
}

impl FakeTheHive {
    /// An instance where `api_key` belongs to `organisations` (at least one; the first is the
    /// default when a request names none), with no cases.
    pub fn start(api_key: &str, organisations: &[&str]) -> FakeTheHive {
        assert!(!organisations.is_empty(), "the key needs an organisation");
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(HiveState {
            api_key: api_key.to_string(),
            organisations: organisations.iter().map(|o| o.to_string()).collect(),
            cases: Vec::new(),
            next_id: 40_964_096,
            next_number: HashMap::new(),
            clock: Clock::default(),
            faults: Vec::new(),
            drop_next_create: false,
        }));
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeTheHive { server, state }
    }

    /// `http://127.0.0.1:<port>`, the `url` a client is configured with.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, HiveState> {
        lock(&self.state)
    }

    /// As [`crate::fake_jira::FakeJira::fail_next`]: the next matching requests get `replies`,
    /// before authentication, and nothing is stored.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next successful case create stores the case, then drops the connection instead of
    /// answering.
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// Every case of every organisation, in creation order.
    pub fn cases(&self) -> Vec<FakeCase> {
        let st = self.state();
        st.cases.iter().map(|c| st.to_fake(c)).collect()
    }

    /// The case with this `_id` (`~…`).
    pub fn case(&self, id: &str) -> Option<FakeCase> {
        let st = self.state();
        st.cases.iter().find(|c| c.id == id).map(|c| st.to_fake(c))
    }

    /// The comment messages of case `id`, oldest first.
    pub fn comments(&self, id: &str) -> Vec<String> {
        self.case(id).map(|c| c.comments).unwrap_or_default()
    }
}

/// TheHive's error body.
fn hive_error(status: u16, kind: &str, message: &str) -> Reply {
    Reply::json(status, &json!({"type": kind, "message": message}))
}

fn bad_request(message: &str) -> Reply {
    hive_error(400, "BadRequest", message)
}

fn attribute_error(message: &str) -> Reply {
    hive_error(400, "AttributeCheckingError", message)
}

fn no_case(id: &str) -> Reply {
    hive_error(404, "NotFoundError", &format!("Case {id} not found"))
}

fn object_body(req: &Request) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(body)) => Ok(body),
        _ => Err(bad_request("Invalid Json: the body must be a JSON object")),
    }
}

fn handle(state: &Mutex<HiveState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    let key = req
        .header("authorization")
        .and_then(|h| h.trim().split_once(' '))
        .and_then(|(scheme, key)| scheme.eq_ignore_ascii_case("bearer").then_some(key.trim()));
    if key != Some(st.api_key.as_str()) {
        return hive_error(401, "AuthenticationError", "Authentication failure");
    }
    let org = match req.header("x-organisation").map(str::trim).filter(|o| !o.is_empty()) {
        None => st.organisations[0].clone(),
        Some(org) => match st.organisations.iter().find(|o| o.eq_ignore_ascii_case(org)) {
            Some(known) => known.clone(),
            None => {
                let message = format!("User {LOGIN} is not a member of the organisation {org}");
                return hive_error(403, "AuthorizationError", &message);
            }
        },
    };
    let Some(segments) = decode_segments(&req.path) else { return hive_error(404, "NotFoundError", &req.path) };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["api", "v1", "user", "current"]) => Reply::json(200, &st.user(&org)),
        ("POST", ["api", "v1", "case"]) => st.create(&org, req),
        ("GET", ["api", "v1", "case", id]) => match st.find(&org, id) {
            Some(i) => Reply::json(200, &st.render(&st.cases[i])),
            None => no_case(id),
        },
        ("PATCH", ["api", "v1", "case", id]) => st.update(&org, id, req),
        ("POST", ["api", "v1", "case", id, "comment"]) => st.add_comment(&org, id, req),
        ("POST", ["api", "v1", "query"]) => st.query(&org, req),
        _ => hive_error(404, "NotFoundError", &format!("No route for {} {}", req.method, req.path)),
    }
}

/// A small integer in `0..=max` (or `1..=max` for severity), or the message why not.
fn level(body: &Map<String, Value>, name: &str, min: i64, max: i64) -> Result<Option<i64>, Reply> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_i64().filter(|n| (min..=max).contains(n)) {
            Some(n) => Ok(Some(n)),
            None => Err(attribute_error(&format!("Invalid value for {name}: {v} (expected {min} to {max})"))),
        },
    }
}

fn closed(status: &str) -> bool {
    STATUSES[2..].contains(&status)
}

impl HiveState {
    fn user(&self, org: &str) -> Value {
        let organisations: Vec<Value> = self
            .organisations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({"organisationId": format!("~{}", 8_264 + 4_096 * i), "organisation": o,
                "profile": "analyst"})
            })
            .collect();
        json!({
            "_id": "~4168",
            "_createdBy": "system@thehive.local",
            "_createdAt": 1_700_000_000_000_i64,
            "login": LOGIN,
            "name": USER_NAME,
            "hasKey": true,
            "hasPassword": false,
            "hasMFA": false,
            "locked": false,
            "profile": "analyst",
            "permissions": ["manageCase/create", "manageCase/update", "manageComment", "manageObservable",
                "manageTask", "accessTheHiveFS"],
            "organisation": org,
            "organisations": organisations,
            "type": "Service",
        })
    }

    fn new_id(&mut self) -> String {
        let id = format!("~{}", self.next_id);
        self.next_id += 4_096;
        id
    }

    /// A case of `org` by `_id` or number.
    fn find(&self, org: &str, id_or_number: &str) -> Option<usize> {
        let number: Option<u64> = id_or_number.trim_start_matches('#').parse().ok();
        self.cases.iter().position(|c| c.organisation == org && (c.id == id_or_number || Some(c.number) == number))
    }

    pub(super) fn render(&self, case: &StoredCase) -> Value {
        let mut out = case.fields.clone();
        let get = |name: &str| out.get(name).and_then(Value::as_i64).unwrap_or(0);
        let (severity, tlp, pap) = (get("severity"), get("tlp"), get("pap"));
        let status = out.get("status").and_then(Value::as_str).unwrap_or("New").to_string();
        let stage = match status.as_str() {
            "New" => "New",
            "InProgress" => "InProgress",
            _ => "Closed",
        };
        let (start, new_date) = (get("startDate"), get("newDate"));
        for (name, value) in [
            ("_id", json!(case.id)),
            ("_type", json!("Case")),
            ("number", json!(case.number)),
            ("severityLabel", json!(SEVERITY_LABELS[(severity.clamp(1, 4) - 1) as usize])),
            ("tlpLabel", json!(TLP_LABELS[tlp.clamp(0, 4) as usize])),
            ("papLabel", json!(PAP_LABELS[pap.clamp(0, 3) as usize])),
            ("stage", json!(stage)),
            ("timeToDetect", json!((new_date - start).max(0))),
            ("userPermissions", json!(["manageCase/create", "manageCase/update", "manageComment"])),
        ] {
            out.insert(name.into(), value);
        }
        if let (Some(closed_at), true) = (out.get("closedDate").and_then(Value::as_i64), closed(&status)) {
            out.insert("timeToResolve".into(), json!(closed_at - new_date));
            out.insert("handlingDuration".into(), json!(closed_at - start));
        }
        Value::Object(out)
    }

    fn to_fake(&self, case: &StoredCase) -> FakeCase {
        FakeCase {
            id: case.id.clone(),
            organisation: case.organisation.clone(),
            case: self.render(case),
            comments: case.comments.iter().map(|c| c.message.clone()).collect(),
        }
    }

    /// Checks the settable attributes of a create or update; what to store. Unknown attributes
    /// are ignored, as TheHive ignores them.
    fn check(&self, body: &Map<String, Value>, creating: bool) -> Result<Map<String, Value>, Reply> {
        let mut out = Map::new();
        for name in ["title", "description"] {
            match body.get(name) {
                Some(Value::String(s)) if name == "title" && s.trim().is_empty() => {
                    return Err(attribute_error("Invalid value for title: the title must not be empty"));
                }
                Some(Value::String(s)) => {
                    out.insert(name.into(), json!(s));
                }
                None | Some(Value::Null) if creating => {
                    return Err(attribute_error(&format!("Attribute {name} is missing")));
                }
                None | Some(Value::Null) => {}
                Some(v) => return Err(attribute_error(&format!("Invalid value for {name}: {v} (expected a string)"))),
            }
        }
        for (name, min, max) in [("severity", 1, 4), ("tlp", 0, 4), ("pap", 0, 3)] {
            if let Some(n) = level(body, name, min, max)? {
                out.insert(name.into(), json!(n));
            }
        }
        match body.get("tags") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                // A set in TheHive: the first of equal tags stays.
                let mut tags: Vec<&str> = Vec::new();
                for tag in items.iter().filter_map(Value::as_str) {
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                out.insert("tags".into(), json!(tags));
            }
            Some(v) => return Err(attribute_error(&format!("Invalid value for tags: {v} (expected strings)"))),
        }
        if let Some(flag) = body.get("flag").filter(|f| !f.is_null()) {
            let flag = flag.as_bool().ok_or_else(|| attribute_error("Invalid value for flag: expected a boolean"))?;
            out.insert("flag".into(), json!(flag));
        }
        for name in ["startDate", "endDate"] {
            if let Some(date) = body.get(name).filter(|d| !d.is_null()) {
                let ms = date.as_i64().ok_or_else(|| attribute_error(&format!("Invalid value for {name}: {date}")))?;
                out.insert(name.into(), json!(ms));
            }
        }
        for name in ["summary", "assignee"] {
            if let Some(v) = body.get(name).filter(|v| !v.is_null()) {
                let s = v.as_str().ok_or_else(|| attribute_error(&format!("Invalid value for {name}: {v}")))?;
                out.insert(name.into(), json!(s));
            }
        }
        if let Some(status) = body.get("status").filter(|s| !s.is_null()) {
            match status.as_str().filter(|s| STATUSES.contains(s)) {
                Some(s) => out.insert("status".into(), json!(s)),
                None => {
                    let message = format!("Invalid status {status}: it must be one of {}", STATUSES.join(", "));
                    return Err(bad_request(&message));
                }
            };
        }
        if let Some(impact) = body.get("impactStatus").filter(|s| !s.is_null()) {
            match impact.as_str().filter(|s| IMPACT_STATUSES.contains(s)) {
                Some(s) => out.insert("impactStatus".into(), json!(s)),
                None => {
                    let message =
                        format!("Invalid impactStatus {impact}: it must be one of {}", IMPACT_STATUSES.join(", "));
                    return Err(bad_request(&message));
                }
            };
        }
        if let Some(custom) = body.get("customFields").filter(|c| !c.is_null()) {
            out.insert("customFields".into(), custom.clone());
        }
        Ok(out)
    }

    /// Dates that follow a status: entering InProgress stamps `inProgressDate`, closing stamps
    /// `endDate` and `closedDate`, reopening clears them.
    fn apply_status_dates(fields: &mut Map<String, Value>, now: i64) {
        let status = fields.get("status").and_then(Value::as_str).unwrap_or("New").to_string();
        if status == "InProgress" {
            fields.entry("inProgressDate").or_insert(json!(now));
        }
        if closed(&status) {
            fields.entry("endDate").or_insert(json!(now));
            fields.entry("closedDate").or_insert(json!(now));
        } else {
            fields.remove("endDate");
            fields.remove("closedDate");
            fields.remove("impactStatus");
        }
    }

    fn create(&mut self, org: &str, req: &Request) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let given = match self.check(&body, true) {
            Ok(given) => given,
            Err(reply) => return reply,
        };
        let now = self.clock.now_ms();
        let mut fields = Map::new();
        for (name, value) in [
            ("_createdBy", json!(LOGIN)),
            ("_createdAt", json!(now)),
            ("severity", json!(2)),
            ("startDate", json!(now)),
            ("tags", json!([])),
            ("flag", json!(false)),
            ("tlp", json!(2)),
            ("pap", json!(2)),
            ("status", json!("New")),
            ("assignee", json!(LOGIN)),
            ("customFields", json!([])),
            ("extraData", json!({})),
            ("newDate", json!(now)),
        ] {
            fields.insert(name.into(), value);
        }
        fields.extend(given);
        Self::apply_status_dates(&mut fields, now);
        let id = self.new_id();
        let counter = self.next_number.entry(org.to_string()).or_insert(1);
        let number = *counter;
        *counter += 1;
        self.cases.push(StoredCase { id, organisation: org.to_string(), number, fields, comments: Vec::new() });
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        Reply::json(201, &self.render(self.cases.last().expect("just stored")))
    }

    fn update(&mut self, org: &str, id: &str, req: &Request) -> Reply {
        let Some(index) = self.find(org, id) else { return no_case(id) };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let changes = match self.check(&body, false) {
            Ok(changes) => changes,
            Err(reply) => return reply,
        };
        let now = self.clock.now_ms();
        let fields = &mut self.cases[index].fields;
        let was_closed = fields.get("status").and_then(Value::as_str).is_some_and(closed);
        let closing = changes.get("status").and_then(Value::as_str).is_some_and(closed);
        if closing && !was_closed {
            // Closing again stamps new dates; a date given in the same request wins.
            fields.remove("endDate");
            fields.remove("closedDate");
        }
        fields.extend(changes);
        fields.insert("_updatedBy".into(), json!(LOGIN));
        fields.insert("_updatedAt".into(), json!(now));
        Self::apply_status_dates(fields, now);
        Reply::status(204)
    }

    fn add_comment(&mut self, org: &str, id: &str, req: &Request) -> Reply {
        let Some(index) = self.find(org, id) else { return no_case(id) };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(message) = body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()) else {
            return attribute_error("Attribute message is missing");
        };
        let comment =
            StoredComment { id: self.new_id(), message: message.to_string(), created_at: self.clock.now_ms() };
        let answer = comment_json(&comment);
        self.cases[index].comments.push(comment);
        Reply::json(201, &answer)
    }
}

fn comment_json(c: &StoredComment) -> Value {
    json!({
        "_id": c.id,
        "_type": "Comment",
        "createdBy": LOGIN,
        "createdAt": c.created_at,
        "message": c.message,
        "isEdited": false,
        "extraData": {},
    })
}
