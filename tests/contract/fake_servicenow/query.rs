//! Encoded queries: terms joined by `^` (AND); a term starting `OR` joins the one before it
//! (`^OR` binds tighter than `^`); `ORDERBY<f>` / `ORDERBYDESC<f>` sort. Conditions: `=`, `!=`,
//! `LIKE`, `NOT LIKE`, `STARTSWITH`, `ENDSWITH`, `IN`, `NOT IN`, `ISEMPTY`, `ISNOTEMPTY`. As
//! ServiceNow does, a term it cannot read is ignored (so it matches everything).

use serde_json::{Map, Value};

use super::sn_string;

enum Condition {
    Eq(String, String),
    NotEq(String, String),
    Like(String, String),
    NotLike(String, String),
    StartsWith(String, String),
    EndsWith(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    IsEmpty(String),
    IsNotEmpty(String),
}

impl Condition {
    fn parse(term: &str) -> Option<Condition> {
        let split = term.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'))?;
        let (field, rest) = term.split_at(split);
        if field.is_empty() {
            return None;
        }
        let f = field.to_string();
        let list = |v: &str| v.split(',').map(str::to_string).collect::<Vec<_>>();
        let condition = if let Some(v) = rest.strip_prefix("!=") {
            Condition::NotEq(f, v.into())
        } else if let Some(v) = rest.strip_prefix('=') {
            Condition::Eq(f, v.into())
        } else if let Some(v) = rest.strip_prefix("NOT LIKE") {
            Condition::NotLike(f, v.into())
        } else if let Some(v) = rest.strip_prefix("LIKE") {
            Condition::Like(f, v.into())
        } else if let Some(v) = rest.strip_prefix("STARTSWITH") {
            Condition::StartsWith(f, v.into())
        } else if let Some(v) = rest.strip_prefix("ENDSWITH") {
            Condition::EndsWith(f, v.into())
        } else if let Some(v) = rest.strip_prefix("NOT IN") {
            Condition::NotIn(f, list(v))
        } else if let Some(v) = rest.strip_prefix("IN") {
            Condition::In(f, list(v))
        } else if rest == "ISEMPTY" {
            Condition::IsEmpty(f)
        } else if rest == "ISNOTEMPTY" {
            Condition::IsNotEmpty(f)
        } else {
            return None;
        };
        Some(condition)
    }

    pub(super) fn matches(&self, row: &Map<String, Value>) -> bool {
        let get = |f: &str| row.get(f).map(sn_string).unwrap_or_default();
        let lower = |s: &str| s.to_lowercase();
        match self {
            Condition::Eq(f, v) => get(f) == *v,
            Condition::NotEq(f, v) => get(f) != *v,
            Condition::Like(f, v) => lower(&get(f)).contains(&lower(v)),
            Condition::NotLike(f, v) => !lower(&get(f)).contains(&lower(v)),
            Condition::StartsWith(f, v) => lower(&get(f)).starts_with(&lower(v)),
            Condition::EndsWith(f, v) => lower(&get(f)).ends_with(&lower(v)),
            Condition::In(f, vs) => vs.contains(&get(f)),
            Condition::NotIn(f, vs) => !vs.contains(&get(f)),
            Condition::IsEmpty(f) => get(f).is_empty(),
            Condition::IsNotEmpty(f) => !get(f).is_empty(),
        }
    }
}

pub(super) struct EncodedQuery {
    /// AND of ORs.
    groups: Vec<Vec<Condition>>,
    /// `(field, descending)`.
    order: Vec<(String, bool)>,
}

impl EncodedQuery {
    pub(super) fn parse(query: &str) -> EncodedQuery {
        let mut groups: Vec<Vec<Condition>> = Vec::new();
        let mut order = Vec::new();
        for term in query.split('^').map(str::trim).filter(|t| !t.is_empty()) {
            if let Some(field) = term.strip_prefix("ORDERBYDESC") {
                order.push((field.to_string(), true));
            } else if let Some(field) = term.strip_prefix("ORDERBY") {
                order.push((field.to_string(), false));
            } else if let Some(alternative) = term.strip_prefix("OR") {
                match (Condition::parse(alternative), groups.last_mut()) {
                    (Some(c), Some(group)) => group.push(c),
                    (Some(c), None) => groups.push(vec![c]),
                    (None, _) => {}
                }
            } else if let Some(c) = Condition::parse(term) {
                groups.push(vec![c]);
            }
        }
        EncodedQuery { groups, order }
    }

    pub(super) fn matches(&self, row: &Map<String, Value>) -> bool {
        self.groups.iter().all(|group| group.iter().any(|c| c.matches(row)))
    }

    /// Rows in creation order, sorted; equal keys keep creation order, or its reverse when the
    /// first key is descending (so `ORDERBYDESCsys_created_on` puts the latest first even
    /// within one second).
    pub(super) fn sort(&self, rows: &mut [Map<String, Value>]) {
        if self.order.first().is_some_and(|(_, desc)| *desc) {
            rows.reverse();
        }
        rows.sort_by(|a, b| {
            self.order
                .iter()
                .map(|(field, desc)| {
                    let key = |r: &Map<String, Value>| r.get(field).map(sn_string).unwrap_or_default();
                    let o = key(a).cmp(&key(b));
                    if *desc { o.reverse() } else { o }
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_servicenow::system_tables::choices;

    #[test]
    fn encoded_queries_bind_or_tighter_than_and() {
        let q = EncodedQuery::parse("name=task^ORname=incident^element=urgency^ORelement=category^language=en");
        assert_eq!(q.groups.len(), 3);
        let rows = choices();
        let hits: Vec<_> = rows.iter().filter(|r| q.matches(r)).collect();
        assert_eq!(hits.len(), 6);
        let q = EncodedQuery::parse("ORDERBYDESCsys_created_on^correlation_id=abc^nonsense");
        assert_eq!((q.groups.len(), q.order.as_slice()), (1, [("sys_created_on".to_string(), true)].as_slice()));
    }
}
