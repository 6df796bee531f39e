//! Jira's REST API v2 (plain-text bodies), as Kibana's `.jira` connector speaks it
//! (connectors.md §1), for Cloud (email + API token) and Data Center (user + password, or a
//! personal access token as Bearer). Every ticket carries the label `casebook-<case uuid>`, so a
//! create whose answer was lost is found again instead of being made twice.

use reqwest::Method;
use serde_json::{Value, json};

use super::http::{Call, Credential, Http, SignIn};
use super::{Incident, Ticket, text};
use crate::model::*;
use crate::{Error, Result};

/// How many recent issues the parent picker offers.
const PARENT_CHOICES: usize = 50;

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
    pub fn new(c: &Connector, secret: String) -> Result<Jira> {
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
        let http = Http::new("Jira", &c.url, "e.g. https://your-site.atlassian.net", sign_in, credential, reason)?;
        Ok(Jira { http, project: c.project_key.clone().unwrap_or_default() })
    }

    pub(super) fn http(&self) -> &Http {
        &self.http
    }

    fn api(&self, path: &str) -> String {
        format!("rest/api/2/{path}")
    }

    pub async fn test(&self) -> Call<String> {
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
    pub async fn metadata(&self) -> Call<ConnectorMetadata> {
        let mut meta = ConnectorMetadata::default();
        let mut priorities: Vec<Choice> = Vec::new();
        for t in self.issue_types().await? {
            let (Some(id), Some(name)) = (text(&t, "/id"), text(&t, "/name")) else { continue };
            meta.issue_types.push(Choice { value: id.into(), label: name.into(), depends_on: None });
            let url = self.http.url(&self.api(&format!("issue/createmeta/{}/issuetypes/{id}", self.project)), &[]);
            let fields = self.http.get(url).await?;
            let list = fields.get("fields").or_else(|| fields.get("values")).and_then(Value::as_array).cloned();
            for f in list.unwrap_or_default() {
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
        Ticket { id: id.into(), title: key.into(), url: format!("{}/browse/{key}", self.http.base()) }
    }

    pub async fn find(&self, case_uuid: &str) -> Call<Option<Ticket>> {
        let jql = format!(
            "project = {} AND labels = {} ORDER BY created ASC",
            jql_string(&self.project),
            jql_string(&case_label(case_uuid))
        );
        let hits = self.search(&jql, 1).await?;
        Ok(hits.first().and_then(|i| Some(self.ticket(text(i, "/id")?, text(i, "/key")?))))
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
        fields
    }

    pub async fn create(&self, incident: &Incident) -> Call<Ticket> {
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

    pub async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let fields = self.fields(incident, false);
        let url = self.http.url(&self.api(&format!("issue/{}", ticket.id)), &[]);
        self.http.send(Method::PUT, url, Some(&json!({ "fields": fields }))).await?;
        Ok(ticket.clone())
    }

    pub async fn comment(&self, ticket: &Ticket, body: &str) -> Call<()> {
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
