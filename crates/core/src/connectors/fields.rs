//! A case's connector fields, in Kibana's names: Jira `issueType`, `priority`, `parent`;
//! ServiceNow ITSM `urgency`, `severity`, `impact`, `category`, `subcategory`; SecOps
//! `category`, `subcategory`, `priority` and the observable switches `destIp`, `sourceIp`,
//! `malwareHash`, `malwareUrl`. Values are checked against the connector's cached choices
//! (a label is accepted for its value) so a push does not fail on a typo hours later. Without
//! cached choices a value is kept as typed and [`resolve`]d when the case is pushed.

use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::model::*;
use crate::{Error, Result};

/// A connector field whose value is one of the system's choices, as the case forms offer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ChoiceField {
    /// Kibana's name, as a case's `connector.fields` holds it: `issueType`, `urgency`.
    pub name: &'static str,
    /// How the forms label it.
    pub label: &'static str,
    /// Where the connector's cached choices for it are.
    #[ts(
        type = "{ [K in keyof ConnectorMetadata]: ConnectorMetadata[K] extends Choice[] ? K : never }[keyof ConnectorMetadata]"
    )]
    pub list: &'static str,
    /// The system takes only a choice's value (an id), never the name a user typed.
    pub must_be_id: bool,
    /// Any value is accepted; the choices only suggest (Jira's parent: any issue key).
    pub free_text: bool,
    /// Several choices in one comma-separated value (Resilient's incident types), each checked
    /// and resolved alone. Kept as text so a case's fields stay strings, as Kibana's are.
    pub multiple: bool,
    /// What the form shows for no choice: what the system then gets (`Not set`, or TheHive's
    /// `Not set: AMBER`).
    pub unset: &'static str,
}

/// A ServiceNow SecOps switch: collect these observables of the case's alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SwitchField {
    /// Kibana's name: `destIp`.
    pub name: &'static str,
    pub label: &'static str,
}

pub(crate) const fn choice(name: &'static str, label: &'static str, list: &'static str) -> ChoiceField {
    ChoiceField { name, label, list, must_be_id: false, free_text: false, multiple: false, unset: "Not set" }
}

/// The choice fields of a kind, in Kibana's order (the bindings give the UI this very list).
pub fn choice_fields(kind: ConnectorKind) -> &'static [ChoiceField] {
    super::spec(kind).choice_fields
}

/// A field whose value is a JSON object of the system's own fields, merged into what is sent
/// (Jira's `otherFields`, ServiceNow's `additionalFields`, as Kibana 9.2/9.3 have them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct JsonField {
    /// Kibana's name, as a case's `connector.fields` holds it.
    pub name: &'static str,
    pub label: &'static str,
    /// Most keys one case may set.
    pub max_keys: usize,
    /// Keys Casebook itself sends (title, description, the case's mark…), refused here.
    pub reserved: &'static [&'static str],
}

/// Kibana's limit on additional fields (`MAX_OTHER_FIELDS_LENGTH`).
pub const MAX_ADDITIONAL_FIELDS: usize = 20;

/// The JSON fields of a kind.
pub fn json_fields(kind: ConnectorKind) -> &'static [JsonField] {
    super::spec(kind).json_fields
}

/// SecOps switches: collect these observables from the case's alerts.
pub const OBSERVABLE_SWITCHES: &[SwitchField] = &[
    SwitchField { name: "destIp", label: "Destination IPs" },
    SwitchField { name: "sourceIp", label: "Source IPs" },
    SwitchField { name: "malwareHash", label: "Malware hashes" },
    SwitchField { name: "malwareUrl", label: "Malware URLs" },
];

fn is_switch(field: &str) -> bool {
    OBSERVABLE_SWITCHES.iter().any(|s| s.name == field)
}

/// The cached choices of `field`, found through its [`ChoiceField::list`].
fn choices<'a>(meta: &'a ConnectorMetadata, kind: ConnectorKind, field: &str) -> &'a [Choice] {
    let list = spec_of(kind, field).map_or("", |f| f.list);
    match list {
        "issue_types" => &meta.issue_types,
        "priorities" => &meta.priorities,
        "parents" => &meta.parents,
        "urgencies" => &meta.urgencies,
        "severities" => &meta.severities,
        "impacts" => &meta.impacts,
        "categories" => &meta.categories,
        "subcategories" => &meta.subcategories,
        "incident_types" => &meta.incident_types,
        "tlps" => &meta.tlps,
        _ => &[],
    }
}

fn spec_of(kind: ConnectorKind, field: &str) -> Option<&'static ChoiceField> {
    choice_fields(kind).iter().find(|f| f.name == field)
}

