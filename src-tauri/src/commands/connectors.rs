//! Connectors to Jira and ServiceNow: settings, test, cached choices. The secret goes from the
//! form to the keychain and never comes back; the UI only learns whether one is stored.

use casebook_core::model::*;
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn list_connectors(state: State<'_, AppState>, space: String) -> Res<Vec<Connector>> {
    with_book(&state, move |b| b.list_connectors(&space)).await
}

pub async fn create_connector(state: State<'_, AppState>, space: String, input: ConnectorInput) -> Res<Connector> {
    with_book(&state, move |b| b.create_connector(&space, &input)).await
}

pub async fn update_connector(
    state: State<'_, AppState>,
    space: String,
    connector: String,
    input: ConnectorInput,
) -> Res<Connector> {
    with_book(&state, move |b| b.update_connector(&space, &connector, &input)).await
}

pub async fn delete_connector(state: State<'_, AppState>, space: String, connector: String) -> Res<()> {
    with_book(&state, move |b| b.delete_connector(&space, &connector)).await
}

pub async fn test_connector(state: State<'_, AppState>, space: String, connector: String) -> Res<ConnectionCheck> {
    let book = state.book()?;
    Ok(book.test_connector(&space, &connector).await?)
}

pub async fn refresh_connector_metadata(
    state: State<'_, AppState>,
    space: String,
    connector: String,
) -> Res<Connector> {
    let book = state.book()?;
    Ok(book.refresh_connector_metadata(&space, &connector).await?)
}
