//! The child writer processes: what a child does and reports on stdout, and the parent's side
//! of the pipe (spawning, reading reports, killing).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use casebook_core::{CaseCreate, CasePatch, Casebook, Status};

use super::{Rng, SPACE, env_u64};

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

const SIGKILL: i32 = 9;

// ---------------------------------------------------------------------------------------------
// The child.

/// The body of the child writer process (the ignored `crash_child_writer` test). Does nothing
/// unless `ENV_DB` is set.
pub fn child_writer() {
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
pub enum Report {
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
pub struct Writer {
    pub tag: String,
    pub child: Child,
    pub reports: Receiver<Report>,
    pub stdout_reader: Option<JoinHandle<()>>,
    pub stderr_reader: Option<JoinHandle<String>>,
}

/// How a child ended, and everything it reported.
pub struct Finished {
    pub tag: String,
    pub status: ExitStatus,
    pub reports: Vec<Report>,
    pub stderr: String,
}

impl Finished {
    pub fn killed(&self) -> bool {
        self.status.signal() == Some(SIGKILL)
    }

    pub fn describe(&self) -> String {
        format!("child {} ended with {:?}; its stderr:\n{}", self.tag, self.status, self.stderr)
    }
}

pub fn spawn_writer(db: &Path, tag: &str, seed: u64, run_ms: Option<u64>, pause_ms: u64) -> Writer {
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
    pub fn wait_ready(&mut self, early: &mut Vec<Report>, timeout: Duration) -> bool {
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
    pub fn kill(mut self, mut early: Vec<Report>) -> Finished {
        // On Unix, Child::kill sends SIGKILL.
        let _ = self.child.kill();
        self.finish(&mut early)
    }

    /// Waits for the child to exit by itself (killing it after `timeout`).
    pub fn wait(mut self, timeout: Duration) -> Finished {
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
