//! Row ↔ model conversions shared by every query that returns cases, comments or actions.

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Row;
use serde::de::DeserializeOwned;

use crate::Result;
use crate::model::*;
use crate::timing::Timing;

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub(crate) fn opt_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(time)
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub(crate) fn parse<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn parse_opt<T: DeserializeOwned>(s: Option<String>) -> rusqlite::Result<Option<T>> {
    s.map(|s| parse(&s)).transpose()
}

/// The columns `case_from_row` reads, in order, from `cases c` (`format!("SELECT {CASE_COLUMNS} …")`).
pub(crate) const CASE_COLUMNS: CaseColumns = CaseColumns;

pub(crate) struct CaseColumns;

impl std::fmt::Display for CaseColumns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(case_columns())
    }
}

/// Built once: which systems' tickets carry the status and severity comes from their specs.
fn case_columns() -> &'static str {
    static COLUMNS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let carrying: Vec<String> = crate::model::ConnectorKind::ALL
            .iter()
            .filter(|k| crate::connectors::spec(**k).sends_status)
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let status_kinds = if carrying.is_empty() { "''".to_string() } else { carrying.join(", ") };
        format!(
            "c.uuid, c.version, (SELECT number FROM case_numbers WHERE case_id = c.id), (SELECT name FROM spaces WHERE id = c.space_id), c.title, c.description, c.tags, \
    c.severity, c.status, c.assignees, c.category, c.custom_fields, c.settings, c.owner, c.connector, \
    c.external_service, c.created_at, c.created_by, c.updated_at, c.updated_by, c.closed_at, c.closed_by, \
    c.in_progress_at, c.duration, c.time_to_acknowledge, c.time_to_investigate, c.time_to_resolve, \
    c.total_comment, c.total_alerts, c.total_observables, \
    CASE WHEN c.external_service IS NULL THEN 'not_pushed' \
      WHEN c.pushed_at IS NULL \
        OR EXISTS (SELECT 1 FROM user_actions u WHERE u.case_uuid = c.uuid AND u.created_at > c.pushed_at \
          AND (u.type IN ('title', 'description', 'tags', 'connector') \
            OR (u.type IN ('status', 'severity') AND EXISTS (SELECT 1 FROM connectors k \
              WHERE k.uuid = json_extract(c.external_service, '$.connector_id') AND k.kind IN ({status_kinds}))))) \
        OR EXISTS (SELECT 1 FROM connectors k JOIN comments m ON m.case_id = c.id \
          WHERE k.uuid = json_extract(c.external_service, '$.connector_id') AND NOT EXISTS (SELECT 1 FROM comment_pushes p \
            WHERE p.comment_id = m.id AND p.connector_id = k.id AND p.version = m.version)) \
        OR c.total_alerts > (SELECT p.alerts_pushed FROM case_pushes p JOIN connectors k ON k.id = p.connector_id \
          WHERE p.case_id = c.id AND k.uuid = json_extract(c.external_service, '$.connector_id')) \
        THEN 'requires_update' \
      ELSE 'up_to_date' END, \
    (SELECT state FROM outbox WHERE case_id = c.id ORDER BY id DESC LIMIT 1)"
        )
    });
    &COLUMNS
}

pub(crate) fn case_from_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    case_from_row_at(r, 0)
}

/// Reads `CASE_COLUMNS` starting at column `o`.
pub(crate) fn case_from_row_at(r: &Row<'_>, o: usize) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(o)?,
        version: r.get::<_, i64>(o + 1)?.to_string(),
        incremental_id: r.get(o + 2)?,
        space: r.get(o + 3)?,
        title: r.get(o + 4)?,
        description: r.get(o + 5)?,
        tags: parse(&r.get::<_, String>(o + 6)?)?,
        severity: Severity::from_db(r.get(o + 7)?),
        status: Status::from_db(r.get(o + 8)?),
        assignees: parse(&r.get::<_, String>(o + 9)?)?,
        category: r.get(o + 10)?,
        custom_fields: parse(&r.get::<_, String>(o + 11)?)?,
        settings: parse(&r.get::<_, String>(o + 12)?)?,
        owner: r.get(o + 13)?,
        connector: parse(&r.get::<_, String>(o + 14)?)?,
        external_service: parse_opt(r.get(o + 15)?)?,
        created_at: time(r.get(o + 16)?),
        created_by: parse(&r.get::<_, String>(o + 17)?)?,
        updated_at: opt_time(r.get(o + 18)?),
        updated_by: parse_opt(r.get(o + 19)?)?,
        closed_at: opt_time(r.get(o + 20)?),
        closed_by: parse_opt(r.get(o + 21)?)?,
        in_progress_at: opt_time(r.get(o + 22)?),
        duration: r.get(o + 23)?,
        time_to_acknowledge: r.get(o + 24)?,
        time_to_investigate: r.get(o + 25)?,
        time_to_resolve: r.get(o + 26)?,
        total_comment: r.get(o + 27)?,
        total_alerts: r.get(o + 28)?,
        total_observables: r.get(o + 29)?,
        push_state: match r.get::<_, String>(o + 30)?.as_str() {
            "up_to_date" => PushState::UpToDate,
            "requires_update" => PushState::RequiresUpdate,
            _ => PushState::NotPushed,
        },
        pending_push: r.get::<_, Option<String>>(o + 31)?.as_deref().map(OutboxState::from_db),
    })
}

impl Case {
    pub(crate) fn timing(&self) -> Timing {
        Timing {
            closed_at: self.closed_at,
            closed_by: self.closed_by.clone(),
            in_progress_at: self.in_progress_at,
            duration: self.duration,
            time_to_acknowledge: self.time_to_acknowledge,
            time_to_investigate: self.time_to_investigate,
            time_to_resolve: self.time_to_resolve,
        }
    }
}

pub(crate) const COMMENT_COLUMNS: &str = "m.uuid, m.version, c.uuid, m.body, m.owner, m.created_at, m.created_by, \
    m.updated_at, m.updated_by, m.pushed_at, m.pushed_by";

pub(crate) fn comment_from_row(r: &Row<'_>) -> rusqlite::Result<Comment> {
    comment_from_row_at(r, 0)
}

/// Reads `COMMENT_COLUMNS` starting at column `o`.
pub(crate) fn comment_from_row_at(r: &Row<'_>, o: usize) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(o)?,
        version: r.get::<_, i64>(o + 1)?.to_string(),
        case_id: r.get(o + 2)?,
        comment: r.get(o + 3)?,
        comment_type: "user".into(),
        owner: r.get(o + 4)?,
        created_at: time(r.get(o + 5)?),
        created_by: parse(&r.get::<_, String>(o + 6)?)?,
        updated_at: opt_time(r.get(o + 7)?),
        updated_by: parse_opt(r.get(o + 8)?)?,
        pushed_at: opt_time(r.get(o + 9)?),
        pushed_by: parse_opt(r.get(o + 10)?)?,
    })
}

/// Parses a version the caller sent back; anything but a positive integer is a conflict-free
/// validation error rather than a silent mismatch.
pub(crate) fn parse_version(field: &str, v: &str) -> Result<i64> {
    v.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        crate::Error::validation(field, format!("must be the version you loaded, a positive number (got {v:?})"))
    })
}
