//! What a webhook template may use, under Kibana's names (connectors.md §7) plus Casebook's
//! `case.number` and `case.url`, and how each value is written into a JSON body, a URL or text.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Every variable, in the order messages list them.
pub(crate) const NAMES: [&str; 11] = [
    "case.title",
    "case.description",
    "case.tags",
    "case.id",
    "case.number",
    "case.severity",
    "case.status",
    "case.comment",
    "case.url",
    "external.system.id",
    "external.system.title",
];

/// What JavaScript's `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The values one push fills into its templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Vars {
    title: String,
    description: String,
    tags: Vec<String>,
    id: String,
    number: Option<i64>,
    severity: String,
    status: String,
    comment: Option<String>,
    url: Option<String>,
    external_id: Option<String>,
    external_title: Option<String>,
}

/// How a filled-in value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// As JSON, the way Kibana `JSON.stringify`s every value of a body: a string with its
    /// quotes, the tags as an array, a missing value as `null`.
    Json,
    /// Percent-encoded as `encodeURIComponent` does, so an id with `/` or `?` stays one path segment.
    Url,
    /// As it is (header values).
    #[allow(dead_code, reason = "for header templates; headers are plain values for now")]
    Text,
}

enum Raw<'a> {
    Text(&'a str),
    List(&'a [String]),
    Int(i64),
    Absent,
}

impl Vars {
    #[allow(clippy::too_many_arguments, reason = "one argument per template variable, each named at the call")]
    pub(crate) fn new(
        title: &str,
        description: &str,
        tags: &[String],
        id: &str,
        number: Option<i64>,
        severity: &str,
        status: &str,
        comment: Option<&str>,
        external_id: Option<&str>,
        external_title: Option<&str>,
    ) -> Vars {
        Vars {
            title: title.to_string(),
            description: description.to_string(),
            tags: tags.to_vec(),
            id: id.to_string(),
            number,
            severity: severity.to_string(),
            status: status.to_string(),
            comment: comment.map(str::to_string),
            url: None,
            external_id: external_id.map(str::to_string),
            external_title: external_title.map(str::to_string),
        }
    }

    /// `case.url`: where the case can be opened, when Casebook knows one.
    #[allow(dead_code, reason = "Casebook has no link to a case to give yet")]
    pub(crate) fn with_url(mut self, url: Option<&str>) -> Vars {
        self.url = url.map(str::to_string);
        self
    }

    /// The incident's id and title once the system has told them (after a create, after a GET).
    pub(crate) fn set_external(&mut self, id: Option<&str>, title: Option<&str>) {
        self.external_id = id.map(str::to_string);
        self.external_title = title.map(str::to_string);
    }

    fn raw(&self) -> [(&'static str, Raw<'_>); 11] {
        fn opt(v: &Option<String>) -> Raw<'_> {
            v.as_deref().map_or(Raw::Absent, Raw::Text)
        }
        [
            ("case.title", Raw::Text(&self.title)),
            ("case.description", Raw::Text(&self.description)),
            ("case.tags", Raw::List(&self.tags)),
            ("case.id", Raw::Text(&self.id)),
            ("case.number", self.number.map_or(Raw::Absent, Raw::Int)),
            ("case.severity", Raw::Text(&self.severity)),
            ("case.status", Raw::Text(&self.status)),
            ("case.comment", opt(&self.comment)),
            ("case.url", opt(&self.url)),
            ("external.system.id", opt(&self.external_id)),
            ("external.system.title", opt(&self.external_title)),
        ]
    }

    /// Each variable written for `mode`; `None` where it has no value and the mode has no word
    /// for "no value" (JSON has `null`). A list is one value, as in Kibana: a JSON array in a
    /// body, and elsewhere its items joined with `,` as JavaScript's `String(array)` does.
    pub(super) fn encoded(&self, mode: Mode) -> Vec<(&'static str, Option<String>)> {
        self.raw()
            .into_iter()
            .map(|(name, raw)| {
                let text = match (raw, mode) {
                    (Raw::Absent, Mode::Json) => Some("null".to_string()),
                    (Raw::Absent, _) => None,
                    (Raw::Int(n), _) => Some(n.to_string()),
                    (Raw::Text(s), Mode::Json) => Some(Value::from(s).to_string()),
                    (Raw::List(l), Mode::Json) => Some(Value::from(l.to_vec()).to_string()),
                    (Raw::Text(s), Mode::Url) => Some(utf8_percent_encode(s, URI_COMPONENT).to_string()),
                    (Raw::List(l), Mode::Url) => Some(utf8_percent_encode(&l.join(","), URI_COMPONENT).to_string()),
                    (Raw::Text(s), Mode::Text) => Some(s.to_string()),
                    (Raw::List(l), Mode::Text) => Some(l.join(",")),
                };
                (name, text)
            })
            .collect()
    }
}
