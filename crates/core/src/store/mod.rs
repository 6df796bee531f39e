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

/// Looks at the file without letting SQLite near it: only a regular file is ever opened (a
/// FIFO would block the open, a device would get a `-journal` beside it), and only when its
/// header names Casebook.
fn inspect(path: &Path) -> Result<FileKind> {
    let shown = path.display().to_string();
    let not_ours = |reason: &str| Error::NotCasebookDatabase { path: shown.clone(), reason: reason.to_string() };
    // `metadata` is stat(2): it never opens the file, so it cannot hang on a FIFO.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(Error::Storage(format!("cannot open {shown}: {e}"))),
    };
    if !meta.is_file() {
        return Err(not_ours(not_a_file(&meta.file_type())));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::Storage(format!("cannot open {shown}: {e}")))?;
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

/// Why something that exists at the path is not a file Casebook may open.
fn not_a_file(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "it is a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "it is a named pipe (FIFO), not a file";
        }
        if t.is_char_device() || t.is_block_device() {
            return "it is a device, not a file";
        }
        if t.is_socket() {
            return "it is a socket, not a file";
        }
    }
    "it is not a regular file"
}

/// Why this process may not write the existing file at `path`, if it may not. A file whose
/// write permission bits are all off counts as read-only even for root, who could write it
/// anyway: the owner marked it so, and Casebook respects that.
fn write_refusal(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => return Some("the file is read-only"),
        Ok(_) => {}
        Err(_) => return None,
    }
    // Opening for writing writes nothing (no create, no truncate); it asks the OS the same
    // question SQLite's own open would, but lets us say why.
    match std::fs::OpenOptions::new().write(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => Some("it is on a read-only file system"),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Some("you do not have permission to write it"),
        _ => None,
    }
}

/// Opens (creating the file if needed, not its folder) and migrates the database at `path`.
/// Nothing is written to an existing file before every check of [`check`] has passed.
pub fn open(path: &Path) -> Result<Connection> {
    // Setting up a new file takes locks that SQLite refuses at once, without waiting, when
    // another process is setting up the same file (switching to WAL, the first migration).
    // Those refusals are retried for as long as a normal write would wait. An up-to-date file
    // takes no lock here, so a write command's only wait is its own write (README: 10 s).
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

/// A rollback journal left beside the file by a process that died while *creating* it (the
/// first write of a new database happens before WAL mode is on). Only such a journal is let
/// near SQLite: its header says the file was empty before (initial size 0 pages), so rolling
/// it back can only undo a creation. A journal of another application's database is not ours
/// to replay.
fn interrupted_creation(path: &Path) -> bool {
    const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let journal = PathBuf::from(journal);
    if !std::fs::metadata(&journal).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut header = [0u8; 20];
    std::fs::File::open(&journal).and_then(|mut f| f.read_exact(&mut header)).is_ok()
        && header[..8] == MAGIC
        && header[16..20] == [0, 0, 0, 0]
}

fn open_once(path: &Path) -> Result<Connection> {
    let kind = match inspect(path) {
        // A Casebook killed while creating the file leaves a half-written header and the
        // journal that undoes it: let SQLite roll it back (as any SQLite client would), then
        // look again. The header is read raw first, so SQLite never touches a file before
        // we know it, except to finish its own interrupted write.
        Err(Error::NotCasebookDatabase { .. }) if interrupted_creation(path) => {
            if let Some(why) = write_refusal(path) {
                return Err(Error::Storage(format!("cannot write {}: {why}", path.display())));
            }
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
    if let Some(why) = write_refusal(path) {
        let mut upgrade = String::new();
        if let FileKind::Casebook = kind {
            // Checked first, so a damaged or too new file is reported as that.
            let found = check(&read_only_connection(path)?, path)?;
            if found < SCHEMA_VERSION {
                upgrade = format!(" (this Casebook must first upgrade its schema from {found} to {SCHEMA_VERSION})");
            }
        }
        return Err(Error::Storage(format!("cannot write {}: {why}{upgrade}", path.display())));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| cannot_create(e, path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;

    match kind {
        FileKind::New => {
            // The application id goes into the main file before WAL mode is on, so the header
            // names Casebook on disk even if the process dies before its first checkpoint.
            conn.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| cannot_create(e, path))?;
        }
        FileKind::Casebook => {
            // Every check comes before the first write (even switching to WAL is one).
            check(&conn, path)?;
        }
    }
    configure(&conn).map_err(|e| with_path(e, path))?;
    let migrated = migrations::migrate(&conn, path).map_err(|e| with_path(e, path))?;
    if migrated {
        // A new or upgraded schema has no statistics yet; later upkeep is `optimize` after
        // writes (see Casebook), never on open, so an open neither writes nor waits.
        optimize(&conn);
    }
    Ok(conn)
}

/// A new database could not be created at `path`: says why when the OS can tell.
fn cannot_create(e: rusqlite::Error, path: &Path) -> Error {
    if e.sqlite_error_code() != Some(rusqlite::ErrorCode::CannotOpen) {
        return with_path(e.into(), path);
    }
    let e = Error::from(e);
    // SQLite only says "unable to open database file"; creating the file ourselves gets the
    // OS's reason. Should that succeed after all, the empty file we made is removed again.
    let why = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
            "the folder is on a read-only file system".into()
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            "you do not have permission to write to its folder".into()
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
            e.to_string()
        }
        Err(_) => e.to_string(),
    };
    Error::Storage(format!("cannot create {}: {why}", path.display()))
}

/// Opens an up-to-date Casebook file for reading only: never creates, migrates or writes
/// anything, and never waits for a writer. `Ok(None)` means the file cannot be read as it is
/// (it does not exist yet, is empty, or needs a schema upgrade): [`open`] sets it up.
pub fn open_read_only(path: &Path) -> Result<Option<Connection>> {
    match inspect(path) {
        Ok(FileKind::Casebook) => {}
        Ok(FileKind::New) => return Ok(None),
        // A half-created file: the read-write open finishes SQLite's rollback first.
        Err(Error::NotCasebookDatabase { .. }) if interrupted_creation(path) => return Ok(None),
        Err(e) => return Err(e),
    }
    let conn = read_only_connection(path)?;
    let found = check(&conn, path)?;
    if found < SCHEMA_VERSION {
        return Ok(None);
    }
    conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;")?;
    Ok(Some(conn))
}

fn read_only_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| with_path(e.into(), path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // SQLite opens lazily: the first read is where a WAL file's `-shm` index is needed.
    match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) && wal_is_empty(path) =>
        {
            // A read-only folder or file system: the `-shm` index cannot be created. With no
            // WAL content there is nothing it would index, so the main file is the whole
            // database and can be read as immutable (no locks, no side files).
            drop(conn);
            immutable_connection(path).map_err(|_| with_path(e.into(), path))
        }
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) =>
        {
            // Reading the saves still in the WAL needs its `-shm` index, which cannot be created
            // here; reading the main file alone would silently show older data.
            Err(Error::Storage(format!(
                "cannot read {}: its latest saves are still in its -wal file, which needs a -shm file that cannot be created in this read-only folder or file system ({e}); open it once where it can be written",
                path.display()
            )))
        }
        Err(e) => Err(with_path(e.into(), path)),
    }
}

