//! The case list at scale: 1 000 000 cases and about 3 000 000 comments, shaped like the data of
//! `shared/reference/sqlite-performance.md` (10 spaces, `default` holding 40%; status
//! 15/10/75% open/in-progress/closed; severity 45/30/17/8%; 1–5 Zipf tags from 300; Poisson(3)
//! comments per case; Zipf text over ~5 000 words; one `srvNNNNN` host token per description).
//!
//! The database is built once with bulk SQL on Casebook's own schema and cached in
//! `target/bench-data/`; later runs reuse it. `CASEBOOK_BENCH_CASES` scales it (default
//! 1 000 000; each size has its own file). Timings go through the public API only:
//! `Casebook::find_cases` and `Casebook::case_stats`.
//!
//! ```text
//! cargo bench -p casebook-core --bench find
//! CASEBOOK_BENCH_CASES=20000 cargo bench -p casebook-core --bench find
//! ```

mod data;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use casebook_core::Casebook;
use casebook_core::model::{FindQuery, Severity, SortField, SortOrder, Status};
use criterion::{BenchmarkId, Criterion, SamplingMode};

use data::{prepare, size_label, target_dir};

// ---------------------------------------------------------------------------------------------
// The measurements

fn query(f: impl FnOnce(&mut FindQuery)) -> FindQuery {
    let mut q = FindQuery { per_page: 50, ..FindQuery::default() };
    f(&mut q);
    q
}

fn show_plan(book: &Casebook, name: &str, q: &FindQuery) {
    println!("\n== {name}");
    match book.explain_find(q) {
        Ok(plan) => {
            for step in plan {
                println!("   {step}");
            }
        }
        Err(e) => println!("   (no plan: {e})"),
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    // `cargo test --benches` runs this binary with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let n: i64 = match std::env::var("CASEBOOK_BENCH_CASES") {
        Ok(v) => v.trim().replace('_', "").parse().expect("CASEBOOK_BENCH_CASES must be a number"),
        Err(_) if quick => 2_000,
        Err(_) => 1_000_000,
    };
    assert!(n > 0 && n < 1 << 31, "CASEBOOK_BENCH_CASES out of range");
    let (book, gen_) = prepare(n);

    // A host token that is surely in `default`: the one of a case in the middle of the space.
    let host = (n / 2..=n)
        .chain(1..n / 2)
        .map(|id| gen_.case(id))
        .find(|k| k.space == 0)
        .map(|k| k.host)
        .expect("a case in default");
    let top_tag = gen_.tags[0].clone();

    let page_filtered = query(|q| {
        q.status = vec![Status::Open];
        q.severity = vec![Severity::High, Severity::Critical];
        q.tags = vec![top_tag.clone()];
        q.sort_field = Some(SortField::UpdatedAt);
        q.sort_order = SortOrder::Desc;
    });
    // "My open cases": one analyst's assignments, newest activity first.
    let analyst = gen_.users[1].username.clone();
    let page_assignee = query(|q| {
        q.status = vec![Status::Open, Status::InProgress];
        q.assignees = vec![analyst.clone()];
        q.sort_field = Some(SortField::UpdatedAt);
        q.sort_order = SortOrder::Desc;
    });
    let page_created = query(|q| {
        q.sort_field = Some(SortField::CreatedAt);
        q.sort_order = SortOrder::Desc;
    });
    let page_title = query(|q| {
        q.sort_field = Some(SortField::Title);
        q.sort_order = SortOrder::Asc;
    });
    let search_host = query(|q| q.search = Some(host.clone()));
    let search_term = query(|q| q.search = Some("login".into()));
    let search_two = query(|q| q.search = Some("suspicious activity".into()));
    let counts_space = query(|_| {});
    let counts_tag = query(|q| q.tags = vec![top_tag.clone()]);

    let pages: [(&str, &FindQuery); 4] = [
        ("filtered: open, high|critical, tag phishing, by updated_at desc", &page_filtered),
        ("assignee: open|in-progress, one analyst's cases, by updated_at desc", &page_assignee),
        ("plain: page 1 by created_at desc", &page_created),
        ("title: page 1 by title asc", &page_title),
    ];
    let searches: [(&str, &FindQuery); 3] = [
        ("host token", &search_host),
        ("common term `login`", &search_term),
        ("two words `suspicious activity`", &search_two),
    ];
    let counts: [(&str, &FindQuery); 2] = [("whole default space", &counts_space), ("tag phishing", &counts_tag)];

    println!("\nQuery plans of the page queries (Casebook::explain_find):");
    for (name, q) in pages.iter().chain(searches.iter()).chain(counts.iter()) {
        show_plan(&book, &format!("{name}  {:?}", q.search.as_deref().unwrap_or("")), q);
    }

    println!("\nFirst (cold-ish) run of each query:");
    for (name, q) in pages.iter().chain(searches.iter()) {
        let t = Instant::now();
        let r = book.find_cases(q).expect("find_cases");
        println!(
            "  {:>9.2} ms  {name}: total {} (open {}, in progress {}, closed {}), page of {}",
            ms_since(t),
            r.total,
            r.count_open_cases,
            r.count_in_progress_cases,
            r.count_closed_cases,
            r.cases.len()
        );
        assert!(!r.cases.is_empty(), "{name}: no cases");
    }
    for (name, q) in &counts {
        let t = Instant::now();
        let s = book.case_stats(q).expect("case_stats");
        println!(
            "  {:>9.2} ms  counts, {name}: open {}, in progress {}, closed {}, mean time to close {:.0} s",
            ms_since(t),
            s.count_open_cases,
            s.count_in_progress_cases,
            s.count_closed_cases,
            s.mean_time_to_close.unwrap_or(0.0)
        );
    }
    println!("search terms: host token {host:?}, common term \"login\", two words \"suspicious activity\"\n");

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    // The size is the benchmark parameter, so runs at different sizes keep separate baselines.
    let size = size_label(n);
    let mut g = c.benchmark_group("page");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["filtered", "assignee", "created", "title"].into_iter().zip(pages) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.find_cases(q).expect("find_cases")));
    }
    g.finish();

    let mut g = c.benchmark_group("search");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["host", "login", "suspicious_activity"].into_iter().zip(searches) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.find_cases(q).expect("find_cases")));
    }
    g.finish();

    let mut g = c.benchmark_group("counts");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["space", "tag"].into_iter().zip(counts) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.case_stats(q).expect("case_stats")));
    }
    g.finish();

    c.final_summary();
    print_medians(&size);
}

/// Criterion prints means; the medians it estimated are in its `estimates.json` files.
fn print_medians(size: &str) {
    let root = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| target_dir().join("criterion"));
    let mut lines = String::new();
    for (group, ids) in [
        ("page", &["filtered", "assignee", "created", "title"][..]),
        ("search", &["host", "login", "suspicious_activity"][..]),
        ("counts", &["space", "tag"][..]),
    ] {
        for id in ids {
            let path = root.join(group).join(id).join(size).join("new").join("estimates.json");
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            if let Some(ns) = v["median"]["point_estimate"].as_f64() {
                let _ = writeln!(lines, "  {group}/{id}/{size}: {:.3} ms", ns / 1e6);
            }
        }
    }
    if !lines.is_empty() {
        println!("\nMedians (ms):\n{lines}");
    }
}
