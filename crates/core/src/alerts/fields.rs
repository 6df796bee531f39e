//! An alert document seen as dotted field paths, whatever its shape.
//!
//! Alert writers mix literal dotted keys (`"kibana.alert.rule.name": …`) with nested ECS
//! objects (`"host": {"name": …}`), and any field may hold a scalar or an array; the
//! Elasticsearch `fields` form holds arrays everywhere. [`flatten`] turns all of them into one
//! map from the dotted path to its leaf values, so every lookup is a single key.

use std::collections::BTreeMap;

use serde_json::Value;

/// Dotted path → its scalar leaves, in document order. Nulls and empty arrays are left out.
pub type FieldMap = BTreeMap<String, Vec<Value>>;

/// Flattens nested objects and arrays of objects into dotted paths (as Elasticsearch's `fields`
/// API does). A literal dotted key and the same path spelled as nested objects end up as one.
pub fn flatten(doc: &Value) -> FieldMap {
    let mut out = FieldMap::new();
    if let Value::Object(map) = doc {
        // One path buffer for the whole walk: this runs once per imported alert.
        let mut path = String::with_capacity(128);
        for (key, value) in map {
            path.clear();
            path.push_str(key);
            walk(&mut path, value, &mut out);
        }
    }
    out
}

fn walk(path: &mut String, value: &Value, out: &mut FieldMap) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            let len = path.len();
            for (key, child) in map {
                path.truncate(len);
                path.push('.');
                path.push_str(key);
                walk(path, child, out);
            }
            path.truncate(len);
        }
        Value::Array(items) => {
            for item in items {
                walk(path, item, out);
            }
        }
        scalar => match out.get_mut(path.as_str()) {
            Some(values) => values.push(scalar.clone()),
            None => {
                out.insert(path.clone(), vec![scalar.clone()]);
            }
        },
    }
}

/// Replaces the value at a dotted `path` wherever the document keeps it (a literal dotted key,
/// nested objects, or a mix). Says whether the path was there.
pub fn replace_field(doc: &mut Value, path: &str, value: &Value) -> bool {
    let Value::Object(map) = doc else { return false };
    let mut found = false;
    for (key, child) in map.iter_mut() {
        if key == path {
            *child = value.clone();
            found = true;
        } else if let Some(rest) = path.strip_prefix(key.as_str()).and_then(|r| r.strip_prefix('.')) {
            found |= replace_field(child, rest, value);
        }
    }
    found
}

/// The first value of the first path that has one, as text (numbers and booleans rendered).
pub fn first_text<'a>(fields: &'a FieldMap, paths: &[&str]) -> Option<std::borrow::Cow<'a, str>> {
    paths.iter().find_map(|p| fields.get(*p).and_then(|v| v.first())).and_then(scalar_text)
}

/// Every value of `path` as text.
pub fn texts<'a>(fields: &'a FieldMap, path: &str) -> impl Iterator<Item = std::borrow::Cow<'a, str>> + 'a {
    fields.get(path).into_iter().flatten().filter_map(scalar_text)
}

/// A scalar as text; `None` for an empty string.
pub fn scalar_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let text = match value {
        Value::String(s) => Cow::Borrowed(s.trim()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Bool(b) => Cow::Owned(b.to_string()),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn dotted_and_nested_keys_meet_on_one_path() {
        let doc = json!({
            "kibana.alert.rule.name": "Brute force",
            "kibana": {"alert": {"rule": {"uuid": "r-1"}}},
            "host": {"name": "web-1", "ip": ["10.0.0.1", "10.0.0.2"]},
            "host.ip": "10.0.0.3",
            "process": [{"pid": 4}, {"pid": 5}],
            "user": {"name": null},
        });
        let f = flatten(&doc);
        assert_eq!(f["kibana.alert.rule.name"], vec![json!("Brute force")]);
        assert_eq!(f["kibana.alert.rule.uuid"], vec![json!("r-1")]);
        assert_eq!(f["host.ip"].len(), 3);
        assert_eq!(f["process.pid"], vec![json!(4), json!(5)]);
        assert!(!f.contains_key("user.name"));
        assert_eq!(first_text(&f, &["nope", "host.name"]).as_deref(), Some("web-1"));
        assert_eq!(first_text(&f, &["process.pid"]).as_deref(), Some("4"));
    }
}
