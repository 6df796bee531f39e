//! The space's Elasticsearch source: settings, test, search, attach, and status sync. The API
//! key goes from the form to the keychain and never comes back.

use casebook_core::alerts::{AlertSource, AlertSourceInput, StatusSyncReport};
use casebook_core::elastic::{AlertHit, AlertQuery, AlertSearchPage, ClusterInfo};
use casebook_core::model::AlertImportReport;
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn get_alert_source(state: State<'_, AppState>, space: String) -> Res<Option<AlertSource>> {
    with_book(&state, move |b| b.alert_source(&space)).await
}

pub async fn set_alert_source(state: State<'_, AppState>, space: String, input: AlertSourceInput) -> Res<AlertSource> {
    with_book(&state, move |b| b.set_alert_source(&space, &input)).await
}

pub async fn remove_alert_source(state: State<'_, AppState>, space: String) -> Res<()> {
    with_book(&state, move |b| b.remove_alert_source(&space)).await
}

pub async fn test_alert_source(state: State<'_, AppState>, space: String) -> Res<ClusterInfo> {
    let book = state.book()?;
    Ok(book.test_alert_source(&space).await?)
}

pub async fn search_source_alerts(
    state: State<'_, AppState>,
    space: String,
    query: AlertQuery,
) -> Res<AlertSearchPage> {
    let book = state.book()?;
    Ok(book.search_source_alerts(&space, &query).await?)
}

pub async fn attach_source_alerts(
    state: State<'_, AppState>,
    case_id: String,
    hits: Vec<AlertHit>,
) -> Res<AlertImportReport> {
    with_book(&state, move |b| b.attach_source_alerts(&case_id, &hits)).await
}

/// Sends waiting alert statuses now (the background task also does, every half minute).
pub async fn sync_alert_statuses(state: State<'_, AppState>) -> Res<StatusSyncReport> {
    let book = state.book()?;
    Ok(book.sync_alert_statuses().await?)
}
