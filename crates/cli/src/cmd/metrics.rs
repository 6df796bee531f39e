//! `casebook metrics`: the Analytics page's figures (trends from the activity log, timing
//! medians and p90, the open backlog's age, top lists) for a space or every space.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use chrono::{Duration, Utc};
use clap::Args;

use super::Out;
use crate::input::{parse_all, time};
use crate::print;

/// The Analytics filters `metrics` and `export` share.
#[derive(Args, Debug, Default)]
pub struct AnalyticsFilterArgs {
    /// Every space instead of --space.
    #[arg(long)]
    pub all_spaces: bool,
    /// Start of the range (YYYY-MM-DD or RFC 3339; default: the first recorded day).
    #[arg(long)]
    pub from: Option<String>,
    /// End of the range (YYYY-MM-DD means the end of that day; default: now).
    #[arg(long)]
    pub to: Option<String>,
    /// The range ending now instead of --from: 7d, 4w, 3m (30-day months) or 1y.
    #[arg(long, value_name = "SPAN", conflicts_with = "from")]
    pub last: Option<String>,
    /// Cases now of this severity: low, medium, high or critical (repeat for several).
    #[arg(long)]
    pub severity: Vec<String>,
    /// Cases now with any of these tags.
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// Cases now assigned to any of these users; `none` for unassigned cases.
    #[arg(long = "assignee", value_name = "USER")]
    pub assignees: Vec<String>,
    /// Cases now in this status: open, in-progress or closed (repeat for several).
    #[arg(long)]
    pub status: Vec<String>,
}

/// `7d`, `4w`, `3m`, `1y` as a duration.
fn span(v: &str) -> Result<Duration, Error> {
    let v = v.trim();
    let bad = || Error::Validation {
        field: "last".into(),
        message: format!("must be a number and d, w, m or y, like 7d or 3m (got {v:?})"),
    };
    let (n, unit) = v.split_at(v.len().saturating_sub(1));
    let n: i64 = n.parse().ok().filter(|n| *n > 0 && *n <= 36_500).ok_or_else(bad)?;
    Ok(match unit {
        "d" => Duration::days(n),
        "w" => Duration::weeks(n),
        "m" => Duration::days(30 * n),
        "y" => Duration::days(365 * n),
        _ => return Err(bad()),
    })
}

pub fn query(out: &Out<'_>, f: &AnalyticsFilterArgs) -> Result<MetricsQuery, Error> {
    let to = time("to", f.to.as_deref(), true)?;
    let from = match &f.last {
        Some(s) => Some(to.unwrap_or_else(Utc::now) - span(s)?),
        None => time("from", f.from.as_deref(), false)?,
    };
    Ok(MetricsQuery {
        space: (!f.all_spaces).then(|| out.space.to_string()),
        from,
        to,
        severity: parse_all(&f.severity)?,
        tags: f.tags.clone(),
        assignees: f.assignees.clone(),
        status: parse_all(&f.status)?,
        ..MetricsQuery::default()
    })
}

#[derive(Args, Debug)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub filters: AnalyticsFilterArgs,
    /// Trend buckets: day, week or month (UTC; weeks start on Monday).
    #[arg(long, default_value = "week")]
    pub interval: String,
    /// Break the timing figures down by severity, assignee, tag, category or connector
    /// (repeat for several).
    #[arg(long)]
    pub by: Vec<String>,
    /// Compute the daily roll-ups again from the whole activity log first (they are kept up to
    /// date as cases change; this is for a file edited by other tools).
    #[arg(long)]
    pub rebuild: bool,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &MetricsArgs) -> Result<(), Error> {
    let by: Vec<Breakdown> = parse_all(&a.by)?;
    if a.rebuild {
        let r = book.rebuild_analytics()?;
        if !out.json {
            say!(
                "Rebuilt the roll-ups: {}, {}.",
                print::count(r.days, "day", "days"),
                print::count(r.cases, "case", "cases")
            );
        }
    }
    let q = MetricsQuery { interval: a.interval.parse()?, by: by.clone(), ..query(out, &a.filters)? };
    let m = book.metrics(&q)?;
    out.show(&m, |m| text(m, q.space.as_deref(), &by));
    Ok(())
}

fn stat(s: &DurationStats) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!("{} / {}", print::span(m as f64), print::span(p as f64)),
        _ => "–".into(),
    }
}

