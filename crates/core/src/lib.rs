//! Casebook's core: everything a case is and does, over one SQLite file.
//!
//! The desktop shell and the `casebook` CLI are thin adapters over [`Casebook`]. Every
//! operation validates first, then writes the row, its activity record and its search
//! document in one `BEGIN IMMEDIATE` transaction, or writes nothing.

mod activity;
pub mod alerts;
pub mod bindings;
mod cases;
mod comments;
pub mod configure;
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
mod spaces;
pub mod store;
mod timing;
mod users;
pub mod validate;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use drafts::{Drafts, MAX_DRAFT_KEY_LENGTH};
pub use error::{Error, Result, WireError};
pub use ids::AssignReport;
pub use model::*;

/// Where "now" comes from; tests replace it to check the timing metrics.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open Casebook database.
pub struct Casebook {
    conn: Mutex<Connection>,
    path: PathBuf,
    clock: Clock,
    /// Where API keys live: the OS keychain, or an in-memory store in tests.
    secrets: Arc<dyn secrets::SecretStore>,
}

impl std::fmt::Debug for Casebook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Casebook").field("path", &self.path).finish_non_exhaustive()
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
    /// a Casebook database, is damaged, or was written by a newer Casebook is refused untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let conn = store::open(path)?;
        let book = Casebook {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            clock: Arc::new(Utc::now),
            secrets: secrets::default_store(),
        };
        book.ensure_profile()?;
        Ok(book)
    }

    /// Opens the shared default database (`CASEBOOK_DB` or the OS data directory).
    pub fn open_default() -> Result<Self> {
        let path = store::default_db_path();
        store::create_default_dir(&path)?;
        Self::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces the clock (tests of the timing rules).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Replaces the secret store (tests use an in-memory one instead of the OS keychain).
    pub fn set_secrets(&mut self, secrets: Arc<dyn secrets::SecretStore>) {
        self.secrets = secrets;
    }

    pub(crate) fn secrets(&self) -> &dyn secrets::SecretStore {
        self.secrets.as_ref()
    }

    /// Millisecond precision, as stored.
    fn now(&self) -> DateTime<Utc> {
        (self.clock)().trunc_subsecs(3)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction; commits only if it returns Ok.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let actor = users::current_actor(&tx)?;
        let tx = Tx { tx, now: self.now(), actor };
        let out = f(&tx)?;
        tx.tx.commit()?;
        Ok(out)
    }

    /// Like `write`, but `f` may also answer `None` (a cancelled long write): then nothing is kept.
    pub(crate) fn write_or_rollback<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<Option<T>>) -> Result<Option<T>> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let actor = users::current_actor(&tx)?;
        let tx = Tx { tx, now: self.now(), actor };
        let out = f(&tx)?;
        if out.is_some() {
            tx.tx.commit()?;
        }
        Ok(out)
    }

    /// Runs `f` in one read transaction, so multi-statement reads see one snapshot.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Runs SQL on the raw connection. For benchmarks and tests that build data in bulk.
    #[doc(hidden)]
    pub fn with_connection<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut self.lock())
    }
}
