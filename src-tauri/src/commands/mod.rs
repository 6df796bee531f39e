//! The IPC commands: each parses its arguments (serde, through Tauri), runs one core call on
//! the blocking pool (the core's SQLite and keychain calls block) and maps the error.
//! No behaviour lives here. `table.rs` declares them all, once.

#[macro_use]
mod declare;
#[cfg(test)]
pub(crate) mod generated;

pub mod alert_source;
pub mod alerts;
pub mod cases;
pub mod comments;
pub mod connectors;
pub mod drafts;
pub mod ids;
pub mod observables;
pub mod push;
pub mod settings;

use std::path::PathBuf;

use casebook_core::alerts::{AlertSource, AlertSourceInput, StatusSyncReport};
use casebook_core::elastic::{AlertHit, AlertQuery, AlertSearchPage, ClusterInfo};
use casebook_core::model::*;
use casebook_core::{AssignReport, Casebook};
use serde_json::Value;

use crate::error::CommandError;
use crate::state::AppState;
use casebook_core::background::IdTaskStatus;
use comments::CommentPage;

// The argument and answer types of the table are the ones imported above.
include!("table.rs");

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
