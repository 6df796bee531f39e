//! A fake IBM Resilient / QRadar SOAR on a [`FakeServer`], as Kibana's `.resilient` connector
//! sees it (connectors.md §5): one organisation under `/rest/orgs/{orgId}`, API-key Basic
//! authentication, incidents with their comments, the incident type's field catalogue and choice
//! lists, PATCH with optimistic concurrency (every `old_value` must match the current value, or
//! nothing changes and the answer is `{success:false, field_failures:[…]}`), incident searches,
//! and fault injection as in `fake_jira/`.
//!
//! Errors carry Resilient's body `{success:false, title, message, hints, error_code}`. Text
//! content (`description`, comment `text`) comes back as `{format, content}` when the request
//! asks `text_content_output_format=objects_convert`, else as the bare content string.
//!
//! Here: the state, the routes, incidents and comments; `fields.rs` holds the field catalogue and
//! reads values, `query.rs` matches search filters.

mod fields;
mod query;

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Map, Value, json};

use crate::fake_support::{Clock, Fault, basic_credentials, decode_segments, lock, take_fault};
use crate::server::{FakeServer, Reply, Request};
use fields::{FIELDS, FieldDef, find, find_named};

/// The name of the custom field (under `properties`) carrying the Casebook case id.
pub const CASE_ID_FIELD: &str = "casebook_case_id";

/// One incident as stored. `fields` is the incident as `GET` renders it with
/// `objects_convert` (`name`, `description` as `{format,content}`, `incident_type_ids`,
/// `severity_code`, `properties`, `vers`, …); `comments` are the comment texts, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeIncident {
    pub id: i64,
    pub fields: Value,
    pub comments: Vec<String>,
}

struct StoredComment {
    id: i64,
    format: String,
    content: String,
    create_date: i64,
}

pub(super) struct StoredIncident {
    id: i64,
    /// Standard fields by name, in their stored form (see `fields::normalise`).
    fields: Map<String, Value>,
    /// Custom fields by name (without the `properties.` prefix).
    properties: Map<String, Value>,
    comments: Vec<StoredComment>,
    vers: i64,
}

impl StoredIncident {
    /// The stored value of a field, custom ones named `properties.x` or bare.
    pub(super) fn value(&self, name: &str) -> Value {
        if name == "id" {
            return json!(self.id);
        }
        let custom =
            name.strip_prefix("properties.").or_else(|| find(name).filter(|f| f.prefix.is_some()).map(|f| f.name));
        match custom {
            Some(custom) => self.properties.get(custom).cloned().unwrap_or(Value::Null),
            None => self.fields.get(name).cloned().unwrap_or(Value::Null),
        }
    }

    fn slot(&mut self, f: &FieldDef) -> &mut Value {
        let map = if f.prefix.is_some() { &mut self.properties } else { &mut self.fields };
        map.entry(f.name).or_insert(Value::Null)
    }
}

struct ResilientState {
    org_id: u64,
    api_key_id: String,
    api_key_secret: String,
    incidents: Vec<StoredIncident>,
    next_id: i64,
    next_comment_id: i64,
    clock: Clock,
    faults: Vec<Fault>,
    drop_next_create: bool,
}

/// A fake Resilient on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeResilient {
    pub server: FakeServer,
    state: Arc<Mutex<ResilientState>>,
}

const USER_ID: i64 = 3;
const ORG_NAME: &str = "Casebook SOC";

