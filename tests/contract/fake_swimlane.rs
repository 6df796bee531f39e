//! A fake Swimlane on a [`FakeServer`], as Kibana's `.swimlane` connector sees it
//! (connectors.md §6): `Private-Token` authentication, one application whose fields cover what
//! a connector maps (case id, case name, description, severity as text and a numeric "Priority
//! Score", a values-list status, comments), records with their tracking ids (`CBI-1`, …),
//! comments, record search, and fault injection as in `fake_jira/`.
//!
//! Values are checked by field type: text fields take strings, numeric fields numbers (a string,
//! even `"5"`, is refused), the status one of its value names; the tracking and comments fields
//! cannot be written. Errors are Swimlane's `{ErrorCode, Argument}`; the codes are the fake's own
//! (`1000` unauthorised, `3000` no such application, `1030` no such record, `5010` invalid
//! request), stable for tests.
//!
//! Simplified: a values-list value is stored and returned as its name; a record's `values` also
//! hold its tracking id and, under the comments field, its comments.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::fake_support::{Clock, Fault, decode_segments, lock, take_fault};
use crate::server::{FakeServer, Reply, Request};

/// The application's field ids.
pub const TRACKING_FIELD: &str = "atrck";
pub const CASE_ID_FIELD: &str = "acsid";
pub const CASE_NAME_FIELD: &str = "acsnm";
pub const DESCRIPTION_FIELD: &str = "adesc";
pub const SEVERITY_FIELD: &str = "asevr";
pub const PRIORITY_SCORE_FIELD: &str = "aprio";
pub const STATUS_FIELD: &str = "astat";
pub const COMMENTS_FIELD: &str = "acmnt";
pub const RULE_NAME_FIELD: &str = "arule";
pub const ALERT_ID_FIELD: &str = "aalrt";

pub const ACRONYM: &str = "CBI";
pub const STATUSES: [&str; 3] = ["Open", "In Progress", "Closed"];

struct FieldDef {
    id: &'static str,
    key: &'static str,
    name: &'static str,
    field_type: &'static str,
}

static FIELDS: [FieldDef; 10] = [
    FieldDef { id: TRACKING_FIELD, key: "tracking-id", name: "Tracking Id", field_type: "tracking" },
    FieldDef { id: CASE_ID_FIELD, key: "case-id", name: "Case ID", field_type: "text" },
    FieldDef { id: CASE_NAME_FIELD, key: "case-name", name: "Case Name", field_type: "text" },
    FieldDef { id: DESCRIPTION_FIELD, key: "description", name: "Description", field_type: "text" },
    FieldDef { id: SEVERITY_FIELD, key: "severity", name: "Severity", field_type: "text" },
    FieldDef { id: PRIORITY_SCORE_FIELD, key: "priority-score", name: "Priority Score", field_type: "numeric" },
    FieldDef { id: STATUS_FIELD, key: "status", name: "Status", field_type: "valuesList" },
    FieldDef { id: COMMENTS_FIELD, key: "comments", name: "Comments", field_type: "comments" },
    FieldDef { id: RULE_NAME_FIELD, key: "rule-name", name: "Rule Name", field_type: "text" },
    FieldDef { id: ALERT_ID_FIELD, key: "alert-id", name: "Alert ID", field_type: "text" },
];

fn field(id: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.id == id)
}

/// One comment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeComment {
    pub message: String,
    pub created_date: String,
    pub is_rich_text: bool,
}

/// One record as stored: `values` by field id (without the comments), `comments` oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeRecord {
    pub id: String,
    pub name: String,
    pub values: Map<String, Value>,
    pub comments: Vec<FakeComment>,
}

struct StoredRecord {
    record: FakeRecord,
    created: String,
    modified: String,
}

struct SwimlaneState {
    app_id: String,
    token: String,
    records: Vec<StoredRecord>,
    next_number: u64,
    clock: Clock,
    faults: Vec<Fault>,
    drop_next_create: bool,
}

/// A fake Swimlane on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeSwimlane {
    pub server: FakeServer,
    state: Arc<Mutex<SwimlaneState>>,
}

