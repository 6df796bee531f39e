//! Incident searches: the `filters` of `POST …/incidents/query_paged` (and of the older
//! `…/incidents/query`). Each filter's `conditions` must all hold (AND); an incident matches
//! when any filter does (OR); no filters match everything. A condition is
//! `{field_name, method, value}` with `field_name` a field (`name`, `plan_status`, …) or
//! `properties.<custom field>`, and `method` one of `equals`, `not_equals`, `contains`,
//! `not_contains`, `in`, `not_in`, `has_a_value`, `not_has_a_value`, `gt`, `gte`, `lt`, `lte`.

use serde_json::Value;

use super::StoredIncident;
use super::fields::find_named;

pub(super) struct Condition {
    field: String,
    method: String,
    value: Value,
}

const METHODS: [&str; 12] = [
    "equals",
    "not_equals",
    "contains",
    "not_contains",
    "in",
    "not_in",
    "has_a_value",
    "not_has_a_value",
    "gt",
    "gte",
    "lt",
    "lte",
];

/// The filters of a query body (OR of ANDs), or Resilient's message for a malformed one.
pub(super) fn parse(body: &Value) -> Result<Vec<Vec<Condition>>, String> {
    let Some(filters) = body.get("filters").filter(|f| !f.is_null()) else { return Ok(Vec::new()) };
    let filters = filters.as_array().ok_or("'filters' must be a list")?;
    let mut out = Vec::new();
    for filter in filters {
        let conditions = filter.get("conditions").and_then(Value::as_array).ok_or("A filter needs 'conditions'")?;
        let mut group = Vec::new();
        for c in conditions {
            let field = c.get("field_name").and_then(Value::as_str).ok_or("A condition needs 'field_name'")?;
            if find_named(field).is_none() {
                return Err(format!("Invalid field name: {field}"));
            }
            let method = c.get("method").and_then(Value::as_str).unwrap_or("equals");
            if !METHODS.contains(&method) {
                return Err(format!("Invalid condition method: {method}"));
            }
            let value = c.get("value").cloned().unwrap_or(Value::Null);
            group.push(Condition { field: field.to_string(), method: method.to_string(), value });
        }
        out.push(group);
    }
    Ok(out)
}

pub(super) fn matches(filters: &[Vec<Condition>], incident: &StoredIncident) -> bool {
    filters.is_empty() || filters.iter().any(|group| group.iter().all(|c| c.holds(incident)))
}

/// A scalar as text, for comparing a condition's value with a stored one.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("content").and_then(Value::as_str).map(str::to_string),
        other => Some(other.to_string()),
    }
}

impl Condition {
    fn holds(&self, incident: &StoredIncident) -> bool {
        let stored = incident.value(&self.field);
        // A multiselect holds several values; a condition on it holds for any one of them.
        let values: Vec<String> = match &stored {
            Value::Array(items) => items.iter().filter_map(text).collect(),
            other => text(other).into_iter().collect(),
        };
        let wanted = text(&self.value).unwrap_or_default();
        let listed: Vec<String> =
            self.value.as_array().map(|l| l.iter().filter_map(text).collect()).unwrap_or_default();
        let number = |s: &str| s.parse::<f64>().ok();
        let compare = |ok: fn(f64, f64) -> bool| {
            values.iter().any(|v| matches!((number(v), number(&wanted)), (Some(a), Some(b)) if ok(a, b)))
        };
        match self.method.as_str() {
            "equals" => values.contains(&wanted),
            "not_equals" => !values.contains(&wanted),
            "contains" => values.iter().any(|v| v.to_lowercase().contains(&wanted.to_lowercase())),
            "not_contains" => !values.iter().any(|v| v.to_lowercase().contains(&wanted.to_lowercase())),
            "in" => values.iter().any(|v| listed.contains(v)),
            "not_in" => !values.iter().any(|v| listed.contains(v)),
            "has_a_value" => values.iter().any(|v| !v.is_empty()),
            "not_has_a_value" => values.iter().all(String::is_empty),
            "gt" => compare(|a, b| a > b),
            "gte" => compare(|a, b| a >= b),
            "lt" => compare(|a, b| a < b),
            "lte" => compare(|a, b| a <= b),
            _ => false,
        }
    }
}
