//! Crash safety of the store, tested with real processes.
//!
//! * `killed_writer_loses_no_reported_save`: a child process writes cases, comments and status
//!   changes in a loop and reports each save on stdout after it returned `Ok`; the parent kills
//!   it with SIGKILL at a random moment, reopens the file and checks that every reported save
//!   is there, that `PRAGMA integrity_check` says `ok`, and that the search index, comment
//!   counts and activity log agree with the rows. Thirty rounds on the same file.
//! * `two_writer_processes_share_the_file`: two child writers run on one file at the same time
//!   (busy timeout, `BEGIN IMMEDIATE` across processes); nothing may fail and nothing be lost.
//!
//! The child is this test binary itself, re-run with `--exact crash_child_writer --ignored`.
//! Set `CASEBOOK_CRASH_SEED` to replay a run (the seed is printed) and `CASEBOOK_CRASH_ROUNDS`
//! to change the number of kill rounds.
//!
//! The writer processes (both ends of their pipe) are in `support/writer.rs`, the checks of the
//! file in `support/checks.rs`.
#![cfg(unix)]

mod support;

use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

use casebook_core::{Casebook, FindQuery};

use support::checks::{Model, check_model, check_structure, open_checked, query_i64};
use support::writer::{Finished, Report, Writer, child_writer, spawn_writer};
use support::{Rng, SPACE, env_u64, seed_from_env_or_clock};

// ---------------------------------------------------------------------------------------------
// The child.

