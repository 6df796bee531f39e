//! The open backlog's age, its oldest cases, and the top lists of the cases created in the range.

use rusqlite::{Connection, params_from_iter};

use super::{CaseFilter, OLDEST_OPEN, TOP_ITEMS, sql_values};
use crate::Result;
use crate::model::*;
use crate::row::time;

const DAY: i64 = 86_400;

/// The age histogram's buckets: label, lower bound, upper bound (seconds).
const AGES: &[(&str, i64, Option<i64>)] = &[
    ("< 1 day", 0, Some(DAY)),
    ("1–3 days", DAY, Some(3 * DAY)),
    ("3–7 days", 3 * DAY, Some(7 * DAY)),
    ("1–2 weeks", 7 * DAY, Some(14 * DAY)),
    ("2–4 weeks", 14 * DAY, Some(30 * DAY)),
    ("1–3 months", 30 * DAY, Some(90 * DAY)),
    ("> 3 months", 90 * DAY, None),
];

/// Open and in-progress cases by age now: one count per bucket, each a range of creation times
/// read from the open cases' index (a few ms for 100 000 open cases).
pub(crate) fn age(c: &Connection, f: &CaseFilter, now_ms: i64) -> Result<Vec<AgeBucket>> {
    let sql = format!(
        "SELECT count(*) FROM analytics_cases c
         WHERE {} AND c.status IN (0, 1) AND c.created_at <= ? AND c.created_at > ?",
        f.condition()
    );
    let mut stmt = c.prepare(&sql)?;
    AGES.iter()
        .map(|&(label, min_seconds, max_seconds)| {
            let mut params = f.params();
            // Age in [min, max) is creation in (now − max, now − min]; the first bucket also
            // holds cases stamped a little in the future (another machine's clock).
            let newest = if min_seconds == 0 { i64::MAX } else { now_ms - min_seconds * 1000 };
            let oldest = max_seconds.map_or(i64::MIN, |m| now_ms - m * 1000);
            params.extend(sql_values([newest, oldest]));
            let cases = stmt.query_row(params_from_iter(params.iter()), |r| r.get(0))?;
            Ok(AgeBucket { label: label.into(), min_seconds, max_seconds, cases })
        })
        .collect()
}

/// The oldest cases not closed, oldest first.
pub(crate) fn oldest_open(c: &Connection, f: &CaseFilter, now_ms: i64) -> Result<Vec<OldCase>> {
    let sql = format!(
        "SELECT k.uuid, s.name, (SELECT number FROM case_numbers WHERE case_id = c.id), k.title, c.severity, c.status, c.created_at
         FROM analytics_cases c JOIN cases k ON k.id = c.id JOIN spaces s ON s.id = c.space_id
         WHERE {} AND c.status IN (0, 1) ORDER BY c.created_at, c.id LIMIT {OLDEST_OPEN}",
        f.condition()
    );
    let rows = c
        .prepare(&sql)?
        .query_map(params_from_iter(f.params().iter()), |r| {
            let created: i64 = r.get(6)?;
            Ok(OldCase {
                id: r.get(0)?,
                space: r.get(1)?,
                incremental_id: r.get(2)?,
                title: r.get(3)?,
                severity: Severity::from_db(r.get(4)?),
                status: Status::from_db(r.get(5)?),
                created_at: time(created),
                age_seconds: ((now_ms - created) / 1000).max(0),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The top values of the cases created in `[lo, hi]`: `value_sql` over the rows `from_sql`
/// adds to `cases c`, counted once per case.
fn top(c: &Connection, f: &CaseFilter, lo: i64, hi: i64, value_sql: &str, from_sql: &str) -> Result<Vec<TopItem>> {
    let sql = format!(
        "SELECT v, count(DISTINCT id) AS n FROM (
            SELECT {value_sql} AS v, c.id AS id FROM analytics_cases c {from_sql}
            WHERE {} AND c.created_at BETWEEN ? AND ?)
         WHERE v IS NOT NULL AND v <> '' GROUP BY v ORDER BY n DESC, v LIMIT {TOP_ITEMS}",
        f.condition()
    );
    let mut params = f.params();
    params.extend(sql_values([lo, hi]));
    let rows = c
        .prepare(&sql)?
        .query_map(params_from_iter(params.iter()), |r| Ok(TopItem { value: r.get(0)?, cases: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn lists(c: &Connection, f: &CaseFilter, lo: i64, hi: i64) -> Result<TopLists> {
    Ok(TopLists {
        tags: top(c, f, lo, hi, "t.tag", "JOIN case_tags t ON t.case_id = c.id")?,
        categories: top(c, f, lo, hi, "c.category", "")?,
        rules: top(
            c,
            f,
            lo,
            hi,
            "json_extract(r.value, '$.rule_name')",
            "JOIN case_alert_summary s ON s.case_id = c.id, json_each(s.rules) r",
        )?,
        hosts: top(c, f, lo, hi, "a.host", "JOIN case_alerts a ON a.case_id = c.id")?,
        users: top(c, f, lo, hi, "a.user_name", "JOIN case_alerts a ON a.case_id = c.id")?,
    })
}
