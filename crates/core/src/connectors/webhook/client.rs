//! The webhook's requests, signed in: each step's templates filled in with the case, checked
//! (JSON body, https URL on the connector's host) before anything is sent, then sent with the
//! headers and sign-in the settings describe. Kibana's flow (connectors.md §7): create, read the
//! id at `response_key`, GET the incident for its title, render the view URL.

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

use super::oauth::OAuth;
use super::response_path::at_path;
use super::settings::*;
use super::template::{self, Template};
use super::tls;
use super::vars::Vars;
use crate::connectors::http::{Call, Credential, Failure, Http, SignIn};
use crate::connectors::redact::Redactor;
use crate::connectors::{Incident, Secrets, System, Ticket};
use crate::model::*;
use crate::{Error, Result};

pub(crate) const SERVICE: &str = "Webhook – Case Management";
/// What a masked secret shows in a preview.
const MASK: &str = "••••";

/// A request ready to go: every template filled in and checked.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub method: reqwest::Method,
    pub url: Url,
    pub body: Option<Value>,
}

pub(crate) struct CasesWebhook {
    http: Http,
    settings: CasesWebhookSettings,
    /// Plain headers with the secret ones over them (a secret header wins).
    headers: HeaderMap,
    /// The secret headers' names, for previews.
    secret_headers: Vec<String>,
    oauth: Option<OAuth>,
}

/// The system's error body in a line: its message if it has one, else the JSON (as Kibana
/// appends `JSON.stringify(response.data)`).
fn reason(body: &Value) -> Option<String> {
    for key in ["message", "error_description", "errorMessage", "error", "detail"] {
        if let Some(m) = body.get(key).and_then(Value::as_str).filter(|m| !m.trim().is_empty()) {
            return Some(m.to_string());
        }
    }
    (!body.is_null()).then(|| body.to_string())
}

fn credential(auth: &WebhookAuth) -> Credential {
    match auth {
        WebhookAuth::None => Credential {
            name: "request (sent without sign-in)",
            fix: "Choose the authentication the system expects, or add the header it needs (Settings → Connectors).",
        },
        WebhookAuth::Basic { .. } => Credential {
            name: "user name and password",
            fix: "Check the user name and enter the password again in the connector's settings.",
        },
        WebhookAuth::Bearer => Credential {
            name: "bearer token",
            fix: "The token may have expired or been revoked: enter a new one in the connector's settings.",
        },
        WebhookAuth::Oauth2 { .. } => Credential {
            name: "OAuth access token",
            fix: "A fresh token was refused too: check the client's scope and permissions at the token endpoint.",
        },
        WebhookAuth::Certificate { .. } => Credential {
            name: "client certificate",
            fix: "Check that the system trusts the client certificate, and enter the certificate and key again if they changed.",
        },
    }
}

/// `host:port` of a URL, as the host rule compares them.
fn origin(url: &Url) -> (String, Option<u16>) {
    (url.host_str().unwrap_or("").to_ascii_lowercase(), url.port_or_known_default())
}