/// No `-wal` file beside the database, or an empty one: every committed write is in the
/// main file.
fn wal_is_empty(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(true, |m| m.len() == 0)
}

#[cfg(unix)]
fn immutable_connection(path: &Path) -> Result<Connection> {
    use std::os::unix::ffi::OsStrExt;
    // A URI filename, percent-encoded byte by byte so any path (spaces, '?', '#', Latin-1)
    // survives.
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(uri, flags)?;
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?;
    Ok(conn)
}

#[cfg(not(unix))]
fn immutable_connection(_path: &Path) -> Result<Connection> {
    Err(Error::Storage("a read-only WAL database without its -shm file".into()))
}

/// Every check an existing Casebook file must pass before anything is written to it. Returns
/// its schema version.
fn check(conn: &Connection, path: &Path) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| with_path(e.into(), path))?;
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { path: path.display().to_string(), found, known: SCHEMA_VERSION });
    }
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(|e| with_path(e.into(), path))?;
    migrations::check_ledger(conn, found).map_err(|e| with_path(e, path))?;
    Ok(found)
}

/// Refreshes the planner's statistics where SQLite thinks they are stale (bounded work,
/// usually none). Best effort and never waits: if another process is writing, the next
/// writer does it. Only ever called on a file that passed every check and was just written.
pub(crate) fn optimize(conn: &Connection) {
    let _ = conn.busy_timeout(Duration::ZERO);
    if let Err(e) = conn.execute_batch("PRAGMA optimize = 0x10002") {
        tracing::debug!(error = %e, "PRAGMA optimize skipped");
    }
    let _ = conn.busy_timeout(BUSY_TIMEOUT);
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
pub(crate) fn with_path(e: Error, path: &Path) -> Error {
    let shown = path.display().to_string();
    match e {
        Error::CorruptDatabase { detail, .. } => Error::CorruptDatabase { path: shown, detail },
        Error::Storage(msg) if !msg.contains(&shown) => Error::Storage(format!("{shown}: {msg}")),
        other => other,
    }
}

#[cfg(test)]
mod tests;
