//! A space's case settings, the profile of the person at the keyboard, and teammates.

use casebook_core::{CaseConfiguration, ConfigurationPatch, User, UserInput};
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

pub async fn get_configuration(state: State<'_, AppState>, space: String) -> Res<CaseConfiguration> {
    with_book(&state, move |b| b.configuration(&space)).await
}

pub async fn update_configuration(
    state: State<'_, AppState>,
    space: String,
    patch: ConfigurationPatch,
) -> Res<CaseConfiguration> {
    with_book(&state, move |b| b.update_configuration(&space, &patch)).await
}

pub async fn profile(state: State<'_, AppState>) -> Res<User> {
    with_book(&state, |b| b.profile()).await
}

pub async fn set_profile(state: State<'_, AppState>, input: UserInput) -> Res<User> {
    with_book(&state, move |b| b.set_profile(&input)).await
}

pub async fn list_users(state: State<'_, AppState>) -> Res<Vec<User>> {
    with_book(&state, |b| b.list_users()).await
}

pub async fn add_user(state: State<'_, AppState>, input: UserInput) -> Res<User> {
    with_book(&state, move |b| b.add_user(&input)).await
}

pub async fn remove_user(state: State<'_, AppState>, username: String) -> Res<()> {
    with_book(&state, move |b| b.remove_user(&username)).await
}
