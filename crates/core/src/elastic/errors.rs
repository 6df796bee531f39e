//! Turns transport failures and Elasticsearch's error answers into [`Error`]s a person can act
//! on. Nothing here ever sees the API key except `Redact`, which cuts it out of remote text.

use serde_json::Value;

use crate::Error;
use crate::connectors::redact::Redactor;
pub(crate) use crate::net::{clip, transport};

pub(crate) const SERVICE: &str = "Elasticsearch";

/// What was being done, for the 403 and 404 messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Op<'a> {
    Ping,
    Search { index: &'a str },
    Update { index: &'a str },
}

/// Removes the API key from text that came back from the server, in case a proxy echoes it:
/// the encoded key as sent, the `id:api_key` it encodes, and every encoding of either that the
/// connectors' redactor knows (base64 of any flavour and case, JSON escapes, percent-encoding).
/// Both go through one redactor, so a text is read once (and only its first part, however long
/// the body) and never clipped between the two.
pub(crate) struct Redact(Redactor);

impl Redact {
    pub(crate) fn new(api_key: &str) -> Redact {
        use base64::Engine;
        let mut redactor = Redactor::new(api_key, None);
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(api_key.trim_end_matches('='))
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(api_key.trim_end_matches('=')));
        if let Some(inner) = decoded.ok().and_then(|b| String::from_utf8(b).ok()).filter(|s| s.contains(':')) {
            redactor = redactor.with(Redactor::new(&inner, None));
        }
        Redact(redactor)
    }

    fn apply(&self, text: &str) -> String {
        self.0.redact(text)
    }

    fn apply_bytes(&self, body: &[u8]) -> String {
        self.0.redact_bytes(body)
    }
}

/// A non-2xx answer.
pub(crate) fn status(
    code: u16,
    body: &[u8],
    retry_after: Option<&str>,
    location: Option<&str>,
    url: &str,
    op: Op<'_>,
    redact: &Redact,
) -> Error {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let (kind, reason) = json.as_ref().map(es_error).unwrap_or_default();
    let said = || match (&kind, &reason) {
        (Some(k), Some(r)) => format!(" Elasticsearch said: {}", clip(&redact.apply(&format!("{k}: {r}")))),
        (None, Some(r)) => format!(" Elasticsearch said: {}", clip(&redact.apply(r))),
        _ => String::new(),
    };
    match code {
        401 => Error::Unauthorized {
            service: SERVICE,
            url: url.to_string(),
            credential: "API key",
            fix: "Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook.",
        },
        403 => {
            let reason = match op {
                Op::Ping => {
                    "the API key may not read cluster information (`GET /` needs the `monitor` cluster privilege)."
                        .to_string()
                }
                Op::Search { index } => format!(
                    "the API key lacks read privileges on the alerts index {index}. Give it `read` on `{index}` and `.internal{index}-*`."
                ),
                Op::Update { index } => format!(
                    "the API key lacks write privileges on the alerts index {index}. Give it `write` on the space's alerts indices (`.alerts-security.alerts-<space>` and `.internal.alerts-security.alerts-<space>-*`)."
                ),
            };
            Error::Forbidden { service: SERVICE, url: url.to_string(), reason: reason + &said() }
        }
        404 if kind.as_deref() == Some("index_not_found_exception") => {
            let named = json.as_ref().and_then(|j| j.pointer("/error/index")).and_then(Value::as_str);
            let index = match op {
                Op::Search { index } | Op::Update { index } => named.unwrap_or(index),
                Op::Ping => named.unwrap_or("?"),
            };
            Error::not_found("Elasticsearch alerts index", index)
        }
        _ => {
            let detail = if (300..400).contains(&code) {
                format!(
                    "a redirect{}. The URL probably points at Kibana or a login page rather than Elasticsearch (which listens on port 9200 by default).",
                    location.map(|l| format!(" to {}", clip(&redact.apply(l)))).unwrap_or_default()
                )
            } else if code == 429 {
                let wait = retry_after.map(|s| format!(" in {} s", clip(s.trim()))).unwrap_or_default();
                format!("the cluster is overloaded (too many requests); try again{wait}.{}", said())
            } else if kind.is_some() || reason.is_some() {
                said().trim_start().trim_start_matches("Elasticsearch said: ").to_string()
            } else if body.iter().all(u8::is_ascii_whitespace) {
                "no details were given.".to_string()
            } else {
                format!(
                    "the answer is not from Elasticsearch ({}). Check that the URL points at Elasticsearch, not Kibana or a proxy.",
                    clip(&redact.apply_bytes(body))
                )
            };
            Error::Remote { service: SERVICE, url: url.to_string(), status: code, detail }
        }
    }
}

