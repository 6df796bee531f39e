//! A case's comments and its activity log.

use serde::{Deserialize, Serialize};

use super::{Answer, Api};
use crate::{ActivityPage, ActivityQuery, Comment, SortOrder};

/// One page of a case's comments and how many the case has in all.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct CommentPage {
    pub comments: Vec<Comment>,
    pub total: i64,
}

pub async fn list_comments(
    api: &Api,
    case_id: String,
    order: SortOrder,
    page: u32,
    per_page: u32,
) -> Answer<CommentPage> {
    api.run(move |b| b.list_comments(&case_id, order, page, per_page))
        .await
        .map(|(comments, total)| CommentPage { comments, total })
}

pub async fn add_comment(api: &Api, case_id: String, body: String) -> Answer<Comment> {
    api.run(move |b| b.add_comment(&case_id, &body)).await
}

/// `version` is the comment's as last read; a stale one fails with `conflict`.
pub async fn edit_comment(
    api: &Api,
    case_id: String,
    comment_id: String,
    version: String,
    body: String,
) -> Answer<Comment> {
    api.run(move |b| b.edit_comment(&case_id, &comment_id, &version, &body)).await
}

pub async fn delete_comment(api: &Api, case_id: String, comment_id: String) -> Answer<()> {
    api.run(move |b| b.delete_comment(&case_id, &comment_id)).await
}

pub async fn find_activity(api: &Api, space: String, case_id: String, query: ActivityQuery) -> Answer<ActivityPage> {
    api.run(move |b| b.find_activity(&space, &case_id, &query)).await
}
