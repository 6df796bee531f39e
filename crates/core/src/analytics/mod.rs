//! The Analytics page's figures, computed from the activity log (trends, the backlog as it
//! stood each day) and the cases' stored timing metrics (Kibana's time to acknowledge,
//! investigate and resolve). Daily roll-ups of the log (migration 12, kept by triggers) answer
//! the trends when no case filter is set; with one, the same events are read for the matching
//! cases only.

mod buckets;
mod chart_file;
pub(crate) mod events;
pub mod export;
mod filter;
pub(crate) mod sla;
mod timing;
mod top;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};

use crate::model::*;
use crate::row::{ms, time};
use crate::{Casebook, Error, Result};

pub use export::{ExportFormat, ExportKind, ExportProgress, columns};
pub(crate) use filter::CaseFilter;

/// A trend may have at most this many buckets (over 5 years of days).
pub const MAX_TREND_BUCKETS: i64 = 2000;

/// Oldest open cases listed.
pub const OLDEST_OPEN: usize = 10;

/// Entries per top list.
pub const TOP_ITEMS: usize = 10;

const DAY_MS: i64 = 86_400_000;

/// One UTC day's figures, from the roll-ups or the events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Day {
    pub day: i64,
    pub opened: i64,
    pub closed: i64,
    pub reopened: i64,
    pub alerts: i64,
    pub d_open: i64,
    pub d_in_progress: i64,
    pub d_closed: i64,
}

/// What a rebuild of the roll-ups found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RebuildReport {
    pub days: i64,
    pub cases: i64,
}

impl Casebook {
    /// The Analytics page's figures for `q`.
    pub fn metrics(&self, q: &MetricsQuery) -> Result<Metrics> {
        let now = self.now();
        self.read(|c| metrics(c, q, now))
    }

    /// Throws the roll-ups away and computes them again from the activity log.
    pub fn rebuild_analytics(&self) -> Result<RebuildReport> {
        self.write(|tx| {
            events::fill(tx)?;
            let (days, cases) = tx.query_row(
                "SELECT (SELECT count(*) FROM analytics_daily), (SELECT count(*) FROM analytics_case_state)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(RebuildReport { days, cases })
        })
    }
}

fn metrics(c: &Connection, q: &MetricsQuery, now: DateTime<Utc>) -> Result<Metrics> {
    let filter = CaseFilter::compile(c, q)?;
    let to = q.to.unwrap_or(now);
    let days = daily(c, &filter, to.timestamp_millis().div_euclid(DAY_MS))?;
    let from = match q.from {
        Some(f) => f,
        // The log's first day, or the last 30 days of an empty log.
        None => days.first().map_or(to - Duration::days(30), |d| time(d.day * DAY_MS)),
    };
    if from > to {
        return Err(Error::validation("from", "must not be after `to`"));
    }
    let trend = buckets::trend(&days, from, to, q.interval)?;
    let (lo, hi) = (ms(from), ms(to));
    let wanted: Vec<Breakdown> = if q.by.is_empty() { Breakdown::ALL.to_vec() } else { q.by.clone() };
    let timing = timing::compute(c, &filter, &wanted, lo, hi)?;
    Ok(Metrics {
        from,
        to,
        interval: q.interval,
        trend,
        timing: timing.overall,
        breakdowns: timing.breakdowns,
        throughput: timing.throughput,
        age: top::age(c, &filter, ms(now))?,
        oldest_open: top::oldest_open(c, &filter, ms(now))?,
        top: top::lists(c, &filter, lo, hi)?,
        sla: sla::report(c, &filter, filter.space_id(), lo, hi, ms(now))?,
    })
}

/// Every day's figures up to `last_day`, oldest first: the roll-ups when no case filter is
/// set, else the events of the matching cases.
fn daily(c: &Connection, f: &CaseFilter, last_day: i64) -> Result<Vec<Day>> {
    let (sql, mut params) = if f.is_space_only() {
        (
            format!(
                "SELECT day, sum(opened), sum(closed), sum(reopened), sum(alerts), sum(d_open), sum(d_in_progress), sum(d_closed)
                 FROM analytics_daily d WHERE {} AND day <= ? GROUP BY day ORDER BY day",
                f.space_condition("d.space_id")
            ),
            f.space_params(),
        )
    } else {
        // The matching cases' records, counted as the roll-ups count them (deleted cases match
        // no filter: they have no current values). The cases drive the join, so only their
        // records are read (user_actions_by_case).
        let source = format!(
            "(SELECT ua.* FROM cases c CROSS JOIN user_actions ua ON ua.case_uuid = c.uuid WHERE {})",
            f.condition()
        );
        let mut params = f.params();
        params.extend(f.params());
        (
            format!(
                "SELECT day, opened, closed, reopened, alerts, d_open, d_in_progress, d_closed
                 FROM ({}) WHERE day <= ? ORDER BY day",
                events::daily(&source, "day")
            ),
            params,
        )
    };
    params.push(last_day.into());
    let rows = c
        .prepare(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(Day {
                day: r.get(0)?,
                opened: r.get(1)?,
                closed: r.get(2)?,
                reopened: r.get(3)?,
                alerts: r.get(4)?,
                d_open: r.get(5)?,
                d_in_progress: r.get(6)?,
                d_closed: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Nearest-rank percentile `p` (0–100) of sorted values.
pub(crate) fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    Some(sorted[rank - 1])
}

fn sql_values(v: impl IntoIterator<Item = impl Into<SqlValue>>) -> Vec<SqlValue> {
    v.into_iter().map(Into::into).collect()
}
