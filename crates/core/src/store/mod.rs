//! The SQLite file: where it lives, how a connection is set up, and the checks that keep
//! Casebook from touching a file that is not its own.

mod migrations;
mod readers;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use migrations::{BACK_TO_11, MIGRATIONS, SCHEMA_VERSION};
pub(crate) use readers::ReaderPool;

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
///
/// The file itself is never opened: closing any descriptor of a file drops every POSIX lock
/// this process holds on it, including those of a connection it already has to the file,
/// after which another process could think itself the last one and checkpoint and delete the
/// `-wal` under that connection.
fn write_refusal(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => return Some("the file is read-only"),
        Ok(_) => {}
        Err(_) => return None,
    }
    #[cfg(unix)]
    {
        // access(2) by path: the same question SQLite's own open would ask, without a descriptor.
        use rustix::fs::{Access, AtFlags, CWD};
        match rustix::fs::accessat(CWD, path, Access::WRITE_OK, AtFlags::EACCESS) {
            Err(rustix::io::Errno::ROFS) => Some("it is on a read-only file system"),
            Err(rustix::io::Errno::ACCESS | rustix::io::Errno::PERM) => Some("you do not have permission to write it"),
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        None
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
        //
        // The header may already name Casebook: the application id is the creation's own
        // write, and the journal still undoes it. Rolled back, the file is empty again and is
        // set up as new; read as it stands, SQLite would roll it back under the check and the
        // migrations would build a schema in a file that no longer carries Casebook's id.
        Err(Error::NotCasebookDatabase { .. }) | Ok(FileKind::Casebook) if interrupted_creation(path) => {
            finish_interrupted_creation(path)?;
            inspect(path)?
        }
        other => other?,
    };
    open_as(path, kind)
}

/// Lets SQLite roll back the journal [`interrupted_creation`] recognised.
fn finish_interrupted_creation(path: &Path) -> Result<()> {
    if let Some(why) = write_refusal(path) {
        return Err(Error::Storage(format!("cannot write {}: {why}", path.display())));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| with_path(e.into(), path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(|e| with_path(e.into(), path))?;
    Ok(())
}

/// Opens the file `inspect` classified as `kind`, which may have changed since.
fn open_as(path: &Path, kind: FileKind) -> Result<Connection> {
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

    let claimed = match kind {
        FileKind::New => claim_if_empty(&conn, path)?,
        FileKind::Casebook => false,
    };
    if !claimed {
        // Every check comes before the first write (even switching to WAL is one).
        check(&conn, path)?;
    }
    configure(&conn).map_err(|e| with_path(e, path))?;
    let migrated = migrations::migrate(&conn, path).map_err(|e| with_path(e, path))?;
    crate::analytics::events::fill_if_needed(&conn).map_err(|e| with_path(e, path))?;
    if migrated {
        // A new or upgraded schema has no statistics yet; later upkeep is `optimize` after
        // writes (see Casebook). An open of an up-to-date file neither writes nor waits.
        optimize(&conn);
    }
    Ok(conn)
}

/// Makes the file `inspect` found missing or empty Casebook's, if it still is empty: the check
/// and the write of the application id happen under the write lock, so a file another process
/// wrote in the meantime is never written here unchecked. Says whether it was claimed; `false`
/// means the file now holds a Casebook database, which the caller checks like any other.
fn claim_if_empty(conn: &Connection, path: &Path) -> Result<bool> {
    let sqlite = |e: rusqlite::Error| {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
            let reason = "it is not an SQLite database".to_string();
            return Error::NotCasebookDatabase { path: path.display().to_string(), reason };
        }
        cannot_create(e, path)
    };
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate).map_err(sqlite)?;
    // Under the write lock the file on disk is what counts: SQLite's own view of an empty
    // file in a write transaction is a fresh first page. (A database in WAL mode never has an
    // empty main file: the switch to WAL writes its header.)
    let empty =
        std::fs::metadata(path).map_err(|e| Error::Storage(format!("cannot open {}: {e}", path.display())))?.len() == 0;
    if !empty {
        let app_id: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(sqlite)?;
        drop(tx);
        if app_id != APPLICATION_ID {
            let reason = "it is an SQLite database of another application".to_string();
            return Err(Error::NotCasebookDatabase { path: path.display().to_string(), reason });
        }
        return Ok(false);
    }
    // The application id goes into the main file before WAL mode is on, so the header names
    // Casebook on disk even if the process dies before its first checkpoint.
    tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(sqlite)?;
    tx.commit().map_err(sqlite)?;
    Ok(true)
}

/// A new database could not be created at `path` (or an empty file there set up): says why
/// when the OS can tell.
fn cannot_create(e: rusqlite::Error, path: &Path) -> Error {
    let refused =
        matches!(extended_code(&e), Some(rusqlite::ffi::SQLITE_CANTOPEN | rusqlite::ffi::SQLITE_READONLY_DIRECTORY));
    if !refused {
        return with_path(e.into(), path);
    }
    // SQLite only says "unable to open database file"; the folder says why. Nothing is created
    // at the path to find out: a file another process made there meanwhile is its database.
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let why = folder_refusal(dir).map_or_else(|| Error::from(e).to_string(), str::to_string);
    let verb = if std::fs::symlink_metadata(path).is_ok() { "write" } else { "create" };
    Error::Storage(format!("cannot {verb} {}: {why}", path.display()))
}

