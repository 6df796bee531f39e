//! Casebook's core: everything a case is and does, over one SQLite file.
//!
//! The desktop shell and the `casebook` CLI are thin adapters over [`Casebook`]. Every
//! operation validates first, then writes the row, its activity record and its search
//! document in one `BEGIN IMMEDIATE` transaction, or writes nothing.

mod activity;
pub mod alerts;
pub mod analytics;
pub mod api;
pub mod background;
pub mod bindings;
pub mod bulk;
mod cases;
mod comments;
pub mod connectors;
mod drafts;
pub mod elastic;
mod error;
mod find;
mod fts;
pub mod ids;
pub mod model;
mod net;
pub mod observables;
pub mod push;
mod row;
pub mod secrets;
pub mod settings;
mod spaces;
pub mod store;
mod timing;
mod users;
pub mod validate;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

pub use drafts::{Drafts, MAX_DRAFT_KEY_LENGTH};
pub use error::{Error, Result, WireError};
pub use ids::AssignReport;
pub use model::*;

/// Where "now" comes from; tests replace it to check the timing metrics.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open Casebook database: one writer connection and a pool of read connections.
///
/// Cloning is cheap and shares the connections (async core functions hand a clone to a
/// blocking thread). Reads never take the writer: in WAL mode a read connection sees the last
/// committed state while a long write is under way.
#[derive(Clone)]
pub struct Casebook {
    shared: Arc<Shared>,
}

struct Shared {
    /// Declared (so dropped) before the writer: the last connection to close cleans up the
    /// `-wal` and `-shm` files, and only a writer can.
    readers: store::ReaderPool,
    /// The only connection that writes (`BEGIN IMMEDIATE`); `None` when opened read-only.
    writer: Option<Mutex<Connection>>,
    path: PathBuf,
    clock: Clock,
    /// The OS keychain, or an in-memory store in tests.
    keychain: Arc<dyn secrets::SecretStore>,
    /// The encrypted file beside the database, used instead when the user chose it.
    secrets_file: secrets::EncryptedFile,
    /// Statistics upkeep (`PRAGMA optimize`), which SQLite advises after writes and before a
    /// writer closes; never on open, so an open neither writes nor waits.
    upkeep: Mutex<Upkeep>,
}

#[derive(Default)]
struct Upkeep {
    /// When this connection last ran `PRAGMA optimize`; `None`: not yet.
    optimized_at: Option<Instant>,
    /// A write was committed since then.
    wrote_since: bool,
}

/// How often a long-lived connection (the desktop app) refreshes the planner's statistics
/// while it keeps writing.
const OPTIMIZE_EVERY: Duration = Duration::from_secs(3600);

impl std::fmt::Debug for Casebook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Casebook").field("path", &self.shared.path).finish_non_exhaustive()
    }
}

