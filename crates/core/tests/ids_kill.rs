//! Case numbers survive SIGKILL (issue 4): a numbering pass in a child process is killed at a
//! random moment, thirty times, on a file with thousands of unnumbered cases in three spaces.
//!
//! After every kill the parent reopens the file and checks: `PRAGMA integrity_check` is `ok`; in
//! each space the numbered cases are the oldest ones (created_at, then id), numbered 1..k in that
//! order with no gap or duplicate, every later case has no number, and the space's counter is k;
//! no number given in an earlier round changed or went away. Between rounds it adds cases
//! (some through `create_cases`, most with bulk SQL so that a pass takes long enough to be killed
//! between its batches of `KILL_BATCH`). At the end one pass runs to completion and every
//! case has a number.
//!
//! The child is this test binary, re-run with `--exact ids_kill_child --ignored`. The seed is
//! printed; `CASEBOOK_IDS_KILL_SEED` replays a run and `CASEBOOK_IDS_KILL_ROUNDS` changes the
//! number of rounds. Bulk-inserted cases have no search document or activity record: nothing
//! here reads them through the API, and the pass does not look at either.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

#[path = "support/rng.rs"]
mod rng;

use casebook_core::{CaseCreate, Casebook};
use chrono::{DateTime, Utc};
use rng::{Rng, env_u64, seed_from_env};

/// The child's batch size: small, so a pass has several commits a kill can fall between
/// (the real batch is big and the file would have to be huge to reach a second one).
const KILL_BATCH: i64 = 5_000;

const ENV_DB: &str = "CASEBOOK_IDS_KILL_CHILD_DB";
const SPACES: [&str; 3] = ["default", "blue", "green"];
const SIGKILL: i32 = 9;

// ---------------------------------------------------------------------------------------------
// The child.

/// Not a test: the body of the child process. Does nothing unless `ENV_DB` is set.
#[test]
#[ignore = "ids_killed_pass_leaves_consistent_numbers runs this as its child process"]
fn ids_kill_child() {
    let Some(db) = std::env::var_os(ENV_DB) else { return };
    let book = Casebook::open(db).unwrap();
    let mut out = std::io::stdout().lock();
    out.write_all(b"ready\n").unwrap();
    out.flush().unwrap();
    let t = Instant::now();
    let r = book.assign_ids_in_batches(KILL_BATCH).unwrap();
    writeln!(out, "done {} {}", r.assigned, t.elapsed().as_micros()).unwrap();
    out.flush().unwrap();
}

struct Pass {
    child: Child,
    lines: mpsc::Receiver<String>,
}

