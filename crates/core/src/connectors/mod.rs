//! Connectors to incident systems. Each system is one module behind [`System`] (how it signs
//! in, tests the connection, fetches the case form's choices, finds, creates and updates a
//! ticket and adds a comment) with its settings and its [`Spec`]. Nothing outside this folder
//! names a system: the outbox, the snapshot and the activity log go through [`Client`].
//!
//! Settings live in SQLite per space, secrets in the OS keychain only, under
//! `connector:<uuid>` (see [`secrets`]). `fields` checks a case's connector fields; `crate::push`
//! sends cases.
//!
//! Adding a system: a module with its settings struct (implementing [`SystemSettings`]) and
//! its `System`, then one line in each of [`spec`], [`ConnectorSettings`]'s dispatch below and
//! `ConnectorKind`/`ConnectorSettings` in `model/connector.rs`; its settings form in
//! `ui/src/features/connectors/systems/`.

pub mod fields;
mod http;
pub(crate) mod jira;
pub(crate) mod redact;
pub(crate) mod resilient;
mod secrets;
pub(crate) mod servicenow;
mod store;
pub(crate) mod swimlane;
mod system;
pub(crate) mod thehive;
pub(crate) mod webhook;

pub(crate) use http::Call;
pub use http::Failure;
pub(crate) use secrets::Secrets;
pub use store::MAX_CONNECTOR_NAME_LENGTH;
pub(crate) use store::{ConnectorRow, case_connector, load_by_rowid, load_row, resolve_case_connector};
pub(crate) use system::{Incident, Observables, Spec, System, SystemSettings, Ticket};

use serde_json::Value;

use crate::model::*;
use crate::{Error, Result};

/// What Casebook knows of each system, by kind: the one place that lists them all.
pub(crate) fn spec(kind: ConnectorKind) -> &'static Spec {
    match kind {
        ConnectorKind::Jira => &jira::SPEC,
        ConnectorKind::ServicenowItsm => &servicenow::ITSM,
        ConnectorKind::ServicenowSir => &servicenow::SIR,
        ConnectorKind::Resilient => &resilient::SPEC,
        ConnectorKind::Swimlane => &swimlane::SPEC,
        ConnectorKind::TheHive => &thehive::SPEC,
        ConnectorKind::CasesWebhook => &webhook::SPEC,
    }
}

/// Calls `$body` with `$s` bound to the system's own settings.
macro_rules! each_system {
    ($settings:expr, $s:ident => $body:expr) => {
        match $settings {
            ConnectorSettings::Jira($s) => $body,
            ConnectorSettings::ServicenowItsm($s) | ConnectorSettings::ServicenowSir($s) => $body,
            ConnectorSettings::Resilient($s) => $body,
            ConnectorSettings::Swimlane($s) => $body,
            ConnectorSettings::TheHive($s) => $body,
            ConnectorSettings::CasesWebhook($s) => $body,
        }
    };
}

impl ConnectorSettings {
    pub fn kind(&self) -> ConnectorKind {
        match self {
            ConnectorSettings::Jira(_) => ConnectorKind::Jira,
            ConnectorSettings::ServicenowItsm(_) => ConnectorKind::ServicenowItsm,
            ConnectorSettings::ServicenowSir(_) => ConnectorKind::ServicenowSir,
            ConnectorSettings::Resilient(_) => ConnectorKind::Resilient,
            ConnectorSettings::Swimlane(_) => ConnectorKind::Swimlane,
            ConnectorSettings::TheHive(_) => ConnectorKind::TheHive,
            ConnectorSettings::CasesWebhook(_) => ConnectorKind::CasesWebhook,
        }
    }

