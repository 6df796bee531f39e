//! `casebook case list`, and the filters `casebook case stats` shares with it.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Args;

use crate::cmd::Out;
use crate::input::{parse_all, time};
use crate::print;

#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// open, in-progress or closed (repeat for several).
    #[arg(long)]
    pub status: Vec<String>,
    /// low, medium, high or critical (repeat for several).
    #[arg(long)]
    pub severity: Vec<String>,
    /// Cases with any of these tags.
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// Cases assigned to any of these users; `none` for unassigned cases.
    #[arg(long = "assignee", value_name = "USER")]
    pub assignees: Vec<String>,
    /// Cases created by any of these users.
    #[arg(long = "reporter", value_name = "USER")]
    pub reporters: Vec<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub category: Vec<String>,
    /// A toggle custom field, KEY=on or KEY=off.
    #[arg(long = "custom-field", value_name = "KEY=on|off")]
    pub custom_fields: Vec<String>,
    /// Created (or, with --date-field updated, last updated) at or after (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub from: Option<String>,
    /// Created (or last updated) at or before (YYYY-MM-DD means the end of that day).
    #[arg(long)]
    pub to: Option<String>,
    /// The time --from and --to bound: created, or updated (the last change; a case never
    /// updated counts from its creation). Default: created.
    #[arg(long, value_name = "created|updated")]
    pub date_field: Option<String>,
    /// Cases past (breaching) or near (at-risk) the space's service-level targets
    /// (`settings sla`).
    #[arg(long, value_name = "breaching|at-risk")]
    pub sla: Option<String>,
    /// Free text over title, description and comments; `#12` for a case number; a case UUID.
    #[arg(long, allow_hyphen_values = true)]
    pub search: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// title, category, created, updated, closed, status or severity (default: relevance when
    /// searching, else created).
    #[arg(long)]
    pub sort: Option<String>,
    #[arg(long, default_value = "desc")]
    pub order: String,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 20)]
    pub per_page: u32,
}

pub fn query(out: &Out<'_>, f: &FilterArgs) -> Result<FindQuery, Error> {
    let custom_toggles = f
        .custom_fields
        .iter()
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let value = match v.trim().to_ascii_lowercase().as_str() {
                "on" | "true" | "yes" => true,
                "off" | "false" | "no" => false,
                other => {
                    return Err(Error::Validation {
                        field: format!("custom_fields.{}", k.trim()),
                        message: format!("filter with KEY=on or KEY=off (got {other:?})"),
                    });
                }
            };
            Ok(ToggleFilter { key: k.trim().to_string(), value })
        })
        .collect::<Result<_, _>>()?;
    Ok(FindQuery {
        space: out.space.to_string(),
        status: parse_all(&f.status)?,
        severity: parse_all(&f.severity)?,
        tags: f.tags.clone(),
        assignees: f.assignees.clone(),
        reporters: f.reporters.clone(),
        category: f.category.clone(),
        custom_toggles,
        from: time("from", f.from.as_deref(), false)?,
        to: time("to", f.to.as_deref(), true)?,
        date_field: f.date_field.as_deref().map(str::parse).transpose()?,
        sla: f.sla.as_deref().map(str::parse).transpose()?,
        search: f.search.clone(),
        ..FindQuery::default()
    })
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &ListArgs) -> Result<(), Error> {
    let q = FindQuery {
        sort_field: a.sort.as_deref().map(str::parse).transpose()?,
        sort_order: a.order.parse()?,
        page: a.page,
        per_page: a.per_page,
        ..query(out, &a.filters)?
    };
    let r = book.find_cases(&q)?;
    out.show(&r, print::case_list);
    Ok(())
}
