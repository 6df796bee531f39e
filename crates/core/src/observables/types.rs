//! Observable types and the rule each value must satisfy (kibana-cases.md §1c).
//!
//! Values are normalised so that the same indicator typed two ways is one observable and
//! matches across cases: IPs in canonical form, hashes, host names and domains in lower case.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::validate::text;
use crate::{Error, Result};

/// Kibana's cap on observables per case: every space's cap until it sets its own.
pub const MAX_OBSERVABLES_PER_CASE: usize = 50;
/// The highest cap a space may set (a case page and similar-case matching stay quick).
pub const MAX_OBSERVABLES_CAP: usize = 500;
pub const MAX_CUSTOM_OBSERVABLE_TYPES: usize = 10;
pub const MAX_OBSERVABLE_TYPE_KEY_LENGTH: usize = 36;
pub const MAX_OBSERVABLE_TYPE_LABEL_LENGTH: usize = 50;
/// Long enough for any URL or Windows path an alert carries.
pub const MAX_OBSERVABLE_VALUE_LENGTH: usize = 2_048;
pub const MAX_OBSERVABLE_DESCRIPTION_LENGTH: usize = 1_000;

pub const IPV4: &str = "observable-type-ipv4";
pub const IPV6: &str = "observable-type-ipv6";
pub const URL: &str = "observable-type-url";
pub const HOSTNAME: &str = "observable-type-hostname";
pub const FILE_HASH: &str = "observable-type-file-hash";
pub const FILE_PATH: &str = "observable-type-file-path";
pub const EMAIL: &str = "observable-type-email";
pub const DOMAIN: &str = "observable-type-domain";

/// An observable type: Kibana's built-in keys, or a space's own `{key, label}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ObservableType {
    pub key: String,
    pub label: String,
}

/// Kibana's eight built-in types, in its order.
pub const BUILTIN_TYPES: &[(&str, &str)] = &[
    (IPV4, "IPv4"),
    (IPV6, "IPv6"),
    (URL, "URL"),
    (HOSTNAME, "Hostname"),
    (FILE_HASH, "File hash"),
    (FILE_PATH, "File path"),
    (EMAIL, "Email"),
    (DOMAIN, "Domain"),
];

pub fn builtin_types() -> Vec<ObservableType> {
    BUILTIN_TYPES.iter().map(|(k, l)| ObservableType { key: (*k).into(), label: (*l).into() }).collect()
}

pub fn is_builtin(key: &str) -> bool {
    BUILTIN_TYPES.iter().any(|(k, _)| *k == key)
}

/// Checks `value` for the type `key` and returns it normalised. Custom types accept any
/// single-line text within the length limit.
pub fn validate_value(key: &str, value: &str) -> Result<String> {
    // One line without control characters, as every single-line field.
    let v = text("value", value, 1, MAX_OBSERVABLE_VALUE_LENGTH)?;
    let bad = |what: &str| Error::validation("value", format!("{v:?} is not {what}"));
    match key {
        IPV4 => v.parse::<Ipv4Addr>().map(|ip| ip.to_string()).map_err(|_| bad("an IPv4 address (like 192.0.2.10)")),
        IPV6 => v.parse::<Ipv6Addr>().map(|ip| ip.to_string()).map_err(|_| bad("an IPv6 address (like 2001:db8::1)")),
        URL => url(&v).ok_or_else(|| bad("a URL with a scheme and a host (like https://example.com/path)")),
        HOSTNAME => hostname(&v).ok_or_else(|| bad("a host name (letters, digits, '-', '_' and '.')")),
        DOMAIN => domain(&v).ok_or_else(|| bad("a domain name with a top-level domain (like example.com)")),
        EMAIL => email(&v).ok_or_else(|| bad("an email address (like analyst@example.com)")),
        FILE_HASH => file_hash(&v).ok_or_else(|| {
            bad("a file hash (MD5, SHA-1, SHA-256, SHA-384 or SHA-512 in hex, or an ssdeep or TLSH digest)")
        }),
        // Paths may hold spaces ("C:\Program Files\…"), so only the length and line rules apply.
        _ => Ok(v),
    }
}

