//! ServiceNow ITSM (`incident`) and SecOps (`sn_si_incident`), as Kibana's `.servicenow` and
//! `.servicenow-sir` connectors speak them (connectors.md §2–4): through the Elastic ServiceNow
//! app's import sets, or straight into the table. Comments become work notes. Every incident
//! carries `correlation_id = <case uuid>`, so a create whose answer was lost is found again.

use async_trait::async_trait;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::fields::{ChoiceField, JsonField, MAX_ADDITIONAL_FIELDS, OBSERVABLE_SWITCHES, choice};
use super::http::{Call, Credential, Http, SignIn};
use super::{Incident, Observables, Secrets, Spec, System, SystemSettings, Ticket, text};
use crate::model::*;
use crate::{Error, Result, validate};

pub(crate) const ITSM: Spec = Spec {
    name: "servicenow-itsm",
    kibana_type: ".servicenow",
    label: "ServiceNow ITSM",
    secret_label: "password",
    choice_fields: ITSM_FIELDS,
    switches: &[],
    json_fields: ADDITIONAL,
    static_choices: None,
    sends_status: false,
};

pub(crate) const SIR: Spec = Spec {
    name: "servicenow-sir",
    kibana_type: ".servicenow-sir",
    label: "ServiceNow SecOps",
    secret_label: "password",
    choice_fields: SIR_FIELDS,
    switches: OBSERVABLE_SWITCHES,
    json_fields: ADDITIONAL,
    static_choices: None,
    sends_status: false,
};

/// Kibana's `additional_fields`: more columns of the incident, merged unprefixed.
const ADDITIONAL: &[JsonField] = &[JsonField {
    name: "additionalFields",
    label: "Additional fields (JSON)",
    max_keys: MAX_ADDITIONAL_FIELDS,
    reserved: &[
        "short_description",
        "description",
        "correlation_id",
        "correlation_display",
        "caller_id",
        "opened_by",
        "work_notes",
        "urgency",
        "severity",
        "impact",
        "category",
        "subcategory",
        "priority",
    ],
}];

const ITSM_FIELDS: &[ChoiceField] = &[
    choice("urgency", "Urgency", "urgencies"),
    choice("severity", "Severity", "severities"),
    choice("impact", "Impact", "impacts"),
    choice("category", "Category", "categories"),
    choice("subcategory", "Subcategory", "subcategories"),
];
const SIR_FIELDS: &[ChoiceField] = &[
    choice("category", "Category", "categories"),
    choice("subcategory", "Subcategory", "subcategories"),
    choice("priority", "Priority", "priorities"),
];

/// A ServiceNow connector's settings (ITSM or SecOps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct ServiceNowSettings {
    #[serde(default)]
    #[ts(optional = false)]
    pub mode: ServiceNowMode,
    /// The ServiceNow user the incidents are created as (basic sign-in).
    #[serde(default)]
    #[ts(optional = false)]
    pub username: String,
}

impl SystemSettings for ServiceNowSettings {
    fn checked(&self, _: ConnectorKind) -> Result<ServiceNowSettings> {
        let username = validate::optional_text("username", Some(&self.username), validate::MAX_USERNAME_LENGTH)?
            .ok_or_else(|| {
                Error::validation("username", "is required: the ServiceNow user the incidents are created as")
            })?;
        Ok(ServiceNowSettings { mode: self.mode, username })
    }

    fn connect(&self, kind: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(ServiceNow::new(self, kind == ConnectorKind::ServicenowSir, url, secrets.main_secret().into())?))
    }

    fn same_target(&self, other: &ServiceNowSettings) -> bool {
        self.mode == other.mode
    }

    fn account(&self) -> Option<String> {
        Some(self.username.clone())
    }

    fn target(&self) -> String {
        match self.mode {
            ServiceNowMode::ImportSet => "Elastic app".into(),
            ServiceNowMode::Table => "Table API".into(),
        }
    }

    fn secret_label(&self) -> &'static str {
        "Password"
    }
}

