//! The HTTPS plumbing every connector shares: the URL rule, sign-in, timeouts, JSON in and out,
//! and HTTP failures turned into [`Failure`]s that say whether retrying can help and when.

use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use super::redact::Redactor;
use crate::net::{https_client, https_client_with, parse_base_url, shown_url, transport};
use crate::{Error, Result};

/// How long to wait for a TCP + TLS connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take, answer included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How many lines (field errors) of a system's error are shown.
const MAX_REASON_LINES: usize = 20;
/// The longest `Retry-After` honoured; a server asking for more is asked again after this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// How requests sign in. The secret is attached per request, marked sensitive.
#[derive(Clone)]
pub(crate) enum SignIn {
    Basic {
        user: String,
        secret: String,
    },
    Bearer {
        token: String,
    },
    /// Nothing from here: the system adds its own headers per request (a webhook's).
    None,
    /// A token in a header of the system's own (Swimlane's `Private-Token`).
    Header {
        name: &'static str,
        token: String,
    },
}

impl SignIn {
    fn redactor(&self) -> Redactor {
        match self {
            SignIn::Basic { user, secret } => Redactor::new(secret, Some(user)),
            SignIn::Bearer { token } | SignIn::Header { token, .. } => Redactor::new(token, None),
            SignIn::None => Redactor::new("", None),
        }
    }
}

/// What the 401 message says, per system and sign-in.
#[derive(Clone, Copy)]
pub(crate) struct Credential {
    pub name: &'static str,
    pub fix: &'static str,
}

/// A failed call: the error to show, and, for a throttled or unavailable server, how long it
/// asked us to wait.
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub retry_after: Option<Duration>,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, retry_after: None, status: None }
    }
}

impl Failure {
    /// Whether trying again later can succeed without the user changing anything: the network,
    /// a throttled or failing server, or a locked keychain or secrets file (the push goes once
    /// it is unlocked). Not 400, 401, 403, 404, TLS or a wrong passphrase.
    pub fn retryable(&self) -> bool {
        match self.status {
            Some(s) => matches!(s, 408 | 425 | 429 | 500 | 502 | 503 | 504),
            None => matches!(
                self.error.code(),
                "unreachable" | "keychain_locked" | "keychain_unavailable" | "secrets_locked" | "busy"
            ),
        }
    }
}

pub(crate) type Call<T> = std::result::Result<T, Failure>;

/// One system's HTTPS endpoint with its sign-in.
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    base: Url,
    /// `base` as messages show it.
    pub shown: String,
    pub service: &'static str,
    sign_in: SignIn,
    /// Cuts the credential out of what the system says.
    redactor: Redactor,
    credential: Credential,
    /// Reads the system's error body into one line (field errors joined) for messages.
    reason: fn(&Value) -> Option<String>,
}

impl std::fmt::Debug for Http {
    // The secret stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("service", &self.service).field("url", &self.shown).finish_non_exhaustive()
    }
}

impl Http {
    pub fn new(
        service: &'static str,
        url: &str,
        example: &str,
        sign_in: SignIn,
        credential: Credential,
        reason: fn(&Value) -> Option<String>,
    ) -> Result<Http> {
        let base = parse_base_url(url, example, "password or token")?;
        if let SignIn::Header { token, .. } = &sign_in
            && HeaderValue::from_str(token).is_err()
        {
            return Err(Error::validation("secret", "holds characters a token cannot have (a line break?)"));
        }
        let shown = shown_url(&base);
        let client = https_client(&base, &shown, HeaderMap::new(), CONNECT_TIMEOUT, REQUEST_TIMEOUT)?;
        let redactor = sign_in.redactor();
        Ok(Http { client, base, shown, service, sign_in, redactor, credential, reason })
    }

    /// [`Http::new`] with TLS settings of its own and more secrets to cut out of what the
    /// system says (a webhook's secret headers and client key).
    #[allow(clippy::too_many_arguments, reason = "Http::new's arguments and the two additions")]
    pub fn with_tls(
        service: &'static str,
        url: &str,
        example: &str,
        sign_in: SignIn,
        credential: Credential,
        reason: fn(&Value) -> Option<String>,
        also_redact: Redactor,
        tls: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
    ) -> Result<Http> {
        let base = parse_base_url(url, example, "password or token")?;
        let shown = shown_url(&base);
        let client = https_client_with(&base, &shown, HeaderMap::new(), CONNECT_TIMEOUT, REQUEST_TIMEOUT, tls)?;
        let redactor = sign_in.redactor().with(also_redact);
        Ok(Http { client, base, shown, service, sign_in, redactor, credential, reason })
    }

