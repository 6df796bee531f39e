//! A fake Elasticsearch that speaks the real contract, on a [`FakeServer`]: `GET /`, `_search`
//! on the alerts alias with filters, sort and search_after applied to an in-memory set of
//! real-shaped alerts, `_update_by_query`, and the error bodies Elasticsearch sends for 401, 403
//! and a missing index. Used by `elasticsearch.rs` (the client) and `alert_source.rs` (the core).

use std::cmp::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};

use casebook_core::elastic::ElasticClient;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::server::{FakeServer, Reply, Request};

/// The example key of Elasticsearch's API key docs, base64 of `<id>:<api_key>`.
pub const API_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
pub const API_KEY_ID: &str = "VuaCfGcBCdbkQm-e5aOx";
/// The secret half of the key, which must not show up anywhere either.
pub const API_KEY_SECRET: &str = "ui2lp2axTNmsyakw9tvNnw";

/// What the key may do, as its role descriptors would grant.
#[derive(Debug, Clone, Copy)]
pub struct Privileges {
    /// Cluster `monitor`: `GET /`.
    pub monitor: bool,
    /// Index `read` on the alerts indices: `_search`.
    pub read: bool,
    /// Index `write` on the alerts indices: `_update_by_query`.
    pub write: bool,
}

impl Privileges {
    pub const ALL: Privileges = Privileges { monitor: true, read: true, write: true };
}

/// One stored document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The concrete index, e.g. `.internal.alerts-security.alerts-default-000001`.
    pub index: String,
    pub id: String,
    pub source: Value,
}

pub struct EsState {
    pub api_key: String,
    pub privileges: Privileges,
    pub docs: Vec<Doc>,
}

/// A fake cluster on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeElasticsearch {
    pub server: FakeServer,
    state: Arc<Mutex<EsState>>,
}

impl FakeElasticsearch {
    pub fn start(docs: Vec<Doc>) -> FakeElasticsearch {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(EsState { api_key: API_KEY.to_string(), privileges: Privileges::ALL, docs }));
        let s = state.clone();
        server.route("GET", "/", move |req| {
            with_auth(&s, req, |st| {
                if st.privileges.monitor {
                    cluster_info()
                } else {
                    unauthorized_action("cluster:monitor/main", None, "cluster privileges [monitor,manage,all]")
                }
            })
        });
        let s = state.clone();
        server.route("POST", "/{index}/_search", move |req| with_auth(&s, req, |st| search(st, req)));
        let s = state.clone();
        server.route("POST", "/{index}/_update_by_query", move |req| with_auth(&s, req, |st| update_by_query(st, req)));
        FakeElasticsearch { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn client(&self) -> ElasticClient {
        ElasticClient::new(&self.url(), API_KEY).expect("a client for the fake")
    }

    pub fn state(&self) -> MutexGuard<'_, EsState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn source(&self, id: &str) -> Value {
        self.state().docs.iter().find(|d| d.id == id).map(|d| d.source.clone()).expect("a stored alert")
    }
}

fn with_auth(state: &Mutex<EsState>, req: &Request, f: impl FnOnce(&mut EsState) -> Reply) -> Reply {
    let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
    if req.header("authorization") != Some(format!("ApiKey {}", st.api_key).as_str()) {
        let reason =
            "unable to authenticate with provided credentials and anonymous access is not allowed for this request";
        return es_error(401, "security_exception", reason, json!({"additional_unsuccessful_credentials": "API key: unable to find apikey with id VuaCfGcBCdbkQm-e5aOx"}))
            .with_header("www-authenticate", "Basic realm=\"security\", charset=\"UTF-8\"")
            .with_header("www-authenticate", "Bearer realm=\"security\"")
            .with_header("www-authenticate", "ApiKey");
    }
    f(&mut st)
}

/// Elasticsearch's error body: `{"error":{"root_cause":[…],"type","reason",…},"status"}`.
pub fn es_error(status: u16, kind: &str, reason: &str, extra: Value) -> Reply {
    let mut cause = serde_json::Map::new();
    cause.insert("type".into(), kind.into());
    cause.insert("reason".into(), reason.into());
    cause.extend(extra.as_object().cloned().unwrap_or_default());
    if status == 401 {
        let challenges = ["Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey"];
        cause.insert("header".into(), json!({"WWW-Authenticate": challenges}));
    }
    let mut error = cause.clone();
    error.insert("root_cause".into(), json!([cause]));
    Reply::json(status, &json!({"error": error, "status": status}))
}

