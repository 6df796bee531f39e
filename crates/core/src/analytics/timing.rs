//! Kibana's timing metrics over the cases closed in the range (acknowledge, investigate,
//! resolve) and the cases in progress acknowledged in it (acknowledge only).

use std::collections::BTreeMap;

use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};

use super::{CaseFilter, percentile, sql_values};
use crate::Result;
use crate::model::*;

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

/// One matched case: its keys and timing values.
struct Matched {
    severity: i64,
    category: String,
    connector: String,
    resolved: bool,
    acknowledge: Option<i64>,
    investigate: Option<i64>,
    resolve: Option<i64>,
    tags: Vec<String>,
    assignees: Vec<String>,
}

/// A case's tags or assignees, read with the case (one primary-key range each) rather than by a
/// second pass over the matched cases; joined by the unit separator, which no value holds.
const SEP: char = '\u{1f}';

fn split(v: Option<String>) -> Vec<String> {
    v.map(|s| s.split(SEP).map(str::to_string).collect()).unwrap_or_default()
}

/// Every timing figure of the page from one read of the matched cases (closed in the range,
/// or in progress and acknowledged in it) and of their tags and assignees: the overall figures,
/// each breakdown, and the cases closed per assignee.
pub(crate) struct Timing {
    pub overall: TimingStats,
    pub breakdowns: Vec<BreakdownTable>,
    pub throughput: Vec<Throughput>,
}

pub(crate) fn compute(c: &Connection, f: &CaseFilter, wanted: &[Breakdown], lo: i64, hi: i64) -> Result<Timing> {
    // Two index-friendly halves: closed in the range, in progress and
    // acknowledged in the range (the partial indexes of analytics_cases).
    let tags = if wanted.contains(&Breakdown::Tag) {
        "(SELECT group_concat(tag, char(31)) FROM case_tags WHERE case_id = c.id)"
    } else {
        "NULL"
    };
    let people = if wanted.contains(&Breakdown::Assignee) {
        "(SELECT group_concat(uid, char(31)) FROM case_assignees WHERE case_id = c.id)"
    } else {
        "NULL"
    };
    let matched = format!(
        "SELECT c.severity, coalesce(c.category, ''), coalesce(c.connector, ''), 1,
                c.time_to_acknowledge, c.time_to_investigate, c.time_to_resolve, {tags}, {people}
         FROM analytics_cases c WHERE {cond} AND c.status = 2 AND c.closed_at BETWEEN ? AND ?
         UNION ALL
         SELECT c.severity, coalesce(c.category, ''), coalesce(c.connector, ''), 0,
                c.time_to_acknowledge, NULL, NULL, {tags}, {people}
         FROM analytics_cases c WHERE {cond} AND c.status = 1 AND c.in_progress_at BETWEEN ? AND ?",
        cond = f.condition()
    );
    let mut params: Vec<SqlValue> = f.params();
    params.extend(sql_values([lo, hi]));
    params.extend(f.params());
    params.extend(sql_values([lo, hi]));
    let mut cases = Vec::new();
    {
        let mut stmt = c.prepare(&matched)?;
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            cases.push(Matched {
                severity: r.get(0)?,
                category: r.get(1)?,
                connector: r.get(2)?,
                resolved: r.get(3)?,
                acknowledge: r.get(4)?,
                investigate: r.get(5)?,
                resolve: r.get(6)?,
                tags: split(r.get(7)?),
                assignees: split(r.get(8)?),
            });
        }
    }
    let none = vec![String::new()];
    let add = |v: &mut Values, m: &Matched| {
        if let Some(a) = m.acknowledge {
            v.acknowledge.push(a);
        }
        if m.resolved {
            v.investigate.extend(m.investigate);
            v.resolve.extend(m.resolve);
        }
    };
    let mut overall = Values::default();
    let mut groups: Vec<BTreeMap<String, Values>> = wanted.iter().map(|_| BTreeMap::new()).collect();
    for m in &cases {
        add(&mut overall, m);
        let people = if m.assignees.is_empty() { &none } else { &m.assignees };
        for (by, g) in wanted.iter().zip(groups.iter_mut()) {
            let keys: &[String] = match by {
                Breakdown::Severity => &[Severity::from_db(m.severity).as_str().to_string()],
                Breakdown::Category => std::slice::from_ref(&m.category),
                Breakdown::Connector => std::slice::from_ref(&m.connector),
                Breakdown::Tag if m.tags.is_empty() => &none,
                Breakdown::Tag => &m.tags,
                Breakdown::Assignee => people,
            };
            for k in keys {
                add(g.entry(k.clone()).or_default(), m);
            }
        }
    }
    let breakdowns = wanted
        .iter()
        .zip(groups)
        .map(|(&by, g)| {
            let mut rows: Vec<BreakdownRow> =
                g.into_iter().map(|(key, v)| BreakdownRow { key, timing: v.into_stats() }).collect();
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
            BreakdownTable { by, rows }
        })
        .collect();
    Ok(Timing { overall: overall.into_stats(), breakdowns, throughput: throughput(c, f, lo, hi)? })
}

/// Cases closed in the range per assignee (`""`: unassigned), most first.
fn throughput(c: &Connection, f: &CaseFilter, lo: i64, hi: i64) -> Result<Vec<Throughput>> {
    let sql = format!(
        "SELECT coalesce(a.uid, ''), count(*) AS n FROM analytics_cases c LEFT JOIN case_assignees a ON a.case_id = c.id
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
