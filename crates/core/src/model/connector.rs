//! Connectors to incident systems (Jira, ServiceNow ITSM and SecOps) and the push outbox, as the
//! UI and `--json` show them. Secrets never appear in any of these types.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Case;

/// Which incident system a connector speaks to. What each one needs (its label, Kibana's type
/// id, its case fields, how it signs in) is its module's [`crate::connectors::Spec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectorKind {
    Jira,
    ServicenowItsm,
    ServicenowSir,
    Resilient,
    Swimlane,
    #[serde(rename = "thehive")]
    TheHive,
    CasesWebhook,
}

impl ConnectorKind {
    pub const ALL: [ConnectorKind; 7] = [
        ConnectorKind::Jira,
        ConnectorKind::ServicenowItsm,
        ConnectorKind::ServicenowSir,
        ConnectorKind::Resilient,
        ConnectorKind::Swimlane,
        ConnectorKind::TheHive,
        ConnectorKind::CasesWebhook,
    ];

    /// The CLI's and the database's spelling.
    pub fn as_str(self) -> &'static str {
        crate::connectors::spec(self).name
    }

    /// Kibana's connector type id, stored in a case's `connector.type`.
    pub fn kibana_type(self) -> &'static str {
        crate::connectors::spec(self).kibana_type
    }

    /// How people call the system.
    pub fn label(self) -> &'static str {
        crate::connectors::spec(self).label
    }
}

impl std::str::FromStr for ConnectorKind {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        let wanted = s.trim().to_ascii_lowercase();
        ConnectorKind::ALL.into_iter().find(|k| k.as_str() == wanted || k.kibana_type() == wanted).ok_or_else(|| {
            let names: Vec<&str> = ConnectorKind::ALL.iter().map(|k| k.as_str()).collect();
            crate::Error::validation("type", format!("must be one of {} (got {s:?})", names.join(", ")))
        })
    }
}

pub use crate::connectors::jira::JiraSettings;
pub use crate::connectors::resilient::ResilientSettings;
pub use crate::connectors::servicenow::ServiceNowSettings;
pub use crate::connectors::swimlane::{SwimlaneMappings, SwimlaneSettings};
pub use crate::connectors::thehive::TheHiveSettings;
pub use crate::connectors::webhook::settings::{
    CasesWebhookSettings, CertType, Verification, WebhookAuth, WebhookCreate, WebhookFind, WebhookGet, WebhookMethod,
    WebhookRequest,
};

/// A connector's settings: everything but its name, URL and secrets, in the shape of its
/// system (the `kind` tag says which). Each system's settings are declared in its module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant, reason = "a webhook's templates are large; settings are few and rarely copied")]
pub enum ConnectorSettings {
    Jira(JiraSettings),
    ServicenowItsm(ServiceNowSettings),
    ServicenowSir(ServiceNowSettings),
    Resilient(ResilientSettings),
    Swimlane(SwimlaneSettings),
    #[serde(rename = "thehive")]
    TheHive(TheHiveSettings),
    CasesWebhook(CasesWebhookSettings),
}

/// How the connector signs in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectorAuth {
    /// User name (Jira Cloud: the account's email) and API token or password.
    #[default]
    Basic,
    /// Jira Data Center personal access token, sent as `Authorization: Bearer`.
    Pat,
}

/// How a ServiceNow connector writes incidents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceNowMode {
    /// Through the Elastic ServiceNow app's import set tables (what Kibana uses by default).
    #[default]
    ImportSet,
    /// Straight into the incident table with the Table API.
    Table,
}

/// One choice of a drop-down: the value sent and the label shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// ServiceNow: the category value a subcategory belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub depends_on: Option<String>,
}

/// What the case form offers for a connector, fetched from the system and kept for offline use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConnectorMetadata {
    /// Jira: issue types of the project (value = id).
    #[serde(default)]
    pub issue_types: Vec<Choice>,
    /// Jira: priorities (value = name); ServiceNow SecOps: priority choices.
    #[serde(default)]
    pub priorities: Vec<Choice>,
    /// Jira: recent issues of the project that can be a parent (value = key).
    #[serde(default)]
    pub parents: Vec<Choice>,
    /// ServiceNow ITSM: urgency choices.
    #[serde(default)]
    pub urgencies: Vec<Choice>,
    /// ServiceNow ITSM: severity choices.
    #[serde(default)]
    pub severities: Vec<Choice>,
    /// ServiceNow ITSM: impact choices.
    #[serde(default)]
    pub impacts: Vec<Choice>,
    /// ServiceNow: categories.
    #[serde(default)]
    pub categories: Vec<Choice>,
    /// ServiceNow: subcategories, each with the category it depends on.
    #[serde(default)]
    pub subcategories: Vec<Choice>,
    /// IBM Resilient: incident types (value = id).
    #[serde(default)]
    pub incident_types: Vec<Choice>,
    /// TheHive: traffic light protocol levels (value = TheHive's number).
    #[serde(default)]
    pub tlps: Vec<Choice>,
    /// The system's own fields (Resilient incident fields, a Swimlane application's fields…):
    /// what case data can be mapped to, and what additional fields are checked against.
    #[serde(default)]
    pub fields: Vec<RemoteField>,
}

