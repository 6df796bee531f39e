//! Days into trend buckets (day, week from Monday, calendar month; UTC).

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{DAY_MS, Day, MAX_TREND_BUCKETS};
use crate::model::{Interval, TrendBucket};
use crate::row::time;
use crate::{Error, Result};

/// 1970-01-01 counted from 0001-01-01 (chrono's day numbers).
const UNIX_EPOCH_CE: i64 = 719_163;

fn date(day: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((day + UNIX_EPOCH_CE) as i32).unwrap_or_default()
}

fn day_of(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - UNIX_EPOCH_CE
}

/// The first day of the bucket holding `day`.
pub(crate) fn bucket_start(day: i64, interval: Interval) -> i64 {
    match interval {
        Interval::Day => day,
        // Day 0 was a Thursday: Monday is 3 days before it.
        Interval::Week => day - (day + 3).rem_euclid(7),
        Interval::Month => {
            let d = date(day);
            day_of(d.with_day(1).unwrap_or(d))
        }
    }
}

/// The first day of the bucket after the one starting at `start`.
fn next_start(start: i64, interval: Interval) -> i64 {
    match interval {
        Interval::Day => start + 1,
        Interval::Week => start + 7,
        Interval::Month => {
            let d = date(start);
            let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
            NaiveDate::from_ymd_opt(y, m, 1).map_or(start + 31, day_of)
        }
    }
}

/// The buckets from `from` to `to`, each counting the days of the range it holds; the backlog
/// at a bucket's end (or at `to`) sums every change up to then, before `from` included.
pub(crate) fn trend(
    days: &[Day],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: Interval,
) -> Result<Vec<TrendBucket>> {
    let (first, last) = (from.timestamp_millis().div_euclid(DAY_MS), to.timestamp_millis().div_euclid(DAY_MS));
    let mut starts = Vec::new();
    let mut s = bucket_start(first, interval);
    while s <= last {
        starts.push(s);
        if starts.len() as i64 > MAX_TREND_BUCKETS {
            return Err(Error::validation(
                "interval",
                format!(
                    "the range holds over {MAX_TREND_BUCKETS} {interval:?} buckets; choose a longer interval or a shorter range"
                )
                .to_lowercase(),
            ));
        }
        s = next_start(s, interval);
    }
    let mut out: Vec<TrendBucket> =
        starts.iter().map(|&s| TrendBucket { start: time(s * DAY_MS), ..TrendBucket::default() }).collect();
    let (mut open, mut in_progress, mut closed_total) = (0, 0, 0);
    let mut i = 0usize;
    for (b, o) in out.iter_mut().enumerate() {
        let end = starts.get(b + 1).map_or(last, |n| n - 1).min(last);
        while i < days.len() && days[i].day <= end {
            let d = &days[i];
            open += d.d_open;
            in_progress += d.d_in_progress;
            closed_total += d.d_closed;
            if d.day >= first {
                o.opened += d.opened;
                o.closed += d.closed;
                o.reopened += d.reopened;
                o.alerts += d.alerts;
            }
            i += 1;
        }
        (o.open, o.in_progress, o.closed_total) = (open, in_progress, closed_total);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-03-04 is a Wednesday.
        let wed = day_of(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
        assert_eq!(date(bucket_start(wed, Interval::Week)), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(date(bucket_start(wed, Interval::Month)), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let dec = day_of(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(date(next_start(dec, Interval::Month)), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    }

    #[test]
    fn too_many_buckets_is_refused_naming_the_interval() {
        let from = time(0);
        let to = time(3000 * DAY_MS);
        let e = trend(&[], from, to, Interval::Day).unwrap_err();
        assert!(e.to_string().contains("interval"), "{e}");
        assert_eq!(trend(&[], from, to, Interval::Week).unwrap().len(), 430);
    }
}
