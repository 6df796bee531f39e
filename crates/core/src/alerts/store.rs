//! Alerts kept with a case: saving a batch, listing a page for the Alerts tab, the header's
//! figures, one alert's whole document, removal, and following the case's status.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, ToSql};
use serde_json::{Value, json};

use super::{AlertSummary, flatten};
use crate::activity::record;
use crate::cases::{self, Held, Loaded, load_by_uuid, uuid_of};
use crate::model::*;
use crate::row::{json, ms, opt_time, parse, time};
use crate::{Casebook, Error, Result, Tx};

pub const MAX_ALERTS_PER_PAGE: u32 = 100;
/// Alert ids kept in one activity record; the alerts themselves are all in `case_alerts`.
const IDS_PER_ACTIVITY_RECORD: usize = 100;

/// An alert ready to be saved.
pub(crate) struct NewAlert {
    pub alert_id: String,
    pub index: Option<String>,
    pub summary: AlertSummary,
    pub document: String,
}

impl NewAlert {
    /// The alert's own workflow status, as the case list stores it (open when it has none).
    pub(crate) fn own_status(&self) -> WorkflowStatus {
        self.summary.workflow_status.as_deref().and_then(WorkflowStatus::parse_lenient).unwrap_or_default()
    }

    /// `kibana.alert.severity` as the stored number, when it is one Casebook knows.
    pub(crate) fn severity_db(&self) -> Option<i64> {
        self.summary.severity.as_deref().and_then(|v| v.parse::<Severity>().ok()).map(Severity::to_db)
    }
}

/// What the activity log needs of an alert that was attached.
pub(crate) struct Attached {
    pub alert_id: String,
    pub index: Option<String>,
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
}

/// Inserts alerts the case lacks (one row each, the same alert never twice), their workflow
/// status in line with the case when it syncs alerts. Appends the ones newly attached to
/// `attached`. [`finish_attach`] completes the change once every chunk is in.
pub(crate) fn insert_alerts(
    tx: &Tx<'_>,
    loaded: &Loaded,
    alerts: &[NewAlert],
    origin: AlertOrigin,
    attached: &mut Vec<Attached>,
) -> Result<()> {
    let status = loaded.case.settings.sync_alerts.then(|| WorkflowStatus::for_case(loaded.case.status));
    let mut insert = tx.prepare_cached(
        "INSERT INTO case_alerts (case_id, alert_id, alert_index, rule_id, rule_name, severity, risk_score, reason,
            host, user_name, original_time, workflow_status, source, remote_status_pending, attached_at, attached_by,
            document, alert_time)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (case_id, alert_id) DO NOTHING",
    )?;
    let actor = json(&tx.actor);
    let now = ms(tx.now);
    for a in alerts {
        let s = &a.summary;
        let own = a.own_status();
        let wanted = status.unwrap_or(own);
        let pending = origin == AlertOrigin::Elasticsearch && wanted != own;
        let severity = a.severity_db();
        let params: [&dyn ToSql; 18] = [
            &loaded.rowid,
            &a.alert_id,
            &a.index,
            &s.rule_id,
            &s.rule_name,
            &severity,
            &s.risk_score,
            &s.reason,
            &s.host,
            &s.user,
            &s.original_time.map(ms),
            &wanted.as_str(),
            &origin.as_str(),
            &pending,
            &now,
            &actor,
            &a.document,
            &s.timestamp.map(ms),
        ];
        if insert.execute(&params[..])? == 1 {
            attached.push(Attached {
                alert_id: a.alert_id.clone(),
                index: a.index.clone(),
                rule_id: s.rule_id.clone(),
                rule_name: s.rule_name.clone(),
            });
        }
    }
    Ok(())
}