fn unauthorized_action(action: &str, index: Option<&str>, granted_by: &str) -> Reply {
    let on = index.map(|i| format!(" on indices [{i}]")).unwrap_or_default();
    let reason = format!(
        "action [{action}] is unauthorized for API key id [{API_KEY_ID}] of user [elastic]{on}, this action is granted by the {granted_by}"
    );
    es_error(403, "security_exception", &reason, json!({}))
}

fn cluster_info() -> Reply {
    Reply::json(
        200,
        &json!({
            "name": "es-node-1",
            "cluster_name": "soc-prod",
            "cluster_uuid": "Xp4bHc7kTqWb3jQ0VYyY2A",
            "version": {
                "number": "8.17.1",
                "build_flavor": "default",
                "build_type": "docker",
                "build_hash": "d4b391d925c31d262eb767b8b2db8f398103f909",
                "build_date": "2025-01-10T10:08:26.972230187Z",
                "build_snapshot": false,
                "lucene_version": "9.12.0",
                "minimum_wire_compatibility_version": "7.17.0",
                "minimum_index_compatibility_version": "7.0.0"
            },
            "tagline": "You Know, for Search"
        }),
    )
    .with_header("x-elastic-product", "Elasticsearch")
}

/// The documents behind `target`: the alerts alias of a space covers its `.internal.alerts-…`
/// backing indices and, on clusters upgraded from 7.x, its `.siem-signals-…` ones.
fn resolve<'a>(st: &'a mut EsState, target: &str) -> Result<Vec<&'a mut Doc>, Reply> {
    let in_target = |index: &str| match target.strip_prefix(".alerts-security.alerts-") {
        Some(space) => {
            index.starts_with(&format!(".internal.alerts-security.alerts-{space}-"))
                || index.starts_with(&format!(".siem-signals-{space}-"))
        }
        None => index == target,
    };
    let docs: Vec<&mut Doc> = st.docs.iter_mut().filter(|d| in_target(&d.index)).collect();
    if docs.is_empty() {
        let reason = format!("no such index [{target}]");
        let extra =
            json!({"resource.type": "index_or_alias", "resource.id": target, "index_uuid": "_na_", "index": target});
        return Err(es_error(404, "index_not_found_exception", &reason, extra));
    }
    Ok(docs)
}

/// On `.siem-signals-*` the alerts mapping makes `kibana.alert.*` field aliases of `signal.*`.
fn legacy_alias(field: &str) -> Option<&'static str> {
    Some(match field {
        "kibana.alert.workflow_status" => "signal.status",
        "kibana.alert.rule.name" => "signal.rule.name",
        "kibana.alert.rule.uuid" => "signal.rule.id",
        "kibana.alert.severity" => "signal.rule.severity",
        "kibana.alert.original_time" => "signal.original_time",
        _ => return None,
    })
}

/// A field by dotted name, whether stored as a literal dotted key or as nested objects.
fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    if let Some(found) = obj.get(path) {
        return Some(found);
    }
    path.match_indices('.').find_map(|(i, _)| obj.get(&path[..i]).and_then(|child| lookup(child, &path[i + 1..])))
}

fn field<'a>(doc: &'a Doc, name: &str) -> Option<&'a Value> {
    lookup(&doc.source, name).or_else(|| {
        if doc.index.starts_with(".siem-signals-") {
            legacy_alias(name).and_then(|a| lookup(&doc.source, a))
        } else {
            None
        }
    })
}

fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
}

fn bad_request(kind: &str, reason: &str) -> Reply {
    es_error(400, kind, reason, json!({}))
}

fn matches(doc: &Doc, clause: &Value) -> Result<bool, Reply> {
    let (kind, body) = clause
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or_else(|| bad_request("parsing_exception", "query malformed, empty clause found"))?;
    let (name, spec) = body
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or_else(|| bad_request("parsing_exception", &format!("[{kind}] query malformed, no field")))?;
    match kind.as_str() {
        "term" => {
            let wanted = spec.get("value").unwrap_or(spec);
            Ok(match field(doc, name) {
                Some(Value::Array(values)) => values.contains(wanted),
                Some(v) => v == wanted,
                None => false,
            })
        }
        "range" => {
            if name != "@timestamp" {
                return Err(bad_request("parsing_exception", "the fake only ranges over @timestamp"));
            }
            let Some(t) = field(doc, name).and_then(parse_time) else { return Ok(false) };
            let bound = |key: &str| {
                spec.get(key).map(|v| {
                    parse_time(v)
                        .ok_or_else(|| bad_request("parse_exception", &format!("failed to parse date field [{v}]")))
                })
            };
            let mut ok = true;
            if let Some(b) = bound("gte") {
                ok &= t >= b?;
            }
            if let Some(b) = bound("gt") {
                ok &= t > b?;
            }
            if let Some(b) = bound("lte") {
                ok &= t <= b?;
            }
            if let Some(b) = bound("lt") {
                ok &= t < b?;
            }
            Ok(ok)
        }
        other => Err(bad_request("parsing_exception", &format!("unknown query [{other}]"))),
    }
}

