use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A named workspace; every case belongs to exactly one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Space {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub total_cases: i64,
}
