use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::User;

/// A Markdown user comment on a case (Kibana's `user` attachment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Comment {
    pub id: String,
    pub version: String,
    pub case_id: String,
    /// The Markdown body; Kibana names this field `comment`.
    pub comment: String,
    #[serde(rename = "type")]
    pub comment_type: String,
    pub owner: String,
    pub created_at: DateTime<Utc>,
    pub created_by: User,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<User>,
    pub pushed_at: Option<DateTime<Utc>>,
    pub pushed_by: Option<User>,
}
