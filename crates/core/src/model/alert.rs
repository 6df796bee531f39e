use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Severity, SortOrder, User};

/// Where an attached alert came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AlertOrigin {
    File,
    Elasticsearch,
}

impl AlertOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertOrigin::File => "file",
            AlertOrigin::Elasticsearch => "elasticsearch",
        }
    }
}

/// Kibana's alert triage states (`kibana.alert.workflow_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowStatus {
    #[default]
    Open,
    Acknowledged,
    Closed,
}

impl WorkflowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::Open => "open",
            WorkflowStatus::Acknowledged => "acknowledged",
            WorkflowStatus::Closed => "closed",
        }
    }

    /// Reads a document's value; legacy `signal.status` says `in-progress`, and Kibana's alert
    /// table shows "In progress" (as `in_progress` or with a space when typed): acknowledged.
    pub fn parse_lenient(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace([' ', '_'], "-").as_str() {
            "open" => Some(WorkflowStatus::Open),
            "acknowledged" | "in-progress" => Some(WorkflowStatus::Acknowledged),
            "closed" => Some(WorkflowStatus::Closed),
            _ => None,
        }
    }

    /// What syncing a case status sets on its alerts (Kibana's translateStatus).
    pub fn for_case(status: super::Status) -> Self {
        match status {
            super::Status::Open => WorkflowStatus::Open,
            super::Status::InProgress => WorkflowStatus::Acknowledged,
            super::Status::Closed => WorkflowStatus::Closed,
        }
    }
}

impl std::str::FromStr for WorkflowStatus {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Self::parse_lenient(s).ok_or_else(|| {
            crate::Error::validation(
                "workflow_status",
                format!("must be open, acknowledged (or in-progress) or closed (got {s:?})"),
            )
        })
    }
}

/// An alert attached to a case, as the Alerts tab lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseAlert {
    /// `kibana.alert.uuid`, else the document `_id`.
    pub id: String,
    pub index: Option<String>,
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub severity: Option<Severity>,
    pub risk_score: Option<f64>,
    pub reason: Option<String>,
    pub host: Option<String>,
    pub user: Option<String>,
    /// When the alert was raised (its `@timestamp`): the alert's time, shown and sorted by.
    #[serde(rename = "@timestamp")]
    pub timestamp: Option<DateTime<Utc>>,
    /// When the source event happened (`kibana.alert.original_time`, legacy
    /// `signal.original_time`), shown apart as the event time.
    pub original_time: Option<DateTime<Utc>>,
    pub workflow_status: WorkflowStatus,
    pub origin: AlertOrigin,
    /// The local workflow status has not reached Elasticsearch yet.
    pub status_sync_pending: bool,
    pub attached_at: DateTime<Utc>,
    pub attached_by: User,
}

/// One field of an alert document: its dotted path and every value it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertField {
    pub field: String,
    #[ts(type = "Array<string | number | boolean>")]
    pub values: Vec<Value>,
}

/// An alert with its whole original document, for the detail panel and export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertDetail {
    pub alert: CaseAlert,
    /// Every field, flattened to dotted paths, sorted by path.
    pub fields: Vec<AlertField>,
    #[ts(type = "unknown")]
    pub document: Value,
}

/// How the Alerts tab orders a case's alerts. `Rule` groups them by rule, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum AlertSortField {
    #[default]
    Rule,
    Time,
    Severity,
    RiskScore,
    Host,
    User,
}

/// A page request for a case's alerts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct AlertListQuery {
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    #[serde(default)]
    pub sort: Option<AlertSortField>,
    #[serde(default)]
    pub order: Option<SortOrder>,
    /// Exact rule name; `""` selects alerts that name no rule.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub workflow_status: Option<WorkflowStatus>,
    /// Words matched against rule, reason, host, user and alert id.
    #[serde(default)]
    pub search: Option<String>,
}

/// One page of a case's alerts and how many match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertPage {
    pub alerts: Vec<CaseAlert>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// The alerts of one rule in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertRuleGroup {
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub alerts: i64,
    pub newest: Option<DateTime<Utc>>,
}

/// The figures of a case's alerts: the header's counts and the tab's rule groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertOverview {
    pub total: i64,
    /// Distinct `host.name` values.
    pub hosts: i64,
    /// Distinct `user.name` values.
    pub users: i64,
    pub rules: Vec<AlertRuleGroup>,
    /// Alerts whose status change has not reached Elasticsearch yet.
    pub status_sync_pending: i64,
}

/// One unreadable line or document of an import.
pub use crate::alerts::ParseIssue;

/// What an alert import did. Nothing already in the case is changed by an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertImportReport {
    /// Alerts newly attached.
    pub attached: u64,
    /// Alerts read that the case already had (stored once).
    pub already_attached: u64,
    /// Alerts the file (or the batch) held more than once, beyond their first time (stored once).
    pub repeated_in_file: u64,
    /// Every line or document that could not be read (the first 1 000; `issue_count` has all).
    pub issues: Vec<ParseIssue>,
    pub issue_count: u64,
    /// Observables extracted from the new alerts and added to the case.
    pub observables_added: u64,
    /// Extracted observables left out because the case holds the maximum.
    pub observables_over_limit: u64,
    /// The import was cancelled: nothing was attached.
    pub cancelled: bool,
}

/// Progress of an import: reading the file, then saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertImportProgress {
    pub phase: ImportPhase,
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub alerts_read: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ImportPhase {
    Reading,
    Saving,
}
