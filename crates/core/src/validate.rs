//! Kibana's limits (kibana-cases.md §1a), one function per rule. Strings are trimmed, then
//! measured in characters; every error names the field and the limit.

use std::collections::HashSet;

use serde_json::Value;

use crate::model::*;
use crate::{Error, Result};

pub const MAX_TITLE_LENGTH: usize = 160;
pub const MAX_DESCRIPTION_LENGTH: usize = 30_000;
pub const MAX_COMMENT_LENGTH: usize = 30_000;
/// Unsent text is kept even past the comment and description limits, so nothing typed is lost.
pub const MAX_DRAFT_LENGTH: usize = 1_000_000;
pub const MAX_TAGS_PER_CASE: usize = 200;
pub const MAX_LENGTH_PER_TAG: usize = 256;
pub const MAX_CATEGORY_LENGTH: usize = 50;
pub const MAX_ASSIGNEES_PER_CASE: usize = 10;
pub const MAX_CUSTOM_FIELDS_PER_CASE: usize = 10;
pub const MAX_CUSTOM_FIELD_KEY_LENGTH: usize = 36;
pub const MAX_CUSTOM_FIELD_LABEL_LENGTH: usize = 50;
pub const MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH: usize = 160;
pub const MAX_TEMPLATES_LENGTH: usize = 10;
pub const MAX_TEMPLATE_KEY_LENGTH: usize = 36;
pub const MAX_TEMPLATE_NAME_LENGTH: usize = 50;
pub const MAX_TEMPLATE_DESCRIPTION_LENGTH: usize = 1_000;
pub const MAX_TAGS_PER_TEMPLATE: usize = 10;
pub const MAX_TEMPLATE_TAG_LENGTH: usize = 50;
pub const MAX_CASES_PER_PAGE: u32 = 100;
pub const MAX_USER_ACTIONS_PER_PAGE: u32 = 100;
/// page × per_page may not pass this (Kibana's MAX_DOCS_PER_PAGE).
pub const MAX_DOCS_PER_PAGE: u64 = 10_000;
pub const MAX_BULK_CASES: usize = 100;
/// Cases per transaction of a bulk change to all matching cases: short enough that other
/// writers wait a fraction of a second and a cancel takes effect soon.
pub const BULK_BATCH_CASES: u32 = 500;
pub const MAX_BULK_BATCH_CASES: u32 = 5_000;
pub const MAX_FILTER_VALUES: usize = 100;
pub const MAX_SPACE_NAME_LENGTH: usize = 100;
pub const MAX_USERNAME_LENGTH: usize = 256;
pub const MAX_SEARCH_LENGTH: usize = 1_000;
/// ±(2^53 − 1): the integers a JavaScript number holds exactly.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Trims `value` and checks its length in characters. `min` is 0 or 1. This is the rule for
/// every single-line field (titles, tags, names, categories, labels): a control character
/// there could rewrite the terminal that prints it or forge a line of output, so none is
/// accepted. Multi-line text goes through [`multiline`].
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String> {
    let v = measured(field, value.trim(), min, max)?;
    refuse_controls(field, v, false)?;
    Ok(v.to_string())
}

/// Multi-line text (descriptions, comments): line breaks and tabs are kept, Windows line
/// ends become `\n`, and every other control character is refused.
pub fn multiline(field: &str, value: &str, min: usize, max: usize) -> Result<String> {
    let normalised = value.replace("\r\n", "\n").replace('\r', "\n");
    let v = measured(field, normalised.trim(), min, max)?;
    refuse_controls(field, v, true)?;
    Ok(v.to_string())
}

fn measured<'a>(field: &str, v: &'a str, min: usize, max: usize) -> Result<&'a str> {
    // Text that shows nothing (zero-width spaces, NULs) is as empty as no text.
    if min > 0 && v.chars().all(|c| is_invisible(c) || c.is_control() || c.is_whitespace()) {
        return Err(Error::validation(field, "cannot be an empty string"));
    }
    let n = v.chars().count();
    if n > max {
        return Err(Error::validation(field, format!("at most {max} characters (got {n})")));
    }
    Ok(v)
}

/// Characters that take no space on screen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}')
}

/// Characters a terminal or a text renderer acts on instead of showing: C0 and C1 controls,
/// DEL, the Unicode line and paragraph separators, and the bidirectional overrides and
/// isolates that make text read in another order than it is stored.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn refuse_controls(field: &str, v: &str, multiline: bool) -> Result<()> {
    let bad = v.chars().enumerate().find(|&(_, c)| is_unsafe_char(c) && !(multiline && matches!(c, '\n' | '\t')));
    match bad {
        None => Ok(()),
        Some((at, c)) => Err(Error::validation(
            field,
            format!(
                "may not contain control characters (U+{:04X} at character {}){}",
                u32::from(c),
                at + 1,
                if multiline { "; only line breaks and tabs are kept" } else { "; it is a single line of text" }
            ),
        )),
    }
}

