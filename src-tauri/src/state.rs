//! What every command reaches through `State<AppState>`: the open database, or the reason
//! it could not be opened.

use std::sync::{Mutex, PoisonError};

use casebook_core::Casebook;
use casebook_core::background::{self, Jobs, Scheduler};

use crate::error::CommandError;

/// The database of this window. If opening failed (a file that is not a Casebook database,
/// one written by a newer Casebook, a damaged one), the window still starts and every
/// command answers with that error, so the UI can show it instead of a blank window.
pub struct AppState {
    book: Result<Casebook, CommandError>,
}

impl AppState {
    pub fn new(book: Casebook) -> Self {
        AppState { book: Ok(book) }
    }

    pub fn failed(error: &casebook_core::Error) -> Self {
        AppState { book: Err(error.into()) }
    }

    /// Opens the shared default database: `CASEBOOK_DB`, else `<data dir>/Casebook/casebook.db`
    /// (the CLI's default too), creating its folder the first time.
    pub fn open_default() -> Self {
        let path = casebook_core::store::default_db_path();
        match Casebook::open_default() {
            Ok(book) => {
                tracing::info!(db = %path.display(), "database open");
                Self::new(book)
            }
            Err(e) => {
                tracing::error!(db = %path.display(), code = e.code(), "cannot open the database: {e}");
                Self::failed(&e)
            }
        }
    }

    /// The open database, or the error that every command returns when there is none.
    pub fn book(&self) -> Result<Casebook, CommandError> {
        self.book.clone()
    }
}

/// The core's background jobs (numbering, outbox, alert status sync, change watcher), running
/// on Tauri's tokio runtime from start-up until the app exits.
#[derive(Default)]
pub struct Background {
    running: Mutex<Option<background::Handle>>,
}

impl Background {
    /// Starts `jobs` on `book` (replacing, and stopping, any running ones).
    pub fn start(&self, book: &Casebook, jobs: Jobs) {
        let rt = tauri::async_runtime::handle();
        let _in_runtime = rt.inner().enter();
        let handle = Scheduler::start(book, jobs);
        *self.running.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
    }

    /// Stops the jobs and waits for them (a push being sent gets a few seconds to finish).
    pub fn stop(&self) {
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(handle) = running {
            tauri::async_runtime::block_on(handle.stop());
        }
    }
}
