use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Case, Severity, Status};

/// Columns a case list can be sorted by (Kibana's `sortField`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    Title,
    Category,
    #[default]
    #[serde(alias = "createdAt", alias = "created")]
    CreatedAt,
    #[serde(alias = "updatedAt", alias = "updated")]
    UpdatedAt,
    #[serde(alias = "closedAt", alias = "closed")]
    ClosedAt,
    Status,
    Severity,
}

impl std::str::FromStr for SortField {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Ok(match s.trim() {
            "title" => SortField::Title,
            "category" => SortField::Category,
            "created" | "created_at" | "createdAt" => SortField::CreatedAt,
            "updated" | "updated_at" | "updatedAt" => SortField::UpdatedAt,
            "closed" | "closed_at" | "closedAt" => SortField::ClosedAt,
            "status" => SortField::Status,
            "severity" => SortField::Severity,
            other => {
                return Err(crate::Error::validation(
                    "sort",
                    format!(
                        "must be one of title, category, created, updated, closed, status, severity (got {other:?})"
                    ),
                ));
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

impl std::str::FromStr for SortOrder {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "asc" => Ok(SortOrder::Asc),
            "desc" => Ok(SortOrder::Desc),
            other => Err(crate::Error::validation("order", format!("must be asc or desc (got {other:?})"))),
        }
    }
}

/// Which time `from` and `to` bound (Kibana's date picker over created or updated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    #[default]
    #[serde(alias = "createdAt", alias = "created")]
    CreatedAt,
    /// The last change: the update time, or the creation time of a case never updated.
    #[serde(alias = "updatedAt", alias = "updated")]
    UpdatedAt,
}

impl std::str::FromStr for DateField {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s.trim() {
            "created" | "created_at" | "createdAt" => Ok(DateField::CreatedAt),
            "updated" | "updated_at" | "updatedAt" => Ok(DateField::UpdatedAt),
            other => Err(crate::Error::validation("date_field", format!("must be created or updated (got {other:?})"))),
        }
    }
}

/// A toggle custom field filter: cases whose field `key` is on (or off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ToggleFilter {
    pub key: String,
    pub value: bool,
}

/// The filters, search, sort and page of a case list (Kibana's `_find` parameters).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(optional_fields)]
pub struct FindQuery {
    pub space: String,
    pub status: Vec<Status>,
    pub severity: Vec<Severity>,
    /// Cases with any of these tags.
    pub tags: Vec<String>,
    /// Usernames; the keyword `none` matches cases without assignees.
    pub assignees: Vec<String>,
    /// Usernames of the people who created the cases.
    pub reporters: Vec<String>,
    pub category: Vec<String>,
    pub custom_toggles: Vec<ToggleFilter>,
    /// Bounds (inclusive) on the time `date_field` names.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Default: the creation time.
    pub date_field: Option<DateField>,
    /// Cases breaching, or about to breach, the space's service-level targets.
    pub sla: Option<super::SlaFilter>,
    /// Free text, `#123`, or a case UUID.
    pub search: Option<String>,
    /// Default: by relevance when searching, else by creation time.
    pub sort_field: Option<SortField>,
    pub sort_order: SortOrder,
    pub page: u32,
    pub per_page: u32,
}

impl Default for FindQuery {
    fn default() -> Self {
        FindQuery {
            space: super::DEFAULT_SPACE.into(),
            status: vec![],
            severity: vec![],
            tags: vec![],
            assignees: vec![],
            reporters: vec![],
            category: vec![],
            custom_toggles: vec![],
            from: None,
            to: None,
            date_field: None,
            sla: None,
            search: None,
            sort_field: None,
            sort_order: SortOrder::Desc,
            page: 1,
            per_page: 20,
        }
    }
}

/// A page of cases in Kibana's `_find` shape, plus the mean time to close for the same filters.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct FindResult {
    pub cases: Vec<Case>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub count_open_cases: i64,
    pub count_in_progress_cases: i64,
    pub count_closed_cases: i64,
    /// Mean seconds from creation to close over the closed cases matching the filters.
    pub mean_time_to_close: Option<f64>,
}

/// Status counts and mean time to close for a set of filters (the home page header).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseStats {
    pub count_open_cases: i64,
    pub count_in_progress_cases: i64,
    pub count_closed_cases: i64,
    pub mean_time_to_close: Option<f64>,
}

/// How many cases of each severity match a list's filters, its severity filter aside (the
/// counts beside the severity filter, as the status counts sit beside the status filter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SeverityCounts {
    pub low: i64,
    pub medium: i64,
    pub high: i64,
    pub critical: i64,
}

/// A tag used in a space and the number of its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TagCount {
    pub tag: String,
    pub cases: i64,
}