pub fn title(v: &str) -> Result<String> {
    text("title", v, 1, MAX_TITLE_LENGTH)
}

pub fn description(v: &str) -> Result<String> {
    multiline("description", v, 0, MAX_DESCRIPTION_LENGTH)
}

pub fn comment(v: &str) -> Result<String> {
    multiline("comment", v, 1, MAX_COMMENT_LENGTH)
}

/// An absent or blank category is no category.
pub fn category(v: Option<&str>) -> Result<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => text("category", s, 1, MAX_CATEGORY_LENGTH).map(Some),
    }
}

/// Trims each tag, drops repeats (first spelling wins), checks count and length.
pub fn tags(values: &[String]) -> Result<Vec<String>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(values.len());
    for (i, t) in values.iter().enumerate() {
        let t = text(&format!("tags[{i}]"), t, 1, MAX_LENGTH_PER_TAG)?;
        if seen.insert(t.clone()) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS_PER_CASE {
        return Err(Error::validation(
            "tags",
            format!("at most {MAX_TAGS_PER_CASE} tags per case (got {})", out.len()),
        ));
    }
    Ok(out)
}

/// Drops repeats and checks the count; whether each user exists is checked by the caller.
pub fn assignees(values: &[Assignee]) -> Result<Vec<Assignee>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(values.len());
    for (i, a) in values.iter().enumerate() {
        let uid = text(&format!("assignees[{i}].uid"), &a.uid, 1, MAX_USERNAME_LENGTH)?;
        if seen.insert(uid.clone()) {
            out.push(Assignee { uid });
        }
    }
    if out.len() > MAX_ASSIGNEES_PER_CASE {
        return Err(Error::validation(
            "assignees",
            format!("at most {MAX_ASSIGNEES_PER_CASE} assignees per case (got {})", out.len()),
        ));
    }
    Ok(out)
}

/// Keys of custom fields, templates and spaces: `^[a-z0-9_-]+$`.
pub fn key(field: &str, v: &str, max: usize) -> Result<String> {
    let v = text(field, v, 1, max)?;
    if !v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
        return Err(Error::validation(
            field,
            format!("may contain only lowercase letters, digits, '_' and '-' (got {v:?})"),
        ));
    }
    Ok(v)
}

pub fn space_name(v: &str) -> Result<String> {
    key("space", v, MAX_SPACE_NAME_LENGTH)
}

pub fn username(field: &str, v: &str) -> Result<String> {
    let v = text(field, v, 1, MAX_USERNAME_LENGTH)?;
    if v.chars().any(char::is_whitespace) {
        return Err(Error::validation(field, format!("may not contain spaces (got {v:?})")));
    }
    Ok(v)
}

pub fn optional_text(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => text(field, s, 1, max).map(Some),
    }
}

pub fn email(v: Option<&str>) -> Result<Option<String>> {
    let v = optional_text("email", v, MAX_USERNAME_LENGTH)?;
    if let Some(e) = &v {
        let ok = e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !e.contains(' '));
        if !ok {
            return Err(Error::validation("email", format!("is not an email address (got {e:?})")));
        }
    }
    Ok(v)
}

/// A number a JavaScript client can hold exactly.
pub fn safe_integer(field: &str, v: &Value) -> Result<i64> {
    let n = v
        .as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= MAX_SAFE_INTEGER as f64).map(|f| f as i64))
        .ok_or_else(|| Error::validation(field, format!("must be an integer (got {v})")))?;
    if n.abs() > MAX_SAFE_INTEGER {
        return Err(Error::validation(
            field,
            format!("must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER} (got {n})"),
        ));
    }
    Ok(n)
}

/// Checks one custom field value against its type; `null` is "no value".
fn custom_value(field: &str, ty: CustomFieldType, v: &Value) -> Result<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        CustomFieldType::Text => {
            let s = v.as_str().ok_or_else(|| Error::validation(field, format!("must be text (got {v})")))?;
            Ok(Value::String(text(field, s, 1, MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH)?))
        }
        CustomFieldType::Toggle => v
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| Error::validation(field, format!("must be true or false (got {v})"))),
        CustomFieldType::Number => safe_integer(field, v).map(Value::from),
    }
}

