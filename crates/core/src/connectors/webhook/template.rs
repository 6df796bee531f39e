//! Filling in a webhook connector's templates (Mustache, rendered by mustache2) the way Kibana
//! does: no HTML escaping (`{{x}}` and `{{{x}}}` alike), every value JSON-encoded in a body and
//! percent-encoded in a URL. Unlike Kibana, a name that is no variable is refused rather than
//! rendered as nothing, since the push would otherwise send wrong data without a word.

use std::borrow::Cow;
use std::collections::HashMap;

use mustache2::Data;
use mustache2::render::provider::SourceProvider;
use mustache2::render::{RenderManager, SourceCache};
use serde_json::Value;
use url::Url;

use super::names::{self, Tag, clip};
use super::vars::{Mode, Vars};
use crate::Error;
use crate::net::is_loopback;

/// One template of a connector's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template<'a> {
    /// The settings field it comes from, e.g. `create_incident_json`.
    pub field: &'a str,
    /// What messages call it, e.g. "create body".
    pub name: &'a str,
    pub text: &'a str,
}

/// Why a template could not be filled in: the settings field and a message saying what is
/// wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl From<TemplateError> for Error {
    fn from(e: TemplateError) -> Error {
        Error::validation(e.field, e.message)
    }
}

impl Template<'_> {
    fn error(&self, message: String) -> TemplateError {
        TemplateError { field: self.field.to_string(), message: format!("{}: {message}", self.name) }
    }

    /// A problem at byte `at` of the template.
    fn error_at(&self, at: usize, message: &str) -> TemplateError {
        let (line, column) = line_column(self.text, at);
        self.error(format!("line {line}, column {column}: {message}"))
    }
}

/// A request body: the template filled in with JSON values, which must then be valid JSON.
pub(crate) fn render_body(t: Template<'_>, vars: &Vars) -> Result<Value, TemplateError> {
    let text = render(t, vars, Mode::Json)?;
    if text.trim().is_empty() {
        return Err(t.error("is empty; it must be JSON, e.g. {\"title\": {{{case.title}}}}".to_string()));
    }
    serde_json::from_str(&text).map_err(|e| t.error(not_json(t.text, &text, &e)))
}

