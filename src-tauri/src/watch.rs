//! Tells the window when the database changed, whoever changed it (this window, a `casebook`
//! CLI, a script): a thread polls the core's [`ChangeWatcher`] and emits [`DB_CHANGED`].

use std::time::Duration;

use casebook_core::Casebook;
use casebook_core::watch::ChangeWatcher;
use tauri::{AppHandle, Emitter, Runtime};

/// The app-wide event the UI listens to (`listen("db-changed", …)`) to reload what it shows.
/// Its payload is `null`; it fires at most once per poll after one or more commits.
pub const DB_CHANGED: &str = "db-changed";

/// How often the watcher looks at `PRAGMA data_version`: one cheap read on its own connection.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Starts the watcher thread. It runs until the process exits.
pub fn spawn<R: Runtime>(app: AppHandle<R>, book: &Casebook, interval: Duration) -> casebook_core::Result<()> {
    let watcher = book.watcher()?;
    std::thread::Builder::new()
        .name("casebook-db-watcher".into())
        .spawn(move || poll(app, watcher, interval))
        .map_err(|e| casebook_core::Error::Storage(format!("cannot start the change watcher: {e}")))?;
    Ok(())
}

fn poll<R: Runtime>(app: AppHandle<R>, mut watcher: ChangeWatcher, interval: Duration) {
    let mut last_error = None;
    loop {
        std::thread::sleep(interval);
        match watcher.changed() {
            Ok(true) => {
                if let Err(e) = app.emit(DB_CHANGED, ()) {
                    tracing::warn!("cannot emit {DB_CHANGED}: {e}");
                }
                last_error = None;
            }
            Ok(false) => last_error = None,
            // Logged once per distinct error, not every 500 ms (a busy or vanished file).
            Err(e) => {
                let text = e.to_string();
                if last_error.as_ref() != Some(&text) {
                    tracing::warn!(code = e.code(), "change watcher: {text}");
                    last_error = Some(text);
                }
            }
        }
    }
}
