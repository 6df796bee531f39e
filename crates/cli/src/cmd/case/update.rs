//! `casebook case update`: from flags, or from Kibana's bulk PATCH body.

use std::path::PathBuf;

use casebook_core::model::*;
use casebook_core::settings::custom_field_from_text;
use casebook_core::{Casebook, Error, validate};
use clap::Args;

use crate::cmd::{Out, block_on, case_id};
use crate::input::{json_doc, json_items, text_or_stdin};
use crate::print;

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Case id or #number (omit with --from-json).
    #[arg(required_unless_present = "from_json")]
    pub case: Option<String>,
    #[arg(long, required_unless_present = "from_json")]
    pub version: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub title: Option<String>,
    /// Markdown; `-` reads it from standard input.
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub severity: Option<String>,
    #[arg(long, allow_hyphen_values = true, conflicts_with = "clear_category")]
    pub category: Option<String>,
    #[arg(long)]
    pub clear_category: bool,
    #[arg(long = "add-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub add_tags: Vec<String>,
    #[arg(long = "remove-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub remove_tags: Vec<String>,
    #[arg(long = "add-assignee", value_name = "USER")]
    pub add_assignees: Vec<String>,
    #[arg(long = "remove-assignee", value_name = "USER")]
    pub remove_assignees: Vec<String>,
    /// Set a custom field, KEY=VALUE (the others keep their values).
    #[arg(long = "custom-field", value_name = "KEY=VALUE")]
    pub custom_fields: Vec<String>,
    /// Turn alert status sync on or off.
    #[arg(long, value_name = "on|off")]
    pub sync_alerts: Option<String>,
    /// Turn observable extraction from attached alerts on or off.
    #[arg(long, value_name = "on|off")]
    pub extract_observables: Option<String>,
    /// Kibana's bulk PATCH body {"cases":[{id, version, …}]} (or a bare array), file or `-`.
    #[arg(long, value_name = "FILE|-", conflicts_with = "case")]
    pub from_json: Option<PathBuf>,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &UpdateArgs) -> Result<(), Error> {
    if let Some(src) = &a.from_json {
        // Kibana's bulk body {"cases": [...]}, a bare array, or one patch.
        let mut doc = json_doc(src)?;
        if let Some(body) = doc.as_object_mut()
            && let Some(cases) = body.remove("cases")
        {
            if let Some(other) = body.keys().next() {
                return Err(Error::Validation {
                    field: "from_json".into(),
                    message: format!("{}: unknown field `{other}` beside `cases` (nothing was changed)", src.display()),
                });
            }
            doc = cases;
        }
        let (patches, _) = json_items::<CasePatch>(&src.display().to_string(), doc)?;
        let cases = book.update_cases(out.space, &patches)?;
        out.show(&cases, |cs| {
            cs.iter().for_each(|c| say!("Updated {}  {}  version {}", print::number(c), c.id, c.version))
        });
        return Ok(());
    }
    let reference = a.case.as_deref().unwrap_or_default();
    let id = case_id(book, out, reference)?;
    let custom_fields = if a.custom_fields.is_empty() {
        None
    } else {
        // Set the named fields; the case keeps its other values.
        let config = book.configuration(out.space)?;
        let mut fields = book.get_case(&id)?.custom_fields;
        for p in &a.custom_fields {
            let v = custom_field_from_text(&config.custom_fields, p)?;
            fields.retain(|f| f.key != v.key);
            fields.push(v);
        }
        Some(fields)
    };
    let switch = |field: &str, value: &Option<String>| -> Result<Option<bool>, Error> {
        value
            .as_deref()
            .map(|v| match v.trim() {
                "on" | "true" => Ok(true),
                "off" | "false" => Ok(false),
                other => Err(Error::Validation {
                    field: field.into(),
                    message: format!("must be on or off (got {other:?})"),
                }),
            })
            .transpose()
    };
    let sync_alerts = switch("sync_alerts", &a.sync_alerts)?;
    let extract = switch("extract_observables", &a.extract_observables)?;
    // Settings are replaced whole, so the switch not given keeps the case's current value.
    let settings = if sync_alerts.is_some() || extract.is_some() {
        let current = book.get_case(&id)?.settings;
        Some(CaseSettings {
            sync_alerts: sync_alerts.unwrap_or(current.sync_alerts),
            extract_observables: extract.unwrap_or(current.extract_observables),
        })
    } else {
        None
    };
    let patch = CasePatch {
        id,
        version: a.version.clone().unwrap_or_default(),
        title: a.title.clone(),
        description: a
            .description
            .as_deref()
            .map(|d| text_or_stdin("description", d, validate::MAX_DESCRIPTION_LENGTH))
            .transpose()?,
        status: a.status.as_deref().map(str::parse).transpose()?,
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        category: if a.clear_category { Some(None) } else { a.category.clone().map(Some) },
        add_tags: a.add_tags.clone(),
        remove_tags: a.remove_tags.clone(),
        add_assignees: a.add_assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        remove_assignees: a.remove_assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        custom_fields,
        settings,
        ..CasePatch::default()
    };
    let c = book.update_case(&patch)?;
    out.show(&c, print::case);
    send_alert_statuses(book, &c.id);
    Ok(())
}

/// Sync alerts: a status change that reached alerts from Elasticsearch is sent there now. The
/// case change is saved either way; what cannot be sent waits for `casebook alert sync`.
fn send_alert_statuses(book: &Casebook, case_id: &str) {
    let waiting = book.alert_overview(case_id).map(|o| o.status_sync_pending).unwrap_or(0);
    if waiting == 0 {
        return;
    }
    match block_on(book.sync_alert_statuses()) {
        Ok(r) if r.waiting == 0 => {}
        Ok(r) => crate::print::warn(format_args!(
            "casebook: the status of {} alerts could not be sent to Elasticsearch yet ({}); run `casebook alert sync` later",
            r.waiting,
            r.errors.join("; ")
        )),
        Err(e) => crate::print::warn(format_args!(
            "casebook: alert statuses not sent to Elasticsearch yet ({e}); run `casebook alert sync` later"
        )),
    }
}