    /// Settings given by name (the CLI's `--set`), read as the system's own; an unknown name
    /// or a wrong value is refused with the field it is about.
    pub fn from_json(kind: ConnectorKind, mut given: serde_json::Map<String, Value>) -> Result<ConnectorSettings> {
        given.insert("kind".into(), Value::String(kind.as_str().into()));
        serde_json::from_value(Value::Object(given)).map_err(|e| {
            let said = e.to_string();
            // serde says "unknown field `x`, expected …", "missing field `x`" or "invalid …".
            let field = said.split('`').nth(1).filter(|_| said.contains("field `")).unwrap_or("settings");
            let label = kind.label();
            let message = match said.split_once(", expected ") {
                Some((_, known)) if said.starts_with("unknown field") => {
                    format!("is not a {label} setting; its settings are {}", known.replace('`', ""))
                }
                _ if said.starts_with("missing field") => format!("is required for {label}"),
                _ => format!("{label} setting: {said}"),
            };
            Error::validation(field, message)
        })
    }

    /// The settings checked and normalised (trimmed, defaults filled in), or the first problem
    /// with the field it is about.
    pub(crate) fn checked(&self) -> Result<ConnectorSettings> {
        let kind = self.kind();
        Ok(match self {
            ConnectorSettings::Jira(s) => ConnectorSettings::Jira(s.checked(kind)?),
            ConnectorSettings::ServicenowItsm(s) => ConnectorSettings::ServicenowItsm(s.checked(kind)?),
            ConnectorSettings::ServicenowSir(s) => ConnectorSettings::ServicenowSir(s.checked(kind)?),
            ConnectorSettings::Resilient(s) => ConnectorSettings::Resilient(s.checked(kind)?),
            ConnectorSettings::Swimlane(s) => ConnectorSettings::Swimlane(s.checked(kind)?),
            ConnectorSettings::TheHive(s) => ConnectorSettings::TheHive(s.checked(kind)?),
            ConnectorSettings::CasesWebhook(s) => ConnectorSettings::CasesWebhook(s.checked(kind)?),
        })
    }

    /// Signs in: the system's client with the secrets from the keychain.
    fn connect(&self, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        let kind = self.kind();
        each_system!(self, s => s.connect(kind, url, secrets))
    }

    /// Whether both point at the same project, table or application, so that choices fetched
    /// for one are good for the other.
    pub(crate) fn same_target(&self, other: &ConnectorSettings) -> bool {
        match (self, other) {
            (ConnectorSettings::Jira(a), ConnectorSettings::Jira(b)) => a.same_target(b),
            (ConnectorSettings::ServicenowItsm(a), ConnectorSettings::ServicenowItsm(b))
            | (ConnectorSettings::ServicenowSir(a), ConnectorSettings::ServicenowSir(b)) => a.same_target(b),
            (ConnectorSettings::Resilient(a), ConnectorSettings::Resilient(b)) => a.same_target(b),
            (ConnectorSettings::Swimlane(a), ConnectorSettings::Swimlane(b)) => a.same_target(b),
            (ConnectorSettings::TheHive(a), ConnectorSettings::TheHive(b)) => a.same_target(b),
            (ConnectorSettings::CasesWebhook(a), ConnectorSettings::CasesWebhook(b)) => a.same_target(b),
            _ => false,
        }
    }

    /// The account the connector signs in as, when it names one (shown, never secret).
    pub fn account(&self) -> Option<String> {
        each_system!(self, s => s.account())
    }

    /// One line on what the connector points at, e.g. `project SEC` or `Elastic app`.
    pub fn target(&self) -> String {
        each_system!(self, s => s.target())
    }

    /// What the main secret is called with these settings.
    pub fn secret_label(&self) -> &'static str {
        each_system!(self, s => s.secret_label())
    }

    /// Whether the connector signs in with a main secret.
    pub(crate) fn needs_secret(&self) -> bool {
        each_system!(self, s => s.needs_secret())
    }

    /// Whether the system uses the named extra secret.
    pub(crate) fn extra_secret(&self, name: &str) -> Result<()> {
        each_system!(self, s => s.extra_secret(name))
    }

    /// A connector with what it shows derived from its settings.
    pub(crate) fn describe(&self, c: &mut Connector) {
        c.kind = self.kind();
        c.target = self.target();
        c.account = self.account();
        c.secret_label = self.secret_label().to_string();
    }
}

