//! Alerts at scale (issue 6): import 100 000 alerts from an NDJSON export into one case (target
//! < 10 s), and open the Alerts tab on that case: its first page of 50 (target < 20 ms) and the
//! overview the tab and header show beside it.
//!
//! The export is generated once (seeded, ~1 KB an alert, modern documents mixing dotted
//! `kibana.alert.*` keys with nested ECS) into `target/bench-data/alerts-<n>.ndjson`. Each
//! measured import runs on a fresh database file; creating it is not timed.
//!
//! ```text
//! cargo bench -p casebook-core --bench alerts
//! CASEBOOK_BENCH_ALERTS=20000 cargo bench -p casebook-core --bench alerts
//! ```

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::Casebook;
use casebook_core::model::*;
use criterion::{BenchmarkId, Criterion, SamplingMode};

mod alert_export;

use alert_export::export;

fn target_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => workspace.join(d),
        None => workspace.join("target"),
    }
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A fresh database with one case, as the analyst would have it before the import.
fn fresh(work: &Path) -> (Casebook, Case) {
    remove_db(work);
    let book = Casebook::open(work).expect("open a fresh database");
    let case =
        book.create_case("default", &CaseCreate { title: "Bench".into(), ..Default::default() }).expect("create");
    (book, case)
}

fn import(book: &Casebook, case: &Case, file: &Path) -> AlertImportReport {
    book.import_alerts_file(&case.id, file, &mut |_| ControlFlow::Continue(())).expect("import")
}

fn main() {
    // `cargo test --benches` runs this binary with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let n: u64 = match std::env::var("CASEBOOK_BENCH_ALERTS") {
        Ok(v) => v.trim().replace('_', "").parse().expect("CASEBOOK_BENCH_ALERTS must be a number"),
        Err(_) if quick => 2_000,
        Err(_) => 100_000,
    };
    let file = export(n, &target_dir().join("bench-data"));
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!("export: {n} alerts, {:.1} MB", size as f64 / 1e6);
    let label = n.to_string();
    let work = target_dir().join("bench-data").join(format!("alerts-{n}-work.db"));
    let tab = target_dir().join("bench-data").join(format!("alerts-{n}-tab.db"));

    let (book, case) = fresh(&tab);
    // One import outside criterion, timing its two phases.
    let t = Instant::now();
    let mut saving_from = None;
    let report = book
        .import_alerts_file(&case.id, &file, &mut |p| {
            if p.phase == ImportPhase::Saving && saving_from.is_none() {
                saving_from = Some(t.elapsed());
            }
            ControlFlow::Continue(())
        })
        .expect("import");
    let all = t.elapsed();
    let read = saving_from.unwrap_or(all);
    println!(
        "first import: {} alerts attached in {:.3} s (reading {:.3} s, saving {:.3} s)",
        report.attached,
        all.as_secs_f64(),
        read.as_secs_f64(),
        (all - read).as_secs_f64()
    );
    assert_eq!(report.attached, n);

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut g = c.benchmark_group("alerts");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(BenchmarkId::new("import_ndjson", &label), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (fresh_book, fresh_case) = fresh(&work);
                let t = Instant::now();
                let r = import(&fresh_book, &fresh_case, &file);
                total += t.elapsed();
                assert_eq!(r.attached, n);
            }
            total
        })
    });
    g.finish();
    let mut g = c.benchmark_group("alerts_tab");
    let first_page = AlertListQuery { per_page: Some(50), ..Default::default() };
    g.bench_function(BenchmarkId::new("first_page_by_rule", &label), |b| {
        b.iter(|| assert_eq!(book.list_alerts(&case.id, &first_page).expect("page").alerts.len(), 50))
    });
    let newest = AlertListQuery { per_page: Some(50), sort: Some(AlertSortField::Time), ..Default::default() };
    g.bench_function(BenchmarkId::new("first_page_newest", &label), |b| {
        b.iter(|| assert_eq!(book.list_alerts(&case.id, &newest).expect("page").alerts.len(), 50))
    });
    let last = AlertListQuery { per_page: Some(50), page: Some((n / 50) as u32), ..Default::default() };
    g.bench_function(BenchmarkId::new("last_page_by_rule", &label), |b| {
        b.iter(|| assert_eq!(book.list_alerts(&case.id, &last).expect("page").alerts.len(), 50))
    });
    g.bench_function(BenchmarkId::new("overview", &label), |b| {
        b.iter(|| assert_eq!(book.alert_overview(&case.id).expect("overview").total as u64, n))
    });
    g.finish();
    c.final_summary();
    drop(book);
    remove_db(&work);
    remove_db(&tab);
    print_medians(&label);
}

/// Criterion prints means; the medians it estimated are in its `estimates.json` files.
fn print_medians(label: &str) {
    let root = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| target_dir().join("criterion"));
    println!("\nMedians:");
    for (group, id) in [
        ("alerts", "import_ndjson"),
        ("alerts_tab", "first_page_by_rule"),
        ("alerts_tab", "first_page_newest"),
        ("alerts_tab", "last_page_by_rule"),
        ("alerts_tab", "overview"),
    ] {
        let path = root.join(group).join(id).join(label).join("new").join("estimates.json");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if let Some(ns) = v["median"]["point_estimate"].as_f64() {
            println!("  {group}/{id}/{label}: {:.3} ms", ns / 1e6);
        }
    }
}
