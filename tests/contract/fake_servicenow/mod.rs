//! A fake ServiceNow instance on a [`FakeServer`], as Kibana's ITSM and SecOps connectors see it
//! (connectors.md §2–4): the Table API on `incident` and `sn_si_incident` (with `work_notes` as
//! a journal), encoded queries, `sys_choice` and `sys_dictionary`, the Elastic ServiceNow app
//! (health, import sets with their `u_` fields and error rows, SIR observables), ServiceNow's
//! error bodies for 400/401/403/404, and fault injection as in `fake_jira/`.
//!
//! As there, one handler per method (`/{*path}`) serves every path, so faults, authentication
//! and the 403 switch apply everywhere, and a later `server.route(…)` still overrides the fake.
//!
//! Here: the state, the routes, records and the Elastic app; `query.rs` reads encoded queries,
//! `system_tables.rs` holds the `sys_choice` and `sys_dictionary` rows.

mod query;
mod system_tables;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::fake_support::{Fault, base64, decode_segments, lock, take_fault};
use crate::server::{FakeServer, Reply, Request};
use query::EncodedQuery;
use system_tables::{choices, dictionary};

/// One record as stored: `fields` holds every column the Table API returns (`sys_id`, `number`,
/// `state`, `sys_created_on`, … and all fields written), each a string; `work_notes` the journal
/// entries, oldest first; `observables` the SIR observables as `(type, value)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeRecord {
    pub sys_id: String,
    pub number: String,
    pub fields: Map<String, Value>,
    pub work_notes: Vec<String>,
    pub observables: Vec<(String, String)>,
}

/// A table served by the Elastic ServiceNow app.
struct Product {
    table: &'static str,
    number_prefix: &'static str,
    scope: &'static str,
    staging_table: &'static str,
    transform_map: &'static str,
}

static PRODUCTS: [Product; 2] = [
    Product {
        table: "incident",
        number_prefix: "INC",
        scope: "x_elas2_inc_int",
        staging_table: "x_elas2_inc_int_elastic_incident",
        transform_map: "Elastic Incident",
    },
    Product {
        table: "sn_si_incident",
        number_prefix: "SIR",
        scope: "x_elas2_sir_int",
        staging_table: "x_elas2_sir_int_elastic_si_incident",
        transform_map: "Elastic SI Incident",
    },
];

fn product(table: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.table == table)
}

struct Observable {
    kind: String,
    value: String,
    sys_id: String,
}

struct StoredRecord {
    sys_id: String,
    number: String,
    fields: Map<String, Value>,
    work_notes: Vec<String>,
    observables: Vec<Observable>,
}

impl StoredRecord {
    fn to_fake(&self) -> FakeRecord {
        FakeRecord {
            sys_id: self.sys_id.clone(),
            number: self.number.clone(),
            fields: self.fields.clone(),
            work_notes: self.work_notes.clone(),
            observables: self.observables.iter().map(|o| (o.kind.clone(), o.value.clone())).collect(),
        }
    }
}

struct SnState {
    base_url: String,
    user: String,
    password: String,
    forbidden: bool,
    app_installed: bool,
    records: HashMap<&'static str, Vec<StoredRecord>>,
    next_number: HashMap<&'static str, u64>,
    next_import_set: u64,
    next_sys_id: u64,
    faults: Vec<Fault>,
    drop_next_create: bool,
    reject_import: Option<(String, String)>,
}

/// A fake ServiceNow instance on a [`FakeServer`]. Its state can be read and changed while it
/// runs.
pub struct FakeServiceNow {
    pub server: FakeServer,
    state: Arc<Mutex<SnState>>,
}

