//! IBM Resilient / QRadar SOAR's REST API, as Kibana's `.resilient` connector speaks it
//! (connectors.md §5): one organisation under `/rest/orgs/{org_id}`, signed in with an API key
//! (Basic `key id:secret`). The description goes as HTML, updates as a `changes` PATCH whose old
//! values must still be current, comments as text. Every incident carries the case's id in the
//! custom field `casebook_case_id` (when the organisation has it), so a create whose answer was
//! lost is found again instead of being made twice.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::fields::{ChoiceField, JsonField, MAX_ADDITIONAL_FIELDS, choice};
use super::http::{Call, Credential, Failure, Http, SignIn};
use super::{Incident, Secrets, Spec, System, SystemSettings, Ticket, text};
use crate::model::*;
use crate::{Error, Result, validate};

pub(crate) const SPEC: Spec = Spec {
    name: "resilient",
    kibana_type: ".resilient",
    label: "IBM Resilient",
    secret_label: "API key secret",
    choice_fields: FIELDS,
    switches: &[],
    // Kibana 9.2/9.3: any other incident fields, checked against the field list before sending.
    json_fields: &[JsonField {
        name: "additionalFields",
        label: "Additional fields (JSON)",
        max_keys: MAX_ADDITIONAL_FIELDS,
        reserved: &["name", "description", "discovered_date", "incident_type_ids", "severity_code", CASE_ID_FIELD],
    }],
    static_choices: None,
    sends_status: false,
};

const FIELDS: &[ChoiceField] = &[
    // Kibana lets a case pick several types. Here they are one comma-separated value of ids
    // ("19,20"; names typed offline are resolved before sending), because a case's connector
    // fields are strings, as Kibana's other connectors' are.
    ChoiceField { must_be_id: true, multiple: true, ..choice("incidentTypes", "Incident type", "incident_types") },
    ChoiceField { must_be_id: true, ..choice("severityCode", "Severity", "severities") },
];

/// The custom incident field (under `properties`) that carries the case's id.
pub(crate) const CASE_ID_FIELD: &str = "casebook_case_id";

/// Longest organisation id accepted (Resilient's are small numbers).
const MAX_ORG_ID_LENGTH: usize = 18;

/// An IBM Resilient connector's settings. The API key secret is the connector's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ResilientSettings {
    /// The organisation's number, as in `/rest/orgs/201`.
    #[serde(default)]
    #[ts(optional = false)]
    pub org_id: String,
    /// The API key's id. Kibana keeps it among the secrets, but alone it signs in to nothing
    /// (like a user name): Casebook keeps it in the settings and shows it as the account, so
    /// people can tell which key a connector uses. The key's secret goes to the keychain only.
    #[serde(default)]
    #[ts(optional = false)]
    pub api_key_id: String,
}

impl SystemSettings for ResilientSettings {
    fn checked(&self, _: ConnectorKind) -> Result<ResilientSettings> {
        let org_id = self.org_id.trim();
        if org_id.is_empty() {
            return Err(Error::validation(
                "org_id",
                "is required for IBM Resilient: the organisation's number (e.g. 201)",
            ));
        }
        if !org_id.bytes().all(|b| b.is_ascii_digit()) || org_id.len() > MAX_ORG_ID_LENGTH {
            return Err(Error::validation(
                "org_id",
                format!("must be the organisation's number, as in /rest/orgs/201 (got {org_id:?})"),
            ));
        }
        let api_key_id = validate::optional_text("api_key_id", Some(&self.api_key_id), validate::MAX_USERNAME_LENGTH)?
            .ok_or_else(|| {
                Error::validation(
                    "api_key_id",
                    "is required: the API key's id (Administrator Settings → Users → API Keys)",
                )
            })?;
        Ok(ResilientSettings { org_id: org_id.to_string(), api_key_id })
    }

    fn connect(&self, _: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(Resilient::new(self, url, secrets.main_secret().to_string())?))
    }

    fn same_target(&self, other: &ResilientSettings) -> bool {
        self.org_id == other.org_id
    }

    fn account(&self) -> Option<String> {
        Some(self.api_key_id.clone())
    }

    fn target(&self) -> String {
        format!("organisation {}", self.org_id)
    }

    fn secret_label(&self) -> &'static str {
        "API key secret"
    }
}

pub(crate) struct Resilient {
    http: Http,
    org_id: String,
    /// The incident fields, read once per client (a push needs them for every step).
    fields: Mutex<Option<Arc<Vec<Value>>>>,
}

