//! The HTTPS client: URL rules, the API key header, and the three calls.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::Value;
use url::Url;

use crate::net::{https_client, parse_base_url, shown_url};

use super::errors::{self, Op, Redact};
use super::query::{self, AlertQuery, AlertSearchPage, ClusterInfo, MAX_IDS_PER_UPDATE, UpdateProblem};
use crate::{Error, Result};

/// How long to wait for a TCP + TLS connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take, answer included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An Elasticsearch cluster, reached with an API key. Cheap to clone (one connection pool).
#[derive(Clone)]
pub struct ElasticClient {
    http: reqwest::Client,
    /// Scheme, host, port and any path prefix (a reverse proxy's), without a trailing slash.
    base: Url,
    /// `base` as messages show it.
    shown: String,
    /// Kept only to cut it out of text the server sends back.
    api_key: String,
    connect_timeout: Duration,
    timeout: Duration,
}

impl std::fmt::Debug for ElasticClient {
    // The key stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElasticClient").field("url", &self.shown).finish_non_exhaustive()
    }
}

impl ElasticClient {
    /// A client for the cluster at `url` (https, or http on this computer only) using the API
    /// key as Kibana shows it once ("encoded", base64). Nothing is sent yet.
    pub fn new(url: &str, api_key: &str) -> Result<Self> {
        Self::with_timeouts(url, api_key, CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// [`ElasticClient::new`] with other timeouts, so tests need not wait a minute.
    #[doc(hidden)]
    pub fn with_timeouts(url: &str, api_key: &str, connect_timeout: Duration, timeout: Duration) -> Result<Self> {
        let base = parse_base_url(url, "e.g. https://elastic.example.com:9200", "API key")?;
        let shown = shown_url(&base);
        let api_key = api_key.trim();
        if api_key.is_empty() {
            return Err(Error::validation("api_key", "is empty; paste the encoded API key that Kibana showed"));
        }
        // The key itself never goes into the message.
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::validation(
                "api_key",
                "contains spaces or characters an API key cannot have; paste only the encoded key, without `ApiKey ` or quotes",
            ));
        }
        let mut auth = HeaderValue::from_str(&format!("ApiKey {api_key}"))
            .map_err(|_| Error::validation("api_key", "cannot be sent in an HTTP header"))?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        let http = https_client(&base, &shown, headers, connect_timeout, timeout)?;
        Ok(ElasticClient { http, base, shown, api_key: api_key.to_string(), connect_timeout, timeout })
    }

    /// The URL as messages show it, e.g. `https://es.example.com:9200`.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// `GET /`: the cluster's name and version. Tests the URL, the certificate and the key.
    pub async fn ping(&self) -> Result<ClusterInfo> {
        let answer = self.send(self.http.get(self.endpoint(&[])), Op::Ping).await?;
        let text = |pointer: &str| answer.pointer(pointer).and_then(Value::as_str).map(str::to_string);
        match (text("/cluster_name"), text("/version/number")) {
            (Some(cluster_name), Some(version)) => Ok(ClusterInfo { cluster_name, version }),
            _ => Err(errors::unexpected(200, "the answer has no cluster_name and version.number", &self.shown)),
        }
    }

    /// One page of the Security alerts of Kibana space `space`, newest first.
    pub async fn search_alerts(&self, space: &str, q: &AlertQuery) -> Result<AlertSearchPage> {
        let index = query::alerts_index(space)?;
        let (body, size) = query::search_body(q)?;
        let request = self.http.post(self.endpoint(&[&index, "_search"])).json(&body);
        let answer = self.send(request, Op::Search { index: &index }).await?;
        query::parse_search(&answer, size).map_err(|why| errors::unexpected(200, &why, &self.shown))
    }

