//! Reading the incident's id and title out of the system's answer at the path the user gave
//! (`createIncidentResponseKey`, `getIncidentResponseExternalTitleKey`), which Kibana reads with
//! lodash `get` and then turns into a string.

use serde_json::Value;

/// The text at `path` (`id`, `data.key`, `items[0].id`, `items.0.id`, `a["b.c"]`): a string as it
/// is, a number or a boolean as its text. Missing, empty, `null`, an object or an array: `None`
/// (Kibana would pass on `""`, `"null"` or `"[object Object]"` as the id).
pub(crate) fn at_path(v: &Value, path: &str) -> Option<String> {
    // lodash first takes the whole path as one key, when the object has that key.
    let found = match v.as_object().and_then(|o| o.get(path)) {
        Some(direct) => direct,
        None => keys(path).iter().try_fold(v, |v, key| step(v, key))?,
    };
    match found {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn step<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(o) => o.get(key),
        Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The keys of a lodash path: dots separate them, `[0]` and `["quoted.key"]` (or single quotes,
/// with `\` escaping) are keys too, and a leading dot or two dots in a row make an empty key.
fn keys(path: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut chars = path.chars().peekable();
    if path.starts_with('.') {
        keys.push(String::new());
    }
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if matches!(chars.peek(), None | Some('.')) {
                    keys.push(String::new());
                }
            }
            '[' if matches!(chars.peek(), Some('"' | '\'')) => {
                let quote = chars.next();
                let mut key = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => key.extend(chars.next()),
                        c if Some(c) == quote => break,
                        c => key.push(c),
                    }
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                }
                keys.push(key);
            }
            '[' | ']' => {}
            c => {
                let mut key = c.to_string();
                while let Some(&c) = chars.peek().filter(|c| !matches!(c, '.' | '[' | ']')) {
                    key.push(c);
                    chars.next();
                }
                keys.push(key);
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_paths_kibana_users_write() {
        let answer = json!({
            "id": 10042,
            "key": "OPS-17",
            "data": {"issue": {"id": "abc", "fields": {"summary": "Disk full"}}},
            "items": [{"id": "first"}, {"id": 2}],
            "flag": true,
            "a.b": "flat",
            "odd": {"x.y": "quoted"},
        });
        assert_eq!(at_path(&answer, "id").as_deref(), Some("10042"));
        assert_eq!(at_path(&answer, "key").as_deref(), Some("OPS-17"));
        assert_eq!(at_path(&answer, "data.issue.id").as_deref(), Some("abc"));
        assert_eq!(at_path(&answer, "data.issue.fields.summary").as_deref(), Some("Disk full"));
        assert_eq!(at_path(&answer, "items[0].id").as_deref(), Some("first"));
        assert_eq!(at_path(&answer, "items.1.id").as_deref(), Some("2"));
        assert_eq!(at_path(&answer, "items[1]id").as_deref(), Some("2"));
        assert_eq!(at_path(&answer, "flag").as_deref(), Some("true"));
        assert_eq!(at_path(&answer, "a.b").as_deref(), Some("flat"));
        assert_eq!(at_path(&answer, r#"odd["x.y"]"#).as_deref(), Some("quoted"));
        assert_eq!(at_path(&answer, "odd['x.y']").as_deref(), Some("quoted"));
    }

    #[test]
    fn what_is_not_one_value_is_none() {
        let answer = json!({"id": "", "n": null, "obj": {"a": 1}, "list": [1, 2], "items": [{"id": "x"}]});
        for path in ["id", "n", "obj", "list", "missing", "items[5].id", "items.x.id", "obj.a.b", ""] {
            assert_eq!(at_path(&answer, path), None, "{path}");
        }
    }

    #[test]
    fn splits_paths_as_lodash_does() {
        assert_eq!(keys("a.b[0].c"), ["a", "b", "0", "c"]);
        assert_eq!(keys(r#"a["x\"y"].b"#), ["a", "x\"y", "b"]);
        assert_eq!(keys(".a..b"), ["", "a", "", "b"]);
    }
}