impl CasesWebhook {
    pub fn new(s: &CasesWebhookSettings, url: &str, secrets: &Secrets) -> Result<CasesWebhook> {
        let main = secrets.main_secret().to_string();
        let (sign_in, mut also) = match &s.auth {
            WebhookAuth::Basic { username } => {
                (SignIn::Basic { user: username.clone(), secret: main.clone() }, Redactor::new("", None))
            }
            WebhookAuth::Bearer => (SignIn::Bearer { token: main.clone() }, Redactor::new("", None)),
            // The client secret goes to the token endpoint only; cut it out all the same.
            WebhookAuth::Oauth2 { .. } => (SignIn::None, Redactor::new(&main, None)),
            WebhookAuth::None | WebhookAuth::Certificate { .. } => (SignIn::None, Redactor::new("", None)),
        };
        let needs_main = matches!(s.auth, WebhookAuth::Basic { .. } | WebhookAuth::Bearer | WebhookAuth::Oauth2 { .. });
        if needs_main && main.is_empty() {
            return Err(Error::validation("secret", format!("is required: the {}", s.secret_label_text())));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &s.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::validation("headers", format!("{name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::validation("headers", format!("the value of {name} is not a valid header value"))
            })?;
            headers.insert(name, value);
        }
        let mut secret_headers = Vec::new();
        for (key, value) in secrets.iter() {
            let Some(name) = key.strip_prefix(SECRET_HEADER) else { continue };
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::validation("secrets", format!("{name:?} is not a valid header name")))?;
            let mut v = HeaderValue::from_str(value).map_err(|_| {
                Error::validation("secrets", format!("the value of {name} is not a valid header value"))
            })?;
            v.set_sensitive(true);
            if header == AUTHORIZATION && !matches!(s.auth, WebhookAuth::None) {
                return Err(Error::validation(
                    "secrets",
                    "a secret Authorization header would be replaced by the authentication chosen; choose no authentication to send it",
                ));
            }
            headers.insert(header, v);
            secret_headers.push(name.to_string());
            also = also.with(Redactor::new(value, None));
        }
        if headers.len() > MAX_HEADERS {
            return Err(Error::validation(
                "headers",
                format!("at most {MAX_HEADERS} headers, plain and secret together (there are {})", headers.len()),
            ));
        }
        let tls = tls::Tls::new(&s.auth, secrets)?;
        for name in [CLIENT_KEY, CLIENT_KEY_PASSWORD] {
            if let Some(value) = secrets.get(name) {
                also = also.with(Redactor::new(value, None));
            }
        }
        let http = Http::with_tls(
            SERVICE,
            url,
            "e.g. https://tickets.example.com",
            sign_in,
            credential(&s.auth),
            reason,
            also,
            move |b| tls.apply(b),
        )?;
        let oauth = match &s.auth {
            WebhookAuth::Oauth2 { access_token_url, client_id, scope, additional_fields } => Some(OAuth::new(
                access_token_url,
                client_id,
                &main,
                scope.as_deref(),
                additional_fields.as_ref(),
                http.base_url(),
            )?),
            _ => None,
        };
        let system = CasesWebhook { http, settings: s.clone(), headers, secret_headers, oauth };
        system.check_hosts()?;
        Ok(system)
    }

    /// Every request URL, filled in with sample values, is on the connector's host: the
    /// credentials and secret headers go nowhere else.
    fn check_hosts(&self) -> Result<()> {
        for step in [Step::Create, Step::Get, Step::Update, Step::Comment, Step::Find] {
            if self.template(step).is_some() {
                self.prepare(step, &sample_vars(step))?;
            }
        }
        Ok(())
    }

    /// The method, URL and body templates of a step, with the field names messages use.
    fn template(&self, step: Step) -> Option<(WebhookMethod, &str, Option<&str>, &'static str)> {
        let s = &self.settings;
        match step {
            Step::Create => {
                let c = &s.create_incident;
                Some((c.method, &c.url, Some(&c.json), "create_incident"))
            }
            Step::Get => {
                let g = &s.get_incident;
                Some((g.method, &g.url, g.json.as_deref(), "get_incident"))
            }
            Step::Update => {
                let u = &s.update_incident;
                Some((u.method, &u.url, Some(&u.json), "update_incident"))
            }
            Step::Comment => {
                s.create_comment.as_ref().map(|c| (c.method, c.url.as_str(), Some(c.json.as_str()), "create_comment"))
            }
            Step::Find => {
                s.find_incident.as_ref().map(|f| (f.method, f.url.as_str(), f.json.as_deref(), "find_incident"))
            }
            Step::View => None,
        }
    }

    /// A step's request with the values filled in and checked; nothing is sent.
    pub(crate) fn prepare(&self, step: Step, vars: &Vars) -> Result<Prepared> {
        let Some((method, url, body, field)) = self.template(step) else {
            return Err(Error::validation(
                "request",
                format!("this connector has no {field_name} request", field_name = step_name(step)),
            ));
        };
        let (url_field, body_field) = (format!("{field}.url"), format!("{field}.json"));
        let name = step_name(step);
        let url = template::render_url(Template { field: &url_field, name: &format!("{name} URL"), text: url }, vars)?;
        if origin(&url) != origin(self.http.base_url()) {
            return Err(Error::validation(
                url_field,
                format!(
                    "{name} URL: `{}` is not on {}, the connector's URL; the credentials and headers are sent only there. Use the connector's host, or change the connector's URL",
                    crate::net::shown_url(&url),
                    self.http.shown
                ),
            ));
        }
        let body = match body {
            Some(text) => {
                Some(template::render_body(Template { field: &body_field, name: &format!("{name} body"), text }, vars)?)
            }
            None => None,
        };
        Ok(Prepared { method: method.as_reqwest(), url, body })
    }

    /// Sends with the headers and sign-in. With OAuth: a cached token, dropped after any 4xx
    /// (as Kibana does) and, on a 401, fetched again for one more try (Kibana waits for the
    /// next push).
    async fn send(&self, p: &Prepared) -> Call<Value> {
        let Some(oauth) = &self.oauth else {
            return self.http.send_with(p.method.clone(), p.url.clone(), p.body.as_ref(), &self.headers).await;
        };
        let mut retried = false;
        loop {
            let mut headers = self.headers.clone();
            headers.insert(AUTHORIZATION, oauth.authorization(&self.http).await?);
            match self.http.send_with(p.method.clone(), p.url.clone(), p.body.as_ref(), &headers).await {
                Err(f) if f.status.is_some_and(|s| (400..500).contains(&s)) => {
                    oauth.forget();
                    if f.status == Some(401) && !retried {
                        retried = true;
                        continue;
                    }
                    return Err(f);
                }
                other => return other,
            }
        }
    }

    fn vars(&self, incident: &Incident, comment: Option<&str>, ticket: Option<&Ticket>) -> Vars {
        let mut vars = Vars::new(
            &incident.title,
            // Kibana's webhook format sends the description as written (its mapping is empty).
            &incident.raw_description,
            &incident.tags,
            &incident.case_uuid,
            incident.number,
            &name(&incident.severity),
            &name(&incident.status),
            comment,
            None,
            None,
        );
        if let Some(t) = ticket {
            vars.set_external(Some(&t.id), Some(&t.title));
        }
        vars
    }

    /// The incident `id` as a ticket: its title read back with the get request (the id when
    /// that fails: the ticket exists and must be kept), its URL from the view template.
    async fn read_back(&self, id: &str, vars: &mut Vars, known_title: Option<&str>) -> Ticket {
        vars.set_external(Some(id), known_title);
        let title = match self.get_title(vars).await {
            Ok(Some(title)) => title,
            Ok(None) => {
                tracing::info!("the get answer has no title at get_incident.title_key; the id stands for it");
                known_title.unwrap_or(id).to_string()
            }
            Err(f) => {
                tracing::info!(code = f.error.code(), "the incident could not be read back: {}", f.error);
                known_title.unwrap_or(id).to_string()
            }
        };
        vars.set_external(Some(id), Some(&title));
        Ticket { id: id.to_string(), title: title.clone(), url: self.view_url(vars) }
    }

    async fn get_title(&self, vars: &Vars) -> Call<Option<String>> {
        let request = self.prepare(Step::Get, vars)?;
        let answer = self.send(&request).await?;
        Ok(at_path(&answer, &self.settings.get_incident.title_key))
    }

    fn view_url(&self, vars: &Vars) -> String {
        let t = Template { field: "view_incident_url", name: "view URL", text: &self.settings.view_incident_url };
        match template::render_url(t, vars) {
            Ok(u) => u.to_string(),
            Err(e) => {
                tracing::info!("the view URL could not be filled in: {e}");
                String::new()
            }
        }
    }

    /// The request a push would send for `step`, with every secret masked.
    pub(crate) fn preview_request(
        &self,
        step: Step,
        incident: &Incident,
        ticket: Option<&Ticket>,
        comment: Option<&str>,
    ) -> Result<RequestPreview> {
        let sample = Ticket { id: "EXTERNAL-ID".into(), title: "EXTERNAL-TITLE".into(), url: String::new() };
        let ticket = match step {
            Step::Create | Step::Find => None,
            _ => Some(ticket.unwrap_or(&sample)),
        };
        let comment = (step == Step::Comment).then(|| comment.unwrap_or("A comment\n\nAdded by you."));
        let p = self.prepare(step, &self.vars(incident, comment, ticket))?;
        let mut headers: Vec<PreviewHeader> = Vec::new();
        for (name, value) in &self.headers {
            let secret = self.secret_headers.iter().any(|s| s.eq_ignore_ascii_case(name.as_str()));
            let value = if secret { MASK.to_string() } else { value.to_str().unwrap_or("").to_string() };
            headers.push(PreviewHeader { name: name.to_string(), value, secret });
        }
        let auth = match &self.settings.auth {
            WebhookAuth::Basic { .. } => Some("Basic"),
            WebhookAuth::Bearer | WebhookAuth::Oauth2 { .. } => Some("Bearer"),
            WebhookAuth::None | WebhookAuth::Certificate { .. } => None,
        };
        if let Some(scheme) = auth {
            headers.push(PreviewHeader {
                name: "authorization".into(),
                value: format!("{scheme} {MASK}"),
                secret: true,
            });
        }
        if p.body.is_some() && !self.headers.contains_key(CONTENT_TYPE) {
            headers.push(PreviewHeader {
                name: "content-type".into(),
                value: "application/json".into(),
                secret: false,
            });
        }
        Ok(RequestPreview {
            method: p.method.to_string(),
            url: p.url.to_string(),
            headers,
            body: p.body.as_ref().map(|b| serde_json::to_string_pretty(b).unwrap_or_default()),
        })
    }
}