impl FakeResilient {
    /// An organisation `org_id` with no incidents, accepting the API key `api_key_id` with its
    /// secret (`Authorization: Basic base64(id:secret)`).
    pub fn start(org_id: u64, api_key_id: &str, api_key_secret: &str) -> FakeResilient {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(ResilientState {
            org_id,
            api_key_id: api_key_id.to_string(),
            api_key_secret: api_key_secret.to_string(),
            incidents: Vec::new(),
            next_id: 2095,
            next_comment_id: 31,
            clock: Clock::default(),
            faults: Vec::new(),
            drop_next_create: false,
        }));
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeResilient { server, state }
    }

    /// `http://127.0.0.1:<port>`, the `apiUrl` a client is configured with.
    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn org_id(&self) -> u64 {
        self.state().org_id
    }

    fn state(&self) -> MutexGuard<'_, ResilientState> {
        lock(&self.state)
    }

    /// As [`crate::fake_jira::FakeJira::fail_next`]: the next matching requests get `replies`,
    /// before authentication, and nothing is stored.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next successful incident create stores the incident, then drops the connection instead
    /// of answering.
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// Every incident, in creation order.
    pub fn incidents(&self) -> Vec<FakeIncident> {
        let st = self.state();
        st.incidents.iter().map(|i| st.to_fake(i)).collect()
    }

    pub fn incident(&self, id: i64) -> Option<FakeIncident> {
        let st = self.state();
        st.incidents.iter().find(|i| i.id == id).map(|i| st.to_fake(i))
    }

    /// The comment texts of incident `id`, oldest first (empty when there is no such incident).
    pub fn comments(&self, id: i64) -> Vec<String> {
        self.incident(id).map(|i| i.comments).unwrap_or_default()
    }

    /// Changes a field as a SOAR analyst would (`name`, `description`, `properties.x`, …; the
    /// value in any form a create accepts), so a client's next PATCH carries a stale `old_value`.
    /// Panics on an unknown incident or field, or an invalid value.
    pub fn edit_incident(&self, id: i64, field: &str, value: Value) {
        let mut st = self.state();
        let f = find_named(field).unwrap_or_else(|| panic!("no field {field}"));
        let value = fields::normalise(f, &value).unwrap_or_else(|e| panic!("{e}"));
        let now = st.clock.now_ms();
        let incident = st.incidents.iter_mut().find(|i| i.id == id).unwrap_or_else(|| panic!("no incident {id}"));
        *incident.slot(f) = value;
        incident.vers += 1;
        incident.fields.insert("inc_last_modified_date".into(), json!(now));
    }
}

/// Resilient's error body.
fn res_error(status: u16, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"success": false, "title": null, "message": message, "hints": [], "error_code": "generic"}),
    )
}

fn no_incident(id: &str) -> Reply {
    res_error(404, &format!("Could not find incident with ID {id}"))
}

fn object_body(req: &Request) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(body)) => Ok(body),
        _ => Err(res_error(400, "Unable to process the supplied JSON: the body must be a JSON object.")),
    }
}

fn handle(state: &Mutex<ResilientState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    let authenticated =
        basic_credentials(req).is_some_and(|(id, secret)| id == st.api_key_id && secret == st.api_key_secret);
    if !authenticated {
        return res_error(401, "Unauthorized").with_header("www-authenticate", "Basic realm=\"Resilient\"");
    }
    let Some(segments) = decode_segments(&req.path) else { return res_error(404, "Not Found") };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let ["rest", "orgs", org, rest @ ..] = segs.as_slice() else {
        return res_error(404, &format!("No resource at {}", req.path));
    };
    if org.parse::<u64>().ok() != Some(st.org_id) {
        return res_error(404, &format!("Organization not found: {org}"));
    }
    let objects = req.query_param("text_content_output_format").as_deref() == Some("objects_convert");
    match (req.method.as_str(), rest) {
        ("GET", []) => Reply::json(200, &json!({"id": st.org_id, "name": ORG_NAME, "enabled": true})),
        ("POST", ["incidents"]) => st.create(req, objects),
        ("POST", ["incidents", "query_paged"]) => st.query(req, objects, true),
        ("POST", ["incidents", "query"]) => st.query(req, objects, false),
        ("GET", ["incidents", id]) => match st.find(id) {
            Some(i) => Reply::json(200, &st.render(&st.incidents[i], objects)),
            None => no_incident(id),
        },
        ("PATCH", ["incidents", id]) => st.patch(id, req),
        ("GET", ["incidents", id, "comments"]) => match st.find(id) {
            Some(i) => {
                let incident = &st.incidents[i];
                let list: Vec<Value> = incident.comments.iter().map(|c| comment_json(incident, c, objects)).collect();
                Reply::json(200, &json!(list))
            }
            None => no_incident(id),
        },
        ("POST", ["incidents", id, "comments"]) => st.add_comment(id, req, objects),
        ("GET", ["types", "incident", "fields"]) => {
            let list: Vec<Value> = FIELDS.iter().enumerate().map(|(i, f)| fields::field_json(f, i)).collect();
            Reply::json(200, &json!(list))
        }
        ("GET", ["types", "incident", "fields", name]) => match fields::field_with_values(name) {
            Some(field) => Reply::json(200, &field),
            None => res_error(404, &format!("Could not find field with name {name}")),
        },
        _ => res_error(404, &format!("No resource at {}", req.path)),
    }
}