impl FakeServiceNow {
    /// An instance accepting Basic `user:password`, with the Elastic app installed and no records.
    pub fn start(user: &str, password: &str) -> FakeServiceNow {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(SnState {
            base_url: server.url(),
            user: user.to_string(),
            password: password.to_string(),
            forbidden: false,
            app_installed: true,
            records: PRODUCTS.iter().map(|p| (p.table, Vec::new())).collect(),
            next_number: PRODUCTS.iter().map(|p| (p.table, 10001)).collect(),
            next_import_set: 10001,
            next_sys_id: 1,
            faults: Vec::new(),
            drop_next_create: false,
            reject_import: None,
        }));
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeServiceNow { server, state }
    }

    /// `http://127.0.0.1:<port>`, the instance URL a client is configured with.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, SnState> {
        lock(&self.state)
    }

    /// While on, every authenticated request answers 403 (an ACL refusal).
    pub fn set_forbidden(&self, forbidden: bool) {
        self.state().forbidden = forbidden;
    }

    /// Whether the Elastic ServiceNow app is installed (health, import sets, observables).
    pub fn set_app_installed(&self, installed: bool) {
        self.state().app_installed = installed;
    }

    /// As [`crate::fake_jira::FakeJira::fail_next`]: the next matching requests get `replies`.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next record created (a Table API POST, or an import set that inserts) is stored, then
    /// the connection is dropped instead of answering.
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// The next import set answers HTTP 201 with an error row carrying `message` (as when the
    /// transform rejects `field`) and stores nothing.
    pub fn reject_import(&self, field: &str, message: &str) {
        self.state().reject_import = Some((field.to_string(), message.to_string()));
    }

    /// Every record of `table` (`incident` or `sn_si_incident`), in creation order.
    pub fn records(&self, table: &str) -> Vec<FakeRecord> {
        let st = self.state();
        st.records.get(table).map(|r| r.iter().map(StoredRecord::to_fake).collect()).unwrap_or_default()
    }
}

/// ServiceNow's error body: `{"error":{"message","detail"},"status":"failure"}`.
fn sn_error(status: u16, message: &str, detail: Option<&str>) -> Reply {
    Reply::json(status, &json!({"error": {"message": message, "detail": detail}, "status": "failure"}))
}

fn no_resource() -> Reply {
    sn_error(400, "Requested URI does not represent any resource", None)
}

fn invalid_table(table: &str) -> Reply {
    sn_error(400, &format!("Invalid table {table}"), None)
}

fn no_record() -> Reply {
    sn_error(404, "No Record found", Some("Record doesn't exist or ACL restricts the record retrieval"))
}

fn acl_refused() -> Reply {
    sn_error(403, "Operation Failed", Some("ACL Exception Insert Failed due to security constraints"))
}

fn bad_payload() -> Reply {
    sn_error(400, "Exception while reading request", Some("The payload is not valid JSON."))
}

/// The body as a JSON object, or ServiceNow's 400.
fn object_body(req: &Request) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(body)) => Ok(body),
        _ => Err(bad_payload()),
    }
}

/// A value as ServiceNow stores it: every column is a string.
fn sn_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn now() -> String {
    Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Columns a write does not set.
fn read_only(name: &str) -> bool {
    name.starts_with("sys_") || name == "number"
}

fn handle(state: &Mutex<SnState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    let expected = format!("Basic {}", base64(format!("{}:{}", st.user, st.password).as_bytes()));
    let authenticated = req.header("authorization").is_some_and(|h| {
        h.split_once(' ').is_some_and(|(scheme, cred)| {
            scheme.eq_ignore_ascii_case("basic") && format!("Basic {}", cred.trim()) == expected
        })
    });
    if !authenticated {
        return sn_error(401, "User Not Authenticated", Some("Required to provide Auth information"))
            .with_header("www-authenticate", "BASIC realm=\"Service-now\"");
    }
    if st.forbidden {
        return acl_refused();
    }
    let Some(segments) = decode_segments(&req.path) else { return no_resource() };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let installed = st.app_installed;
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["api", scope, "elastic_api", "health"]) if installed && PRODUCTS.iter().any(|p| p.scope == *scope) => {
            Reply::json(200, &json!({"result": {"name": "Elastic", "scope": scope, "version": "1.0.0"}}))
        }
        ("POST", ["api", "x_elas2_sir_int", "elastic_api", "incident", sys_id, "observables", "bulk"]) if installed => {
            st.observables(sys_id, req, true)
        }
        ("POST", ["api", "x_elas2_sir_int", "elastic_api", "incident", sys_id, "observables"]) if installed => {
            st.observables(sys_id, req, false)
        }
        ("POST", ["api", "now", "import", staging]) => st.import(staging, req),
        (method, ["api", "now", "table", table] | ["api", "now", "v2", "table", table]) => {
            st.collection(method, table, req)
        }
        (method, ["api", "now", "table", table, sys_id] | ["api", "now", "v2", "table", table, sys_id]) => {
            st.record(method, table, sys_id, req)
        }
        _ => no_resource(),
    }
}