/// A non-empty string at `pointer` in a system's JSON answer.
pub(crate) fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The keychain name of a connector's secrets.
pub(crate) fn secret_name(uuid: &str) -> String {
    format!("connector:{uuid}")
}

/// A connector ready to talk: its system signed in with the secrets read from the keychain.
/// Every answer passes through here, so no form of a credential leaves in an error or a ticket.
pub(crate) struct Client {
    system: Box<dyn System>,
}

impl Client {
    /// Builds the client before any network traffic; fails when the keychain holds no secret.
    pub fn new(row: &ConnectorRow, secrets: Option<Secrets>) -> Result<Client> {
        let c = &row.connector;
        // A connector that signs in without a main secret may have none stored at all.
        let needs = c.settings.needs_secret();
        let secrets = secrets.filter(|s| !needs || !s.main_secret().is_empty()).or((!needs).then(Secrets::default));
        let secrets = secrets.ok_or_else(|| {
            Error::validation(
                "secret",
                format!(
                    "the keychain holds no {} for connector {:?}; enter it again in Settings → Connectors (or `casebook connector edit {} --secret-stdin`)",
                    spec(c.kind).secret_label,
                    c.name,
                    c.name
                ),
            )
        })?;
        Ok(Client { system: c.settings.connect(&c.url, &secrets)? })
    }

    /// A failure as it may be shown and stored: no form of the credential in its text.
    pub fn scrub(&self, failure: Failure) -> Failure {
        Failure { error: self.system.http().scrub(failure.error), ..failure }
    }

    /// A ticket as it may be stored: its key and link as the system gave them, unless they
    /// repeat the credential.
    fn clean(&self, ticket: Ticket) -> Ticket {
        let http = self.system.http();
        Ticket {
            id: http.clean_text(ticket.id),
            title: http.clean_text(ticket.title),
            url: http.clean_text(ticket.url),
        }
    }

    pub async fn test(&self) -> Call<String> {
        let said = self.system.test().await;
        said.map(|m| self.system.http().clean_text(m)).map_err(|f| self.scrub(f))
    }

    pub async fn metadata(&self) -> Call<ConnectorMetadata> {
        self.system.metadata().await.map_err(|f| self.scrub(f))
    }

    /// A ticket an earlier, interrupted push of this case already created, found by the mark
    /// every ticket carries (a label, a correlation id, a tag… see each system).
    pub async fn find_ticket(&self, incident: &Incident) -> Call<Option<Ticket>> {
        let found = self.system.find(incident).await;
        found.map(|t| t.map(|t| self.clean(t))).map_err(|f| self.scrub(f))
    }

    pub async fn create(&self, incident: &Incident) -> Call<Ticket> {
        self.system.create(incident).await.map(|t| self.clean(t)).map_err(|f| self.scrub(f))
    }

    pub async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        self.system.update(ticket, incident).await.map(|t| self.clean(t)).map_err(|f| self.scrub(f))
    }

    pub async fn comment(&self, ticket: &Ticket, incident: &Incident, text: &str) -> Call<()> {
        self.system.comment(ticket, incident, text).await.map_err(|f| self.scrub(f))
    }

    /// Whether a ticket made by a create whose answer was lost can be found again.
    pub fn can_find(&self) -> bool {
        self.system.can_find()
    }

    /// The request a push would send, secrets masked; nothing is sent.
    pub fn preview(
        &self,
        request: PreviewRequest,
        incident: &Incident,
        ticket: Option<&Ticket>,
        comment: Option<&str>,
    ) -> Result<RequestPreview> {
        self.system.preview(request, incident, ticket, comment).map_err(|e| self.system.http().scrub(e))
    }
}
