//! The incident fields the fake knows (what `GET …/types/incident/fields` lists), and how a
//! value given for one is read: the loose forms a create accepts, the typed forms of a PATCH
//! (`{text}`, `{textarea:{format,content}}`, `{ids:[n]}`, `{id:n}`, …) and raw values.

use serde_json::{Value, json};

use super::CASE_ID_FIELD;

/// One field of the incident type. `prefix` is `Some("properties")` for custom fields, which an
/// incident carries under `properties`.
pub(super) struct FieldDef {
    pub(super) name: &'static str,
    pub(super) input_type: &'static str,
    pub(super) text: &'static str,
    /// `"always"` or none, as Resilient marks fields required on create.
    pub(super) required: Option<&'static str>,
    pub(super) read_only: bool,
    pub(super) prefix: Option<&'static str>,
}

const fn field(name: &'static str, input_type: &'static str, text: &'static str) -> FieldDef {
    FieldDef { name, input_type, text, required: None, read_only: false, prefix: None }
}

const fn read_only(mut f: FieldDef) -> FieldDef {
    f.read_only = true;
    f
}

const fn required(mut f: FieldDef) -> FieldDef {
    f.required = Some("always");
    f
}

const fn custom(mut f: FieldDef) -> FieldDef {
    f.prefix = Some("properties");
    f
}

pub(super) static FIELDS: [FieldDef; 13] = [
    read_only(field("id", "number", "ID")),
    required(field("name", "text", "Name")),
    field("description", "textarea", "Description"),
    required(field("discovered_date", "datetimepicker", "Date Identified")),
    read_only(field("create_date", "datetimepicker", "Date Created")),
    read_only(field("inc_last_modified_date", "datetimepicker", "Last Modified")),
    field("start_date", "datetimepicker", "Date Occurred"),
    field("incident_type_ids", "multiselect", "Incident Type"),
    field("severity_code", "select", "Severity"),
    field("plan_status", "select", "Status"),
    field("confirmed", "boolean", "Confirmed"),
    field("resolution_summary", "textarea", "Resolution Summary"),
    custom(field(CASE_ID_FIELD, "text", "Casebook case ID")),
];

/// `(value, label)` of `incident_type_ids`.
pub(super) static INCIDENT_TYPES: [(i64, &str); 6] = [
    (16, "TBD / Unknown"),
    (17, "Communication error (fax; email)"),
    (19, "Malware"),
    (20, "Phishing"),
    (21, "Denial of Service"),
    (1001, "Ransomware"),
];

/// `(value, label)` of `severity_code`.
pub(super) static SEVERITIES: [(i64, &str); 3] = [(4, "Low"), (5, "Medium"), (6, "High")];

/// `(value, label)` of `plan_status`.
pub(super) static PLAN_STATUSES: [(&str, &str); 2] = [("A", "Active"), ("C", "Closed")];

pub(super) fn find(name: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.name == name)
}

/// A field named as a PATCH or a query names it: `name`, or `properties.<name>` for a custom
/// field (which PATCH may also name bare).
pub(super) fn find_named(name: &str) -> Option<&'static FieldDef> {
    match name.strip_prefix("properties.") {
        Some(custom) => FIELDS.iter().find(|f| f.prefix.is_some() && f.name == custom),
        None => find(name),
    }
}

fn choice_values(f: &FieldDef) -> Vec<Value> {
    let choice = |value: Value, label: &str, i: usize| {
        json!({"value": value, "label": label, "enabled": true, "properties": null, "hidden": false,
            "default": false, "uuid": format!("6b3c5b8e-4f0a-4d6e-9a1b-{:012x}", i)})
    };
    match f.name {
        "incident_type_ids" => INCIDENT_TYPES.iter().enumerate().map(|(i, (v, l))| choice(json!(v), l, i)).collect(),
        "severity_code" => SEVERITIES.iter().enumerate().map(|(i, (v, l))| choice(json!(v), l, 100 + i)).collect(),
        "plan_status" => PLAN_STATUSES.iter().enumerate().map(|(i, (v, l))| choice(json!(v), l, 200 + i)).collect(),
        _ => Vec::new(),
    }
}

/// A field as `GET …/types/incident/fields[/name]` describes it.
pub(super) fn field_json(f: &FieldDef, index: usize) -> Value {
    json!({
        "id": 1000 + index,
        "name": f.name,
        "text": f.text,
        "input_type": f.input_type,
        "read_only": f.read_only,
        "required": f.required,
        "prefix": f.prefix,
        "internal": f.prefix.is_none(),
        "blank_option": f.input_type == "select",
        "values": choice_values(f),
        "type_id": 0,
        "tooltip": "",
        "templates": [],
        "deprecated": false,
    })
}

