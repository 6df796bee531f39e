#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The Analytics figures checked against the raw activity log: a seeded history of two spaces
//! over ten weeks (creations, status changes back and forth, deletions, alerts) is replayed
//! here from `user_actions` alone, and every trend bucket, backlog and timing figure the core
//! gives must equal the replay's.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

use casebook_core::alerts::AlertFileFormat;
use casebook_core::model::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

const SPACES: [&str; 2] = ["default", "soc"];
const TAGS: [&str; 4] = ["phishing", "malware", "insider", "vpn"];

/// A small deterministic generator (the test must replay the same history every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn alert(id: &str, rule: &str, host: &str, user: &str) -> Value {
    json!({
        "@timestamp": "2026-03-01T10:00:00.000Z",
        "kibana.alert.uuid": id,
        "kibana.alert.rule.name": rule,
        "kibana.alert.rule.uuid": format!("rule-{rule}"),
        "kibana.alert.workflow_status": "open",
        "host": { "name": host },
        "user": { "name": user },
    })
}

impl Fixture {
    fn advance(&self, d: Duration) {
        *self.now.lock().unwrap() += d;
    }
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }
    fn set_status(&self, space: &str, c: &Case, status: Status) -> Case {
        let p = CasePatch { id: c.id.clone(), version: c.version.clone(), status: Some(status), ..Default::default() };
        self.book.update_cases(space, &[p]).unwrap().remove(0)
    }
}

/// Ten weeks of work in two spaces; returns the fixture at its end.
fn seeded() -> Fixture {
    let f = fixture();
    f.book.create_space("soc").unwrap();
    f.book.add_user(&UserInput { username: "ana".into(), ..Default::default() }).unwrap();
    let mut rng = Lcg(17);
    let mut live: Vec<(usize, Case)> = Vec::new();
    let mut alert_no = 0;
    for _hour in 0..(70 * 24 / 5) {
        f.advance(Duration::minutes(300 + rng.next(30) as i64));
        match rng.next(10) {
            0..=3 => {
                let s = rng.next(2) as usize;
                let tags = vec![TAGS[rng.next(4) as usize].to_string()];
                let assignees = if rng.next(3) == 0 { vec![] } else { vec![Assignee { uid: "ana".into() }] };
                let input = CaseCreate {
                    title: format!("case {}", live.len()),
                    severity: Some(Severity::from_str_lenient(rng.next(4))),
                    tags,
                    assignees,
                    category: (rng.next(2) == 0).then(|| "Intrusion".to_string()),
                    ..Default::default()
                };
                let c = f.book.create_case(SPACES[s], &input).unwrap();
                live.push((s, c));
            }
            4..=7 if !live.is_empty() => {
                let i = rng.next(live.len() as u64) as usize;
                let (s, c) = live[i].clone();
                let to = [Status::Open, Status::InProgress, Status::Closed][rng.next(3) as usize];
                live[i].1 = f.set_status(SPACES[s], &c, to);
            }
            8 if !live.is_empty() => {
                let i = rng.next(live.len() as u64) as usize;
                let (_, c) = live[i].clone();
                let docs: Vec<String> = (0..1 + rng.next(3))
                    .map(|_| {
                        alert_no += 1;
                        let host = format!("host-{}", alert_no % 3);
                        alert(&format!("a{alert_no}"), ["Brute force", "Malware"][alert_no % 2], &host, "bob")
                            .to_string()
                    })
                    .collect();
                let text = docs.join("\n");
                f.book
                    .import_alerts(&c.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |_| {
                        ControlFlow::Continue(())
                    })
                    .unwrap();
                let (s, c) = live[i].clone();
                live[i] = (s, f.book.get_case(&c.id).unwrap());
            }
            9 if live.len() > 5 && rng.next(3) == 0 => {
                let i = rng.next(live.len() as u64) as usize;
                let (_, c) = live.remove(i);
                f.book.delete_cases(std::slice::from_ref(&c.id)).unwrap();
            }
            _ => {}
        }
    }
    f
}

