//! The window stays quick while a long job runs (issue 14): on the `find` benchmark's database
//! (1 000 000 cases), the case list is read while a 100 000-alert import runs in the same
//! process, as when an analyst keeps working while a large export is attached.
//!
//! A background thread imports the `alerts` benchmark's export again and again, each time
//! into a new case of its own space (`bench-import`), which it deletes afterwards so the
//! cached database keeps its shape. Meanwhile criterion times `find_cases` (page 1 of the
//! default space, and the filtered page). Every call is also timed on its own, and the median
//! and 99th percentile of those made while an import was running are printed at the end
//! (criterion reports no percentiles).
//!
//! ```text
//! cargo bench -p casebook-core --bench busy
//! CASEBOOK_BENCH_CASES=20000 CASEBOOK_BENCH_ALERTS=20000 cargo bench -p casebook-core --bench busy
//! ```

mod alert_export;
#[allow(dead_code)] // the `find` benchmark's data; the host tokens are not searched here
mod data;

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use casebook_core::Casebook;
use casebook_core::model::{CaseCreate, FindQuery, Severity, SortField, SortOrder, Status};
use criterion::{BenchmarkId, Criterion, SamplingMode};

use data::{prepare, size_label, target_dir};

/// The space the imports go to, out of the way of the measured default space.
const IMPORT_SPACE: &str = "bench-import";

fn env_number(name: &str, quick: u64, full: u64) -> u64 {
    let quick_run = std::env::args().any(|a| a == "--test" || a == "--list");
    match std::env::var(name) {
        Ok(v) => v.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{name} must be a number")),
        Err(_) if quick_run => quick,
        Err(_) => full,
    }
}

/// Imports the export into a new case, then deletes the case, until told to stop.
fn keep_importing(book: Casebook, file: std::path::PathBuf, stop: Arc<AtomicBool>, busy: Arc<AtomicBool>) -> u32 {
    let mut imports = 0;
    while !stop.load(Ordering::Relaxed) {
        let case = book
            .create_case(IMPORT_SPACE, &CaseCreate { title: "import under load".into(), ..Default::default() })
            .expect("create the import's case");
        busy.store(true, Ordering::SeqCst);
        let report = book
            .import_alerts_file(&case.id, &file, &mut |_| {
                if stop.load(Ordering::Relaxed) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })
            .expect("import");
        busy.store(false, Ordering::SeqCst);
        if !report.cancelled {
            imports += 1;
        }
        book.delete_cases(std::slice::from_ref(&case.id)).expect("delete the import's case");
    }
    imports
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let cases = env_number("CASEBOOK_BENCH_CASES", 2_000, 1_000_000) as i64;
    let alerts = env_number("CASEBOOK_BENCH_ALERTS", 2_000, 100_000);
    let (book, gen_) = prepare(cases);
    if book.list_spaces().expect("spaces").iter().all(|s| s.name != IMPORT_SPACE) {
        book.create_space(IMPORT_SPACE).expect("create the import space");
    }
    let file = alert_export::export(alerts, &target_dir().join("bench-data"));

    let plain = FindQuery::default();
    let top_tag = gen_.tags[0].clone();
    let filtered = FindQuery {
        status: vec![Status::Open],
        severity: vec![Severity::High, Severity::Critical],
        tags: vec![top_tag],
        sort_field: Some(SortField::UpdatedAt),
        sort_order: SortOrder::Desc,
        ..Default::default()
    };

    let stop = Arc::new(AtomicBool::new(false));
    let busy = Arc::new(AtomicBool::new(false));
    let importer = {
        let (book, file, stop, busy) = (book.clone(), file.clone(), stop.clone(), busy.clone());
        std::thread::spawn(move || keep_importing(book, file, stop, busy))
    };
    // Measure from the first import's start.
    while !busy.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(10));
    }

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let size = size_label(cases);
    let during: Arc<Mutex<Vec<(&str, Duration)>>> = Arc::default();
    let mut g = c.benchmark_group("during_import");
    g.sampling_mode(SamplingMode::Flat);
    for (id, q) in [("page", &plain), ("filtered", &filtered)] {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let importing = busy.load(Ordering::SeqCst);
                    let t = Instant::now();
                    let r = book.find_cases(q).expect("find_cases");
                    let took = t.elapsed();
                    total += took;
                    assert!(!r.cases.is_empty());
                    if importing && busy.load(Ordering::SeqCst) {
                        during.lock().unwrap_or_else(|p| p.into_inner()).push((id, took));
                    }
                }
                total
            })
        });
    }
    g.finish();
    stop.store(true, Ordering::Relaxed);
    let imports = importer.join().expect("the importer");
    c.final_summary();

    println!("\nfind_cases calls made while an import of {alerts} alerts was running ({imports} imports finished):");
    let during = during.lock().unwrap_or_else(|p| p.into_inner());
    for id in ["page", "filtered"] {
        let mut took: Vec<Duration> = during.iter().filter(|(i, _)| *i == id).map(|(_, d)| *d).collect();
        if took.is_empty() {
            continue;
        }
        took.sort();
        println!(
            "  during_import/{id}/{size}: {} calls, median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            took.len(),
            percentile(&took, 0.5).as_secs_f64() * 1e3,
            percentile(&took, 0.99).as_secs_f64() * 1e3,
            took[took.len() - 1].as_secs_f64() * 1e3,
        );
    }
}
