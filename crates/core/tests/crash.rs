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
#![cfg(unix)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use casebook_core::{CaseCreate, CasePatch, Casebook, FindQuery, Status};

/// The database the child writes to; without it `crash_child_writer` does nothing.
const ENV_DB: &str = "CASEBOOK_CRASH_CHILD_DB";
/// A short alphanumeric name of the child, part of every token it writes.
const ENV_TAG: &str = "CASEBOOK_CRASH_CHILD_TAG";
const ENV_SEED: &str = "CASEBOOK_CRASH_CHILD_SEED";
/// Stop (and exit normally) after this many milliseconds; without it the child writes until
/// it is killed (or `CHILD_MAX_RUN` passes, so a stray child cannot run forever).
const ENV_RUN_MS: &str = "CASEBOOK_CRASH_CHILD_RUN_MS";
const CHILD_MAX_RUN: Duration = Duration::from_secs(120);
/// Pause up to this many milliseconds between loop iterations (default: none).
const ENV_PAUSE_MS: &str = "CASEBOOK_CRASH_CHILD_PAUSE_MS";

/// Every report line is `MARK <report> END`; other stdout lines (the test harness's) are ignored.
const MARK: &str = "@@casebook-crash@@";
const SPACE: &str = "default";

const SIGKILL: i32 = 9;

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG (splitmix64), so a failing run can be replayed from its seed.

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

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn seed_from_env_or_clock() -> u64 {
    env_u64("CASEBOOK_CRASH_SEED").unwrap_or_else(|| {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
        nanos ^ (u64::from(std::process::id()) << 32)
    })
}

// ---------------------------------------------------------------------------------------------
// The child.