trait Lenient {
    fn from_str_lenient(n: u64) -> Severity;
}
impl Lenient for Severity {
    fn from_str_lenient(n: u64) -> Severity {
        [Severity::Low, Severity::Medium, Severity::High, Severity::Critical][n as usize]
    }
}

/// One day's figures, replayed from the raw log.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Replayed {
    opened: i64,
    closed: i64,
    reopened: i64,
    alerts: i64,
    open: [i64; 3],
}

/// The log replayed: per UTC day, the figures of the cases `keep` accepts (by uuid).
fn replay(path: &std::path::Path, space: Option<&str>, keep: &dyn Fn(&str) -> bool) -> BTreeMap<i64, Replayed> {
    let c = Connection::open(path).unwrap();
    let spaces: HashMap<String, String> = c
        .prepare("SELECT cs.case_uuid, s.name FROM case_spaces cs JOIN spaces s ON s.id = cs.space_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut stmt =
        c.prepare("SELECT case_uuid, action, type, payload, created_at FROM user_actions ORDER BY id").unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap);
    let mut status: HashMap<String, Option<usize>> = HashMap::new();
    let mut days: BTreeMap<i64, Replayed> = BTreeMap::new();
    for (uuid, action, kind, payload, at) in rows {
        if space.is_some_and(|s| spaces.get(&uuid).map(String::as_str) != Some(s)) || !keep(&uuid) {
            continue;
        }
        let payload: Value = serde_json::from_str(&payload).unwrap();
        let d = days.entry(at.div_euclid(86_400_000)).or_default();
        let idx = |s: &str| ["open", "in-progress", "closed"].iter().position(|x| *x == s);
        match kind.as_str() {
            "create_case" => {
                status.insert(uuid, Some(0));
                d.opened += 1;
                d.open[0] += 1;
            }
            "status" => {
                let new = idx(payload["status"].as_str().unwrap()).unwrap();
                if let Some(Some(old)) = status.get(&uuid).copied()
                    && old != new
                {
                    d.open[old] -= 1;
                    d.open[new] += 1;
                    d.closed += i64::from(new == 2);
                    d.reopened += i64::from(old == 2);
                    status.insert(uuid, Some(new));
                }
            }
            "delete_case" => {
                if let Some(Some(old)) = status.get(&uuid).copied() {
                    d.open[old] -= 1;
                }
                status.insert(uuid, None);
            }
            "comment" if action == "create" && payload["comment"]["type"] == "alert" => {
                d.alerts += payload["total"].as_i64().unwrap();
            }
            _ => {}
        }
    }
    days
}