/// `issue_type`, `issue-type`, `IssueType` → `issueType`.
fn canonical(kind: ConnectorKind, name: &str) -> Option<&'static str> {
    let squashed: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    names(kind).find(|f| f.to_ascii_lowercase() == squashed)
}

/// Every field name of a kind: its choice fields, then SecOps' switches.
fn names(kind: ConnectorKind) -> impl Iterator<Item = &'static str> {
    choice_fields(kind)
        .iter()
        .map(|f| f.name)
        .chain(super::spec(kind).switches.iter().map(|s| s.name))
        .chain(json_fields(kind).iter().map(|f| f.name))
}

fn allowed(kind: ConnectorKind) -> String {
    names(kind).collect::<Vec<_>>().join(", ")
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
        if let Some(spec) = json_fields(kind).iter().find(|f| f.name == field) {
            if let Some(object) = json_object(connector, spec, value)? {
                out.insert(field.into(), Value::Object(object));
            }
            continue;
        }
        if is_switch(field) {
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
        let value = if spec_of(kind, field).is_some_and(|f| f.multiple) {
            let mut values: Vec<String> = Vec::new();
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let value = check_choice(connector, field, part)?;
                if !values.contains(&value) {
                    values.push(value);
                }
            }
            values.join(",")
        } else {
            check_choice(connector, field, &text)?
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

/// One value of a choice field: the cached choice's value (a label is accepted for it), or the
/// value as typed when there are no cached choices or the field takes any value.
fn check_choice(connector: &Connector, field: &str, text: &str) -> Result<String> {
    let kind = connector.kind;
    let text = text.to_string();
    if text.chars().count() > 256 {
        return Err(Error::validation(format!("fields.{field}"), "must be at most 256 characters"));
    }
    let list = connector.metadata.as_ref().map(|m| choices(m, kind, field)).unwrap_or(&[]);
    let free = spec_of(kind, field).is_some_and(|f| f.free_text);
    Ok(if list.is_empty() || free {
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
    })
}

/// A JSON field's value as an object: text is parsed, empty is none. Its keys are checked
/// against the system's fields when they were fetched (`metadata.fields`).
fn json_object(connector: &Connector, spec: &JsonField, value: &Value) -> Result<Option<Map<String, Value>>> {
    let field = format!("fields.{}", spec.name);
    let parsed = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => serde_json::from_str::<Value>(s).map_err(|e| {
            Error::validation(
                field.clone(),
                format!("is not JSON: {e} (write an object such as {{\"customfield_10010\": \"x\"}})"),
            )
        })?,
        other => other.clone(),
    };
    let Value::Object(object) = parsed else {
        return Err(Error::validation(field, "must be a JSON object of field names and values"));
    };
    if object.is_empty() {
        return Ok(None);
    }
    if object.len() > spec.max_keys {
        return Err(Error::validation(
            field,
            format!("may set at most {} fields (got {})", spec.max_keys, object.len()),
        ));
    }
    if let Some(key) = object.keys().find(|k| spec.reserved.contains(&k.as_str())) {
        return Err(Error::validation(
            field,
            format!("cannot set {key:?}: Casebook sends it from the case; leave it out of the additional fields"),
        ));
    }
    let known = connector.metadata.as_ref().map(|m| m.fields.as_slice()).unwrap_or(&[]);
    check_keys(connector, spec, &object, known)?;
    Ok(Some(object))
}

/// Every key a field of the system that can be written, when the system's fields are known.
fn check_keys(
    connector: &Connector,
    spec: &JsonField,
    object: &Map<String, Value>,
    known: &[RemoteField],
) -> Result<()> {
    if known.is_empty() {
        return Ok(());
    }
    for key in object.keys() {
        match known.iter().find(|f| &f.id == key) {
            None => {
                let mut names: Vec<&str> = known.iter().filter(|f| !f.read_only).map(|f| f.id.as_str()).collect();
                names.sort_unstable();
                names.truncate(30);
                return Err(Error::validation(
                    format!("fields.{}", spec.name),
                    format!(
                        "{key:?} is not a field {} offers; its fields include {} (refresh the connector's choices if the list is outdated)",
                        connector.name,
                        names.join(", ")
                    ),
                ));
            }
            Some(f) if f.read_only => {
                return Err(Error::validation(
                    format!("fields.{}", spec.name),
                    format!("{key:?} ({}) is read-only in {}", f.label, connector.name),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// What [`resolve`] made of a case's fields.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolved {
    /// Every choice as the system takes it: the id or value, never the label.
    Fields(Value),
    /// A value is not among the cached choices (never fetched, or outdated): fetch them and
    /// resolve again.
    Fetch,
}

/// The case's fields as the push sends them. A value saved while the choices were not fetched
/// is what the user typed (`issueType=Task`, `urgency=High`): it is looked up here by value,
/// then by label, so a name is never sent where the system expects an id. With `fresh`
/// choices, a value they do not offer is refused with the list; a field whose list the system
/// does not give is sent as typed, except Jira's issue type, which must be an id.
pub(crate) fn resolve(
    connector: &Connector,
    meta: Option<&ConnectorMetadata>,
    given: &Value,
    fresh: bool,
) -> Result<Resolved> {
    let Some(given) = given.as_object() else { return Ok(Resolved::Fields(given.clone())) };
    for spec in json_fields(connector.kind) {
        let Some(Value::Object(object)) = given.get(spec.name) else { continue };
        let known = meta.map(|m| m.fields.as_slice()).unwrap_or(&[]);
        if !fresh && (known.is_empty() || check_keys(connector, spec, object, known).is_err()) {
            return Ok(Resolved::Fetch);
        }
        // Fresh and still no field list (the account may not read it): sent unchecked.
        check_keys(connector, spec, object, known)?;
    }
    let mut out = given.clone();
    for spec in choice_fields(connector.kind) {
        let field = spec.name;
        if spec.free_text {
            continue; // sent as typed
        }
        let Some(text) = given.get(field).and_then(Value::as_str) else { continue };
        let parts: Vec<&str> =
            if spec.multiple { text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect() } else { vec![text] };
        let mut values: Vec<String> = Vec::new();
        for part in parts {
            let category = out.get("category").and_then(Value::as_str).map(str::to_string);
            let Some(value) = resolve_one(connector, meta, spec, part, category, fresh)? else {
                return Ok(Resolved::Fetch);
            };
            if !values.contains(&value) {
                values.push(value);
            }
        }
        out.insert(field.into(), Value::String(values.join(",")));
    }
    Ok(Resolved::Fields(Value::Object(out)))
}

/// One value of a choice field as the system takes it; `None` when the choices must be fetched
/// first; the value as typed when the system gives no list for the field.
fn resolve_one(
    connector: &Connector,
    meta: Option<&ConnectorMetadata>,
    spec: &ChoiceField,
    text: &str,
    category: Option<String>,
    fresh: bool,
) -> Result<Option<String>> {
    let field = spec.name;
    let list = meta.map(|m| choices(m, connector.kind, field)).unwrap_or(&[]);
    let fits = |c: &&Choice| field != "subcategory" || c.depends_on.is_none() || c.depends_on == category;
    let found = list
        .iter()
        .filter(fits)
        .find(|c| c.value == text)
        .or_else(|| list.iter().filter(fits).find(|c| c.label.eq_ignore_ascii_case(text)))
        .or_else(|| list.iter().filter(fits).find(|c| c.value.eq_ignore_ascii_case(text)));
    if let Some(choice) = found {
        return Ok(Some(choice.value.clone()));
    }
    let must_be_id = spec.must_be_id;
    if !fresh && (meta.is_none() || !list.is_empty() || must_be_id) {
        return Ok(None);
    }
    if list.is_empty() && !must_be_id {
        return Ok(Some(text.to_string())); // the system gives no list for it: sent as typed
    }
    let mut offered: Vec<String> = list.iter().map(|c| c.label.clone()).collect();
    offered.dedup();
    let offered =
        if offered.is_empty() { "none (the system offers no choices)".to_string() } else { offered.join(", ") };
    Err(Error::validation(
        format!("fields.{field}"),
        format!(
            "{text:?} is not offered by {}; choose one of: {offered} (casebook case set-connector, or the case's External incident panel)",
            connector.name
        ),
    ))
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
            settings: ConnectorSettings::ServicenowItsm(crate::connectors::servicenow::ServiceNowSettings {
                mode: ServiceNowMode::ImportSet,
                username: "u".into(),
            }),
            target: String::new(),
            account: None,
            secret_label: String::new(),
            secret_stored: true,
            stored_secrets: Vec::new(),
            secret_unreadable: None,
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
            "fields.issueType: is not a ServiceNow ITSM field; use one of urgency, severity, impact, category, subcategory, additionalFields"
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
        let ConnectorSettings::ServicenowItsm(settings) = sir.settings else { unreachable!() };
        sir.settings = ConnectorSettings::ServicenowSir(settings);
        let out = check(&sir, &json!({"dest_ip": "yes", "malwareHash": true, "sourceIp": "no"})).unwrap();
        assert_eq!(out, json!({"destIp": true, "malwareHash": true}));
        assert!(check(&sir, &json!({"destIp": "maybe"})).is_err());
    }

    fn jira(meta: Option<ConnectorMetadata>) -> Connector {
        Connector {
            name: "SOC Jira".into(),
            kind: ConnectorKind::Jira,
            settings: ConnectorSettings::Jira(crate::connectors::jira::JiraSettings {
                project_key: "SEC".into(),
                auth: ConnectorAuth::Basic,
                username: Some("u".into()),
            }),
            metadata: meta,
            ..itsm()
        }
    }

    fn jira_choices() -> ConnectorMetadata {
        ConnectorMetadata {
            issue_types: vec![choice("10001", "Task", None), choice("10002", "Bug", None)],
            priorities: vec![choice("High", "High", None)],
            ..Default::default()
        }
    }

    #[test]
    fn names_saved_without_choices_are_resolved_to_ids_before_a_push() {
        let typed = json!({"issueType": "task", "priority": "high", "parent": "SEC-1"});
        // Never fetched: a name may not be sent as an id, so the choices are fetched first.
        let never = jira(None);
        assert!(check(&never, &typed).is_ok(), "accepted offline");
        assert_eq!(resolve(&never, None, &typed, false).unwrap(), Resolved::Fetch);
        let fresh = jira_choices();
        assert_eq!(
            resolve(&never, Some(&fresh), &typed, true).unwrap(),
            Resolved::Fields(json!({"issueType": "10001", "priority": "High", "parent": "SEC-1"}))
        );
        // Already ids: nothing to fetch.
        let cached = jira(Some(jira_choices()));
        let ids = json!({"issueType": "10002"});
        assert_eq!(resolve(&cached, cached.metadata.as_ref(), &ids, false).unwrap(), Resolved::Fields(ids));
        // A name no fresh list offers is refused, never sent.
        let e = resolve(&never, Some(&fresh), &json!({"issueType": "Story"}), true).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("fields.issueType: \"Story\" is not offered by SOC Jira; choose one of: Task, Bug"),
            "{e}"
        );
        let e = resolve(&never, Some(&ConnectorMetadata::default()), &json!({"issueType": "Task"}), true).unwrap_err();
        assert_eq!(e.code(), "validation");
    }

    #[test]
    fn servicenow_labels_saved_without_choices_become_values() {
        let mut never = itsm();
        let meta = never.metadata.take();
        let typed = json!({"urgency": "1 - high", "category": "Network", "subcategory": "DNS"});
        assert_eq!(resolve(&never, None, &typed, false).unwrap(), Resolved::Fetch);
        assert_eq!(
            resolve(&never, meta.as_ref(), &typed, true).unwrap(),
            Resolved::Fields(json!({"urgency": "1", "category": "network", "subcategory": "dns"}))
        );
        // A field whose list the system does not give is sent as typed.
        assert_eq!(
            resolve(&never, meta.as_ref(), &json!({"impact": "2"}), false).unwrap(),
            Resolved::Fields(json!({"impact": "2"}))
        );
    }

    fn resilient(meta: Option<ConnectorMetadata>) -> Connector {
        Connector {
            name: "SOAR".into(),
            kind: ConnectorKind::Resilient,
            settings: ConnectorSettings::Resilient(crate::connectors::resilient::ResilientSettings {
                org_id: "201".into(),
                api_key_id: "k".into(),
            }),
            metadata: meta,
            ..itsm()
        }
    }

    fn resilient_choices() -> ConnectorMetadata {
        ConnectorMetadata {
            incident_types: vec![choice("19", "Malware", None), choice("20", "Phishing", None)],
            severities: vec![choice("6", "High", None)],
            ..Default::default()
        }
    }

    #[test]
    fn several_incident_types_are_one_comma_separated_value_of_ids() {
        let cached = resilient(Some(resilient_choices()));
        let out = check(&cached, &json!({"incidentTypes": "malware, 20, Malware", "severityCode": "High"})).unwrap();
        assert_eq!(out, json!({"incidentTypes": "19,20", "severityCode": "6"}));
        let e = check(&cached, &json!({"incidentTypes": "Malware, Spam"})).unwrap_err();
        assert!(e.to_string().starts_with("fields.incidentTypes: \"Spam\" is not offered by SOAR"), "{e}");
        // Typed offline: names are looked up when the choices are fetched at push time.
        let never = resilient(None);
        let typed = check(&never, &json!({"incidentTypes": "Malware, Phishing"})).unwrap();
        assert_eq!(resolve(&never, None, &typed, false).unwrap(), Resolved::Fetch);
        let fresh = resilient_choices();
        assert_eq!(
            resolve(&never, Some(&fresh), &typed, true).unwrap(),
            Resolved::Fields(json!({"incidentTypes": "19,20"}))
        );
    }

    #[test]
    fn every_choice_list_names_a_metadata_list() {
        let meta = serde_json::to_value(ConnectorMetadata::default()).unwrap();
        for kind in ConnectorKind::ALL {
            for f in choice_fields(kind) {
                assert!(meta.get(f.list).is_some(), "{}: no metadata list {}", f.name, f.list);
            }
        }
    }

    fn project_fields() -> Vec<RemoteField> {
        let field = |id: &str, label: &str, read_only: bool| RemoteField {
            id: id.into(),
            label: label.into(),
            field_type: "string".into(),
            read_only,
            ..RemoteField::default()
        };
        vec![
            field("customfield_10010", "Team", false),
            field("environment", "Environment", false),
            field("created", "Created", true),
        ]
    }

    #[test]
    fn additional_fields_are_a_json_object_checked_against_the_systems_fields() {
        // Never fetched: any object is kept, as text or as JSON, and resolved at push time.
        let never = jira(None);
        let out = check(&never, &json!({"otherFields": "{\"customfield_10010\": \"Blue\"}"})).unwrap();
        assert_eq!(out, json!({"otherFields": {"customfield_10010": "Blue"}}));
        assert_eq!(check(&never, &json!({"otherFields": "  "})).unwrap(), json!({}));
        let e = check(&never, &json!({"otherFields": "{customfield"})).unwrap_err();
        assert!(e.to_string().starts_with("fields.otherFields: is not JSON: "), "{e}");
        let e = check(&never, &json!({"otherFields": "[1]"})).unwrap_err();
        assert_eq!(e.to_string(), "fields.otherFields: must be a JSON object of field names and values");
        let e = check(&never, &json!({"otherFields": {"summary": "x"}})).unwrap_err();
        assert!(e.to_string().contains("cannot set \"summary\": Casebook sends it from the case"), "{e}");
        let many: Map<String, Value> = (0..21).map(|i| (format!("customfield_{i}"), json!(i))).collect();
        let e = check(&never, &json!({ "otherFields": many })).unwrap_err();
        assert_eq!(e.to_string(), "fields.otherFields: may set at most 20 fields (got 21)");

        // With the project's fields known: unknown and read-only ones are refused by name.
        let known = jira(Some(ConnectorMetadata { fields: project_fields(), ..jira_choices() }));
        assert!(check(&known, &json!({"otherFields": {"environment": "prod"}})).is_ok());
        let e = check(&known, &json!({"otherFields": {"customfield_99": 1}})).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "fields.otherFields: \"customfield_99\" is not a field SOC Jira offers; its fields include customfield_10010, environment"
            ),
            "{e}"
        );
        let e = check(&known, &json!({"otherFields": {"created": "2020"}})).unwrap_err();
        assert_eq!(e.to_string(), "fields.otherFields: \"created\" (Created) is read-only in SOC Jira");
    }

    #[test]
    fn additional_fields_saved_offline_are_checked_with_fresh_fields_before_a_push() {
        let never = jira(None);
        let given = json!({"issueType": "10001", "otherFields": {"customfield_99": 1}});
        let cached = jira_choices();
        // The cached choices hold no field list yet: fetch first.
        assert_eq!(resolve(&never, Some(&cached), &given, false).unwrap(), Resolved::Fetch);
        let fresh = ConnectorMetadata { fields: project_fields(), ..jira_choices() };
        let e = resolve(&never, Some(&fresh), &given, true).unwrap_err();
        assert!(e.to_string().contains("\"customfield_99\" is not a field SOC Jira offers"), "{e}");
        let fine = json!({"issueType": "10001", "otherFields": {"customfield_10010": "Blue"}});
        assert_eq!(resolve(&never, Some(&fresh), &fine, true).unwrap(), Resolved::Fields(fine.clone()));
        // A system that gives no field list (no right to read it): sent unchecked.
        assert_eq!(resolve(&never, Some(&cached), &fine, true).unwrap(), Resolved::Fields(fine));
    }

    #[test]
    fn pairs_need_an_equals_sign() {
        assert_eq!(from_pairs(&["priority = High".into()]).unwrap(), json!({"priority": "High"}));
        assert_eq!(from_pairs(&["priority".into()]).unwrap_err().code(), "validation");
    }
}