/// Resilient's error body `{success:false, title, message, hints:[…]}`.
fn reason(body: &Value) -> Option<String> {
    let mut lines: Vec<String> = text(body, "/message").map(|m| vec![m.to_string()]).unwrap_or_default();
    for hint in body.get("hints").and_then(Value::as_array).into_iter().flatten() {
        if let Some(h) = hint.as_str().filter(|h| !h.trim().is_empty()) {
            lines.push(h.to_string());
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The description as Resilient shows it: HTML, so the text is escaped and each line break
/// becomes `<br>` (Resilient renders the content as HTML and would join the lines otherwise).
pub(crate) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.replace("\r\n", "\n").chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// A number Resilient gave, as a number or as text.
fn int(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The case's incident types: ids from a comma-separated value.
fn type_ids(fields: &Value) -> Option<Vec<i64>> {
    let given = fields.get("incidentTypes").and_then(Value::as_str)?;
    let ids: Vec<i64> = given.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    (!ids.is_empty()).then_some(ids)
}

fn severity(fields: &Value) -> Option<i64> {
    fields.get("severityCode").and_then(Value::as_str).and_then(|s| s.trim().parse().ok())
}

impl Resilient {
    fn new(c: &ResilientSettings, url: &str, secret: String) -> Result<Resilient> {
        let http = Http::new(
            "IBM Resilient",
            url,
            "e.g. https://soar.example.com",
            SignIn::Basic { user: c.api_key_id.clone(), secret },
            Credential {
                name: "API key id and secret",
                fix: "Check the key id, and create a new API key in Resilient (Administrator Settings → Users → API Keys) if the secret was lost or the key deleted, then enter it in the connector's settings.",
            },
            reason,
        )?;
        Ok(Resilient { http, org_id: c.org_id.clone(), fields: Mutex::new(None) })
    }

    /// `rest/orgs/{org}/…`, with `text_content_output_format=objects_convert` where asked, so
    /// text comes back as `{format, content}` whatever the organisation's default.
    fn url(&self, path: &str, objects: bool) -> reqwest::Url {
        let path = if path.is_empty() {
            format!("rest/orgs/{}", self.org_id)
        } else {
            format!("rest/orgs/{}/{path}", self.org_id)
        };
        let query: &[(&str, &str)] = if objects { &[("text_content_output_format", "objects_convert")] } else { &[] };
        self.http.url(&path, query)
    }

    /// A 404 about the organisation (not an incident) as the user can act on it.
    fn org_not_found(&self, f: Failure) -> Failure {
        if f.status == Some(404) {
            return Error::not_found(
                "IBM Resilient organisation",
                format!(
                    "{} at {} (check the organisation id, and that the API key belongs to that organisation)",
                    self.org_id, self.http.shown
                ),
            )
            .into();
        }
        f
    }

    async fn test_org(&self) -> Call<String> {
        let org = self.http.get(self.url("", false)).await.map_err(|f| self.org_not_found(f))?;
        Ok(format!(
            "Connected to IBM Resilient at {}: organisation {} ({}) is reachable.",
            self.http.shown,
            text(&org, "/name").unwrap_or("with no name"),
            self.org_id
        ))
    }

    /// The incident fields (`[{name, input_type, read_only, required, prefix, values…}]`).
    async fn incident_fields(&self) -> Call<Arc<Vec<Value>>> {
        if let Some(known) = self.fields.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Ok(known);
        }
        let answer =
            self.http.get(self.url("types/incident/fields", false)).await.map_err(|f| self.org_not_found(f))?;
        let list = Arc::new(answer.as_array().cloned().unwrap_or_default());
        *self.fields.lock().unwrap_or_else(|e| e.into_inner()) = Some(list.clone());
        Ok(list)
    }

    /// A choice field's values (`GET …/types/incident/fields/{name}` → `{values:[{value,label}]}`).
    async fn choice_values(&self, name: &str) -> Call<Vec<Choice>> {
        let field = self.http.get(self.url(&format!("types/incident/fields/{name}"), false)).await?;
        Ok(choices_of(&field))
    }

    async fn choices(&self) -> Call<ConnectorMetadata> {
        let incident_types = self.choice_values("incident_type_ids").await.map_err(|f| self.org_not_found(f))?;
        let severities = self.choice_values("severity_code").await?;
        let fields = self.incident_fields().await?;
        let fields = fields.iter().filter_map(remote_field).collect();
        Ok(ConnectorMetadata { incident_types, severities, fields, ..Default::default() })
    }

    async fn has_case_field(&self) -> Call<bool> {
        let fields = self.incident_fields().await?;
        Ok(fields.iter().any(|f| text(f, "/name") == Some(CASE_ID_FIELD) && text(f, "/prefix") == Some("properties")))
    }

    /// The case's additional fields (checked against the field list by the push before it
    /// gets here), split into standard fields and custom ones (`properties`).
    async fn additional(&self, incident: &Incident) -> Call<(Map<String, Value>, Map<String, Value>)> {
        let (mut standard, mut custom) = (Map::new(), Map::new());
        let Some(Value::Object(given)) = incident.fields.get("additionalFields") else {
            return Ok((standard, custom));
        };
        let fields = self.incident_fields().await?;
        for (name, value) in given {
            let is_custom = fields
                .iter()
                .any(|f| text(f, "/name") == Some(name.as_str()) && text(f, "/prefix") == Some("properties"));
            if is_custom {
                custom.insert(name.clone(), value.clone());
            } else {
                standard.insert(name.clone(), value.clone());
            }
        }
        Ok((standard, custom))
    }

    fn ticket(&self, id: i64) -> Ticket {
        let id = id.to_string();
        Ticket { url: self.ticket_url(&id, &id), title: id.clone(), id }
    }

    /// Incidents matching one filter's conditions, oldest first.
    async fn query(&self, conditions: Value) -> Call<Option<Ticket>> {
        let body = json!({
            "filters": [{ "conditions": conditions }],
            "sorts": [{ "field_name": "create_date", "type": "asc" }],
            "start": 0,
            "length": 1,
        });
        let answer = self.http.send(Method::POST, self.url("incidents/query_paged", true), Some(&body)).await?;
        let first = answer.get("data").and_then(Value::as_array).and_then(|d| d.first()).cloned();
        Ok(first.and_then(|i| i.get("id").and_then(int)).map(|id| self.ticket(id)))
    }

    async fn current(&self, id: &str) -> Call<Value> {
        self.http.get(self.url(&format!("incidents/{id}"), true)).await
    }
}

/// `{values:[{value, label, enabled}]}` as choices (disabled ones are not offered).
fn choices_of(field: &Value) -> Vec<Choice> {
    let values = field.get("values").and_then(Value::as_array).cloned().unwrap_or_default();
    values
        .iter()
        .filter(|v| v.get("enabled") != Some(&Value::Bool(false)))
        .filter_map(|v| {
            let value = match v.get("value")? {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let label = text(v, "/label").unwrap_or(&value).to_string();
            Some(Choice { value, label, depends_on: None })
        })
        .collect()
}

/// One incident field as the connector's metadata keeps it.
fn remote_field(f: &Value) -> Option<RemoteField> {
    let id = text(f, "/name")?.to_string();
    Some(RemoteField {
        label: text(f, "/text").unwrap_or(&id).to_string(),
        field_type: text(f, "/input_type").unwrap_or("text").to_string(),
        key: text(f, "/prefix").map(str::to_string),
        // Resilient says `"always"` (or a condition) for a required field, null otherwise.
        required: f.get("required").is_some_and(|r| r.as_bool().unwrap_or(!r.is_null())),
        read_only: f.get("read_only").and_then(Value::as_bool).unwrap_or(false),
        values: choices_of(f),
        id,
    })
}

/// One change of a PATCH: the value the incident has now (as read) and the case's.
fn change(name: &str, old: Value, new: Value) -> Value {
    json!({ "field": { "name": name }, "old_value": old, "new_value": new })
}

/// The incident's current value of `name` as a PATCH's `old_value` names it: wrapped as the
/// field's type says, or null when it has none.
fn old_value(current: &Value, name: &str, wrap: &str) -> Value {
    match current.get(name) {
        None | Some(Value::Null) => Value::Null,
        Some(v) if wrap == "ids" => {
            // Ids, whether given as numbers or as `{id, name}` objects.
            let ids: Vec<Value> =
                v.as_array().into_iter().flatten().map(|i| i.get("id").cloned().unwrap_or_else(|| i.clone())).collect();
            json!({ "ids": ids })
        }
        Some(v) if wrap == "id" => json!({ "id": v.get("id").cloned().unwrap_or_else(|| v.clone()) }),
        Some(v) => json!({ wrap: v }),
    }
}

/// Whether the incident already holds `new` (then the change is left out, so an edit made in
/// Resilient to another field cannot make this PATCH fail).
fn unchanged(current: &Value, name: &str, new: &Value) -> bool {
    let now = current.get(name).cloned().unwrap_or(Value::Null);
    match name {
        "name" => now.as_str() == new.pointer("/text").and_then(Value::as_str),
        "description" => {
            let content = |v: &Value| v.get("content").and_then(Value::as_str).map(str::to_string);
            content(&now).or_else(|| now.as_str().map(str::to_string)) == content(&new["textarea"])
        }
        "incident_type_ids" => {
            let mut have: Vec<i64> = now
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| int(i).or_else(|| i.get("id").and_then(int)))
                .collect();
            let mut want: Vec<i64> = new["ids"].as_array().into_iter().flatten().filter_map(int).collect();
            have.sort_unstable();
            want.sort_unstable();
            have == want
        }
        "severity_code" => int(&now).or_else(|| now.get("id").and_then(int)) == new["id"].as_i64(),
        _ => false,
    }
}

#[async_trait]
impl System for Resilient {
    fn http(&self) -> &Http {
        &self.http
    }

    /// Reads the organisation: proves the address, the key and the organisation id at once.
    async fn test(&self) -> Call<String> {
        self.test_org().await
    }

    async fn metadata(&self) -> Call<ConnectorMetadata> {
        self.choices().await
    }

    /// By the custom field carrying the case id; an organisation without it by the mark in the
    /// description (see [`Resilient::create`]). A name alone would adopt any incident that
    /// happens to share the case's title.
    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        let condition = if self.has_case_field().await? {
            json!({ "field_name": format!("properties.{CASE_ID_FIELD}"), "method": "equals", "value": incident.case_uuid })
        } else {
            json!({ "field_name": "description", "method": "contains", "value": case_mark(&incident.case_uuid) })
        };
        self.query(json!([condition])).await
    }

    fn ticket_url(&self, id: &str, _title: &str) -> String {
        format!("{}/#incidents/{id}", self.http.base())
    }

    /// Kibana's create: the name, the date it was discovered (now), the description as HTML,
    /// the chosen types and severity; plus the case's id in `properties.casebook_case_id`, or,
    /// where the organisation lacks that field, as a last line of the description.
    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let (standard, mut custom) = self.additional(incident).await?;
        let mut description = incident.description.clone();
        if self.has_case_field().await? {
            custom.insert(CASE_ID_FIELD.into(), json!(incident.case_uuid));
        } else {
            description.push_str(&format!("\n{}", case_mark(&incident.case_uuid)));
        }
        let mut body = Map::new();
        body.insert("name".into(), json!(incident.title));
        body.insert("discovered_date".into(), json!(chrono::Utc::now().timestamp_millis()));
        body.insert("description".into(), json!({ "format": "html", "content": html(&description) }));
        if let Some(ids) = type_ids(&incident.fields) {
            let ids: Vec<Value> = ids.into_iter().map(|id| json!({ "id": id })).collect();
            body.insert("incident_type_ids".into(), Value::Array(ids));
        }
        if let Some(id) = severity(&incident.fields) {
            body.insert("severity_code".into(), json!({ "id": id }));
        }
        body.extend(standard);
        if !custom.is_empty() {
            body.insert("properties".into(), Value::Object(custom));
        }
        let created = self.http.send(Method::POST, self.url("incidents", true), Some(&Value::Object(body))).await?;
        match created.get("id").and_then(int) {
            Some(id) => Ok(self.ticket(id)),
            None => Err(self.http.remote(200, "the created incident's id is missing from the answer".into()).into()),
        }
    }

    /// Reads the incident, then sends what differs as changes from the values read. Resilient
    /// applies them only if those are still the incident's values: `success:false` means
    /// someone changed it in between, and is shown in Resilient's words, not retried.
    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let (standard, custom) = self.additional(incident).await?;
        let current = self.current(&ticket.id).await?;
        let mut description = incident.description.clone();
        if !self.has_case_field().await? {
            description.push_str(&format!("\n{}", case_mark(&incident.case_uuid)));
        }
        let mut wanted = vec![
            ("name", "text", json!({ "text": incident.title })),
            ("description", "textarea", json!({ "textarea": { "format": "html", "content": html(&description) } })),
        ];
        if let Some(ids) = type_ids(&incident.fields) {
            wanted.push(("incident_type_ids", "ids", json!({ "ids": ids })));
        }
        if let Some(id) = severity(&incident.fields) {
            wanted.push(("severity_code", "id", json!({ "id": id })));
        }
        let mut changes: Vec<Value> = wanted
            .into_iter()
            .filter(|(name, _, new)| !unchanged(&current, name, new))
            .map(|(name, wrap, new)| change(name, old_value(&current, name, wrap), new))
            .collect();
        // Additional fields go as raw values, as Kibana sends them.
        let properties = current.get("properties").cloned().unwrap_or(Value::Null);
        for (name, new) in standard {
            let old = current.get(&name).cloned().unwrap_or(Value::Null);
            if old != new {
                changes.push(change(&name, old, new));
            }
        }
        for (name, new) in custom {
            let old = properties.get(&name).cloned().unwrap_or(Value::Null);
            if old != new {
                changes.push(change(&name, old, new));
            }
        }
        if changes.is_empty() {
            return Ok(ticket.clone());
        }
        let url = self.url(&format!("incidents/{}", ticket.id), false);
        let answer = self.http.send(Method::PATCH, url, Some(&json!({ "changes": changes }))).await?;
        if answer.get("success") == Some(&Value::Bool(false)) {
            return Err(conflict(&self.http, &ticket.id, &answer));
        }
        Ok(ticket.clone())
    }

    async fn comment(&self, ticket: &Ticket, _incident: &Incident, body: &str) -> Call<()> {
        if body.trim().is_empty() {
            return Ok(());
        }
        let url = self.url(&format!("incidents/{}/comments", ticket.id), true);
        let note = json!({ "text": { "format": "text", "content": body } });
        self.http.send(Method::POST, url, Some(&note)).await?;
        Ok(())
    }
}