impl SnState {
    /// 32 hex digits, like a real sys_id, distinct for the fake's lifetime.
    fn new_sys_id(&mut self) -> String {
        let mix = |mut z: u64| {
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let n = self.next_sys_id;
        self.next_sys_id += 1;
        let seed = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        format!("{:016x}{:016x}", mix(seed), mix(seed ^ 0x5555_5555_5555_5555))
    }

    fn render(record: &StoredRecord, req: &Request) -> Value {
        let wanted: Option<Vec<String>> =
            req.query_param("sysparm_fields").map(|f| f.split(',').map(|s| s.trim().to_string()).collect());
        let fields = match wanted {
            None => record.fields.clone(),
            Some(wanted) => wanted
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(|f| {
                    let v = record.fields.get(&f).cloned().unwrap_or_else(|| json!(""));
                    (f, v)
                })
                .collect(),
        };
        Value::Object(fields)
    }

    /// Splits a written body into columns and journal entries (`work_notes`).
    fn columns(body: Map<String, Value>) -> (Map<String, Value>, Vec<String>) {
        let mut fields = Map::new();
        let mut notes = Vec::new();
        for (name, value) in body {
            if name == "work_notes" {
                let note = sn_string(&value);
                if !note.trim().is_empty() {
                    notes.push(note);
                }
            } else if !read_only(&name) {
                fields.insert(name, Value::String(sn_string(&value)));
            }
        }
        (fields, notes)
    }

    /// Stores a new record; its index in the table.
    fn insert(&mut self, product: &'static Product, given: Map<String, Value>, notes: Vec<String>) -> usize {
        let sys_id = self.new_sys_id();
        let counter = self.next_number.entry(product.table).or_insert(10001);
        let number = format!("{}{:07}", product.number_prefix, *counter);
        *counter += 1;
        let at = now();
        let mut fields = Map::new();
        for (name, value) in [
            ("sys_id", sys_id.as_str()),
            ("number", number.as_str()),
            ("state", "1"),
            ("active", "true"),
            ("sys_class_name", product.table),
            ("sys_created_on", at.as_str()),
            ("sys_updated_on", at.as_str()),
            ("sys_created_by", self.user.as_str()),
            ("sys_updated_by", self.user.as_str()),
            ("sys_mod_count", "0"),
            ("opened_at", at.as_str()),
        ] {
            fields.insert(name.to_string(), json!(value));
        }
        fields.extend(given);
        let records = self.records.entry(product.table).or_default();
        records.push(StoredRecord { sys_id, number, fields, work_notes: notes, observables: Vec::new() });
        records.len() - 1
    }

    fn update(&mut self, table: &str, index: usize, changes: Map<String, Value>, notes: Vec<String>) {
        let user = self.user.clone();
        let Some(record) = self.records.get_mut(table).and_then(|r| r.get_mut(index)) else { return };
        let count = record.fields.get("sys_mod_count").and_then(Value::as_str).and_then(|c| c.parse::<u64>().ok());
        record.fields.extend(changes);
        record.fields.insert("sys_updated_on".into(), json!(now()));
        record.fields.insert("sys_updated_by".into(), json!(user));
        record.fields.insert("sys_mod_count".into(), json!((count.unwrap_or(0) + 1).to_string()));
        record.work_notes.extend(notes);
    }

    fn find(&self, table: &str, sys_id: &str) -> Option<usize> {
        self.records.get(table)?.iter().position(|r| r.sys_id == sys_id)
    }

    fn record_reply(&self, table: &str, index: usize, status: u16, req: &Request) -> Reply {
        match self.records.get(table).and_then(|r| r.get(index)) {
            Some(record) => Reply::json(status, &json!({"result": Self::render(record, req)})),
            None => no_record(),
        }
    }

    fn collection(&mut self, method: &str, table: &str, req: &Request) -> Reply {
        let rows: Vec<Map<String, Value>> = match (method, table) {
            ("GET", "sys_choice") => choices(),
            ("GET", "sys_dictionary") => dictionary(),
            (_, "sys_choice" | "sys_dictionary") => return acl_refused(),
            _ => {
                let Some(product) = product(table) else { return invalid_table(table) };
                match method {
                    "GET" => self
                        .records
                        .get(table)
                        .map(|r| r.iter().map(|r| r.fields.clone()).collect())
                        .unwrap_or_default(),
                    "POST" => return self.create(product, req),
                    _ => {
                        return sn_error(
                            405,
                            "Method not Supported",
                            Some("The method is not supported for this path"),
                        );
                    }
                }
            }
        };
        let query = EncodedQuery::parse(&req.query_param("sysparm_query").unwrap_or_default());
        let mut hits: Vec<Map<String, Value>> = rows.into_iter().filter(|row| query.matches(row)).collect();
        query.sort(&mut hits);
        let total = hits.len();
        let number = |name: &str| req.query_param(name).and_then(|v| v.trim().parse::<usize>().ok());
        let offset = number("sysparm_offset").unwrap_or(0);
        let limit = number("sysparm_limit").unwrap_or(usize::MAX);
        let fields_wanted: Option<Vec<String>> =
            req.query_param("sysparm_fields").map(|f| f.split(',').map(|s| s.trim().to_string()).collect());
        let result: Vec<Value> = hits
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|row| match &fields_wanted {
                None => Value::Object(row),
                Some(wanted) => Value::Object(
                    wanted
                        .iter()
                        .filter(|f| !f.is_empty())
                        .map(|f| (f.clone(), row.get(f).cloned().unwrap_or_else(|| json!(""))))
                        .collect(),
                ),
            })
            .collect();
        Reply::json(200, &json!({"result": result})).with_header("x-total-count", &total.to_string())
    }

