use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Assignee, User};

/// Kibana's four severities, in rising order (the order `sort severity` uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

/// Kibana's three statuses, in workflow order (the order `sort status` uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default, TS)]
pub enum Status {
    #[default]
    #[serde(rename = "open")]
    Open,
    #[serde(rename = "in-progress")]
    InProgress,
    #[serde(rename = "closed")]
    Closed,
}

macro_rules! small_enum {
    ($t:ty, $field:literal, [$($v:ident = $n:literal : $s:literal),+]) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),+];
            pub fn as_str(self) -> &'static str { match self { $(<$t>::$v => $s),+ } }
            pub(crate) fn to_db(self) -> i64 { match self { $(<$t>::$v => $n),+ } }
            pub(crate) fn from_db(n: i64) -> Self { match n { $($n => <$t>::$v,)+ _ => <$t>::default() } }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl std::str::FromStr for $t {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($s => Ok(<$t>::$v),)+
                    other => Err(crate::Error::validation(
                        $field,
                        format!("must be one of {} (got {other:?})", [$($s),+].join(", ")),
                    )),
                }
            }
        }
    };
}
small_enum!(Severity, "severity", [Low = 0: "low", Medium = 1: "medium", High = 2: "high", Critical = 3: "critical"]);
small_enum!(Status, "status", [Open = 0: "open", InProgress = 1: "in-progress", Closed = 2: "closed"]);

/// `settings` on a case. Kibana spells the field `syncAlerts`; both spellings are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseSettings {
    #[serde(alias = "syncAlerts")]
    pub sync_alerts: bool,
    /// Auto-extract observables from attached alerts (Kibana 9.2). On unless turned off.
    #[serde(default = "yes", alias = "extractObservables")]
    pub extract_observables: bool,
}

fn yes() -> bool {
    true
}

impl Default for CaseSettings {
    fn default() -> Self {
        CaseSettings { sync_alerts: true, extract_observables: true }
    }
}

/// A custom field's value on a case: `{key, type, value}` as in Kibana.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CustomFieldValue {
    pub key: String,
    #[serde(rename = "type")]
    pub field_type: CustomFieldType,
    pub value: Value,
}

/// Kibana's custom field types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CustomFieldType {
    Text,
    Toggle,
    Number,
}

/// The connector chosen for a case and its per-case fields (used by push).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseConnector {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub connector_type: String,
    pub fields: Option<Value>,
}

impl Default for CaseConnector {
    fn default() -> Self {
        CaseConnector { id: "none".into(), name: "none".into(), connector_type: ".none".into(), fields: None }
    }
}

/// Where and when the case was last pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExternalService {
    pub connector_id: String,
    pub connector_name: String,
    pub external_id: String,
    pub external_title: String,
    pub external_url: String,
    pub pushed_at: DateTime<Utc>,
    pub pushed_by: User,
}

/// A case as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Case {
    pub id: String,
    pub version: String,
    pub incremental_id: Option<i64>,
    pub space: String,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub severity: Severity,
    pub status: Status,
    pub assignees: Vec<Assignee>,
    pub category: Option<String>,
    pub custom_fields: Vec<CustomFieldValue>,
    pub settings: CaseSettings,
    pub owner: String,
    pub connector: CaseConnector,
    pub external_service: Option<ExternalService>,
    /// Whether the ticket of the last push reflects the case and its comments.
    #[serde(default)]
    pub push_state: super::PushState,
    /// A push waiting in the outbox, if any.
    #[serde(default)]
    pub pending_push: Option<super::OutboxState>,
    pub created_at: DateTime<Utc>,
    pub created_by: User,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<User>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<User>,
    pub in_progress_at: Option<DateTime<Utc>>,
    /// Seconds from creation to close; null unless closed.
    pub duration: Option<i64>,
    pub time_to_acknowledge: Option<i64>,
    pub time_to_investigate: Option<i64>,
    pub time_to_resolve: Option<i64>,
    pub total_comment: i64,
    pub total_alerts: i64,
    pub total_observables: i64,
}

/// The body of a create: Kibana's create-case request, snake_case or Kibana's camelCase.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct CaseCreate {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub assignees: Vec<Assignee>,
    #[serde(default, alias = "customFields")]
    pub custom_fields: Vec<CustomFieldValue>,
    #[serde(default)]
    pub settings: Option<CaseSettings>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub connector: Option<CaseConnector>,
}

/// A partial update. Absent fields are left alone; `version` must be the current one.
/// `add_*`/`remove_*` apply after a full replacement, so bulk tag edits need no read first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct CasePatch {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// `Some(None)` clears the category.
    #[serde(default, with = "double_option")]
    #[ts(type = "string | null", optional)]
    pub category: Option<Option<String>>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
    #[serde(default)]
    pub assignees: Option<Vec<Assignee>>,
    #[serde(default)]
    pub add_assignees: Vec<Assignee>,
    #[serde(default)]
    pub remove_assignees: Vec<Assignee>,
    #[serde(default, alias = "customFields")]
    pub custom_fields: Option<Vec<CustomFieldValue>>,
    #[serde(default)]
    pub settings: Option<CaseSettings>,
    #[serde(default)]
    pub connector: Option<CaseConnector>,
}

/// Distinguishes "absent" (leave alone) from `null` (clear) in a patch.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            None => s.serialize_none(),
            Some(inner) => inner.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// How a case is named on the command line or in a link: its UUID or `#N` in a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRef {
    Id(String),
    Number(i64),
}

impl std::str::FromStr for CaseRef {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        let s = s.trim();
        if let Some(n) = s.strip_prefix('#') {
            return n
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(CaseRef::Number)
                .ok_or_else(|| crate::Error::validation("case", format!("{s:?} is not a case number (#1, #2, …)")));
        }
        uuid::Uuid::parse_str(s).map(|u| CaseRef::Id(u.hyphenated().to_string())).map_err(|_| {
            crate::Error::validation("case", format!("{s:?} is neither a case id (UUID) nor a case number (#N)"))
        })
    }
}
