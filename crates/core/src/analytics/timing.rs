//! Kibana's timing metrics over the cases closed in the range (acknowledge, investigate,
//! resolve) and the cases in progress acknowledged in it (acknowledge only).

use std::collections::BTreeMap;

use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};

use super::{CaseFilter, percentile, sql_values};
use crate::Result;
use crate::model::*;

/// The value each matched case is grouped by, and the join that gives it.
fn key_of(by: Option<Breakdown>) -> (&'static str, &'static str) {
    match by {
        None => ("''", ""),
        Some(Breakdown::Severity) => ("CAST(c.severity AS TEXT)", ""),
        Some(Breakdown::Category) => ("coalesce(c.category, '')", ""),
        Some(Breakdown::Connector) => ("coalesce(json_extract(c.connector, '$.type'), '')", ""),
        Some(Breakdown::Tag) => ("coalesce(t.tag, '')", "LEFT JOIN case_tags t ON t.case_id = c.id"),
        Some(Breakdown::Assignee) => ("coalesce(a.uid, '')", "LEFT JOIN case_assignees a ON a.case_id = c.id"),
    }
}

#[derive(Default)]
struct Values {
    acknowledge: Vec<i64>,
    investigate: Vec<i64>,
    resolve: Vec<i64>,
}

fn stats(mut v: Vec<i64>) -> DurationStats {
    v.sort_unstable();
    DurationStats { cases: v.len() as i64, median: percentile(&v, 50), p90: percentile(&v, 90) }
}

impl Values {
    fn into_stats(self) -> TimingStats {
        TimingStats {
            acknowledge: stats(self.acknowledge),
            investigate: stats(self.investigate),
            resolve: stats(self.resolve),
        }
    }
}

/// The matched cases' timing values per key.
fn grouped(
    c: &Connection,
    f: &CaseFilter,
    by: Option<Breakdown>,
    lo: i64,
    hi: i64,
) -> Result<BTreeMap<String, Values>> {
    let (key, join) = key_of(by);
    // Two index-friendly halves: closed in the range (cases_by_closed), in progress (cases_by_status).
    let sql = format!(
        "SELECT {key}, c.status = 2, c.time_to_acknowledge, c.time_to_investigate, c.time_to_resolve
         FROM cases c {join}
         WHERE {cond} AND c.status = 2 AND c.closed_at BETWEEN ? AND ?
         UNION ALL
         SELECT {key}, 0, c.time_to_acknowledge, NULL, NULL
         FROM cases c {join}
         WHERE {cond} AND c.status = 1 AND c.in_progress_at BETWEEN ? AND ?",
        cond = f.condition()
    );
    let mut params: Vec<SqlValue> = f.params();
    params.extend(sql_values([lo, hi]));
    params.extend(f.params());
    params.extend(sql_values([lo, hi]));
    let mut out: BTreeMap<String, Values> = BTreeMap::new();
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let k: String = r.get(0)?;
        let resolved: bool = r.get(1)?;
        let v = out.entry(k).or_default();
        if let Some(a) = r.get::<_, Option<i64>>(2)? {
            v.acknowledge.push(a);
        }
        if resolved {
            if let Some(i) = r.get::<_, Option<i64>>(3)? {
                v.investigate.push(i);
            }
            if let Some(s) = r.get::<_, Option<i64>>(4)? {
                v.resolve.push(s);
            }
        }
    }
    Ok(out)
}

pub(crate) fn overall(c: &Connection, f: &CaseFilter, lo: i64, hi: i64) -> Result<TimingStats> {
    Ok(grouped(c, f, None, lo, hi)?.remove("").map(Values::into_stats).unwrap_or_default())
}

/// One row per value, most cases resolved first (then by name); severities in rising order.
pub(crate) fn breakdown(c: &Connection, f: &CaseFilter, by: Breakdown, lo: i64, hi: i64) -> Result<Vec<BreakdownRow>> {
    let mut rows: Vec<BreakdownRow> = grouped(c, f, Some(by), lo, hi)?
        .into_iter()
        .map(|(key, v)| {
            let key = match by {
                Breakdown::Severity => key.parse().map(Severity::from_db).unwrap_or_default().as_str().to_string(),
                _ => key,
            };
            BreakdownRow { key, timing: v.into_stats() }
        })
        .collect();
    if by == Breakdown::Severity {
        rows.sort_by_key(|r| r.key.parse::<Severity>().map(Severity::to_db).unwrap_or(0));
    } else {
        rows.sort_by(|a, b| {
            (b.timing.resolve.cases, b.timing.acknowledge.cases, &a.key).cmp(&(
                a.timing.resolve.cases,
                a.timing.acknowledge.cases,
                &b.key,
            ))
        });
    }
    Ok(rows)
}

/// Cases closed in the range per assignee (`""`: unassigned), most first.
pub(crate) fn throughput(c: &Connection, f: &CaseFilter, lo: i64, hi: i64) -> Result<Vec<Throughput>> {
    let sql = format!(
        "SELECT coalesce(a.uid, ''), count(*) AS n FROM cases c LEFT JOIN case_assignees a ON a.case_id = c.id
         WHERE {} AND c.status = 2 AND c.closed_at BETWEEN ? AND ?
         GROUP BY 1 ORDER BY n DESC, 1",
        f.condition()
    );
    let mut params = f.params();
    params.extend(sql_values([lo, hi]));
    let rows = c
        .prepare(&sql)?
        .query_map(params_from_iter(params.iter()), |r| Ok(Throughput { assignee: r.get(0)?, closed: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