    fn create(&mut self, product: &'static Product, req: &Request) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let (fields, notes) = Self::columns(body);
        let index = self.insert(product, fields, notes);
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        let location = self
            .records
            .get(product.table)
            .and_then(|r| r.get(index))
            .map(|r| format!("{}/api/now/v2/table/{}/{}", self.base_url, product.table, r.sys_id))
            .unwrap_or_default();
        self.record_reply(product.table, index, 201, req).with_header("location", &location)
    }

    fn record(&mut self, method: &str, table: &str, sys_id: &str, req: &Request) -> Reply {
        if product(table).is_none() {
            return invalid_table(table);
        }
        let Some(index) = self.find(table, sys_id) else { return no_record() };
        match method {
            "GET" => self.record_reply(table, index, 200, req),
            "PATCH" | "PUT" => {
                let body = match object_body(req) {
                    Ok(body) => body,
                    Err(reply) => return reply,
                };
                let (changes, notes) = Self::columns(body);
                self.update(table, index, changes, notes);
                self.record_reply(table, index, 200, req)
            }
            "DELETE" => {
                if let Some(records) = self.records.get_mut(table) {
                    records.remove(index);
                }
                Reply::status(204)
            }
            _ => sn_error(405, "Method not Supported", Some("The method is not supported for this path")),
        }
    }

