//! What every HTTPS client of Casebook shares: the URL rule (https, or http to this computer
//! only), URLs as messages show them, and transport failures turned into errors a person can act
//! on (unreachable, timed out, certificate not trusted).

use std::error::Error as StdError;
use std::time::Duration;

use url::{Host, Url};

use crate::{Error, Result};

/// Longest piece of remote text kept in a message.
const MAX_REMOTE_TEXT: usize = 300;

/// https anywhere; plain http only to this computer, where nothing crosses a network.
/// `example` completes the messages ("e.g. https://…"); `credential` names what plain http would expose.
pub(crate) fn parse_base_url(input: &str, example: &str, credential: &str) -> Result<Url> {
    let input = input.trim();
    let mut url = Url::parse(input).map_err(|e| {
        Error::validation("url", format!("{input:?} is not a URL ({e}); it must start with https://, {example}"))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::validation(
                "url",
                format!(
                    "must start with https:// (plain http:// would send the {credential} unencrypted; it is accepted only for localhost), {example}"
                ),
            ));
        }
        _ => return Err(Error::validation("url", format!("must start with https://, {example}"))),
    }
    if url.host().is_none() {
        return Err(Error::validation("url", format!("has no host name, {example}")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::validation(
            "url",
            format!("must not contain a user name or password; Casebook signs in with the {credential}"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::validation("url", format!("must not contain `?` or `#` parts, {example}")));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(&path);
    Ok(url)
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// `scheme://host:port[/prefix]`, with the port always shown (9200 and 443 are both common).
pub(crate) fn shown_url(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    let port = url.port_or_known_default().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path().trim_end_matches('/'))
}

/// The HTTPS client every remote system gets: JSON answers, our user agent, the timeouts, no
/// proxy for this computer's own ports (a proxy cannot reach them), and no redirects: a
/// redirect means a login page or a moved instance, and following it could carry the
/// credential to another host.
pub(crate) fn https_client(
    base: &Url,
    shown: &str,
    headers: reqwest::header::HeaderMap,
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client> {
    https_client_with(base, shown, headers, connect_timeout, timeout, |b| b)
}

/// [`https_client`] with TLS settings of its own (a client certificate, a private CA).
pub(crate) fn https_client_with(
    base: &Url,
    shown: &str,
    mut headers: reqwest::header::HeaderMap,
    connect_timeout: Duration,
    timeout: Duration,
    tls: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> Result<reqwest::Client> {
    use reqwest::header::{ACCEPT, HeaderValue};
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    let mut builder = reqwest::Client::builder();
    if is_loopback(base) {
        builder = builder.no_proxy();
    }
    tls(builder)
        .default_headers(headers)
        .user_agent(concat!("casebook/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Tls {
            url: shown.to_string(),
            detail: format!("the system's trusted certificates could not be loaded ({e})"),
        })
}

/// A failure before any HTTP answer: TLS, DNS, refused connection, timeout, dropped connection.
pub(crate) fn transport(e: &reqwest::Error, url: &str, connect_timeout: Duration, timeout: Duration) -> Error {
    if let Some(tls) = find_tls(e) {
        return Error::Tls { url: url.to_string(), detail: describe_tls(tls) };
    }
    let reason = if e.is_timeout() {
        if e.is_connect() {
            format!("no connection within {} s (timed out)", connect_timeout.as_secs())
        } else {
            format!("no complete answer within {} s (timed out)", timeout.as_secs())
        }
    } else if causes(e).iter().any(|s| s.to_string() == "dns error") {
        format!("the host name could not be resolved ({})", innermost(e))
    } else if let Some(kind) = io_kind(e) {
        match kind {
            std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                "the connection was reset before an answer arrived".to_string()
            }
            std::io::ErrorKind::HostUnreachable | std::io::ErrorKind::NetworkUnreachable => {
                "the host or network is unreachable".to_string()
            }
            std::io::ErrorKind::TimedOut => "the connection timed out".to_string(),
            _ => innermost(e),
        }
    } else if e.is_connect() {
        format!("the connection failed ({})", innermost(e))
    } else {
        format!("the connection was closed before a complete answer arrived ({})", innermost(e))
    };
    Error::Unreachable { url: url.to_string(), reason }
}

fn find_tls(e: &reqwest::Error) -> Option<&rustls::Error> {
    causes(e).into_iter().find_map(|s| s.downcast_ref::<rustls::Error>())
}

fn describe_tls(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let why = match c {
                C::UnknownIssuer => "it is signed by an unknown authority (self-signed or a private CA)".to_string(),
                C::Expired | C::ExpiredContext { .. } => "it has expired".to_string(),
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "it is not valid yet (check this computer's clock)".to_string()
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "it was issued for a different host name".to_string()
                }
                C::Revoked => "it has been revoked".to_string(),
                other => format!("{other:?}"),
            };
            format!("the server's certificate was not trusted: {why}")
        }
        other => {
            format!("the TLS handshake failed ({other}); check that this port speaks HTTPS")
        }
    }
}

/// The most specific I/O error kind in the chain (wrappers are often `Other`).
fn io_kind(e: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let kinds: Vec<_> =
        causes(e).into_iter().filter_map(|s| s.downcast_ref::<std::io::Error>()).map(std::io::Error::kind).collect();
    kinds.iter().copied().find(|k| *k != std::io::ErrorKind::Other).or(kinds.first().copied())
}

fn innermost(e: &reqwest::Error) -> String {
    causes(e).last().map(|s| s.to_string()).unwrap_or_else(|| e.to_string())
}

/// Every cause of `e`, outermost first, including the errors wrapped inside `io::Error`s
/// (whose `source()` skips the wrapped error: that is where rustls's error hides).
fn causes(e: &reqwest::Error) -> Vec<&(dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = e.source();
    while let Some(s) = next {
        out.push(s);
        next = match s.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => s.source(),
        };
    }
    out
}

/// One line, at most [`MAX_REMOTE_TEXT`] characters.
pub(crate) fn clip(text: &str) -> String {
    let one_line: String =
        text.split_whitespace().collect::<Vec<_>>().join(" ").chars().filter(|c| !c.is_control()).collect();
    if one_line.chars().count() > MAX_REMOTE_TEXT {
        one_line.chars().take(MAX_REMOTE_TEXT).collect::<String>() + "…"
    } else {
        one_line
    }
}
