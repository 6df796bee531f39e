//! `casebook case list`, and the filters `casebook case stats` shares with it.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};

use crate::args::{FilterArgs, ListArgs};
use crate::cmd::Out;
use crate::input::{parse_all, time};
use crate::print;

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
