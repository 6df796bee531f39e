//! A Webhook – Case Management connector's settings (Kibana's `.cases-webhook` config in
//! snake_case, connectors.md §7): one request per step, each a method, a URL template and a JSON
//! body template, the response paths, the headers and how it signs in. Secrets (the password,
//! token or client secret, secret headers, the client key) are not here: they are in the
//! keychain under the names [`SECRET_HEADER`], [`CLIENT_KEY`] and [`CLIENT_KEY_PASSWORD`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::template::{self, Template};
use super::vars::Vars;
use crate::connectors::Secrets;
use crate::connectors::system::{System, SystemSettings};
use crate::model::*;
use crate::{Error, Result, validate};

/// Prefix of a secret header's keychain name: `header:X-Api-Key`.
pub(crate) const SECRET_HEADER: &str = "header:";
/// The client certificate's private key (PEM), or the whole PFX (base64).
pub(crate) const CLIENT_KEY: &str = "client_key";
/// The PFX's password.
pub(crate) const CLIENT_KEY_PASSWORD: &str = "client_key_password";
/// Kibana's limit on headers (plain and secret together).
pub(crate) const MAX_HEADERS: usize = 20;
/// Longest template, in bytes.
const MAX_TEMPLATE_LENGTH: usize = 64 * 1024;
/// Longest header value or PEM text kept in the settings.
const MAX_VALUE_LENGTH: usize = 64 * 1024;

/// An HTTP method a request may use (each request allows some: Kibana's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum WebhookMethod {
    Get,
    Post,
    Put,
    Patch,
}

impl WebhookMethod {
    pub(crate) fn as_reqwest(self) -> reqwest::Method {
        match self {
            WebhookMethod::Get => reqwest::Method::GET,
            WebhookMethod::Post => reqwest::Method::POST,
            WebhookMethod::Put => reqwest::Method::PUT,
            WebhookMethod::Patch => reqwest::Method::PATCH,
        }
    }

    fn name(self) -> &'static str {
        match self {
            WebhookMethod::Get => "get",
            WebhookMethod::Post => "post",
            WebhookMethod::Put => "put",
            WebhookMethod::Patch => "patch",
        }
    }
}

/// Creating the incident: the id is read from the answer at `response_key` (a lodash path,
/// `ticket.id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    pub method: WebhookMethod,
    pub url: String,
    pub json: String,
    pub response_key: String,
}

/// Reading the incident back after a create or update: its title at `title_key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct WebhookGet {
    #[ts(optional = false)]
    pub method: WebhookMethod,
    #[ts(optional = false)]
    pub url: String,
    /// Only with `post`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    #[ts(optional = false)]
    pub title_key: String,
}

/// Updating the incident, or adding a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    pub method: WebhookMethod,
    pub url: String,
    pub json: String,
}

/// Casebook's addition: finding the incident an earlier push created, by the case's id
/// (`{{{case.id}}}` in the URL or body). The id is read at `id_key` (default: the create's
/// `response_key`); no id there means no incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct WebhookFind {
    #[ts(optional = false)]
    pub method: WebhookMethod,
    #[ts(optional = false)]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_key: Option<String>,
}

/// The client certificate's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CertType {
    /// `certificate` (PEM) here, its key (PEM) in the keychain.
    Pem,
    /// The whole PKCS#12 file (base64) and its password in the keychain.
    Pfx,
}

/// How the server's certificate is checked (Kibana's `verificationMode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Trusted chain and the host name.
    #[default]
    Full,
    /// A chain to the given CA, any host name.
    Certificate,
    /// Nothing: any certificate is accepted.
    None,
}

/// How requests sign in. The secret of each (password, token, client secret) is the main secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum WebhookAuth {
    None,
    Basic {
        username: String,
    },
    Bearer,
    /// OAuth 2.0 client credentials (Kibana accepts these for the case webhook but ignores them).
    Oauth2 {
        access_token_url: String,
        client_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        scope: Option<String>,
        /// More form fields for the token request (`audience`, `resource`…).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        additional_fields: Option<BTreeMap<String, String>>,
    },
    /// A TLS client certificate (its key in the keychain).
    Certificate {
        cert_type: CertType,
        /// The certificate chain (PEM), for `pem`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        certificate: Option<String>,
        /// A CA (PEM) to trust for the server's certificate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        ca: Option<String>,
        #[serde(default)]
        verification: Verification,
    },
}

