//! A Jira (or a proxy in front of it) that reflects the `Authorization` header in its error
//! body, in every encoding a server might use: plain, standard base64 padded and unpadded,
//! URL-safe, JSON-escaped (`\u003d`, `\/`), upper-cased, percent-encoded, and a personal access
//! token as sent. A refused push and a failed "Test connection" keep and show the status and the
//! system's words, and the credential, in any form, is in no outbox row, no activity row, no
//! error message and no file of the database.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use casebook_core::model::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

use crate::fake_jira::{FakeJira, Flavour, JiraAuth};
use crate::push_jira::Book;
use crate::server::{Reply, Request};

const EMAIL: &str = "casey@example.com";
/// Chosen so that base64 of `EMAIL:TOKEN` has `+`, `/` and `==`: each encoding then differs.
const TOKEN: &str = "ATATT3x?FfGF0>>jira~tok??";

fn pair() -> String {
    format!("{EMAIL}:{TOKEN}")
}

/// Every form of the credential that must not be kept or shown (compared ignoring ASCII case).
fn forms() -> Vec<String> {
    let mut forms = Vec::new();
    for plain in [TOKEN.to_string(), pair()] {
        let std = STANDARD.encode(&plain);
        forms.push(plain.clone());
        forms.push(std.trim_end_matches('=').to_string());
        forms.push(URL_SAFE.encode(&plain).trim_end_matches('=').to_string());
        forms.push(utf8_percent_encode(&plain, NON_ALPHANUMERIC).to_string());
        forms.push(utf8_percent_encode(&std, NON_ALPHANUMERIC).to_string());
        forms.push(json_escaped(&std));
    }
    forms
}

fn json_escaped(text: &str) -> String {
    text.replace('/', "\\/").replace('+', "\\u002b").replace('=', "\\u003d")
}

/// The form of the credential `text` reveals, if any: one of [`forms`], or a run of base64 (of
/// either alphabet or both, between `=` signs) that decodes, from any offset, to text revealing
/// it, two layers deep.
fn revealed(text: &str) -> Option<String> {
    revealed_in(text, 2)
}

fn revealed_in(text: &str, depth: usize) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if let Some(form) = forms().into_iter().find(|f| lower.contains(&f.to_ascii_lowercase())) {
        return Some(form);
    }
    let lenient = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let engine = GeneralPurpose::new(&base64::alphabet::STANDARD, lenient);
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || "+/-_".contains(c);
    for run in text.split(|c: char| !is_b64(c)).filter(|r| r.len() >= 8) {
        let run = run.replace('-', "+").replace('_', "/");
        for skip in 0..4 {
            let part = &run[skip.min(run.len())..];
            let part = if part.len() % 4 == 1 { &part[..part.len() - 1] } else { part };
            if let Ok(bytes) = engine.decode(part) {
                let decoded = String::from_utf8_lossy(&bytes);
                if decoded.contains(TOKEN) || (depth > 0 && revealed_in(&decoded, depth - 1).is_some()) {
                    return Some(format!("base64 {run}"));
                }
            }
        }
    }
    None
}

fn assert_clean(what: &str, text: &str) {
    assert!(revealed(text).is_none(), "{what} reveals {:?}: {text}", revealed(text));
}

/// Each file of the database folder (the database, its WAL and shared memory).
fn assert_files_clean(dir: &std::path::Path) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        assert_clean(&entry.path().display().to_string(), &String::from_utf8_lossy(&bytes));
    }
}

/// How the fake reflects the header it got: the body of its 400 answer.
type Echo = fn(&str) -> Reply;

/// The credential part of `Authorization: <scheme> <credential>`.
fn credential(header: &str) -> &str {
    header.split_once(' ').map(|(_, c)| c).unwrap_or(header)
}

fn jira_said(message: String) -> Reply {
    Reply::json(400, &json!({"errorMessages": [message], "errors": {}}))
}

