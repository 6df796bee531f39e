use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Assignee, CaseConnector, CaseSettings, CustomFieldType, CustomFieldValue, Severity};

/// When a case closes: only by hand, or also when it is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ClosureType {
    #[default]
    CloseByUser,
    CloseByPushing,
}

/// A custom field definition of a space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct CustomFieldDefinition {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: CustomFieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default, alias = "defaultValue", skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
}

/// Fields a template fills in on the create form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct TemplateCaseFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignees: Option<Vec<Assignee>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, alias = "customFields", skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomFieldValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<CaseSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<CaseConnector>,
}

/// A case template (Kibana 8.15+): a named set of create-form defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct Template {
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, alias = "caseFields")]
    pub case_fields: TemplateCaseFields,
}

/// The case settings of one space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseConfiguration {
    pub space: String,
    pub version: String,
    pub closure_type: ClosureType,
    pub custom_fields: Vec<CustomFieldDefinition>,
    pub templates: Vec<Template>,
    /// The space's own observable types (built-in ones are not listed here).
    pub observable_types: Vec<super::ObservableType>,
    /// How many observables a case of this space holds at most (Kibana's 50 unless raised).
    /// Defaults when read from a document saved before it existed (`settings set --from-json`).
    #[serde(default = "kibana_max_observables")]
    pub max_observables: u32,
    /// Type keys in the order that ranks extracted values carried by as many alerts; types
    /// not listed follow in their usual order (built-in, then the space's own).
    #[serde(default)]
    pub observable_type_priority: Vec<String>,
    /// Service-level targets per severity; a severity not listed has none.
    #[serde(default)]
    pub sla: Vec<SlaTarget>,
}

/// A space's service-level targets for one severity (Casebook's; Kibana has none): how long a
/// case may stay unacknowledged (open, never in progress) and unresolved (not closed), counted
/// from its creation. Either may be unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct SlaTarget {
    pub severity: super::Severity,
    #[serde(default)]
    pub acknowledge_seconds: Option<i64>,
    #[serde(default)]
    pub resolve_seconds: Option<i64>,
}

fn kibana_max_observables() -> u32 {
    crate::observables::types::MAX_OBSERVABLES_PER_CASE as u32
}

/// A change to a space's case settings; absent parts are left alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ConfigurationPatch {
    pub version: String,
    #[serde(default)]
    pub closure_type: Option<ClosureType>,
    #[serde(default, alias = "customFields")]
    pub custom_fields: Option<Vec<CustomFieldDefinition>>,
    #[serde(default)]
    pub templates: Option<Vec<Template>>,
    /// Replaces the custom observable types; observables of a removed type are deleted.
    #[serde(default, alias = "observableTypes")]
    pub observable_types: Option<Vec<super::ObservableType>>,
    /// Raising it fills every case's free room from its left-out values, best ranked first.
    #[serde(default, alias = "maxObservables")]
    pub max_observables: Option<u32>,
    #[serde(default, alias = "observableTypePriority")]
    pub observable_type_priority: Option<Vec<String>>,
    /// Replaces the service-level targets.
    #[serde(default)]
    pub sla: Option<Vec<SlaTarget>>,
}