/// Validates a case's custom fields against the space's definitions. With `fill`, fields the
/// case leaves out get their default (or null), as Kibana does on create; a required field
/// that ends up null is an error.
pub fn custom_fields(
    given: &[CustomFieldValue],
    defs: &[CustomFieldDefinition],
    fill: bool,
) -> Result<Vec<CustomFieldValue>> {
    if given.len() > MAX_CUSTOM_FIELDS_PER_CASE {
        return Err(Error::validation(
            "custom_fields",
            format!("at most {MAX_CUSTOM_FIELDS_PER_CASE} custom fields per case (got {})", given.len()),
        ));
    }
    let mut out = Vec::with_capacity(defs.len());
    let mut seen = HashSet::new();
    for cf in given {
        let field = format!("custom_fields.{}", cf.key);
        let def = defs.iter().find(|d| d.key == cf.key).ok_or_else(|| {
            Error::validation(&field, "is not a custom field of this space (define it in the space's settings first)")
        })?;
        if !seen.insert(cf.key.clone()) {
            return Err(Error::validation(&field, "appears more than once"));
        }
        if cf.field_type != def.field_type {
            return Err(Error::validation(
                &field,
                format!("is a {:?} field, not {:?}", def.field_type, cf.field_type).to_lowercase(),
            ));
        }
        let value = custom_value(&field, def.field_type, &cf.value)?;
        out.push(CustomFieldValue { key: cf.key.clone(), field_type: def.field_type, value });
    }
    if fill {
        for def in defs.iter().filter(|d| !seen.contains(&d.key)) {
            let value = def.default_value.clone().unwrap_or(Value::Null);
            out.push(CustomFieldValue { key: def.key.clone(), field_type: def.field_type, value });
        }
    }
    for cf in &out {
        let def = defs.iter().find(|d| d.key == cf.key);
        if def.is_some_and(|d| d.required) && cf.value.is_null() {
            return Err(Error::validation(format!("custom_fields.{}", cf.key), "is required"));
        }
    }
    Ok(out)
}

