//! Reading alerts from exported files: NDJSON, JSON (an array, one document, an Elasticsearch
//! `_search` response or an es_archiver file) and Discover CSV.
//!
//! Every format streams: at most one document is held as a [`Value`] at a time, so a 100 MB
//! export is read in constant memory. A bad line or document becomes a [`ParseIssue`] and reading
//! goes on where the format allows it.

mod csv;
mod json;
mod ndjson;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read};
use std::ops::ControlFlow;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fields::first_text;
use super::{AlertSummary, FieldMap, flatten, summarize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum AlertFileFormat {
    /// One JSON object per line: a bare alert document or a search hit.
    Ndjson,
    /// A JSON array, a single document or hit, a `_search` response, or an es_archiver file
    /// (pretty-printed records one after another).
    Json,
    /// Discover's "Generate CSV".
    Csv,
}

/// One alert read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAlert {
    /// The 1-based line where the alert starts (NDJSON and CSV).
    pub line: Option<u64>,
    /// The 1-based position of the alert among the file's documents, bad ones included.
    pub document_number: u64,
    /// `kibana.alert.uuid`, else the hit's `_id`; for a legacy signal without either (a bare
    /// `_source` line), `signal.id`/`signal.uuid`, else `sha256-` and a hash of the document.
    pub alert_id: String,
    /// The hit's `_index`, when the file says it.
    pub index: Option<String>,
    /// The alert document as the file gives it (`_source`, or `fields` for fields-form hits).
    pub document: Value,
    pub fields: FieldMap,
    pub summary: AlertSummary,
}

/// A line or document that could not be read as an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(optional_fields)]
pub struct ParseIssue {
    /// 1-based line (NDJSON, CSV, and JSON syntax errors).
    // Left out when absent, as the binding (`line?: number`) says; `null` showed as "line null".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based document number (JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<u64>,
    pub reason: String,
}

/// Picks the reader for a file: by its extension, else by its first bytes.
pub fn detect_format(path: &Path, head: &[u8]) -> AlertFileFormat {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("ndjson" | "jsonl") => return AlertFileFormat::Ndjson,
        Some("json") => return AlertFileFormat::Json,
        Some("csv") => return AlertFileFormat::Csv,
        _ => {}
    }
    let head = head.strip_prefix(BOM).unwrap_or(head).trim_ascii_start();
    match head.first() {
        Some(b'[') => AlertFileFormat::Json,
        Some(b'{') => sniff_object(head),
        _ => AlertFileFormat::Csv,
    }
}

/// Content that starts with `{`: NDJSON when the first line is a whole object and another
/// object line follows; a pretty-printed or single document, or a `_search` response, is JSON.
fn sniff_object(head: &[u8]) -> AlertFileFormat {
    let Some(end) = head.iter().position(|&b| b == b'\n') else {
        // The first line does not end within the head: one long line, which the NDJSON reader
        // takes as well, unless it is visibly a search response.
        return if contains(head, b"\"hits\"") { AlertFileFormat::Json } else { AlertFileFormat::Ndjson };
    };
    let (first, rest) = (&head[..end], &head[end + 1..]);
    if contains(first, b"\"hits\"") || serde_json::from_slice::<serde::de::IgnoredAny>(first).is_err() {
        return AlertFileFormat::Json;
    }
    match rest.trim_ascii_start().first() {
        Some(b'{') => AlertFileFormat::Ndjson,
        _ => AlertFileFormat::Json,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads every alert of `reader`, calling `on_item` once per alert or unreadable line/document,
/// and `on_progress` with the bytes read so far about every megabyte and once at the end.
///
/// Returns `Ok(true)` when the input was read to its end (or to a JSON syntax error that cannot
/// be read past, which is reported as the last item), `Ok(false)` when a callback returned
/// `Break`. Fails only when the input cannot be read, for a CSV that is not text or has no id
/// column (every row would be unusable), or for a `_search` response without hits.
#[allow(clippy::type_complexity)]
pub fn read_alerts(
    reader: impl Read,
    format: AlertFileFormat,
    on_item: &mut dyn FnMut(Result<ParsedAlert, ParseIssue>) -> ControlFlow<()>,
    on_progress: &mut dyn FnMut(u64) -> ControlFlow<()>,
) -> crate::Result<bool> {
    let mut sink = Sink { on_item, documents: 0, cancelled: false, search_responses: 0, search_total: None };
    let mut progress = Progress { callback: on_progress, consumed: 0, next_report: PROGRESS_STEP, cancelled: false };
    let finished = match format {
        AlertFileFormat::Ndjson => ndjson::read(reader, &mut sink, &mut progress)?,
        AlertFileFormat::Json => json::read(reader, &mut sink, &mut progress)?,
        AlertFileFormat::Csv => csv::read(reader, &mut sink, &mut progress)?,
    };
    Ok(finished && progress.report().is_continue())
}

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes between two progress reports.
const PROGRESS_STEP: u64 = 1_000_000;
/// Read buffer; large enough that counting bytes per read costs nothing.
const BUFFER: usize = 64 * 1024;

/// Where the items go, and how many documents have been seen (for document numbers).
struct Sink<'a> {
    on_item: &'a mut dyn FnMut(Result<ParsedAlert, ParseIssue>) -> ControlFlow<()>,
    documents: u64,
    cancelled: bool,
    /// `_search` responses seen, and the `hits.total` of the last one (JSON).
    search_responses: u64,
    search_total: Option<u64>,
}

impl Sink<'_> {
    fn next_document(&mut self) -> u64 {
        self.documents += 1;
        self.documents
    }

    fn emit(&mut self, item: Result<ParsedAlert, ParseIssue>) -> ControlFlow<()> {
        let flow = (self.on_item)(item);
        self.cancelled |= flow.is_break();
        flow
    }
}