/// A sort key: dates sort as epoch milliseconds, as Elasticsearch returns them.
fn sort_value(doc: &Doc, name: &str) -> Value {
    match field(doc, name) {
        Some(v) if name == "@timestamp" => parse_time(v).map(|t| json!(t.timestamp_millis())).unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// Missing values sort last in either order, as Elasticsearch's default `missing: _last`.
fn compare(a: &[Value], b: &[Value], orders: &[bool]) -> Ordering {
    for ((x, y), desc) in a.iter().zip(b).zip(orders) {
        let o = match (x, y) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => return Ordering::Greater,
            (_, Value::Null) => return Ordering::Less,
            (Value::Number(m), Value::Number(n)) => m.as_f64().partial_cmp(&n.as_f64()).unwrap_or(Ordering::Equal),
            (m, n) => m.as_str().cmp(&n.as_str()),
        };
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn search(st: &mut EsState, req: &Request) -> Reply {
    let target = req.param("index").to_string();
    if !st.privileges.read {
        return unauthorized_action("indices:data/read/search", Some(&target), "index privileges [read,all]");
    }
    let body = req.json();
    for key in body.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
        if !["size", "from", "query", "sort", "search_after", "track_total_hits", "_source"].contains(&key.as_str()) {
            return bad_request("x_content_parse_exception", &format!("[1:2] [search] unknown field [{key}]"));
        }
    }
    let docs = match resolve(st, &target) {
        Ok(docs) => docs,
        Err(reply) => return reply,
    };
    let filters = body.pointer("/query/bool/filter").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut hits = Vec::new();
    for doc in docs {
        let mut keep = true;
        for clause in &filters {
            match matches(doc, clause) {
                Ok(m) => keep &= m,
                Err(reply) => return reply,
            }
        }
        if keep {
            hits.push(doc.clone());
        }
    }
    let total = hits.len();
    let sort: Vec<(String, bool)> = body
        .get("sort")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|entry| {
                    let (name, spec) = entry.as_object()?.iter().next()?;
                    let desc = spec.get("order").or(Some(spec)).and_then(Value::as_str) == Some("desc");
                    Some((name.clone(), desc))
                })
                .collect()
        })
        .unwrap_or_default();
    let orders: Vec<bool> = sort.iter().map(|(_, desc)| *desc).collect();
    let key = |d: &Doc| sort.iter().map(|(name, _)| sort_value(d, name)).collect::<Vec<_>>();
    hits.sort_by(|a, b| compare(&key(a), &key(b), &orders));
    if let Some(after) = body.get("search_after").and_then(Value::as_array) {
        if after.len() != sort.len() {
            let reason = format!("search_after has {} value(s) but sort has {}.", after.len(), sort.len());
            return bad_request("illegal_argument_exception", &reason);
        }
        hits.retain(|d| compare(&key(d), after, &orders) == Ordering::Greater);
    }
    let size = body.get("size").and_then(Value::as_u64).unwrap_or(10) as usize;
    let page: Vec<Value> = hits
        .iter()
        .take(size)
        .map(|d| {
            let mut hit = json!({"_index": d.index, "_id": d.id, "_score": null, "_source": d.source});
            if !sort.is_empty() {
                hit["sort"] = Value::Array(key(d));
            }
            hit
        })
        .collect();
    Reply::json(
        200,
        &json!({
            "took": 4,
            "timed_out": false,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": total, "relation": "eq"}, "max_score": null, "hits": page}
        }),
    )
    .with_header("x-elastic-product", "Elasticsearch")
}

