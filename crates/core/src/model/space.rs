use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A named workspace; every case belongs to exactly one.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Space {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub total_cases: i64,
}
