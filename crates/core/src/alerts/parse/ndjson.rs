//! One JSON object per line. A bad line is reported with its number and skipped.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use super::{At, BUFFER, Counting, Progress, Sink, alert_from_value, json_error_on_line, skip_bom, stopped};

pub(super) fn read(reader: impl Read, sink: &mut Sink<'_>, progress: &mut Progress<'_>) -> crate::Result<bool> {
    let mut input = BufReader::with_capacity(BUFFER, Counting::new(reader, progress));
    if let Err(e) = skip_bom(&mut input) {
        return stopped(e, input.get_ref().cancelled());
    }
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) => return stopped(e, input.get_ref().cancelled()),
        }
        number += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        let at = At { line: Some(number), document: sink.next_document() };
        let item = match serde_json::from_slice::<Value>(text) {
            Ok(value) => alert_from_value(value, at),
            Err(e) => Err(at.issue(json_error_on_line(&e))),
        };
        if sink.emit(item).is_break() {
            return Ok(false);
        }
    }
}
