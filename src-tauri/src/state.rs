//! What the commands and the background jobs reach: the core's [`Api`] over the open
//! database (or the reason it could not be opened), and the running jobs.

use std::sync::{Arc, Mutex, PoisonError};

use casebook_core::Casebook;
use casebook_core::api::{Api, Events};
use casebook_core::background::{self, IdTask, Jobs, Scheduler};
use tauri::{AppHandle, Emitter, Runtime};

/// Opens the shared default database (`CASEBOOK_DB`, else `<data dir>/Casebook/casebook.db`,
/// the CLI's default too, its folder created the first time) as the API every command
/// reaches. If opening fails (a file that is not a Casebook database, one written by a newer
/// Casebook, a damaged one), the window still starts and every command answers with that
/// error, so the UI can show it instead of a blank window.
pub fn open_default_api(ids: IdTask, events: Events) -> Api {
    let path = casebook_core::store::default_db_path();
    match Casebook::open_default() {
        Ok(book) => {
            tracing::info!(db = %path.display(), "database open");
            Api::new(book, ids, events)
        }
        Err(e) => {
            tracing::error!(db = %path.display(), code = e.code(), "cannot open the database: {e}");
            Api::failed(&e, ids, events)
        }
    }
}

/// Where the API's events go: to every window of `app`.
pub fn events<R: Runtime>(app: AppHandle<R>) -> Events {
    Arc::new(move |name, payload| {
        if let Err(e) = app.emit(name, payload) {
            tracing::warn!("cannot emit {name}: {e}");
        }
    })
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
