//! Observables found in an alert's ECS fields (alerts-and-kibana-export.md §B3), for cases
//! whose `extract_observables` setting is on.

use crate::alerts::{FieldMap, fields::texts};

use super::types::{self, DOMAIN, EMAIL, FILE_HASH, FILE_PATH, HOSTNAME, URL};

/// Hash fields Kibana reads: `{dll,file,process}.hash.<algorithm>`.
const HASH_SOURCES: &[&str] = &["dll", "file", "process"];
const HASH_ALGORITHMS: &[&str] = &["cdhash", "md5", "sha1", "sha256", "sha384", "sha512", "ssdeep", "tlsh"];

/// The `(type key, value)` pairs an alert yields, validated and normalised, each once, in a
/// stable order. Values that fail their type's rule are skipped rather than reported: an
/// alert's field holding junk is not the analyst's mistake.
pub fn extract(fields: &FieldMap) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut push = |key: &'static str, raw: &str| {
        if let Ok(v) = types::validate_value(key, raw)
            && !out.iter().any(|(k, x)| *k == key && *x == v)
        {
            out.push((key, v));
        }
    };
    for path in ["source.ip", "destination.ip"] {
        for v in texts(fields, path) {
            if let Some(key) = types::ip_type(&v) {
                push(key, &v);
            }
        }
    }
    for v in texts(fields, "host.name") {
        push(HOSTNAME, &v);
    }
    for source in HASH_SOURCES {
        for algorithm in HASH_ALGORITHMS {
            for v in texts(fields, &format!("{source}.hash.{algorithm}")) {
                push(FILE_HASH, &v);
            }
        }
    }
    for v in texts(fields, "file.path") {
        push(FILE_PATH, &v);
    }
    for v in texts(fields, "dns.question.name") {
        push(DOMAIN, &v);
    }
    for v in texts(fields, "url.full") {
        push(URL, &v);
    }
    for v in texts(fields, "user.email") {
        push(EMAIL, &v);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::alerts::flatten;
    use crate::observables::types::{IPV4, IPV6};

    #[test]
    fn every_mapped_ecs_field_yields_its_type() {
        let alert = json!({
            "kibana.alert.uuid": "a1",
            "source": {"ip": "192.0.2.10"},
            "destination.ip": ["2001:DB8::5", "198.51.100.7"],
            "host": {"name": "WEB-01", "ip": ["192.0.2.99"]},
            "file": {"path": "C:\\Users\\bob\\evil.exe", "hash": {"sha256": "A".repeat(64)}},
            "process.hash.md5": "d41d8cd98f00b204e9800998ecf8427e",
            "dll": {"hash": {"sha1": "b".repeat(40)}},
            "dns.question.name": "Evil.Example.com",
            "url": {"full": "https://evil.example.com/x"},
            "user": {"email": "bob@example.com", "name": "bob"},
        });
        let got = extract(&flatten(&alert));
        let want: Vec<(&str, String)> = vec![
            (IPV4, "192.0.2.10".into()),
            (IPV6, "2001:db8::5".into()),
            (IPV4, "198.51.100.7".into()),
            (HOSTNAME, "web-01".into()),
            (FILE_HASH, "b".repeat(40)),
            (FILE_HASH, "a".repeat(64)),
            (FILE_HASH, "d41d8cd98f00b204e9800998ecf8427e".into()),
            (FILE_PATH, "C:\\Users\\bob\\evil.exe".into()),
            (DOMAIN, "evil.example.com".into()),
            (URL, "https://evil.example.com/x".into()),
            (EMAIL, "bob@example.com".into()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn repeats_and_junk_are_dropped() {
        let alert = json!({
            "source.ip": ["192.0.2.1", "192.0.2.1", "not-an-ip"],
            "destination": {"ip": "192.0.2.1"},
            "host.name": ["", "-bad-"],
            "file.hash.sha256": "xyz",
        });
        assert_eq!(extract(&flatten(&alert)), vec![(IPV4, "192.0.2.1".to_string())]);
    }
}