    /// The parsed base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The same endpoint sending `headers` with every request (TheHive's `X-Organisation`).
    pub fn with_headers(self, headers: HeaderMap) -> Result<Http> {
        let client = https_client(&self.base, &self.shown, headers, CONNECT_TIMEOUT, REQUEST_TIMEOUT)?;
        Ok(Http { client, ..self })
    }

    /// The base URL without a trailing slash, for links to tickets.
    pub fn base(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    /// `base` + `/`-separated `path` (segments are taken as given, already safe) + query pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(path.split('/'));
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    pub async fn get(&self, url: Url) -> Call<Value> {
        self.send(Method::GET, url, None).await
    }

    /// Sends and returns the JSON of a 2xx answer (`Null` for an empty one, e.g. 204).
    pub async fn send(&self, method: Method, url: Url, body: Option<&Value>) -> Call<Value> {
        self.send_with(method, url, body, &HeaderMap::new()).await
    }

    /// [`Http::send`] with headers of the request's own; the sign-in's `Authorization` comes
    /// after them (as Kibana adds Basic after the webhook's headers).
    pub async fn send_with(&self, method: Method, url: Url, body: Option<&Value>, headers: &HeaderMap) -> Call<Value> {
        let mut request = self.client.request(method, url).headers(headers.clone());
        request = match &self.sign_in {
            SignIn::Basic { user, secret } => request.basic_auth(user, Some(secret)),
            SignIn::Bearer { token } => request.bearer_auth(token),
            SignIn::Header { name, token } => match HeaderValue::from_str(token) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    request.header(*name, value)
                }
                // Refused by `new` already.
                Err(_) => {
                    return Err(Error::validation("secret", "holds characters a token cannot have").into());
                }
            },
            SignIn::None => request,
        };
        if let Some(body) = body {
            request = request.json(body);
        }
        let gone = |e: reqwest::Error| Failure::from(transport(&e, &self.shown, CONNECT_TIMEOUT, REQUEST_TIMEOUT));
        let response = request.send().await.map_err(gone)?;
        let status = response.status();
        let header =
            |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
        let retry_after = header(header::RETRY_AFTER).and_then(|v| parse_retry_after(&v));
        let location = header(header::LOCATION);
        let bytes = response.bytes().await.map_err(gone)?;
        if status.is_success() {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Value::Null);
            }
            return serde_json::from_slice(&bytes).map_err(|_| {
                self.remote(
                    status.as_u16(),
                    format!(
                        "the answer is not JSON ({}). Check that the URL is the {} instance itself (a sleeping ServiceNow developer instance or a login page answers with HTML).",
                        self.redactor.redact_bytes(&bytes),
                        self.service
                    ),
                )
                .into()
            });
        }
        let json: Option<Value> = serde_json::from_slice(&bytes).ok();
        // Field errors stay one per line; each is read only in part (see `Redactor::redact`), and
        // only the first few are read at all.
        let said = json.as_ref().and_then(self.reason).map(|r| {
            let mut lines: Vec<String> = r.lines().take(MAX_REASON_LINES).map(|l| self.redact(l)).collect();
            if r.lines().nth(MAX_REASON_LINES).is_some() {
                lines.push("…".into());
            }
            lines.join("\n")
        });
        let error = match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized {
                service: self.service,
                url: self.shown.clone(),
                credential: self.credential.name,
                fix: self.credential.fix,
            },
            StatusCode::FORBIDDEN => Error::Forbidden {
                service: self.service,
                url: self.shown.clone(),
                reason: said.unwrap_or_else(|| "the account lacks the permission this needs.".into()),
            },
            s if s.is_redirection() => self.remote(
                s.as_u16(),
                format!(
                    "a redirect{}. The URL probably points at a login page or an old address; use the instance's own https address.",
                    location.map(|l| format!(" to {}", self.redact(&l))).unwrap_or_default()
                ),
            ),
            s => {
                let detail = match said {
                    Some(r) => r,
                    None if bytes.iter().all(u8::is_ascii_whitespace) => "no details were given.".into(),
                    None => self.redactor.redact_bytes(&bytes),
                };
                let wait = match (s.as_u16(), retry_after) {
                    (429, Some(d)) => format!(" (too many requests; it asked to wait {} s)", d.as_secs()),
                    (429, None) => " (too many requests)".into(),
                    (503, Some(d)) => format!(" (unavailable; it asked to wait {} s)", d.as_secs()),
                    _ => String::new(),
                };
                self.remote(s.as_u16(), format!("{detail}{wait}"))
            }
        };
        Err(Failure { error, retry_after, status: Some(status.as_u16()) })
    }

    pub fn remote(&self, status: u16, detail: String) -> Error {
        Error::Remote { service: self.service, url: self.shown.clone(), status, detail }
    }

    /// Remote text, one line, clipped, with the credential cut out in case a proxy or a debug
    /// page echoes it, in any encoding (see [`Redactor`]).
    pub fn redact(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// The error with the credential cut out of each text it carries: the last check before an
    /// error is shown or stored, whatever text reached it.
    pub fn scrub(&self, error: Error) -> Error {
        let clean = |text: String| if self.redactor.leaks(&text) { self.redact(&text) } else { text };
        match error {
            Error::Validation { field, message } => Error::Validation { field, message: clean(message) },
            Error::NotFound { what, id } => Error::NotFound { what, id: clean(id) },
            Error::Storage(text) => Error::Storage(clean(text)),
            Error::KeychainUnavailable { detail } => Error::KeychainUnavailable { detail: detail.map(clean) },
            Error::Unreachable { url, reason } => Error::Unreachable { url, reason: clean(reason) },
            Error::Tls { url, detail } => Error::Tls { url, detail: clean(detail) },
            Error::Forbidden { service, url, reason } => Error::Forbidden { service, url, reason: clean(reason) },
            Error::Remote { service, url, status, detail } => {
                Error::Remote { service, url, status, detail: clean(detail) }
            }
            other => other,
        }
    }

    /// A text the system returned for keeping (a ticket's key or link), without the credential.
    pub fn clean_text(&self, text: String) -> String {
        if self.redactor.leaks(&text) { self.redact(&text) } else { text }
    }
}

