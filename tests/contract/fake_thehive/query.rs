//! The v1 query API: `POST /api/v1/query` with `{query:[…operations]}`, run in order over the
//! organisation's cases. A pipeline starts with `listCase` or `getCase {idOrName}`, then any of
//! `filter`, `sort {_fields:[{field:"asc"|"desc"}]}`, `page {from,to}`, `comments` (the cases'
//! comments) and `count` (a bare number). A `filter` holds one expression beside `_name`:
//! `_and`/`_or` (lists), `_not`, or a comparison `_eq`, `_ne`, `_like` (case-insensitive, `*`
//! wildcards), `_gt`, `_gte`, `_lt`, `_lte` on `{_field, _value}` or `{<field>: value}`, or
//! `_in` on `{_field, _values}`. A comparison on a list field (`tags`) holds when it holds for
//! any element. The answer is the JSON array of the items (or the count).

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::{HiveState, bad_request, comment_json, no_case, object_body};
use crate::server::{Reply, Request};

enum Stream {
    /// Indexes into `cases`.
    Cases(Vec<usize>),
    /// `(case index, comment index)`.
    Comments(Vec<(usize, usize)>),
    Count(usize),
}

impl HiveState {
    pub(super) fn query(&self, org: &str, req: &Request) -> Reply {
        let body = match object_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let Some(ops) = body.get("query").and_then(Value::as_array) else {
            return bad_request("The query must be a list of operations under \"query\"");
        };
        let mut stream: Option<Stream> = None;
        for op in ops {
            let Some(name) = op.get("_name").and_then(Value::as_str) else {
                return bad_request(&format!("Operation without _name: {op}"));
            };
            stream = Some(match (name, stream.take()) {
                ("listCase", None) => {
                    Stream::Cases((0..self.cases.len()).filter(|&i| self.cases[i].organisation == org).collect())
                }
                ("getCase", None) => {
                    let id = op.get("idOrName").map(text).unwrap_or_default();
                    match self.find(org, &id) {
                        Some(i) => Stream::Cases(vec![i]),
                        None => return no_case(&id),
                    }
                }
                ("filter", Some(Stream::Cases(list))) => match filter(list, |&i| self.render(&self.cases[i]), op) {
                    Ok(list) => Stream::Cases(list),
                    Err(message) => return bad_request(&message),
                },
                ("filter", Some(Stream::Comments(list))) => match filter(list, |&c| self.comment(c), op) {
                    Ok(list) => Stream::Comments(list),
                    Err(message) => return bad_request(&message),
                },
                ("sort", Some(Stream::Cases(list))) => Stream::Cases(sort(list, |&i| self.render(&self.cases[i]), op)),
                ("sort", Some(Stream::Comments(list))) => Stream::Comments(sort(list, |&c| self.comment(c), op)),
                ("page", Some(Stream::Cases(list))) => Stream::Cases(page(list, op)),
                ("page", Some(Stream::Comments(list))) => Stream::Comments(page(list, op)),
                ("comments", Some(Stream::Cases(list))) => Stream::Comments(
                    list.into_iter().flat_map(|i| (0..self.cases[i].comments.len()).map(move |c| (i, c))).collect(),
                ),
                ("count", Some(Stream::Cases(list))) => Stream::Count(list.len()),
                ("count", Some(Stream::Comments(list))) => Stream::Count(list.len()),
                (name, _) => return bad_request(&format!("Operation {name} is not valid at this point of the query")),
            });
        }
        match stream {
            None => bad_request("The query is empty"),
            Some(Stream::Cases(list)) => {
                Reply::json(200, &Value::Array(list.iter().map(|&i| self.render(&self.cases[i])).collect()))
            }
            Some(Stream::Comments(list)) => {
                Reply::json(200, &Value::Array(list.iter().map(|&c| self.comment(c)).collect()))
            }
            Some(Stream::Count(n)) => Reply::json(200, &json!(n)),
        }
    }