/// A Webhook – Case Management connector's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct CasesWebhookSettings {
    #[ts(optional = false)]
    pub create_incident: WebhookCreate,
    #[ts(optional = false)]
    pub get_incident: WebhookGet,
    /// Where people open the incident (`https://x/browse/{{{external.system.title}}}`).
    #[ts(optional = false)]
    pub view_incident_url: String,
    #[ts(optional = false)]
    pub update_incident: WebhookRequest,
    /// Without it, comments are not sent (as in Kibana).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_comment: Option<WebhookRequest>,
    /// Without it, a create whose answer was lost waits for the user's check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub find_incident: Option<WebhookFind>,
    /// Plain headers (secret ones are in the keychain as `header:<name>`).
    #[serde(default)]
    #[ts(optional = false)]
    pub headers: BTreeMap<String, String>,
    #[ts(optional = false)]
    pub auth: WebhookAuth,
}

/// Values to try a template with when it is saved: a create's has no incident id yet, and
/// only a comment's has a comment.
pub(crate) fn sample_vars(step: Step) -> Vars {
    let mut v = Vars::new(
        "Sample \"case\" title",
        "Line one\nline two",
        &["phishing".to_string(), "sample".to_string()],
        "00000000-0000-4000-8000-000000000000",
        Some(1),
        "low",
        "open",
        (step == Step::Comment).then_some("A comment"),
        None,
        None,
    );
    if !matches!(step, Step::Create | Step::Find) {
        v.set_external(Some("SAMPLE-1"), Some("Sample incident"));
    }
    v
}

/// Which request a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Create,
    Get,
    Update,
    Comment,
    Find,
    View,
}

fn template_text(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation(field, "is required"));
    }
    if text.len() > MAX_TEMPLATE_LENGTH {
        return Err(Error::validation(field, format!("is longer than {MAX_TEMPLATE_LENGTH} bytes")));
    }
    Ok(text.to_string())
}

fn method(field: &str, m: WebhookMethod, allowed: &[WebhookMethod]) -> Result<WebhookMethod> {
    if allowed.contains(&m) {
        return Ok(m);
    }
    let names: Vec<&str> = allowed.iter().map(|m| m.name()).collect();
    Err(Error::validation(field, format!("must be one of {} (got {})", names.join(", "), m.name())))
}

/// A URL template, tried with sample values (it must give an https URL).
fn url(step: Step, field: &str, name: &str, text: &str) -> Result<String> {
    let text = template_text(field, text)?;
    template::render_url(Template { field, name, text: &text }, &sample_vars(step))?;
    Ok(text)
}

/// A body template, tried with sample values (it must give JSON).
fn body(step: Step, field: &str, name: &str, text: &str) -> Result<String> {
    let text = template_text(field, text)?;
    template::render_body(Template { field, name, text: &text }, &sample_vars(step))?;
    Ok(text)
}

fn path(field: &str, text: &str) -> Result<String> {
    validate::text(field, text, 1, 256)
}

fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A header name as HTTP allows it.
pub(crate) fn header_name(field: &str, name: &str) -> Result<String> {
    let name = name.trim();
    if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() || name.is_empty() {
        return Err(Error::validation(field, format!("{name:?} is not a valid header name")));
    }
    Ok(name.to_string())
}

fn pem(field: &str, text: &str, kind: &str) -> Result<String> {
    let text = text.trim();
    if !text.contains("-----BEGIN ") || text.len() > MAX_VALUE_LENGTH {
        return Err(Error::validation(field, format!("must be {kind} in PEM form (-----BEGIN CERTIFICATE-----…)")));
    }
    reqwest::Certificate::from_pem_bundle(text.as_bytes())
        .map_err(|e| Error::validation(field, format!("is not a readable PEM certificate ({e})")))?;
    Ok(text.to_string())
}

