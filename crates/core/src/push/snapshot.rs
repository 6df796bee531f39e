//! What one push sends, read in one snapshot: the case as the incident, the ticket it already
//! has, and the comments the ticket has not seen (new, or edited since they were sent).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::Result;
use crate::alerts::fields::{flatten, texts};
use crate::cases::load_by_uuid;
use crate::connectors::{ConnectorRow, Incident, Observables, Ticket, load_by_rowid};
use crate::model::*;
use crate::row::parse;

/// Most values per observable kind sent with one SecOps incident.
const MAX_OBSERVABLES: usize = 1000;

pub(super) struct PendingComment {
    /// None for the note announcing the case's alerts.
    pub rowid: Option<i64>,
    pub version: i64,
    pub text: String,
}

pub(super) struct Snapshot {
    /// When it was read: the push reflects the case as of then.
    pub taken_at: DateTime<Utc>,
    pub case_rowid: i64,
    pub case: Case,
    pub connector: ConnectorRow,
    pub ticket: Option<Ticket>,
    pub incident: Incident,
    pub comments: Vec<PendingComment>,
    /// The alert count the note announces, when it changed since the last push.
    pub alerts_to_announce: Option<i64>,
    /// When a create whose answer never came was started (epoch ms), if one was.
    pub unsure_create: Option<i64>,
}

/// Kibana's attribution: the display name, else the user name.
fn by(user: &User) -> &str {
    user.full_name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&user.username)
}

