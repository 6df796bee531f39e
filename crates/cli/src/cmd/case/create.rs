//! `casebook case create`: from flags (with a template, a connector), or from Kibana's JSON body.

use casebook_core::configure::{apply_template, custom_field_from_text};
use casebook_core::connectors::fields::from_pairs;
use casebook_core::model::*;
use casebook_core::{Casebook, Error, validate};

use crate::args::CreateArgs;
use crate::cmd::Out;
use crate::input::{json_doc, json_items, text_or_stdin};
use crate::print;

pub fn run(book: &Casebook, out: &Out<'_>, a: &CreateArgs) -> Result<(), Error> {
    if let Some(src) = &a.from_json {
        // One create body, or an array of them created together.
        let (bodies, many) = json_items::<CaseCreate>(&src.display().to_string(), json_doc(src)?)?;
        if many {
            let cases = book.create_cases(out.space, &bodies)?;
            out.show(&cases, |cs| cs.iter().for_each(|c| say!("Created {}  {}  {}", print::number(c), c.id, c.title)));
        } else {
            let c = book.create_case(out.space, &bodies[0])?;
            out.show(&c, print::case);
        }
        return Ok(());
    }
    let config = book.configuration(out.space)?;
    let mut input = CaseCreate {
        title: a.title.clone().unwrap_or_default(),
        description: a
            .description
            .as_deref()
            .map(|d| text_or_stdin("description", d, validate::MAX_DESCRIPTION_LENGTH))
            .transpose()?
            .unwrap_or_default(),
        tags: a.tags.clone(),
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        category: a.category.clone(),
        assignees: a.assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        custom_fields: a
            .custom_fields
            .iter()
            .map(|p| custom_field_from_text(&config.custom_fields, p))
            .collect::<Result<_, _>>()?,
        settings: (a.no_sync_alerts || a.no_extract_observables)
            .then_some(CaseSettings { sync_alerts: !a.no_sync_alerts, extract_observables: !a.no_extract_observables }),
        owner: None,
        connector: a.connector.as_deref().map(|name| chosen_connector(book, out, name, &a.fields)).transpose()?,
    };
    if let Some(key) = &a.template {
        let t = config.templates.iter().find(|t| &t.key == key).ok_or_else(|| {
            let known: Vec<&str> = config.templates.iter().map(|t| t.key.as_str()).collect();
            Error::Validation {
                field: "template".into(),
                message: format!(
                    "{key:?} is not a template of space {} (known: {})",
                    out.space,
                    if known.is_empty() { "none".into() } else { known.join(", ") }
                ),
            }
        })?;
        input = apply_template(t, input);
    }
    let c = book.create_case(out.space, &input)?;
    out.show(&c, print::case);
    Ok(())
}

/// The case's connector in Kibana's shape; the core checks the fields when it creates the case.
fn chosen_connector(book: &Casebook, out: &Out<'_>, name: &str, fields: &[String]) -> Result<CaseConnector, Error> {
    let k = book.connector(out.space, name)?;
    Ok(CaseConnector {
        id: k.id,
        name: k.name,
        connector_type: k.kind.kibana_type().into(),
        fields: Some(from_pairs(fields)?),
    })
}
