//! A case's comments and its activity log.

use casebook_core::{ActivityPage, ActivityQuery, Comment, SortOrder};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

/// One page of a case's comments and how many the case has in all.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommentPage {
    pub comments: Vec<Comment>,
    pub total: i64,
}

pub async fn list_comments(
    state: State<'_, AppState>,
    case_id: String,
    order: SortOrder,
    page: u32,
    per_page: u32,
) -> Res<CommentPage> {
    with_book(&state, move |b| b.list_comments(&case_id, order, page, per_page))
        .await
        .map(|(comments, total)| CommentPage { comments, total })
}

pub async fn add_comment(state: State<'_, AppState>, case_id: String, body: String) -> Res<Comment> {
    with_book(&state, move |b| b.add_comment(&case_id, &body)).await
}

/// `version` is the comment's version as last read; a stale one fails with `conflict`.
pub async fn edit_comment(
    state: State<'_, AppState>,
    case_id: String,
    comment_id: String,
    version: String,
    body: String,
) -> Res<Comment> {
    with_book(&state, move |b| b.edit_comment(&case_id, &comment_id, &version, &body)).await
}

pub async fn delete_comment(state: State<'_, AppState>, case_id: String, comment_id: String) -> Res<()> {
    with_book(&state, move |b| b.delete_comment(&case_id, &comment_id)).await
}

pub async fn find_activity(
    state: State<'_, AppState>,
    space: String,
    case_id: String,
    query: ActivityQuery,
) -> Res<ActivityPage> {
    with_book(&state, move |b| b.find_activity(&space, &case_id, &query)).await
}