/// A case's distinct hosts and users, and its alerts per rule.
///
/// Rules are told apart by id, labelled with the name of their newest alert (a renamed rule is
/// one group). An alert without a rule id (a CSV without that column) joins the rule of its name
/// when the case knows exactly one rule of that name, so a CSV and an NDJSON export of one
/// rule's alerts make one group; otherwise it is grouped by name.
fn compute_summary(conn: &Connection, case_rowid: i64) -> Result<(i64, i64, Vec<AlertRuleGroup>)> {
    let distinct = |col: &str| -> Result<i64> {
        Ok(conn
            .prepare_cached(&format!("SELECT count(DISTINCT {col}) FROM case_alerts WHERE case_id = ?1"))?
            .query_row([case_rowid], |r| r.get(0))?)
    };
    let (hosts, users) = (distinct("host")?, distinct("user_name")?);
    // `rule_name` beside max(alert_time) is SQLite's bare column: the newest alert's name.
    let mut rules = conn
        .prepare_cached(
            "WITH only_id AS (
                 SELECT rule_name, min(rule_id) AS rule_id FROM case_alerts
                 WHERE case_id = ?1 AND rule_id IS NOT NULL AND rule_name IS NOT NULL
                 GROUP BY rule_name HAVING count(DISTINCT rule_id) = 1)
             SELECT coalesce(a.rule_id, o.rule_id) AS rid, a.rule_name, count(*), max(a.alert_time)
             FROM case_alerts a LEFT JOIN only_id o ON a.rule_id IS NULL AND o.rule_name = a.rule_name
             WHERE a.case_id = ?1
             GROUP BY rid, CASE WHEN rid IS NULL THEN a.rule_name END",
        )?
        .query_map([case_rowid], |r| {
            Ok(AlertRuleGroup {
                rule_id: r.get(0)?,
                rule_name: r.get(1)?,
                alerts: r.get(2)?,
                newest: opt_time(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rules.sort_by(|a, b| (&a.rule_name, &a.rule_id).cmp(&(&b.rule_name, &b.rule_id)));
    Ok((hosts, users, rules))
}

/// Recomputes the case's stored alert figures (distinct hosts and users, rule groups); the
/// count is kept by `cases::touch`.
fn refresh_summary(tx: &Tx<'_>, case_rowid: i64) -> Result<()> {
    let (hosts, users, rules) = compute_summary(tx, case_rowid)?;
    tx.prepare_cached(
        "INSERT INTO case_alert_summary (case_id, hosts, users, rules) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id) DO UPDATE SET hosts = excluded.hosts, users = excluded.users, rules = excluded.rules",
    )?
    .execute((case_rowid, hosts, users, json(&rules)))?;
    Ok(())
}

/// The case's alert count and `updated_at`, and one activity record per rule (as Kibana groups
/// an "add to case" by rule).
pub(crate) fn finish_attach(tx: &Tx<'_>, loaded: &Loaded, attached: &[Attached]) -> Result<()> {
    if attached.is_empty() {
        return Ok(());
    }
    cases::touch(tx, loaded.rowid, Held::Alerts)?;
    refresh_summary(tx, loaded.rowid)?;
    let mut by_rule: BTreeMap<(Option<&str>, Option<&str>), Vec<&Attached>> = BTreeMap::new();
    for a in attached {
        by_rule.entry((a.rule_id.as_deref(), a.rule_name.as_deref())).or_default().push(a);
    }
    for ((rule_id, rule_name), group) in by_rule {
        let payload = alert_payload(&loaded.case, rule_id, rule_name, &group);
        record(tx, &loaded.case.id, &loaded.case.owner, ActionVerb::Create, ActionType::Comment, payload, None)?;
    }
    Ok(())
}

/// Kibana's alert attachment `{type: "alert", alertId, index, rule}`, with `total` for the
/// alerts beyond the ids kept here.
fn alert_payload(case: &Case, rule_id: Option<&str>, rule_name: Option<&str>, group: &[&Attached]) -> Value {
    let ids: Vec<&str> = group.iter().take(IDS_PER_ACTIVITY_RECORD).map(|a| a.alert_id.as_str()).collect();
    let mut indices: Vec<&str> = group.iter().filter_map(|a| a.index.as_deref()).collect();
    indices.sort_unstable();
    indices.dedup();
    json!({
        "comment": {
            "type": "alert", "alertId": ids, "index": indices,
            "rule": { "id": rule_id, "name": rule_name }, "owner": case.owner,
        },
        "total": group.len(),
    })
}

const ALERT_COLUMNS: &str = "a.alert_id, a.alert_index, a.rule_id, a.rule_name, a.severity, a.risk_score, a.reason, \
    a.host, a.user_name, a.original_time, a.workflow_status, a.source, a.remote_status_pending, a.attached_at, \
    a.attached_by, a.alert_time";

fn alert_from_row(r: &Row<'_>) -> rusqlite::Result<CaseAlert> {
    let status: String = r.get(10)?;
    let origin: String = r.get(11)?;
    Ok(CaseAlert {
        id: r.get(0)?,
        index: r.get(1)?,
        rule_id: r.get(2)?,
        rule_name: r.get(3)?,
        severity: r.get::<_, Option<i64>>(4)?.map(Severity::from_db),
        risk_score: r.get(5)?,
        reason: r.get(6)?,
        host: r.get(7)?,
        user: r.get(8)?,
        original_time: opt_time(r.get(9)?),
        workflow_status: WorkflowStatus::parse_lenient(&status).unwrap_or_default(),
        origin: if origin == "elasticsearch" { AlertOrigin::Elasticsearch } else { AlertOrigin::File },
        status_sync_pending: r.get(12)?,
        attached_at: time(r.get(13)?),
        attached_by: parse(&r.get::<_, String>(14)?)?,
        timestamp: opt_time(r.get(15)?),
    })
}

/// The alert's row is the one source of its workflow status (following the case and syncing
/// with Elasticsearch write it there); the stored document keeps the status it was attached
/// with. The detail shows the row's in the document's own fields, so they never disagree.
fn show_current_status(document: &mut Value, status: WorkflowStatus) {
    let current = Value::String(status.as_str().to_string());
    if !super::fields::replace_field(document, "kibana.alert.workflow_status", &current)
        && let Value::Object(map) = document
    {
        map.insert("kibana.alert.workflow_status".into(), current);
    }
    // Legacy `.siem-signals` documents spell "acknowledged" as "in-progress".
    let legacy = if status == WorkflowStatus::Acknowledged { "in-progress" } else { status.as_str() };
    super::fields::replace_field(document, "signal.status", &Value::String(legacy.to_string()));
}

/// `%word%` for LIKE, with the wildcards in the word itself taken literally.
fn like(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn case_rowid(conn: &Connection, case_id: &str) -> Result<Loaded> {
    load_by_uuid(conn, &uuid_of(case_id)?)
}

/// A removed alert's row id, index, rule id and rule name, for the activity record.
type Removed = (i64, Option<String>, Option<String>, Option<String>);

impl Casebook {
    /// One page of a case's alerts. The default order groups them by rule, newest first.
    pub fn list_alerts(&self, case_id: &str, q: &AlertListQuery) -> Result<AlertPage> {
        let page = q.page.unwrap_or(1);
        let per_page = q.per_page.unwrap_or(50);
        if page == 0 {
            return Err(Error::validation("page", "must be 1 or more"));
        }
        if per_page == 0 || per_page > MAX_ALERTS_PER_PAGE {
            return Err(Error::validation(
                "per_page",
                format!("must be between 1 and {MAX_ALERTS_PER_PAGE} (got {per_page})"),
            ));
        }
        let search =
            crate::validate::text("search", q.search.as_deref().unwrap_or(""), 0, crate::validate::MAX_SEARCH_LENGTH)?;
        self.read(|c| {
            let loaded = case_rowid(c, case_id)?;
            let mut filters = vec!["a.case_id = ?".to_string()];
            let mut params: Vec<Box<dyn ToSql>> = vec![Box::new(loaded.rowid)];
            match q.rule.as_deref() {
                Some("") => filters.push("a.rule_name IS NULL".into()),
                Some(rule) => {
                    filters.push("a.rule_name = ?".into());
                    params.push(Box::new(rule.to_string()));
                }
                None => {}
            }
            if let Some(s) = q.severity {
                filters.push("a.severity = ?".into());
                params.push(Box::new(s.to_db()));
            }
            if let Some(w) = q.workflow_status {
                filters.push("a.workflow_status = ?".into());
                params.push(Box::new(w.as_str()));
            }
            for word in search.split_whitespace() {
                filters.push(
                    "(a.rule_name LIKE ?1 ESCAPE '\\' OR a.reason LIKE ?1 ESCAPE '\\' OR a.host LIKE ?1 ESCAPE '\\'
                      OR a.user_name LIKE ?1 ESCAPE '\\' OR a.alert_id LIKE ?1 ESCAPE '\\')"
                        .replace("?1", "?"),
                );
                for _ in 0..5 {
                    params.push(Box::new(like(word)));
                }
            }
            let dir = match q.order.unwrap_or(SortOrder::Desc) {
                SortOrder::Asc => "ASC",
                SortOrder::Desc => "DESC",
            };
            let order = match q.sort.unwrap_or_default() {
                // Groups in name order (Z–A when descending is asked for explicitly), newest first inside.
                AlertSortField::Rule => {
                    let g = if q.order == Some(SortOrder::Desc) { "DESC" } else { "ASC" };
                    format!("a.rule_name {g}, a.rule_id {g}, a.alert_time DESC, a.id DESC")
                }
                AlertSortField::Time => format!("a.alert_time {dir}, a.id {dir}"),
                AlertSortField::Severity => format!("a.severity {dir}, a.risk_score {dir}, a.id {dir}"),
                AlertSortField::RiskScore => format!("a.risk_score {dir}, a.id {dir}"),
                AlertSortField::Host => format!("a.host {dir}, a.id {dir}"),
                AlertSortField::User => format!("a.user_name {dir}, a.id {dir}"),
            };
            let filter_sql = filters.join(" AND ");
            let refs: Vec<&dyn ToSql> = params.iter().map(|p| p.as_ref()).collect();
            let total: i64 = if filters.len() == 1 {
                loaded.case.total_alerts
            } else {
                c.prepare(&format!("SELECT count(*) FROM case_alerts a WHERE {filter_sql}"))?
                    .query_row(&refs[..], |r| r.get(0))?
            };
            let offset = i64::from(page - 1) * i64::from(per_page);
            // The page's ids first, from the sort's index alone (deep pages skip index entries,
            // not 1 KB rows), then only those rows.
            let sql = format!(
                "SELECT {ALERT_COLUMNS} FROM case_alerts a
                 WHERE a.id IN (SELECT a.id FROM case_alerts a WHERE {filter_sql} ORDER BY {order} LIMIT {per_page} OFFSET {offset})
                 ORDER BY {order}"
            );
            let alerts =
                c.prepare_cached(&sql)?.query_map(&refs[..], alert_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(AlertPage { alerts, total, page, per_page })
        })
    }

    /// The figures the case header and the Alerts tab's rule groups show.
    pub fn alert_overview(&self, case_id: &str) -> Result<AlertOverview> {
        self.read(|c| {
            let loaded = case_rowid(c, case_id)?;
            let stored: Option<(i64, i64, String)> = c
                .prepare_cached("SELECT hosts, users, rules FROM case_alert_summary WHERE case_id = ?1")?
                .query_row([loaded.rowid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let (hosts, users, rules) = match stored {
                Some((h, u, rules)) => (h, u, serde_json::from_str(&rules)?),
                None if loaded.case.total_alerts == 0 => (0, 0, Vec::new()),
                // Cleared by a migration: worked out here until the next attach stores it.
                None => compute_summary(c, loaded.rowid)?,
            };
            let status_sync_pending: i64 = c
                .prepare_cached("SELECT count(*) FROM case_alerts WHERE case_id = ?1 AND remote_status_pending = 1")?
                .query_row([loaded.rowid], |r| r.get(0))?;
            Ok(AlertOverview { total: loaded.case.total_alerts, hosts, users, rules, status_sync_pending })
        })
    }

    /// One attached alert with every field of its original document.
    pub fn get_alert(&self, case_id: &str, alert_id: &str) -> Result<AlertDetail> {
        self.read(|c| {
            let loaded = case_rowid(c, case_id)?;
            let (alert, document): (CaseAlert, String) = c
                .prepare_cached(&format!(
                    "SELECT {ALERT_COLUMNS}, a.document FROM case_alerts a WHERE a.case_id = ?1 AND a.alert_id = ?2"
                ))?
                .query_row((loaded.rowid, alert_id.trim()), |r| Ok((alert_from_row(r)?, r.get(16)?)))
                .optional()?
                .ok_or_else(|| Error::not_found("alert", format!("{alert_id} in case {}", loaded.case.id)))?;
            let mut document: Value = serde_json::from_str(&document)?;
            show_current_status(&mut document, alert.workflow_status);
            let fields = flatten(&document).into_iter().map(|(field, values)| AlertField { field, values }).collect();
            Ok(AlertDetail { alert, fields, document })
        })
    }

    /// Removes alerts from a case (the activity log records it). Unknown ids fail the whole
    /// call and remove nothing.
    pub fn remove_alerts(&self, case_id: &str, alert_ids: &[String]) -> Result<u64> {
        if alert_ids.is_empty() {
            return Err(Error::validation("alert_ids", "name at least one alert"));
        }
        let uuid = uuid_of(case_id)?;
        self.write(|tx| {
            let loaded = load_by_uuid(tx, &uuid)?;
            let mut get = tx.prepare_cached(
                "SELECT id, alert_index, rule_id, rule_name, document FROM case_alerts WHERE case_id = ?1 AND alert_id = ?2",
            )?;
            let mut gone = Vec::with_capacity(alert_ids.len());
            // The values the removed alerts carried no longer count towards their rank.
            let mut carried: BTreeMap<(&'static str, String), i64> = BTreeMap::new();
            for id in alert_ids {
                let row: Option<(Removed, String)> = get
                    .query_row((loaded.rowid, id.trim()), |r| {
                        Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get(4)?))
                    })
                    .optional()?;
                let (row, document) = row.ok_or_else(|| Error::not_found("alert", format!("{id} in case {uuid}")))?;
                for pair in crate::observables::extract::extract(&flatten(&serde_json::from_str(&document)?)) {
                    *carried.entry(pair).or_default() += 1;
                }
                gone.push((id.trim().to_string(), row));
            }
            crate::observables::forget_alerts(tx, loaded.rowid, &carried)?;
            let mut del = tx.prepare_cached("DELETE FROM case_alerts WHERE id = ?1")?;
            for (_, (rowid, ..)) in &gone {
                del.execute([rowid])?;
            }
            cases::touch(tx, loaded.rowid, Held::Alerts)?;
            refresh_summary(tx, loaded.rowid)?;
            for (id, (_, index, rule_id, rule_name)) in &gone {
                let payload = json!({
                    "comment": {
                        "type": "alert", "alertId": [id], "index": index.iter().collect::<Vec<_>>(),
                        "rule": { "id": rule_id, "name": rule_name }, "owner": loaded.case.owner,
                    },
                    "total": 1,
                });
                record(tx, &uuid, &loaded.case.owner, ActionVerb::Delete, ActionType::Comment, payload, None)?;
            }
            Ok(gone.len() as u64)
        })
    }
}

/// Sets the workflow status of a case's alerts to follow its status (Kibana's sync alerts);
/// alerts from Elasticsearch are marked to be updated there too.
pub(crate) fn follow_case_status(tx: &Tx<'_>, case_rowid: i64, status: Status) -> Result<()> {
    tx.prepare_cached(
        "UPDATE case_alerts SET workflow_status = ?2,
            remote_status_pending = CASE WHEN source = 'elasticsearch' THEN 1 ELSE remote_status_pending END
         WHERE case_id = ?1 AND workflow_status != ?2",
    )?
    .execute((case_rowid, WorkflowStatus::for_case(status).as_str()))?;
    Ok(())
}