/// Applies what the status script does (the fake cannot run Painless; the tests check the
/// script text separately).
fn update_by_query(st: &mut EsState, req: &Request) -> Reply {
    let target = req.param("index").to_string();
    if !st.privileges.write {
        return unauthorized_action(
            "indices:data/write/update/byquery",
            Some(&target),
            "index privileges [index,write,all]",
        );
    }
    let body = req.json();
    let Some(ids) = body.pointer("/query/ids/values").and_then(Value::as_array).cloned() else {
        return bad_request("parsing_exception", "the fake only updates by an ids query");
    };
    if body.pointer("/script/lang").and_then(Value::as_str) != Some("painless") {
        return bad_request("illegal_argument_exception", "script lang must be painless");
    }
    let params = body.pointer("/script/params").cloned().unwrap_or_default();
    let (Some(status), Some(now)) = (params.get("status").cloned(), params.get("now").cloned()) else {
        return es_error(
            400,
            "script_exception",
            "runtime error",
            json!({"caused_by": {"type": "null_pointer_exception", "reason": "params.status or params.now is missing"}}),
        );
    };
    let docs = match resolve(st, &target) {
        Ok(docs) => docs,
        Err(reply) => return reply,
    };
    let mut updated = 0;
    for doc in docs.into_iter().filter(|d| ids.contains(&json!(d.id))) {
        let source = doc.source.as_object_mut().expect("object sources");
        if source.get("kibana.alert.workflow_status").is_some_and(|v| !v.is_null()) {
            source.insert("kibana.alert.workflow_status".into(), status.clone());
            source.insert("kibana.alert.workflow_status_updated_at".into(), now.clone());
        }
        if let Some(signal) = source.get_mut("signal").and_then(Value::as_object_mut)
            && signal.get("status").is_some_and(|v| !v.is_null())
        {
            signal.insert("status".into(), status.clone());
        }
        updated += 1;
    }
    Reply::json(
        200,
        &json!({"took": 31, "timed_out": false, "total": updated, "updated": updated, "deleted": 0, "batches": 1,
            "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0}, "throttled_millis": 0,
            "requests_per_second": -1.0, "throttled_until_millis": 0, "failures": []}),
    )
    .with_header("x-elastic-product", "Elasticsearch")
}

// ---------------------------------------------------------------------------------------------
// Alerts as Kibana writes them: literal dotted `kibana.alert.*` keys beside nested ECS objects.

pub struct AlertSpec {
    pub id: &'static str,
    pub at: &'static str,
    pub rule: &'static str,
    pub host: &'static str,
    pub user: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
}

pub const DEFAULT_1: &str = ".internal.alerts-security.alerts-default-000001";
pub const DEFAULT_2: &str = ".internal.alerts-security.alerts-default-000002";
pub const SOC_1: &str = ".internal.alerts-security.alerts-soc-000001";
pub const LEGACY: &str = ".siem-signals-default-000001";
pub const LEGACY_ID: &str = "5b1b1c0a7c2d4b1f9e3a";

fn risk(severity: &str) -> u32 {
    match severity {
        "critical" => 99,
        "high" => 73,
        "medium" => 47,
        _ => 21,
    }
}

pub fn alert(index: &str, a: &AlertSpec) -> Doc {
    let space = index.trim_start_matches(".internal.alerts-security.alerts-").split('-').next().unwrap_or("default");
    let rule_uuid = format!("{:08x}-5c1e-11ee-8c99-0242ac120002", a.rule.len() * 7919);
    let source = json!({
        "@timestamp": a.at,
        "kibana.alert.uuid": a.id,
        "kibana.alert.start": a.at,
        "kibana.alert.last_detected": a.at,
        "kibana.alert.original_time": a.at,
        "kibana.alert.status": "active",
        "kibana.alert.workflow_status": a.status,
        "kibana.alert.depth": 1,
        "kibana.alert.severity": a.severity,
        "kibana.alert.risk_score": risk(a.severity),
        "kibana.alert.reason": format!("process event with process powershell.exe, by {} on {} created {} alert {}.", a.user, a.host, a.severity, a.rule),
        "kibana.alert.rule.name": a.rule,
        "kibana.alert.rule.uuid": rule_uuid,
        "kibana.alert.rule.rule_id": "f545ff26-3c94-4fd0-bd33-3c7f95a3a0fc",
        "kibana.alert.rule.category": "Custom Query Rule",
        "kibana.alert.rule.consumer": "siem",
        "kibana.alert.rule.producer": "siem",
        "kibana.alert.rule.rule_type_id": "siem.queryRule",
        "kibana.alert.rule.type": "query",
        "kibana.alert.rule.threat": [{
            "framework": "MITRE ATT&CK",
            "tactic": {"id": "TA0002", "name": "Execution", "reference": "https://attack.mitre.org/tactics/TA0002/"},
            "technique": [{"id": "T1059", "name": "Command and Scripting Interpreter", "reference": "https://attack.mitre.org/techniques/T1059/",
                "subtechnique": [{"id": "T1059.001", "name": "PowerShell", "reference": "https://attack.mitre.org/techniques/T1059/001/"}]}]
        }],
        "kibana.alert.ancestors": [{"id": format!("ev-{}", a.id), "type": "event", "index": ".ds-logs-endpoint.events.process-default-2025.03.01-000001", "depth": 0}],
        "kibana.space_ids": [space],
        "kibana.version": "8.17.1",
        "event.kind": "signal",
        "event": {"action": "start", "category": ["process"], "type": ["start"], "module": "endpoint", "dataset": "endpoint.events.process"},
        "host": {"name": a.host, "hostname": a.host, "ip": ["10.20.4.17", "fe80::4c1:2bff:fe3a:1"], "os": {"family": "windows", "name": "Windows 11 Enterprise", "version": "23H2"}},
        "user": {"name": a.user, "domain": "CORP", "id": "S-1-5-21-3623811015-3361044348-30300820-1013"},
        "source": {"ip": "203.0.113.7", "port": 49822},
        "process": {"name": "powershell.exe", "pid": 4242, "executable": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "command_line": "powershell.exe -NoP -W Hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA", "parent": {"name": "winword.exe", "pid": 4100},
            "hash": {"sha256": "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c"}},
        "agent": {"type": "endpoint", "version": "8.17.1", "id": "7b0bd0ea-3c56-4b6c-9a1e-1f9d2bbd6e41"}
    });
    Doc { index: index.to_string(), id: a.id.to_string(), source }
}

