//! Case numbering at scale (issue 4): one pass over 1 000 000 unnumbered cases in 10 spaces
//! (target < 10 s), and a pass with nothing to do (target < 1 ms).
//!
//! The cases are those of the `find` benchmark (same generator, same rows, `default` holding
//! 40%), copied without their numbers into a freshly migrated database, which is cached in
//! `target/bench-data/numbering-*.db` (only the tables the pass reads: no comments, search
//! documents or activity). The pass changes the file, so each measured pass runs on a fresh copy
//! of it; the copy and the open are not timed. `CASEBOOK_BENCH_CASES` scales it as for `find`.
//!
//! ```text
//! cargo bench -p casebook-core --bench ids
//! CASEBOOK_BENCH_CASES=20000 cargo bench -p casebook-core --bench ids
//! ```

#[allow(dead_code, unused_imports)] // the numbering benchmark uses only the database builder
mod data;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::Casebook;
use criterion::{BenchmarkId, Criterion, SamplingMode};

use data::{GENERATOR_VERSION, prepare, size_label, target_dir};

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn unnumbered(book: &Casebook) -> (i64, i64) {
    book.with_connection(|c| {
        c.query_row("SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM cases_to_number)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("count cases")
    })
}

/// Bumped when the numbering tables change, so a cached template of the old layout is rebuilt.
const TEMPLATE_LAYOUT: u32 = 2;

/// The cached database of `n` unnumbered cases (built from the `find` benchmark's database).
fn numbering_template(n: i64) -> PathBuf {
    let path = target_dir()
        .join("bench-data")
        .join(format!("numbering-{}-v{GENERATOR_VERSION}.{TEMPLATE_LAYOUT}.db", size_label(n)));
    if path.exists() {
        let book = Casebook::open(&path).expect("open the cached numbering database");
        if unnumbered(&book) == (n, n) {
            println!("reusing {}", path.display());
            return path;
        }
        drop(book);
        remove_db(&path);
    }
    let (source, _) = prepare(n);
    let source_path = source.path().to_path_buf();
    drop(source);
    let tmp = path.with_extension("db.partial");
    remove_db(&tmp);
    let started = Instant::now();
    {
        let book = Casebook::open(&tmp).expect("create the numbering database");
        book.with_connection(|c| -> rusqlite::Result<()> {
            c.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000;")?;
            let _: String = c.query_row("PRAGMA journal_mode = OFF", [], |r| r.get(0))?;
            c.execute("ATTACH DATABASE ?1 AS src", [source_path.to_string_lossy()])?;
            let tx = c.transaction()?;
            let indexes: Vec<(String, String)> = tx
                .prepare(
                    "SELECT name, sql FROM main.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
                       AND tbl_name = 'cases' ORDER BY rowid",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, _) in &indexes {
                tx.execute_batch(&format!("DROP INDEX main.\"{name}\""))?;
            }
            let columns: Vec<String> = tx
                .prepare("SELECT name FROM pragma_table_info('cases', 'main') ORDER BY cid")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let list = columns.join(", ");
            let select = columns
                .iter()
                .map(|c| if c == "incremental_id" { "NULL".to_string() } else { c.clone() })
                .collect::<Vec<_>>()
                .join(", ");
            tx.execute_batch(&format!(
                "INSERT OR IGNORE INTO main.spaces SELECT * FROM src.spaces;
                 INSERT OR IGNORE INTO main.users SELECT * FROM src.users;
                 INSERT INTO main.cases ({list}) SELECT {select} FROM src.cases ORDER BY id;"
            ))?;
            for (_, sql) in &indexes {
                tx.execute_batch(sql)?;
            }
            tx.commit()?;
            c.execute_batch("DETACH DATABASE src; ANALYZE;")?;
            let _: String = c.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            Ok(())
        })
        .expect("build the numbering database");
    }
    std::fs::rename(&tmp, &path).expect("move the numbering database in place");
    println!("built {} in {:.1} s", path.display(), started.elapsed().as_secs_f64());
    path
}

/// A fresh copy of the template, opened as the app would open it.
fn fresh_copy(template: &Path, work: &Path) -> Casebook {
    remove_db(work);
    std::fs::copy(template, work).expect("copy the numbering database");
    Casebook::open(work).expect("open the copy")
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
    let template = numbering_template(n);
    let size = size_label(n);
    let work = target_dir().join("bench-data").join(format!("numbering-{size}-work.db"));
    let idle = target_dir().join("bench-data").join(format!("numbering-{size}-idle.db"));

    // One pass outside criterion, to show what it did.
    let book = fresh_copy(&template, &work);
    let t = Instant::now();
    let report = book.assign_ids().expect("numbering pass");
    println!("first pass: {} cases numbered in {:.3} s", report.assigned, t.elapsed().as_secs_f64());
    assert_eq!(report.assigned as i64, n);
    drop(book);

    // The idle pass runs on a file where every case has its number.
    let numbered = fresh_copy(&template, &idle);
    assert_eq!(numbered.assign_ids().expect("numbering pass").assigned as i64, n);

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut g = c.benchmark_group("numbering");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(BenchmarkId::new("pass_all_unnumbered", &size), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let book = fresh_copy(&template, &work);
                let t = Instant::now();
                let r = book.assign_ids().expect("numbering pass");
                total += t.elapsed();
                assert_eq!(r.assigned as i64, n);
            }
            total
        })
    });
    g.bench_function(BenchmarkId::new("pass_nothing_to_do", &size), |b| {
        b.iter(|| assert_eq!(numbered.assign_ids().expect("numbering pass").assigned, 0))
    });
    g.finish();
    c.final_summary();
    drop(numbered);
    remove_db(&work);
    remove_db(&idle);
    print_medians(&size);
}

/// Criterion prints means; the medians it estimated are in its `estimates.json` files.
fn print_medians(size: &str) {
    let root = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| target_dir().join("criterion"));
    println!("\nMedians:");
    for id in ["pass_all_unnumbered", "pass_nothing_to_do"] {
        let path = root.join("numbering").join(id).join(size).join("new").join("estimates.json");
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if let Some(ns) = v["median"]["point_estimate"].as_f64() {
            println!("  numbering/{id}/{size}: {:.3} ms", ns / 1e6);
        }
    }
}
