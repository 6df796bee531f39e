//! Unsent text, kept on disk beside the database as it is typed.

use super::{Answer, Api};

pub async fn get_draft(api: &Api, key: String) -> Answer<Option<String>> {
    api.run(move |b| b.drafts().get(&key)).await
}

/// Blank `body` removes the draft.
pub async fn save_draft(api: &Api, key: String, body: String) -> Answer<()> {
    api.run(move |b| b.drafts().put(&key, &body)).await
}

pub async fn delete_draft(api: &Api, key: String) -> Answer<()> {
    api.run(move |b| b.drafts().delete(&key)).await
}