    /// Sets `kibana.alert.workflow_status` (`open`, `acknowledged` or `closed`) of the alerts
    /// given as `(index, id)`, like Kibana's own status change; returns how many were updated.
    /// One `_update_by_query` per index and 1000 ids. It stops at the first failure; updates
    /// already made stay, and repeating the call is harmless.
    pub async fn set_workflow_status(&self, alerts: &[(String, String)], status: &str) -> Result<u64> {
        query::check_workflow_status(status)?;
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, (Vec<&str>, HashSet<&str>)> = HashMap::new();
        for (index, id) in alerts {
            query::check_index(index)?;
            if id.trim().is_empty() {
                return Err(Error::validation("id", format!("an alert id of index {index} is empty")));
            }
            let (ids, seen) = groups.entry(index).or_insert_with(|| {
                order.push(index);
                Default::default()
            });
            if seen.insert(id) {
                ids.push(id);
            }
        }
        let now = Utc::now();
        let mut updated = 0;
        for index in order {
            for chunk in groups[index].0.chunks(MAX_IDS_PER_UPDATE) {
                let mut url = self.endpoint(&[index, "_update_by_query"]);
                url.query_pairs_mut().append_pair("conflicts", "proceed").append_pair("refresh", "true");
                let body = query::status_update_body(chunk, status, now);
                let answer = self.send(self.http.post(url).json(&body), Op::Update { index }).await?;
                updated += query::parse_update(&answer).map_err(|problem| match problem {
                    UpdateProblem::Failed(why) => errors::failed(&why, &self.shown),
                    UpdateProblem::Malformed(why) => errors::unexpected(200, &why, &self.shown),
                })?;
            }
        }
        Ok(updated)
    }

    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            // An empty segments list leaves `/`, which is GET /.
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends, and returns the JSON of a 2xx answer; anything else becomes an [`Error`].
    async fn send(&self, request: reqwest::RequestBuilder, op: Op<'_>) -> Result<Value> {
        let transport = |e: reqwest::Error| errors::transport(&e, &self.shown, self.connect_timeout, self.timeout);
        let response = request.send().await.map_err(transport)?;
        let code = response.status().as_u16();
        let header =
            |name: header::HeaderName| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (retry_after, location) = (header(header::RETRY_AFTER), header(header::LOCATION));
        let body = response.bytes().await.map_err(transport)?;
        if !(200..300).contains(&code) {
            let redact = Redact::new(&self.api_key);
            return Err(errors::status(
                code,
                &body,
                retry_after.as_deref(),
                location.as_deref(),
                &self.shown,
                op,
                &redact,
            ));
        }
        serde_json::from_slice(&body).map_err(|_| errors::unexpected(code, "the answer is not JSON", &self.shown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    #[test]
    fn https_urls_are_accepted_and_shown_with_their_port() {
        for (input, shown) in [
            ("https://es.example.com:9200", "https://es.example.com:9200"),
            ("https://es.example.com/", "https://es.example.com:443"),
            (" https://proxy.example.com/elastic/ ", "https://proxy.example.com:443/elastic"),
            ("http://localhost:9200", "http://localhost:9200"),
            ("http://127.0.0.5:9200", "http://127.0.0.5:9200"),
            ("http://[::1]:9200", "http://[::1]:9200"),
        ] {
            let client = ElasticClient::new(input, KEY).unwrap();
            assert_eq!(client.url(), shown, "{input}");
        }
    }

    #[test]
    fn endpoints_keep_a_path_prefix() {
        let client = ElasticClient::new("https://proxy.example.com/elastic/", KEY).unwrap();
        assert_eq!(client.endpoint(&[]).as_str(), "https://proxy.example.com/elastic");
        assert_eq!(
            client.endpoint(&[".alerts-security.alerts-default", "_search"]).as_str(),
            "https://proxy.example.com/elastic/.alerts-security.alerts-default/_search"
        );
        let client = ElasticClient::new("https://es.example.com:9200", KEY).unwrap();
        assert_eq!(client.endpoint(&[]).as_str(), "https://es.example.com:9200/");
    }

    #[test]
    fn plain_http_is_refused_off_this_computer() {
        for input in ["http://es.example.com:9200", "http://10.0.0.5:9200", "http://localhost.example.com"] {
            let e = ElasticClient::new(input, KEY).unwrap_err();
            assert_eq!(e.code(), "validation");
            assert!(e.to_string().starts_with("url: must start with https://"), "{e}");
        }
    }

    #[test]
    fn bad_urls_and_keys_name_the_field_and_never_echo_the_key() {
        for input in [
            "",
            "es.example.com:9200",
            "ftp://es.example.com",
            "https://u:p@es.example.com",
            "https://es.example.com/?x=1",
        ] {
            let e = ElasticClient::new(input, KEY).unwrap_err();
            assert!(e.to_string().starts_with("url: "), "{input}: {e}");
        }
        for key in ["", "  ", "ApiKey abc", "abc\ndef", "clé"] {
            let e = ElasticClient::new("https://es.example.com", key).unwrap_err();
            assert!(e.to_string().starts_with("api_key: "), "{key:?}: {e}");
            if key.trim().len() > 2 {
                assert!(!e.to_string().contains(key.trim()), "{e}");
            }
        }
    }

    #[test]
    fn debug_does_not_print_the_key() {
        let client = ElasticClient::new("https://es.example.com:9200", KEY).unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains(KEY) && !debug.contains(&KEY[..12]), "{debug}");
        assert!(debug.contains("https://es.example.com:9200"), "{debug}");
    }
}
