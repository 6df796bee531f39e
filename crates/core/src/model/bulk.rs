//! Bulk changes to every case a query matches, however many: "Select all N matching cases".

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Assignee, Severity, Status};

/// The cases a query matched at one moment. `snapshot` names that moment for the batches that
/// follow: a case changed after it is skipped rather than overwritten, and a case created after
/// it is not part of the selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchingCases {
    pub total: i64,
    pub snapshot: String,
}

/// What a bulk edit does to each case; at least one part must be given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(optional_fields)]
pub struct BulkChange {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub add_assignees: Vec<Assignee>,
    pub remove_assignees: Vec<Assignee>,
}

impl BulkChange {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.severity.is_none()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
            && self.add_assignees.is_empty()
            && self.remove_assignees.is_empty()
    }
}

/// A case a batch left alone, and why: `conflict` (changed since it was selected) for a skipped
/// case, the refusal's code and message for a failed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BulkIssue {
    pub id: String,
    pub incremental_id: Option<i64>,
    pub title: String,
    pub code: String,
    pub message: String,
}

/// The outcome of one batch of a bulk edit or delete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BulkBatch {
    /// Cases changed (or deleted).
    pub changed: i64,
    /// Cases that already were as asked.
    pub unchanged: i64,
    /// Changed by someone else since the selection: left as they are.
    pub skipped: Vec<BulkIssue>,
    /// Refused by a rule (say, one tag too many): left as they are.
    pub failed: Vec<BulkIssue>,
    /// Pass as `after` for the next batch; `None` after the last one.
    pub next: Option<String>,
}

impl BulkBatch {
    /// The selected cases this batch came across.
    pub fn seen(&self) -> i64 {
        self.changed + self.unchanged + self.skipped.len() as i64 + self.failed.len() as i64
    }
}

/// A whole bulk run added up: what the command line prints and the app shows at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BulkReport {
    /// The cases selected (`MatchingCases::total`).
    pub total: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub skipped: Vec<BulkIssue>,
    pub failed: Vec<BulkIssue>,
    /// Selected, but deleted or changed to no longer match before their batch came: left alone.
    pub gone: i64,
    /// Stopped between two batches: the cases after the last batch were not looked at.
    pub cancelled: bool,
}

impl BulkReport {
    pub fn new(total: i64) -> Self {
        BulkReport { total, ..Default::default() }
    }

    /// Adds a batch. After the last one, every selected case not met is counted as gone.
    pub fn add(&mut self, batch: BulkBatch) {
        self.changed += batch.changed;
        self.unchanged += batch.unchanged;
        self.skipped.extend(batch.skipped);
        self.failed.extend(batch.failed);
        if batch.next.is_none() {
            self.gone = (self.total - self.seen()).max(0);
        }
    }

    /// The selected cases met so far.
    pub fn seen(&self) -> i64 {
        self.changed + self.unchanged + self.skipped.len() as i64 + self.failed.len() as i64
    }
}
