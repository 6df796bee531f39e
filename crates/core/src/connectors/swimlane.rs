//! Swimlane, as Kibana's `.swimlane` connector speaks it (connectors.md §6): records in one
//! application, signed in with `Private-Token`. Which record field gets the case id, title,
//! description, severity, status and the comments is the connector's `mappings`, chosen from
//! the application's fields (read with [`System::metadata`]). The record is found again by the
//! mapped case-id field, so a create whose answer was lost is never made twice; a push without a
//! case-id or comments mapping is refused before anything is sent.

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::http::{Call, Credential, Http, SignIn};
use super::{Incident, Secrets, Spec, System, SystemSettings, Ticket, text};
use crate::model::*;
use crate::{Error, Result};

pub(crate) const SPEC: Spec = Spec {
    name: "swimlane",
    kibana_type: ".swimlane",
    label: "Swimlane",
    secret_label: "API token",
    choice_fields: &[],
    switches: &[],
    json_fields: &[],
    static_choices: None,
    // Its mappings take the case's severity and status.
    sends_status: true,
};

/// Longest application or field id accepted (Swimlane's are 17 characters).
const MAX_ID_LENGTH: usize = 64;

/// A Swimlane connector's settings: the application, and which of its fields get what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SwimlaneSettings {
    /// The application's id (in its URL: `/app/<id>`), not its name.
    #[serde(default)]
    pub app_id: String,
    #[serde(default)]
    pub mappings: SwimlaneMappings,
}

/// The application's field id (`RemoteField::id`) that gets each part of the case; none means
/// it is not sent. A push needs `case_id` (to find the record again) and `comments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SwimlaneMappings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// Gets the case title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A `comments` field: each case comment is added to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

/// What a mapping takes from the case, and the field types that can hold it.
struct Slot {
    name: &'static str,
    label: &'static str,
    types: &'static [&'static str],
}

/// The mappings in form order, with the Swimlane field types each accepts (the form offers only
/// those; a push refuses any other).
const SLOTS: [Slot; 6] = [
    Slot { name: "case_id", label: "Case ID", types: &["text"] },
    Slot { name: "name", label: "Case name", types: &["text"] },
    Slot { name: "description", label: "Description", types: &["text"] },
    Slot { name: "severity", label: "Severity", types: &["text", "numeric", "valuesList"] },
    Slot { name: "status", label: "Status", types: &["text", "numeric", "valuesList"] },
    Slot { name: "comments", label: "Comments", types: &["comments"] },
];

impl SwimlaneMappings {
    fn get(&self, slot: &str) -> Option<&str> {
        let field = match slot {
            "case_id" => &self.case_id,
            "name" => &self.name,
            "description" => &self.description,
            "severity" => &self.severity,
            "status" => &self.status,
            _ => &self.comments,
        };
        field.as_deref()
    }
}

/// An id that goes into a URL path as it is: letters, digits, `-` and `_`.
fn id(field: &str, value: &str, what: &str) -> Result<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ok = value.len() <= MAX_ID_LENGTH && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(Error::validation(
            field,
            format!(
                "must be a Swimlane {what} id: letters, digits, - or _, at most {MAX_ID_LENGTH} characters (got {value:?})"
            ),
        ));
    }
    Ok(Some(value.to_string()))
}

impl SystemSettings for SwimlaneSettings {
    fn checked(&self, _: ConnectorKind) -> Result<SwimlaneSettings> {
        let app_id = id("app_id", &self.app_id, "application")?.ok_or_else(|| {
            Error::validation("app_id", "is required for Swimlane: the application id from its URL (/app/<id>)")
        })?;
        let m = &self.mappings;
        let one = |slot: &str, v: &Option<String>| id(&format!("mappings.{slot}"), v.as_deref().unwrap_or(""), "field");
        let mappings = SwimlaneMappings {
            case_id: one("case_id", &m.case_id)?,
            name: one("name", &m.name)?,
            description: one("description", &m.description)?,
            severity: one("severity", &m.severity)?,
            status: one("status", &m.status)?,
            comments: one("comments", &m.comments)?,
        };
        // One field holds one thing: a second mapping to it would overwrite the first.
        for (i, a) in SLOTS.iter().enumerate() {
            let Some(field) = mappings.get(a.name) else { continue };
            if let Some(b) = SLOTS[..i].iter().find(|b| mappings.get(b.name) == Some(field)) {
                return Err(Error::validation(
                    format!("mappings.{}", a.name),
                    format!("field {field} already gets the {}; choose another field", b.label.to_lowercase()),
                ));
            }
        }
        Ok(SwimlaneSettings { app_id, mappings })
    }

