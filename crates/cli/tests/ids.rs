//! Case numbers with several processes on one file (issue 4): `casebook ids assign` processes
//! and `casebook case create` processes run at the same time on one database, in three spaces.
//!
//! While they run, an observer reads the file in snapshots and checks that the numbered cases of
//! each space are always a prefix of its cases in creation order, numbered 1..k, with the space's
//! counter at k. Afterwards every case created was numbered exactly once (the `assigned` counts
//! of all passes add up to the number of cases), and after a final pass each space's cases are
//! numbered 1..n with no gap, no duplicate, in `created_at` order (ties by id).
//!
//! `CASEBOOK_IDS_SEED` replays a run (the seed is printed).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags};
use serde_json::json;

use support::*;

const SPACES: [&str; 3] = ["default", "blue", "green"];

/// splitmix64, so a failing run can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("CASEBOOK_IDS_SEED").ok().and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        nanos ^ (u64::from(std::process::id()) << 32)
    })
}

/// The numbers of one space, checked in one read snapshot: the numbered cases are the oldest
/// (created_at, then id), numbered 1..k in that order, the rest have none, and the counter is
/// k. Returns (cases, k).
fn check_space(c: &Connection, space: &str, context: &str) -> (usize, usize) {
    let space_id: i64 = c.query_row("SELECT id FROM spaces WHERE name = ?1", [space], |r| r.get(0)).unwrap();
    let numbers: Vec<Option<i64>> = c
        .prepare("SELECT n.number FROM cases c LEFT JOIN case_numbers n ON n.case_id = c.id WHERE c.space_id = ?1 ORDER BY c.created_at, c.id")
        .unwrap()
        .query_map([space_id], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let k = numbers.iter().take_while(|n| n.is_some()).count();
    for (i, n) in numbers.iter().enumerate() {
        let expected = if i < k { Some(i as i64 + 1) } else { None };
        assert_eq!(
            *n,
            expected,
            "{context}: space {space}: the case at position {} in creation order has number {n:?} \
             ({k} numbered of {}; numbers in creation order: {numbers:?})",
            i + 1,
            numbers.len()
        );
    }
    let counter: i64 = c
        .query_row("SELECT coalesce((SELECT last_number FROM case_counters WHERE space_id = ?1), 0)", [space_id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(counter, k as i64, "{context}: space {space}: counter {counter}, but {k} cases are numbered");
    (numbers.len(), k)
}

fn check_all(c: &mut Connection, context: &str) -> Vec<(usize, usize)> {
    // One snapshot for all spaces.
    let tx = c.transaction().unwrap();
    let out = SPACES.iter().map(|s| check_space(&tx, s, context)).collect();
    tx.commit().unwrap();
    out
}

#[test]
fn assign_processes_and_case_creators_share_the_file() {
    const CREATORS: usize = 3;
    const CREATES_EACH: usize = 14;
    const ASSIGNERS: usize = 3;
    let seed = seed();
    eprintln!("ids multi-process test: seed {seed} (replay with CASEBOOK_IDS_SEED={seed})");
    let mut rng = Rng(seed);
    let started = Instant::now();

    let cb = Arc::new(Cb::new());
    for s in &SPACES[1..] {
        cb.ok(&["space", "create", s]);
    }
    // Some cases exist before the first pass, so the passes have work from the start.
    for s in SPACES {
        let arr: Vec<_> = (0..5).map(|i| json!({ "title": format!("early {s} {i}") })).collect();
        cb.ok_stdin(&["--space", s, "case", "create", "--from-json", "-"], &json!(arr).to_string());
    }
    let early = 5 * SPACES.len() as u64;

    let creating = Arc::new(AtomicBool::new(true));
    let assigned = Arc::new(AtomicU64::new(0));
    let passes = Arc::new(AtomicU64::new(0));

    // The creators: each run of the binary creates one case from flags or 1–25 from a JSON
    // array, in a space picked at random.
    let creators: Vec<_> = (0..CREATORS)
        .map(|w| {
            let cb = cb.clone();
            let mut rng = Rng(rng.next());
            thread::spawn(move || {
                let mut created = [0u64; SPACES.len()];
                for i in 0..CREATES_EACH {
                    let s = rng.below(SPACES.len() as u64) as usize;
                    let space = SPACES[s];
                    if rng.below(3) == 0 {
                        let title = format!("w{w} c{i} single");
                        cb.ok(&["--space", space, "case", "create", "--title", &title]);
                        created[s] += 1;
                    } else {
                        let n = 1 + rng.below(25) as usize;
                        let arr: Vec<_> = (0..n).map(|j| json!({ "title": format!("w{w} c{i} bulk {j}") })).collect();
                        let out = cb.ok_stdin(
                            &["--space", space, "case", "create", "--from-json", "-"],
                            &json!(arr).to_string(),
                        );
                        assert_eq!(out.as_array().map(Vec::len), Some(n), "creator {w}: {out}");
                        created[s] += n as u64;
                    }
                }
                created
            })
        })
        .collect();

    // The numbering passes: back to back until the creators are done.
    let assigners: Vec<_> = (0..ASSIGNERS)
        .map(|a| {
            let (cb, creating, assigned, passes) = (cb.clone(), creating.clone(), assigned.clone(), passes.clone());
            thread::spawn(move || {
                loop {
                    let still_creating = creating.load(Ordering::SeqCst);
                    let out = cb.ok(&["ids", "assign"]);
                    let n = out["assigned"].as_u64().unwrap_or_else(|| panic!("assigner {a}: no count in {out}"));
                    assigned.fetch_add(n, Ordering::SeqCst);
                    passes.fetch_add(1, Ordering::SeqCst);
                    if !still_creating {
                        break;
                    }
                }
            })
        })
        .collect();

    // The observer: snapshots of the file while everyone writes.
    let observer = {
        let (db, creating) = (cb.db.clone(), creating.clone());
        thread::spawn(move || {
            let mut c = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
            c.busy_timeout(Duration::from_secs(60)).unwrap();
            let mut looks = 0u64;
            let mut partial = 0u64;
            while creating.load(Ordering::SeqCst) {
                let spaces = check_all(&mut c, &format!("snapshot {looks}"));
                if spaces.iter().any(|&(n, k)| k > 0 && k < n) {
                    partial += 1;
                }
                looks += 1;
                thread::sleep(Duration::from_millis(15));
            }
            (looks, partial)
        })
    };

    let mut per_space = [0u64; SPACES.len()];
    for h in creators {
        let created = h.join().unwrap();
        for (t, c) in per_space.iter_mut().zip(created) {
            *t += c;
        }
    }
    creating.store(false, Ordering::SeqCst);
    for h in assigners {
        h.join().unwrap();
    }
    let (looks, partial) = observer.join().unwrap();
    for t in &mut per_space {
        *t += early / SPACES.len() as u64;
    }
    let total: u64 = per_space.iter().sum();
    assert!(total > early);

    // One more pass numbers whatever the last creates left; a pass after it has nothing to do.
    let last = cb.ok(&["ids", "assign"])["assigned"].as_u64().unwrap();
    let during = assigned.load(Ordering::SeqCst);
    assert_eq!(
        during + last,
        total,
        "the passes numbered {during} + {last} cases, but {total} were created: a case was numbered twice or never"
    );
    assert_eq!(cb.ok(&["ids", "assign"]), json!({ "assigned": 0 }));

    let mut c = Connection::open(&cb.db).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let spaces = check_all(&mut c, "after the final pass");
    for ((space, &(n, k)), &created) in SPACES.iter().zip(&spaces).zip(&per_space) {
        assert_eq!(n as u64, created, "space {space}: {n} cases in the file, {created} created");
        assert_eq!(k, n, "space {space}: {k} of {n} cases numbered after the final pass");
        // Unique: the schema's own index agrees with the check above.
        let distinct: i64 = c
            .query_row(
                "SELECT count(DISTINCT number) FROM case_numbers WHERE space_id = (SELECT id FROM spaces WHERE name = ?1)",
                [space],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(distinct as usize, n, "space {space}: duplicate numbers");
    }
    // The CLI resolves the numbers: #1 of each space is its oldest case.
    for space in SPACES {
        let first = cb.ok(&["--space", space, "case", "get", "#1"]);
        assert_eq!(first["incremental_id"], 1, "space {space}: {first}");
    }
    eprintln!(
        "ids multi-process test: {total} cases ({per_space:?}) by {} create runs, {} passes, {looks} snapshots \
         ({partial} with a partly numbered space) in {:?}",
        CREATORS * CREATES_EACH,
        passes.load(Ordering::SeqCst) + 2,
        started.elapsed()
    );
}
