//! Tells the window when the database changed, whoever changed it (this window, a `casebook`
//! CLI, a script): the core's change watcher job (casebook_core::background::watch) calls
//! [`hook`], which emits [`DB_CHANGED`].

use casebook_core::background::OnChange;
use tauri::{AppHandle, Emitter, Runtime};

/// The app-wide event the UI listens to (`listen("db-changed", …)`) to reload what it shows.
/// Its payload is `null`; it fires at most once per poll after one or more commits.
pub const DB_CHANGED: &str = "db-changed";

/// The watcher's hook: emits [`DB_CHANGED`] to every window of `app`.
pub fn hook<R: Runtime>(app: AppHandle<R>) -> OnChange {
    std::sync::Arc::new(move || {
        if let Err(e) = app.emit(DB_CHANGED, ()) {
            tracing::warn!("cannot emit {DB_CHANGED}: {e}");
        }
    })
}
