//! Reading what the user hands over: `-` for stdin, JSON files, dates, enum names.

use std::io::Read;

use casebook_core::Error;
use casebook_core::validate::{MAX_BULK_CASES, MAX_DESCRIPTION_LENGTH};
use chrono_like::parse_time;

/// The most a `--from-json` document may weigh: a full bulk request of cases whose every text
/// is at its limit in 4-byte characters fits well under it; a runaway file or pipe does not.
const MAX_JSON_BYTES: u64 = (MAX_BULK_CASES * (MAX_DESCRIPTION_LENGTH * 4 + 64 * 1024)) as u64;
/// A token, password or API key: far longer than any real one.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Reads at most `max` bytes of UTF-8 text from `from`; one byte more is an error that says
/// so, instead of reading a runaway pipe (or `/dev/zero`) until memory runs out.
fn read_bounded(from: impl Read, field: &str, what: &str, max: u64, limit: &str) -> Result<String, Error> {
    let mut bytes = Vec::new();
    from.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Validation { field: field.into(), message: format!("could not read {what}: {e}") })?;
    if bytes.len() as u64 > max {
        return Err(Error::Validation { field: field.into(), message: format!("{what} holds more than {limit}") });
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::Validation { field: field.into(), message: format!("{what} is not UTF-8 text ({e})") })
}

/// `-` means standard input (read up to `max` characters); anything else is the text itself.
pub fn text_or_stdin(field: &str, v: &str, max: usize) -> Result<String, Error> {
    if v != "-" {
        return Ok(v.to_string());
    }
    // Characters take up to 4 bytes; the core then measures the text in characters exactly.
    let limit = format!("{max} characters");
    read_bounded(std::io::stdin().lock(), field, "standard input", 4 * max as u64 + 4, &limit)
}

/// Reads a JSON document from a file or `-`: a UTF-8 byte order mark (as Windows editors
/// write) is skipped, and a key given twice in one object is refused (JSON parsers disagree
/// on which one wins, so neither is guessed).
pub fn json_doc(path: &std::path::Path) -> Result<serde_json::Value, Error> {
    let limit = format!("{} MiB", MAX_JSON_BYTES / (1024 * 1024));
    // A path, not a string: a file name need not be UTF-8.
    let shown = path.display().to_string();
    let source = shown.as_str();
    let text = if path.as_os_str() == "-" {
        read_bounded(std::io::stdin().lock(), "from_json", "standard input", MAX_JSON_BYTES, &limit)?
    } else {
        let cannot = |e: std::io::Error| Error::Validation {
            field: "from_json".into(),
            message: format!("cannot read {source}: {e}"),
        };
        // Looked at before opening: opening a FIFO would wait for a writer.
        if !std::fs::metadata(path).map_err(cannot)?.is_file() {
            return Err(Error::Validation {
                field: "from_json".into(),
                message: format!("{source} is not a regular file; use - to read standard input"),
            });
        }
        read_bounded(std::fs::File::open(path).map_err(cannot)?, "from_json", source, MAX_JSON_BYTES, &limit)?
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = serde::Deserialize::deserialize(&mut de).and_then(|strict::Strict(v)| de.end().map(|()| v));
    doc.map_err(|e| Error::Validation { field: "from_json".into(), message: format!("{source}: {e}") })
}

/// Reads `doc` as `T`, refusing every key `T` does not know, at any depth (a misspelt
/// `settings.syncAlert` would otherwise be dropped without a word).
pub fn from_doc<T: serde::de::DeserializeOwned>(source: &str, at: &str, doc: serde_json::Value) -> Result<T, Error> {
    let mut unknown = Vec::new();
    // serde_ignored writes an Option's inside as `?`: `settings.?.syncAlert`.
    let parsed: Result<T, _> = serde_ignored::deserialize(doc, |path| {
        unknown.push(path.to_string().split('.').filter(|p| *p != "?").collect::<Vec<_>>().join("."))
    });
    let bad =
        |message: String| Error::Validation { field: "from_json".into(), message: format!("{source}{at}: {message}") };
    let parsed = parsed.map_err(|e| bad(e.to_string()))?;
    match unknown.first() {
        None => Ok(parsed),
        Some(path) => Err(bad(format!("unknown field `{path}` (check its spelling; nothing was changed)"))),
    }
}

/// Reads and parses a JSON document from a file or `-`.
pub fn json_file<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, Error> {
    from_doc(&path.display().to_string(), "", json_doc(path)?)
}

/// A JSON object or an array of objects, each read as `T`; an error names the element.
/// Returns the items and whether the document was an array.
pub fn json_items<T: serde::de::DeserializeOwned>(
    source: &str,
    doc: serde_json::Value,
) -> Result<(Vec<T>, bool), Error> {
    match doc {
        serde_json::Value::Array(items) => {
            let parsed = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| from_doc(source, &format!(" [{i}]"), v))
                .collect::<Result<Vec<T>, _>>()?;
            Ok((parsed, true))
        }
        v => Ok((vec![from_doc(source, "", v)?], false)),
    }
}

pub fn parse_all<T: std::str::FromStr<Err = Error>>(values: &[String]) -> Result<Vec<T>, Error> {
    values.iter().map(|v| v.parse()).collect()
}

pub fn time(field: &str, v: Option<&str>, end_of_day: bool) -> Result<Option<chrono::DateTime<chrono::Utc>>, Error> {
    v.map(|v| {
        parse_time(v, end_of_day).ok_or_else(|| Error::Validation {
            field: field.into(),
            message: format!("must be a date (YYYY-MM-DD) or an RFC 3339 time (got {v:?})"),
        })
    })
    .transpose()
}

/// `30m`, `4h`, `2d`, `1w` (or seconds, `90s`) as seconds.
pub fn duration(field: &str, v: &str) -> Result<i64, Error> {
    let bad = || Error::Validation {
        field: field.into(),
        message: format!("must be a number and s, m, h, d or w, like 30m, 4h or 2d (got {v:?})"),
    };
    let v = v.trim();
    let (n, unit) = v.split_at(v.len().saturating_sub(1));
    let n: i64 = n.trim().parse().ok().filter(|n| *n > 0 && *n < 1_000_000).ok_or_else(bad)?;
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    Ok(n * unit)
}

mod chrono_like {
    use chrono::{DateTime, NaiveDate, Utc};

    pub fn parse_time(v: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
        let v = v.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Some(t.with_timezone(&Utc));
        }
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
        let t = if end_of_day { d.and_hms_milli_opt(23, 59, 59, 999)? } else { d.and_hms_opt(0, 0, 0)? };
        Some(t.and_utc())
    }
}

/// A secret from standard input, trimmed; never echoed, never taken from the command line
/// (where it would land in the shell history and the process list).
pub fn secret_from_stdin(field: &str, what: &str) -> Result<String, Error> {
    let secret = read_bounded(std::io::stdin().lock(), field, "standard input", MAX_SECRET_BYTES, "64 KiB")?;
    let secret = secret.trim().to_string();
    if secret.is_empty() {
        return Err(Error::Validation {
            field: field.into(),
            message: format!("standard input was empty; pipe {what} into the command"),
        });
    }
    Ok(secret)
}

mod strict {
    //! A JSON value read with every object checked for a key given twice.

    use std::collections::HashSet;
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    pub struct Strict(pub Value);

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(StrictVisitor).map(Strict)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            Strict::deserialize(d).map(|s| s.0)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(Strict(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(de::Error::custom(format!("the key {key:?} is given twice in one object")));
                }
                let Strict(v) = map.next_value()?;
                out.insert(key, v);
            }
            Ok(Value::Object(out))
        }
    }
}
