//! A case's connector fields, in Kibana's names: Jira `issueType`, `priority`, `parent`;
//! ServiceNow ITSM `urgency`, `severity`, `impact`, `category`, `subcategory`; SecOps
//! `category`, `subcategory`, `priority` and the observable switches `destIp`, `sourceIp`,
//! `malwareHash`, `malwareUrl`. Values are checked against the connector's cached choices
//! (a label is accepted for its value) so a push does not fail on a typo hours later.

use serde_json::{Map, Value};

use crate::model::*;
use crate::{Error, Result};

/// The choice fields of a kind, each with where its choices are cached.
pub(crate) fn choice_fields(kind: ConnectorKind) -> &'static [&'static str] {
    match kind {
        ConnectorKind::Jira => &["issueType", "priority", "parent"],
        ConnectorKind::ServicenowItsm => &["urgency", "severity", "impact", "category", "subcategory"],
        ConnectorKind::ServicenowSir => &["category", "subcategory", "priority"],
    }
}

/// SecOps switches: collect these observables from the case's alerts.
pub(crate) const OBSERVABLE_SWITCHES: [&str; 4] = ["destIp", "sourceIp", "malwareHash", "malwareUrl"];

fn choices<'a>(meta: &'a ConnectorMetadata, field: &str) -> &'a [Choice] {
    match field {
        "issueType" => &meta.issue_types,
        "priority" => &meta.priorities,
        "parent" => &meta.parents,
        "urgency" => &meta.urgencies,
        "severity" => &meta.severities,
        "impact" => &meta.impacts,
        "category" => &meta.categories,
        "subcategory" => &meta.subcategories,
        _ => &[],
    }
}

/// `issue_type`, `issue-type`, `IssueType` → `issueType`.
fn canonical(kind: ConnectorKind, name: &str) -> Option<&'static str> {
    let squashed: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let switches: &[&'static str] = if kind == ConnectorKind::ServicenowSir { &OBSERVABLE_SWITCHES } else { &[] };
    choice_fields(kind).iter().chain(switches).copied().find(|f| f.to_ascii_lowercase() == squashed)
}

fn allowed(kind: ConnectorKind) -> String {
    let mut names: Vec<&str> = choice_fields(kind).to_vec();
    if kind == ConnectorKind::ServicenowSir {
        names.extend(OBSERVABLE_SWITCHES);
    }
    names.join(", ")
}

/// Checks and normalises fields for `connector`: known names only, values from the cached
/// choices when there are any, switches as booleans. Empty values are dropped.
pub(crate) fn check(connector: &Connector, given: &Value) -> Result<Value> {
    let kind = connector.kind;
    let Some(given) = given.as_object() else {
        if given.is_null() {
            return Ok(Value::Object(Map::new()));
        }
        return Err(Error::validation("fields", "must be an object of field names and values"));
    };
    let mut out = Map::new();
    for (name, value) in given {
        let Some(field) = canonical(kind, name) else {
            return Err(Error::validation(
                format!("fields.{name}"),
                format!("is not a {} field; use one of {}", kind.label(), allowed(kind)),
            ));
        };
        if OBSERVABLE_SWITCHES.contains(&field) {
            let on = match value {
                Value::Bool(b) => *b,
                Value::Null => false,
                Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "on" | "1" => true,
                    "false" | "no" | "off" | "0" | "" => false,
                    _ => {
                        return Err(Error::validation(
                            format!("fields.{field}"),
                            format!("must be true or false (got {s:?})"),
                        ));
                    }
                },
                _ => return Err(Error::validation(format!("fields.{field}"), "must be true or false")),
            };
            if on {
                out.insert(field.into(), Value::Bool(true));
            }
            continue;
        }
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => return Err(Error::validation(format!("fields.{field}"), "must be text")),
        };
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > 256 {
            return Err(Error::validation(format!("fields.{field}"), "must be at most 256 characters"));
        }
        let list = connector.metadata.as_ref().map(|m| choices(m, field)).unwrap_or(&[]);
        // Parents are only the recent issues; any other issue key is accepted as typed.
        let value = if list.is_empty() || field == "parent" {
            list.iter().find(|c| c.value.eq_ignore_ascii_case(&text)).map(|c| c.value.clone()).unwrap_or(text)
        } else {
            match list
                .iter()
                .find(|c| c.value == text)
                .or_else(|| list.iter().find(|c| c.label.eq_ignore_ascii_case(&text)))
            {
                Some(c) => c.value.clone(),
                None => {
                    let mut offered: Vec<String> = list.iter().map(|c| c.label.clone()).collect();
                    offered.dedup();
                    return Err(Error::validation(
                        format!("fields.{field}"),
                        format!(
                            "{text:?} is not offered by {}; choose one of: {} (refresh the connector's choices if the list is outdated)",
                            connector.name,
                            offered.join(", ")
                        ),
                    ));
                }
            }
        };
        out.insert(field.into(), Value::String(value));
    }
    // A subcategory belongs to a category.
    if let (Some(meta), Some(Value::String(sub))) = (&connector.metadata, out.get("subcategory")) {
        let category = out.get("category").and_then(Value::as_str);
        let fits = meta
            .subcategories
            .iter()
            .any(|c| &c.value == sub && (c.depends_on.is_none() || c.depends_on.as_deref() == category));
        if !meta.subcategories.is_empty() && !fits {
            return Err(Error::validation(
                "fields.subcategory",
                format!(
                    "{sub:?} is not a subcategory of {}; choose the category first",
                    category.map(|c| format!("category {c:?}")).unwrap_or_else(|| "no category".into())
                ),
            ));
        }
    }
    Ok(Value::Object(out))
}