/// Not a test: the body of the child writer process. Does nothing unless `ENV_DB` is set.
#[test]
#[ignore = "the crash tests run this as their child process"]
fn crash_child_writer() {
    let Some(db) = std::env::var_os(ENV_DB) else { return };
    let tag = std::env::var(ENV_TAG).unwrap_or_else(|_| "x".into());
    assert!(tag.chars().all(|c| c.is_ascii_alphanumeric()), "{ENV_TAG} must be alphanumeric");
    let mut rng = Rng(env_u64(ENV_SEED).unwrap_or(1));
    let run_for = env_u64(ENV_RUN_MS).map(Duration::from_millis).unwrap_or(CHILD_MAX_RUN);
    let pause_ms = env_u64(ENV_PAUSE_MS).unwrap_or(0);

    let say = |report: String| {
        // One write per line (well under PIPE_BUF), flushed before the next save starts.
        let mut out = std::io::stdout().lock();
        out.write_all(format!("{MARK} {report} END\n").as_bytes()).expect("child: write stdout");
        out.flush().expect("child: flush stdout");
    };

    let book = Casebook::open(&db).unwrap_or_else(|e| panic!("child {tag}: open failed: {e} ({})", e.code()));
    say(format!("ready {}", std::process::id()));

    let start = Instant::now();
    let mut max_op = Duration::ZERO;
    let mut timed = |what: &str, t0: Instant| {
        let took = t0.elapsed();
        if took > max_op {
            max_op = took;
        }
        if took > Duration::from_secs(5) {
            eprintln!("child {tag}: {what} took {took:?}");
        }
    };
    // The cases this process created and reported: (id, version, status).
    let mut mine: Vec<(String, String, Status)> = Vec::new();
    let mut n: u64 = 0;
    while start.elapsed() < run_for {
        n += 1;
        let token = format!("zq{tag}n{n}");
        let t0 = Instant::now();
        let case = book
            .create_case(
                SPACE,
                &CaseCreate {
                    title: format!("Crash case {token}"),
                    description: format!("Written by child {tag}, save {n}."),
                    tags: vec![format!("writer-{tag}")],
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("child {tag}: create_case failed: {e} ({})", e.code()));
        timed("create_case", t0);
        say(format!("case {} {token} {}", case.id, case.version));
        mine.push((case.id, case.version, case.status));

        if rng.below(3) == 0 {
            let i = rng.below(mine.len() as u64) as usize;
            let ctoken = format!("zc{tag}n{n}");
            let t0 = Instant::now();
            let comment = book
                .add_comment(&mine[i].0, &format!("Note {ctoken} from child {tag}."))
                .unwrap_or_else(|e| panic!("child {tag}: add_comment failed: {e} ({})", e.code()));
            timed("add_comment", t0);
            say(format!("comment {} {} {ctoken}", mine[i].0, comment.id));
        }
        if rng.below(4) == 0 {
            let i = rng.below(mine.len() as u64) as usize;
            let (id, version, status) = mine[i].clone();
            let next = match status {
                Status::Open => Status::InProgress,
                Status::InProgress => Status::Closed,
                Status::Closed => Status::Open,
            };
            let t0 = Instant::now();
            let case = book
                .update_case(&CasePatch { id: id.clone(), version, status: Some(next), ..Default::default() })
                .unwrap_or_else(|e| panic!("child {tag}: update_case failed: {e} ({})", e.code()));
            timed("update_case", t0);
            assert_eq!(case.status, next, "child {tag}: update_case returned another status");
            say(format!("status {id} {} {}", case.status.as_str(), case.version));
            mine[i] = (id, case.version, case.status);
        }
        if pause_ms > 0 {
            thread::sleep(Duration::from_millis(rng.below(pause_ms + 1)));
        }
    }
    say(format!("done {n} {}", max_op.as_millis()));
}

// ---------------------------------------------------------------------------------------------
// What the child reports, and the parent's side of the pipe.

#[derive(Debug, Clone)]
enum Report {
    Ready,
    Case { id: String, token: String, version: i64 },
    Comment { case: String, id: String, token: String },
    Status { case: String, status: Status, version: i64 },
    Done { saves: u64, max_op_ms: u64 },
}

/// Parses one complete stdout line; `None` for lines that are not reports.
fn parse_report(line: &str) -> Option<Report> {
    let at = line.find(MARK)?;
    let body = line[at + MARK.len()..].trim_end_matches(['\n', '\r']);
    let body = body.strip_suffix(" END").unwrap_or_else(|| panic!("report line without its end: {line:?}"));
    let words: Vec<&str> = body.split_whitespace().collect();
    let num = |s: &str| s.parse::<i64>().unwrap_or_else(|_| panic!("bad number in report {line:?}"));
    let report = match words.as_slice() {
        ["ready", _pid] => Report::Ready,
        ["case", id, token, version] => {
            Report::Case { id: id.to_string(), token: token.to_string(), version: num(version) }
        }
        ["comment", case, id, token] => {
            Report::Comment { case: case.to_string(), id: id.to_string(), token: token.to_string() }
        }
        ["status", case, status, version] => Report::Status {
            case: case.to_string(),
            status: status.parse().unwrap_or_else(|_| panic!("bad status in report {line:?}")),
            version: num(version),
        },
        ["done", saves, max_op_ms] => Report::Done { saves: num(saves) as u64, max_op_ms: num(max_op_ms) as u64 },
        _ => panic!("unknown report line {line:?}"),
    };
    Some(report)
}

/// A running child writer.
struct Writer {
    tag: String,
    child: Child,
    reports: Receiver<Report>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<String>>,
}

/// How a child ended, and everything it reported.
struct Finished {
    tag: String,
    status: ExitStatus,
    reports: Vec<Report>,
    stderr: String,
}

impl Finished {
    fn killed(&self) -> bool {
        self.status.signal() == Some(SIGKILL)
    }

    fn describe(&self) -> String {
        format!("child {} ended with {:?}; its stderr:\n{}", self.tag, self.status, self.stderr)
    }
}

fn spawn_writer(db: &Path, tag: &str, seed: u64, run_ms: Option<u64>, pause_ms: u64) -> Writer {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", "crash_child_writer", "--ignored", "--nocapture", "--test-threads=1"])
        .env(ENV_DB, db)
        .env(ENV_TAG, tag)
        .env(ENV_SEED, seed.to_string())
        .env_remove(ENV_RUN_MS)
        .env(ENV_PAUSE_MS, pause_ms.to_string())
        .env_remove("CASEBOOK_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(ms) = run_ms {
        cmd.env(ENV_RUN_MS, ms.to_string());
    }
    let mut child = cmd.spawn().expect("spawn the child writer");
    let stdout = child.stdout.take().expect("child stdout");
    let stderr = child.stderr.take().expect("child stderr");
    let (tx, reports) = mpsc::channel();
    let stdout_reader = thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                // A line without its newline is one the child was killed while writing: its
                // save was never reported, so it does not count.
                Ok(_) if buf.last() != Some(&b'\n') => break,
                Ok(_) => {
                    if let Some(report) = parse_report(&String::from_utf8_lossy(&buf))
                        && tx.send(report).is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    let stderr_reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut s);
        s
    });
    Writer {
        tag: tag.to_string(),
        child,
        reports,
        stdout_reader: Some(stdout_reader),
        stderr_reader: Some(stderr_reader),
    }
}