/// A field of the external system's records, as it describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct RemoteField {
    /// What the API calls it (Resilient `name`, Swimlane field id, Jira field id).
    pub id: String,
    /// What people see.
    pub label: String,
    /// The system's type name (`text`, `numeric`, `select`, `comments`…).
    pub field_type: String,
    /// Swimlane's field key, Resilient's `prefix` (`properties` for custom fields)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default)]
    #[ts(optional = false)]
    pub required: bool,
    #[serde(default)]
    #[ts(optional = false)]
    pub read_only: bool,
    /// The values a select field offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Choice>,
}

/// A connector as the UI and `casebook connector list` show it. The secret is never included:
/// only whether the keychain holds one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Connector {
    pub id: String,
    pub space: String,
    pub name: String,
    /// The system, as `settings.kind` says it (here for lists and filters).
    pub kind: ConnectorKind,
    pub url: String,
    pub settings: ConnectorSettings,
    /// What it points at, in a few words (`project SEC`, `Elastic app`), from its settings.
    pub target: String,
    /// The account it signs in as, when it names one (never a secret).
    pub account: Option<String>,
    /// What its main secret is called (`API token or password`, `Personal access token`).
    pub secret_label: String,
    /// Whether the OS keychain holds this connector's token or password.
    pub secret_stored: bool,
    /// The names of the secrets the keychain holds for it (`secret`, `header:X-Api-Key`,
    /// `client_key`…), never their values.
    #[serde(default)]
    pub stored_secrets: Vec<String>,
    /// Why the secret store could not be asked (the secrets file is locked, no keychain): then
    /// `secret_stored` says nothing, and the list still shows.
    #[serde(default)]
    pub secret_unreadable: Option<crate::WireError>,
    pub metadata: Option<ConnectorMetadata>,
    pub metadata_fetched_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Creating or editing a connector. On edit, a missing `secret` keeps the stored one.
#[derive(Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ConnectorInput {
    pub name: String,
    pub url: String,
    /// The system and its settings (`{"kind": "jira", "project_key": "SEC", …}`).
    pub settings: ConnectorSettings,
    /// The API token, password or personal access token. Goes to the OS keychain only.
    #[serde(default)]
    pub secret: Option<String>,
    /// More named secrets, for the systems that take them (a webhook's `header:<Name>`,
    /// `client_key`, `client_key_password`). Keychain only; on edit, those not given are kept
    /// and an empty value removes one.
    #[serde(default)]
    pub secrets: Option<BTreeMap<String, String>>,
}

impl std::fmt::Debug for ConnectorInput {
    // The secret stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorInput")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("settings", &self.settings)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field("secrets", &self.secrets.as_ref().map(|s| s.keys().collect::<Vec<_>>()))
            .finish()
    }
}

/// Which request of a webhook connector to preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PreviewRequest {
    Create,
    Update,
    Comment,
    Get,
    Find,
}

impl std::str::FromStr for PreviewRequest {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_ascii_lowercase())).map_err(|_| {
            crate::Error::validation("request", format!("must be create, update, comment, get or find (got {s:?})"))
        })
    }
}

/// One header of a previewed request; a secret one shows `••••`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewHeader {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

/// The exact request a push would send, with every secret masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RequestPreview {
    pub method: String,
    pub url: String,
    pub headers: Vec<PreviewHeader>,
    /// The JSON body, indented; none for a request without one.
    pub body: Option<String>,
}

/// A successful "Test connection".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConnectionCheck {
    /// One sentence, e.g. `Connected to Jira: project SEC (Security) is reachable.`
    pub message: String,
}

/// Whether a case's ticket reflects the case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PushState {
    #[default]
    NotPushed,
    UpToDate,
    /// The case or its comments changed after the last push.
    RequiresUpdate,
}

/// Where a requested push stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (first try, or a retry after a network or server failure).
    Queued,
    /// Being sent now.
    Sending,
    /// Stopped: the system refused it in a way retrying cannot fix (401, 403, 400…).
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Failed => "failed",
        }
    }

    pub(crate) fn from_db(s: &str) -> OutboxState {
        match s {
            "sending" => OutboxState::Sending,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Queued,
        }
    }
}

/// A push waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OutboxItem {
    pub id: i64,
    pub case_id: String,
    pub case_title: String,
    pub space: String,
    pub connector_id: String,
    pub connector_name: String,
    pub state: OutboxState,
    /// Failed attempts so far.
    pub attempts: i64,
    /// When the next attempt is due (queued only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub requested_at: DateTime<Utc>,
    /// The last failure in the system's own words (several lines for field errors).
    pub last_error: Option<String>,
    /// The error code of the last failure (`unreachable`, `remote`, `unauthorized`…).
    pub last_error_code: Option<String>,
}

/// What a push did: the ticket and how many comments went with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PushReport {
    pub case_id: String,
    pub connector_name: String,
    pub external_id: String,
    pub external_title: String,
    pub external_url: String,
    /// True when this push created the ticket (or adopted one a lost answer had created).
    pub created: bool,
    /// True when an earlier attempt's ticket was found and reused instead of creating another.
    pub adopted: bool,
    pub comments_sent: i64,
    /// True when the push closed the case (the space closes cases by pushing).
    pub closed_case: bool,
}

/// A case created with its push queued in the same transaction, and what the push did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreatedAndPushed {
    /// The case as it is after the push (with its ticket, when sent).
    pub case: Case,
    pub push: PushOutcome,
}

/// The answer to a push request: sent at once, or waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PushOutcome {
    Sent { report: PushReport },
    Queued { item: OutboxItem },
    Failed { item: OutboxItem },
}
