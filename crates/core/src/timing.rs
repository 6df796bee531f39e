//! The timing rules of a status change (kibana-cases.md §1): what `closed_*`, `duration`,
//! `in_progress_at` and the time-to-* metrics become when a case moves between statuses.

use chrono::{DateTime, Utc};

use crate::model::{Status, User};

/// The status-dependent fields of a case.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Timing {
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<User>,
    pub in_progress_at: Option<DateTime<Utc>>,
    pub duration: Option<i64>,
    pub time_to_acknowledge: Option<i64>,
    pub time_to_investigate: Option<i64>,
    pub time_to_resolve: Option<i64>,
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_seconds().max(0)
}

/// The fields after moving to `to` at `now`. A move to the same status changes nothing.
pub(crate) fn on_status_change(
    old: &Timing,
    from: Status,
    to: Status,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    actor: &User,
) -> Timing {
    if from == to {
        return old.clone();
    }
    match to {
        // Reopening forgets every metric: the case starts over.
        Status::Open => Timing::default(),
        Status::InProgress => {
            // Acknowledged once: a second trip through in-progress keeps the first time.
            let (in_progress_at, time_to_acknowledge) = match old.in_progress_at {
                Some(at) => (Some(at), old.time_to_acknowledge),
                None => (Some(now), Some(seconds(created_at, now))),
            };
            Timing { in_progress_at, time_to_acknowledge, ..Timing::default() }
        }
        Status::Closed => {
            let resolve = seconds(created_at, now);
            Timing {
                closed_at: Some(now),
                closed_by: Some(actor.clone()),
                in_progress_at: old.in_progress_at,
                duration: Some(resolve),
                time_to_resolve: Some(resolve),
                time_to_investigate: Some(old.in_progress_at.map_or(0, |at| seconds(at, now))),
                time_to_acknowledge: Some(match old.in_progress_at {
                    Some(_) => old.time_to_acknowledge.unwrap_or(resolve),
                    None => resolve,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().with_timezone(&Utc)
    }

    #[test]
    fn open_to_closed_without_in_progress() {
        let u = User::named("ana");
        let t =
            on_status_change(&Timing::default(), Status::Open, Status::Closed, t0(), t0() + Duration::seconds(90), &u);
        assert_eq!(t.duration, Some(90));
        assert_eq!(t.time_to_resolve, Some(90));
        assert_eq!(t.time_to_acknowledge, Some(90), "never in progress: acknowledged when resolved");
        assert_eq!(t.time_to_investigate, Some(0));
        assert_eq!(t.closed_by, Some(u));
    }

    #[test]
    fn through_in_progress_then_closed() {
        let u = User::named("ana");
        let a = on_status_change(
            &Timing::default(),
            Status::Open,
            Status::InProgress,
            t0(),
            t0() + Duration::seconds(30),
            &u,
        );
        assert_eq!(a.in_progress_at, Some(t0() + Duration::seconds(30)));
        assert_eq!(a.time_to_acknowledge, Some(30));
        let b = on_status_change(&a, Status::InProgress, Status::Closed, t0(), t0() + Duration::seconds(100), &u);
        assert_eq!(b.time_to_acknowledge, Some(30));
        assert_eq!(b.time_to_investigate, Some(70));
        assert_eq!(b.time_to_resolve, Some(100));
        assert_eq!(b.duration, Some(100));
    }

    #[test]
    fn second_in_progress_keeps_first_acknowledgement() {
        let u = User::named("ana");
        let a = on_status_change(
            &Timing::default(),
            Status::Open,
            Status::InProgress,
            t0(),
            t0() + Duration::seconds(30),
            &u,
        );
        let b = on_status_change(&a, Status::InProgress, Status::Closed, t0(), t0() + Duration::seconds(60), &u);
        let c = on_status_change(&b, Status::Closed, Status::InProgress, t0(), t0() + Duration::seconds(90), &u);
        assert_eq!(c.in_progress_at, a.in_progress_at);
        assert_eq!(c.time_to_acknowledge, Some(30));
        assert_eq!((c.closed_at, c.duration, c.time_to_resolve), (None, None, None));
    }

    #[test]
    fn reopen_clears_everything() {
        let u = User::named("ana");
        let a =
            on_status_change(&Timing::default(), Status::Open, Status::Closed, t0(), t0() + Duration::seconds(5), &u);
        let b = on_status_change(&a, Status::Closed, Status::Open, t0(), t0() + Duration::seconds(9), &u);
        assert_eq!(b, Timing::default());
    }

    #[test]
    fn same_status_is_no_change() {
        let u = User::named("ana");
        let a =
            on_status_change(&Timing::default(), Status::Open, Status::Closed, t0(), t0() + Duration::seconds(5), &u);
        let b = on_status_change(&a, Status::Closed, Status::Closed, t0(), t0() + Duration::seconds(50), &u);
        assert_eq!(a, b);
    }
}
