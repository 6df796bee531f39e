//! Cases, comments, activity and trend figures as rows with the field names of Kibana's case
//! analytics indices (cases-as-data §3), streamed as NDJSON or CSV. Rows are written as they
//! are read, inside one read transaction, so an export of 400 000 cases holds one row at a time
//! and never waits for a write.

use std::io::Write;

use rusqlite::{Connection, Row, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::CaseFilter;
use crate::model::*;
use crate::row::{ms, time};
use crate::{Casebook, Error, Result};

/// What an export holds: one row per case, user comment, activity record or trend bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    Cases,
    Comments,
    Activity,
    Metrics,
}

impl std::str::FromStr for ExportKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "cases" => Ok(ExportKind::Cases),
            "comments" => Ok(ExportKind::Comments),
            "activity" => Ok(ExportKind::Activity),
            "metrics" => Ok(ExportKind::Metrics),
            other => {
                Err(Error::validation("kind", format!("must be cases, comments, activity or metrics (got {other:?})")))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "csv" => Ok(ExportFormat::Csv),
            "ndjson" | "jsonl" => Ok(ExportFormat::Ndjson),
            other => Err(Error::validation("format", format!("must be csv or ndjson (got {other:?})"))),
        }
    }
}

/// How far an export has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportProgress {
    pub done: u64,
    pub total: u64,
}

/// The CSV columns of each kind, in order: the analytics field names, nested ones dotted.
/// NDJSON rows carry the same fields nested.
pub fn columns(kind: ExportKind) -> &'static [&'static str] {
    match kind {
        ExportKind::Cases => &[
            "@timestamp",
            "case_id",
            "incremental_id",
            "title",
            "description",
            "tags",
            "category",
            "status",
            "status_sort",
            "severity",
            "severity_sort",
            "created_at",
            "created_at_ms",
            "created_by.username",
            "created_by.full_name",
            "created_by.email",
            "updated_at",
            "updated_at_ms",
            "updated_by.username",
            "closed_at",
            "closed_at_ms",
            "closed_by.username",
            "in_progress_at",
            "assignees",
            "total_assignees",
            "time_to_acknowledge",
            "time_to_investigate",
            "time_to_resolve",
            "custom_fields",
            "observables",
            "total_comments",
            "total_alerts",
            "connector.type",
            "external_service.external_id",
            "owner",
            "space_ids",
        ],
        ExportKind::Comments => &[
            "@timestamp",
            "comment_id",
            "case_id",
            "comment",
            "created_at",
            "created_by.username",
            "created_by.full_name",
            "created_by.email",
            "updated_at",
            "updated_by.username",
            "owner",
            "space_ids",
        ],
        ExportKind::Activity => &[
            "@timestamp",
            "action_id",
            "case_id",
            "action",
            "type",
            "payload.status",
            "payload.severity",
            "payload.category",
            "payload.tags",
            "created_at",
            "created_at_ms",
            "created_by.username",
            "created_by.full_name",
            "created_by.email",
            "owner",
            "space_ids",
        ],
        ExportKind::Metrics => &[
            "@timestamp",
            "interval",
            "opened",
            "closed",
            "reopened",
            "alerts",
            "open",
            "in_progress",
            "closed_total",
            "space_ids",
        ],
    }
}

/// Writes rows as NDJSON lines or CSV records (header first).
enum Sink<'w> {
    Ndjson(&'w mut dyn Write),
    Csv(Box<csv::Writer<&'w mut dyn Write>>, ExportKind),
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Storage(format!("cannot write the export: {e}"))
}

/// A value as one CSV cell: arrays of plain values joined by ", ", objects as JSON.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            a.iter().map(|x| cell(Some(x))).collect::<Vec<_>>().join(", ")
        }
        Some(v @ (Value::Array(_) | Value::Object(_))) => v.to_string(),
        Some(v) => v.to_string(),
    }
}