pub(super) fn take(conn: &Connection, outbox_id: i64, taken_at: DateTime<Utc>) -> Result<Snapshot> {
    let (case_rowid, connector_rowid): (i64, i64) =
        conn.query_row("SELECT case_id, connector_id FROM outbox WHERE id = ?1", [outbox_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let uuid: String = conn.query_row("SELECT uuid FROM cases WHERE id = ?1", [case_rowid], |r| r.get(0))?;
    let case = load_by_uuid(conn, &uuid)?.case;
    let connector = load_by_rowid(conn, connector_rowid)?;
    let pushed = conn
        .prepare_cached(
            "SELECT external_id, external_title, external_url, alerts_pushed FROM case_pushes
             WHERE case_id = ?1 AND connector_id = ?2",
        )?
        .query_row((case_rowid, connector_rowid), |r| {
            Ok((Ticket { id: r.get(0)?, title: r.get(1)?, url: r.get(2)? }, r.get::<_, i64>(3)?))
        })
        .optional()?;
    let alerts_pushed = pushed.as_ref().map_or(0, |(_, n)| *n);
    let ticket = pushed.map(|(t, _)| t);

    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.version, m.body, coalesce(m.updated_by, m.created_by) FROM comments m
         WHERE m.case_id = ?1 AND NOT EXISTS (SELECT 1 FROM comment_pushes p
            WHERE p.comment_id = m.id AND p.connector_id = ?2 AND p.version = m.version)
         ORDER BY coalesce(m.updated_at, m.created_at), m.id",
    )?;
    let comments = stmt
        .query_map((case_rowid, connector_rowid), |r| {
            let author: User = parse(&r.get::<_, String>(3)?)?;
            let body: String = r.get(2)?;
            Ok(PendingComment {
                rowid: r.get(0)?,
                version: r.get(1)?,
                text: format!("{body}\n\nAdded by {}.", by(&author)),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let incident = incident(conn, case_rowid, &case, &connector)?;
    // Kibana's note on the alerts (it has no other way to tell the ticket about them).
    let alerts_to_announce = (case.total_alerts > alerts_pushed).then_some(case.total_alerts);
    let mut comments = comments;
    if let Some(n) = alerts_to_announce {
        let text = format!("Elastic Security alerts attached to the case: {n}");
        comments.push(PendingComment { rowid: None, version: 0, text });
    }
    let unsure_create = super::outbox::unsure_create(conn, outbox_id)?;
    Ok(Snapshot {
        taken_at,
        case_rowid,
        case,
        connector,
        ticket,
        incident,
        comments,
        alerts_to_announce,
        unsure_create,
    })
}

/// The case as a push to `connector` sends it.
pub(super) fn incident(conn: &Connection, case_rowid: i64, case: &Case, connector: &ConnectorRow) -> Result<Incident> {
    // The case's fields apply when they were chosen for this connector.
    let fields = if case.connector.id == connector.connector.id {
        case.connector.fields.clone().unwrap_or(Value::Object(Map::new()))
    } else {
        Value::Object(Map::new())
    };
    let observables = observables(conn, case_rowid, &fields)?;
    // A space that closes cases by pushing closes the ticket with the same push, where the
    // ticket carries the status.
    let closes = crate::settings::load(conn, &case.space)?.closure_type == ClosureType::CloseByPushing;
    let status = if closes && crate::connectors::spec(connector.connector.kind).sends_status {
        Status::Closed
    } else {
        case.status
    };
    let author = case.updated_by.as_ref().unwrap_or(&case.created_by);
    Ok(Incident {
        case_uuid: case.id.clone(),
        number: case.incremental_id,
        title: case.title.clone(),
        description: format!("{}\n\nAdded by {}.", case.description, by(author)),
        raw_description: case.description.clone(),
        tags: case.tags.clone(),
        severity: case.severity,
        status,
        fields,
        observables,
    })
}

/// What a preview of a push fills in: the case as the incident, its ticket at the connector
/// (if pushed), and its latest comment as a comment request would send it.
pub(super) fn preview(
    conn: &Connection,
    case_uuid: &str,
    connector: &ConnectorRow,
) -> Result<(Incident, Option<Ticket>, Option<String>)> {
    let loaded = load_by_uuid(conn, case_uuid)?;
    let incident = incident(conn, loaded.rowid, &loaded.case, connector)?;
    let ticket = conn
        .prepare_cached(
            "SELECT external_id, external_title, external_url FROM case_pushes WHERE case_id = ?1 AND connector_id = ?2",
        )?
        .query_row((loaded.rowid, connector.rowid), |r| Ok(Ticket { id: r.get(0)?, title: r.get(1)?, url: r.get(2)? }))
        .optional()?;
    let comment = conn
        .prepare_cached(
            "SELECT body, coalesce(updated_by, created_by) FROM comments WHERE case_id = ?1
             ORDER BY coalesce(updated_at, created_at) DESC, id DESC LIMIT 1",
        )?
        .query_row([loaded.rowid], |r| {
            let author: User = parse(&r.get::<_, String>(1)?)?;
            Ok(format!("{}\n\nAdded by {}.", r.get::<_, String>(0)?, by(&author)))
        })
        .optional()?;
    Ok((incident, ticket, comment))
}

/// The values of the alert fields whose switch is on in the case's fields (only systems with
/// switches have any), deduplicated in order.
fn observables(conn: &Connection, case_rowid: i64, fields: &Value) -> Result<Observables> {
    let on = |name: &str| fields.get(name).and_then(Value::as_bool).unwrap_or(false);
    let mut out = Observables::default();
    let wanted: Vec<(&str, usize)> = [("destIp", 0), ("sourceIp", 1), ("malwareHash", 2), ("malwareUrl", 3)]
        .into_iter()
        .filter(|(name, _)| on(name))
        .collect();
    if wanted.is_empty() {
        return Ok(out);
    }
    let paths = ["destination.ip", "source.ip", "file.hash.sha256", "url.full"];
    let mut stmt = conn.prepare_cached("SELECT document FROM case_alerts WHERE case_id = ?1 ORDER BY id")?;
    let mut rows = stmt.query([case_rowid])?;
    while let Some(row) = rows.next()? {
        let doc: Value = serde_json::from_str(&row.get::<_, String>(0)?).unwrap_or(Value::Null);
        let flat = flatten(&doc);
        for (_, i) in &wanted {
            let list = match i {
                0 => &mut out.dest_ip,
                1 => &mut out.source_ip,
                2 => &mut out.malware_hash,
                _ => &mut out.malware_url,
            };
            for v in texts(&flat, paths[*i]) {
                if list.len() < MAX_OBSERVABLES && !list.iter().any(|x| x == v.as_ref()) {
                    list.push(v.into_owned());
                }
            }
        }
    }
    Ok(out)
}
