//! What every incident system provides: its [`Spec`] (names, case fields), its settings
//! ([`SystemSettings`]), and a signed-in client ([`System`]) that the push drives with an
//! [`Incident`].

use async_trait::async_trait;
use serde_json::Value;

use super::Secrets;
use super::fields::{ChoiceField, JsonField, SwitchField};
use super::http::{Call, Http};
use crate::Result;
use crate::model::*;

/// What Casebook knows of a system without asking it.
pub(crate) struct Spec {
    /// The CLI's and the database's spelling: `jira`.
    pub name: &'static str,
    /// Kibana's connector type id, as a case's `connector.type` holds it: `.jira`.
    pub kibana_type: &'static str,
    /// How people call it: `Jira`.
    pub label: &'static str,
    /// What the main secret is, for messages: `API token, password or personal access token`.
    pub secret_label: &'static str,
    /// The case's drop-downs for this system, in Kibana's order.
    pub choice_fields: &'static [ChoiceField],
    /// Switches that collect observables of the case's alerts into the ticket.
    pub switches: &'static [SwitchField],
    /// Fields holding a JSON object of the system's own fields (additional fields).
    pub json_fields: &'static [JsonField],
    /// Choices known without asking the system (TheHive's TLP levels): kept as the connector's
    /// cached choices when it is created or edited, so the case form needs no refresh.
    pub static_choices: Option<fn() -> ConnectorMetadata>,
    /// Whether the ticket carries the case's status and severity: a change of either then
    /// makes the ticket out of date, and a closed case can still be pushed (to close it there).
    pub sends_status: bool,
}

/// A system's settings: checked, and turned into a signed-in client.
pub(crate) trait SystemSettings: Sized {
    /// Trimmed and completed, or the first problem with the field it names.
    fn checked(&self, kind: ConnectorKind) -> Result<Self>;
    /// Signs in (nothing is sent yet): fails on a bad URL or a missing secret.
    fn connect(&self, kind: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>>;
    /// Whether choices fetched with `other` fit these settings too.
    fn same_target(&self, other: &Self) -> bool;
    /// The account it signs in as, if it names one.
    fn account(&self) -> Option<String>;
    /// What it points at, in a few words (`project SEC`).
    fn target(&self) -> String;
    /// What the main secret is called with these settings (`Personal access token`).
    fn secret_label(&self) -> &'static str;
    /// Whether these settings sign in with the main secret (a webhook without sign-in has none).
    fn needs_secret(&self) -> bool {
        true
    }
    /// Whether a named secret beyond the main one (`ConnectorInput::secrets`) is one these
    /// settings use; the error says why not.
    fn extra_secret(&self, name: &str) -> Result<()> {
        Err(crate::Error::validation("secrets", format!("{name:?}: this system takes only the main secret")))
    }
}

/// One system's REST contract, signed in. Every call says whether a retry can help
/// ([`super::Failure::retryable`]); answers are cleaned of credentials by [`super::Client`].
#[async_trait]
pub(crate) trait System: Send + Sync {
    /// The endpoint and sign-in (to cut the credential out of what the system says).
    fn http(&self) -> &Http;
    /// "Test connection": address, TLS, sign-in and project, with one harmless request.
    async fn test(&self) -> Call<String>;
    /// The case form's choices, kept for offline use.
    async fn metadata(&self) -> Call<ConnectorMetadata> {
        Ok(ConnectorMetadata::default())
    }
    /// The ticket carrying the case's mark, made by an earlier push whose answer was lost.
    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>>;
    /// Whether [`System::find`] can find tickets at all (a webhook without a find request
    /// cannot): if not, a create whose answer was lost is not sent again without the user.
    fn can_find(&self) -> bool {
        true
    }
    /// The exact request a push would send, secrets masked (systems whose requests the user
    /// writes: the webhook).
    fn preview(
        &self,
        _request: PreviewRequest,
        _incident: &Incident,
        _ticket: Option<&Ticket>,
        _comment: Option<&str>,
    ) -> Result<RequestPreview> {
        Err(crate::Error::validation("request", "Preview request is for Webhook – Case Management connectors"))
    }
    async fn create(&self, incident: &Incident) -> Call<Ticket>;
    /// Overwrites the ticket with the case as it is now.
    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket>;
    /// Adds one comment (never edits one: an edited comment is sent again as a new one).
    async fn comment(&self, ticket: &Ticket, incident: &Incident, text: &str) -> Call<()>;
    /// Where people open the ticket in a browser.
    fn ticket_url(&self, id: &str, title: &str) -> String;
}

/// What a push sends: the case as the systems and templates may need it (built in
/// `crate::push::snapshot`).
#[derive(Debug, Clone)]
pub(crate) struct Incident {
    pub case_uuid: String,
    /// The case's human number, once the numbering task gave it one.
    pub number: Option<i64>,
    pub title: String,
    /// The case description with Kibana's "Added by …" line.
    pub description: String,
    /// The description as written.
    pub raw_description: String,
    pub tags: Vec<String>,
    pub severity: Severity,
    pub status: Status,
    /// The case's connector fields (Kibana names: issueType, priority, urgency, tlp…).
    pub fields: Value,
    /// Observables from the case's alerts, per kind, deduplicated; only those the case's
    /// switches ask for ([`Spec::switches`]).
    pub observables: Observables,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Observables {
    pub dest_ip: Vec<String>,
    pub source_ip: Vec<String>,
    pub malware_hash: Vec<String>,
    pub malware_url: Vec<String>,
}

/// A ticket in the external system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ticket {
    /// The system's id (Jira issue id, ServiceNow sys_id, Resilient incident id…).
    pub id: String,
    /// What people call it (Jira key, ServiceNow number, TheHive title…).
    pub title: String,
    pub url: String,
}