/// What people see as the correlation's source in ServiceNow (Kibana says "Elastic Case").
const CORRELATION_DISPLAY: &str = "Casebook case";

pub(crate) struct ServiceNow {
    http: Http,
    sir: bool,
    mode: ServiceNowMode,
    username: String,
}

/// ServiceNow's error body `{error:{message, detail}}`.
fn reason(body: &Value) -> Option<String> {
    let e = body.get("error")?;
    let message = e.get("message").and_then(Value::as_str).unwrap_or("").trim();
    let detail = e.get("detail").and_then(Value::as_str).unwrap_or("").trim();
    match (message.is_empty(), detail.is_empty()) {
        (true, true) => None,
        (false, true) => Some(message.into()),
        (true, false) => Some(detail.into()),
        (false, false) => Some(format!("{message}: {detail}")),
    }
}

impl ServiceNow {
    fn new(c: &ServiceNowSettings, sir: bool, url: &str, secret: String) -> Result<ServiceNow> {
        let username = c.username.clone();
        let http = Http::new(
            "ServiceNow",
            url,
            "e.g. https://your-instance.service-now.com",
            SignIn::Basic { user: username.clone(), secret },
            Credential {
                name: "user name and password",
                fix: "Check them in ServiceNow (the account must not require multi-factor sign-in for the REST API) and enter them in the connector's settings.",
            },
            reason,
        )?;
        Ok(ServiceNow { http, sir, mode: c.mode, username })
    }

