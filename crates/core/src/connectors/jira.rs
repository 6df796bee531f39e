//! Jira's REST API v2 (plain-text bodies), as Kibana's `.jira` connector speaks it
//! (connectors.md §1), for Cloud (email + API token) and Data Center (user + password, or a
//! personal access token as Bearer). Every ticket carries the label `casebook-<case uuid>`, so a
//! create whose answer was lost is found again instead of being made twice.

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use super::fields::{ChoiceField, JsonField, MAX_ADDITIONAL_FIELDS, choice};
use super::http::{Call, Credential, Http, SignIn};
use super::{Incident, Secrets, Spec, System, SystemSettings, Ticket, text};
use crate::model::*;
use crate::{Error, Result, validate};

/// How many recent issues the parent picker offers.
const PARENT_CHOICES: usize = 50;
/// Longest Jira project key (Jira's own limit is 255, sites usually allow 10).
const MAX_PROJECT_KEY_LENGTH: usize = 255;

pub(crate) const SPEC: Spec = Spec {
    name: "jira",
    kibana_type: ".jira",
    label: "Jira",
    secret_label: "API token, password or personal access token",
    choice_fields: FIELDS,
    switches: &[],
    json_fields: &[JsonField {
        name: "otherFields",
        label: "Additional fields (JSON)",
        max_keys: MAX_ADDITIONAL_FIELDS,
        reserved: &["summary", "description", "project", "issuetype", "labels", "priority", "parent"],
    }],
    static_choices: None,
    sends_status: false,
};

const FIELDS: &[ChoiceField] = &[
    // Jira takes an issue type by id only: a name typed offline is looked up before sending.
    ChoiceField { must_be_id: true, ..choice("issueType", "Issue type", "issue_types") },
    choice("priority", "Priority", "priorities"),
    // Any issue key may be a parent; the list only offers recent ones.
    ChoiceField { free_text: true, ..choice("parent", "Parent issue", "parents") },
];

/// A Jira connector's settings (Cloud or Data Center).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct JiraSettings {
    /// The project issues are created in (SEC).
    #[serde(default)]
    #[ts(optional = false)]
    pub project_key: String,
    #[serde(default)]
    #[ts(optional = false)]
    pub auth: ConnectorAuth,
    /// Jira Cloud: the account's email; Data Center: the user name. None with a personal
    /// access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

impl SystemSettings for JiraSettings {
    fn checked(&self, _: ConnectorKind) -> Result<JiraSettings> {
        let key = self.project_key.trim();
        if key.is_empty() {
            return Err(Error::validation("project_key", "is required for Jira (e.g. SEC)"));
        }
        let ok = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key.chars().count() <= MAX_PROJECT_KEY_LENGTH;
        if !ok {
            return Err(Error::validation(
                "project_key",
                format!(
                    "must be a Jira project key: a letter, then letters, digits or _, at most {MAX_PROJECT_KEY_LENGTH} characters (got {key:?})"
                ),
            ));
        }
        let username = validate::optional_text("username", self.username.as_deref(), validate::MAX_USERNAME_LENGTH)?;
        match (self.auth, &username) {
            (ConnectorAuth::Basic, None) => Err(Error::validation(
                "username",
                "is required: the account's email (Jira Cloud) or user name (Data Center)",
            )),
            (ConnectorAuth::Pat, Some(_)) => {
                Err(Error::validation("username", "is not used with a personal access token; leave it empty"))
            }
            _ => Ok(JiraSettings { project_key: key.to_ascii_uppercase(), auth: self.auth, username }),
        }
    }

    fn connect(&self, _: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(Jira::new(self, url, secrets.main_secret().to_string())?))
    }

    fn same_target(&self, other: &JiraSettings) -> bool {
        self.project_key == other.project_key
    }

    fn account(&self) -> Option<String> {
        match self.auth {
            ConnectorAuth::Pat => Some("personal access token".into()),
            ConnectorAuth::Basic => self.username.clone(),
        }
    }

    fn target(&self) -> String {
        format!("project {}", self.project_key)
    }

    fn secret_label(&self) -> &'static str {
        match self.auth {
            ConnectorAuth::Pat => "Personal access token",
            ConnectorAuth::Basic => "API token or password",
        }
    }
}

pub(crate) struct Jira {
    http: Http,
    project: String,
}

