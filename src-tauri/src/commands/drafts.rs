//! Unsent text, kept on disk beside the database as it is typed.

use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn get_draft(state: State<'_, AppState>, key: String) -> Res<Option<String>> {
    with_book(&state, move |b| b.drafts().get(&key)).await
}

/// Blank `body` removes the draft.
pub async fn save_draft(state: State<'_, AppState>, key: String, body: String) -> Res<()> {
    with_book(&state, move |b| b.drafts().put(&key, &body)).await
}

pub async fn delete_draft(state: State<'_, AppState>, key: String) -> Res<()> {
    with_book(&state, move |b| b.drafts().delete(&key)).await
}