    /// The case's choice fields: Kibana's names are the `sys_choice` element names.
    fn choice_fields(&self) -> impl Iterator<Item = &'static str> {
        let fields = if self.sir { SIR_FIELDS } else { ITSM_FIELDS };
        fields.iter().map(|f| f.name)
    }

    fn table(&self) -> &'static str {
        if self.sir { "sn_si_incident" } else { "incident" }
    }

    fn scope(&self) -> &'static str {
        if self.sir { "x_elas2_sir_int" } else { "x_elas2_inc_int" }
    }

    fn staging_table(&self) -> &'static str {
        if self.sir { "x_elas2_sir_int_elastic_si_incident" } else { "x_elas2_inc_int_elastic_incident" }
    }

    /// A 2xx answer without `result` is a sleeping developer instance or a login page.
    fn result(&self, answer: Value) -> Call<Value> {
        match answer.get("result") {
            Some(r) => Ok(r.clone()),
            None => Err(self
                .http
                .remote(
                    200,
                    "the answer has no result. Check that the URL is the instance itself; a hibernating developer instance must be woken at developer.servicenow.com.".into(),
                )
                .into()),
        }
    }

    /// The Elastic app's health check: its version, or a clear "not installed".
    async fn app_health(&self) -> Call<Value> {
        let url = self.http.url(&format!("api/{}/elastic_api/health", self.scope()), &[]);
        match self.http.get(url).await {
            Ok(a) => self.result(a),
            Err(f) if matches!(f.status, Some(400 | 404)) => Err(Error::not_found(
                "Elastic ServiceNow app",
                format!(
                    "{} on {} (install \"Elastic for {}\" from the ServiceNow Store, or set the connector's mode to Table API)",
                    self.scope(),
                    self.http.shown,
                    if self.sir { "Security Incident Response" } else { "ITSM" }
                ),
            )
            .into()),
            Err(f) => Err(f),
        }
    }

    async fn test_app(&self) -> Call<String> {
        match self.mode {
            ServiceNowMode::ImportSet => {
                let app = self.app_health().await?;
                Ok(format!(
                    "Connected to ServiceNow at {}: the Elastic app ({}) version {} is installed.",
                    self.http.shown,
                    text(&app, "/scope").unwrap_or(self.scope()),
                    text(&app, "/version").unwrap_or("unknown")
                ))
            }
            ServiceNowMode::Table => {
                let url = self.http.url(
                    &format!("api/now/table/{}", self.table()),
                    &[("sysparm_limit", "1"), ("sysparm_fields", "sys_id")],
                );
                let answer = self.http.get(url).await?;
                self.result(answer)?;
                Ok(format!("Connected to ServiceNow at {}: the {} table is reachable.", self.http.shown, self.table()))
            }
        }
    }

    /// The choice lists of the case form, from `sys_choice`.
    async fn choices(&self) -> Call<ConnectorMetadata> {
        let query = format!(
            "name=task^ORname={}^element={}^language=en",
            self.table(),
            self.choice_fields().collect::<Vec<_>>().join("^ORelement=")
        );
        let url = self.http.url(
            "api/now/table/sys_choice",
            &[("sysparm_query", &query), ("sysparm_fields", "label,value,dependent_value,element")],
        );
        let answer = self.http.get(url).await?;
        let rows = self.result(answer)?;
        let mut meta = ConnectorMetadata::default();
        for row in rows.as_array().into_iter().flatten() {
            let (Some(element), Some(value)) = (text(row, "/element"), text(row, "/value")) else { continue };
            let list = match element {
                "urgency" => &mut meta.urgencies,
                "severity" => &mut meta.severities,
                "impact" => &mut meta.impacts,
                "category" => &mut meta.categories,
                "subcategory" => &mut meta.subcategories,
                "priority" => &mut meta.priorities,
                _ => continue,
            };
            let depends_on = text(row, "/dependent_value").map(str::to_string);
            if list.iter().any(|c| c.value == value && c.depends_on == depends_on) {
                continue; // the same choice defined on task and on the table
            }
            let label = text(row, "/label").unwrap_or(value).to_string();
            list.push(Choice { value: value.into(), label, depends_on });
        }
        meta.fields = self.columns().await?;
        Ok(meta)
    }

    /// The incident's writable text columns from `sys_dictionary`, as Kibana's connector lists
    /// them: what additional fields are checked against. An account without the role to read
    /// the dictionary gets none (its additional fields then go unchecked).
    async fn columns(&self) -> Call<Vec<RemoteField>> {
        let query = format!("name=task^ORname={}^internal_type=string^active=true^read_only=false", self.table());
        let url = self.http.url(
            "api/now/table/sys_dictionary",
            &[("sysparm_query", &query), ("sysparm_fields", "max_length,element,column_label,mandatory")],
        );
        let rows = match self.http.get(url).await {
            Ok(answer) => self.result(answer)?,
            Err(f) if f.status == Some(403) => return Ok(Vec::new()),
            Err(f) => return Err(f),
        };
        let mut out: Vec<RemoteField> = Vec::new();
        for row in rows.as_array().into_iter().flatten() {
            let Some(element) = text(row, "/element") else { continue };
            if out.iter().any(|f| f.id == element) {
                continue;
            }
            out.push(RemoteField {
                id: element.into(),
                label: text(row, "/column_label").unwrap_or(element).into(),
                field_type: "string".into(),
                required: matches!(row.get("mandatory"), Some(Value::Bool(true)))
                    || text(row, "/mandatory") == Some("true"),
                ..RemoteField::default()
            });
        }
        Ok(out)
    }

    fn ticket(&self, sys_id: &str, number: &str) -> Ticket {
        Ticket { id: sys_id.into(), title: number.into(), url: self.ticket_url(sys_id, number) }
    }

    async fn read(&self, sys_id: &str) -> Call<Ticket> {
        let url = self
            .http
            .url(&format!("api/now/v2/table/{}/{sys_id}", self.table()), &[("sysparm_fields", "sys_id,number")]);
        let answer = self.http.get(url).await?;
        let record = self.result(answer)?;
        Ok(self.ticket(sys_id, text(&record, "/number").unwrap_or(sys_id)))
    }

    async fn find_correlated(&self, case_uuid: &str) -> Call<Option<Ticket>> {
        let query = format!("correlation_id={case_uuid}^ORDERBYsys_created_on");
        let url = self.http.url(
            &format!("api/now/v2/table/{}", self.table()),
            &[("sysparm_query", &query), ("sysparm_fields", "sys_id,number"), ("sysparm_limit", "1")],
        );
        let answer = self.http.get(url).await?;
        let rows = self.result(answer)?;
        Ok(rows
            .as_array()
            .and_then(|r| r.first())
            .and_then(|r| Some(self.ticket(text(r, "/sys_id")?, text(r, "/number")?))))
    }

    /// The incident's fields, unprefixed.
    fn fields(&self, incident: &Incident, creating: bool) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("short_description".into(), json!(incident.title));
        out.insert("description".into(), json!(incident.description));
        out.insert("correlation_id".into(), json!(incident.case_uuid));
        out.insert("correlation_display".into(), json!(CORRELATION_DISPLAY));
        for name in self.choice_fields() {
            if let Some(v) = incident.fields.get(name).and_then(Value::as_str) {
                out.insert(name.into(), json!(v));
            }
        }
        if creating {
            out.insert("caller_id".into(), json!(self.username));
            out.insert("opened_by".into(), json!(self.username));
        }

        if self.sir && self.mode == ServiceNowMode::Table {
            let Observables { dest_ip, source_ip, malware_hash, malware_url } = &incident.observables;
            for (name, values) in [
                ("dest_ip", dest_ip),
                ("source_ip", source_ip),
                ("malware_hash", malware_hash),
                ("malware_url", malware_url),
            ] {
                if !values.is_empty() {
                    out.insert(name.into(), json!(values.join(",")));
                }
            }
        }
        out
    }

    /// The table's own fields with the case's additional fields over them (Table API).
    fn with_additional(&self, mut fields: Map<String, Value>, incident: &Incident) -> Value {
        fields.extend(additional(incident));
        Value::Object(fields)
    }

    /// Writes through the app's import set (create, or update with `elastic_incident_id`).
    async fn import(&self, fields: Map<String, Value>, incident: &Incident, sys_id: Option<&str>) -> Call<String> {
        self.app_health().await?;
        let mut body: Map<String, Value> = fields.into_iter().map(|(k, v)| (format!("u_{k}"), v)).collect();
        // Unprefixed, as Kibana sends them (the app's transform maps them as they are).
        body.extend(additional(incident));
        if let Some(id) = sys_id {
            body.insert("elastic_incident_id".into(), json!(id));
        }
        let url = self.http.url(&format!("api/now/import/{}", self.staging_table()), &[]);
        let answer = self.http.send(Method::POST, url, Some(&Value::Object(body))).await?;
        let row = answer.get("result").and_then(Value::as_array).and_then(|r| r.first()).cloned();
        let Some(row) = row else {
            return Err(self.http.remote(201, "the import set answered without a result row".into()).into());
        };
        if text(&row, "/status") == Some("error") {
            // An error row comes with HTTP 201: the transform refused the incident.
            let said = [text(&row, "/error_message"), text(&row, "/status_message")]
                .into_iter()
                .flatten()
                .map(|s| self.http.redact(s))
                .collect::<Vec<_>>()
                .join("\n");
            return Err(self.http.remote(400, format!("the import set refused the incident:\n{said}")).into());
        }
        text(&row, "/sys_id")
            .map(str::to_string)
            .ok_or_else(|| self.http.remote(201, "the import set row has no sys_id".into()).into())
    }

    /// SecOps through the app: observables go to their own endpoint after the incident.
    async fn send_observables(&self, sys_id: &str, o: &Observables) -> Call<()> {
        let mut items = Vec::new();
        for (kind, values) in [
            ("ipv4-addr", &o.dest_ip),
            ("ipv4-addr", &o.source_ip),
            ("SHA256", &o.malware_hash),
            ("URL", &o.malware_url),
        ] {
            for value in values {
                let item = json!({ "value": value, "type": kind });
                if !items.contains(&item) {
                    items.push(item);
                }
            }
        }
        if items.is_empty() {
            return Ok(());
        }
        let url = self.http.url(&format!("api/x_elas2_sir_int/elastic_api/incident/{sys_id}/observables/bulk"), &[]);
        self.http.send(Method::POST, url, Some(&Value::Array(items))).await?;
        Ok(())
    }

    async fn write(&self, incident: &Incident, existing: Option<&Ticket>) -> Call<Ticket> {
        let fields = self.fields(incident, existing.is_none());
        let sys_id = match (self.mode, existing) {
            (ServiceNowMode::ImportSet, _) => self.import(fields, incident, existing.map(|t| t.id.as_str())).await?,
            (ServiceNowMode::Table, Some(t)) => {
                let url = self.http.url(&format!("api/now/v2/table/{}/{}", self.table(), t.id), &[]);
                self.http.send(Method::PATCH, url, Some(&self.with_additional(fields, incident))).await?;
                t.id.clone()
            }
            (ServiceNowMode::Table, None) => {
                let url = self.http.url(&format!("api/now/v2/table/{}", self.table()), &[]);
                let answer = self.http.send(Method::POST, url, Some(&self.with_additional(fields, incident))).await?;
                let record = self.result(answer)?;
                match (text(&record, "/sys_id"), text(&record, "/number")) {
                    (Some(id), Some(number)) => return Ok(self.ticket(id, number)),
                    (Some(id), None) => id.to_string(),
                    _ => return Err(self.http.remote(201, "the created record has no sys_id".into()).into()),
                }
            }
        };
        if self.sir && self.mode == ServiceNowMode::ImportSet {
            self.send_observables(&sys_id, &incident.observables).await?;
        }
        match existing {
            Some(t) => Ok(Ticket { id: sys_id, ..t.clone() }),
            None => self.read(&sys_id).await,
        }
    }
}