struct Progress<'a> {
    callback: &'a mut dyn FnMut(u64) -> ControlFlow<()>,
    consumed: u64,
    next_report: u64,
    cancelled: bool,
}

impl Progress<'_> {
    fn report(&mut self) -> ControlFlow<()> {
        let flow = (self.callback)(self.consumed);
        self.cancelled |= flow.is_break();
        flow
    }
}

/// Counts the bytes the parsers pull and reports them; a `Break` surfaces as a read error, which
/// is the one way to stop serde_json and csv mid-value. Callers tell it from a real error by
/// [`Counting::cancelled`].
struct Counting<'p, 'a, R> {
    inner: R,
    progress: &'p mut Progress<'a>,
}

impl<'p, 'a, R: Read> Counting<'p, 'a, R> {
    fn new(inner: R, progress: &'p mut Progress<'a>) -> Self {
        Counting { inner, progress }
    }

    fn cancelled(&self) -> bool {
        self.progress.cancelled
    }
}

impl<R: Read> Read for Counting<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.progress.cancelled {
            return Err(io::Error::other("cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress.consumed += n as u64;
        if self.progress.consumed >= self.progress.next_report {
            self.progress.next_report = self.progress.consumed + PROGRESS_STEP;
            if self.progress.report().is_break() {
                return Err(io::Error::other("cancelled"));
            }
        }
        Ok(n)
    }
}

/// Excel and Windows tools put a UTF-8 byte order mark first; JSON parsers reject it.
fn skip_bom(input: &mut impl BufRead) -> io::Result<()> {
    if input.fill_buf()?.starts_with(BOM) {
        input.consume(BOM.len());
    }
    Ok(())
}

/// A read error ends reading: `Ok(false)` if it was a cancel, else the error.
fn stopped(error: io::Error, cancelled: bool) -> crate::Result<bool> {
    if cancelled { Ok(false) } else { Err(crate::Error::Storage(format!("could not read the alert file: {error}"))) }
}

/// Where an item sits in the file.
#[derive(Debug, Clone, Copy)]
struct At {
    line: Option<u64>,
    document: u64,
}

impl At {
    fn issue(self, reason: impl Into<String>) -> ParseIssue {
        // Line-based formats are found by line in an editor; JSON documents only by their number.
        let document = if self.line.is_some() { None } else { Some(self.document) };
        ParseIssue { line: self.line, document, reason: reason.into() }
    }
}

/// serde_json's message without its "at line 1 column N" tail, for a one-line document.
fn json_error_on_line(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = message.rfind(" at line ").map_or(message.as_str(), |i| &message[..i]);
    format!("not valid JSON: {message} at column {}", error.column())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// At most `max` characters of file content, so a reason never quotes much of the input.
fn snippet(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// One JSON value of the file as an alert: a bare document, a search hit (`_source` or `fields`
/// form) or an es_archiver record.
fn alert_from_value(value: Value, at: At) -> Result<ParsedAlert, ParseIssue> {
    let Value::Object(mut object) = value else {
        return Err(at.issue(format!("not a JSON object but {}", kind(&value))));
    };
    let text =
        |o: &Map<String, Value>, key: &str| o.get(key).and_then(super::fields::scalar_text).map(|t| t.into_owned());
    let (document, id, index) = if is_archive_record(&object) {
        let kind = object.get("type").and_then(Value::as_str).unwrap_or_default();
        if kind != "doc" {
            return Err(at.issue(format!("an es_archiver \"{}\" record, not an alert document", snippet(kind, 40))));
        }
        let Some(Value::Object(mut record)) = object.remove("value") else {
            return Err(at.issue("an es_archiver record without a value"));
        };
        let (id, index) = (text(&record, "id"), text(&record, "index"));
        match record.remove("source") {
            Some(source @ Value::Object(_)) => (source, id, index),
            _ => return Err(at.issue("an es_archiver record without a source document")),
        }
    } else if let Some(key) = hit_document_key(&object) {
        let (id, index) = (text(&object, "_id"), text(&object, "_index"));
        (object.remove(key).unwrap_or_default(), id, index)
    } else {
        (Value::Object(object), None, None)
    };
    let fields = flatten(&document);
    let owned = |paths: &[&str]| first_text(&fields, paths).map(|t| t.into_owned());
    // A bare document may carry its own `_id`/`_index` (flyout JSON, CSV columns).
    let alert_id = match owned(&["kibana.alert.uuid"]).or(id).or_else(|| owned(&["_id"])) {
        Some(id) => id,
        None => legacy_signal_id(&fields).ok_or_else(|| at.issue("no kibana.alert.uuid or _id"))?,
    };
    let index = index.or_else(|| owned(&["_index"]));
    let summary = summarize(&fields);
    Ok(ParsedAlert { line: at.line, document_number: at.document, alert_id, index, document, fields, summary })
}

/// The id of a legacy `signal.*` document that has no `_id` (exported as bare `_source`, as
/// `jq '.hits.hits[]._source'` gives): its own `signal.id`/`signal.uuid`, else a hash of its
/// fields, so importing the same file again finds the same alerts. The hash is over the
/// flattened fields (sorted paths), so key order and dotted or nested spelling do not change it;
/// the triage status is left out, as it changes after the signal is written.
fn legacy_signal_id(fields: &FieldMap) -> Option<String> {
    if !fields.keys().any(|k| k.starts_with("signal.")) {
        return None;
    }
    if let Some(id) = first_text(fields, &["signal.id", "signal.uuid"]) {
        return Some(id.into_owned());
    }
    use sha2::{Digest, Sha256};
    let stable: BTreeMap<&String, &Vec<Value>> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "signal.status" && !k.starts_with("kibana.alert.workflow_"))
        .collect();
    let canonical = serde_json::to_vec(&stable).ok()?;
    Some(format!("sha256-{:x}", Sha256::digest(&canonical)))
}

fn is_archive_record(object: &Map<String, Value>) -> bool {
    object.len() == 2 && object.get("type").is_some_and(Value::is_string) && object.contains_key("value")
}

/// The key holding a search hit's document: `_source`, else `fields` (the fields-API form)
/// when the object looks like a hit.
fn hit_document_key(object: &Map<String, Value>) -> Option<&'static str> {
    if object.get("_source").is_some_and(Value::is_object) {
        return Some("_source");
    }
    let looks_like_hit = object.contains_key("_id") || object.contains_key("_index");
    (looks_like_hit && object.get("fields").is_some_and(Value::is_object)).then_some("fields")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_extension_first() {
        let ndjson = b"{\"a\":1}\n{\"a\":2}\n";
        assert_eq!(detect_format(Path::new("x.NDJSON"), b"a,b\n"), AlertFileFormat::Ndjson);
        assert_eq!(detect_format(Path::new("x.jsonl"), b""), AlertFileFormat::Ndjson);
        assert_eq!(detect_format(Path::new("dir.v2/x.json"), ndjson), AlertFileFormat::Json);
        assert_eq!(detect_format(Path::new("x.csv"), ndjson), AlertFileFormat::Csv);
    }

    #[test]
    fn format_by_content_otherwise() {
        let sniff = |head: &[u8]| detect_format(Path::new("alerts.txt"), head);
        assert_eq!(sniff(b"\xEF\xBB\xBF  [{\"_id\":\"a\"}]"), AlertFileFormat::Json);
        assert_eq!(sniff(b"{\"_id\":\"a\"}\n\n{\"_id\":\"b\"}\n"), AlertFileFormat::Ndjson);
        assert_eq!(sniff(b"{\"_id\":\"a\"}\r\n{\"_id\""), AlertFileFormat::Ndjson);
        assert_eq!(sniff(b"{\"_id\":\"a\"}\n"), AlertFileFormat::Json);
        assert_eq!(sniff(b"{\n  \"type\": \"doc\",\n  \"value\": {"), AlertFileFormat::Json);
        assert_eq!(sniff(b"{\"took\":3,\"timed_out\":false,\"hits\":{\"hits\":[]}}\n"), AlertFileFormat::Json);
        assert_eq!(sniff(b"{\"took\":3,\"timed_out\":false,\"hits\":{\"hits\":[{\"_id\":"), AlertFileFormat::Json);
        assert_eq!(sniff(b"{\"kibana.alert.uuid\":\"a\",\"host\":{\"name\":"), AlertFileFormat::Ndjson);
        assert_eq!(sniff(b"_id,@timestamp\na,b\n"), AlertFileFormat::Csv);
        assert_eq!(sniff(b""), AlertFileFormat::Csv);
        assert_eq!(detect_format(Path::new("no-extension"), b"[]"), AlertFileFormat::Json);
    }

    #[test]
    fn snippets_are_cut_on_characters() {
        assert_eq!(snippet("héllo", 2), "hé…");
        assert_eq!(snippet("hi", 2), "hi");
    }

    #[test]
    fn ndjson_reasons_name_the_column_only() {
        let error = serde_json::from_str::<Value>("{\"a\": 1 \"b\"}").unwrap_err();
        assert_eq!(json_error_on_line(&error), "not valid JSON: expected `,` or `}` at column 9");
    }
}