fn dotted<'v>(row: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(row, |v, k| v.get(k)).or_else(|| row.get(path))
}

impl<'w> Sink<'w> {
    fn new(out: &'w mut dyn Write, kind: ExportKind, format: ExportFormat) -> Result<Self> {
        Ok(match format {
            ExportFormat::Ndjson => Sink::Ndjson(out),
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(columns(kind)).map_err(io)?;
                Sink::Csv(Box::new(w), kind)
            }
        })
    }

    fn row(&mut self, row: &Value) -> Result<()> {
        match self {
            Sink::Ndjson(out) => {
                serde_json::to_writer(&mut **out, row).map_err(io)?;
                out.write_all(b"\n").map_err(io)
            }
            Sink::Csv(w, kind) => {
                let cells: Vec<String> = columns(*kind).iter().map(|c| cell(dotted(row, c))).collect();
                w.write_record(&cells).map_err(io)
            }
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Ndjson(out) => out.flush().map_err(io),
            Sink::Csv(mut w, _) => w.flush().map_err(io),
        }
    }
}

fn user(v: Option<String>) -> Value {
    v.and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .map(|u| json!({ "username": u["username"], "full_name": u["full_name"], "email": u["email"] }))
        .unwrap_or(Value::Null)
}

fn at(v: Option<i64>) -> Value {
    v.map_or(Value::Null, |t| Value::String(time(t).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
}

fn parsed(s: Option<String>) -> Value {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null)
}

const CASE_SELECT: &str = "SELECT c.uuid, (SELECT number FROM case_numbers WHERE case_id = c.id), c.title, c.description,
    c.tags, c.category, c.status, c.severity, c.created_at, c.created_by, c.updated_at, c.updated_by, c.closed_at,
    c.closed_by, c.in_progress_at, c.assignees, c.time_to_acknowledge, c.time_to_investigate, c.time_to_resolve,
    c.custom_fields,
    (SELECT json_group_array(json_object('type', o.type_key, 'value', o.value)) FROM case_observables o WHERE o.case_id = c.id),
    c.total_comment, c.total_alerts, json_extract(c.connector, '$.type'), json_extract(c.external_service, '$.external_id'),
    c.owner, (SELECT name FROM spaces WHERE id = c.space_id)";

fn case_row(r: &Row<'_>, stamp: &Value) -> rusqlite::Result<Value> {
    let status = Status::from_db(r.get(6)?);
    let severity = Severity::from_db(r.get(7)?);
    let assignees: Vec<String> = parsed(r.get(15)?)
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["uid"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let created: i64 = r.get(8)?;
    let updated: Option<i64> = r.get(10)?;
    let closed: Option<i64> = r.get(12)?;
    Ok(json!({
        "@timestamp": stamp,
        "case_id": r.get::<_, String>(0)?,
        "incremental_id": r.get::<_, Option<i64>>(1)?,
        "title": r.get::<_, String>(2)?,
        "description": r.get::<_, String>(3)?,
        "tags": parsed(r.get(4)?),
        "category": r.get::<_, Option<String>>(5)?,
        "status": status.as_str(),
        "status_sort": status.to_db() * 10,
        "severity": severity.as_str(),
        "severity_sort": severity.to_db() * 10,
        "created_at": at(Some(created)),
        "created_at_ms": created,
        "created_by": user(r.get(9)?),
        "updated_at": at(updated),
        "updated_at_ms": updated,
        "updated_by": user(r.get(11)?),
        "closed_at": at(closed),
        "closed_at_ms": closed,
        "closed_by": user(r.get(13)?),
        "in_progress_at": at(r.get(14)?),
        "total_assignees": assignees.len(),
        "assignees": assignees,
        "time_to_acknowledge": r.get::<_, Option<i64>>(16)?,
        "time_to_investigate": r.get::<_, Option<i64>>(17)?,
        "time_to_resolve": r.get::<_, Option<i64>>(18)?,
        "custom_fields": parsed(r.get(19)?),
        "observables": parsed(r.get(20)?),
        "total_comments": r.get::<_, i64>(21)?,
        "total_alerts": r.get::<_, i64>(22)?,
        "connector": { "type": r.get::<_, Option<String>>(23)? },
        "external_service": { "external_id": r.get::<_, Option<String>>(24)? },
        "owner": r.get::<_, String>(25)?,
        "space_ids": [r.get::<_, String>(26)?],
    }))
}

fn comment_row(r: &Row<'_>, stamp: &Value) -> rusqlite::Result<Value> {
    Ok(json!({
        "@timestamp": stamp,
        "comment_id": r.get::<_, String>(0)?,
        "case_id": r.get::<_, String>(1)?,
        "comment": r.get::<_, String>(2)?,
        "created_at": at(r.get(3)?),
        "created_by": user(r.get(4)?),
        "updated_at": at(r.get(5)?),
        "updated_by": user(r.get(6)?),
        "owner": r.get::<_, String>(7)?,
        "space_ids": [r.get::<_, String>(8)?],
    }))
}

fn activity_row(r: &Row<'_>, stamp: &Value) -> rusqlite::Result<Value> {
    let payload = parsed(r.get(4)?);
    let mut kept = Map::new();
    // The four payload fields Kibana's activity index keeps.
    for k in ["status", "severity", "category", "tags"] {
        if let Some(v) = payload.get(k) {
            kept.insert(k.into(), v.clone());
        }
    }
    let created: i64 = r.get(5)?;
    Ok(json!({
        "@timestamp": stamp,
        "action_id": r.get::<_, String>(0)?,
        "case_id": r.get::<_, String>(1)?,
        "action": r.get::<_, String>(2)?,
        "type": r.get::<_, String>(3)?,
        "payload": kept,
        "created_at": at(Some(created)),
        "created_at_ms": created,
        "created_by": user(r.get(6)?),
        "owner": r.get::<_, String>(7)?,
        "space_ids": [r.get::<_, String>(8)?],
    }))
}

type RowFn = fn(&Row<'_>, &Value) -> rusqlite::Result<Value>;

/// The query of a kind's rows and their count, with parameters.
fn plan(kind: ExportKind, f: &CaseFilter, lo: i64, hi: i64) -> (String, String, Vec<rusqlite::types::Value>, RowFn) {
    let cond = f.condition();
    let mut params = f.params();
    params.extend([lo.into(), hi.into()]);
    match kind {
        ExportKind::Cases => (
            format!(
                "{CASE_SELECT} FROM cases c WHERE {cond} AND c.created_at BETWEEN ? AND ? ORDER BY c.created_at, c.id"
            ),
            format!("SELECT count(*) FROM cases c WHERE {cond} AND c.created_at BETWEEN ? AND ?"),
            params,
            case_row,
        ),
        ExportKind::Comments => {
            let from = format!(
                "FROM comments m JOIN cases c ON c.id = m.case_id WHERE {cond} AND m.created_at BETWEEN ? AND ?"
            );
            (
                format!(
                    "SELECT m.uuid, c.uuid, m.body, m.created_at, m.created_by, m.updated_at, m.updated_by, m.owner,
                        (SELECT name FROM spaces WHERE id = c.space_id) {from} ORDER BY m.created_at, m.id"
                ),
                format!("SELECT count(*) {from}"),
                params,
                comment_row,
            )
        }
        ExportKind::Activity | ExportKind::Metrics => {
            // Deleted cases keep their history: with no case filter it is exported too.
            let which = if f.is_space_only() {
                format!("cs.space_id IN (SELECT id FROM spaces s WHERE {})", f.space_condition("s.id"))
            } else {
                format!("ua.case_uuid IN (SELECT c.uuid FROM cases c WHERE {cond})")
            };
            let mut params = if f.is_space_only() { f.space_params() } else { f.params() };
            params.extend([lo.into(), hi.into()]);
            let from = format!(
                "FROM user_actions ua JOIN case_spaces cs ON cs.case_uuid = ua.case_uuid
                 WHERE {which} AND ua.created_at BETWEEN ? AND ?"
            );
            (
                format!(
                    "SELECT ua.uuid, ua.case_uuid, ua.action, ua.type, ua.payload, ua.created_at, ua.created_by, ua.owner,
                        (SELECT name FROM spaces WHERE id = cs.space_id) {from} ORDER BY ua.id"
                ),
                format!("SELECT count(*) {from}"),
                params,
                activity_row,
            )
        }
    }
}

impl Casebook {
    /// Writes the rows of `kind` for `q`'s filters to `out` as `format`; `progress` is told
    /// every thousand rows and at the end. Cases and comments are those created in the range;
    /// activity records those made in it; metrics the trend buckets. Says how many rows.
    pub fn export_analytics(
        &self,
        kind: ExportKind,
        format: ExportFormat,
        q: &MetricsQuery,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<u64> {
        let now = self.now();
        let stamp = Value::String(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        let mut sink = Sink::new(out, kind, format)?;
        if kind == ExportKind::Metrics {
            let m = self.metrics(&MetricsQuery { by: vec![Breakdown::Severity], ..q.clone() })?;
            let space: Vec<String> = match &q.space {
                Some(s) => vec![s.clone()],
                None => self.list_spaces()?.into_iter().map(|s| s.name).collect(),
            };
            let total = m.trend.len() as u64;
            for b in &m.trend {
                let mut row = serde_json::to_value(b)?;
                if let Some(o) = row.as_object_mut() {
                    o.remove("start");
                    o.insert("@timestamp".into(), at(Some(ms(b.start))));
                    o.insert("interval".into(), serde_json::to_value(m.interval)?);
                    o.insert("space_ids".into(), json!(space));
                }
                sink.row(&row)?;
            }
            sink.finish()?;
            progress(ExportProgress { done: total, total });
            return Ok(total);
        }
        self.read(|c: &Connection| {
            let f = CaseFilter::compile(c, q)?;
            let (lo, hi) = (q.from.map_or(i64::MIN, ms), q.to.map_or(i64::MAX, ms));
            if lo > hi {
                return Err(Error::validation("from", "must not be after `to`"));
            }
            let (sql, count_sql, params, to_row) = plan(kind, &f, lo, hi);
            let total: i64 = c.query_row(&count_sql, params_from_iter(params.iter()), |r| r.get(0))?;
            let total = total as u64;
            progress(ExportProgress { done: 0, total });
            let mut stmt = c.prepare(&sql)?;
            let mut rows = stmt.query(params_from_iter(params.iter()))?;
            let mut done = 0u64;
            while let Some(r) = rows.next()? {
                sink.row(&to_row(r, &stamp)?)?;
                done += 1;
                if done.is_multiple_of(1000) {
                    progress(ExportProgress { done, total });
                }
            }
            sink.finish()?;
            progress(ExportProgress { done, total });
            Ok(done)
        })
    }
}

impl Casebook {
    /// [`Casebook::export_analytics`] into the file `path`, which is replaced only once the
    /// export is complete (a failed export leaves what was there).
    pub fn export_analytics_to_file(
        &self,
        kind: ExportKind,
        format: ExportFormat,
        q: &MetricsQuery,
        path: &std::path::Path,
        progress: &mut dyn FnMut(ExportProgress),
    ) -> Result<u64> {
        let cannot = |e: std::io::Error| Error::validation("path", format!("cannot write {}: {e}", path.display()));
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
        let rows = {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            let rows = self.export_analytics(kind, format, q, &mut w, progress)?;
            w.flush().map_err(cannot)?;
            rows
        };
        tmp.persist(path).map_err(|e| cannot(e.error))?;
        Ok(rows)
    }
}