fn bucket_start(day: i64, interval: Interval) -> i64 {
    let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Duration::days(day);
    let start = match interval {
        Interval::Day => date,
        Interval::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
        Interval::Month => date.with_day(1).unwrap(),
    };
    (start - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// The replay summed into the trend the core should give for `[from, to]`.
fn expected_trend(
    days: &BTreeMap<i64, Replayed>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: Interval,
) -> Vec<TrendBucket> {
    let (first, last) = (from.timestamp_millis().div_euclid(86_400_000), to.timestamp_millis().div_euclid(86_400_000));
    let mut out: BTreeMap<i64, TrendBucket> = BTreeMap::new();
    let mut day = bucket_start(first, interval);
    while day <= last {
        let start = bucket_start(day, interval);
        out.entry(start).or_insert_with(|| TrendBucket {
            start: DateTime::from_timestamp_millis(start * 86_400_000).unwrap(),
            ..Default::default()
        });
        day += 1;
    }
    for b in out.values_mut() {
        let start = b.start.timestamp_millis() / 86_400_000;
        let mut backlog = [0i64; 3];
        for (&d, r) in days.iter() {
            let in_bucket = bucket_start(d, interval) == start && d >= first && d <= last;
            if in_bucket {
                b.opened += r.opened;
                b.closed += r.closed;
                b.reopened += r.reopened;
                b.alerts += r.alerts;
            }
            let ends = out_end(start, interval).min(last);
            if d <= ends {
                for (k, v) in r.open.iter().enumerate() {
                    backlog[k] += v;
                }
            }
        }
        (b.open, b.in_progress, b.closed_total) = (backlog[0], backlog[1], backlog[2]);
    }
    out.into_values().collect()
}

fn out_end(start: i64, interval: Interval) -> i64 {
    let mut d = start;
    while bucket_start(d + 1, interval) == start {
        d += 1;
    }
    d
}

fn query(space: Option<&str>, from: DateTime<Utc>, to: DateTime<Utc>, interval: Interval) -> MetricsQuery {
    MetricsQuery { space: space.map(str::to_string), from: Some(from), to: Some(to), interval, ..Default::default() }
}

#[test]
fn trends_and_backlog_equal_a_replay_of_the_log() {
    let f = seeded();
    let start = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap().with_timezone(&Utc);
    let ranges = [
        (start, f.now()),
        (start + Duration::days(20) + Duration::hours(7), start + Duration::days(45)),
        (start + Duration::days(33), start + Duration::days(33)),
    ];
    for space in [Some("default"), Some("soc"), None] {
        let days = replay(&f.path, space, &|_| true);
        assert!(days.values().map(|d| d.closed).sum::<i64>() > 5 && days.values().map(|d| d.reopened).sum::<i64>() > 0);
        for (from, to) in ranges {
            for interval in [Interval::Day, Interval::Week, Interval::Month] {
                let m = f.book.metrics(&query(space, from, to, interval)).unwrap();
                assert_eq!(m.trend, expected_trend(&days, from, to, interval), "{space:?} {from}..{to} {interval:?}");
            }
        }
    }
}

#[test]
fn a_case_filter_reads_the_matching_cases_events() {
    let f = seeded();
    let c = Connection::open(&f.path).unwrap();
    let high: Vec<String> = c
        .prepare("SELECT uuid FROM cases WHERE severity >= 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let phishing: Vec<String> = c
        .prepare("SELECT c.uuid FROM cases c JOIN case_tags t ON t.case_id = c.id WHERE t.tag = 'phishing'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let from = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap().with_timezone(&Utc);
    let q = MetricsQuery {
        severity: vec![Severity::High, Severity::Critical],
        ..query(None, from, f.now(), Interval::Week)
    };
    let days = replay(&f.path, None, &|u| high.iter().any(|h| h == u));
    assert_eq!(f.book.metrics(&q).unwrap().trend, expected_trend(&days, from, f.now(), Interval::Week));
    let q = MetricsQuery { tags: vec!["phishing".into()], ..query(Some("soc"), from, f.now(), Interval::Day) };
    let days = replay(&f.path, Some("soc"), &|u| phishing.iter().any(|h| h == u));
    assert_eq!(f.book.metrics(&q).unwrap().trend, expected_trend(&days, from, f.now(), Interval::Day));
}

/// Kibana's rules (cases-as-data §3) replayed per case from its status records.
#[derive(Debug, Default, Clone)]
struct Clock {
    created: i64,
    in_progress_at: Option<i64>,
    ack: Option<i64>,
    closed_at: Option<i64>,
    investigate: Option<i64>,
    resolve: Option<i64>,
    status: usize,
}

fn nearest_rank(mut v: Vec<i64>, p: usize) -> Option<i64> {
    v.sort_unstable();
    (!v.is_empty()).then(|| v[(p * v.len()).div_ceil(100).max(1) - 1])
}

#[test]
fn timing_figures_equal_kibanas_rules_replayed_from_the_log() {
    let f = seeded();
    let c = Connection::open(&f.path).unwrap();
    let live: HashMap<String, (i64, String)> = c
        .prepare("SELECT uuid, severity, (SELECT name FROM spaces s WHERE s.id = space_id) FROM cases")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut clocks: HashMap<String, Clock> = HashMap::new();
    let mut stmt =
        c.prepare("SELECT case_uuid, type, payload, created_at FROM user_actions WHERE type IN ('create_case', 'status') ORDER BY id").unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })
        .unwrap()
        .map(Result::unwrap);
    for (uuid, kind, payload, at) in rows {
        if kind == "create_case" {
            clocks.insert(uuid, Clock { created: at, ..Default::default() });
            continue;
        }
        let k = clocks.get_mut(&uuid).unwrap();
        let to = ["open", "in-progress", "closed"]
            .iter()
            .position(|s| *s == serde_json::from_str::<Value>(&payload).unwrap()["status"])
            .unwrap();
        let secs = |a: i64, b: i64| (b - a) / 1000;
        match to {
            0 => *k = Clock { created: k.created, ..Default::default() },
            1 => {
                if k.in_progress_at.is_none() {
                    k.in_progress_at = Some(at);
                    k.ack = Some(secs(k.created, at));
                }
                (k.closed_at, k.investigate, k.resolve) = (None, None, None);
            }
            _ => {
                k.resolve = Some(secs(k.created, at));
                k.investigate = Some(k.in_progress_at.map_or(0, |p| secs(p, at)));
                k.ack = Some(k.ack.filter(|_| k.in_progress_at.is_some()).unwrap_or(secs(k.created, at)));
                k.closed_at = Some(at);
            }
        }
        k.status = to;
    }
    let from = DateTime::parse_from_rfc3339("2026-03-20T00:00:00Z").unwrap().with_timezone(&Utc);
    let to = from + Duration::days(30);
    let (lo, hi) = (from.timestamp_millis(), to.timestamp_millis());
    for space in [Some("soc"), None] {
        let m = f.book.metrics(&query(space, from, to, Interval::Week)).unwrap();
        let mut per_severity: BTreeMap<i64, [Vec<i64>; 3]> = BTreeMap::new();
        for (uuid, k) in &clocks {
            let Some((severity, s)) = live.get(uuid) else { continue };
            if space.is_some_and(|x| x != s) {
                continue;
            }
            let e = per_severity.entry(*severity).or_default();
            let closed_in = k.status == 2 && k.closed_at.is_some_and(|t| t >= lo && t <= hi);
            let acked_in = k.status == 1 && k.in_progress_at.is_some_and(|t| t >= lo && t <= hi);
            if closed_in || acked_in {
                e[0].push(k.ack.unwrap());
            }
            if closed_in {
                e[1].push(k.investigate.unwrap());
                e[2].push(k.resolve.unwrap());
            }
        }
        let all: [Vec<i64>; 3] =
            std::array::from_fn(|i| per_severity.values().flat_map(|v| v[i].iter().copied()).collect());
        let check = |got: &TimingStats, want: &[Vec<i64>; 3], what: &str| {
            for (g, w) in [&got.acknowledge, &got.investigate, &got.resolve].into_iter().zip(want) {
                assert_eq!(g.cases, w.len() as i64, "{what}");
                assert_eq!(g.median, nearest_rank(w.clone(), 50), "{what}");
                assert_eq!(g.p90, nearest_rank(w.clone(), 90), "{what}");
            }
        };
        assert!(all[2].len() > 3, "the seeded history closes cases in the range");
        check(&m.timing, &all, "overall");
        let by_sev = m.breakdowns.iter().find(|b| b.by == Breakdown::Severity).unwrap();
        for row in &by_sev.rows {
            let n = ["low", "medium", "high", "critical"].iter().position(|s| *s == row.key).unwrap() as i64;
            check(&row.timing, &per_severity[&n], &row.key);
        }
    }
}

#[test]
fn the_rebuild_from_the_log_equals_the_triggers_rollups() {
    let f = seeded();
    let dump = || -> Vec<(i64, i64, [i64; 8])> {
        let c = Connection::open(&f.path).unwrap();
        c.prepare(
            "SELECT space_id, day, opened, closed, reopened, deleted, alerts, d_open, d_in_progress, d_closed
             FROM analytics_daily ORDER BY 1, 2",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, std::array::from_fn(|i| r.get(i + 2).unwrap()))))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let kept = dump();
    assert!(kept.len() > 30);
    // The narrow copy of each case the page reads follows every change of the cases.
    let c = Connection::open(&f.path).unwrap();
    let mirror = |sql: &str| -> Vec<String> {
        c.prepare(sql).unwrap().query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
    };
    let cols = "space_id, severity, status, category, created_at, closed_at, in_progress_at, time_to_acknowledge, \
                time_to_investigate, time_to_resolve";
    assert_eq!(
        mirror(&format!("SELECT json_array(id, {cols}, json_extract(connector, '$.type')) FROM cases ORDER BY id")),
        mirror(&format!("SELECT json_array(id, {cols}, connector) FROM analytics_cases ORDER BY id")),
    );
    let report = f.book.rebuild_analytics().unwrap();
    assert_eq!(report.days, kept.len() as i64);
    assert_eq!(dump(), kept);
}

#[test]
fn a_file_of_schema_11_gets_its_rollups_from_its_history() {
    let Fixture { _dir, book, path, .. } = seeded();
    let dump = |c: &Connection| -> Vec<(i64, i64, i64, i64)> {
        c.prepare("SELECT space_id, day, opened + closed * 1000 + alerts * 1000000, d_open + 100 * d_closed FROM analytics_daily ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let kept = dump(&Connection::open(&path).unwrap());
    drop(book);
    Connection::open(&path).unwrap().execute_batch(casebook_core::store::BACK_TO_11).unwrap();
    let book = casebook_core::Casebook::open(&path).unwrap();
    drop(book);
    assert_eq!(dump(&Connection::open(&path).unwrap()), kept, "migration 12 fills the roll-ups from the log");
}

#[test]
fn age_oldest_and_top_lists_describe_the_open_backlog() {
    let f = fixture();
    let mk = |title: &str, tags: &[&str]| {
        f.book
            .create_case(
                "default",
                &CaseCreate {
                    title: title.into(),
                    tags: tags.iter().map(|t| t.to_string()).collect(),
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let old = mk("old", &["vpn"]);
    f.advance(Duration::days(40));
    let mid = mk("mid", &["vpn", "phishing"]);
    f.advance(Duration::days(5));
    let fresh = mk("fresh", &["phishing"]);
    let text = [alert("x1", "Brute force", "web-1", "bob"), alert("x2", "Brute force", "web-2", "bob")]
        .map(|a| a.to_string())
        .join("\n");
    f.book
        .import_alerts(&mid.id, text.as_bytes(), AlertFileFormat::Ndjson, text.len() as u64, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    f.set_status("default", &f.book.get_case(&fresh.id).unwrap(), Status::Closed);
    f.advance(Duration::hours(2));
    let m = f.book.metrics(&MetricsQuery { space: Some("default".into()), ..Default::default() }).unwrap();
    let ages: Vec<(&str, i64)> = m.age.iter().filter(|a| a.cases > 0).map(|a| (a.label.as_str(), a.cases)).collect();
    assert_eq!(ages, [("3–7 days", 1), ("1–3 months", 1)]);
    assert_eq!(m.oldest_open.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(), ["old", "mid"]);
    assert_eq!(m.oldest_open[0].id, old.id);
    assert_eq!(m.oldest_open[0].age_seconds, (45 * 86_400) + 7_200);
    let top = |v: &[TopItem]| v.iter().map(|t| (t.value.clone(), t.cases)).collect::<Vec<_>>();
    assert_eq!(top(&m.top.tags), [("phishing".to_string(), 2), ("vpn".to_string(), 2)]);
    assert_eq!(top(&m.top.rules), [("Brute force".to_string(), 1)]);
    assert_eq!(top(&m.top.hosts), [("web-1".to_string(), 1), ("web-2".to_string(), 1)]);
    assert_eq!(top(&m.top.users), [("bob".to_string(), 1)]);
    let alerts: i64 = m.trend.iter().map(|b| b.alerts).sum();
    assert_eq!(alerts, 2);
    assert_eq!(m.throughput.iter().map(|t| (t.assignee.as_str(), t.closed)).collect::<Vec<_>>(), [("", 1)]);
}

#[test]
fn bad_filters_name_the_field_and_change_nothing() {
    let f = fixture();
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let e = f
        .book
        .metrics(&query(None, at("2026-03-02T00:00:00Z"), at("2026-03-01T00:00:00Z"), Interval::Day))
        .unwrap_err();
    assert!(e.to_string().contains("from"), "{e}");
    let e = f.book.metrics(&MetricsQuery { space: Some("nope".into()), ..Default::default() }).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
    let e = f
        .book
        .metrics(&query(None, at("2000-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), Interval::Day))
        .unwrap_err();
    assert!(e.to_string().contains("interval"), "{e}");
}

#[test]
fn sla_targets_mark_breaching_and_at_risk_cases_in_the_page_and_the_list() {
    let f = fixture();
    let config = f.book.configuration("default").unwrap();
    let targets = vec![
        SlaTarget { severity: Severity::High, acknowledge_seconds: Some(3600), resolve_seconds: Some(86_400) },
        SlaTarget { severity: Severity::Low, acknowledge_seconds: None, resolve_seconds: Some(7 * 86_400) },
    ];
    f.book
        .update_configuration(
            "default",
            &ConfigurationPatch { version: config.version, sla: Some(targets), ..Default::default() },
        )
        .unwrap();
    let mk = |title: &str, severity: Severity| {
        f.book
            .create_case("default", &CaseCreate { title: title.into(), severity: Some(severity), ..Default::default() })
            .unwrap()
    };
    let unacked = mk("unacknowledged high", Severity::High);
    let working = mk("high in progress", Severity::High);
    let low = mk("low open", Severity::Low);
    let done = mk("high closed", Severity::High);
    f.advance(Duration::minutes(10));
    f.set_status("default", &working, Status::InProgress);
    f.set_status("default", &done, Status::Closed);

    let titles = |sla: SlaFilter| -> Vec<String> {
        let q = FindQuery { sla: Some(sla), ..Default::default() };
        let mut t: Vec<String> = f.book.find_cases(&q).unwrap().cases.into_iter().map(|c| c.title).collect();
        t.sort();
        t
    };
    f.advance(Duration::minutes(40)); // 50 min: 83 % of the hour to acknowledge
    assert_eq!(titles(SlaFilter::AtRisk), ["unacknowledged high"]);
    assert!(titles(SlaFilter::Breaching).is_empty());

    f.advance(Duration::hours(22)); // 22 h 50 min: past the hour; 95 % of the day to resolve
    assert_eq!(titles(SlaFilter::Breaching), ["unacknowledged high"]);
    assert_eq!(titles(SlaFilter::AtRisk), ["high in progress"]);
    let m = f.book.metrics(&MetricsQuery { space: Some("default".into()), ..Default::default() }).unwrap();
    assert!(m.sla.has_targets);
    assert_eq!((m.sla.breaching_total, m.sla.at_risk_total), (1, 1));
    assert_eq!(m.sla.breaching[0].id, unacked.id);
    assert_eq!(m.sla.breaching[0].target, "acknowledge");
    assert_eq!(m.sla.breaching[0].overdue_seconds, 21 * 3600 + 50 * 60, "22 h 50 min old, due after 1 h");
    assert_eq!(m.sla.at_risk[0].target, "resolve");
    assert_eq!(m.sla.weekly.iter().map(|w| (w.closed, w.within_target)).collect::<Vec<_>>(), [(1, 1)]);

    f.advance(Duration::days(7)); // the low case is past its week too
    assert_eq!(titles(SlaFilter::Breaching), ["high in progress", "low open", "unacknowledged high"]);
    let _ = low;
}

#[test]
fn sla_targets_are_checked_before_they_are_saved() {
    let f = fixture();
    let version = f.book.configuration("default").unwrap().version;
    let bad = |targets: Vec<SlaTarget>| {
        f.book
            .update_configuration(
                "default",
                &ConfigurationPatch { version: version.clone(), sla: Some(targets), ..Default::default() },
            )
            .unwrap_err()
            .to_string()
    };
    let t =
        |severity, a: Option<i64>, r: Option<i64>| SlaTarget { severity, acknowledge_seconds: a, resolve_seconds: r };
    assert!(
        bad(vec![t(Severity::High, Some(3600), None), t(Severity::High, None, Some(7200))]).contains("sla[1].severity")
    );
    assert!(bad(vec![t(Severity::Low, Some(7200), Some(3600))]).contains("sla[0].resolve_seconds"));
    assert!(bad(vec![t(Severity::Low, Some(30), None)]).contains("sla[0].acknowledge_seconds"));
    assert!(f.book.configuration("default").unwrap().sla.is_empty(), "nothing was saved");
}