/// A URL: the template filled in with percent-encoded values, which must then be an absolute
/// https URL (http only to this computer, as for every system Casebook calls).
pub(crate) fn render_url(t: Template<'_>, vars: &Vars) -> Result<Url, TemplateError> {
    let text = render(t, vars, Mode::Url)?;
    let shown = clip(text.trim());
    if shown.is_empty() {
        return Err(t.error("is empty once filled in; it must be a URL starting with https://".to_string()));
    }
    let url = Url::parse(text.trim())
        .map_err(|e| t.error(format!("`{shown}` is not a URL ({e}); it must start with https://")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(t.error(format!(
                "`{shown}` must start with https:// (plain http:// would send the case and the credentials unencrypted; it is accepted only for localhost)"
            )));
        }
        _ => return Err(t.error(format!("`{shown}` must start with https://"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(t.error(format!("`{shown}` has no host name")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(t.error(
            "must not contain a user name or password; they belong in the connector's authentication".to_string(),
        ));
    }
    Ok(url)
}

/// Text as it is, e.g. a header value.
#[allow(dead_code, reason = "for header templates; headers are plain values for now")]
pub(crate) fn render_text(t: Template<'_>, vars: &Vars) -> Result<String, TemplateError> {
    render(t, vars, Mode::Text)
}

fn render(t: Template<'_>, vars: &Vars, mode: Mode) -> Result<String, TemplateError> {
    let tags = names::scan(t.text).map_err(|(at, m)| t.error_at(at, &m))?;
    let values = vars.encoded(mode);
    let hidden = Hidden::pick(std::iter::once(t.text).chain(values.iter().filter_map(|(_, v)| v.as_deref())))
        .ok_or_else(|| t.error("the case's text uses every private-use character, so it cannot be filled in".into()))?;
    let filled = run(t.text, data(&values, &hidden)).map_err(|e| match e {
        Failure::Parse { at: Some(at), message } => t.error_at(at, &message),
        Failure::Parse { at: None, message } => t.error(message),
        Failure::Panicked => t.error("the template engine failed on this template; please report it".to_string()),
    })?;
    // Outside a body a missing value has no text; a tag that would be filled in with it is
    // refused (not one inside a section over a missing value, which renders nothing).
    let missing = |name: &str| values.iter().any(|(n, v)| *n == name && v.is_none());
    for u in names::used(&tags).map_err(|(at, m)| t.error_at(at, &m))? {
        if missing(u.name) && !u.within.iter().any(|s| missing(s)) {
            return Err(t.error_at(u.tag.at, &no_value(u.name, &u.tag)));
        }
    }
    Ok(hidden.restore(&filled))
}

fn no_value(name: &str, tag: &Tag) -> String {
    let why = match name {
        "external.system.id" | "external.system.title" => {
            " (the incident's id and title are known once the system has answered)"
        }
        "case.comment" => " (only a comment's templates have one)",
        "case.number" => " (this case has no number)",
        _ => "",
    };
    format!("`{}` has no value here{why}", tag.text)
}

/// mustache2 HTML-escapes `&"<>` in every `{{x}}` and has no switch for it; Kibana escapes
/// nothing. Those four characters are swapped in the values for private-use characters that
/// occur neither in the template nor in any value, and swapped back afterwards: so every one
/// found in the output came from a value.
struct Hidden([char; 4]);

const ESCAPED: [char; 4] = ['&', '"', '<', '>'];

impl Hidden {
    fn pick<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Hidden> {
        let private = |c: &char| matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFD}');
        let taken: std::collections::HashSet<char> = texts.flat_map(str::chars).filter(private).collect();
        let mut free = ('\u{E000}'..='\u{F8FF}').chain('\u{F0000}'..='\u{10FFFD}').filter(|c| !taken.contains(c));
        Some(Hidden([free.next()?, free.next()?, free.next()?, free.next()?]))
    }

    fn hide(&self, s: &str) -> String {
        s.chars().map(|c| ESCAPED.iter().position(|e| *e == c).map_or(c, |i| self.0[i])).collect()
    }

    fn restore(&self, s: &str) -> String {
        s.chars().map(|c| self.0.iter().position(|h| *h == c).map_or(c, |i| ESCAPED[i])).collect()
    }
}

/// The values as mustache2 data: `case.title` under `case`, `external.system.id` under
/// `external.system`; a value that is absent renders as nothing and fails a section.
fn data(values: &[(&'static str, Option<String>)], hidden: &Hidden) -> Data {
    let mut case = HashMap::new();
    let mut system = HashMap::new();
    for (name, value) in values {
        let datum = value.as_deref().map_or(Data::Null, |v| Data::String(hidden.hide(v)));
        if let Some(key) = name.strip_prefix("case.") {
            case.insert(key.to_string(), datum);
        } else if let Some(key) = name.strip_prefix("external.system.") {
            system.insert(key.to_string(), datum);
        }
    }
    Data::map_from([
        ("case".to_string(), Data::Map(case)),
        ("external".to_string(), Data::map_from([("system".to_string(), Data::Map(system))])),
    ])
}

/// The one template mustache2 may load; partials (refused before rendering) find nothing.
struct Only<'a>(&'a str);

impl SourceProvider for Only<'_> {
    /// `true` for the template itself.
    type Key = bool;

    fn get_src(&mut self, key: &bool) -> Result<String, Cow<'static, str>> {
        if *key { Ok(self.0.to_string()) } else { Err("partials are not supported".into()) }
    }

    fn resolve_partial(&self, _: &bool, _: &str) -> bool {
        false
    }

    fn display_key(_: &bool) -> Cow<'_, str> {
        "template".into()
    }
}

enum Failure {
    Parse { at: Option<usize>, message: String },
    Panicked,
}

fn run(text: &str, data: Data) -> Result<String, Failure> {
    // The template is the user's text, read by a young crate: a panic on some input it does not
    // expect must become a message, not take the app down.
    let rendered = std::panic::catch_unwind(|| {
        let cache = SourceCache::default();
        RenderManager::new(Only(text), &cache).render(true, data)
    })
    .map_err(|_| Failure::Panicked)?;
    rendered
        .map_err(|e| Failure::Parse { at: e.source.map(|(_, span)| span.start), message: parse_message(&e.message) })
}

/// mustache2's terse messages in words a person can act on.
fn parse_message(message: &str) -> String {
    match message {
        "unclosed group" => "this section is never closed with its `{{/…}}`".to_string(),
        "disconnected closing tag" => "this closing tag has no section `{{#…}}` to close".to_string(),
        "unclosed tag" => "this tag is never closed with `}}`".to_string(),
        "expected a triple mustache" => "`{{{` must be closed with `}}}`".to_string(),
        "inheritance is disabled" | "dynamic names are disabled" => {
            "partials and template inheritance are not supported".to_string()
        }
        other => format!("the template does not parse: {other}"),
    }
}

/// 1-based line and column (in characters) of byte `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// Where the filled-in body stops being JSON, with that line shown.
fn not_json(template: &str, filled: &str, e: &serde_json::Error) -> String {
    let what = e.to_string();
    let what = what.split(" at line ").next().unwrap_or(&what);
    let line = filled.split('\n').nth(e.line().saturating_sub(1)).unwrap_or("");
    // serde_json counts columns in bytes.
    let mut bytes = e.column().saturating_sub(1).min(line.len());
    while !line.is_char_boundary(bytes) {
        bytes -= 1;
    }
    let column = line[..bytes].chars().count() + 1;
    let mut message = format!(
        "is not valid JSON once the values are filled in: {what} at line {}, column {column} of the filled-in text: `{}`",
        e.line(),
        excerpt(line, column)
    );
    if template.contains("\"{{") {
        message.push_str(
            " (every value is filled in as JSON already, a text with its quotes, so write {{{case.title}}} without quotes around it)",
        );
    }
    message
}

/// The line, or the part of a long one around `column`.
fn excerpt(line: &str, column: usize) -> String {
    const SIDE: usize = 60;
    let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
    let start = column.saturating_sub(SIDE + 1);
    let end = (column + SIDE).min(chars.len());
    if start >= end {
        return chars.iter().collect();
    }
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        chars[start..end].iter().collect::<String>(),
        if end < chars.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars::new(
            "Disk \"full\" on\nhost-1 — ünïcode ✓ <b>&",
            "Line one\nLine two\twith tab",
            &["ops".to_string(), "disk \"io\"".to_string()],
            "3f2a-uuid",
            None,
            "high",
            "open",
            None,
            Some("a/b c?d#e&f"),
            None,
        )
    }

    fn body(text: &str) -> Result<Value, TemplateError> {
        render_body(Template { field: "create_incident_json", name: "create body", text }, &vars())
    }

    fn url(text: &str) -> Result<Url, TemplateError> {
        render_url(Template { field: "update_incident_url", name: "update URL", text }, &vars())
    }

    #[test]
    fn a_body_gets_each_value_as_json_text_unescaped() {
        let v = body("{\"title\": {{{case.title}}}, \"same\": {{case.title}}, \"d\": {{{case.description}}}}").unwrap();
        assert_eq!(v["title"], "Disk \"full\" on\nhost-1 — ünïcode ✓ <b>&");
        // `{{x}}` is not HTML-escaped either, as in Kibana.
        assert_eq!(v["same"], v["title"]);
        assert_eq!(v["d"], "Line one\nLine two\twith tab");
    }

    #[test]
    fn tags_become_a_json_array_and_a_missing_value_null() {
        let v = body(
            r#"{"labels": {{{case.tags}}}, "n": {{{case.number}}}, "c": {{{case.comment}}}, "s": {{{case.severity}}}}"#,
        )
        .unwrap();
        assert_eq!(v, serde_json::json!({"labels": ["ops", "disk \"io\""], "n": null, "c": null, "s": "high"}));
        let with_number = Vars::new("t", "d", &[], "id", Some(42), "low", "open", None, None, None);
        let t = Template { field: "f", name: "n", text: "{\"n\": {{{case.number}}}}" };
        assert_eq!(render_body(t, &with_number).unwrap()["n"], 42);
    }

    #[test]
    fn a_url_gets_each_value_percent_encoded_like_encode_uri_component() {
        let u = url("https://tickets.example.com/rest/issue/{{{external.system.id}}}?case={{case.id}}").unwrap();
        assert_eq!(u.as_str(), "https://tickets.example.com/rest/issue/a%2Fb%20c%3Fd%23e%26f?case=3f2a-uuid");
        assert_eq!(u.path_segments().unwrap().count(), 3);
        let title = url("https://x.example/s?q={{{case.title}}}").unwrap();
        assert_eq!(
            title.query(),
            Some("q=Disk%20%22full%22%20on%0Ahost-1%20%E2%80%94%20%C3%BCn%C3%AFcode%20%E2%9C%93%20%3Cb%3E%26")
        );
    }

    #[test]
    fn a_url_must_be_https_and_absolute_and_its_values_present() {
        assert!(url("http://127.0.0.1:8080/issue").is_ok());
        let e = url("http://tickets.example.com/issue").unwrap_err();
        assert_eq!(e.field, "update_incident_url");
        assert!(
            e.message.starts_with("update URL: `http://tickets.example.com/issue` must start with https://"),
            "{e}"
        );
        assert!(url("/rest/issue/{{{external.system.id}}}").unwrap_err().message.contains("is not a URL"));
        assert!(url("https://me:pw@x.example/").unwrap_err().message.contains("user name or password"));
        let e = url("https://x.example/browse/{{{external.system.title}}}").unwrap_err();
        assert_eq!(
            e.message,
            "update URL: line 1, column 26: `{{{external.system.title}}}` has no value here (the incident's id and title are known once the system has answered)"
        );
        // Inside a section over the missing value it is never filled in.
        let u = url("https://x.example/i{{#case.number}}/{{case.number}}{{/case.number}}").unwrap();
        assert_eq!(u.as_str(), "https://x.example/i");
    }

    #[test]
    fn invalid_json_names_the_line_and_column_of_the_filled_in_text() {
        let template = "{\n  \"fields\": {\n    \"summary\": {{{case.title}}}\n    \"labels\": {{{case.tags}}}\n  }\n}";
        let e = body(template).unwrap_err();
        assert_eq!(e.field, "create_incident_json");
        assert_eq!(
            e.message,
            "create body: is not valid JSON once the values are filled in: expected `,` or `}` at line 4, column 5 of the filled-in text: `    \"labels\": [\"ops\",\"disk \\\"io\\\"\"]`"
        );
        // Columns count characters, not bytes, on a line holding text beyond ASCII: `x` is the
        // 51st character and the 57th byte.
        let e = body("{\"t\": {{{case.title}}} x}").unwrap_err();
        assert!(e.message.contains("at line 1, column 51 "), "{e}");
    }

    #[test]
    fn quoting_a_value_gets_a_hint() {
        let e = body("{\"title\": \"{{{case.severity}}}\"}").unwrap_err();
        assert!(e.message.contains("without quotes"), "{e}");
        assert_eq!(
            body(" \n").unwrap_err().message,
            "create body: is empty; it must be JSON, e.g. {\"title\": {{{case.title}}}}"
        );
    }

    #[test]
    fn an_unknown_variable_is_refused_with_the_valid_names() {
        let e = body("{\n  \"title\": {{{case.titel}}}\n}").unwrap_err();
        assert_eq!(
            e.message,
            "create body: line 2, column 12: `{{{case.titel}}}` names no variable (`case.titel`); the variables are case.title, case.description, case.tags, case.id, case.number, case.severity, case.status, case.comment, case.url, external.system.id, external.system.title"
        );
        let e: Error = e.into();
        assert_eq!(e.field(), Some("create_incident_json"));
    }

    #[test]
    fn a_template_that_does_not_parse_says_where() {
        let e = body("{\n  \"labels\": [{{#case.tags}}\"x\"]\n}").unwrap_err();
        assert_eq!(e.message, "create body: line 2, column 14: this section is never closed with its `{{/…}}`");
        let e = body("{\"t\": {{{case.title}}}{{/case.tags}}}").unwrap_err();
        assert!(e.message.starts_with("create body: line 1, column 23: this closing tag has no section"), "{e}");
        // mustache2 points at where the third `}` is missing.
        let e = body("{\"t\": {{{case.title}} }").unwrap_err();
        assert_eq!(e.message, "create body: line 1, column 20: `{{{` must be closed with `}}}`");
        // Non-ASCII inside a tag would panic mustache2 1.0.7; it is refused first.
        let e = body("{\"t\": {{{case.títle}}}}").unwrap_err();
        assert!(e.message.contains("line 1, column 7: `{{{case.títle}}}` holds a character beyond ASCII"), "{e}");
        let e = body("{\"t\": {{case.title, \"d\": \"é\"}").unwrap_err();
        assert_eq!(e.message, "create body: line 1, column 7: `{{` is never closed with `}}`");
    }

    /// Sections are Mustache sections. In a body every value is its JSON text, so a section over
    /// `case.tags` runs once with `{{.}}` the whole array (as in Kibana); a missing value is
    /// `null` there, which is text too and so opens its section. In a URL or text a missing value
    /// opens nothing and `^` offers the alternative.
    #[test]
    fn sections_see_the_same_value_as_the_variable() {
        let v = body("{ {{#case.tags}}\"labels\": {{{.}}}, {{/case.tags}}\"t\": {{{case.status}}} }").unwrap();
        assert_eq!(v, serde_json::json!({"labels": ["ops", "disk \"io\""], "t": "open"}));
        let v = body("{ {{#case}}\"t\": {{{title}}}, \"id\": {{{id}}}{{/case}} }").unwrap();
        assert_eq!(v["id"], "3f2a-uuid");
        let text = |text| render_text(Template { field: "headers", name: "header X-Case", text }, &vars());
        assert_eq!(text("{{#case.comment}}c{{/case.comment}}{{^case.comment}}none{{/case.comment}}").unwrap(), "none");
        assert_eq!(text("{{#case.tags}}[{{.}}]{{/case.tags}}").unwrap(), "[ops,disk \"io\"]");
        assert_eq!(text("{{case.title}}").unwrap(), "Disk \"full\" on\nhost-1 — ünïcode ✓ <b>&");
    }

    #[test]
    fn hidden_characters_never_collide_with_the_text() {
        let t = "\u{E000}\u{E001} {{{case.title}}} \u{E002}";
        let v = Vars::new("\u{E003}<&\"", "", &[], "", None, "", "", None, None, None);
        let out = render_text(Template { field: "f", name: "n", text: t }, &v).unwrap();
        assert_eq!(out, "\u{E000}\u{E001} \u{E003}<&\" \u{E002}");
    }
}
