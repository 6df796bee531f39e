//! Connectors to incident systems: Jira (Cloud and Data Center) and ServiceNow (ITSM, SecOps).
//! Their settings live in SQLite per space, their token or password in the OS keychain only,
//! under `connector:<uuid>`. This module holds the settings; `jira` and `servicenow` speak each
//! system's REST contract; `fields` checks a case's connector fields; `crate::push` sends cases.

pub mod fields;
mod http;
pub(crate) mod jira;
pub(crate) mod redact;
pub(crate) mod servicenow;
mod store;
pub(crate) mod webhook;

pub(crate) use http::Call;
pub use http::Failure;
pub use store::MAX_CONNECTOR_NAME_LENGTH;
pub(crate) use store::{ConnectorRow, case_connector, load_by_rowid, load_row, resolve_case_connector};

use serde_json::Value;

use crate::model::*;
use crate::{Error, Result};

/// A non-empty string at `pointer` in a system's JSON answer.
pub(crate) fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The keychain name of a connector's secret.
pub(crate) fn secret_name(uuid: &str) -> String {
    format!("connector:{uuid}")
}

/// What a push sends, built from the case (see `crate::push`).
#[derive(Debug, Clone)]
pub(crate) struct Incident {
    pub case_uuid: String,
    pub title: String,
    /// The case description with Kibana's "Added by …" line.
    pub description: String,
    pub tags: Vec<String>,
    /// The case's connector fields (Kibana names: issueType, priority, parent, urgency…).
    pub fields: Value,
    /// SecOps observables from the case's alerts, per kind, deduplicated.
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
    /// The system's id (Jira issue id, ServiceNow sys_id).
    pub id: String,
    /// What people call it (Jira key, ServiceNow number).
    pub title: String,
    pub url: String,
}

/// A connector ready to talk: its settings and the secret read from the keychain.
pub(crate) enum Client {
    Jira(jira::Jira),
    ServiceNow(servicenow::ServiceNow),
}

impl Client {
    /// Reads the secret and builds the client. Fails (not retryable by the user's wait alone
    /// only when the keychain has no secret) before any network traffic.
    pub fn new(row: &ConnectorRow, secret: Option<String>) -> Result<Client> {
        let secret = secret.ok_or_else(|| {
            Error::validation(
                "secret",
                format!(
                    "the keychain holds no token or password for connector {:?}; enter it again in Settings → Connectors (or `casebook connector edit {} --secret-stdin`)",
                    row.connector.name, row.connector.name
                ),
            )
        })?;
        let c = &row.connector;
        Ok(match c.kind {
            ConnectorKind::Jira => Client::Jira(jira::Jira::new(c, secret)?),
            _ => Client::ServiceNow(servicenow::ServiceNow::new(c, secret)?),
        })
    }

    fn http(&self) -> &http::Http {
        match self {
            Client::Jira(j) => j.http(),
            Client::ServiceNow(s) => s.http(),
        }
    }

    /// A failure as it may be shown and stored: no form of the credential in its text.
    pub fn scrub(&self, failure: Failure) -> Failure {
        Failure { error: self.http().scrub(failure.error), ..failure }
    }

    /// A ticket as it may be stored: its key and link as the system gave them, unless they
    /// repeat the credential.
    fn clean(&self, ticket: Ticket) -> Ticket {
        let http = self.http();
        Ticket {
            id: http.clean_text(ticket.id),
            title: http.clean_text(ticket.title),
            url: http.clean_text(ticket.url),
        }
    }

    pub async fn test(&self) -> Call<String> {
        let said = match self {
            Client::Jira(j) => j.test().await,
            Client::ServiceNow(s) => s.test().await,
        };
        said.map(|m| self.http().clean_text(m)).map_err(|f| self.scrub(f))
    }

    pub async fn metadata(&self) -> Call<ConnectorMetadata> {
        let meta = match self {
            Client::Jira(j) => j.metadata().await,
            Client::ServiceNow(s) => s.metadata().await,
        };
        meta.map_err(|f| self.scrub(f))
    }

    /// A ticket an earlier, interrupted push of this case already created, found by the mark
    /// every ticket carries (Jira label `casebook-<uuid>`, ServiceNow `correlation_id`).
    pub async fn find_ticket(&self, case_uuid: &str) -> Call<Option<Ticket>> {
        let found = match self {
            Client::Jira(j) => j.find(case_uuid).await,
            Client::ServiceNow(s) => s.find(case_uuid).await,
        };
        found.map(|t| t.map(|t| self.clean(t))).map_err(|f| self.scrub(f))
    }

    pub async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let made = match self {
            Client::Jira(j) => j.create(incident).await,
            Client::ServiceNow(s) => s.create(incident).await,
        };
        made.map(|t| self.clean(t)).map_err(|f| self.scrub(f))
    }

    pub async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let kept = match self {
            Client::Jira(j) => j.update(ticket, incident).await,
            Client::ServiceNow(s) => s.update(ticket, incident).await,
        };
        kept.map(|t| self.clean(t)).map_err(|f| self.scrub(f))
    }

    pub async fn comment(&self, ticket: &Ticket, incident: &Incident, text: &str) -> Call<()> {
        let sent = match self {
            Client::Jira(j) => j.comment(ticket, text).await,
            Client::ServiceNow(s) => s.comment(ticket, incident, text).await,
        };
        sent.map_err(|f| self.scrub(f))
    }
}
