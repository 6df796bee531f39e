//! Service-level targets (per space and severity, in the space's settings): which cases breach
//! or are about to breach them, as one SQL condition shared by the Analytics page and the cases
//! list's filter, and the weekly share of cases resolved within target.

use std::collections::BTreeMap;

use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};

use super::buckets::bucket_start;
use super::{CaseFilter, DAY_MS};
use crate::Result;
use crate::model::*;
use crate::row::time;

/// A case is "at risk" once this share (per mille) of a target's time has gone.
const AT_RISK_PER_MILLE: i64 = 800;

/// Cases listed per kind on the page.
const LISTED: usize = 20;

/// The targets of the spaces asked about: (space row id, target).
pub(crate) struct Targets(Vec<(i64, SlaTarget)>);

impl Targets {
    /// The targets of `space` (a row id), or of every space.
    pub(crate) fn load(c: &Connection, space: Option<i64>) -> Result<Targets> {
        let mut stmt = c.prepare_cached(
            "SELECT space_id, sla FROM case_configure WHERE sla <> '[]' AND (?1 IS NULL OR space_id = ?1)",
        )?;
        let rows = stmt.query_map([space], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (sid, json) = row?;
            for t in serde_json::from_str::<Vec<SlaTarget>>(&json)? {
                out.push((sid, t));
            }
        }
        Ok(Targets(out))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// When the case's nearest target falls due (epoch ms), as SQL over `cases c`; NULL when
    /// no target applies (closed, or no target for its space and severity). With
    /// `acknowledge_only`, only the acknowledgement target counts.
    fn due(&self, acknowledge_only: bool) -> (String, Vec<SqlValue>) {
        // i64::MAX stands for "no such target", as min() of SQLite has no NULL-skipping form.
        const NEVER: i64 = i64::MAX;
        let mut sql = String::from("CASE");
        let mut p: Vec<SqlValue> = Vec::new();
        for (sid, t) in &self.0 {
            let ack = t.acknowledge_seconds.map_or(NEVER, |s| s * 1000);
            let res = if acknowledge_only { NEVER } else { t.resolve_seconds.map_or(NEVER, |s| s * 1000) };
            // Unacknowledged: open and never in progress. Unresolved: not closed.
            sql.push_str(&format!(
                " WHEN c.space_id = ? AND c.severity = ? AND c.status IN (0, 1) THEN nullif(min(\
                   CASE WHEN c.status = 0 AND c.in_progress_at IS NULL AND ? < {NEVER} THEN c.created_at + ? ELSE {NEVER} END, \
                   CASE WHEN ? < {NEVER} THEN c.created_at + ? ELSE {NEVER} END), {NEVER})"
            ));
            p.extend([SqlValue::from(*sid), t.severity.to_db().into(), ack.into(), ack.into(), res.into(), res.into()]);
        }
        sql.push_str(" END");
        (sql, p)
    }

    /// `which` as a condition over `cases c` at `now_ms`. At risk: not yet due, and at least
    /// AT_RISK_PER_MILLE of the time from creation to the due time gone.
    fn condition_of(&self, which: SlaFilter, now_ms: i64) -> (String, Vec<SqlValue>) {
        if self.0.is_empty() {
            return ("0".into(), vec![]);
        }
        let (due, dp) = self.due(false);
        let mut p = dp.clone();
        let sql = match which {
            SlaFilter::Breaching => {
                p.push(now_ms.into());
                format!("({due}) < ?")
            }
            SlaFilter::AtRisk => {
                p.extend([SqlValue::from(now_ms), now_ms.into()]);
                p.extend(dp);
                format!("({due}) >= ? AND (? - c.created_at) * 1000 >= (({due}) - c.created_at) * {AT_RISK_PER_MILLE}")
            }
        };
        (sql, p)
    }
}

/// The condition of `which` over `cases c` for the targets of space `sid` at `now_ms` (the
/// cases list's filter); with no targets, no case matches.
pub(crate) fn condition(c: &Connection, sid: i64, which: SlaFilter, now_ms: i64) -> Result<(String, Vec<SqlValue>)> {
    Ok(Targets::load(c, Some(sid))?.condition_of(which, now_ms))
}

fn listed(c: &Connection, f: &CaseFilter, t: &Targets, which: SlaFilter, now_ms: i64) -> Result<(i64, Vec<SlaCase>)> {
    let (cond, cp) = t.condition_of(which, now_ms);
    let (due, dp) = t.due(false);
    let (ack_due, ap) = t.due(true);
    let mut params = f.params();
    params.extend(cp.iter().cloned());
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM analytics_cases c WHERE {} AND {cond}", f.condition()),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let mut params: Vec<SqlValue> = dp;
    params.extend(ap);
    params.extend(f.params());
    params.extend(cp);
    let sql = format!(
        "SELECT k.uuid, s.name, (SELECT number FROM case_numbers WHERE case_id = c.id), k.title, c.severity, c.status,
                ({due}) AS due, ({ack_due}) AS ack_due
         FROM analytics_cases c JOIN cases k ON k.id = c.id JOIN spaces s ON s.id = c.space_id
         WHERE {} AND {cond} ORDER BY due, c.id LIMIT {LISTED}",
        f.condition()
    );
    let cases = c
        .prepare(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let due: i64 = r.get(6)?;
            let ack_due: Option<i64> = r.get(7)?;
            Ok(SlaCase {
                id: r.get(0)?,
                space: r.get(1)?,
                incremental_id: r.get(2)?,
                title: r.get(3)?,
                severity: Severity::from_db(r.get(4)?),
                status: Status::from_db(r.get(5)?),
                target: if ack_due == Some(due) { "acknowledge" } else { "resolve" }.into(),
                due_at: time(due),
                overdue_seconds: (now_ms - due) / 1000,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((total, cases))
}

/// Cases closed per week in `[lo, hi]` that had a resolve target, and those within it.
fn weekly(c: &Connection, f: &CaseFilter, t: &Targets, lo: i64, hi: i64) -> Result<Vec<SlaWeek>> {
    let mut target_sql = String::from("CASE");
    let mut params: Vec<SqlValue> = Vec::new();
    for (sid, x) in &t.0 {
        if let Some(res) = x.resolve_seconds {
            target_sql.push_str(" WHEN c.space_id = ? AND c.severity = ? THEN ?");
            params.extend([SqlValue::from(*sid), x.severity.to_db().into(), res.into()]);
        }
    }
    if params.is_empty() {
        return Ok(vec![]);
    }
    target_sql.push_str(" END");
    params.extend(f.params());
    params.extend([SqlValue::from(lo), hi.into()]);
    let sql = format!(
        "SELECT closed_at, time_to_resolve <= target FROM (
            SELECT c.closed_at, c.time_to_resolve, ({target_sql}) AS target FROM analytics_cases c
            WHERE {} AND c.status = 2 AND c.closed_at BETWEEN ? AND ?)
         WHERE target IS NOT NULL",
        f.condition()
    );
    let mut weeks: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let closed: i64 = r.get(0)?;
        let within: bool = r.get::<_, Option<bool>>(1)?.unwrap_or(false);
        let w = weeks.entry(bucket_start(closed.div_euclid(DAY_MS), Interval::Week)).or_default();
        w.0 += 1;
        w.1 += i64::from(within);
    }
    Ok(weeks
        .into_iter()
        .map(|(day, (closed, within_target))| SlaWeek { start: time(day * DAY_MS), closed, within_target })
        .collect())
}

/// The SLA part of the page's figures.
pub(crate) fn report(
    c: &Connection,
    f: &CaseFilter,
    space: Option<i64>,
    lo: i64,
    hi: i64,
    now_ms: i64,
) -> Result<SlaReport> {
    let t = Targets::load(c, space)?;
    if t.is_empty() {
        return Ok(SlaReport::default());
    }
    let (breaching_total, breaching) = listed(c, f, &t, SlaFilter::Breaching, now_ms)?;
    let (at_risk_total, at_risk) = listed(c, f, &t, SlaFilter::AtRisk, now_ms)?;
    Ok(SlaReport {
        has_targets: true,
        breaching_total,
        at_risk_total,
        breaching,
        at_risk,
        weekly: weekly(c, f, &t, lo, hi)?,
    })
}