impl FakeSwimlane {
    /// One application `app_id` (acronym `CBI`, no records), accepting `Private-Token: <token>`.
    pub fn start(app_id: &str, token: &str) -> FakeSwimlane {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(SwimlaneState {
            app_id: app_id.to_string(),
            token: token.to_string(),
            records: Vec::new(),
            next_number: 1,
            clock: Clock::default(),
            faults: Vec::new(),
            drop_next_create: false,
        }));
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeSwimlane { server, state }
    }

    /// `http://127.0.0.1:<port>`; the API is under `/api` (a client may be configured with either).
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, SwimlaneState> {
        lock(&self.state)
    }

    /// As [`crate::fake_jira::FakeJira::fail_next`]: the next matching requests get `replies`,
    /// before authentication, and nothing is stored.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next successful record create stores the record, then drops the connection instead of
    /// answering.
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// Every record, in creation order.
    pub fn records(&self) -> Vec<FakeRecord> {
        self.state().records.iter().map(|r| r.record.clone()).collect()
    }

    /// The record with this id or tracking id (`CBI-1`).
    pub fn record(&self, id_or_name: &str) -> Option<FakeRecord> {
        let st = self.state();
        st.records.iter().find(|r| r.record.id == id_or_name || r.record.name == id_or_name).map(|r| r.record.clone())
    }

    /// The comment messages of a record (id or tracking id), oldest first.
    pub fn comments(&self, id_or_name: &str) -> Vec<String> {
        self.record(id_or_name).map(|r| r.comments.into_iter().map(|c| c.message).collect()).unwrap_or_default()
    }
}

/// Swimlane's error body.
fn sw_error(status: u16, code: u32, argument: &str) -> Reply {
    Reply::json(status, &json!({"ErrorCode": code, "Argument": argument}))
}

fn invalid(argument: &str) -> Reply {
    sw_error(400, 5010, argument)
}

fn object_body(req: &Request) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(body)) => Ok(body),
        _ => Err(invalid("The request body is not a JSON object")),
    }
}

