//! Observables of a case, the space's observable types, and similar cases.

use casebook_core::model::*;
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn list_observables(state: State<'_, AppState>, case_id: String) -> Res<Vec<Observable>> {
    with_book(&state, move |b| b.list_observables(&case_id)).await
}

pub async fn add_observable(state: State<'_, AppState>, case_id: String, input: ObservableInput) -> Res<Observable> {
    with_book(&state, move |b| b.add_observable(&case_id, &input)).await
}

pub async fn update_observable(
    state: State<'_, AppState>,
    case_id: String,
    observable_id: String,
    input: ObservableInput,
) -> Res<Observable> {
    with_book(&state, move |b| b.update_observable(&case_id, &observable_id, &input)).await
}

pub async fn delete_observable(state: State<'_, AppState>, case_id: String, observable_id: String) -> Res<()> {
    with_book(&state, move |b| b.delete_observable(&case_id, &observable_id)).await
}

pub async fn observable_types(state: State<'_, AppState>, space: String) -> Res<Vec<ObservableType>> {
    with_book(&state, move |b| b.observable_types(&space)).await
}

pub async fn similar_cases(
    state: State<'_, AppState>,
    case_id: String,
    page: u32,
    per_page: u32,
) -> Res<SimilarCasesPage> {
    with_book(&state, move |b| b.similar_cases(&case_id, page, per_page)).await
}
