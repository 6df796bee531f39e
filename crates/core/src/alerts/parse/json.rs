//! JSON files: a stream of top-level values (one document, an array, a `_search` response, or
//! es_archiver's pretty-printed records one after another).
//!
//! Arrays and `hits.hits` are walked with a visitor that hands each element on as it is read, so
//! only the current document is ever a [`Value`]. A syntax error cannot be read past (the
//! structure around it is lost): it is reported with serde's line and column and reading stops.

use std::fmt;
use std::io::{BufReader, Read};

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{At, BUFFER, Counting, ParseIssue, Progress, Sink, alert_from_value, skip_bom, stopped};

pub(super) fn read(reader: impl Read, sink: &mut Sink<'_>, progress: &mut Progress<'_>) -> crate::Result<bool> {
    let result = {
        let mut input = BufReader::with_capacity(BUFFER, Counting::new(reader, progress));
        if let Err(e) = skip_bom(&mut input) {
            return stopped(e, input.get_ref().cancelled());
        }
        read_values(&mut serde_json::Deserializer::from_reader(input), sink)
    };
    let Err(error) = result else {
        if sink.search_responses > 0 && sink.documents == 0 {
            return Err(no_hits(sink.search_total));
        }
        return Ok(true);
    };
    if sink.cancelled || progress.cancelled {
        return Ok(false);
    }
    if error.is_io() {
        return stopped(error.into(), false);
    }
    let issue = ParseIssue {
        line: Some(error.line() as u64),
        document: Some(sink.documents + 1),
        reason: format!("not valid JSON: {error}"),
    };
    Ok(sink.emit(Err(issue)).is_continue())
}

/// A saved `_search` response whose `hits.hits` is empty: often a search with `"size": 0`
/// (aggregations only), which holds no alert to attach.
fn no_hits(total: Option<u64>) -> crate::Error {
    let matched = match total {
        Some(n) if n > 0 => format!(" (hits.total says {n} alerts matched, but none were returned)"),
        _ => String::new(),
    };
    crate::Error::validation(
        "file",
        format!(
            "this _search response holds no hits{matched}, so there is no alert to attach. Run the search \
             again with a \"size\" of 1 or more (up to 10000) and save that response."
        ),
    )
}

fn read_values<R: Read>(
    de: &mut serde_json::Deserializer<serde_json::de::IoRead<R>>,
    sink: &mut Sink<'_>,
) -> serde_json::Result<()> {
    loop {
        // `end` only peeks: a syntax error ("trailing characters") means another value follows.
        match de.end() {
            Ok(()) => return Ok(()),
            Err(e) if e.is_syntax() => {}
            Err(e) => return Err(e),
        }
        let top = Node { sink: &mut *sink, level: Level::Top };
        if let Outcome::Value(value) = top.deserialize(&mut *de)? {
            let at = At { line: None, document: sink.next_document() };
            if sink.emit(alert_from_value(value, at)).is_break() {
                return Err(de::Error::custom("cancelled"));
            }
        }
    }
}

/// What a node turned out to be: a list of documents already handed on, or a plain value.
enum Outcome {
    Streamed,
    Value(Value),
}

/// Where a node sits. Documents are streamed from a top-level array and from `hits.hits` of a
/// top-level object; everything else is an ordinary value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Hits,
    HitList,
}

struct Node<'s, 'a> {
    sink: &'s mut Sink<'a>,
    level: Level,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = Outcome;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = Outcome;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("alert documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outcome, A::Error> {
        if matches!(self.level, Level::Top | Level::HitList) {
            while seq.next_element_seed(Document { sink: &mut *self.sink })?.is_some() {}
            return Ok(Outcome::Streamed);
        }
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Outcome::Value(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outcome, A::Error> {
        let child = match self.level {
            Level::Top => Some(Level::Hits),
            Level::Hits => Some(Level::HitList),
            Level::HitList => None,
        };
        let mut object = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            let nested = child.filter(|_| key == "hits" && !streamed);
            if let Some(level) = nested {
                match map.next_value_seed(Node { sink: &mut *self.sink, level })? {
                    Outcome::Streamed => {
                        streamed = true;
                        // `hits.total` comes before `hits.hits` in Elasticsearch's responses.
                        if self.level == Level::Hits {
                            self.sink.search_responses += 1;
                            self.sink.search_total = object.get("total").and_then(hits_total);
                        }
                    }
                    Outcome::Value(value) => {
                        object.insert(key, value);
                    }
                }
            } else {
                let value = map.next_value::<Value>()?;
                // Once the hits are out, the rest of a search response (took, total) is of no use.
                if !streamed {
                    object.insert(key, value);
                }
            }
        }
        Ok(if streamed { Outcome::Streamed } else { Outcome::Value(Value::Object(object)) })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Outcome, E> {
        Ok(Outcome::Value(Value::Null))
    }
}

/// `hits.total`: a number (Elasticsearch 6) or `{"value": n, "relation": …}`.
fn hits_total(total: &Value) -> Option<u64> {
    total.as_u64().or_else(|| total.get("value").and_then(Value::as_u64))
}

/// One element of a streamed list, handed to the sink as soon as it is read.
struct Document<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let value = Value::deserialize(deserializer)?;
        let at = At { line: None, document: self.sink.next_document() };
        if self.sink.emit(alert_from_value(value, at)).is_break() {
            return Err(de::Error::custom("cancelled"));
        }
        Ok(())
    }
}