#[async_trait]
impl System for ServiceNow {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn test(&self) -> Call<String> {
        self.test_app().await
    }

    async fn metadata(&self) -> Call<ConnectorMetadata> {
        self.choices().await
    }

    /// By `correlation_id`, which every incident Casebook creates carries.
    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        self.find_correlated(&incident.case_uuid).await
    }

    fn ticket_url(&self, sys_id: &str, _number: &str) -> String {
        format!("{}/nav_to.do?uri={}.do?sys_id={sys_id}", self.http.base(), self.table())
    }

    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        self.write(incident, None).await
    }

    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        self.write(incident, Some(ticket)).await
    }

    /// ServiceNow has no comment endpoint: each comment is one work note, written by an update
    /// that carries the whole incident again, as Kibana's does (a transform map may expect it).
    async fn comment(&self, ticket: &Ticket, incident: &Incident, body: &str) -> Call<()> {
        if body.trim().is_empty() {
            return Ok(());
        }
        let mut fields = self.fields(incident, false);
        fields.insert("work_notes".into(), json!(body));
        match self.mode {
            ServiceNowMode::ImportSet => {
                self.import(fields, incident, Some(&ticket.id)).await?;
            }
            ServiceNowMode::Table => {
                let url = self.http.url(&format!("api/now/v2/table/{}/{}", self.table(), ticket.id), &[]);
                self.http.send(Method::PATCH, url, Some(&self.with_additional(fields, incident))).await?;
            }
        }
        Ok(())
    }
}

/// The case's additional fields (checked against the table's columns before the push).
fn additional(incident: &Incident) -> Map<String, Value> {
    match incident.fields.get("additionalFields") {
        Some(Value::Object(more)) => more.clone(),
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_reads_message_and_detail() {
        let body = json!({"error": {"message": "Invalid table", "detail": "x not found"}, "status": "failure"});
        assert_eq!(reason(&body).unwrap(), "Invalid table: x not found");
        assert_eq!(reason(&json!({"error": {"message": "Only"}})).unwrap(), "Only");
        assert_eq!(reason(&json!({})), None);
    }
}