fn spawn_pass(db: &Path) -> Pass {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args(["--exact", "ids_kill_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(ENV_DB, db)
        .env_remove("CASEBOOK_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child pass");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Pass { child, lines }
}

impl Pass {
    fn wait_line(&self, prefix: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                // libtest's "test ids_kill_child ... " has no newline: the report may follow it.
                Ok(l) if l.contains(prefix) => return Some(l[l.find(prefix).unwrap_or(0)..].to_string()),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

impl Drop for Pass {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// The checks.

fn space_ids(book: &Casebook) -> Vec<i64> {
    SPACES
        .iter()
        .map(|s| {
            book.with_connection(|c| c.query_row("SELECT id FROM spaces WHERE name = ?1", [s], |r| r.get(0)).unwrap())
        })
        .collect()
}

/// Checks the invariants and the numbers given earlier (`given`: case id → number, extended with
/// the new ones). Returns, per space, (cases, numbered).
fn check(book: &Casebook, given: &mut HashMap<i64, i64>, context: &str) -> Vec<(usize, usize)> {
    let integrity: Vec<String> = book.with_connection(|c| {
        c.prepare("PRAGMA integrity_check").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    });
    assert_eq!(integrity, ["ok"], "{context}: PRAGMA integrity_check");
    let mut out = Vec::new();
    for (space, id) in SPACES.iter().zip(space_ids(book)) {
        let rows: Vec<(i64, Option<i64>)> = book.with_connection(|c| {
            c.prepare("SELECT c.id, n.number FROM cases c LEFT JOIN case_numbers n ON n.case_id = c.id WHERE c.space_id = ?1 ORDER BY c.created_at, c.id")
                .unwrap()
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        });
        let k = rows.iter().take_while(|(_, n)| n.is_some()).count();
        for (i, &(case, n)) in rows.iter().enumerate() {
            let expected = if i < k { Some(i as i64 + 1) } else { None };
            assert_eq!(
                n,
                expected,
                "{context}: space {space}: case {case}, position {} in creation order, has number {n:?} ({k} of {} numbered)",
                i + 1,
                rows.len()
            );
            if let Some(n) = n
                && let Some(old) = given.insert(case, n)
            {
                assert_eq!(old, n, "{context}: space {space}: case {case} had number {old}, now {n}");
            }
        }
        let counter: i64 = book.with_connection(|c| {
            c.query_row("SELECT coalesce((SELECT last_number FROM case_counters WHERE space_id = ?1), 0)", [id], |r| {
                r.get(0)
            })
            .unwrap()
        });
        assert_eq!(counter, k as i64, "{context}: space {space}: counter {counter}, max number {k}");
        out.push((rows.len(), k));
    }
    let numbered: usize = out.iter().map(|&(_, k)| k).sum();
    assert_eq!(numbered, given.len(), "{context}: a number given earlier went away");
    out
}

// ---------------------------------------------------------------------------------------------
// Making cases.

/// Adds `n` cases to `space` with one INSERT, `created_at` from the clock on (three per
/// millisecond, so there are ties for the id to break), and moves the clock past them.
fn bulk_insert(book: &Casebook, clock: &AtomicI64, space: i64, n: u64, tag: &str) {
    if n == 0 {
        return;
    }
    let base = clock.load(Ordering::SeqCst) + 1;
    book.with_connection(|c| {
        c.execute(
            "WITH RECURSIVE seq (x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x + 1 < ?1)
             INSERT INTO cases (uuid, space_id, title, description, severity, status, settings, owner, connector,
                                created_at, created_by, reporter)
             SELECT lower(hex(randomblob(16))), ?2, 'bulk ' || ?3 || ' ' || x, 'a case made in bulk', x % 4, 0,
                    t.settings, t.owner, t.connector, ?4 + x / 3, t.created_by, t.reporter
             FROM seq, (SELECT settings, owner, connector, created_by, reporter FROM cases ORDER BY id LIMIT 1) t",
            (n as i64, space, tag, base),
        )
        .unwrap()
    });
    clock.store(base + n as i64 / 3 + 1, Ordering::SeqCst);
}

/// Adds 1–`max` cases through the core (one transaction; all share `created_at`).
fn core_create(book: &Casebook, clock: &AtomicI64, rng: &mut Rng, space: &str, max: u64, tag: &str) -> u64 {
    // Tick 0 makes a created_at tie with the previous case.
    clock.fetch_add(rng.below(3) as i64, Ordering::SeqCst);
    let n = rng.between(1, max);
    let inputs: Vec<CaseCreate> =
        (0..n).map(|i| CaseCreate { title: format!("core {tag} {i}"), ..Default::default() }).collect();
    book.create_cases(space, &inputs).unwrap();
    n
}

// ---------------------------------------------------------------------------------------------
// The test.

/// The parent's own handle, open throughout a file's rounds (as the desktop app would be), on
/// a clock it controls so that cases made later are never older than cases made earlier.
fn open_with_clock(db: &Path, clock: &Arc<AtomicI64>) -> Casebook {
    let mut book = Casebook::open(db).unwrap();
    let c = clock.clone();
    book.set_clock(Arc::new(move || DateTime::<Utc>::from_timestamp_millis(c.load(Ordering::SeqCst)).unwrap()));
    book
}

#[derive(Default)]
struct Tally {
    while_opening: u64,
    before_commit: u64,
    mid_pass: u64,
    finished: u64,
}

#[test]
fn ids_killed_pass_leaves_consistent_numbers() {
    // The rounds run on `FILES` fresh copies of one starting file, so that each copy starts with
    // more than a batch of unnumbered cases in `default` (kills can fall between two batches of
    // one space) while the files stay small enough for an integrity check after every round.
    const FILES: u64 = 3;
    let seed = seed_from_env("CASEBOOK_IDS_KILL_SEED");
    let rounds = env_u64("CASEBOOK_IDS_KILL_ROUNDS").unwrap_or(30);
    eprintln!("ids kill test: seed {seed}, {rounds} rounds (replay with CASEBOOK_IDS_KILL_SEED={seed})");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let batch = KILL_BATCH as u64;

    // The starting file: three spaces, a few cases made through the core and thousands in bulk.
    let template = dir.path().join("start.db");
    let clock = Arc::new(AtomicI64::new(1_772_323_200_000)); // 2026-03-01
    {
        let book = open_with_clock(&template, &clock);
        for s in &SPACES[1..] {
            book.create_space(s).unwrap();
        }
        let ids = space_ids(&book);
        for (i, (s, &id)) in SPACES.iter().zip(&ids).enumerate() {
            core_create(&book, &clock, &mut rng, s, 20, "setup");
            bulk_insert(&book, &clock, id, [batch + 1000, batch / 4, batch / 8][i], "setup");
        }
        check(&book, &mut HashMap::new(), "the starting file");
    } // closing the last connection checkpoints the WAL into the file
    let start_clock = clock.load(Ordering::SeqCst);

    // Microseconds per case of a finished pass, to spread the kills over a whole pass.
    let mut us_per_case = 30.0f64;
    let mut tally = Tally::default();
    let mut total_cases = 0;
    for file in 0..FILES {
        let db = dir.path().join(format!("ids-kill-{file}.db"));
        std::fs::copy(&template, &db).unwrap();
        clock.store(start_clock, Ordering::SeqCst);
        let book = open_with_clock(&db, &clock);
        let ids = space_ids(&book);
        let mut given: HashMap<i64, i64> = HashMap::new();
        let mut state = check(&book, &mut given, &format!("file {file}"));
        let file_rounds = rounds / FILES + u64::from(file < rounds % FILES);
        for round in 0..file_rounds {
            let context = format!("file {file}, round {round} (seed {seed})");
            let unnumbered: usize = state.iter().map(|&(n, k)| n - k).sum();
            let numbered_before: usize = state.iter().map(|&(_, k)| k).sum();
            let mut pass = spawn_pass(&db);
            let early = rng.below(6) == 0;
            let delay = if early {
                // Kill it while it opens the file (and recovers the last child's WAL).
                let ms = rng.below(30);
                thread::sleep(Duration::from_millis(ms));
                format!("{ms} ms after spawning")
            } else {
                let ready = pass.wait_line("ready", Duration::from_secs(60));
                assert!(ready.is_some(), "{context}: the child never got ready");
                let us = rng.below((us_per_case * unnumbered as f64 * 1.1) as u64 + 1);
                thread::sleep(Duration::from_micros(us));
                format!("{:.1} ms into the pass", us as f64 / 1e3)
            };
            let _ = pass.child.kill();
            let status = pass.child.wait().unwrap();
            let mut done = None;
            while let Ok(line) = pass.lines.recv_timeout(Duration::from_millis(200)) {
                if let Some(at) = line.find("done ") {
                    done = Some(line[at..].to_string());
                }
            }
            drop(pass);
            if let Some(line) = &done {
                let parts: Vec<f64> = line.split_whitespace().skip(1).take(2).map(|p| p.parse().unwrap()).collect();
                if parts[0] >= 1000.0 {
                    us_per_case = parts[1] / parts[0];
                }
            } else {
                assert_eq!(status.signal(), Some(SIGKILL), "{context}: the child died otherwise: {status:?}");
            }

            // Reopen, as the next run of the app would, and check.
            let reopened = Casebook::open(&db).unwrap_or_else(|e| panic!("{context}: reopening failed: {e}"));
            state = check(&reopened, &mut given, &context);
            drop(reopened);
            let numbered: usize = state.iter().map(|&(_, k)| k).sum();
            let cases: usize = state.iter().map(|&(n, _)| n).sum();
            let outcome = if done.is_some() {
                tally.finished += 1;
                assert_eq!(numbered, cases, "{context}: a finished pass left cases without a number");
                "finished"
            } else if numbered > numbered_before {
                tally.mid_pass += 1;
                "killed mid-pass"
            } else if early {
                tally.while_opening += 1;
                "killed early"
            } else {
                tally.before_commit += 1;
                "killed before its first commit"
            };
            eprintln!("  {context}: {outcome} ({delay}); numbered {numbered_before} -> {numbered} of {cases}");

            // New cases for the next round, through the core and in bulk.
            let tag = format!("f{file}r{round}");
            for _ in 0..rng.below(3) {
                let s = rng.below(SPACES.len() as u64) as usize;
                state[s].0 += core_create(&book, &clock, &mut rng, SPACES[s], 10, &tag) as usize;
            }
            let s = rng.below(SPACES.len() as u64) as usize;
            let n = rng.below(300);
            bulk_insert(&book, &clock, ids[s], n, &tag);
            state[s].0 += n as usize;
        }

        // A last pass, left to finish: every case gets its number.
        let pass = spawn_pass(&db);
        assert!(
            pass.wait_line("done", Duration::from_secs(120)).is_some(),
            "file {file}: the final pass did not finish"
        );
        drop(pass);
        let reopened = Casebook::open(&db).unwrap();
        let context = format!("file {file}, after the final pass (seed {seed})");
        state = check(&reopened, &mut given, &context);
        for (space, &(n, k)) in SPACES.iter().zip(&state) {
            assert_eq!(k, n, "{context}: space {space}: {k} of {n} cases numbered");
        }
        assert_eq!(reopened.assign_ids().unwrap().assigned, 0, "{context}: a second pass found work");
        total_cases += given.len();
    }
    eprintln!(
        "ids kill test: {rounds} kills: {} mid-pass, {} before the pass's first commit, {} while opening; {} passes \
         finished first; {total_cases} cases numbered in {FILES} files in {:?}",
        tally.mid_pass,
        tally.before_commit,
        tally.while_opening,
        tally.finished,
        started.elapsed()
    );
}