/// What a write sees: the transaction, the time of the change and who makes it.
pub(crate) struct Tx<'a> {
    pub tx: Transaction<'a>,
    pub now: DateTime<Utc>,
    pub actor: User,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Casebook {
    /// Opens the database at `path`, creating and migrating it as needed. A file that is not
    /// a Casebook database, is damaged, or was written by a newer Casebook is refused untouched;
    /// so is one this process may not write (`storage`: "cannot write PATH: …"), which
    /// [`Casebook::open_read_only`] can still read.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let book = Self::with_connections(path, Some(store::open(path)?), None);
        book.ensure_profile().map_err(|e| store::with_path(e, path))?;
        Ok(book)
    }

    /// Opens the database at `path` for reading only: nothing is created, migrated or written,
    /// and no other process's writer is waited for. A file that is refused by [`Casebook::open`]
    /// is refused here too. `Ok(None)` means the file cannot be read as it is (it does not
    /// exist yet, is empty, or needs this build's schema upgrade): [`Casebook::open`] sets it
    /// up. Writes through the returned value fail with `storage`.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Option<Self>> {
        let path = path.as_ref();
        let Some(conn) = store::open_read_only(path)? else {
            return Ok(None);
        };
        // Every file `open` set up has a profile; one without (a process died in between) is
        // finished by `open`.
        let has_profile = conn
            .query_row("SELECT 1 FROM profile WHERE id = 1", [], |_| Ok(()))
            .optional()
            .map_err(|e| store::with_path(e.into(), path))?
            .is_some();
        Ok(has_profile.then(|| Self::with_connections(path, None, Some(conn))))
    }

    /// `writer`: the read-write connection, if any; `reader`: a first read connection.
    fn with_connections(path: &Path, writer: Option<Connection>, reader: Option<Connection>) -> Self {
        Casebook {
            shared: Arc::new(Shared {
                readers: store::ReaderPool::new(path, reader),
                writer: writer.map(Mutex::new),
                path: path.to_path_buf(),
                clock: Arc::new(Utc::now),
                keychain: secrets::default_store(),
                secrets_file: secrets::EncryptedFile::beside(path),
                upkeep: Mutex::new(Upkeep::default()),
            }),
        }
    }

    /// Opens the shared default database (`CASEBOOK_DB` or the OS data directory).
    pub fn open_default() -> Result<Self> {
        let path = store::default_db_path();
        store::create_default_dir(&path)?;
        Self::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Whether this was opened by [`Casebook::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.shared.writer.is_none()
    }

    /// Replaces the clock (tests of the timing rules). Before the first clone.
    pub fn set_clock(&mut self, clock: Clock) {
        self.unshared().clock = clock;
    }

    /// Replaces the OS keychain (tests use an in-memory one). Before the first clone.
    pub fn set_secrets(&mut self, secrets: Arc<dyn secrets::SecretStore>) {
        self.unshared().keychain = secrets;
    }

    /// Replaces the encrypted secrets file's settings (the CLI's passphrase prompt, a cheap
    /// work factor in tests). Before the first clone.
    pub fn set_secrets_file(&mut self, file: secrets::EncryptedFile) {
        self.unshared().secrets_file = file;
    }

    fn unshared(&mut self) -> &mut Shared {
        Arc::get_mut(&mut self.shared).expect("a Casebook is configured before it is shared")
    }

    /// The store this database's secrets are in now (the user's choice, read on each call).
    pub(crate) fn secrets(&self) -> secrets::Chosen<'_> {
        secrets::Chosen(self)
    }

    pub(crate) fn keychain(&self) -> &dyn secrets::SecretStore {
        self.shared.keychain.as_ref()
    }

    pub fn secrets_file(&self) -> &secrets::EncryptedFile {
        &self.shared.secrets_file
    }

    /// Millisecond precision, as stored.
    fn now(&self) -> DateTime<Utc> {
        (self.shared.clock)().trunc_subsecs(3)
    }

    /// The writer, or `storage` ("opened read-only") before anything is tried.
    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        let Some(writer) = &self.shared.writer else {
            return Err(Error::Storage(format!("cannot write {}: it was opened read-only", self.path().display())));
        };
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        Ok(writer.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs blocking core work (SQLite, the keychain) on tokio's blocking pool, so an async
    /// core function never blocks the runtime's workers. The one way async code reaches them.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Casebook) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let book = self.clone();
        tokio::task::spawn_blocking(move || f(&book))
            .await
            .map_err(|e| Error::Storage(format!("a background step stopped unexpectedly: {e}")))?
    }

    /// Runs `f` in one IMMEDIATE transaction; commits only if it returns Ok.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        // `f`'s value always comes back as `Some`: the error arm cannot happen.
        self.write_or_rollback(|tx| f(tx).map(Some))?
            .ok_or_else(|| Error::Storage("a write was rolled back without a reason".into()))
    }

    /// Like `write`, but `f` may also answer `None` (a cancelled long write): then nothing is kept.
    pub(crate) fn write_or_rollback<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<Option<T>>) -> Result<Option<T>> {
        let mut conn = self.lock()?;
        self.transaction(&mut conn, f)
    }

    /// Like `write_or_rollback`, with the SQLite file `file` attached as `schema` for the
    /// transaction (a private staging file; ATTACH cannot happen inside a transaction).
    pub(crate) fn write_attached<T>(
        &self,
        file: &str,
        schema: &str,
        f: impl FnOnce(&Tx<'_>) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let mut conn = self.lock()?;
        conn.execute(&format!("ATTACH DATABASE ?1 AS {schema}"), [file])?;
        let out = self.transaction(&mut conn, f);
        let detached = conn.execute_batch(&format!("DETACH DATABASE {schema}"));
        let out = out?;
        detached?;
        Ok(out)
    }

    fn transaction<T>(&self, conn: &mut Connection, f: impl FnOnce(&Tx<'_>) -> Result<Option<T>>) -> Result<Option<T>> {
        let out = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let actor = users::current_actor(&tx)?;
            let tx = Tx { tx, now: self.now(), actor };
            let out = f(&tx)?;
            if out.is_some() {
                tx.tx.commit()?;
            }
            Ok(out)
        })()
        .map_err(|e| self.name_file(e))?;
        if out.is_some() {
            self.after_write(conn);
        }
        Ok(out)
    }

    /// Runs `f` in one read transaction on a read connection, so multi-statement reads see
    /// one snapshot. Never waits for the writer: it sees the last committed state.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.shared.readers.get().map_err(|e| self.name_file(e))?;
        (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })()
        .map_err(|e| self.name_file(e))
    }

    /// Like [`Casebook::read`], then `after` on the same connection once the transaction is
    /// over (so it sees the newest state), with what `f` returned.
    pub(crate) fn read_then<T, U>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T>,
        after: impl FnOnce(&Connection, T) -> Result<U>,
    ) -> Result<U> {
        let mut conn = self.shared.readers.get().map_err(|e| self.name_file(e))?;
        (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            after(&conn, out)
        })()
        .map_err(|e| self.name_file(e))
    }

    /// Errors name the file, not "the database" (SQLite's own text does not know the path).
    fn name_file(&self, e: Error) -> Error {
        match e {
            Error::CorruptDatabase { detail, .. } => {
                Error::CorruptDatabase { path: self.path().display().to_string(), detail }
            }
            other => other,
        }
    }

    /// After a committed write: `PRAGMA optimize` after this connection's first write, then
    /// at most once an hour (the desktop app's long-lived connection); what was written since
    /// is covered when the connection closes.
    fn after_write(&self, conn: &Connection) {
        let mut upkeep = self.shared.upkeep.lock().unwrap_or_else(|p| p.into_inner());
        upkeep.wrote_since = true;
        if upkeep.optimized_at.is_none_or(|at| at.elapsed() >= OPTIMIZE_EVERY) {
            store::optimize(conn);
            *upkeep = Upkeep { optimized_at: Some(Instant::now()), wrote_since: false };
        }
    }

    /// Runs SQL on the raw writer connection (a read connection when opened read-only). For
    /// benchmarks and tests that build data in bulk.
    #[doc(hidden)]
    pub fn with_connection<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        match self.lock() {
            Ok(mut writer) => f(&mut writer),
            Err(_) => f(&mut self.shared.readers.get().expect("a read connection")),
        }
    }
}

impl Drop for Shared {
    /// SQLite's advice: `PRAGMA optimize` before closing, here only if the writer wrote since
    /// its last one (a reader never writes; a refused file never got this far).
    fn drop(&mut self) {
        if self.upkeep.get_mut().unwrap_or_else(|p| p.into_inner()).wrote_since
            && let Some(writer) = &mut self.writer
        {
            store::optimize(writer.get_mut().unwrap_or_else(|p| p.into_inner()));
        }
    }
}