    fn connect(&self, _: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(Swimlane::new(self, url, secrets.main_secret().to_string())?))
    }

    fn same_target(&self, other: &SwimlaneSettings) -> bool {
        self.app_id == other.app_id
    }

    fn account(&self) -> Option<String> {
        None
    }

    fn target(&self) -> String {
        format!("application {}", self.app_id)
    }

    fn secret_label(&self) -> &'static str {
        "API token"
    }
}

pub(crate) struct Swimlane {
    http: Http,
    app_id: String,
    mappings: SwimlaneMappings,
    /// The API's path under the configured URL: `api/`, or nothing when the URL ends with it.
    api: &'static str,
}

/// Swimlane's error body `{ErrorCode, Argument}` as `Argument (ErrorCode)`.
fn reason(body: &Value) -> Option<String> {
    let argument = body.get("Argument").and_then(Value::as_str).map(str::trim).filter(|a| !a.is_empty());
    let code = body.get("ErrorCode").filter(|c| !c.is_null()).map(|c| c.as_str().map_or(c.to_string(), str::to_string));
    match (argument, code) {
        (Some(a), Some(c)) => Some(format!("{a} ({c})")),
        (Some(a), None) => Some(a.to_string()),
        (None, Some(c)) => Some(format!("error code {c}")),
        (None, None) => None,
    }
}