/// The custom field definitions of a space.
pub fn custom_field_definitions(defs: &[CustomFieldDefinition]) -> Result<Vec<CustomFieldDefinition>> {
    if defs.len() > MAX_CUSTOM_FIELDS_PER_CASE {
        return Err(Error::validation(
            "custom_fields",
            format!("at most {MAX_CUSTOM_FIELDS_PER_CASE} custom fields per space (got {})", defs.len()),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(defs.len());
    for (i, d) in defs.iter().enumerate() {
        let key = key(&format!("custom_fields[{i}].key"), &d.key, MAX_CUSTOM_FIELD_KEY_LENGTH)?;
        if !seen.insert(key.clone()) {
            return Err(Error::validation(format!("custom_fields[{i}].key"), format!("{key:?} is used twice")));
        }
        let label = text(&format!("custom_fields[{i}].label"), &d.label, 1, MAX_CUSTOM_FIELD_LABEL_LENGTH)?;
        let default_value = match &d.default_value {
            None | Some(Value::Null) => None,
            Some(v) => Some(custom_value(&format!("custom_fields[{i}].default_value"), d.field_type, v)?),
        };
        out.push(CustomFieldDefinition { key, label, field_type: d.field_type, required: d.required, default_value });
    }
    Ok(out)
}

/// The templates of a space, checked against its custom field definitions.
pub fn templates(list: &[Template], defs: &[CustomFieldDefinition]) -> Result<Vec<Template>> {
    if list.len() > MAX_TEMPLATES_LENGTH {
        return Err(Error::validation(
            "templates",
            format!("at most {MAX_TEMPLATES_LENGTH} templates (got {})", list.len()),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let f = |name: &str| format!("templates[{i}].{name}");
        let key = key(&f("key"), &t.key, MAX_TEMPLATE_KEY_LENGTH)?;
        if !seen.insert(key.clone()) {
            return Err(Error::validation(f("key"), format!("{key:?} is used twice")));
        }
        let name = text(&f("name"), &t.name, 1, MAX_TEMPLATE_NAME_LENGTH)?;
        let description = t
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| multiline(&f("description"), d, 1, MAX_TEMPLATE_DESCRIPTION_LENGTH))
            .transpose()?;
        if t.tags.len() > MAX_TAGS_PER_TEMPLATE {
            return Err(Error::validation(
                f("tags"),
                format!("at most {MAX_TAGS_PER_TEMPLATE} tags (got {})", t.tags.len()),
            ));
        }
        let tags = t
            .tags
            .iter()
            .enumerate()
            .map(|(j, tag)| text(&f(&format!("tags[{j}]")), tag, 1, MAX_TEMPLATE_TAG_LENGTH))
            .collect::<Result<Vec<_>>>()?;
        let c = &t.case_fields;
        // The case rules, their fields named under this template's `case_fields`.
        let under = |e: Error| e.within(&f("case_fields"));
        let case_fields = TemplateCaseFields {
            title: optional_text("title", c.title.as_deref(), MAX_TITLE_LENGTH).map_err(under)?,
            description: c
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| multiline("description", d, 1, MAX_DESCRIPTION_LENGTH))
                .transpose()
                .map_err(under)?,
            tags: c.tags.as_deref().map(self::tags).transpose().map_err(under)?,
            severity: c.severity,
            assignees: c.assignees.as_deref().map(assignees).transpose().map_err(under)?,
            category: category(c.category.as_deref()).map_err(under)?,
            custom_fields: c
                .custom_fields
                .as_deref()
                .map(|cf| custom_fields(cf, defs, false))
                .transpose()
                .map_err(under)?,
            settings: c.settings.clone(),
            connector: c.connector.clone(),
        };
        out.push(Template { key, name, description, tags, case_fields });
    }
    Ok(out)
}

/// Page and page size, with Kibana's caps.
pub fn paging(page: u32, per_page: u32, max_per_page: u32) -> Result<(u32, u32)> {
    if page == 0 {
        return Err(Error::validation("page", "must be 1 or more"));
    }
    if per_page == 0 || per_page > max_per_page {
        return Err(Error::validation("per_page", format!("must be between 1 and {max_per_page} (got {per_page})")));
    }
    if u64::from(page) * u64::from(per_page) > MAX_DOCS_PER_PAGE {
        return Err(Error::validation(
            "page",
            format!(
                "page × per_page may not pass {MAX_DOCS_PER_PAGE} (got {page} × {per_page}); narrow the filters instead"
            ),
        ));
    }
    Ok((page, per_page))
}

/// The longest service-level target: a year.
pub const MAX_SLA_SECONDS: i64 = 366 * 86_400;

/// Each severity at most once; targets from a minute to a year; resolving not sooner than
/// acknowledging.
pub fn sla(targets: &[SlaTarget]) -> Result<Vec<SlaTarget>> {
    let mut out: Vec<SlaTarget> = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        if out.iter().any(|o| o.severity == t.severity) {
            return Err(Error::validation(
                format!("sla[{i}].severity"),
                format!("{} is listed twice", t.severity.as_str()),
            ));
        }
        for (name, v) in [("acknowledge_seconds", t.acknowledge_seconds), ("resolve_seconds", t.resolve_seconds)] {
            if let Some(v) = v
                && !(60..=MAX_SLA_SECONDS).contains(&v)
            {
                return Err(Error::validation(
                    format!("sla[{i}].{name}"),
                    format!("must be between 60 seconds and 366 days (got {v} seconds)"),
                ));
            }
        }
        if let (Some(a), Some(r)) = (t.acknowledge_seconds, t.resolve_seconds)
            && r < a
        {
            return Err(Error::validation(
                format!("sla[{i}].resolve_seconds"),
                "must not be shorter than the time to acknowledge",
            ));
        }
        if t.acknowledge_seconds.is_some() || t.resolve_seconds.is_some() {
            out.push(t.clone());
        }
    }
    out.sort_by_key(|t| t.severity);
    Ok(out)
}

/// A filter list may hold at most 100 values.
pub fn filter_len<T>(field: &str, list: &[T]) -> Result<()> {
    if list.len() > MAX_FILTER_VALUES {
        return Err(Error::validation(field, format!("at most {MAX_FILTER_VALUES} values (got {})", list.len())));
    }
    Ok(())
}

/// The owner must be one of Kibana's three.
pub fn owner(v: Option<&str>) -> Result<String> {
    match v.map(str::trim) {
        None | Some("") => Ok(DEFAULT_OWNER.to_string()),
        Some(o @ ("securitySolution" | "observability" | "cases")) => Ok(o.to_string()),
        Some(o) => {
            Err(Error::validation("owner", format!("must be securitySolution, observability or cases (got {o:?})")))
        }
    }
}

/// A case connector: `.none` or the Kibana type of a system Casebook speaks; fields must be an
/// object or null.
pub fn connector(c: &CaseConnector) -> Result<CaseConnector> {
    let types: Vec<&str> =
        std::iter::once(".none").chain(crate::model::ConnectorKind::ALL.iter().map(|k| k.kibana_type())).collect();
    if !types.contains(&c.connector_type.as_str()) {
        return Err(Error::validation(
            "connector.type",
            format!("must be one of {} (got {:?})", types.join(", "), c.connector_type),
        ));
    }
    if c.connector_type == ".none" {
        return Ok(CaseConnector::default());
    }
    let id = text("connector.id", &c.id, 1, 256)?;
    let name = text("connector.name", &c.name, 1, 256)?;
    if !matches!(c.fields, None | Some(Value::Null) | Some(Value::Object(_))) {
        return Err(Error::validation("connector.fields", "must be an object or null"));
    }
    Ok(CaseConnector { id, name, connector_type: c.connector_type.clone(), fields: c.fields.clone() })
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