fn echoes() -> Vec<(&'static str, Echo)> {
    vec![
        ("the header as sent", |h| jira_said(format!("Authorization: {h} is not allowed here"))),
        ("the decoded user:token", |h| {
            let decoded = STANDARD.decode(credential(h)).unwrap_or_default();
            jira_said(format!("Bad credentials for {}", String::from_utf8_lossy(&decoded)))
        }),
        ("unpadded base64, in plain text", |h| {
            Reply::text(400, &format!("proxy: token {} refused", credential(h).trim_end_matches('=')))
        }),
        ("URL-safe base64, as a field error", |h| {
            let decoded = STANDARD.decode(credential(h)).unwrap_or_default();
            Reply::json(400, &json!({"errorMessages": [], "errors": {"auth": URL_SAFE.encode(decoded)}}))
        }),
        ("JSON-escaped, in a body of another shape", |h| {
            let body =
                format!(r#"{{"debug":{{"authorization":"{}"}},"message":"Specify a valid project"}}"#, json_escaped(h));
            Reply::status(400).with_header("content-type", "application/json").with_body(body)
        }),
        ("upper-cased base64", |h| jira_said(format!("header {} rejected", credential(h).to_ascii_uppercase()))),
        ("percent-encoded, in a redirect's query", |h| {
            Reply::text(400, &format!("login required: /login.jsp?auth={}", utf8_percent_encode(h, NON_ALPHANUMERIC)))
        }),
        // A debug page's base64 dump of the request, right after `key=` or `x-dump-` (no
        // separator a run of base64 would stop at).
        ("a dump after key=", |h| Reply::text(400, &format!("see /dump?debug={}", dump(h)))),
        ("a dump after x-dump-", |h| jira_said(format!("trace id x-dump-{}", dump(h)))),
        ("percent-encoded user:token", |h| {
            let decoded = STANDARD.decode(credential(h)).unwrap_or_default();
            let pair = String::from_utf8_lossy(&decoded).into_owned();
            jira_said(format!("denied: {}", utf8_percent_encode(&pair, NON_ALPHANUMERIC)))
        }),
    ]
}

/// The request as a debug page dumps it, base64-encoded; `>>>???` puts `+` and `/` in it.
fn dump(header: &str) -> String {
    STANDARD.encode(format!(">>>???\r\nGET /rest/api/2/issue HTTP/1.1\r\nAuthorization: {header}\r\n"))
}

fn connector(name: &str, url: &str, pat: bool) -> ConnectorInput {
    ConnectorInput {
        name: name.into(),
        url: url.into(),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "SEC".into(),
            auth: if pat { ConnectorAuth::Pat } else { ConnectorAuth::Basic },
            username: (!pat).then(|| EMAIL.to_string()),
        }),
        secret: Some(TOKEN.into()),
        secrets: None,
    }
}

/// Makes every create and every project read on `jira` answer 400 with `echo`.
fn reflect(jira: &FakeJira, echo: Echo) {
    let answer = move |req: &Request| echo(req.header("authorization").unwrap_or_default());
    jira.server.route("POST", "/rest/api/2/issue", answer);
    jira.server.route("GET", "/rest/api/2/project/{key}", answer);
}

#[tokio::test]
async fn a_credential_the_server_echoes_is_kept_and_shown_nowhere() {
    let b = Book::new();
    let mut servers = Vec::new();
    let mut messages = Vec::new();
    let mut cases = Vec::new();
    let mut runs: Vec<(String, Echo, bool)> =
        echoes().into_iter().map(|(what, echo)| (what.to_string(), echo, false)).collect();
    // A Data Center personal access token goes as `Bearer <token>`: reflected as sent, and bare.
    runs.push(("a bearer token as sent".into(), |h| jira_said(format!("Authorization: {h}")), true));
    runs.push(("a bare bearer token".into(), |h| jira_said(format!("token {} expired", credential(h))), true));
    for (i, (what, echo, pat)) in runs.into_iter().enumerate() {
        let auth = if pat { JiraAuth::Bearer(TOKEN.into()) } else { JiraAuth::basic(EMAIL, TOKEN) };
        let flavour = if pat { Flavour::DataCenter } else { Flavour::Cloud };
        let jira = FakeJira::start(flavour, "SEC", auth);
        reflect(&jira, echo);
        let name = format!("Jira {i}");
        b.book.create_connector("default", &connector(&name, &jira.url(), pat)).expect("create connector");

        let e = b.book.test_connector("default", &name).await.expect_err("test connection is refused");
        assert_eq!(e.code(), "remote", "{what}: {e}");
        messages.push((format!("{what}: test connection"), e.to_string()));
        messages.push((format!("{what}: test connection (wire)"), format!("{:?}", e.to_wire())));

        let case = b.case(&format!("Echo {i}"));
        let case = b.book.set_case_connector(&case.id, &case.version, Some(&name), &json!({})).expect("set");
        let outcome = b.book.push_case(&case.id, None).await.expect("push");
        let PushOutcome::Failed { item } = outcome else { panic!("{what}: expected a refused push: {outcome:?}") };
        let said = item.last_error.clone().unwrap_or_default();
        // What is kept: the status and the system's words, with the credential cut out.
        assert!(said.contains("answered HTTP 400"), "{what}: {said}");
        assert!(said.contains("[redacted]"), "{what}: {said}");
        assert_eq!(item.last_error_code.as_deref(), Some("remote"), "{what}");
        messages.push((format!("{what}: push"), said));
        cases.push(case.id);
        servers.push(jira);
    }
    // The system's own words survive the cut.
    let json_shape = messages.iter().find(|(w, _)| w.starts_with("JSON-escaped") && w.ends_with("push")).unwrap();
    assert!(json_shape.1.contains("Specify a valid project"), "{}", json_shape.1);

    for (what, text) in &messages {
        assert_clean(what, text);
    }
    let outbox = b.book.outbox(None).expect("outbox");
    assert_eq!(outbox.len(), cases.len());
    assert_clean("the outbox", &serde_json::to_string(&outbox).unwrap());
    for id in &cases {
        let activity = b.book.find_activity("default", id, &ActivityQuery::default()).expect("activity");
        assert_clean("the activity", &serde_json::to_string(&activity).unwrap());
    }
    assert_files_clean(b.dir.path());
    // The token itself stays where it belongs.
    let c = b.book.connector("default", "Jira 0").unwrap();
    use casebook_core::secrets::SecretStore;
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(TOKEN));
}