impl Writer {
    /// Waits for the child's `ready` report (it has opened the database). Reports received
    /// meanwhile are kept in `early`.
    fn wait_ready(&mut self, early: &mut Vec<Report>, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.reports.recv_timeout(left) {
                Ok(Report::Ready) => {
                    early.push(Report::Ready);
                    return true;
                }
                Ok(r) => early.push(r),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        }
    }

    /// SIGKILLs the child (if still running) and collects what it reported.
    fn kill(mut self, mut early: Vec<Report>) -> Finished {
        // On Unix, Child::kill sends SIGKILL.
        let _ = self.child.kill();
        self.finish(&mut early)
    }

    /// Waits for the child to exit by itself (killing it after `timeout`).
    fn wait(mut self, timeout: Duration) -> Finished {
        let deadline = Instant::now() + timeout;
        while self.child.try_wait().expect("try_wait").is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        self.finish(&mut Vec::new())
    }

    fn finish(&mut self, early: &mut Vec<Report>) -> Finished {
        let status = self.child.wait().expect("wait for the child");
        if let Some(h) = self.stdout_reader.take() {
            h.join().expect("stdout reader");
        }
        let stderr = self.stderr_reader.take().map(|h| h.join().expect("stderr reader")).unwrap_or_default();
        let mut reports = std::mem::take(early);
        reports.extend(self.reports.try_iter());
        Finished { tag: self.tag.clone(), status, reports, stderr }
    }
}