    /// `POST /api/now/import/{staging table}`: `u_` fields (prefix stripped), unprefixed extra
    /// fields, `u_work_notes` as a journal entry, and `elastic_incident_id` to update a record.
    fn import(&mut self, staging: &str, req: &Request) -> Reply {
        let Some(product) = PRODUCTS.iter().find(|p| p.staging_table == staging).filter(|_| self.app_installed) else {
            return invalid_table(staging);
        };
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let import_set = format!("ISET{:07}", self.next_import_set);
        self.next_import_set += 1;
        let answer = |row: Value| {
            Reply::json(201, &json!({"import_set": import_set, "staging_table": staging, "result": [row]}))
        };
        let error_row = |message: &str, status_message: &str| {
            json!({"transform_map": product.transform_map, "table": product.table, "status": "error",
                "error_message": message, "status_message": status_message})
        };
        if let Some((field, message)) = self.reject_import.take() {
            return answer(error_row(&message, &format!("Unable to transform field '{field}'")));
        }
        let mut target = None;
        let mut fields = Map::new();
        let mut notes = Vec::new();
        for (name, value) in body {
            if value.is_null() {
                continue;
            }
            if name == "elastic_incident_id" {
                target = Some(sn_string(&value)).filter(|id| !id.is_empty());
                continue;
            }
            let column = name.strip_prefix("u_").map(str::to_string).unwrap_or(name);
            if column == "work_notes" {
                let note = sn_string(&value);
                if !note.trim().is_empty() {
                    notes.push(note);
                }
            } else if !read_only(&column) {
                fields.insert(column, Value::String(sn_string(&value)));
            }
        }
        let (index, status) = match target {
            Some(sys_id) => match self.find(product.table, &sys_id) {
                Some(index) => {
                    self.update(product.table, index, fields, notes);
                    (index, "updated")
                }
                None => {
                    let message = format!("No record found for elastic_incident_id {sys_id}");
                    return answer(error_row(&message, "failure"));
                }
            },
            None => (self.insert(product, fields, notes), "inserted"),
        };
        if status == "inserted" && std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        let Some(record) = self.records.get(product.table).and_then(|r| r.get(index)) else { return no_record() };
        answer(json!({
            "transform_map": product.transform_map,
            "table": product.table,
            "display_name": "number",
            "display_value": record.number,
            "record_link": format!("{}/api/now/table/{}/{}", self.base_url, product.table, record.sys_id),
            "status": status,
            "sys_id": record.sys_id,
        }))
    }

    /// SIR observables: `bulk` takes `[{value,type}]`, the single form `{value,type}`. An
    /// observable already on the incident is not added twice.
    fn observables(&mut self, sys_id: &str, req: &Request, bulk: bool) -> Reply {
        let invalid = || sn_error(400, "Invalid request body", Some("Expected {\"value\", \"type\"} observables"));
        let body: Value = match serde_json::from_slice(&req.body) {
            Ok(body) => body,
            Err(_) => return bad_payload(),
        };
        let items = match (bulk, body) {
            (true, Value::Array(items)) => items,
            (false, item @ Value::Object(_)) => vec![item],
            _ => return invalid(),
        };
        let mut wanted = Vec::new();
        for item in &items {
            match (item.get("value").and_then(Value::as_str), item.get("type").and_then(Value::as_str)) {
                (Some(value), Some(kind)) if !value.is_empty() && !kind.is_empty() => {
                    wanted.push((kind.to_string(), value.to_string()))
                }
                _ => return invalid(),
            }
        }
        let Some(index) = self.find("sn_si_incident", sys_id) else { return no_record() };
        let mut result = Vec::new();
        for (kind, value) in wanted {
            let existing = self.records.get("sn_si_incident").and_then(|r| r.get(index)).and_then(|r| {
                r.observables.iter().find(|o| o.kind == kind && o.value == value).map(|o| o.sys_id.clone())
            });
            let observable_sys_id = match existing {
                Some(id) => id,
                None => {
                    let id = self.new_sys_id();
                    if let Some(record) = self.records.get_mut("sn_si_incident").and_then(|r| r.get_mut(index)) {
                        record.observables.push(Observable { kind, value: value.clone(), sys_id: id.clone() });
                    }
                    id
                }
            };
            result.push(json!({"value": value, "observable_sys_id": observable_sys_id}));
        }
        if bulk {
            Reply::json(200, &json!({"result": result}))
        } else {
            Reply::json(200, &json!({"result": result.pop().unwrap_or_default()}))
        }
    }
}