/// Not a test: the body of the child writer process. Does nothing unless `ENV_DB` is set.
#[test]
#[ignore = "the crash tests run this as their child process"]
fn crash_child_writer() {
    child_writer();
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn killed_writer_loses_no_reported_save() {
    let seed = seed_from_env_or_clock();
    let rounds = env_u64("CASEBOOK_CRASH_ROUNDS").unwrap_or(30);
    eprintln!("crash test: seed {seed}, {rounds} rounds (replay with CASEBOOK_CRASH_SEED={seed})");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("crash.db");
    // For post-mortems: copy the files as each killed child left them into this directory.
    let keep = std::env::var_os("CASEBOOK_CRASH_KEEP_DIR").map(std::path::PathBuf::from);
    let started = Instant::now();

    let mut model = Model::default();
    let mut rounds_with_saves = 0u64;
    let mut early_kills = 0u64;
    let mut kills = 0i64;
    // In some rounds the parent keeps the file open while the child writes: the WAL then
    // outlives the child (no checkpoint-on-close) and the parent reads next to a dying writer.
    let mut held: Option<Casebook> = None;
    for round in 0..rounds {
        let context = format!("round {round} (seed {seed})");
        let tag = format!("r{round}");
        let mut writer = spawn_writer(&db, &tag, rng.next(), None, 0);
        let mut early = Vec::new();
        // One round in five kills the child soon after it starts: while it creates the file,
        // opens it, or recovers the previous child's WAL. The others kill it in its write loop.
        let delay = if rng.below(5) == 0 {
            early_kills += 1;
            rng.between(0, 40)
        } else {
            if !writer.wait_ready(&mut early, Duration::from_secs(30)) {
                let f = writer.kill(early);
                panic!("{context}: the child never opened the database; {}", f.describe());
            }
            rng.between(2, 200)
        };
        thread::sleep(Duration::from_millis(delay));
        let finished = writer.kill(early);
        assert!(finished.killed(), "{context}: the child did not die by SIGKILL; {}", finished.describe());
        kills += 1;
        if let Some(keep) = &keep {
            let to = keep.join(format!("round-{round}"));
            std::fs::create_dir_all(&to).expect("create the keep dir");
            for suffix in ["", "-wal", "-shm"] {
                let from = dir.path().join(format!("crash.db{suffix}"));
                if from.exists() {
                    std::fs::copy(&from, to.join(format!("crash.db{suffix}"))).expect("copy the database");
                }
            }
        }

        let saves = model.apply(&tag, &finished.reports);
        if saves > 0 {
            rounds_with_saves += 1;
        }

        let book = match held.take() {
            Some(b) => b,
            None => open_checked(&db, &context),
        };
        check_structure(&book, &context);
        // Look up everything this round reported in the search index, plus some older saves;
        // search for a few of them through the API.
        let mut indexed: Vec<&str> = Vec::new();
        for id in &model.order {
            let f = &model.cases[id];
            if f.writer == tag || rng.below(20) == 0 {
                indexed.push(&f.token);
            }
        }
        for c in &model.comments {
            if model.cases[&c.case].writer == tag || rng.below(10) == 0 {
                indexed.push(&c.token);
            }
        }
        let searched: Vec<&str> =
            (0..3).filter_map(|_| indexed.get(rng.below(indexed.len() as u64) as usize).copied()).collect();
        check_model(&book, &model, &indexed, &searched, false, kills, &context);
        eprintln!(
            "  {context}: killed after {delay} ms{}, {saves} saves reported; {} cases in total",
            if finished.reports.iter().any(|r| matches!(r, Report::Ready)) { "" } else { " (before ready)" },
            model.cases.len()
        );
        if rng.below(2) == 0 {
            eprintln!("  {context}: keeping the file open during the next round");
            held = Some(book);
        }
    }
    drop(held);

    // A last look from a fresh connection, with every token looked up.
    let book = open_checked(&db, "final reopen");
    check_structure(&book, "final");
    let tokens: Vec<&str> = model.token_case.keys().map(String::as_str).collect();
    let searched: Vec<&str> = tokens.iter().copied().filter(|_| rng.below(100) == 0).take(20).collect();
    check_model(&book, &model, &tokens, &searched, false, kills, "final");

    eprintln!(
        "crash test: {rounds} kills ({early_kills} early), {} cases, {} comments, {} status changes reported in {:?}",
        model.cases.len(),
        model.comments.len(),
        model.status_changes,
        started.elapsed()
    );
    let in_loop_rounds = rounds - early_kills;
    assert!(
        rounds_with_saves * 3 >= in_loop_rounds * 2,
        "only {rounds_with_saves} of {in_loop_rounds} rounds killed in the write loop reported a save"
    );
    assert!(
        model.cases.len() as u64 >= 3 * rounds,
        "only {} cases reported saved in {rounds} rounds",
        model.cases.len()
    );
    assert!(!model.comments.is_empty() && model.status_changes > 0, "the children wrote no comments or status changes");
}

#[test]
fn two_writer_processes_share_the_file() {
    const PAUSE: u64 = 4;
    let seed = seed_from_env_or_clock();
    eprintln!("concurrent writers test: seed {seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shared.db");
    // Created and migrated up front: this test is about concurrent writes, not first opens.
    drop(Casebook::open(&db).expect("create the database"));

    let run_ms = env_u64("CASEBOOK_CRASH_CONCURRENT_MS").unwrap_or(2000);
    // Each writer pauses 0–PAUSE ms between saves, like a person or a script would, and lets
    // the other process in: SQLite's busy handler polls, so a writer that commits back to back
    // can keep another process waiting for seconds (set CASEBOOK_CRASH_CONCURRENT_PAUSE_MS=0).
    let pause_ms = env_u64("CASEBOOK_CRASH_CONCURRENT_PAUSE_MS").unwrap_or(PAUSE);
    let writers: Vec<Writer> =
        ["w0", "w1"].iter().map(|tag| spawn_writer(&db, tag, rng.next(), Some(run_ms), pause_ms)).collect();
    let finished: Vec<Finished> =
        writers.into_iter().map(|w| w.wait(Duration::from_millis(run_ms) + Duration::from_secs(60))).collect();

    let mut model = Model::default();
    for f in &finished {
        assert!(f.status.success(), "a writer failed; {}", f.describe());
        let Some(Report::Done { saves, max_op_ms }) =
            f.reports.iter().find(|r| matches!(r, Report::Done { .. })).cloned()
        else {
            panic!("writer {} exited without its done report; {}", f.tag, f.describe());
        };
        let reported = model.apply(&f.tag, &f.reports);
        eprintln!("  writer {}: {saves} cases, {reported} saves, slowest save {max_op_ms} ms", f.tag);
        assert!(saves >= 10, "writer {} saved only {saves} cases in {run_ms} ms; {}", f.tag, f.describe());
    }

    let book = open_checked(&db, "after the writers");
    check_structure(&book, "after the writers");
    let tokens: Vec<&str> = model.token_case.keys().map(String::as_str).collect();
    let searched: Vec<&str> = tokens.iter().copied().filter(|_| rng.below(50) == 0).take(10).collect();
    check_model(&book, &model, &tokens, &searched, true, 0, "after the writers");
    assert_eq!(query_i64(&book, "SELECT count(*) FROM cases"), model.cases.len() as i64);
    assert_eq!(query_i64(&book, "SELECT count(*) FROM comments"), model.comments.len() as i64);
    for (i, f) in finished.iter().enumerate() {
        let tag = &f.tag;
        let n = model.cases.values().filter(|c| &c.writer == tag).count();
        let q =
            FindQuery { space: SPACE.into(), tags: vec![format!("writer-{tag}")], per_page: 1, ..Default::default() };
        assert_eq!(book.find_cases(&q).expect("find by tag").total, n as i64, "writer {i}'s cases by tag");
    }

    // The two processes really wrote at the same time: their cases interleave in the table.
    let writers_in_order: Vec<String> = book
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT tags FROM cases ORDER BY id")?;
            stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()
        })
        .expect("read tags");
    let switches = writers_in_order.windows(2).filter(|w| w[0] != w[1]).count();
    let distinct: HashSet<&String> = writers_in_order.iter().collect();
    assert_eq!(distinct.len(), 2, "both writers' cases are in the file");
    assert!(switches >= 2, "the writers never interleaved (switches: {switches})");
}