/// Why this process may not create files in `dir`, if the OS says it may not.
fn folder_refusal(dir: &Path) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use rustix::fs::{Access, AtFlags, CWD};
        match rustix::fs::accessat(CWD, dir, Access::WRITE_OK | Access::EXEC_OK, AtFlags::EACCESS) {
            Err(rustix::io::Errno::ROFS) => Some("the folder is on a read-only file system"),
            Err(rustix::io::Errno::ACCESS | rustix::io::Errno::PERM) => {
                Some("you do not have permission to write to its folder")
            }
            _ => None,
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly()).then_some("its folder is read-only")
    }
}

/// SQLite's extended result code of an error, if it is SQLite's.
fn extended_code(e: &rusqlite::Error) -> Option<i32> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.extended_code),
        _ => None,
    }
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
    if journal_is_present(path) {
        // An unfinished write (or one in progress): only a writer may roll it back, and
        // reading around it would show half of it. The normal open finishes it, or says why
        // it cannot.
        return Ok(None);
    }
    let conn = read_only_connection(path)?;
    let found = check(&conn, path)?;
    if found < SCHEMA_VERSION {
        return Ok(None);
    }
    configure_reader(&conn)?;
    Ok(Some(conn))
}

/// Another read connection to a file that is already open and checked (the pool's).
pub(crate) fn reader_connection(path: &Path) -> Result<Connection> {
    let conn = read_only_connection(path)?;
    configure_reader(&conn).map_err(|e| with_path(e, path))?;
    Ok(conn)
}

fn configure_reader(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;")?;
    Ok(())
}

fn read_only_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| with_path(e.into(), path))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // SQLite opens lazily: the first read is where a WAL file's `-shm` index is needed.
    let e = match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => return Ok(conn),
        Err(e) => e,
    };
    let unfinished = || {
        Error::Storage(format!(
            "cannot read {}: it holds an unfinished write (its -journal file) that only a writer can undo; open it once where it can be written",
            path.display()
        ))
    };
    use rusqlite::ffi::{
        SQLITE_CANTOPEN, SQLITE_READONLY_CANTINIT, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_ROLLBACK,
    };
    match extended_code(&e) {
        // A hot journal: reading the file around it would show half a write.
        Some(SQLITE_READONLY_ROLLBACK) => Err(unfinished()),
        // A read-only folder or file system: the `-shm` index cannot be created.
        Some(SQLITE_CANTOPEN | SQLITE_READONLY_DIRECTORY | SQLITE_READONLY_CANTINIT) => {
            drop(conn);
            if journal_is_present(path) {
                // An immutable open would ignore the journal, and with it the undo of a write.
                return Err(unfinished());
            }
            if wal_is_empty(path) {
                // With no WAL content there is nothing the index would index, so the main file
                // is the whole database and can be read as immutable (no locks, no side files).
                return immutable_connection(path).map_err(|_| with_path(e.into(), path));
            }
            // Reading the saves still in the WAL needs its `-shm` index, which cannot be
            // created here; reading the main file alone would silently show older data.
            Err(Error::Storage(format!(
                "cannot read {}: its latest saves are still in its -wal file, which needs a -shm file that cannot be created in this read-only folder or file system ({e}); open it once where it can be written",
                path.display()
            )))
        }
        _ => Err(with_path(e.into(), path)),
    }
}

/// A non-empty `-journal` beside the file: a rollback-mode write that has not finished (or
/// never will: its process died), which SQLite undoes on the next open that can write.
fn journal_is_present(path: &Path) -> bool {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    std::fs::metadata(journal).is_ok_and(|m| m.len() > 0)
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
///
/// All of it reads one snapshot (one deferred read transaction): another process may commit
/// a migration at any moment, and a version read before it with a migration record read after
/// it would disagree on a healthy file.
fn check(conn: &Connection, path: &Path) -> Result<i64> {
    let checked = || -> Result<i64> {
        let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew { path: path.display().to_string(), found, known: SCHEMA_VERSION });
        }
        tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
        // The header was read raw before SQLite opened the file; a journal rolled back since
        // (by this read) may have taken Casebook's id with it. Never migrate such a file.
        let app_id: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            let reason = "it is an SQLite database of another application".to_string();
            return Err(Error::NotCasebookDatabase { path: path.display().to_string(), reason });
        }
        migrations::check_ledger(&tx, found)?;
        // A read transaction: its end writes nothing.
        tx.commit()?;
        Ok(found)
    };
    checked().map_err(|e| with_path(e, path))
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
mod connector_settings_tests;
#[cfg(test)]
mod observable_ranking_tests;
#[cfg(test)]
mod tests;
