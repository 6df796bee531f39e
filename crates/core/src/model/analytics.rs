//! The Analytics page's question and answer: trends from the activity log, Kibana's timing
//! metrics, the open backlog's age and top lists, for one space or all of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Severity, Status};

/// The width of a trend bucket. Days are UTC days; weeks start on Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    #[default]
    Day,
    Week,
    Month,
}

impl Interval {
    pub const ALL: [Interval; 3] = [Interval::Day, Interval::Week, Interval::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
        }
    }
}

impl std::str::FromStr for Interval {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim() {
            "day" | "daily" => Ok(Interval::Day),
            "week" | "weekly" => Ok(Interval::Week),
            "month" | "monthly" => Ok(Interval::Month),
            other => Err(crate::Error::validation("interval", format!("must be day, week or month (got {other:?})"))),
        }
    }
}

/// What the timing figures are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    Severity,
    Assignee,
    Tag,
    Category,
    Connector,
}

impl Breakdown {
    pub const ALL: [Breakdown; 5] =
        [Breakdown::Severity, Breakdown::Assignee, Breakdown::Tag, Breakdown::Category, Breakdown::Connector];

    pub fn as_str(self) -> &'static str {
        match self {
            Breakdown::Severity => "severity",
            Breakdown::Assignee => "assignee",
            Breakdown::Tag => "tag",
            Breakdown::Category => "category",
            Breakdown::Connector => "connector",
        }
    }
}

impl std::str::FromStr for Breakdown {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Breakdown::ALL.into_iter().find(|b| b.as_str() == s.trim()).ok_or_else(|| {
            crate::Error::validation(
                "by",
                format!("must be severity, assignee, tag, category or connector (got {s:?})"),
            )
        })
    }
}

/// The filters of the Analytics page. Case filters (severity, tags, assignees, status) test a
/// case's current values; the date range bounds the events counted (trends), the cases closed or
/// acknowledged (timing) and the cases created (top lists). The backlog's age is as of now.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(optional_fields)]
pub struct MetricsQuery {
    /// One space by name; none: every space.
    pub space: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub interval: Interval,
    pub severity: Vec<Severity>,
    /// Cases with any of these tags.
    pub tags: Vec<String>,
    /// Usernames; `none` matches cases without assignees.
    pub assignees: Vec<String>,
    pub status: Vec<Status>,
    /// Breakdowns of the timing figures to compute; none: every one.
    pub by: Vec<Breakdown>,
}

/// The figures of one trend bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrendBucket {
    /// The bucket's first instant (UTC midnight).
    pub start: DateTime<Utc>,
    pub opened: i64,
    pub closed: i64,
    /// Closed cases opened or set in progress again.
    pub reopened: i64,
    pub alerts: i64,
    /// The backlog as it stood at the end of the bucket (deleted cases leave it).
    pub open: i64,
    pub in_progress: i64,
    /// Closed cases still kept, cumulated.
    pub closed_total: i64,
}

/// Median and 90th percentile (nearest rank) of a duration, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DurationStats {
    pub cases: i64,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// Kibana's three timing metrics (cases-as-data §3): acknowledge = created → in progress (or
/// → closed when never in progress), investigate = in progress → closed, resolve = created →
/// closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimingStats {
    pub acknowledge: DurationStats,
    pub investigate: DurationStats,
    pub resolve: DurationStats,
}

/// The timing figures of the cases sharing one value of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BreakdownRow {
    /// The severity, username, tag, category or connector type; empty: none set.
    pub key: String,
    pub timing: TimingStats,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BreakdownTable {
    pub by: Breakdown,
    pub rows: Vec<BreakdownRow>,
}

/// Cases closed in the range per assignee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Throughput {
    pub assignee: String,
    pub closed: i64,
}

/// Open and in-progress cases whose age (now − created) is in `[min_seconds, max_seconds)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgeBucket {
    pub label: String,
    pub min_seconds: i64,
    pub max_seconds: Option<i64>,
    pub cases: i64,
}

/// One of the oldest cases not closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OldCase {
    pub id: String,
    pub space: String,
    pub incremental_id: Option<i64>,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub age_seconds: i64,
}

/// A value and the number of cases that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TopItem {
    pub value: String,
    pub cases: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TopLists {
    pub tags: Vec<TopItem>,
    pub categories: Vec<TopItem>,
    pub rules: Vec<TopItem>,
    pub hosts: Vec<TopItem>,
    pub users: Vec<TopItem>,
}

/// The Analytics page's figures for a `MetricsQuery`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Metrics {
    /// The range the figures cover (the query's, or the log's first day to now).
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub interval: Interval,
    pub trend: Vec<TrendBucket>,
    pub timing: TimingStats,
    pub breakdowns: Vec<BreakdownTable>,
    pub throughput: Vec<Throughput>,
    pub age: Vec<AgeBucket>,
    pub oldest_open: Vec<OldCase>,
    pub top: TopLists,
    pub sla: SlaReport,
}

/// Which cases of a space's service-level targets to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SlaFilter {
    /// Not closed, and past a target: unacknowledged past the time to acknowledge, or
    /// unresolved past the time to resolve.
    Breaching,
    /// Not breaching, but 80 % or more of a target's time has gone.
    AtRisk,
}

impl std::str::FromStr for SlaFilter {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim() {
            "breaching" => Ok(SlaFilter::Breaching),
            "at-risk" | "at_risk" => Ok(SlaFilter::AtRisk),
            other => Err(crate::Error::validation("sla", format!("must be breaching or at-risk (got {other:?})"))),
        }
    }
}

/// A case breaching or about to breach a target, with the target nearest its due time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaCase {
    pub id: String,
    pub space: String,
    pub incremental_id: Option<i64>,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// `acknowledge` or `resolve`.
    pub target: String,
    pub due_at: DateTime<Utc>,
    /// Seconds past the due time (negative: time left).
    pub overdue_seconds: i64,
}

/// Cases closed in one week (from Monday, UTC) that had a time-to-resolve target, and how many
/// were resolved within it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaWeek {
    pub start: DateTime<Utc>,
    pub closed: i64,
    pub within_target: i64,
}

/// The service-level picture of the filtered cases, by each space's targets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaReport {
    /// Whether any space asked about has targets.
    pub has_targets: bool,
    pub breaching_total: i64,
    pub at_risk_total: i64,
    /// The most overdue first (at most 20).
    pub breaching: Vec<SlaCase>,
    /// The soonest due first (at most 20).
    pub at_risk: Vec<SlaCase>,
    pub weekly: Vec<SlaWeek>,
}
