//! TheHive 5's v1 API, as Kibana's `.thehive` connector speaks it (connectors.md §11): an API
//! key as `Authorization: Bearer`, `X-Organisation` when the key's user belongs to several
//! organisations, cases with Kibana's severity map and a TLP per case. Past Kibana, the case's
//! status goes too, so a case closed in Casebook is not left "New" in TheHive, and Test
//! connection asks who the key belongs to instead of creating a case. Every case carries the
//! tag `casebook-<case uuid>`, so a create whose answer was lost is found again.

use async_trait::async_trait;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::fields::{ChoiceField, choice};
use super::http::{Call, Credential, Http, SignIn};
use super::{Incident, Secrets, Spec, System, SystemSettings, Ticket, text};
use crate::model::*;
use crate::{Error, Result, validate};

/// Longest organisation name accepted (TheHive sets no documented limit).
const MAX_ORGANISATION_LENGTH: usize = 128;
/// The TLP a case gets when none was chosen: AMBER, the default of Kibana's form.
const DEFAULT_TLP: i64 = 2;
/// What a case closed in Casebook says in TheHive's closing summary, which TheHive requires.
const CLOSING_SUMMARY: &str = "Closed in Casebook.";

pub(crate) const SPEC: Spec = Spec {
    name: "thehive",
    kibana_type: ".thehive",
    label: "TheHive",
    secret_label: "API key",
    choice_fields: FIELDS,
    switches: &[],
    json_fields: &[],
    static_choices: Some(tlp_choices),
    sends_status: true,
};

// Without a choice the case goes as AMBER, as Kibana's form defaults it: the form says so.
const FIELDS: &[ChoiceField] = &[ChoiceField { unset: "Not set: AMBER", ..choice("tlp", "TLP", "tlps") }];

/// TheHive's traffic light protocol levels (value = the number TheHive takes), in its order.
/// They never change, so they are known without asking the server.
fn tlp_choices() -> ConnectorMetadata {
    let tlp = |value: &str, label: &str| Choice { value: value.into(), label: label.into(), depends_on: None };
    ConnectorMetadata {
        tlps: vec![tlp("0", "CLEAR"), tlp("1", "GREEN"), tlp("2", "AMBER"), tlp("3", "AMBER+STRICT"), tlp("4", "RED")],
        ..Default::default()
    }
}

/// A TheHive connector's settings; the URL is the connector's and the API key its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct TheHiveSettings {
    /// The organisation cases are made in (`X-Organisation`). None: the user's default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

impl SystemSettings for TheHiveSettings {
    fn checked(&self, _: ConnectorKind) -> Result<TheHiveSettings> {
        let organisation =
            validate::optional_text("organisation", self.organisation.as_deref(), MAX_ORGANISATION_LENGTH)?;
        if let Some(o) = &organisation
            && HeaderValue::from_str(o).is_err()
        {
            return Err(Error::validation(
                "organisation",
                format!("must be plain text that fits an HTTP header (got {o:?})"),
            ));
        }
        Ok(TheHiveSettings { organisation })
    }

    fn connect(&self, _: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(TheHive::new(self, url, secrets.main_secret().to_string())?))
    }

    fn same_target(&self, _: &TheHiveSettings) -> bool {
        true // the choices are TheHive's fixed TLP levels, good for any organisation
    }

    fn account(&self) -> Option<String> {
        None
    }

    fn target(&self) -> String {
        match &self.organisation {
            Some(o) => format!("organisation {o}"),
            None => "the key's default organisation".into(),
        }
    }

    fn secret_label(&self) -> &'static str {
        "API key"
    }
}

pub(crate) struct TheHive {
    http: Http,
    organisation: Option<String>,
}

/// TheHive's error body `{type, message}` as `type: message`.
fn reason(body: &Value) -> Option<String> {
    let kind = text(body, "/type").map(str::trim);
    let message = text(body, "/message").map(str::trim).filter(|m| !m.is_empty());
    match (kind, message) {
        (Some(k), Some(m)) => Some(format!("{k}: {m}")),
        (None, Some(m)) => Some(m.into()),
        (Some(k), None) => Some(k.into()),
        (None, None) => None,
    }
}

/// The tag that marks the case's TheHive case.
pub(crate) fn case_tag(case_uuid: &str) -> String {
    format!("casebook-{case_uuid}")
}