/// Swimlane's timestamps: UTC with milliseconds.
fn iso(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// A 17-character id like Swimlane's, distinct per `n`.
fn record_id(n: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut x = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5bd1_e995;
    (0..17)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALPHABET[(x % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

fn handle(state: &Mutex<SwimlaneState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    if req.header("private-token") != Some(st.token.as_str()) {
        return sw_error(401, 1000, "Unauthorized: a valid Private-Token is required");
    }
    let Some(segments) = decode_segments(&req.path) else { return sw_error(404, 404, &req.path) };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["api", "app", app]) => st.with_app(app, |st| Reply::json(200, &st.app_json())),
        ("POST", ["api", "app", app, "record"]) => st.with_app(app, |st| st.create(req)),
        ("GET", ["api", "app", app, "record", id]) => {
            st.with_app(app, |st| st.find(id).map_or_else(|| no_record(id), |i| Reply::json(200, &st.render(i))))
        }
        ("PATCH", ["api", "app", app, "record", id]) => st.with_app(app, |st| st.update(id, req)),
        ("POST", ["api", "app", app, "record", id, field_id, "comment"]) => {
            st.with_app(app, |st| st.comment(id, field_id, req))
        }
        ("POST", ["api", "search"]) => st.search(req),
        _ => sw_error(404, 404, &format!("No resource at {}", req.path)),
    }
}

fn no_record(id: &str) -> Reply {
    sw_error(404, 1030, &format!("Record {id} was not found"))
}

impl SwimlaneState {
    fn with_app(&mut self, app: &str, then: impl FnOnce(&mut Self) -> Reply) -> Reply {
        if app != self.app_id {
            return sw_error(404, 3000, &format!("Application {app} was not found"));
        }
        then(self)
    }

    fn app_json(&self) -> Value {
        let fields: Vec<Value> = FIELDS
            .iter()
            .map(|f| {
                let mut field = json!({
                    "$type": format!("Core.Models.Fields.{}Field, Core", type_name(f.field_type)),
                    "id": f.id,
                    "key": f.key,
                    "name": f.name,
                    "fieldType": f.field_type,
                    "required": false,
                    "readOnly": matches!(f.field_type, "tracking"),
                    "supportsMultipleOutputMappings": false,
                });
                match f.field_type {
                    "text" => {
                        field["inputType"] = json!(if f.id == DESCRIPTION_FIELD { "textarea" } else { "text" });
                    }
                    "numeric" => field["prefix"] = json!(""),
                    "valuesList" => {
                        field["selectionType"] = json!("single");
                        let value = |(i, name)| json!({"id": format!("v{i}{}", &f.id[1..]), "name": name});
                        field["values"] = STATUSES.iter().enumerate().map(value).collect();
                    }
                    _ => {}
                }
                field
            })
            .collect();
        json!({
            "$type": "Core.Models.Application.Application, Core",
            "id": self.app_id,
            "name": "Casebook Incidents",
            "acronym": ACRONYM,
            "description": "Incidents pushed from Casebook",
            "trackingFieldId": TRACKING_FIELD,
            "fields": fields,
            "disabled": false,
        })
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.records.iter().position(|r| r.record.id == id)
    }

    fn render(&self, index: usize) -> Value {
        let stored = &self.records[index];
        let r = &stored.record;
        let mut values = r.values.clone();
        values.insert(TRACKING_FIELD.into(), json!(r.name));
        if !r.comments.is_empty() {
            let comments: Vec<Value> = r
                .comments
                .iter()
                .map(|c| {
                    json!({"$type": "Core.Models.Record.Comments, Core", "message": c.message,
                        "createdDate": c.created_date, "isRichText": c.is_rich_text,
                        "createdByUser": {"id": "aUser0000000000001", "name": "Casebook Integration"}})
                })
                .collect();
            values.insert(COMMENTS_FIELD.into(), json!(comments));
        }
        json!({
            "$type": "Core.Models.Record.Record, Core",
            "id": r.id,
            "name": r.name,
            "trackingFull": r.name,
            "applicationId": self.app_id,
            "createdDate": stored.created,
            "modifiedDate": stored.modified,
            "createdByUser": {"id": "aUser0000000000001", "name": "Casebook Integration"},
            "modifiedByUser": {"id": "aUser0000000000001", "name": "Casebook Integration"},
            "isNew": false,
            "values": values,
        })
    }

    /// The `values` of a create or update, checked by field type; what to store (a null removes).
    fn check_values(&self, body: &Map<String, Value>, record_id: Option<&str>) -> Result<Map<String, Value>, Reply> {
        if let Some(app) = body.get("applicationId").filter(|a| !a.is_null())
            && app.as_str() != Some(self.app_id.as_str())
        {
            return Err(invalid(&format!("applicationId {app} does not match the application {}", self.app_id)));
        }
        if let (Some(id), Some(expected)) = (body.get("id").filter(|i| !i.is_null()), record_id)
            && id.as_str() != Some(expected)
        {
            return Err(invalid(&format!("id {id} does not match the record {expected}")));
        }
        let values = match body.get("values") {
            Some(Value::Object(values)) => values,
            None | Some(Value::Null) => return Ok(Map::new()),
            Some(_) => return Err(invalid("values must be an object of field ids")),
        };
        let mut out = Map::new();
        for (id, value) in values {
            if id.starts_with('$') {
                continue;
            }
            let Some(f) = field(id) else {
                return Err(invalid(&format!("Field {id} does not exist in the application")));
            };
            let wrong = |expected: &str| invalid(&format!("Field '{}' ({id}) expects {expected}, got {value}", f.name));
            let stored = match (f.field_type, value) {
                (_, Value::Null) => Value::Null,
                ("text", Value::String(_)) => value.clone(),
                ("text", _) => return Err(wrong("text")),
                ("numeric", Value::Number(_)) => value.clone(),
                ("numeric", _) => return Err(wrong("a number")),
                ("valuesList", _) => {
                    let name = match value {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(o) => o.get("value").or_else(|| o.get("name")).and_then(Value::as_str),
                        _ => None,
                    };
                    match name.and_then(|n| STATUSES.iter().find(|s| s.eq_ignore_ascii_case(n))) {
                        Some(status) => json!(status),
                        None => return Err(wrong(&format!("one of {STATUSES:?}"))),
                    }
                }
                _ => return Err(invalid(&format!("Field '{}' ({id}) is read-only", f.name))),
            };
            out.insert(id.clone(), stored);
        }
        Ok(out)
    }

    fn create(&mut self, req: &Request) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let values = match self.check_values(&body, None) {
            Ok(values) => values,
            Err(reply) => return reply,
        };
        let now = iso(self.clock.now_ms());
        let n = self.next_number;
        self.next_number += 1;
        let record = FakeRecord {
            id: record_id(n),
            name: format!("{ACRONYM}-{n}"),
            values: values.into_iter().filter(|(_, v)| !v.is_null()).collect(),
            comments: Vec::new(),
        };
        self.records.push(StoredRecord { record, created: now.clone(), modified: now });
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        Reply::json(200, &self.render(self.records.len() - 1))
    }

    fn update(&mut self, id: &str, req: &Request) -> Reply {
        let Some(index) = self.find(id) else { return no_record(id) };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let values = match self.check_values(&body, Some(id)) {
            Ok(values) => values,
            Err(reply) => return reply,
        };
        let now = iso(self.clock.now_ms());
        let stored = &mut self.records[index];
        for (field_id, value) in values {
            if value.is_null() {
                stored.record.values.remove(&field_id);
            } else {
                stored.record.values.insert(field_id, value);
            }
        }
        stored.modified = now;
        Reply::json(200, &self.render(index))
    }

    fn comment(&mut self, id: &str, field_id: &str, req: &Request) -> Reply {
        let Some(index) = self.find(id) else { return no_record(id) };
        if field(field_id).is_none_or(|f| f.field_type != "comments") {
            return invalid(&format!("Field {field_id} is not a comments field"));
        }
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        if body.get("fieldId").and_then(Value::as_str).is_some_and(|f| f != field_id) {
            return invalid("fieldId does not match the comment field in the path");
        }
        let Some(message) = body.get("message").and_then(Value::as_str).filter(|m| !m.trim().is_empty()) else {
            return invalid("A comment needs a message");
        };
        let now = iso(self.clock.now_ms());
        let created_date = body.get("createdDate").and_then(Value::as_str).map_or_else(|| now.clone(), str::to_string);
        let is_rich_text = body.get("isRichText").and_then(Value::as_bool).unwrap_or(false);
        let stored = &mut self.records[index];
        stored.record.comments.push(FakeComment { message: message.to_string(), created_date, is_rich_text });
        stored.modified = now;
        Reply::status(200)
    }

    /// `{applicationIds, filters:[{fieldId, filterType, value}], keywords, pageSize, offset}`:
    /// filters must all hold (`equals`, `notEquals`, `contains`, `excludes`, `lessThan`,
    /// `greaterThan`; text compared as is, `contains` ignoring case); non-empty `keywords` must
    /// appear (any case) in the tracking id or a text value; `offset` skips that many records;
    /// `pageSize` defaults to 10. Records come in creation order.
    fn search(&self, req: &Request) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let apps: Vec<&str> = body
            .get("applicationIds")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if apps.is_empty() {
            return invalid("applicationIds must name at least one application");
        }
        if let Some(other) = apps.iter().find(|a| **a != self.app_id) {
            return sw_error(404, 3000, &format!("Application {other} was not found"));
        }
        let mut filters = Vec::new();
        for f in body.get("filters").and_then(Value::as_array).into_iter().flatten() {
            let Some(id) = f.get("fieldId").and_then(Value::as_str).filter(|id| field(id).is_some()) else {
                return invalid(&format!("Filter on an unknown field: {f}"));
            };
            let kind = f.get("filterType").and_then(Value::as_str).unwrap_or("equals");
            if !["equals", "notEquals", "contains", "excludes", "lessThan", "greaterThan"].contains(&kind) {
                return invalid(&format!("Unknown filterType {kind}"));
            }
            filters.push((id, kind, f.get("value").cloned().unwrap_or(Value::Null)));
        }
        let keywords = body.get("keywords").and_then(Value::as_str).unwrap_or("").trim().to_lowercase();
        let page_size = body.get("pageSize").and_then(Value::as_u64).unwrap_or(10) as usize;
        let offset = body.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
        let hits: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let r = &self.records[i].record;
                let value = |id: &str| {
                    if id == TRACKING_FIELD { json!(r.name) } else { r.values.get(id).cloned().unwrap_or(Value::Null) }
                };
                let filters_hold = filters.iter().all(|(id, kind, wanted)| filter_holds(&value(id), kind, wanted));
                let keywords_hold = keywords.is_empty()
                    || r.name.to_lowercase().contains(&keywords)
                    || r.values.values().any(|v| v.as_str().is_some_and(|s| s.to_lowercase().contains(&keywords)));
                filters_hold && keywords_hold
            })
            .collect();
        let page: Vec<Value> = hits.iter().skip(offset).take(page_size).map(|&i| self.render(i)).collect();
        let app = self.app_id.clone();
        Reply::json(
            200,
            &json!({"results": {app.clone(): page}, "count": {app: hits.len()}, "limit": page_size, "offset": offset}),
        )
    }
}

/// One search filter on a stored value: numbers compare as numbers, anything else as text.
fn filter_holds(have: &Value, kind: &str, wanted: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let number = |v: &Value| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()));
    let equal = match (have.as_f64(), number(wanted)) {
        (Some(a), Some(b)) => a == b,
        _ => text(have) == text(wanted),
    };
    let contains = text(have).to_lowercase().contains(&text(wanted).to_lowercase());
    match kind {
        "equals" => equal,
        "notEquals" => !equal,
        "contains" => contains,
        "excludes" => !contains,
        "lessThan" => matches!((number(have), number(wanted)), (Some(a), Some(b)) if a < b),
        _ => matches!((number(have), number(wanted)), (Some(a), Some(b)) if a > b),
    }
}

fn type_name(field_type: &str) -> &'static str {
    match field_type {
        "text" => "Text",
        "numeric" => "Numeric",
        "valuesList" => "ValuesList",
        "comments" => "Comments",
        _ => "Tracking",
    }
}