/// `Retry-After`: delay-seconds or an HTTP date; capped at an hour.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date_and_is_capped() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("999999"), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn echoed_credentials_are_cut_out_of_remote_text() {
        let sign_in = SignIn::Basic { user: "casey@example.com".into(), secret: "tok3n".into() };
        let credential = Credential { name: "token", fix: "" };
        let http = Http::new("Jira", "https://x.atlassian.net", "https://x", sign_in, credential, |_| None).unwrap();
        // base64("casey@example.com:tok3n")
        let echoed =
            "proxy saw Authorization: Basic Y2FzZXlAZXhhbXBsZS5jb206dG9rM24= and token tok3n; bearer abc.def.ghi";
        assert_eq!(
            http.redact(echoed),
            "proxy saw Authorization: Basic [redacted] and token [redacted]; bearer [redacted]"
        );
    }

    #[test]
    fn only_failures_that_time_can_fix_are_retried() {
        let with = |status| Failure { error: Error::Busy, retry_after: None, status: Some(status) };
        for s in [429, 500, 502, 503, 504] {
            assert!(with(s).retryable(), "{s}");
        }
        for s in [400, 401, 403, 404, 409, 410] {
            assert!(!with(s).retryable(), "{s}");
        }
        let offline =
            Failure::from(Error::Unreachable { url: "https://x".into(), reason: "connection refused".into() });
        assert!(offline.retryable());
        let tls = Failure::from(Error::Tls { url: "https://x".into(), detail: "unknown issuer".into() });
        assert!(!tls.retryable());
        assert!(Failure::from(Error::SecretsLocked).retryable(), "waits for the passphrase");
        assert!(!Failure::from(Error::WrongPassphrase { path: "f".into() }).retryable());
    }
}