    fn comment(&self, (case, comment): (usize, usize)) -> Value {
        comment_json(&self.cases[case].comments[comment])
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn filter<T>(items: Vec<T>, render: impl Fn(&T) -> Value, op: &Value) -> Result<Vec<T>, String> {
    let mut kept = Vec::new();
    for item in items {
        if holds(op, &render(&item))? {
            kept.push(item);
        }
    }
    Ok(kept)
}

/// Whether every expression in `expr` (an object; `_name` is skipped) holds for `item`.
fn holds(expr: &Value, item: &Value) -> Result<bool, String> {
    let obj = expr.as_object().ok_or_else(|| format!("A filter must be an object: {expr}"))?;
    let mut all = true;
    for (op, arg) in obj {
        let ok = match op.as_str() {
            "_name" => continue,
            "_and" | "_or" => {
                let parts = arg.as_array().ok_or_else(|| format!("{op} takes a list"))?;
                let mut results = Vec::new();
                for part in parts {
                    results.push(holds(part, item)?);
                }
                if op == "_and" { results.iter().all(|r| *r) } else { results.iter().any(|r| *r) }
            }
            "_not" => !holds(arg, item)?,
            "_in" => {
                let (field, values) = field_and(arg, "_values")?;
                let values = values.as_array().ok_or("_in takes _values: a list")?;
                each(item, &field, |have| values.iter().any(|v| equal(have, v)))
            }
            "_eq" | "_ne" | "_like" | "_gt" | "_gte" | "_lt" | "_lte" => {
                let (field, wanted) = field_and(arg, "_value")?;
                let result = each(item, &field, |have| match op.as_str() {
                    "_eq" | "_ne" => equal(have, &wanted),
                    "_like" => like(have, &wanted),
                    _ => {
                        let order = match (have.as_f64(), wanted.as_f64()) {
                            (Some(a), Some(b)) => a.partial_cmp(&b),
                            _ => Some(text(have).cmp(&text(&wanted))),
                        };
                        match op.as_str() {
                            "_gt" => order == Some(Ordering::Greater),
                            "_gte" => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
                            "_lt" => order == Some(Ordering::Less),
                            _ => matches!(order, Some(Ordering::Less | Ordering::Equal)),
                        }
                    }
                });
                if op == "_ne" { !result } else { result }
            }
            other => return Err(format!("Unknown filter operator {other}")),
        };
        all &= ok;
    }
    Ok(all)
}

/// `{_field, <key>}` or the short form `{<field>: value}`.
fn field_and(arg: &Value, key: &str) -> Result<(String, Value), String> {
    let obj = arg.as_object().ok_or_else(|| format!("Invalid comparison: {arg}"))?;
    if let Some(field) = obj.get("_field").and_then(Value::as_str) {
        return Ok((field.to_string(), obj.get(key).cloned().unwrap_or(Value::Null)));
    }
    match obj.iter().next() {
        Some((field, value)) if obj.len() == 1 => Ok((field.clone(), value.clone())),
        _ => Err(format!("Invalid comparison (expected _field and {key}): {arg}")),
    }
}

/// `test` on the field's value, or on any element when it is a list.
fn each(item: &Value, field: &str, test: impl Fn(&Value) -> bool) -> bool {
    match item.get(field).unwrap_or(&Value::Null) {
        Value::Array(values) => values.iter().any(test),
        value => test(value),
    }
}

fn equal(have: &Value, wanted: &Value) -> bool {
    match (have.as_f64(), wanted.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => have == wanted || (!have.is_null() && text(have) == text(wanted)),
    }
}

/// Without `*` a substring match; with it, `*` stands for any run of characters.
fn like(have: &Value, pattern: &Value) -> bool {
    let (have, pattern) = (text(have).to_lowercase(), text(pattern).to_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else { return have.contains(&pattern) };
    let Some(mut rest) = have.strip_prefix(first) else { return false };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

fn sort<T>(mut items: Vec<T>, render: impl Fn(&T) -> Value, op: &Value) -> Vec<T> {
    let keys: Vec<(String, bool)> = op
        .get("_fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(Map::iter)
        .map(|(field, order)| (field.clone(), order.as_str() == Some("desc")))
        .collect();
    items.sort_by(|a, b| {
        let (a, b) = (render(a), render(b));
        keys.iter()
            .map(|(field, desc)| {
                let (x, y) = (a.get(field).unwrap_or(&Value::Null), b.get(field).unwrap_or(&Value::Null));
                let o = match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    _ => text(x).cmp(&text(y)),
                };
                if *desc { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    items
}

fn page<T>(items: Vec<T>, op: &Value) -> Vec<T> {
    let from = op.get("from").and_then(Value::as_u64).unwrap_or(0) as usize;
    let to = op.get("to").and_then(Value::as_u64).map_or(usize::MAX, |t| t as usize);
    items.into_iter().skip(from).take(to.saturating_sub(from)).collect()
}
