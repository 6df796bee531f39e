//! Spaces, cases, and the values offered by the list filters.

use casebook_core::{Case, CaseCreate, CasePatch, CaseStats, FindQuery, FindResult, Space};
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn list_spaces(state: State<'_, AppState>) -> Res<Vec<Space>> {
    with_book(&state, |b| b.list_spaces()).await
}

pub async fn create_space(state: State<'_, AppState>, name: String) -> Res<Space> {
    with_book(&state, move |b| b.create_space(&name)).await
}

pub async fn find_cases(state: State<'_, AppState>, query: FindQuery) -> Res<FindResult> {
    with_book(&state, move |b| b.find_cases(&query)).await
}

pub async fn case_stats(state: State<'_, AppState>, query: FindQuery) -> Res<CaseStats> {
    with_book(&state, move |b| b.case_stats(&query)).await
}

/// `reference` is a case UUID or `#N` in `space`.
pub async fn get_case(state: State<'_, AppState>, space: String, reference: String) -> Res<Case> {
    with_book(&state, move |b| b.resolve_case(&space, &reference)).await
}

pub async fn create_case(state: State<'_, AppState>, space: String, input: CaseCreate) -> Res<Case> {
    with_book(&state, move |b| b.create_case(&space, &input)).await
}

pub async fn check_case_create(state: State<'_, AppState>, space: String, input: CaseCreate) -> Res<()> {
    with_book(&state, move |b| b.check_case_create(&space, &input)).await
}

/// All or nothing: a stale version in any patch fails the whole batch with `conflict`, a case
/// outside `space` with `not_found`.
pub async fn update_cases(state: State<'_, AppState>, space: String, patches: Vec<CasePatch>) -> Res<Vec<Case>> {
    with_book(&state, move |b| b.update_cases(&space, &patches)).await
}

pub async fn delete_cases(state: State<'_, AppState>, ids: Vec<String>) -> Res<()> {
    with_book(&state, move |b| b.delete_cases(&ids)).await
}

pub async fn list_tags(state: State<'_, AppState>, space: String) -> Res<Vec<String>> {
    with_book(&state, move |b| b.tags(&space)).await
}

pub async fn list_categories(state: State<'_, AppState>, space: String) -> Res<Vec<String>> {
    with_book(&state, move |b| b.categories(&space)).await
}

pub async fn list_reporters(state: State<'_, AppState>, space: String) -> Res<Vec<String>> {
    with_book(&state, move |b| b.reporters(&space)).await
}