/// `KEY=VALUE` pairs from the command line as a fields object.
pub fn from_pairs(pairs: &[String]) -> Result<Value> {
    let mut out = Map::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(Error::validation("field", format!("must be NAME=VALUE, e.g. priority=High (got {pair:?})")));
        };
        out.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn choice(value: &str, label: &str, depends_on: Option<&str>) -> Choice {
        Choice { value: value.into(), label: label.into(), depends_on: depends_on.map(str::to_string) }
    }

    fn itsm() -> Connector {
        Connector {
            id: "k".into(),
            space: "default".into(),
            name: "SNOW".into(),
            kind: ConnectorKind::ServicenowItsm,
            url: "https://x.service-now.com".into(),
            project_key: None,
            mode: Some(ServiceNowMode::ImportSet),
            auth: ConnectorAuth::Basic,
            username: Some("u".into()),
            secret_stored: true,
            metadata: Some(ConnectorMetadata {
                urgencies: vec![choice("1", "1 - High", None), choice("2", "2 - Medium", None)],
                categories: vec![choice("network", "Network", None), choice("software", "Software", None)],
                subcategories: vec![choice("dns", "DNS", Some("network")), choice("email", "Email", Some("software"))],
                ..Default::default()
            }),
            metadata_fetched_at: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn labels_become_values_and_names_are_normalised() {
        let out =
            check(&itsm(), &json!({"Urgency": "1 - high", "category": "Network", "sub_category": "dns"})).unwrap();
        assert_eq!(out, json!({"urgency": "1", "category": "network", "subcategory": "dns"}));
    }

    #[test]
    fn unknown_names_values_and_wrong_subcategories_are_refused_with_the_choices() {
        let e = check(&itsm(), &json!({"issueType": "Bug"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "fields.issueType: is not a ServiceNow ITSM field; use one of urgency, severity, impact, category, subcategory"
        );
        let e = check(&itsm(), &json!({"urgency": "9"})).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("fields.urgency: \"9\" is not offered by SNOW; choose one of: 1 - High, 2 - Medium"),
            "{e}"
        );
        let e = check(&itsm(), &json!({"category": "software", "subcategory": "dns"})).unwrap_err();
        assert!(
            e.to_string().starts_with("fields.subcategory: \"dns\" is not a subcategory of category \"software\""),
            "{e}"
        );
    }

    #[test]
    fn secops_switches_are_booleans() {
        let mut sir = itsm();
        sir.kind = ConnectorKind::ServicenowSir;
        let out = check(&sir, &json!({"dest_ip": "yes", "malwareHash": true, "sourceIp": "no"})).unwrap();
        assert_eq!(out, json!({"destIp": true, "malwareHash": true}));
        assert!(check(&sir, &json!({"destIp": "maybe"})).is_err());
    }

    #[test]
    fn pairs_need_an_equals_sign() {
        assert_eq!(from_pairs(&["priority = High".into()]).unwrap(), json!({"priority": "High"}));
        assert_eq!(from_pairs(&["priority".into()]).unwrap_err().code(), "validation");
    }
}
