//! Case settings per space (Kibana's cases-configure): closure option, custom field
//! definitions, templates and custom observable types.

use rusqlite::{Connection, OptionalExtension};

use crate::model::*;
use crate::observables::types::{MAX_OBSERVABLES_CAP, MAX_OBSERVABLES_PER_CASE, is_builtin};
use crate::row::{json, parse_version};
use crate::spaces::space_id;
use crate::{Casebook, Error, Result, validate};

/// The settings of a space; a space never configured has the defaults at version 1.
pub(crate) fn load(conn: &Connection, space: &str) -> Result<CaseConfiguration> {
    let sid = space_id(conn, space)?;
    let row = conn
        .prepare_cached(
            "SELECT closure_type, custom_fields, templates, version, observable_types, max_observables,
                observable_type_priority, sla
             FROM case_configure WHERE space_id = ?1",
        )?
        .query_row([sid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .optional()?;
    Ok(match row {
        None => CaseConfiguration {
            space: space.to_string(),
            version: "1".into(),
            closure_type: ClosureType::default(),
            custom_fields: vec![],
            templates: vec![],
            observable_types: vec![],
            max_observables: MAX_OBSERVABLES_PER_CASE as u32,
            observable_type_priority: vec![],
            sla: vec![],
        },
        Some((closure, fields, templates, version, observable_types, max_observables, priority, sla)) => {
            CaseConfiguration {
                space: space.to_string(),
                version: version.to_string(),
                closure_type: serde_json::from_value(serde_json::Value::String(closure))?,
                custom_fields: serde_json::from_str(&fields)?,
                templates: serde_json::from_str(&templates)?,
                observable_types: serde_json::from_str(&observable_types)?,
                max_observables,
                observable_type_priority: serde_json::from_str(&priority)?,
                sla: serde_json::from_str(&sla)?,
            }
        }
    })
}

impl Casebook {
    pub fn configuration(&self, space: &str) -> Result<CaseConfiguration> {
        self.read(|c| load(c, space))
    }

    /// Changes a space's case settings. A custom field's type cannot change once defined.
    pub fn update_configuration(&self, space: &str, patch: &ConfigurationPatch) -> Result<CaseConfiguration> {
        let given = parse_version("version", &patch.version)?;
        self.write(|tx| {
            let current = load(tx, space)?;
            let cur_version: i64 = current.version.parse().unwrap_or(1);
            if given != cur_version {
                return Err(Error::Conflict {
                    what: "case settings of space",
                    id: space.to_string(),
                    given: patch.version.clone(),
                    current: current.version.clone(),
                });
            }
            let custom_fields = match &patch.custom_fields {
                Some(defs) => validate::custom_field_definitions(defs)?,
                None => current.custom_fields.clone(),
            };
            for (i, d) in custom_fields.iter().enumerate() {
                if let Some(old) = current.custom_fields.iter().find(|o| o.key == d.key)
                    && old.field_type != d.field_type
                {
                    return Err(Error::validation(
                        format!("custom_fields[{i}].type"),
                        format!("the type of {:?} cannot change once defined (it is {:?})", d.key, old.field_type)
                            .to_lowercase(),
                    ));
                }
            }
            let templates =
                validate::templates(patch.templates.as_ref().unwrap_or(&current.templates), &custom_fields)?;
            let closure_type = patch.closure_type.unwrap_or(current.closure_type);
            let closure = match closure_type {
                ClosureType::CloseByUser => "close-by-user",
                ClosureType::CloseByPushing => "close-by-pushing",
            };
            let observable_types = match &patch.observable_types {
                Some(types) => crate::observables::types::validate_custom_types(types)?,
                None => current.observable_types.clone(),
            };
            let max_observables = match patch.max_observables {
                Some(n) => checked_cap(n)?,
                None => current.max_observables,
            };
            let priority = match &patch.observable_type_priority {
                Some(keys) => checked_priority(keys, &observable_types)?,
                // A removed custom type leaves the order too.
                None => current
                    .observable_type_priority
                    .iter()
                    .filter(|k| is_builtin(k) || observable_types.iter().any(|t| &t.key == *k))
                    .cloned()
                    .collect(),
            };
            let sla = match &patch.sla {
                Some(targets) => validate::sla(targets)?,
                None => current.sla.clone(),
            };
            let sid = space_id(tx, space)?;
            // As in Kibana, removing a custom type removes its observables from every case.
            for gone in current.observable_types.iter().filter(|o| !observable_types.iter().any(|n| n.key == o.key)) {
                crate::observables::remove_type_in_space(tx, sid, &gone.key)?;
            }
            tx.execute(
                "INSERT INTO case_configure (space_id, closure_type, custom_fields, templates, version, observable_types,
                    max_observables, observable_type_priority, sla)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (space_id) DO UPDATE SET closure_type = excluded.closure_type,
                    custom_fields = excluded.custom_fields, templates = excluded.templates, version = excluded.version,
                    observable_types = excluded.observable_types, max_observables = excluded.max_observables,
                    observable_type_priority = excluded.observable_type_priority, sla = excluded.sla",
                (
                    sid,
                    closure,
                    json(&custom_fields),
                    json(&templates),
                    cur_version + 1,
                    json(&observable_types),
                    max_observables,
                    json(&priority),
                    json(&sla),
                ),
            )?;
            if max_observables > current.max_observables {
                crate::observables::fill_space(tx, sid)?;
            }
            load(tx, space)
        })
    }
}

fn checked_cap(n: u32) -> Result<u32> {
    if n == 0 || n as usize > MAX_OBSERVABLES_CAP {
        return Err(Error::validation(
            "max_observables",
            format!("must be between 1 and {MAX_OBSERVABLES_CAP} (got {n}; Kibana's is {MAX_OBSERVABLES_PER_CASE})"),
        ));
    }
    Ok(n)
}

/// Types of the space (built-in or its own), each once, named as people do (see
/// `resolve_type`) and stored by key.
fn checked_priority(keys: &[String], custom: &[ObservableType]) -> Result<Vec<String>> {
    let mut types = crate::observables::types::builtin_types();
    types.extend(custom.iter().cloned());
    let mut out: Vec<String> = Vec::with_capacity(keys.len());
    for (i, given) in keys.iter().enumerate() {
        let key = crate::observables::resolve_type(&types, given);
        let field = format!("observable_type_priority[{i}]");
        if !types.iter().any(|t| t.key == key) {
            return Err(Error::validation(field, format!("{key:?} is not an observable type of this space")));
        }
        if out.iter().any(|k| k == key) {
            return Err(Error::validation(field, format!("{key:?} is listed twice")));
        }
        out.push(key.to_string());
    }
    Ok(out)
}

/// Reads `KEY=VALUE` as typed on a command line into a custom field value of the right type
/// (toggles take on/off/true/false/yes/no; numbers must be integers).
pub fn custom_field_from_text(defs: &[CustomFieldDefinition], pair: &str) -> Result<CustomFieldValue> {
    let (key, raw) = pair
        .split_once('=')
        .ok_or_else(|| Error::validation("custom_fields", format!("write KEY=VALUE (got {pair:?})")))?;
    let key = key.trim();
    let def = defs.iter().find(|d| d.key == key).ok_or_else(|| {
        let known: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
        Error::validation(
            format!("custom_fields.{key}"),
            if known.is_empty() {
                "this space defines no custom fields".to_string()
            } else {
                format!("is not a custom field of this space (known: {})", known.join(", "))
            },
        )
    })?;
    let field = format!("custom_fields.{key}");
    let raw = raw.trim();
    let value = match def.field_type {
        _ if raw.is_empty() => serde_json::Value::Null,
        CustomFieldType::Text => serde_json::Value::String(raw.to_string()),
        CustomFieldType::Toggle => match raw.to_ascii_lowercase().as_str() {
            "on" | "true" | "yes" | "1" => serde_json::Value::Bool(true),
            "off" | "false" | "no" | "0" => serde_json::Value::Bool(false),
            _ => return Err(Error::validation(field, format!("must be on or off (got {raw:?})"))),
        },
        CustomFieldType::Number => {
            let n: i64 =
                raw.parse().map_err(|_| Error::validation(&field, format!("must be an integer (got {raw:?})")))?;
            validate::safe_integer(&field, &serde_json::Value::from(n))?;
            serde_json::Value::from(n)
        }
    };
    Ok(CustomFieldValue { key: key.to_string(), field_type: def.field_type, value })
}

/// Fills what `input` leaves empty from a template's case fields.
pub fn apply_template(template: &Template, mut input: CaseCreate) -> CaseCreate {
    let t = &template.case_fields;
    if input.title.trim().is_empty() {
        input.title = t.title.clone().unwrap_or_default();
    }
    if input.description.trim().is_empty() {
        input.description = t.description.clone().unwrap_or_default();
    }
    if input.tags.is_empty() {
        input.tags = t.tags.clone().unwrap_or_default();
    }
    input.severity = input.severity.or(t.severity);
    if input.assignees.is_empty() {
        input.assignees = t.assignees.clone().unwrap_or_default();
    }
    input.category = input.category.or_else(|| t.category.clone());
    for cf in t.custom_fields.iter().flatten() {
        if !input.custom_fields.iter().any(|c| c.key == cf.key) {
            input.custom_fields.push(cf.clone());
        }
    }
    input.settings = input.settings.or_else(|| t.settings.clone());
    input.connector = input.connector.or_else(|| t.connector.clone());
    input
}
