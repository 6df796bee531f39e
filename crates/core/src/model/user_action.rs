use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::User;

/// What happened, in Kibana's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionVerb {
    Add,
    Create,
    Delete,
    Update,
    PushToService,
}

/// Which part of the case the action touched: Kibana's user-action types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    CreateCase,
    DeleteCase,
    Title,
    Description,
    Tags,
    Status,
    Severity,
    Assignees,
    Category,
    CustomFields,
    Settings,
    Connector,
    Comment,
    Observables,
    Pushed,
}

impl ActionType {
    pub const ALL: &'static [ActionType] = &[
        ActionType::CreateCase,
        ActionType::DeleteCase,
        ActionType::Title,
        ActionType::Description,
        ActionType::Tags,
        ActionType::Status,
        ActionType::Severity,
        ActionType::Assignees,
        ActionType::Category,
        ActionType::CustomFields,
        ActionType::Settings,
        ActionType::Connector,
        ActionType::Comment,
        ActionType::Observables,
        ActionType::Pushed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionType::CreateCase => "create_case",
            ActionType::DeleteCase => "delete_case",
            ActionType::Title => "title",
            ActionType::Description => "description",
            ActionType::Tags => "tags",
            ActionType::Status => "status",
            ActionType::Severity => "severity",
            ActionType::Assignees => "assignees",
            ActionType::Category => "category",
            ActionType::CustomFields => "custom_fields",
            ActionType::Settings => "settings",
            ActionType::Connector => "connector",
            ActionType::Comment => "comment",
            ActionType::Observables => "observables",
            ActionType::Pushed => "pushed",
        }
    }
}

impl std::str::FromStr for ActionType {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        let s = s.trim();
        ActionType::ALL.iter().copied().find(|t| t.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = ActionType::ALL.iter().map(|t| t.as_str()).collect();
            crate::Error::validation("type", format!("must be one of {} (got {s:?})", names.join(", ")))
        })
    }
}

impl ActionVerb {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionVerb::Add => "add",
            ActionVerb::Create => "create",
            ActionVerb::Delete => "delete",
            ActionVerb::Update => "update",
            ActionVerb::PushToService => "push_to_service",
        }
    }
}

/// One append-only activity record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserAction {
    pub id: String,
    pub case_id: String,
    pub action: ActionVerb,
    #[serde(rename = "type")]
    pub action_type: ActionType,
    pub payload: Value,
    pub created_at: DateTime<Utc>,
    pub created_by: User,
    pub comment_id: Option<String>,
    pub owner: String,
}

/// Which activity to return; oldest first unless asked otherwise (as Kibana's feed).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(optional_fields)]
pub struct ActivityQuery {
    pub types: Vec<ActionType>,
    pub sort_order: super::SortOrder,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl Default for ActivityQuery {
    fn default() -> Self {
        ActivityQuery { types: vec![], sort_order: super::SortOrder::Asc, page: None, per_page: None }
    }
}

/// A page of activity, in Kibana's `_find` shape.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ActivityPage {
    pub user_actions: Vec<UserAction>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}