/// Which IP type a value belongs to, as Kibana's auto-extract decides: by whether it parses as
/// an IPv4 or an IPv6 address.
pub fn ip_type(value: &str) -> Option<&'static str> {
    match value.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(_) => Some(IPV4),
        IpAddr::V6(_) => Some(IPV6),
    }
}

fn url(v: &str) -> Option<String> {
    let parsed = url::Url::parse(v).ok()?;
    // `mailto:` and `data:` parse too, but an observable URL points somewhere.
    parsed.host_str()?;
    Some(v.to_string())
}

fn label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn hostname(v: &str) -> Option<String> {
    let v = v.strip_suffix('.').unwrap_or(v).to_ascii_lowercase();
    (v.len() <= 253 && v.split('.').all(label_ok)).then_some(v)
}

fn domain(v: &str) -> Option<String> {
    let v = hostname(v)?;
    let tld = v.rsplit('.').next()?;
    // A domain has at least two labels and an alphabetic top-level domain of two or more letters.
    (v.contains('.') && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())).then_some(v)
}

fn email(v: &str) -> Option<String> {
    let (local, host) = v.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains(char::is_whitespace)
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.');
    let host = domain(host)?;
    local_ok.then(|| format!("{local}@{host}"))
}

fn file_hash(v: &str) -> Option<String> {
    let hex = |s: &str| s.chars().all(|c| c.is_ascii_hexdigit());
    if hex(v) && matches!(v.len(), 32 | 40 | 64 | 96 | 128) {
        return Some(v.to_ascii_lowercase());
    }
    // TLSH: "T1" and 70 hex digits (or the 70/72 hex form without the prefix).
    if let Some(rest) = v.strip_prefix("T1").or_else(|| v.strip_prefix("t1"))
        && rest.len() == 70
        && hex(rest)
    {
        return Some(format!("T1{}", rest.to_ascii_uppercase()));
    }
    if hex(v) && matches!(v.len(), 70 | 72) {
        return Some(v.to_ascii_uppercase());
    }
    // ssdeep: "blocksize:hash1:hash2" in base64 characters.
    let parts: Vec<&str> = v.split(':').collect();
    let b64 = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
    if parts.len() == 3 && parts[0].parse::<u32>().is_ok() && b64(parts[1]) && b64(parts[2]) {
        return Some(v.to_string());
    }
    None
}

/// Checks a space's custom type list: keys `^[a-z0-9_-]+$`, unique, not a built-in key, labels
/// unique (case-insensitively, built-ins included) and at most ten types.
pub fn validate_custom_types(types: &[ObservableType]) -> Result<Vec<ObservableType>> {
    if types.len() > MAX_CUSTOM_OBSERVABLE_TYPES {
        return Err(Error::validation(
            "observable_types",
            format!("at most {MAX_CUSTOM_OBSERVABLE_TYPES} custom observable types (got {})", types.len()),
        ));
    }
    let mut out: Vec<ObservableType> = Vec::with_capacity(types.len());
    for (i, t) in types.iter().enumerate() {
        let key = text(&format!("observable_types[{i}].key"), &t.key, 1, MAX_OBSERVABLE_TYPE_KEY_LENGTH)?;
        if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
            return Err(Error::validation(
                format!("observable_types[{i}].key"),
                format!("{key:?} may hold only a-z, 0-9, '_' and '-'"),
            ));
        }
        if is_builtin(&key) || out.iter().any(|o| o.key == key) {
            return Err(Error::validation(format!("observable_types[{i}].key"), format!("{key:?} is already used")));
        }
        let label = text(&format!("observable_types[{i}].label"), &t.label, 1, MAX_OBSERVABLE_TYPE_LABEL_LENGTH)?;
        let taken = BUILTIN_TYPES.iter().any(|(_, l)| l.eq_ignore_ascii_case(&label))
            || out.iter().any(|o| o.label.eq_ignore_ascii_case(&label));
        if taken {
            return Err(Error::validation(
                format!("observable_types[{i}].label"),
                format!("{label:?} is already used"),
            ));
        }
        out.push(ObservableType { key, label });
    }
    Ok(out)
}

#[cfg(test)]
#[path = "types_tests.rs"]
mod tests;
