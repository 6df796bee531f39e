//! Reading what the user hands over: `-` for stdin, JSON files, dates, enum names.

use std::io::Read;

use casebook_core::Error;
use chrono_like::parse_time;

/// `-` means standard input; anything else is the text itself.
pub fn text_or_stdin(field: &str, v: &str) -> Result<String, Error> {
    if v != "-" {
        return Ok(v.to_string());
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| Error::Validation {
        field: field.into(),
        message: format!("could not read standard input: {e}"),
    })?;
    Ok(s)
}

/// Reads and parses a JSON document from a file or `-`.
pub fn json_file<T: serde::de::DeserializeOwned>(source: &str) -> Result<T, Error> {
    let text = if source == "-" {
        text_or_stdin("from_json", "-")?
    } else {
        std::fs::read_to_string(source).map_err(|e| Error::Validation {
            field: "from_json".into(),
            message: format!("cannot read {source}: {e}"),
        })?
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::Validation { field: "from_json".into(), message: format!("{source}: {e}") })
}

/// A JSON object or an array of objects, each read as `T`; an error names the element.
/// Returns the items and whether the document was an array.
pub fn json_items<T: serde::de::DeserializeOwned>(
    source: &str,
    doc: serde_json::Value,
) -> Result<(Vec<T>, bool), Error> {
    let bad = |at: String, e: serde_json::Error| Error::Validation {
        field: "from_json".into(),
        message: format!("{source}{at}: {e}"),
    };
    match doc {
        serde_json::Value::Array(items) => {
            let parsed = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| serde_json::from_value(v).map_err(|e| bad(format!(" [{i}]"), e)))
                .collect::<Result<Vec<T>, _>>()?;
            Ok((parsed, true))
        }
        v => Ok((vec![serde_json::from_value(v).map_err(|e| bad(String::new(), e))?], false)),
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
    let mut secret = String::new();
    std::io::stdin()
        .read_to_string(&mut secret)
        .map_err(|e| Error::Validation { field: field.into(), message: format!("cannot read standard input: {e}") })?;
    let secret = secret.trim().to_string();
    if secret.is_empty() {
        return Err(Error::Validation {
            field: field.into(),
            message: format!("standard input was empty; pipe {what} into the command"),
        });
    }
    Ok(secret)
}