fn step_name(step: Step) -> &'static str {
    match step {
        Step::Create => "create",
        Step::Get => "get",
        Step::Update => "update",
        Step::Comment => "comment",
        Step::Find => "find",
        Step::View => "view",
    }
}

/// Kibana's lower-case name of a severity or status, as serde writes it.
fn name(v: &impl serde::Serialize) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl CasesWebhookSettings {
    fn secret_label_text(&self) -> &'static str {
        use crate::connectors::SystemSettings;
        self.secret_label()
    }
}

#[async_trait]
impl System for CasesWebhook {
    fn http(&self) -> &Http {
        &self.http
    }

    async fn test(&self) -> Call<String> {
        let probe = uuid::Uuid::new_v4().to_string();
        if self.settings.find_incident.is_some() {
            let vars = Vars::new("", "", &[], &probe, None, "", "", None, None, None);
            let request = self.prepare(Step::Find, &vars)?;
            return match self.send(&request).await {
                Ok(_) => Ok(format!("Connected to {} at {}: the find request answered.", SERVICE, self.http.shown)),
                Err(f) if f.status == Some(404) => Ok(format!(
                    "Connected to {} at {}: the find request answered 404 for a case it cannot know, as expected.",
                    SERVICE, self.http.shown
                )),
                Err(f) => Err(f),
            };
        }
        let mut vars = Vars::new("", "", &[], &probe, None, "", "", None, None, None);
        vars.set_external(Some("casebook-connection-test"), Some("casebook-connection-test"));
        let request = self.prepare(Step::Get, &vars)?;
        match self.send(&request).await {
            Ok(_) => Ok(format!("Connected to {} at {}: the get request answered.", SERVICE, self.http.shown)),
            Err(f) if f.status == Some(404) => Ok(format!(
                "Connected to {} at {}: signed in; the get request answered 404 for a made-up incident id, as expected.",
                SERVICE, self.http.shown
            )),
            Err(f) => Err(f),
        }
    }