/// The case's mark in a description, for organisations without the custom field.
fn case_mark(case_uuid: &str) -> String {
    format!("Casebook case {case_uuid}")
}

/// A refused PATCH (`{success:false, message, field_failures}`): Resilient's own words, each
/// field that changed in between, and what to do. `remote` with 409: `conflict` is Casebook's
/// own stale-version error (its message speaks of versions the user sent), and a 409 is never
/// retried on its own, since the same PATCH would fail the same way.
fn conflict(http: &Http, id: &str, answer: &Value) -> Failure {
    let mut lines = vec![format!(
        "incident {id} was changed in IBM Resilient since Casebook read it: {}",
        text(answer, "/message").map(|m| http.redact(m)).unwrap_or_else(|| "the changes were refused".into())
    )];
    for failure in answer.get("field_failures").and_then(Value::as_array).into_iter().flatten() {
        let field = text(failure, "/field/name").unwrap_or("a field");
        let said = text(failure, "/message").or_else(|| text(failure, "/reason")).unwrap_or("changed");
        lines.push(format!("{field}: {}", http.redact(said)));
    }
    lines.push("Nothing was changed. Push again to send the case over the incident as it is now.".into());
    Failure { error: http.remote(409, lines.join("\n")), retry_after: None, status: Some(409) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_escaped_html_with_line_breaks() {
        assert_eq!(html("a < b & \"c\"\r\nnext 'line'"), "a &lt; b &amp; &quot;c&quot;<br>next &#39;line&#39;");
    }

    #[test]
    fn error_body_reads_message_and_hints() {
        let body = json!({"success": false, "message": "Field 'x' is required", "hints": ["Set x"]});
        assert_eq!(reason(&body).unwrap(), "Field 'x' is required\nSet x");
        assert_eq!(reason(&json!({})), None);
    }

    #[test]
    fn settings_need_a_numeric_org_and_a_key_id() {
        let s = |org: &str, key: &str| ResilientSettings { org_id: org.into(), api_key_id: key.into() };
        let ok = s(" 201 ", " key-1 ").checked(ConnectorKind::Resilient).unwrap();
        assert_eq!(ok, s("201", "key-1"));
        let e = s("acme", "k").checked(ConnectorKind::Resilient).unwrap_err();
        assert_eq!(e.field(), Some("org_id"));
        let e = s("201", " ").checked(ConnectorKind::Resilient).unwrap_err();
        assert_eq!(e.field(), Some("api_key_id"));
    }

    #[test]
    fn old_values_are_wrapped_as_the_field_type_says() {
        let current = json!({"name": "A", "incident_type_ids": [19, {"id": 20}], "severity_code": null,
            "description": {"format": "html", "content": "x"}});
        assert_eq!(old_value(&current, "name", "text"), json!({"text": "A"}));
        assert_eq!(old_value(&current, "incident_type_ids", "ids"), json!({"ids": [19, 20]}));
        assert_eq!(old_value(&current, "severity_code", "id"), Value::Null);
        assert_eq!(
            old_value(&current, "description", "textarea"),
            json!({"textarea": {"format": "html", "content": "x"}})
        );
        assert!(unchanged(&current, "incident_type_ids", &json!({"ids": [20, 19]})));
        assert!(!unchanged(&current, "name", &json!({"text": "B"})));
    }
}