/// Kibana's severity map (`format.ts`): low 1, medium 2, high 3, critical 4.
fn severity(s: Severity) -> i64 {
    match s {
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// The case's status in TheHive's words; a closed case also needs an impact and a summary.
fn status_fields(status: Status) -> Map<String, Value> {
    let mut out = Map::new();
    match status {
        Status::Open => {
            out.insert("status".into(), json!("New"));
        }
        Status::InProgress => {
            out.insert("status".into(), json!("InProgress"));
        }
        Status::Closed => {
            out.insert("status".into(), json!("TruePositive"));
            out.insert("impactStatus".into(), json!("NotApplicable"));
            out.insert("summary".into(), json!(CLOSING_SUMMARY));
        }
    }
    out
}

/// The ticket's title: TheHive's case number, which analysts search by, then its title.
fn ticket_title(number: Option<&str>, title: &str) -> String {
    match number {
        Some(n) => format!("#{n} {title}"),
        None => title.to_string(),
    }
}

/// The number at the start of a title made by [`ticket_title`] (`#12 Phishing` → `12`).
fn number_in(title: &str) -> Option<&str> {
    let rest = title.strip_prefix('#')?;
    let end = rest.find(' ').unwrap_or(rest.len());
    let n = &rest[..end];
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

impl TheHive {
    fn new(c: &TheHiveSettings, url: &str, api_key: String) -> Result<TheHive> {
        let http = Http::new(
            "TheHive",
            url,
            "e.g. https://thehive.example.com",
            SignIn::Bearer { token: api_key },
            Credential {
                name: "API key",
                fix: "The key may have been revoked or renewed: in TheHive, open your profile → Settings → API Key → Reveal (or Create), then enter it in the connector's settings.",
            },
            reason,
        )?;
        let http = match &c.organisation {
            // Without the header TheHive uses the user's default organisation.
            None => http,
            Some(org) => {
                let mut headers = HeaderMap::new();
                let value = HeaderValue::from_str(org)
                    .map_err(|_| Error::validation("organisation", "must be plain text that fits an HTTP header"))?;
                headers.insert(HeaderName::from_static("x-organisation"), value);
                http.with_headers(headers)?
            }
        };
        Ok(TheHive { http, organisation: c.organisation.clone() })
    }

    fn api(&self, path: &str) -> reqwest::Url {
        self.http.url(&format!("api/v1/{path}"), &[])
    }

    fn ticket(&self, case: &Value) -> Option<Ticket> {
        let id = text(case, "/_id")?;
        let number = case.get("number").and_then(|n| n.as_u64().map(|n| n.to_string()));
        let title = ticket_title(number.as_deref(), text(case, "/title").unwrap_or(""));
        Some(Ticket { id: id.into(), title, url: self.ticket_url(id, "") })
    }

    /// What create and update send: the case overwrites the TheHive case, status included.
    /// Null keys are left out (TheHive's handling of them is not documented).
    fn body(&self, incident: &Incident) -> Call<Map<String, Value>> {
        let mut tags = incident.tags.clone();
        let mark = case_tag(&incident.case_uuid);
        if !tags.contains(&mark) {
            tags.push(mark);
        }
        let tlp = match incident.fields.get("tlp") {
            None | Some(Value::Null) => DEFAULT_TLP,
            Some(v) => {
                let given = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                match given.trim().parse::<i64>() {
                    Ok(n) if (0..=4).contains(&n) => n,
                    _ => {
                        return Err(Error::validation(
                            "fields.tlp",
                            format!(
                                "{given:?} is not a TheHive TLP level; choose CLEAR, GREEN, AMBER, AMBER+STRICT or RED"
                            ),
                        )
                        .into());
                    }
                }
            }
        };
        let mut body = Map::new();
        body.insert("title".into(), json!(incident.title));
        body.insert("description".into(), json!(incident.description));
        body.insert("severity".into(), json!(severity(incident.severity)));
        body.insert("tlp".into(), json!(tlp));
        body.insert("tags".into(), json!(tags));
        Ok(body)
    }
}

#[async_trait]
impl System for TheHive {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn test(&self) -> Call<String> {
        match self.http.get(self.api("user/current")).await {
            Ok(user) => {
                let login = text(&user, "/login").unwrap_or("an unnamed user");
                let who = match text(&user, "/name").filter(|n| *n != login) {
                    Some(name) => format!("{name} ({login})"),
                    None => login.to_string(),
                };
                let org = text(&user, "/organisation").or(self.organisation.as_deref()).unwrap_or("its default");
                Ok(format!("Connected to TheHive at {} as {who} in organisation {org}.", self.http.shown))
            }
            Err(f) if f.status == Some(403) && self.organisation.is_some() => {
                let org = self.organisation.as_deref().unwrap_or_default();
                let said = match f.error {
                    Error::Forbidden { reason, .. } => reason,
                    other => other.to_string(),
                };
                Err(Error::Forbidden {
                    service: "TheHive",
                    url: self.http.shown.clone(),
                    reason: format!(
                        "{said}. Check the organisation ({org}) in the connector's settings, or leave it empty to use the user's default organisation."
                    ),
                }
                .into())
            }
            Err(f) if f.status == Some(404) => Err(Error::not_found(
                "TheHive API",
                format!(
                    "/api/v1/user/current at {} (check that the URL is TheHive 5's address, without /api or a page's path)",
                    self.http.shown
                ),
            )
            .into()),
            Err(f) => Err(f),
        }
    }

    async fn metadata(&self) -> Call<ConnectorMetadata> {
        Ok(tlp_choices())
    }

    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        let query = json!({"query": [
            {"_name": "listCase"},
            {"_name": "filter", "_eq": {"_field": "tags", "_value": case_tag(&incident.case_uuid)}},
            {"_name": "sort", "_fields": [{"_createdAt": "asc"}]},
            {"_name": "page", "from": 0, "to": 1},
        ]});
        let found = self.http.send(Method::POST, self.api("query"), Some(&query)).await?;
        Ok(found.as_array().and_then(|cases| cases.first()).and_then(|c| self.ticket(c)))
    }

    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let mut body = self.body(incident)?;
        if incident.status != Status::Open {
            // TheHive makes a case "New"; anything else is said at once.
            body.extend(status_fields(incident.status));
        }
        let created = self.http.send(Method::POST, self.api("case"), Some(&Value::Object(body))).await?;
        self.ticket(&created)
            .ok_or_else(|| self.http.remote(201, "the created case's _id is missing from the answer".into()).into())
    }

    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let mut body = self.body(incident)?;
        body.extend(status_fields(incident.status));
        let url = self.api(&format!("case/{}", ticket.id));
        self.http.send(Method::PATCH, url, Some(&Value::Object(body))).await?;
        // TheHive answers 204: the number stays, the title is the one just sent.
        let title = ticket_title(number_in(&ticket.title), &incident.title);
        Ok(Ticket { id: ticket.id.clone(), title, url: self.ticket_url(&ticket.id, "") })
    }

    async fn comment(&self, ticket: &Ticket, _incident: &Incident, message: &str) -> Call<()> {
        if message.trim().is_empty() {
            return Ok(());
        }
        let url = self.api(&format!("case/{}/comment", ticket.id));
        self.http.send(Method::POST, url, Some(&json!({ "message": message }))).await?;
        Ok(())
    }

    fn ticket_url(&self, id: &str, _title: &str) -> String {
        format!("{}/cases/{id}/details", self.http.base())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_type_then_message() {
        let body = json!({"type": "AuthorizationError", "message": "Not a member"});
        assert_eq!(reason(&body).unwrap(), "AuthorizationError: Not a member");
        assert_eq!(reason(&json!({"message": "Oops"})).unwrap(), "Oops");
        assert_eq!(reason(&json!({})), None);
    }

    #[test]
    fn the_ticket_title_keeps_the_case_number_across_updates() {
        let made = ticket_title(Some("12"), "Phishing wave");
        assert_eq!(made, "#12 Phishing wave");
        assert_eq!(ticket_title(number_in(&made), "Phishing wave (contained)"), "#12 Phishing wave (contained)");
        assert_eq!(number_in("#hashtag title"), None);
        assert_eq!(ticket_title(number_in("Plain title"), "New"), "New");
    }

    #[test]
    fn closing_says_how_and_why() {
        let closed = status_fields(Status::Closed);
        assert_eq!(
            Value::Object(closed),
            json!({"status": "TruePositive", "impactStatus": "NotApplicable", "summary": CLOSING_SUMMARY})
        );
        assert_eq!(Value::Object(status_fields(Status::InProgress)), json!({"status": "InProgress"}));
    }
}