/// A 2xx answer that is not what Elasticsearch sends.
pub(crate) fn unexpected(code: u16, why: &str, url: &str) -> Error {
    Error::Remote {
        service: SERVICE,
        url: url.to_string(),
        status: code,
        detail: format!(
            "{why}. Check that the URL points at Elasticsearch (port 9200 by default), not Kibana or a proxy."
        ),
    }
}

/// A 200 answer in which Elasticsearch reports that the work failed.
pub(crate) fn failed(why: &str, url: &str) -> Error {
    Error::Remote { service: SERVICE, url: url.to_string(), status: 200, detail: format!("{}.", clip(why)) }
}

/// Elasticsearch's `{"error": {"type", "reason", "root_cause": […]}}` (or `{"error": "text"}`).
fn es_error(body: &Value) -> (Option<String>, Option<String>) {
    let Some(error) = body.get("error") else {
        return (None, None);
    };
    if let Some(text) = error.as_str() {
        return (None, Some(text.to_string()));
    }
    let root = error.pointer("/root_cause/0");
    let pick = |key: &str| {
        error.get(key).or_else(|| root.and_then(|r| r.get(key))).and_then(Value::as_str).map(str::to_string)
    };
    (pick("type"), pick("reason"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const URL: &str = "https://es.example.com:9200";
    const KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    fn answer(code: u16, body: Value, op: Op<'_>) -> Error {
        status(code, body.to_string().as_bytes(), None, None, URL, op, &Redact::new(KEY))
    }

    #[test]
    fn unauthorized_says_to_create_a_new_key() {
        let body = json!({"error": {"root_cause": [{"type": "security_exception", "reason": "unable to authenticate with provided credentials and anonymous access is not allowed for this request"}], "type": "security_exception", "reason": "unable to authenticate with provided credentials and anonymous access is not allowed for this request"}, "status": 401});
        let e = answer(401, body, Op::Ping);
        assert_eq!(e.code(), "unauthorized");
        assert_eq!(
            e.to_string(),
            "Elasticsearch at https://es.example.com:9200 rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook."
        );
    }

    #[test]
    fn forbidden_names_the_index_and_quotes_elasticsearch() {
        let body = json!({"error": {"root_cause": [{"type": "security_exception", "reason": "action [indices:data/read/search] is unauthorized for API key id [VuaCfGcBCdbkQm-e5aOx] of user [elastic]"}], "type": "security_exception", "reason": "action [indices:data/read/search] is unauthorized for API key id [VuaCfGcBCdbkQm-e5aOx] of user [elastic]"}, "status": 403});
        let e = answer(403, body, Op::Search { index: ".alerts-security.alerts-default" });
        assert_eq!(e.code(), "forbidden");
        let m = e.to_string();
        assert!(m.contains("lacks read privileges on the alerts index .alerts-security.alerts-default"), "{m}");
        assert!(
            m.contains("Elasticsearch said: security_exception: action [indices:data/read/search] is unauthorized"),
            "{m}"
        );
    }

    #[test]
    fn index_not_found_is_not_found_naming_the_index() {
        let body = json!({"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index [.alerts-security.alerts-nope]", "index": ".alerts-security.alerts-nope"}], "type": "index_not_found_exception", "reason": "no such index [.alerts-security.alerts-nope]", "index": ".alerts-security.alerts-nope"}, "status": 404});
        let e = answer(404, body, Op::Search { index: ".alerts-security.alerts-nope" });
        assert_eq!(e.code(), "not_found");
        assert!(e.to_string().ends_with("not found: .alerts-security.alerts-nope"), "{e}");
    }

    #[test]
    fn other_statuses_quote_type_and_reason_clipped() {
        let long = "x".repeat(1000);
        let e = answer(
            500,
            json!({"error": {"type": "search_phase_execution_exception", "reason": long}, "status": 500}),
            Op::Ping,
        );
        assert_eq!(e.code(), "remote");
        let m = e.to_string();
        assert!(
            m.starts_with(
                "Elasticsearch at https://es.example.com:9200 answered HTTP 500: search_phase_execution_exception: xxx"
            ),
            "{m}"
        );
        assert!(m.chars().count() < 450, "{m}");
        let e = status(429, b"", Some("30"), None, URL, Op::Ping, &Redact::new(KEY));
        assert!(
            e.to_string().ends_with("HTTP 429: the cluster is overloaded (too many requests); try again in 30 s."),
            "{e}"
        );
        let e = status(302, b"", None, Some("/login?next=%2F"), URL, Op::Ping, &Redact::new(KEY));
        assert!(e.to_string().contains("a redirect to /login?next=%2F. The URL probably points at Kibana"), "{e}");
        let e = status(502, b"<html>\n<body>Bad gateway</body></html>", None, None, URL, Op::Ping, &Redact::new(KEY));
        assert!(
            e.to_string().contains("the answer is not from Elasticsearch (<html> <body>Bad gateway</body></html>)"),
            "{e}"
        );
    }

    #[test]
    fn every_echoed_form_of_the_key_is_cut_out() {
        use base64::Engine;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        // An encoded API key is base64 of `id:api_key`; a proxy may echo either, re-encoded.
        let inner = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
        let key = STANDARD.encode(inner);
        let echoes = [
            key.clone(),
            key.to_uppercase(),
            key.trim_end_matches('=').to_string(),
            inner.to_string(),
            URL_SAFE_NO_PAD.encode(&key),
            serde_json::to_string(&key).unwrap().replace('=', "\\u003d"),
            key.replace('=', "%3D").replace('+', "%2B").replace('/', "%2F"),
        ];
        for echo in echoes {
            let e = status(
                500,
                format!("bad header ApiKey {echo}").as_bytes(),
                None,
                None,
                URL,
                Op::Ping,
                &Redact::new(&key),
            );
            let m = e.to_string();
            assert!(m.contains("bad header ApiKey"), "the rest of what the server said is kept: {m}");
            assert!(!m.contains(&echo) && !m.contains(inner) && !m.contains(key.trim_end_matches('=')), "{echo}: {m}");
        }
    }

    #[test]
    fn a_long_body_is_read_in_part_and_no_key_is_shown_in_part() {
        let inner = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
        let redact = Redact::new(KEY);
        // The `id:key` just where a message is clipped: it goes whole before the clip.
        let body = format!("{} {inner} more", "x".repeat(280));
        let m = status(502, body.as_bytes(), None, None, URL, Op::Ping, &redact).to_string();
        assert!(!m.contains(&inner[..12]), "{m}");
        // 2 MB of HTML, then the key: only the start is read, and what follows is never shown.
        let mut body = "<p>Basic auth with basic words</p>\n".repeat(2 * 1024 * 1024 / 36).into_bytes();
        body.extend(format!("ApiKey {KEY}").as_bytes());
        let m = status(502, &body, None, None, URL, Op::Ping, &redact).to_string();
        assert!(m.contains("<p>Basic auth with basic words</p>") && m.contains('…') && !m.contains(KEY), "{m}");
        let mut body = b"head".to_vec();
        body.extend(std::iter::repeat_n(b' ', 2 * 1024 * 1024));
        body.extend(format!("ApiKey {inner}").as_bytes());
        let m = status(502, &body, None, None, URL, Op::Ping, &redact).to_string();
        assert!(m.contains("(head…)") && !m.contains("ApiKey"), "{m}");
    }

    #[test]
    fn the_key_is_cut_out_of_remote_text() {
        let echo = format!("bad header: ApiKey {KEY}");
        for code in [400, 403, 429, 500] {
            let e = answer(code, json!({"error": {"type": "x", "reason": echo}}), Op::Search { index: "i" });
            assert!(!e.to_string().contains(KEY), "{e}");
        }
        let e = status(500, echo.as_bytes(), None, None, URL, Op::Ping, &Redact::new(KEY));
        assert!(!e.to_string().contains(KEY) && e.to_string().contains("[redacted]"), "{e}");
    }
}
