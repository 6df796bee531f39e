//! The SQLite file: where it lives, how a connection is set up, and the checks that keep
//! Casebook from touching a file that is not its own.

mod migrations;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use migrations::{MIGRATIONS, SCHEMA_VERSION};

use crate::{Error, Result};

/// Written into the SQLite header (`PRAGMA application_id`): the bytes "CSBK".
pub const APPLICATION_ID: i32 = i32::from_be_bytes(*b"CSBK");

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// `<data dir>/Casebook/casebook.db`, overridden by `CASEBOOK_DB`.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("CASEBOOK_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("Casebook").join("casebook.db")
}

/// Creates the folder of the default database the first time it is used.
pub fn create_default_dir(path: &Path) -> Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir)
            .map_err(|e| Error::Storage(format!("cannot create folder {}: {e}", dir.display()))),
        None => Ok(()),
    }
}

/// What the first bytes of an existing file say about it.
enum FileKind {
    /// Missing or empty: a new database will be created.
    New,
    Casebook,
}

fn inspect(path: &Path) -> Result<FileKind> {
    let shown = path.display().to_string();
    let not_ours = |reason: &str| Error::NotCasebookDatabase { path: shown.clone(), reason: reason.to_string() };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(Error::Storage(format!("cannot open {shown}: {e}"))),
    };
    if file.metadata().map_err(|e| Error::Storage(e.to_string()))?.is_dir() {
        return Err(not_ours("it is a directory"));
    }
    let mut header = Vec::with_capacity(100);
    file.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(|e| Error::Storage(format!("cannot read {shown}: {e}")))?;
    if header.is_empty() {
        return Ok(FileKind::New);
    }
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return Err(not_ours("it is not an SQLite database"));
    }
    let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if app_id != APPLICATION_ID {
        return Err(not_ours("it is an SQLite database of another application"));
    }
    Ok(FileKind::Casebook)
}

/// Opens (creating the file if needed, not its folder) and migrates the database at `path`.
pub fn open(path: &Path) -> Result<Connection> {
    // Setting up a new file takes locks that SQLite refuses at once, without waiting, when
    // another process is setting up the same file (switching to WAL, the first migration).
    // Those refusals are retried for as long as a normal write would wait.
    let started = std::time::Instant::now();
    let mut attempt = 0u32;
    loop {
        match open_once(path) {
            Err(Error::Busy) if started.elapsed() < BUSY_TIMEOUT => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(5 * u64::from(attempt.min(20))));
            }
            other => return other,
        }
    }
}

/// A rollback journal left beside the file: a process died while writing it (the first
/// write of a new database happens before WAL mode is on).
fn hot_journal(path: &Path) -> bool {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    std::fs::metadata(journal).is_ok_and(|m| m.len() > 0)
}

fn open_once(path: &Path) -> Result<Connection> {
    let kind = match inspect(path) {
        // A Casebook killed while creating the file leaves a half-written header and the
        // journal that undoes it: let SQLite roll it back (as any SQLite client would), then
        // look again. The header is read raw first, so SQLite never touches a file before
        // we know it, except to finish its own interrupted write.
        Err(Error::NotCasebookDatabase { .. }) if hot_journal(path) => {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| with_path(e.into(), path))?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
                .map_err(|e| with_path(e.into(), path))?;
            drop(conn);
            inspect(path)?
        }
        other => other?,
    };
    if let FileKind::New = kind
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        // A mistyped path should not quietly become a new, empty database.
        return Err(Error::Storage(format!("the folder {} does not exist", dir.display())));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| with_path(e.into(), path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;

    match kind {
        FileKind::New => {
            // The application id goes into the main file before WAL mode is on, so the header
            // names Casebook on disk even if the process dies before its first checkpoint.
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        FileKind::Casebook => {
            // Touch nothing before we know we understand this schema.
            let found: i64 =
                conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| with_path(e.into(), path))?;
            if found > SCHEMA_VERSION {
                return Err(Error::DatabaseTooNew { path: path.display().to_string(), found, known: SCHEMA_VERSION });
            }
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
                .map_err(|e| with_path(e.into(), path))?;
        }
    }
    configure(&conn).map_err(|e| with_path(e, path))?;
    migrations::migrate(&conn).map_err(|e| with_path(e, path))?;
    // Keeps the planner's statistics fresh (bounded work, usually none). Best effort: a busy
    // file only delays it to the next open.
    if let Err(e) = conn.execute_batch("PRAGMA optimize = 0x10002") {
        tracing::debug!(error = %e, "PRAGMA optimize skipped");
    }
    Ok(conn)
}

/// Per-connection settings. FULL sync makes every committed save survive an OS crash, at the
/// cost of one fsync per write transaction.
fn configure(conn: &Connection) -> Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Storage(format!("could not switch the database to WAL mode (got {mode})")));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;",
    )?;
    Ok(())
}

/// Adds the file name to errors that need it.
fn with_path(e: Error, path: &Path) -> Error {
    match e {
        Error::CorruptDatabase { detail, .. } => Error::CorruptDatabase { path: path.display().to_string(), detail },
        other => other,
    }
}

#[cfg(test)]
mod tests;