impl CasesWebhookSettings {
    fn checked_auth(&self) -> Result<WebhookAuth> {
        Ok(match &self.auth {
            WebhookAuth::None => WebhookAuth::None,
            WebhookAuth::Bearer => WebhookAuth::Bearer,
            WebhookAuth::Basic { username } => WebhookAuth::Basic {
                username: validate::text("auth.username", username, 1, validate::MAX_USERNAME_LENGTH)?,
            },
            WebhookAuth::Oauth2 { access_token_url, client_id, scope, additional_fields } => {
                let token_url = access_token_url.trim();
                let parsed = url::Url::parse(token_url).map_err(|e| {
                    Error::validation("auth.access_token_url", format!("{token_url:?} is not a URL ({e})"))
                })?;
                if parsed.scheme() != "https" && !(parsed.scheme() == "http" && crate::net::is_loopback(&parsed)) {
                    return Err(Error::validation(
                        "auth.access_token_url",
                        "must start with https:// (the client secret goes there; plain http:// is accepted only for localhost)",
                    ));
                }
                let fields = additional_fields.clone().unwrap_or_default();
                for name in fields.keys() {
                    if ["grant_type", "client_id", "client_secret"].contains(&name.as_str()) {
                        return Err(Error::validation(
                            "auth.additional_fields",
                            format!("{name:?} is set by Casebook; leave it out"),
                        ));
                    }
                }
                WebhookAuth::Oauth2 {
                    access_token_url: token_url.to_string(),
                    client_id: validate::text("auth.client_id", client_id, 1, 1024)?,
                    scope: optional(scope).map(str::to_string),
                    additional_fields: (!fields.is_empty()).then_some(fields),
                }
            }
            WebhookAuth::Certificate { cert_type, certificate, ca, verification } => {
                let certificate = match (cert_type, optional(certificate)) {
                    (CertType::Pem, None) => {
                        return Err(Error::validation(
                            "auth.certificate",
                            "is required for a PEM client certificate (its key goes to the keychain)",
                        ));
                    }
                    (CertType::Pem, Some(c)) => Some(pem("auth.certificate", c, "the client certificate")?),
                    (CertType::Pfx, Some(_)) => {
                        return Err(Error::validation(
                            "auth.certificate",
                            "is not used with a PFX file (the certificate is inside it); leave it empty",
                        ));
                    }
                    (CertType::Pfx, None) => None,
                };
                let ca = optional(ca).map(|c| pem("auth.ca", c, "the CA certificate")).transpose()?;
                if *verification == Verification::Certificate && ca.is_none() {
                    return Err(Error::validation(
                        "auth.verification",
                        "`certificate` (any host name) checks the chain against the CA given here: add the CA, or use `full`",
                    ));
                }
                WebhookAuth::Certificate { cert_type: *cert_type, certificate, ca, verification: *verification }
            }
        })
    }

    fn checked_headers(&self) -> Result<BTreeMap<String, String>> {
        if self.headers.len() > MAX_HEADERS {
            return Err(Error::validation("headers", format!("at most {MAX_HEADERS} headers")));
        }
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &self.headers {
            let name = header_name("headers", name)?;
            if out.keys().any(|n| n.eq_ignore_ascii_case(&name)) {
                return Err(Error::validation("headers", format!("{name} is given twice")));
            }
            if reqwest::header::HeaderValue::from_str(value.trim()).is_err() || value.len() > MAX_VALUE_LENGTH {
                return Err(Error::validation("headers", format!("the value of {name} is not a valid header value")));
            }
            if name.eq_ignore_ascii_case("authorization") && !matches!(self.auth, WebhookAuth::None) {
                return Err(Error::validation(
                    "headers",
                    "Authorization is set by the authentication chosen; remove the header or choose no authentication",
                ));
            }
            out.insert(name, value.trim().to_string());
        }
        Ok(out)
    }
}

