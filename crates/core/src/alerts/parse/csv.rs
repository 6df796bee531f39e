//! Discover's "Generate CSV": a header of dotted field names, then one alert per record. Cells are
//! formatted for people, so this undoes what it can: `-` for a missing value, `", "`-joined
//! multi-values, JSON-stringified objects and the `'` that guards formula characters. Kibana
//! writes `,` between cells unless its `csv:separator` setting says otherwise; `;` (the
//! spreadsheet habit where `,` is the decimal mark) is told from the header line.

use std::io::{BufRead, BufReader, Read};

use ::csv::{ByteRecord, ReaderBuilder};
use serde_json::{Map, Value};

use super::{At, BUFFER, Counting, ParseIssue, ParsedAlert, Progress, Sink, alert_from_value, skip_bom, stopped};

pub(super) fn read(reader: impl Read, sink: &mut Sink<'_>, progress: &mut Progress<'_>) -> crate::Result<bool> {
    let mut input = BufReader::with_capacity(BUFFER, Counting::new(reader, progress));
    if let Err(e) = skip_bom(&mut input) {
        return stopped(e, input.get_ref().cancelled());
    }
    let delimiter = match input.fill_buf() {
        Ok(head) => delimiter(head),
        Err(e) => return stopped(e, input.get_ref().cancelled()),
    };
    // Flexible, so that a ragged row is one issue rather than an error that ends reading.
    let mut csv = ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(input);
    let mut record = ByteRecord::new();
    let columns: Vec<String> = loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(true),
            Ok(true) => break record.iter().map(|c| String::from_utf8_lossy(c).trim().to_owned()).collect(),
            Err(e) if !e.is_io_error() => {}
            Err(e) => return stopped(e.into(), csv.get_ref().get_ref().cancelled()),
        }
    };
    // Anything that is not a text file lands here too (an unrecognised format is read as CSV).
    if std::str::from_utf8(record.as_slice()).is_err() || record.as_slice().contains(&0) {
        return Err(crate::Error::validation(
            "file",
            "this is not a CSV text file (it may be compressed or binary); export the alerts again as NDJSON, JSON \
             or CSV",
        ));
    }
    if !columns.iter().any(|c| c == "_id" || c == "kibana.alert.uuid") {
        return Err(crate::Error::validation(
            "file",
            "this CSV has no _id (or kibana.alert.uuid) column, so its alerts cannot be told apart. \
             In Discover, add the _id field as a column, then Generate CSV again.",
        ));
    }
    loop {
        let item = match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(true),
            Ok(true) => {
                let at = At { line: record.position().map(|p| p.line()), document: sink.next_document() };
                alert_from_record(&columns, &record, at)
            }
            Err(e) if e.is_io_error() => return stopped(e.into(), csv.get_ref().get_ref().cancelled()),
            Err(e) => {
                let line = e.position().map(|p| p.line());
                Err(ParseIssue { line, document: None, reason: format!("not a valid CSV record: {e}") })
            }
        };
        if sink.emit(item).is_break() {
            return Ok(false);
        }
    }
}

/// `;` when the header line (as far as the buffer holds it) has more `;` than `,` outside
/// quotes, else `,`.
fn delimiter(head: &[u8]) -> u8 {
    let (mut quoted, mut commas, mut semicolons) = (false, 0usize, 0usize);
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn alert_from_record(columns: &[String], record: &ByteRecord, at: At) -> Result<ParsedAlert, ParseIssue> {
    if record.len() != columns.len() {
        let reason = format!("has {} cells but the header has {} columns", record.len(), columns.len());
        return Err(at.issue(reason));
    }
    let mut document = Map::new();
    for (name, cell) in columns.iter().zip(record.iter()) {
        let Ok(cell) = std::str::from_utf8(cell) else {
            return Err(at.issue(format!("the {} cell is not UTF-8 text", super::snippet(name, 60))));
        };
        if let Some(value) = cell_value(cell).filter(|_| !name.is_empty()) {
            document.insert(name.clone(), value);
        }
    }
    alert_from_value(Value::Object(document), at)
}

/// A cell as the document value it stood for; `None` for a missing one.
fn cell_value(cell: &str) -> Option<Value> {
    if cell.is_empty() || cell == "-" {
        return None;
    }
    // `'` guards a leading formula character; once it is gone, "-" is a real dash, not "missing".
    let cell = match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    };
    if cell.starts_with('{') && cell.ends_with('}') {
        // One object, or several joined with ", ", which together read as a JSON array.
        let objects = serde_json::from_str::<Vec<Value>>(&format!("[{cell}]")).ok();
        if let Some(mut objects) = objects.filter(|o| o.iter().all(Value::is_object)) {
            return Some(if objects.len() == 1 { objects.remove(0) } else { Value::Array(objects) });
        }
    }
    // Only tokens without spaces (IPs, hashes, argv) are taken apart; prose keeps its commas.
    if cell.contains(", ") {
        let parts: Vec<&str> = cell.split(", ").collect();
        if parts.iter().all(|p| !p.is_empty() && !p.contains(char::is_whitespace)) {
            return Some(Value::Array(parts.into_iter().map(Value::from).collect()));
        }
    }
    Some(Value::from(cell))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_separator_is_read_from_the_header() {
        assert_eq!(delimiter(b"\"_id\";\"@timestamp\";\"host.name\"\n\"a\";\"b,c,d,e\";\"x\""), b';');
        assert_eq!(delimiter(b"_id,@timestamp,host.name\na;b;c;d;e"), b',');
        assert_eq!(delimiter(b"\"a;b;c\",_id\n"), b',');
        assert_eq!(delimiter(b""), b',');
    }

    #[test]
    fn cells_undo_discover_formatting() {
        assert_eq!(cell_value("-"), None);
        assert_eq!(cell_value(""), None);
        assert_eq!(cell_value("'-"), Some(json!("-")));
        assert_eq!(cell_value("'=cmd|' /C calc'!A0"), Some(json!("=cmd|' /C calc'!A0")));
        assert_eq!(cell_value("'x"), Some(json!("'x")));
        assert_eq!(cell_value("192.0.2.1, 192.0.2.2"), Some(json!(["192.0.2.1", "192.0.2.2"])));
        assert_eq!(cell_value("cmd.exe, /c, whoami"), Some(json!(["cmd.exe", "/c", "whoami"])));
        assert_eq!(cell_value("Jan 1, 2020 @ 04:00:00.000"), Some(json!("Jan 1, 2020 @ 04:00:00.000")));
        assert_eq!(cell_value("a,b"), Some(json!("a,b")));
        assert_eq!(cell_value(r#"{"id":"T1110"}"#), Some(json!({"id": "T1110"})));
        assert_eq!(cell_value(r#"{"id":"T1"}, {"id":"T2"}"#), Some(json!([{"id": "T1"}, {"id": "T2"}])));
        assert_eq!(cell_value("{not json}"), Some(json!("{not json}")));
    }
}