    fn can_find(&self) -> bool {
        self.settings.find_incident.is_some()
    }

    async fn find(&self, incident: &Incident) -> Call<Option<Ticket>> {
        let Some(find) = &self.settings.find_incident else { return Ok(None) };
        let mut vars = self.vars(incident, None, None);
        let request = self.prepare(Step::Find, &vars)?;
        let answer = match self.send(&request).await {
            Ok(answer) => answer,
            // A search that finds nothing may say so with 404.
            Err(f) if f.status == Some(404) => return Ok(None),
            Err(f) => return Err(f),
        };
        let key = find.id_key.as_deref().unwrap_or(&self.settings.create_incident.response_key);
        match at_path(&answer, key) {
            Some(id) => Ok(Some(self.read_back(&id, &mut vars, None).await)),
            None => Ok(None),
        }
    }

    async fn create(&self, incident: &Incident) -> Call<Ticket> {
        let mut vars = self.vars(incident, None, None);
        let request = self.prepare(Step::Create, &vars)?;
        let answer = self.send(&request).await?;
        let key = &self.settings.create_incident.response_key;
        let Some(id) = at_path(&answer, key) else {
            // The incident was probably made: no status, so the push treats its answer as lost
            // and never creates another blindly.
            let error = self.http.remote(
                200,
                format!(
                    "the create answer has no incident id at `{key}` (create_incident.response_key): {}",
                    self.http.redact(&answer.to_string())
                ),
            );
            return Err(Failure { error, retry_after: None, status: None });
        };
        Ok(self.read_back(&id, &mut vars, None).await)
    }

    async fn update(&self, ticket: &Ticket, incident: &Incident) -> Call<Ticket> {
        let mut vars = self.vars(incident, None, Some(ticket));
        let request = self.prepare(Step::Update, &vars)?;
        self.send(&request).await?;
        Ok(self.read_back(&ticket.id, &mut vars, Some(&ticket.title)).await)
    }

    async fn comment(&self, ticket: &Ticket, incident: &Incident, text: &str) -> Call<()> {
        if self.settings.create_comment.is_none() || text.trim().is_empty() {
            return Ok(());
        }
        let vars = self.vars(incident, Some(text), Some(ticket));
        let request = self.prepare(Step::Comment, &vars)?;
        self.send(&request).await?;
        Ok(())
    }

    fn ticket_url(&self, id: &str, title: &str) -> String {
        let mut vars = Vars::new("", "", &[], "", None, "", "", None, None, None);
        vars.set_external(Some(id), Some(title));
        self.view_url(&vars)
    }

    fn preview(
        &self,
        request: PreviewRequest,
        incident: &Incident,
        ticket: Option<&Ticket>,
        comment: Option<&str>,
    ) -> Result<RequestPreview> {
        let step = match request {
            PreviewRequest::Create => Step::Create,
            PreviewRequest::Update => Step::Update,
            PreviewRequest::Comment => Step::Comment,
            PreviewRequest::Get => Step::Get,
            PreviewRequest::Find => Step::Find,
        };
        self.preview_request(step, incident, ticket, comment)
    }
}