impl SystemSettings for CasesWebhookSettings {
    fn checked(&self, _: ConnectorKind) -> Result<CasesWebhookSettings> {
        use WebhookMethod::*;
        let c = &self.create_incident;
        let create_incident = WebhookCreate {
            method: method("create_incident.method", c.method, &[Post, Put])?,
            url: url(Step::Create, "create_incident.url", "create URL", &c.url)?,
            json: body(Step::Create, "create_incident.json", "create body", &c.json)?,
            response_key: path("create_incident.response_key", &c.response_key)?,
        };
        let g = &self.get_incident;
        let get_method = method("get_incident.method", g.method, &[Get, Post])?;
        let get_incident = WebhookGet {
            method: get_method,
            url: url(Step::Get, "get_incident.url", "get URL", &g.url)?,
            json: match (get_method, optional(&g.json)) {
                (Post, Some(j)) => Some(body(Step::Get, "get_incident.json", "get body", j)?),
                (Post, None) => return Err(Error::validation("get_incident.json", "is required with post")),
                _ => None,
            },
            title_key: path("get_incident.title_key", &g.title_key)?,
        };
        let u = &self.update_incident;
        let update_incident = WebhookRequest {
            method: method("update_incident.method", u.method, &[Post, Patch, Put])?,
            url: url(Step::Update, "update_incident.url", "update URL", &u.url)?,
            json: body(Step::Update, "update_incident.json", "update body", &u.json)?,
        };
        let create_comment = match &self.create_comment {
            None => None,
            Some(r) => Some(WebhookRequest {
                method: method("create_comment.method", r.method, &[Post, Put, Patch])?,
                url: url(Step::Comment, "create_comment.url", "comment URL", &r.url)?,
                json: body(Step::Comment, "create_comment.json", "comment body", &r.json)?,
            }),
        };
        let find_incident = match &self.find_incident {
            None => None,
            Some(f) => {
                let find_method = method("find_incident.method", f.method, &[Get, Post])?;
                Some(WebhookFind {
                    method: find_method,
                    url: url(Step::Find, "find_incident.url", "find URL", &f.url)?,
                    json: match (find_method, optional(&f.json)) {
                        (Post, Some(j)) => Some(body(Step::Find, "find_incident.json", "find body", j)?),
                        (Post, None) => return Err(Error::validation("find_incident.json", "is required with post")),
                        _ => None,
                    },
                    id_key: optional(&f.id_key).map(|k| path("find_incident.id_key", k)).transpose()?,
                })
            }
        };
        let view = template_text("view_incident_url", &self.view_incident_url)?;
        template::render_url(
            Template { field: "view_incident_url", name: "view URL", text: &view },
            &sample_vars(Step::View),
        )?;
        Ok(CasesWebhookSettings {
            create_incident,
            get_incident,
            view_incident_url: view,
            update_incident,
            create_comment,
            find_incident,
            headers: self.checked_headers()?,
            auth: self.checked_auth()?,
        })
    }

    fn connect(&self, _: ConnectorKind, url: &str, secrets: &Secrets) -> Result<Box<dyn System>> {
        Ok(Box::new(super::client::CasesWebhook::new(self, url, secrets)?))
    }

    fn same_target(&self, _: &CasesWebhookSettings) -> bool {
        // No choices are fetched for a webhook.
        true
    }

    fn account(&self) -> Option<String> {
        match &self.auth {
            WebhookAuth::Basic { username } => Some(username.clone()),
            WebhookAuth::Oauth2 { client_id, .. } => Some(format!("OAuth client {client_id}")),
            WebhookAuth::Certificate { .. } => Some("client certificate".into()),
            WebhookAuth::Bearer => Some("bearer token".into()),
            WebhookAuth::None => None,
        }
    }

    fn target(&self) -> String {
        let m = self.create_incident.method.name().to_ascii_uppercase();
        format!("{m} {}", self.create_incident.url)
    }