fn timing_row(label: &str, t: &TimingStats) {
    say!(
        "  {label:<24} {:>7}  {:>17}  {:>17}  {:>17}",
        print::num(t.resolve.cases.max(t.acknowledge.cases)),
        stat(&t.acknowledge),
        stat(&t.investigate),
        stat(&t.resolve)
    );
}

fn text(m: &Metrics, space: Option<&str>, by: &[Breakdown]) {
    let day = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%d").to_string();
    let interval = m.interval.as_str();
    say!(
        "{} · {} → {} · per {interval} (UTC)",
        space.map_or("All spaces".to_string(), |s| format!("Space {s}")),
        day(m.from),
        day(m.to)
    );
    say!();
    say!(
        "{:<12} {:>8} {:>8} {:>9} {:>8}   {:>8} {:>12}",
        "Trend",
        "opened",
        "closed",
        "reopened",
        "alerts",
        "open",
        "in progress"
    );
    for b in &m.trend {
        say!(
            "{:<12} {:>8} {:>8} {:>9} {:>8}   {:>8} {:>12}",
            day(b.start),
            print::num(b.opened),
            print::num(b.closed),
            print::num(b.reopened),
            print::num(b.alerts),
            print::num(b.open),
            print::num(b.in_progress)
        );
    }
    say!();
    say!("Timing (median / p90)      {:>7}  {:>17}  {:>17}  {:>17}", "cases", "acknowledge", "investigate", "resolve");
    timing_row("all", &m.timing);
    for table in m.breakdowns.iter().filter(|t| by.contains(&t.by)) {
        say!("By {}", table.by.as_str());
        if table.rows.is_empty() {
            say!("  none in the range");
        }
        for r in &table.rows {
            timing_row(if r.key.is_empty() { "(none)" } else { &r.key }, &r.timing);
        }
    }
    say!();
    say!("Closed per assignee");
    if m.throughput.is_empty() {
        say!("  none in the range");
    }
    for t in &m.throughput {
        say!("  {:<24} {:>7}", if t.assignee.is_empty() { "(unassigned)" } else { &t.assignee }, print::num(t.closed));
    }
    say!();
    say!("Open backlog by age");
    for a in &m.age {
        say!("  {:<24} {:>7}", a.label, print::num(a.cases));
    }
    if !m.oldest_open.is_empty() {
        say!();
        say!("Oldest open cases");
        for o in &m.oldest_open {
            let number = o.incremental_id.map_or_else(|| "(ID pending)".to_string(), |n| format!("#{n}"));
            say!(
                "  {:<12} {:>9}  {:<11} {:<8} {}",
                number,
                print::span(o.age_seconds as f64),
                o.status.as_str(),
                o.severity.as_str(),
                print::escaped(&o.title)
            );
        }
    }
    if m.sla.has_targets {
        say!();
        say!(
            "Service levels: {} breaching, {} at risk (cases not closed)",
            print::num(m.sla.breaching_total),
            print::num(m.sla.at_risk_total)
        );
        for (what, list) in [("breaching", &m.sla.breaching), ("at risk", &m.sla.at_risk)] {
            for c in list {
                let number = c.incremental_id.map_or_else(|| "(ID pending)".to_string(), |n| format!("#{n}"));
                let when = if c.overdue_seconds >= 0 {
                    format!("{} overdue", print::span(c.overdue_seconds as f64))
                } else {
                    format!("due in {}", print::span(-c.overdue_seconds as f64))
                };
                say!("  {what:<10} {number:<12} {:<11} {when:<18} {}", c.target, print::escaped(&c.title));
            }
        }
        for w in &m.sla.weekly {
            say!(
                "  week of {}: {} of {} closed within target",
                w.start.format("%Y-%m-%d"),
                print::num(w.within_target),
                print::num(w.closed)
            );
        }
    }
    for (name, list) in [
        ("tags", &m.top.tags),
        ("categories", &m.top.categories),
        ("rules", &m.top.rules),
        ("hosts", &m.top.hosts),
        ("users", &m.top.users),
    ] {
        if list.is_empty() {
            continue;
        }
        say!();
        say!("Top {name} (cases created in the range)");
        for t in list {
            say!("  {:>7}  {}", print::num(t.cases), print::escaped(&t.value));
        }
    }
}