/// Text content as the request asked for it.
fn text_content(format: &str, content: &str, objects: bool) -> Value {
    if objects { json!({"format": format, "content": content}) } else { json!(content) }
}

fn comment_json(incident: &StoredIncident, c: &StoredComment, objects: bool) -> Value {
    json!({
        "id": c.id,
        "parent_id": null,
        "user_id": USER_ID,
        "user_fname": "Casebook",
        "user_lname": "Integration",
        "text": text_content(&c.format, &c.content, objects),
        "create_date": c.create_date,
        "modify_date": c.create_date,
        "children": [],
        "mentioned_users": [],
        "is_deleted": false,
        "type": "incident",
        "inc_id": incident.id,
        "inc_name": incident.fields.get("name"),
        "inc_owner": USER_ID,
    })
}

impl ResilientState {
    fn find(&self, id: &str) -> Option<usize> {
        let id: i64 = id.parse().ok()?;
        self.incidents.iter().position(|i| i.id == id)
    }

    fn render(&self, incident: &StoredIncident, objects: bool) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(incident.id));
        for (name, value) in &incident.fields {
            let value = match (find(name).map(|f| f.input_type), value) {
                (Some("textarea"), Value::Object(o)) => {
                    let format = o.get("format").and_then(Value::as_str).unwrap_or("html");
                    text_content(format, o.get("content").and_then(Value::as_str).unwrap_or(""), objects)
                }
                _ => value.clone(),
            };
            out.insert(name.clone(), value);
        }
        out.insert("properties".into(), Value::Object(incident.properties.clone()));
        let closed = incident.fields.get("plan_status").and_then(Value::as_str) == Some("C");
        let end_date = if closed { incident.fields.get("inc_last_modified_date").cloned() } else { None };
        for (name, value) in [
            ("org_id", json!(self.org_id)),
            ("vers", json!(incident.vers)),
            ("owner_id", json!(USER_ID)),
            ("creator_id", json!(USER_ID)),
            ("phase_id", json!(1000)),
            ("workspace", json!(1)),
            ("inc_training", json!(false)),
            ("is_scenario", json!(false)),
            ("members", json!([])),
            ("end_date", end_date.unwrap_or(Value::Null)),
        ] {
            out.insert(name.into(), value);
        }
        Value::Object(out)
    }

    fn to_fake(&self, incident: &StoredIncident) -> FakeIncident {
        FakeIncident {
            id: incident.id,
            fields: self.render(incident, true),
            comments: incident.comments.iter().map(|c| c.content.clone()).collect(),
        }
    }

    fn create(&mut self, req: &Request, objects: bool) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let mut standard = Map::new();
        let mut properties = Map::new();
        for f in FIELDS.iter().filter(|f| !f.read_only) {
            let map = if f.prefix.is_some() { &mut properties } else { &mut standard };
            map.insert(f.name.to_string(), Value::Null);
        }
        standard.insert("plan_status".into(), json!("A"));
        standard.insert("confirmed".into(), json!(false));
        standard.insert("incident_type_ids".into(), json!([]));
        for (name, value) in &body {
            if name == "properties" {
                let Some(given) = value.as_object() else {
                    return res_error(400, "Invalid value for field 'properties': expected an object");
                };
                for (custom, v) in given {
                    let Some(f) = FIELDS.iter().find(|f| f.prefix.is_some() && f.name == custom) else {
                        return res_error(400, &format!("Unrecognized property: '{custom}'"));
                    };
                    match fields::normalise(f, v) {
                        Ok(v) => properties.insert(custom.clone(), v),
                        Err(message) => return res_error(400, &message),
                    };
                }
                continue;
            }
            let Some(f) = find(name).filter(|f| f.prefix.is_none()) else {
                return res_error(400, &format!("Unrecognized field \"{name}\" in the incident"));
            };
            if f.read_only {
                continue;
            }
            match fields::normalise(f, value) {
                Ok(v) if !v.is_null() => standard.insert(name.clone(), v),
                Ok(_) => None,
                Err(message) => return res_error(400, &message),
            };
        }
        for f in FIELDS.iter().filter(|f| f.required.is_some()) {
            let missing = match standard.get(f.name) {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.trim().is_empty(),
                _ => false,
            };
            if missing {
                return res_error(400, &format!("Field '{}' ({}) is required", f.text, f.name));
            }
        }
        let now = self.clock.now_ms();
        standard.insert("create_date".into(), json!(now));
        standard.insert("inc_last_modified_date".into(), json!(now));
        let id = self.next_id;
        self.next_id += 1;
        self.incidents.push(StoredIncident { id, fields: standard, properties, comments: Vec::new(), vers: 1 });
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        let rendered = self.render(self.incidents.last().expect("just stored"), objects);
        Reply::json(200, &rendered)
    }

    fn patch(&mut self, id: &str, req: &Request) -> Reply {
        let Some(index) = self.find(id) else { return no_incident(id) };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(changes) = body.get("changes").and_then(Value::as_array) else {
            return res_error(400, "The patch needs a 'changes' list");
        };
        let mut planned: Vec<(&'static FieldDef, Value)> = Vec::new();
        let mut failures = Vec::new();
        for change in changes {
            let Some(name) = change.pointer("/field/name").and_then(Value::as_str) else {
                return res_error(400, "Each change needs field.name");
            };
            // A custom field may be named bare or with its prefix.
            let Some(f) = find_named(name).or_else(|| FIELDS.iter().find(|f| f.prefix.is_some() && f.name == name))
            else {
                return res_error(400, &format!("Invalid field name: {name}"));
            };
            if f.read_only {
                return res_error(400, &format!("Field '{}' is read-only", f.name));
            }
            let new_value = match fields::normalise(f, change.get("new_value").unwrap_or(&Value::Null)) {
                Ok(v) => v,
                Err(message) => return res_error(400, &message),
            };
            if f.required.is_some() && (new_value.is_null() || new_value.as_str().is_some_and(|s| s.trim().is_empty()))
            {
                return res_error(400, &format!("Field '{}' ({}) is required", f.text, f.name));
            }
            let current = self.incidents[index].value(f.name);
            // Without an old_value the change is applied blindly, as Resilient does.
            if let Some(old) = change.get("old_value") {
                let old_value = match fields::normalise(f, old) {
                    Ok(v) => v,
                    Err(message) => return res_error(400, &message),
                };
                if !fields::same(f, &old_value, &current) {
                    failures.push(json!({
                        "field": {"name": name},
                        "reason": "conflict",
                        "your_original_value": old,
                        "actual_current_value": fields::typed(f, &current),
                        "message": format!("The value of '{}' was changed by someone else", f.text),
                    }));
                }
            }
            planned.push((f, new_value));
        }
        let vers = self.incidents[index].vers;
        let stale_version = body.get("version").and_then(Value::as_i64).is_some_and(|v| v != vers);
        if stale_version || !failures.is_empty() {
            let message = if failures.is_empty() {
                format!("The incident was changed since version {}; it is now at version {vers}", body["version"])
            } else {
                "One or more fields could not be changed because their current value did not match the expected \
                 original value."
                    .to_string()
            };
            let answer = json!({"success": false, "title": "Conflict", "message": message, "hints": [],
                "field_failures": failures});
            return Reply::json(200, &answer);
        }
        let now = self.clock.now_ms();
        let incident = &mut self.incidents[index];
        for (f, value) in planned {
            *incident.slot(f) = value;
        }
        incident.vers += 1;
        incident.fields.insert("inc_last_modified_date".into(), json!(now));
        Reply::json(200, &json!({"success": true, "title": null, "message": null, "hints": [], "field_failures": []}))
    }

    fn add_comment(&mut self, id: &str, req: &Request, objects: bool) -> Reply {
        let Some(index) = self.find(id) else { return no_incident(id) };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let (format, content) = match body.get("text") {
            Some(Value::String(s)) => ("text", s.as_str()),
            Some(Value::Object(o)) => (
                o.get("format").and_then(Value::as_str).unwrap_or("text"),
                o.get("content").and_then(Value::as_str).unwrap_or(""),
            ),
            _ => ("text", ""),
        };
        if !["text", "html"].contains(&format) {
            return res_error(400, &format!("Invalid text format: {format}"));
        }
        if content.trim().is_empty() {
            return res_error(400, "A note must have text");
        }
        let comment = StoredComment {
            id: self.next_comment_id,
            format: format.to_string(),
            content: content.to_string(),
            create_date: self.clock.now_ms(),
        };
        self.next_comment_id += 1;
        let answer = comment_json(&self.incidents[index], &comment, objects);
        self.incidents[index].comments.push(comment);
        Reply::json(200, &answer)
    }

    /// `query_paged` answers `{recordsTotal, recordsFiltered, data}` (both counts are the number
    /// of matches) and honours `sorts`, `start` and `length`; the older `query` answers the bare
    /// list. `return_level` is accepted and ignored: every level gets the full incident.
    fn query(&self, req: &Request, objects: bool, paged: bool) -> Reply {
        let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
            json!({})
        } else {
            match serde_json::from_slice(&req.body) {
                Ok(body @ Value::Object(_)) => body,
                _ => return res_error(400, "Unable to process the supplied JSON: the body must be a JSON object."),
            }
        };
        let filters = match query::parse(&body) {
            Ok(filters) => filters,
            Err(message) => return res_error(400, &message),
        };
        let mut found: Vec<&StoredIncident> = self.incidents.iter().filter(|i| query::matches(&filters, i)).collect();
        let sorts = body.get("sorts").and_then(Value::as_array).cloned().unwrap_or_default();
        for sort in sorts.iter().rev() {
            let Some(field) = sort.get("field_name").and_then(Value::as_str) else { continue };
            let descending = sort.get("type").and_then(Value::as_str) == Some("desc");
            found.sort_by(|a, b| {
                let (a, b) = (a.value(field), b.value(field));
                let o = match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    _ => a.to_string().cmp(&b.to_string()),
                };
                if descending { o.reverse() } else { o }
            });
        }
        let total = found.len();
        let data: Vec<Value> = if paged {
            let start = body.get("start").and_then(Value::as_u64).unwrap_or(0) as usize;
            let length = body.get("length").and_then(Value::as_u64).map_or(usize::MAX, |l| l as usize);
            found.into_iter().skip(start).take(length).map(|i| self.render(i, objects)).collect()
        } else {
            found.into_iter().map(|i| self.render(i, objects)).collect()
        };
        if paged {
            Reply::json(200, &json!({"recordsTotal": total, "recordsFiltered": total, "data": data}))
        } else {
            Reply::json(200, &json!(data))
        }
    }
}