/// Jira's error body `{errorMessages:[…], errors:{field: message}}` as lines.
fn reason(body: &Value) -> Option<String> {
    let mut lines: Vec<String> = body
        .get("errorMessages")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if let Some(errors) = body.get("errors").and_then(Value::as_object) {
        lines.extend(errors.iter().map(|(field, m)| format!("{field}: {}", m.as_str().unwrap_or(&m.to_string()))));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The label that marks the case's ticket.
pub(crate) fn case_label(case_uuid: &str) -> String {
    format!("casebook-{case_uuid}")
}

/// A JQL string literal.
fn jql_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Kibana's `trimAndRemoveNewlines`: lines trimmed, empty ones dropped, joined with ", ". A
/// title can no longer hold a line break, but one saved by an older Casebook can.
fn summary(title: &str) -> String {
    title.split(['\r', '\n']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", ")
}

impl Jira {
    fn new(c: &JiraSettings, url: &str, secret: String) -> Result<Jira> {
        let (sign_in, credential) = match c.auth {
            ConnectorAuth::Basic => (
                SignIn::Basic { user: c.username.clone().unwrap_or_default(), secret },
                Credential {
                    name: "email and API token",
                    fix: "Check the email, and create a new API token at id.atlassian.com (Data Center: the user name and password), then enter it in the connector's settings.",
                },
            ),
            ConnectorAuth::Pat => (
                SignIn::Bearer { token: secret },
                Credential {
                    name: "personal access token",
                    fix: "The token may have expired or been revoked: create a new one in your Jira profile (Personal Access Tokens) and enter it in the connector's settings.",
                },
            ),
        };
        let http = Http::new("Jira", url, "e.g. https://your-site.atlassian.net", sign_in, credential, reason)?;
        Ok(Jira { http, project: c.project_key.clone() })
    }

    fn api(&self, path: &str) -> String {
        format!("rest/api/2/{path}")
    }

    async fn test_project(&self) -> Call<String> {
        let url = self.http.url(&self.api(&format!("project/{}", self.project)), &[]);
        match self.http.get(url).await {
            Ok(p) => Ok(format!(
                "Connected to Jira at {}: project {} ({}) is reachable.",
                self.http.shown,
                text(&p, "/key").unwrap_or(&self.project),
                text(&p, "/name").unwrap_or("no name")
            )),
            Err(f) if f.status == Some(404) => Err(Error::not_found(
                "Jira project",
                format!(
                    "{} at {} (check the project key, and that the account may browse the project)",
                    self.project, self.http.shown
                ),
            )
            .into()),
            Err(f) => Err(f),
        }
    }

    /// The project's issue types (Cloud answers `issueTypes`, Data Center `values`).
    async fn issue_types(&self) -> Call<Vec<Value>> {
        let url = self.http.url(&self.api(&format!("issue/createmeta/{}/issuetypes", self.project)), &[]);
        let page = self.http.get(url).await?;
        Ok(page.get("issueTypes").or_else(|| page.get("values")).and_then(Value::as_array).cloned().unwrap_or_default())
    }

    /// Issue types, their priorities, and recent issues as parent choices.
    async fn choices(&self) -> Call<ConnectorMetadata> {
        let mut meta = ConnectorMetadata::default();
        let mut priorities: Vec<Choice> = Vec::new();
        for t in self.issue_types().await? {
            let (Some(id), Some(name)) = (text(&t, "/id"), text(&t, "/name")) else { continue };
            meta.issue_types.push(Choice { value: id.into(), label: name.into(), depends_on: None });
            let url = self.http.url(&self.api(&format!("issue/createmeta/{}/issuetypes/{id}", self.project)), &[]);
            let fields = self.http.get(url).await?;
            let list = fields.get("fields").or_else(|| fields.get("values")).and_then(Value::as_array).cloned();
            for f in list.unwrap_or_default() {
                if let Some(field_id) = text(&f, "/fieldId")
                    && !meta.fields.iter().any(|k| k.id == field_id)
                {
                    meta.fields.push(RemoteField {
                        id: field_id.into(),
                        label: text(&f, "/name").unwrap_or(field_id).into(),
                        field_type: text(&f, "/schema/type").unwrap_or("any").into(),
                        required: f.get("required").and_then(Value::as_bool).unwrap_or(false),
                        ..RemoteField::default()
                    });
                }
                if text(&f, "/fieldId") != Some("priority") {
                    continue;
                }
                for p in f.get("allowedValues").and_then(Value::as_array).into_iter().flatten() {
                    if let Some(name) = text(p, "/name")
                        && !priorities.iter().any(|c| c.value == name)
                    {
                        priorities.push(Choice { value: name.into(), label: name.into(), depends_on: None });
                    }
                }
            }
        }
        meta.priorities = priorities;
        let jql = format!("project = {} ORDER BY created DESC", jql_string(&self.project));
        for issue in self.search(&jql, PARENT_CHOICES).await? {
            if let Some(key) = text(&issue, "/key") {
                let label = format!("{key}: {}", text(&issue, "/fields/summary").unwrap_or(""));
                meta.parents.push(Choice { value: key.into(), label, depends_on: None });
            }
        }
        Ok(meta)
    }

    /// Issues matching `jql` with their summary: `/search/jql` on Cloud, `/search` on Data
    /// Center (each answers the other's path with 404 or 410).
    async fn search(&self, jql: &str, max: usize) -> Call<Vec<Value>> {
        let max = max.to_string();
        let query = [("jql", jql), ("fields", "summary"), ("maxResults", max.as_str())];
        let answer = match self.http.get(self.http.url(&self.api("search/jql"), &query)).await {
            Err(f) if f.status == Some(404) => self.http.get(self.http.url(&self.api("search"), &query)).await?,
            other => other?,
        };
        Ok(answer.get("issues").and_then(Value::as_array).cloned().unwrap_or_default())
    }

    fn ticket(&self, id: &str, key: &str) -> Ticket {
        Ticket { id: id.into(), title: key.into(), url: self.ticket_url(id, key) }
    }

    fn fields(&self, incident: &Incident, creating: bool) -> Value {
        let mut labels: Vec<String> =
            incident.tags.iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join("-")).collect();
        labels.push(case_label(&incident.case_uuid));
        let mut fields = json!({
            "summary": summary(&incident.title),
            "description": incident.description,
            "labels": labels,
        });
        let f = &incident.fields;
        if creating {
            fields["project"] = json!({ "key": self.project });
        }
        if let Some(t) = f.get("issueType").and_then(Value::as_str) {
            // Jira's ids are numbers. A name (typed before the choices were fetched, and not
            // resolved because they could not be read) goes as a name, never as an id.
            fields["issuetype"] =
                if t.bytes().all(|b| b.is_ascii_digit()) { json!({ "id": t }) } else { json!({ "name": t }) };
        }
        if let Some(p) = f.get("priority").and_then(Value::as_str) {
            fields["priority"] = json!({ "name": p });
        }
        if creating && let Some(p) = f.get("parent").and_then(Value::as_str) {
            fields["parent"] = json!({ "key": p });
        }
        // Checked against the project's fields before the push (connectors::fields).
        if let (Some(Value::Object(other)), Some(out)) = (f.get("otherFields"), fields.as_object_mut()) {
            for (k, v) in other {
                out.insert(k.clone(), v.clone());
            }
        }
        fields
    }
}

#[async_trait]
impl System for Jira {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn test(&self) -> Call<String> {
        self.test_project().await
    }

    async fn metadata(&self) -> Call<ConnectorMetadata> {
        self.choices().await
    }

    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        let jql = format!(
            "project = {} AND labels = {} ORDER BY created ASC",
            jql_string(&self.project),
            jql_string(&case_label(&incident.case_uuid))
        );
        let hits = self.search(&jql, 1).await?;
        Ok(hits.first().and_then(|i| Some(self.ticket(text(i, "/id")?, text(i, "/key")?))))
    }

    fn ticket_url(&self, _id: &str, key: &str) -> String {
        format!("{}/browse/{key}", self.http.base())
    }

    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let mut fields = self.fields(incident, true);
        if fields.get("issuetype").is_none() {
            // Kibana's rule: without a chosen type, the project's first one.
            let types = self.issue_types().await?;
            let first = types
                .iter()
                .find(|t| t.get("subtask") != Some(&Value::Bool(true)))
                .and_then(|t| text(t, "/id"))
                .map(str::to_string);
            let Some(id) = first else {
                return Err(self
                    .http
                    .remote(200, format!("project {} offers no issue type to create", self.project))
                    .into());
            };
            fields["issuetype"] = json!({ "id": id });
        }
        let created = self
            .http
            .send(Method::POST, self.http.url(&self.api("issue"), &[]), Some(&json!({ "fields": fields })))
            .await?;
        match (text(&created, "/id"), text(&created, "/key")) {
            (Some(id), Some(key)) => Ok(self.ticket(id, key)),
            _ => Err(self.http.remote(201, "the created issue's id and key are missing from the answer".into()).into()),
        }
    }

    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let fields = self.fields(incident, false);
        let url = self.http.url(&self.api(&format!("issue/{}", ticket.id)), &[]);
        self.http.send(Method::PUT, url, Some(&json!({ "fields": fields }))).await?;
        Ok(ticket.clone())
    }

    async fn comment(&self, ticket: &Ticket, _incident: &Incident, body: &str) -> Call<()> {
        if body.trim().is_empty() {
            return Ok(());
        }
        let url = self.http.url(&self.api(&format!("issue/{}/comment", ticket.id)), &[]);
        self.http.send(Method::POST, url, Some(&json!({ "body": body }))).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_joins_lines_like_kibana() {
        assert_eq!(summary(" Phishing \r\n\n wave  \nQ3 "), "Phishing, wave, Q3");
    }

    #[test]
    fn jql_strings_are_quoted() {
        assert_eq!(jql_string(r#"A"B\C"#), r#""A\"B\\C""#);
    }

    #[test]
    fn field_errors_become_one_line_each() {
        let body = json!({"errorMessages": ["Bad"], "errors": {"summary": "Too long", "priority": "Nope"}});
        assert_eq!(reason(&body).unwrap(), "Bad\npriority: Nope\nsummary: Too long");
        assert_eq!(reason(&json!({})), None);
    }
}
