//! The Analytics page at scale (issue 17): `Casebook::metrics` for the 401 136-case `default`
//! space of the `find` benchmark's 1 000 000 cases (target < 100 ms median, warm), with no case
//! filter (the daily roll-ups answer the trends) and with one (the matching cases' events are
//! read), and a rebuild of the roll-ups from the whole activity log (target < 60 s).
//!
//! The database is the `find` benchmark's (its generator writes each case's creation and status
//! changes into the activity log). The rebuild rewrites the roll-ups of that file with what they
//! already hold, so the cached file stays as it was.
//!
//! ```text
//! cargo bench -p casebook-core --bench analytics
//! CASEBOOK_BENCH_SKIP_REBUILD=1 cargo bench -p casebook-core --bench analytics -- "default space"
//! CASEBOOK_BENCH_CASES=20000 cargo bench -p casebook-core --bench analytics
//! ```

#[allow(dead_code, unused_imports)] // the analytics benchmark uses only the database builder
mod data;

use std::time::{Duration, Instant};

use casebook_core::model::{Breakdown, Interval, MetricsQuery, Severity};
use chrono::DateTime;
use criterion::{Criterion, SamplingMode};

use data::{DAY_MS, NOW_MS, prepare};

fn main() {
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let n: i64 = match std::env::var("CASEBOOK_BENCH_CASES") {
        Ok(v) => v.trim().replace('_', "").parse().expect("CASEBOOK_BENCH_CASES must be a number"),
        Err(_) if quick => 2_000,
        Err(_) => 1_000_000,
    };
    let (book, gen_) = prepare(n);
    let at = |ms: i64| DateTime::from_timestamp_millis(ms).expect("a time");
    // The page's default: the last 30 days of the space, by day, timing by severity (the page
    // asks for the one breakdown its chart shows).
    let page = MetricsQuery {
        space: Some("default".into()),
        from: Some(at(NOW_MS - 30 * DAY_MS)),
        to: Some(at(NOW_MS)),
        interval: Interval::Day,
        by: vec![Breakdown::Severity],
        ..Default::default()
    };
    let quarter = MetricsQuery { from: Some(at(NOW_MS - 90 * DAY_MS)), interval: Interval::Week, ..page.clone() };
    let filtered = MetricsQuery { severity: vec![Severity::High, Severity::Critical], ..page.clone() };
    let tagged = MetricsQuery { tags: vec![gen_.tags[0].clone()], ..page.clone() };
    let every = MetricsQuery { by: Breakdown::ALL.to_vec(), ..page.clone() };
    let cases: [(&str, &MetricsQuery); 5] = [
        ("default space, last 30 days by day", &page),
        ("default space, last 90 days by week", &quarter),
        ("default space, last 30 days, every breakdown", &every),
        ("severity high|critical, last 30 days", &filtered),
        ("top tag, last 30 days", &tagged),
    ];

    println!("\nFirst (cold-ish) run of each:");
    for (name, q) in &cases {
        let t = Instant::now();
        let m = book.metrics(q).expect("metrics");
        println!(
            "  {:>9.2} ms  {name}: {} buckets, {} opened, {} resolved, {} open now",
            t.elapsed().as_secs_f64() * 1e3,
            m.trend.len(),
            m.trend.iter().map(|b| b.opened).sum::<i64>(),
            m.timing.resolve.cases,
            m.trend.last().map_or(0, |b| b.open + b.in_progress),
        );
    }

    let mut c = Criterion::default().configure_from_args().sample_size(20).measurement_time(Duration::from_secs(10));
    let mut g = c.benchmark_group("metrics");
    g.sampling_mode(SamplingMode::Flat);
    for (name, q) in &cases {
        g.bench_function(*name, |b| b.iter(|| book.metrics(q).expect("metrics")));
    }
    g.finish();

    // CASEBOOK_BENCH_SKIP_REBUILD=1 leaves the rebuild out (it rewrites 1 GB: minutes).
    if !quick && std::env::var_os("CASEBOOK_BENCH_SKIP_REBUILD").is_none() {
        // Three whole rebuilds; their median.
        let mut runs: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let r = book.rebuild_analytics().expect("rebuild");
                let s = t.elapsed().as_secs_f64();
                println!("  rebuild: {s:.1} s ({} days, {} cases)", r.days, r.cases);
                s
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        println!("rebuild of the roll-ups from the activity log: median {:.1} s (target < 60 s)", runs[1]);
    }
    c.final_summary();
}