    fn secret_label(&self) -> &'static str {
        match &self.auth {
            WebhookAuth::Basic { .. } => "Password",
            WebhookAuth::Bearer => "Bearer token",
            WebhookAuth::Oauth2 { .. } => "OAuth client secret",
            WebhookAuth::None | WebhookAuth::Certificate { .. } => "Secret headers and keys",
        }
    }

    fn needs_secret(&self) -> bool {
        matches!(self.auth, WebhookAuth::Basic { .. } | WebhookAuth::Bearer | WebhookAuth::Oauth2 { .. })
    }

    fn extra_secret(&self, name: &str) -> Result<()> {
        if let Some(header) = name.strip_prefix(SECRET_HEADER) {
            header_name("secrets", header)?;
            return Ok(());
        }
        match name {
            CLIENT_KEY | CLIENT_KEY_PASSWORD if matches!(self.auth, WebhookAuth::Certificate { .. }) => Ok(()),
            CLIENT_KEY | CLIENT_KEY_PASSWORD => Err(Error::validation(
                "secrets",
                format!("{name} is only for a client certificate; choose that authentication or leave it out"),
            )),
            _ => Err(Error::validation(
                "secrets",
                format!("{name:?} is not a webhook secret; they are header:<Name>, client_key and client_key_password"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CasesWebhookSettings {
        let base = "https://tickets.example.com";
        CasesWebhookSettings {
            create_incident: WebhookCreate {
                method: WebhookMethod::Post,
                url: format!("{base}/api/tickets"),
                json: "{\"t\": {{{case.title}}}}".into(),
                response_key: "id".into(),
            },
            get_incident: WebhookGet {
                method: WebhookMethod::Get,
                url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
                json: None,
                title_key: "key".into(),
            },
            view_incident_url: format!("{base}/browse/{{{{{{external.system.title}}}}}}"),
            update_incident: WebhookRequest {
                method: WebhookMethod::Put,
                url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
                json: "{\"t\": {{{case.title}}}}".into(),
            },
            create_comment: None,
            find_incident: None,
            headers: BTreeMap::new(),
            auth: WebhookAuth::None,
        }
    }

    fn refused(s: CasesWebhookSettings) -> String {
        s.checked(ConnectorKind::CasesWebhook).unwrap_err().to_string()
    }

    #[test]
    fn each_request_takes_kibanas_methods_only() {
        let mut s = settings();
        s.create_incident.method = WebhookMethod::Get;
        assert_eq!(refused(s), "create_incident.method: must be one of post, put (got get)");
        let mut s = settings();
        s.get_incident.method = WebhookMethod::Post;
        assert_eq!(refused(s), "get_incident.json: is required with post");
    }

    #[test]
    fn a_create_template_cannot_use_the_incident_it_has_not_made_yet() {
        let mut s = settings();
        s.create_incident.url = "https://tickets.example.com/api/{{{external.system.id}}}".into();
        let said = refused(s);
        assert!(said.contains("`{{{external.system.id}}}` has no value here"), "{said}");
        assert!(said.starts_with("create_incident.url: create URL: line 1, column 33: "), "{said}");
    }

    #[test]
    fn headers_are_unique_at_most_twenty_and_leave_authorization_to_the_sign_in() {
        let mut s = settings();
        s.headers.insert("X-Team".into(), "a".into());
        s.headers.insert("x-team".into(), "b".into());
        assert!(refused(s).ends_with("is given twice"));
        let mut s = settings();
        for i in 0..21 {
            s.headers.insert(format!("X-H{i}"), "v".into());
        }
        assert_eq!(refused(s), "headers: at most 20 headers");
        let mut s = settings();
        s.auth = WebhookAuth::Bearer;
        s.headers.insert("Authorization".into(), "Token x".into());
        assert!(refused(s).starts_with("headers: Authorization is set by the authentication chosen"));
    }

    #[test]
    fn sign_in_settings_are_checked() {
        let mut s = settings();
        s.auth = WebhookAuth::Oauth2 {
            access_token_url: "http://idp.example.com/token".into(),
            client_id: "c".into(),
            scope: None,
            additional_fields: None,
        };
        assert!(refused(s).starts_with("auth.access_token_url: must start with https://"));
        let mut s = settings();
        s.auth = WebhookAuth::Certificate {
            cert_type: CertType::Pfx,
            certificate: None,
            ca: None,
            verification: Verification::Certificate,
        };
        assert!(
            refused(s).starts_with("auth.verification: `certificate` (any host name) checks the chain against the CA")
        );
        let ok = settings().checked(ConnectorKind::CasesWebhook).unwrap();
        assert_eq!(ok.target(), "POST https://tickets.example.com/api/tickets");
        assert!(!ok.needs_secret());
    }
}
