//! A fresh database whose clock the test moves by hand (`cases.rs`, `ids.rs`; each adds its
//! own helpers in an `impl Fixture`).
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use casebook_core::Casebook;
use chrono::{DateTime, Utc};

#[allow(dead_code)] // each test file uses its own part
pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub book: Casebook,
    pub path: std::path::PathBuf,
    pub now: Arc<Mutex<DateTime<Utc>>>,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casebook.db");
    let mut book = Casebook::open(&path).unwrap();
    let now = Arc::new(Mutex::new(DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z").unwrap().with_timezone(&Utc)));
    let n = now.clone();
    book.set_clock(Arc::new(move || *n.lock().unwrap()));
    Fixture { _dir: dir, book, path, now }
}