/// A 7.x detection alert, still behind the alias after the upgrade: everything under `signal`.
fn legacy_alert() -> Doc {
    let source = json!({
        "@timestamp": "2025-02-20T09:00:00.000Z",
        "signal": {
            "status": "open",
            "original_time": "2025-02-20T08:59:58.000Z",
            "rule": {"id": "0b3cbe4e-1a2f-11eb-adc1-0242ac120002", "name": "Legacy Rule", "severity": "low", "risk_score": 21},
            "reason": "process event on ws-legacy created low alert Legacy Rule."
        },
        "host": {"name": "ws-legacy"},
        "user": {"name": "bob"},
        "event": {"kind": "signal"}
    });
    Doc { index: LEGACY.to_string(), id: LEGACY_ID.to_string(), source }
}

/// Twelve alerts in `default` over two backing indices (some sharing a timestamp, so the uuid
/// tie-break matters), two in `soc`, and one legacy alert.
pub fn sample_alerts() -> Vec<Doc> {
    let default = [
        ("a01", "2025-03-01T08:00:00.000Z", "Suspicious PowerShell", "ws-042", "alice", "high", "open"),
        ("a02", "2025-03-01T08:05:00.000Z", "Suspicious PowerShell", "ws-042", "alice", "high", "open"),
        ("a03", "2025-03-01T08:05:00.000Z", "Brute Force Logon", "dc-01", "svc-backup", "medium", "acknowledged"),
        ("a04", "2025-03-01T08:05:00.000Z", "Brute Force Logon", "dc-01", "admin", "critical", "open"),
        ("a05", "2025-03-01T09:10:00.000Z", "Malware Detected", "ws-007", "carol", "critical", "closed"),
        ("a06", "2025-03-01T10:00:00.000Z", "Suspicious PowerShell", "ws-007", "carol", "medium", "open"),
        ("a07", "2025-03-02T00:00:00.000Z", "Malware Detected", "ws-042", "alice", "low", "open"),
        ("b08", "2025-03-02T06:30:00.000Z", "Brute Force Logon", "dc-02", "admin", "high", "open"),
        ("b09", "2025-03-02T06:30:00.000Z", "Suspicious PowerShell", "ws-013", "dave", "high", "acknowledged"),
        ("b10", "2025-03-02T07:45:00.000Z", "Malware Detected", "ws-013", "dave", "medium", "closed"),
        ("b11", "2025-03-03T12:00:00.000Z", "Suspicious PowerShell", "ws-042", "alice", "critical", "open"),
        ("b12", "2025-03-03T12:00:00.000Z", "Brute Force Logon", "dc-01", "admin", "low", "open"),
    ];
    let mut docs: Vec<Doc> = default
        .iter()
        .map(|&(id, at, rule, host, user, severity, status)| {
            let index = if id.starts_with('a') { DEFAULT_1 } else { DEFAULT_2 };
            alert(index, &AlertSpec { id, at, rule, host, user, severity, status })
        })
        .collect();
    for (id, at) in [("s01", "2025-03-01T08:00:00.000Z"), ("s02", "2025-03-02T08:00:00.000Z")] {
        let spec = AlertSpec {
            id,
            at,
            rule: "Suspicious PowerShell",
            host: "ws-042",
            user: "alice",
            severity: "high",
            status: "open",
        };
        docs.push(alert(SOC_1, &spec));
    }
    docs.push(legacy_alert());
    docs
}
