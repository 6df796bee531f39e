//! The IPC commands: each parses its arguments (serde, through Tauri), runs one core call on
//! the blocking pool (the core is synchronous and serialises on a mutex) and maps the error.
//! No behaviour lives here.

pub mod alert_source;
pub mod alerts;
pub mod cases;
pub mod comments;
pub mod connectors;
pub mod drafts;
pub mod ids;
mod names;
pub mod observables;
pub mod push;
pub mod settings;

use casebook_core::Casebook;

pub use names::COMMANDS;

use crate::error::CommandError;
use crate::state::AppState;

/// Runs `f` against the open database on Tauri's blocking pool.
async fn with_book<T, F>(state: &AppState, f: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(&Casebook) -> casebook_core::Result<T> + Send + 'static,
{
    let book = state.book()?;
    tauri::async_runtime::spawn_blocking(move || f(&book))
        .await
        .map_err(CommandError::worker_failed)?
        .map_err(Into::into)
}
