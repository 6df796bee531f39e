//! OAuth 2.0 client credentials for the webhook, as Kibana's generic webhook does it
//! (connectors.md §7, 9.2 additions): a form POST to the token URL, only 200 counts, the token
//! sent as `"{token_type} {access_token}"` until `expires_in` (3600 s if absent) runs out. The
//! token is kept in this process's memory only (never in SQLite, never logged), per set of
//! client credentials, so every push of the connector reuses it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use super::client::SERVICE;
use crate::connectors::http::{CONNECT_TIMEOUT, Call, Failure, Http, REQUEST_TIMEOUT};
use crate::net::{https_client, is_loopback, shown_url, transport};
use crate::{Error, Result};

/// How long a token lasts when the answer does not say.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

struct Cached {
    authorization: HeaderValue,
    expires_at: Instant,
}

/// Tokens by the hash of the credentials they were issued for.
static TOKENS: LazyLock<Mutex<HashMap<[u8; 32], Cached>>> = LazyLock::new(Default::default);

fn tokens() -> std::sync::MutexGuard<'static, HashMap<[u8; 32], Cached>> {
    TOKENS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(crate) struct OAuth {
    client: reqwest::Client,
    url: Url,
    shown: String,
    form: Vec<(String, String)>,
    key: [u8; 32],
}

impl OAuth {
    pub fn new(
        token_url: &str,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
        additional: Option<&BTreeMap<String, String>>,
        target: &Url,
    ) -> Result<OAuth> {
        let url = Url::parse(token_url)
            .map_err(|e| Error::validation("auth.access_token_url", format!("{token_url:?} is not a URL ({e})")))?;
        // The client secret goes there: https anywhere, plain http only on this computer (and
        // then on the connector's own host).
        let same_host = url.host_str() == target.host_str();
        if url.scheme() != "https" && !(url.scheme() == "http" && is_loopback(&url) && same_host) {
            return Err(Error::validation(
                "auth.access_token_url",
                "must start with https:// (plain http:// is accepted only on this computer, on the connector's host)",
            ));
        }
        let mut form = vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("client_id".to_string(), client_id.to_string()),
            ("client_secret".to_string(), client_secret.to_string()),
        ];
        if let Some(scope) = scope {
            form.push(("scope".into(), scope.into()));
        }
        for (name, value) in additional.into_iter().flatten() {
            form.push((name.clone(), value.clone()));
        }
        let mut hash = Sha256::new();
        hash.update(url.as_str());
        for (name, value) in &form {
            hash.update([0]);
            hash.update(name);
            hash.update([0]);
            hash.update(value);
        }
        let shown = shown_url(&url);
        let client = https_client(&url, &shown, HeaderMap::new(), CONNECT_TIMEOUT, REQUEST_TIMEOUT)?;
        Ok(OAuth { client, url, shown, form, key: hash.finalize().into() })
    }

    /// Drops the cached token, so the next request fetches a new one.
    pub fn forget(&self) {
        tokens().remove(&self.key);
    }

    /// The `Authorization` value: the cached token until it expires, else a new one.
    pub async fn authorization(&self, http: &Http) -> Call<HeaderValue> {
        if let Some(c) = tokens().get(&self.key).filter(|c| c.expires_at > Instant::now()) {
            return Ok(c.authorization.clone());
        }
        let started = Instant::now();
        let (authorization, lifetime) = self.fetch(http).await?;
        tokens().insert(self.key, Cached { authorization: authorization.clone(), expires_at: started + lifetime });
        Ok(authorization)
    }

    async fn fetch(&self, http: &Http) -> Call<(HeaderValue, Duration)> {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&self.form).finish();
        let gone = |e: reqwest::Error| Failure::from(transport(&e, &self.shown, CONNECT_TIMEOUT, REQUEST_TIMEOUT));
        let response = self
            .client
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8")
            .body(body)
            .send()
            .await
            .map_err(gone)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(gone)?;
        let json: Option<Value> = serde_json::from_slice(&bytes).ok();
        let failed = |detail: String| {
            let error = match (status, json.as_ref().and_then(|j| j.get("error")).and_then(Value::as_str)) {
                (400 | 401, Some("invalid_client")) | (401, _) => Error::Unauthorized {
                    service: SERVICE,
                    url: self.shown.clone(),
                    credential: "OAuth client id and secret",
                    fix: "The token endpoint refused the client: check the client id, and enter the client secret again in the connector's settings.",
                },
                _ => Error::Remote {
                    service: SERVICE,
                    url: self.shown.clone(),
                    status,
                    detail: format!("Unable to retrieve the access token: {detail}"),
                },
            };
            Failure { error, retry_after: None, status: Some(status) }
        };
        if status != 200 {
            return Err(failed(http.redact(&String::from_utf8_lossy(&bytes))));
        }
        let Some(answer) = json.as_ref() else {
            return Err(failed("the answer is not JSON".into()));
        };
        let Some(token) = answer.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
            return Err(failed("the answer has no access_token".into()));
        };
        let kind = answer.get("token_type").and_then(Value::as_str).filter(|t| !t.is_empty()).unwrap_or("Bearer");
        let lifetime = match answer.get("expires_in") {
            Some(Value::Number(n)) => n.as_u64().map(Duration::from_secs),
            Some(Value::String(s)) => s.trim().parse().ok().map(Duration::from_secs),
            _ => None,
        }
        .unwrap_or(DEFAULT_LIFETIME);
        let mut value = HeaderValue::from_str(&format!("{kind} {token}"))
            .map_err(|_| failed("the access token is not a valid header value".into()))?;
        value.set_sensitive(true);
        Ok((value, lifetime))
    }
}
