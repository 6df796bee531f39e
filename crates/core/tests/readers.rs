#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! One writer and many readers, in one process: what the desktop window does while an alert
//! import or another long write runs. Reads answer from the last commit without waiting; other
//! saves go through while an import reads its file; the import attaches everything at the end
//! or, cancelled, nothing.

use std::io::Read;
use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use casebook_core::alerts::AlertFileFormat;
use casebook_core::model::*;
use serde_json::json;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::fixture;

/// Long enough for any of these calls on an idle machine, far shorter than "it waited for the
/// other job": the jobs below only end when the test lets them.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

fn alerts(from: usize, to: usize) -> String {
    (from..to)
        .map(|i| {
            json!({"kibana.alert.uuid": format!("a-{i}"), "kibana.alert.rule.name": "R", "kibana.alert.rule.uuid": "r",
                   "@timestamp": "2026-03-01T10:00:00Z", "host": {"name": format!("h{}", i % 7)}})
            .to_string()
                + "\n"
        })
        .collect()
}

/// A file whose first part arrives at once and whose rest only when `gate` says so: an import
/// that is still running for as long as the test wants.
struct GatedFile {
    first: std::io::Cursor<Vec<u8>>,
    rest: std::io::Cursor<Vec<u8>>,
    gate: Option<Receiver<()>>,
}

impl Read for GatedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.first.read(buf)?;
        if n > 0 {
            return Ok(n);
        }
        if let Some(gate) = self.gate.take() {
            let _ = gate.recv();
        }
        self.rest.read(buf)
    }
}

/// Runs `f` on another thread and insists on its answer within [`ANSWER_WITHIN`].
fn answers<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(ANSWER_WITHIN).unwrap_or_else(|_| panic!("{what} waited for the running job"))
}

#[test]
fn the_list_and_other_saves_answer_while_an_import_runs() {
    let f = fixture();
    let book = f.book.clone();
    let target =
        book.create_case("default", &CaseCreate { title: "phishing wave".into(), ..Default::default() }).unwrap();
    let other = book.create_case("default", &CaseCreate { title: "other case".into(), ..Default::default() }).unwrap();

    let (open_gate, gate) = channel();
    let (started, import_started) = channel();
    let file = GatedFile {
        first: std::io::Cursor::new(alerts(0, 5_000).into_bytes()),
        rest: std::io::Cursor::new(alerts(5_000, 6_000).into_bytes()),
        gate: Some(gate),
    };
    let importer = book.clone();
    let case_id = target.id.clone();
    let import = std::thread::spawn(move || {
        let mut told = false;
        importer
            .import_alerts(&case_id, file, AlertFileFormat::Ndjson, 0, &mut |p| {
                if p.alerts_read >= 5_000 && !told {
                    told = true;
                    let _ = started.send(());
                }
                ControlFlow::Continue(())
            })
            .unwrap()
    });
    import_started.recv_timeout(ANSWER_WITHIN).expect("the import read the first part of its file");

    // The window's calls while the import runs.
    let b = book.clone();
    let page = answers("find_cases", move || b.find_cases(&FindQuery::default()).unwrap());
    assert_eq!(page.total, 2);
    let (b, id) = (book.clone(), target.id.clone());
    let listed = answers("list_alerts", move || b.list_alerts(&id, &AlertListQuery::default()).unwrap());
    assert_eq!(listed.total, 0, "nothing is half-attached while the import runs");
    let (b, id) = (book.clone(), other.id.clone());
    let comment = answers("add_comment", move || b.add_comment(&id, "seen from the other desk").unwrap());
    assert_eq!(comment.comment, "seen from the other desk");

    open_gate.send(()).unwrap();
    let report = import.join().unwrap();
    assert_eq!((report.attached, report.cancelled), (6_000, false));
    assert_eq!(book.list_alerts(&target.id, &AlertListQuery::default()).unwrap().total, 6_000);
    assert_eq!(book.list_comments(&other.id, SortOrder::Asc, 1, 20).unwrap().1, 1, "the save made meanwhile is kept");
}

#[test]
fn a_read_never_waits_for_the_writer() {
    let f = fixture();
    let book = f.book.clone();
    book.create_case("default", &CaseCreate { title: "before the long write".into(), ..Default::default() }).unwrap();
    // A long write in progress: the writer connection taken, a transaction open with an
    // uncommitted case in it.
    let (release, released) = channel::<()>();
    let (holding, held) = channel();
    let writer = book.clone();
    let long_write = std::thread::spawn(move || {
        writer.with_connection(|c| {
            c.execute_batch("BEGIN IMMEDIATE; UPDATE cases SET title = 'uncommitted'").unwrap();
            holding.send(()).unwrap();
            released.recv().unwrap();
            c.execute_batch("ROLLBACK").unwrap();
        })
    });
    held.recv().unwrap();
    let b = book.clone();
    let page = answers("find_cases", move || b.find_cases(&FindQuery::default()).unwrap());
    assert_eq!(page.cases[0].title, "before the long write", "a read sees the last commit");
    let b = book.clone();
    let stats = answers("case_stats", move || b.case_stats(&FindQuery::default()).unwrap());
    assert_eq!(stats.count_open_cases, 1);
    release.send(()).unwrap();
    long_write.join().unwrap();
}
