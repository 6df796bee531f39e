//! `casebook case create`: from flags (with a template, a connector), or from Kibana's JSON body.

use std::path::PathBuf;

use casebook_core::connectors::fields::from_pairs;
use casebook_core::model::*;
use casebook_core::settings::{apply_template, custom_field_from_text};
use casebook_core::{Casebook, Error, validate};
use clap::Args;

use crate::cmd::case::push::show_outcome;
use crate::cmd::{Out, block_on};
use crate::input::{json_doc, json_items, text_or_stdin};
use crate::print;

#[derive(Args, Debug)]
pub struct CreateArgs {
    #[arg(long, allow_hyphen_values = true, required_unless_present = "from_json", conflicts_with = "from_json")]
    pub title: Option<String>,
    /// Markdown; `-` reads it from standard input.
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub category: Option<String>,
    #[arg(long = "assignee", value_name = "USER")]
    pub assignees: Vec<String>,
    /// A custom field value, KEY=VALUE (toggles: on/off/true/false).
    #[arg(long = "custom-field", value_name = "KEY=VALUE")]
    pub custom_fields: Vec<String>,
    /// Start from a template of the space (its fields fill what the flags leave out).
    #[arg(long)]
    pub template: Option<String>,
    /// Do not sync the status of attached alerts with the case.
    #[arg(long)]
    pub no_sync_alerts: bool,
    /// Do not extract observables from the alerts attached to the case.
    #[arg(long)]
    pub no_extract_observables: bool,
    /// The connector the case is pushed to (name or id); `casebook case push` sends it.
    #[arg(long)]
    pub connector: Option<String>,
    /// A connector field, NAME=VALUE, as for `casebook case set-connector`.
    #[arg(long = "field", value_name = "NAME=VALUE", requires = "connector")]
    pub fields: Vec<String>,
    /// Push the case to its connector as it is created (the push is queued in the same
    /// transaction; offline, it waits in the outbox).
    #[arg(long, requires = "connector")]
    pub push: bool,
    /// Check the case with every rule `case create` applies, and create nothing.
    #[arg(long, conflicts_with = "push")]
    pub dry_run: bool,
    /// Kibana's create-case body (or an array of them), from a file or `-` for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub from_json: Option<PathBuf>,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &CreateArgs) -> Result<(), Error> {
    if let Some(src) = &a.from_json {
        // One create body, or an array of them created together.
        let (bodies, many) = json_items::<CaseCreate>(&src.display().to_string(), json_doc(src)?)?;
        if a.dry_run {
            book.check_case_creates(out.space, &bodies)?;
            return valid(out, bodies.len());
        }
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
    if a.dry_run {
        book.check_case_create(out.space, &input)?;
        return valid(out, 1);
    }
    if a.push {
        let made = block_on(book.create_and_push(out.space, &input))?;
        out.show(&made, |m| {
            print::case(&m.case);
            show_outcome(&m.push);
        });
        if let PushOutcome::Failed { item } = &made.push {
            // The case is kept; the exit status says the push was refused.
            if !out.json {
                print::warn(format_args!(
                    "casebook: the case was created; its push waits in the outbox as #{}; fix the cause, then: casebook outbox retry {}",
                    item.id, item.id
                ));
            }
            use std::io::Write;
            let _ = std::io::stdout().flush();
            std::process::exit(1);
        }
        return Ok(());
    }
    let c = book.create_case(out.space, &input)?;
    out.show(&c, print::case);
    Ok(())
}

/// `--dry-run` passed: the core would create these cases. A refusal is the ordinary error.
fn valid(out: &Out<'_>, n: usize) -> Result<(), Error> {
    out.show(&serde_json::json!({ "valid": true, "cases": n }), |_| {
        if n == 1 {
            say!("ok: the case is valid (nothing was created)");
        } else {
            say!("ok: the {n} cases are valid (nothing was created)");
        }
    });
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