impl Drop for Writer {
    /// A failing assertion must not leave a child writing forever.
    fn drop(&mut self) {
        if self.stdout_reader.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the parent knows was saved, and the checks against the file.

#[derive(Debug)]
struct CaseFacts {
    token: String,
    writer: String,
    /// The version and status of the last reported save.
    version: i64,
    status: Status,
    comments: i64,
}

#[derive(Debug)]
struct CommentFacts {
    case: String,
    id: String,
    token: String,
}

#[derive(Default)]
struct Model {
    cases: HashMap<String, CaseFacts>,
    /// Case ids in report order.
    order: Vec<String>,
    comments: Vec<CommentFacts>,
    status_changes: usize,
    /// Every token written (case titles and comment bodies) and the case it belongs to.
    token_case: HashMap<String, String>,
}

impl Model {
    /// Applies a child's reports; returns the number of saves in them.
    fn apply(&mut self, writer: &str, reports: &[Report]) -> usize {
        let mut saves = 0;
        for r in reports {
            match r {
                Report::Ready | Report::Done { .. } => continue,
                Report::Case { id, token, version } => {
                    let facts = CaseFacts {
                        token: token.clone(),
                        writer: writer.to_string(),
                        version: *version,
                        status: Status::Open,
                        comments: 0,
                    };
                    assert!(self.cases.insert(id.clone(), facts).is_none(), "case {id} reported twice");
                    self.order.push(id.clone());
                    self.token_case.insert(token.clone(), id.clone());
                }
                Report::Comment { case, id, token } => {
                    self.cases.get_mut(case).unwrap_or_else(|| panic!("comment on unreported case {case}")).comments +=
                        1;
                    self.comments.push(CommentFacts { case: case.clone(), id: id.clone(), token: token.clone() });
                    self.token_case.insert(token.clone(), case.clone());
                }
                Report::Status { case, status, version } => {
                    let facts = self.cases.get_mut(case).unwrap_or_else(|| panic!("status of unreported case {case}"));
                    assert!(
                        *version > facts.version,
                        "case {case}: reported version went from {} to {version}",
                        facts.version
                    );
                    facts.version = *version;
                    facts.status = *status;
                    self.status_changes += 1;
                }
            }
            saves += 1;
        }
        saves
    }
}

fn query_i64(book: &Casebook, sql: &str) -> i64 {
    book.with_connection(|c| c.query_row(sql, [], |r| r.get::<_, i64>(0))).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The cases whose search document holds `token`, straight from the FTS5 index.
fn fts_hits(book: &Casebook, token: &str) -> Vec<String> {
    book.with_connection(|c| {
        // Two steps: joined to `cases`, the planner may run the MATCH once per case row.
        let rowids = c
            .prepare_cached("SELECT rowid & 4294967295 FROM cases_fts WHERE cases_fts MATCH ?1")?
            .query_map([format!("\"{token}\"")], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut uuid = c.prepare_cached("SELECT uuid FROM cases WHERE id = ?1")?;
        rowids
            .into_iter()
            .map(|id| uuid.query_row([id], |r| r.get::<_, String>(0)))
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .unwrap_or_else(|e| panic!("FTS5 lookup of {token:?}: {e}"))
}

/// The cases `find_cases` returns for a search for `token`.
fn find_by_token(book: &Casebook, token: &str) -> Vec<String> {
    let q = FindQuery { space: SPACE.into(), search: Some(token.to_string()), per_page: 10, ..Default::default() };
    let found = book.find_cases(&q).unwrap_or_else(|e| panic!("search {token:?}: {e}"));
    assert_eq!(found.total, found.cases.len() as i64, "search {token:?}: total and page disagree");
    found.cases.into_iter().map(|c| c.id).collect()
}

/// Structural checks that need no model: SQLite's own, the search index's, and the
/// invariants every write keeps in one transaction.
fn integrity_check(c: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare("PRAGMA integrity_check")?;
    stmt.query_map([], |r| r.get::<_, String>(0))?.collect()
}

fn check_structure(book: &Casebook, context: &str) {
    // SQLite 3.51's FTS5 integrity check (run by PRAGMA integrity_check) reads the index
    // structure a connection cached at its last FTS5 use without checking whether another
    // process has written since, and then reports merged-away segments as "corruption found
    // reading blob …". Any ordinary FTS5 statement refreshes that cache, so run one first.
    query_i64(book, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH 'refresh'");
    let integrity =
        book.with_connection(|c| integrity_check(c)).unwrap_or_else(|e| panic!("{context}: integrity_check: {e}"));
    if integrity != ["ok"] {
        // Tell a damaged file from a connection that misreads a sound one.
        let fresh = rusqlite::Connection::open(book.path()).and_then(|c| integrity_check(&c));
        panic!(
            "{context}: PRAGMA integrity_check on the checking connection: {integrity:?}; on a fresh connection: {fresh:?}"
        );
    }

    let fk_problems: i64 = book
        .with_connection(|c| {
            let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
            let n = stmt.query_map([], |_| Ok(()))?.count();
            Ok::<_, rusqlite::Error>(n as i64)
        })
        .unwrap_or_else(|e| panic!("{context}: foreign_key_check: {e}"));
    assert_eq!(fk_problems, 0, "{context}: PRAGMA foreign_key_check found rows");

    book.with_connection(|c| c.execute("INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 0)", []))
        .unwrap_or_else(|e| panic!("{context}: FTS5 integrity-check failed: {e}"));

    // One search document per case, under the rowid (space id << 32) | case id. (A rowid
    // lookup in a contentless FTS5 table scans the whole index, so compare the two sets.)
    let rowids = |sql: &str| -> Vec<i64> {
        let mut ids = book
            .with_connection(|c| {
                let mut stmt = c.prepare(sql)?;
                stmt.query_map([], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_else(|e| panic!("{context}: {sql}: {e}"));
        ids.sort_unstable();
        ids
    };
    let expected_docs = rowids("SELECT (space_id << 32) | id FROM cases");
    let docs = rowids("SELECT rowid FROM cases_fts");
    assert_eq!(docs.len(), expected_docs.len(), "{context}: one search document per case");
    assert!(docs == expected_docs, "{context}: search documents and cases disagree");

    let bad_counts = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE c.total_comment <> (SELECT count(*) FROM comments m WHERE m.case_id = c.id)",
    );
    assert_eq!(bad_counts, 0, "{context}: cases whose total_comment disagrees with their comments");
    let unlogged_cases = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE NOT EXISTS
            (SELECT 1 FROM user_actions a WHERE a.case_uuid = c.uuid AND a.type = 'create_case')",
    );
    assert_eq!(unlogged_cases, 0, "{context}: cases without their create_case activity");
    let unlogged_comments = query_i64(
        book,
        "SELECT count(*) FROM comments m WHERE NOT EXISTS (SELECT 1 FROM user_actions a WHERE a.comment_uuid = m.uuid)",
    );
    assert_eq!(unlogged_comments, 0, "{context}: comments without their activity");
    let unlogged_updates = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE c.version - 1 <>
            (SELECT count(*) FROM user_actions a WHERE a.case_uuid = c.uuid AND a.type = 'status')",
    );
    assert_eq!(unlogged_updates, 0, "{context}: status changes and their activity disagree");
}

/// Every reported save is in the file. `exact`: the writers ended normally, so the file must
/// hold exactly what they reported; otherwise each killed writer may have committed one save
/// it did not live to report (at most `max_unreported` in all).
/// `indexed`: tokens to look up in the search index; `searched`: the (few) tokens to search
/// for through `find_cases`, which costs a scan of the space per search.
fn check_model(
    book: &Casebook,
    model: &Model,
    indexed: &[&str],
    searched: &[&str],
    exact: bool,
    max_unreported: i64,
    context: &str,
) {
    for id in &model.order {
        let facts = &model.cases[id];
        let case = book.get_case(id).unwrap_or_else(|e| {
            panic!("{context}: case {id} ({}, by {}) was reported saved but is gone: {e}", facts.token, facts.writer)
        });
        assert!(
            case.title.contains(&facts.token),
            "{context}: case {id} has title {:?}, expected {}",
            case.title,
            facts.token
        );
        let version: i64 = case.version.parse().expect("numeric version");
        assert!(
            version >= facts.version,
            "{context}: case {id} ({}) is at version {version}, but version {} was reported saved",
            facts.token,
            facts.version
        );
        if version == facts.version {
            assert_eq!(case.status, facts.status, "{context}: case {id} ({}) lost its reported status", facts.token);
        }
        assert!(
            case.total_comment >= facts.comments,
            "{context}: case {id} ({}) has {} comments, {} were reported saved",
            facts.token,
            case.total_comment,
            facts.comments
        );
    }
    for c in &model.comments {
        let comment = book.get_comment(&c.case, &c.id).unwrap_or_else(|e| {
            panic!("{context}: comment {} ({}) on case {} was reported saved but is gone: {e}", c.id, c.token, c.case)
        });
        assert!(comment.comment.contains(&c.token), "{context}: comment {} has body {:?}", c.id, comment.comment);
    }
    // The search index finds what was saved, and only in the case it belongs to.
    for token in indexed {
        let expected = vec![model.token_case[*token].clone()];
        assert_eq!(fts_hits(book, token), expected, "{context}: the search index for {token:?}");
    }
    for token in searched {
        let expected = vec![model.token_case[*token].clone()];
        assert_eq!(find_by_token(book, token), expected, "{context}: find_cases searching {token:?}");
    }

    let db_cases = query_i64(book, "SELECT count(*) FROM cases");
    assert!(
        db_cases >= model.cases.len() as i64,
        "{context}: {db_cases} cases in the file, {} reported saved",
        model.cases.len()
    );
    // Every save is a new case, a version bump or a comment: count them on both sides.
    let saved =
        query_i64(book, "SELECT count(*) + coalesce(sum(version - 1), 0) + coalesce(sum(total_comment), 0) FROM cases");
    let reported: i64 = model.cases.values().map(|f| 1 + (f.version - 1) + f.comments).sum();
    let unreported = saved - reported;
    if exact {
        assert_eq!(unreported, 0, "{context}: the file holds saves nobody reported");
    } else {
        assert!(
            unreported <= max_unreported,
            "{context}: {unreported} saves in the file were never reported, but at most {max_unreported} writers were killed"
        );
    }
}

fn open_checked(db: &Path, context: &str) -> Casebook {
    Casebook::open(db).unwrap_or_else(|e| panic!("{context}: reopening after the kill failed: {e} ({})", e.code()))
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
