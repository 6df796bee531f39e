//! A case's connector and fields, pushing it, and the outbox of pushes waiting to be sent.

use casebook_core::model::*;
use serde_json::Value;
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn set_case_connector(
    state: State<'_, AppState>,
    case_id: String,
    version: String,
    connector: Option<String>,
    fields: Value,
) -> Res<Case> {
    with_book(&state, move |b| b.set_case_connector(&case_id, &version, connector.as_deref(), &fields)).await
}

/// The case and its queued push in one transaction, then one attempt (the core's blocking
/// steps run off the async workers).
pub async fn create_and_push(state: State<'_, AppState>, space: String, input: CaseCreate) -> Res<CreatedAndPushed> {
    let book = state.book()?;
    Ok(book.create_and_push(&space, &input).await?)
}

/// Queues the push and tries it once now; offline it stays queued for the background sender.
pub async fn push_case(state: State<'_, AppState>, case_id: String, connector: Option<String>) -> Res<PushOutcome> {
    let book = state.book()?;
    Ok(book.push_case(&case_id, connector.as_deref()).await?)
}

pub async fn list_outbox(state: State<'_, AppState>, space: Option<String>) -> Res<Vec<OutboxItem>> {
    with_book(&state, move |b| b.outbox(space.as_deref())).await
}

/// Makes a waiting or refused push due now and sends it.
pub async fn retry_push(state: State<'_, AppState>, id: i64) -> Res<PushOutcome> {
    let book = state.book()?;
    let b = book.clone();
    tauri::async_runtime::spawn_blocking(move || b.retry_push(id)).await.map_err(CommandError::worker_failed)??;
    Ok(book.send_push(id).await?)
}

pub async fn cancel_push(state: State<'_, AppState>, id: i64) -> Res<()> {
    with_book(&state, move |b| b.cancel_push(id)).await
}