/// A name compared loosely: `In Progress`, `in-progress` and `inprogress` are the same.
fn squashed(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// What goes into one mapped field.
enum Source<'a> {
    Text(&'a str),
    /// A severity or status: its name (`high`, `in-progress`; a values list's value is matched
    /// to it ignoring case and punctuation) and its number for a numeric field (low 1 … critical
    /// 4; open 1, in progress 2, closed 3).
    Level {
        name: &'static str,
        number: u8,
    },
}

fn severity_number(s: Severity) -> u8 {
    match s {
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

fn status_number(s: Status) -> u8 {
    match s {
        Status::Open => 1,
        Status::InProgress => 2,
        Status::Closed => 3,
    }
}

/// The application's fields as [`RemoteField`]s (a values list's choices: value = id, label = name).
fn remote_fields(app: &Value) -> Vec<RemoteField> {
    let list = app.get("fields").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .filter_map(|f| {
            let id = text(f, "/id")?;
            let values = f
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| {
                    let name = text(v, "/name")?;
                    Some(Choice { value: text(v, "/id").unwrap_or(name).into(), label: name.into(), depends_on: None })
                })
                .collect();
            Some(RemoteField {
                id: id.into(),
                label: text(f, "/name").unwrap_or(id).into(),
                field_type: text(f, "/fieldType").unwrap_or("").into(),
                key: text(f, "/key").map(str::to_string),
                required: f.get("required").and_then(Value::as_bool).unwrap_or(false),
                read_only: f.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
                values,
            })
        })
        .collect()
}

/// Where the mappings are changed, for messages.
const FIX: &str = "in Settings → Connectors (edit the connector, Load fields), or with `casebook connector edit NAME --set-json mappings={…}`";

impl Swimlane {
    fn new(c: &SwimlaneSettings, url: &str, token: String) -> Result<Swimlane> {
        let http = Http::new(
            "Swimlane",
            url,
            "e.g. https://your-tenant.swimlane.app",
            SignIn::Header { name: "Private-Token", token },
            Credential {
                name: "API token",
                fix: "The token may have expired or been revoked: create a new one in Swimlane (profile → API Keys / Personal Access Token) and enter it in the connector's settings.",
            },
            reason,
        )?;
        // Kibana's rule: `/api` is added unless the URL already ends with `api`.
        let api = if http.base().ends_with("api") { "" } else { "api/" };
        Ok(Swimlane { http, app_id: c.app_id.clone(), mappings: c.mappings.clone(), api })
    }

    fn url(&self, path: &str) -> url::Url {
        self.http.url(&format!("{}{path}", self.api), &[])
    }

    fn app_path(&self) -> String {
        format!("app/{}", self.app_id)
    }

    /// The application, or a clear "not found" for a wrong id.
    async fn app(&self) -> Call<Value> {
        match self.http.get(self.url(&self.app_path())).await {
            Err(f) if f.status == Some(404) => Err(Error::not_found(
                "Swimlane application",
                format!(
                    "{} at {} (check the application id: the part after /app/ in the application's URL, and that the token's user may see it)",
                    self.app_id, self.http.shown
                ),
            )
            .into()),
            other => other,
        }
    }

    /// A push needs the case-id field (to find a record whose create answer was lost) and the
    /// comments field; without either nothing is sent.
    fn ready(&self) -> Call<()> {
        let missing = |slot: &str, why: &str| -> Call<()> {
            Err(Error::validation(
                format!("mappings.{slot}"),
                format!("no Swimlane {why}; choose one {FIX}, then push again"),
            )
            .into())
        };
        if self.mappings.case_id.is_none() {
            return missing(
                "case_id",
                "field is mapped to the case ID, so a record could not be found again and might be created twice",
            );
        }
        if self.mappings.comments.is_none() {
            return missing("comments", "comments field is mapped: the case's comments would have nowhere to go");
        }
        Ok(())
    }

    /// The record's `values`: each mapped field with the case's value in the field's type. A
    /// field gone from the application, or of a type that cannot hold the value, is refused.
    fn values(&self, incident: &Incident, fields: &[RemoteField]) -> Call<Map<String, Value>> {
        let mut values = Map::new();
        for slot in &SLOTS {
            let Some(field_id) = self.mappings.get(slot.name) else { continue };
            let source = match slot.name {
                "case_id" => Source::Text(&incident.case_uuid),
                "name" => Source::Text(&incident.title),
                "description" => Source::Text(&incident.description),
                "severity" => {
                    Source::Level { name: incident.severity.as_str(), number: severity_number(incident.severity) }
                }
                "status" => Source::Level { name: incident.status.as_str(), number: status_number(incident.status) },
                _ => continue, // comments go one by one
            };
            let refuse = |why: String| -> Call<Map<String, Value>> {
                Err(Error::validation(format!("mappings.{}", slot.name), format!("{why}; choose another {FIX}")).into())
            };
            let Some(field) = fields.iter().find(|f| f.id == field_id) else {
                return refuse(format!(
                    "field {field_id} (for the {}) is not in application {} any more",
                    slot.label.to_lowercase(),
                    self.app_id
                ));
            };
            if field.read_only || !slot.types.contains(&field.field_type.as_str()) {
                return refuse(format!(
                    "field {:?} is a {}{} field, which cannot take the {}",
                    field.label,
                    if field.read_only { "read-only " } else { "" },
                    field.field_type,
                    slot.label.to_lowercase()
                ));
            }
            let value = match (field.field_type.as_str(), source) {
                // Falsy values are left out, as Kibana does.
                (_, Source::Text(t)) if t.trim().is_empty() => continue,
                (_, Source::Text(t)) => json!(t),
                ("numeric", Source::Level { number, .. }) => json!(number),
                ("valuesList", Source::Level { name, .. }) => {
                    match field.values.iter().find(|v| squashed(&v.label) == squashed(name)) {
                        Some(v) => {
                            json!({"$type": "Core.Models.Record.ValueSelection, Core", "id": v.value, "value": v.label})
                        }
                        None => {
                            let offered: Vec<&str> = field.values.iter().map(|v| v.label.as_str()).collect();
                            return refuse(format!(
                                "values list {:?} has no value for {} {name:?} (it offers {})",
                                field.label,
                                slot.label.to_lowercase(),
                                if offered.is_empty() { "none".into() } else { offered.join(", ") }
                            ));
                        }
                    }
                }
                (_, Source::Level { name, .. }) => json!(name),
            };
            values.insert(field_id.to_string(), value);
        }
        Ok(values)
    }

    /// The values as the application's current fields type them.
    async fn record_values(&self, incident: &Incident) -> Call<Map<String, Value>> {
        self.ready()?;
        let fields = remote_fields(&self.app().await?);
        self.values(incident, &fields)
    }

    fn ticket(&self, record: &Value, fallback: Option<&Ticket>, status: u16) -> Call<Ticket> {
        let id = text(record, "/id").or(fallback.map(|t| t.id.as_str()));
        let name = text(record, "/name").or(fallback.map(|t| t.title.as_str()));
        match (id, name) {
            (Some(id), Some(name)) => Ok(Ticket { id: id.into(), title: name.into(), url: self.ticket_url(id, name) }),
            _ => Err(self
                .http
                .remote(status, "the record's id and tracking id are missing from the answer".into())
                .into()),
        }
    }
}

#[async_trait]
impl System for Swimlane {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn test(&self) -> Call<String> {
        let app = self.app().await?;
        let fields = remote_fields(&app);
        let mut unmapped: Vec<&str> = Vec::new();
        for slot in &SLOTS {
            match self.mappings.get(slot.name) {
                Some(id) if !fields.iter().any(|f| f.id == id) => {
                    return Err(Error::validation(
                        format!("mappings.{}", slot.name),
                        format!(
                            "field {id} (for the {}) is not in application {}; choose another {FIX}",
                            slot.label.to_lowercase(),
                            self.app_id
                        ),
                    )
                    .into());
                }
                None if matches!(slot.name, "case_id" | "comments") => unmapped.push(slot.label),
                _ => {}
            }
        }
        let acronym = text(&app, "/acronym").map(|a| format!(" ({a})")).unwrap_or_default();
        let mut said = format!(
            "Connected to Swimlane at {}: application {}{acronym} is reachable, with {} fields.",
            self.http.shown,
            text(&app, "/name").unwrap_or(&self.app_id),
            fields.len()
        );
        if !unmapped.is_empty() {
            said.push_str(&format!(" Map the {} fields before pushing.", unmapped.join(" and ").to_lowercase()));
        }
        Ok(said)
    }

    async fn metadata(&self) -> Call<ConnectorMetadata> {
        let app = self.app().await?;
        Ok(ConnectorMetadata { fields: remote_fields(&app), ..Default::default() })
    }

    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        self.ready()?;
        let field = self.mappings.case_id.as_deref().unwrap_or_default();
        let query = json!({
            "applicationIds": [self.app_id],
            "filters": [{"fieldId": field, "filterType": "equals", "value": incident.case_uuid}],
            "keywords": "",
            "pageSize": 1,
            "offset": 0,
        });
        let answer = self.http.send(Method::POST, self.url("search"), Some(&query)).await?;
        let hit = answer.pointer(&format!("/results/{}/0", self.app_id)).filter(|r| r.is_object());
        hit.map(|r| self.ticket(r, None, 200)).transpose()
    }

    fn ticket_url(&self, id: &str, _name: &str) -> String {
        // People open records in the web app, which is not under `/api`.
        let base = self.http.base();
        let web = base.strip_suffix("/api").unwrap_or(&base);
        format!("{web}/record/{}/{id}", self.app_id)
    }

    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let values = self.record_values(incident).await?;
        let body = json!({"applicationId": self.app_id, "values": values});
        let created =
            self.http.send(Method::POST, self.url(&format!("{}/record", self.app_path())), Some(&body)).await?;
        self.ticket(&created, None, 200)
    }

    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let values = self.record_values(incident).await?;
        let body = json!({"applicationId": self.app_id, "id": ticket.id, "values": values});
        let url = self.url(&format!("{}/record/{}", self.app_path(), ticket.id));
        let updated = self.http.send(Method::PATCH, url, Some(&body)).await?;
        self.ticket(&updated, Some(ticket), 200)
    }

    async fn comment(&self, ticket: &Ticket, _incident: &Incident, message: &str) -> Call<()> {
        self.ready()?;
        if message.trim().is_empty() {
            return Ok(());
        }
        let field = self.mappings.comments.as_deref().unwrap_or_default();
        let body = json!({
            "createdDate": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "fieldId": field,
            "isRichText": true,
            "message": message,
        });
        let url = self.url(&format!("{}/record/{}/{field}/comment", self.app_path(), ticket.id));
        self.http.send(Method::POST, url, Some(&body)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mappings: SwimlaneMappings) -> SwimlaneSettings {
        SwimlaneSettings { app_id: " aApp01 ".into(), mappings }
    }

    #[test]
    fn error_body_becomes_argument_and_code() {
        assert_eq!(reason(&json!({"ErrorCode": 1030, "Argument": "Record x"})).unwrap(), "Record x (1030)");
        assert_eq!(reason(&json!({"ErrorCode": "5010"})).unwrap(), "error code 5010");
        assert_eq!(reason(&json!({"message": "other"})), None);
    }

    #[test]
    fn settings_are_trimmed_and_a_field_gets_one_thing() {
        let m = SwimlaneMappings { case_id: Some(" f1 ".into()), name: Some("".into()), ..Default::default() };
        let ok = settings(m).checked(ConnectorKind::Swimlane).unwrap();
        assert_eq!(ok.app_id, "aApp01");
        assert_eq!((ok.mappings.case_id.as_deref(), ok.mappings.name.as_deref()), (Some("f1"), None));

        let twice = SwimlaneMappings { name: Some("f1".into()), comments: Some("f1".into()), ..Default::default() };
        let e = settings(twice).checked(ConnectorKind::Swimlane).unwrap_err();
        assert_eq!(e.to_string(), "mappings.comments: field f1 already gets the case name; choose another field");
        let e = SwimlaneSettings { app_id: "../x".into(), ..Default::default() }
            .checked(ConnectorKind::Swimlane)
            .unwrap_err();
        assert!(e.to_string().starts_with("app_id: must be a Swimlane application id"), "{e}");
    }

    #[test]
    fn levels_go_as_numbers_or_value_list_choices() {
        let m = SwimlaneMappings {
            case_id: Some("c".into()),
            severity: Some("n".into()),
            status: Some("v".into()),
            comments: Some("k".into()),
            ..Default::default()
        };
        let sw =
            Swimlane::new(&settings(m).checked(ConnectorKind::Swimlane).unwrap(), "https://sw.example", "t".into())
                .unwrap();
        let field = |id: &str, t: &str| RemoteField {
            id: id.into(),
            label: id.into(),
            field_type: t.into(),
            ..Default::default()
        };
        let mut list = field("v", "valuesList");
        list.values = vec![Choice { value: "v1".into(), label: "In Progress".into(), depends_on: None }];
        let incident = Incident {
            case_uuid: "u-1".into(),
            number: None,
            title: "T".into(),
            description: String::new(),
            raw_description: String::new(),
            tags: vec![],
            severity: Severity::High,
            status: Status::InProgress,
            fields: Value::Null,
            observables: Default::default(),
        };
        let values = sw.values(&incident, &[field("c", "text"), field("n", "numeric"), list]).unwrap();
        assert_eq!(
            Value::Object(values),
            json!({"c": "u-1", "n": 3, "v": {"$type": "Core.Models.Record.ValueSelection, Core", "id": "v1", "value": "In Progress"}})
        );
        let e = sw.values(&incident, &[field("c", "numeric")]).unwrap_err();
        assert!(e.error.to_string().starts_with("mappings.case_id: field \"c\" is a numeric field"), "{}", e.error);
        assert_eq!(sw.ticket_url("r1", "CBI-1"), "https://sw.example/record/aApp01/r1");
    }
}
