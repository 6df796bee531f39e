//! The read connections: a small pool, so a read never waits for the writer (WAL lets each
//! read transaction see the last commit while a write is under way) nor for another read.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;

use crate::Result;

/// Idle read connections kept open; more are opened when more reads run at once (the window's
/// list, its counts and a case page together), and closed again when they finish.
const MAX_IDLE: usize = 4;

pub(crate) struct ReaderPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReaderPool {
    /// `first`: a read connection already open (the one `open_read_only` checked the file with).
    pub(crate) fn new(path: &Path, first: Option<Connection>) -> Self {
        ReaderPool { path: path.to_path_buf(), idle: Mutex::new(first.into_iter().collect()) }
    }

    /// An idle read connection, or a new one.
    pub(crate) fn get(&self) -> Result<Reader<'_>> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => super::reader_connection(&self.path)?,
        };
        Ok(Reader { conn: Some(conn), pool: self })
    }
}

/// A read connection on loan; it goes back to the pool when dropped.
pub(crate) struct Reader<'a> {
    conn: Option<Connection>,
    pool: &'a ReaderPool,
}

impl Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("a reader on loan has its connection")
    }
}

impl DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn.as_mut().expect("a reader on loan has its connection")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // A connection left inside a transaction (a panic mid-read) is not reused.
        if !conn.is_autocommit() {
            return;
        }
        let mut idle = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }
}
