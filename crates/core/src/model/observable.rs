use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Case, User};

pub use crate::observables::types::ObservableType;

/// An observable on a case (Kibana's `{id, typeKey, value, description, createdAt, updatedAt}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Observable {
    pub id: String,
    pub type_key: String,
    /// The type's label, or the key when the type is no longer configured.
    pub type_label: String,
    pub value: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: User,
    pub updated_at: Option<DateTime<Utc>>,
    /// Extracted from alerts and not chosen by the analyst: a promoted value may replace it.
    pub auto_extracted: bool,
    /// How many of the case's alerts carry the value, when it came from them.
    pub alerts: Option<i64>,
}

/// The body of an add or edit. Kibana's camelCase `typeKey` is read too.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ObservableInput {
    #[serde(alias = "typeKey")]
    pub type_key: String,
    pub value: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// An extracted value the case's cap left out, and how many of its alerts carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LeftOutObservable {
    pub type_key: String,
    pub type_label: String,
    pub value: String,
    pub alerts: i64,
}

/// One page of a case's left-out values, best ranked first, with the cap that left them out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeftOutPage {
    pub values: Vec<LeftOutObservable>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// The space's cap and how many observables the case holds.
    pub max_observables: u32,
    pub held: u32,
}

/// A promoted value, and the extracted one it replaced when the case was full (now left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Promotion {
    pub observable: Observable,
    pub replaced: Option<LeftOutObservable>,
}

/// A value two cases share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SharedObservable {
    pub type_key: String,
    pub type_label: String,
    pub value: String,
}

/// A case that shares at least one observable with the one being looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SimilarCase {
    pub case: Case,
    pub shared: Vec<SharedObservable>,
}

/// One page of similar cases, most shared values first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SimilarCasesPage {
    pub cases: Vec<SimilarCase>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}