/// The `{values:[…]}` of a choice field (`GET …/types/incident/fields/<name>`).
pub(super) fn field_with_values(name: &str) -> Option<Value> {
    let (index, f) = FIELDS.iter().enumerate().find(|(_, f)| f.name == name)?;
    Some(field_json(f, index))
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// A choice given by `{id}`, `{name}`, a number or a label.
fn choice_id(v: &Value, choices: &[(i64, &str)]) -> Option<i64> {
    let by_label = |label: &str| choices.iter().find(|(_, l)| l.eq_ignore_ascii_case(label)).map(|(v, _)| *v);
    let id = match v {
        Value::Object(o) => match (o.get("id"), o.get("name")) {
            (Some(id), _) => int(id)?,
            (None, Some(Value::String(name))) => by_label(name)?,
            _ => return None,
        },
        Value::String(s) => s.parse().ok().or_else(|| by_label(s))?,
        other => int(other)?,
    };
    choices.iter().any(|(v, _)| *v == id).then_some(id)
}

/// The stored value for `f` given `v` in any accepted form; the message when it is not one.
/// Stored forms: text → string, textarea → `{format,content}`, multiselect → `[n]`, select →
/// `n` (plan_status: `"A"`/`"C"`), boolean → bool, datetimepicker → epoch ms; null clears.
pub(super) fn normalise(f: &FieldDef, v: &Value) -> Result<Value, String> {
    let invalid = || format!("Invalid value for field '{}': {v}", f.name);
    // The typed wrapper of a PATCH value, unwrapped.
    let key = match f.input_type {
        "text" => "text",
        "textarea" => "textarea",
        "multiselect" => "ids",
        "select" => "id",
        "boolean" => "boolean",
        "datetimepicker" => "date",
        _ => "number",
    };
    let unwrapped = match v {
        Value::Object(o) if o.len() == 1 && o.contains_key(key) && key != "id" => &o[key],
        other => other,
    };
    if unwrapped.is_null() {
        return Ok(Value::Null);
    }
    match f.input_type {
        "text" => unwrapped.as_str().map(|s| json!(s)).ok_or_else(invalid),
        "textarea" => match unwrapped {
            Value::String(s) => Ok(json!({"format": "html", "content": s})),
            Value::Object(o) => {
                let format = o.get("format").and_then(Value::as_str).unwrap_or("html");
                if !["html", "text"].contains(&format) {
                    return Err(invalid());
                }
                match o.get("content") {
                    Some(Value::String(content)) => Ok(json!({"format": format, "content": content})),
                    None | Some(Value::Null) => Ok(Value::Null),
                    Some(_) => Err(invalid()),
                }
            }
            _ => Err(invalid()),
        },
        "multiselect" => {
            let items = unwrapped.as_array().ok_or_else(invalid)?;
            let mut ids = Vec::new();
            for item in items {
                ids.push(choice_id(item, &INCIDENT_TYPES).ok_or_else(invalid)?);
            }
            ids.sort_unstable();
            ids.dedup();
            Ok(json!(ids))
        }
        "select" if f.name == "plan_status" => {
            let code = match unwrapped {
                Value::Object(o) => o.get("id").or_else(|| o.get("name")).and_then(Value::as_str),
                Value::String(s) => Some(s.as_str()),
                _ => None,
            };
            let found = PLAN_STATUSES.iter().find(|(v, l)| code.is_some_and(|c| c == *v || c.eq_ignore_ascii_case(l)));
            found.map(|(v, _)| json!(v)).ok_or_else(invalid)
        }
        "select" => choice_id(unwrapped, &SEVERITIES).map(|id| json!(id)).ok_or_else(invalid),
        "boolean" => unwrapped.as_bool().map(Value::Bool).ok_or_else(invalid),
        _ => int(unwrapped).map(|n| json!(n)).ok_or_else(invalid),
    }
}

/// Whether two stored values of `f` are the same for optimistic concurrency: a textarea by its
/// content (an empty one equals none), a multiselect as a set, anything else exactly.
pub(super) fn same(f: &FieldDef, a: &Value, b: &Value) -> bool {
    match f.input_type {
        "textarea" => {
            let content = |v: &Value| v.get("content").and_then(Value::as_str).unwrap_or("").to_string();
            content(a) == content(b)
        }
        "multiselect" => {
            let set = |v: &Value| {
                let mut ids: Vec<i64> = v.as_array().map(|a| a.iter().filter_map(int).collect()).unwrap_or_default();
                ids.sort_unstable();
                ids
            };
            set(a) == set(b)
        }
        _ => a == b,
    }
}

/// A stored value in the typed form a PATCH names it (for `actual_current_value`).
pub(super) fn typed(f: &FieldDef, v: &Value) -> Value {
    match f.input_type {
        "text" => json!({"text": v}),
        "textarea" => json!({"textarea": v}),
        "multiselect" => json!({"ids": v}),
        "select" => json!({"id": v}),
        "boolean" => json!({"boolean": v}),
        "datetimepicker" => json!({"date": v}),
        _ => json!({"number": v}),
    }
}
