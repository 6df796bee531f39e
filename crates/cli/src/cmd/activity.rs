//! `casebook activity`: the history of a case.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Args;

use super::Out;
use crate::input::parse_all;
use crate::print;

#[derive(Args, Debug)]
pub struct ActivityArgs {
    /// Case id or #number (a deleted case's history needs its id).
    pub case: String,
    /// Only these types: create_case, title, description, tags, status, severity, assignees,
    /// category, custom_fields, settings, comment (also alerts attached and removed),
    /// observables, connector, pushed, delete_case.
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[arg(long, default_value = "asc")]
    pub order: String,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 100)]
    pub per_page: u32,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &ActivityArgs) -> Result<(), Error> {
    // A UUID is used as is, so a deleted case's history can still be read.
    let id = match a.case.parse::<CaseRef>()? {
        CaseRef::Id(u) => u,
        CaseRef::Number(_) => book.resolve_case(out.space, &a.case)?.id,
    };
    let q = ActivityQuery {
        types: parse_all(&a.types)?,
        sort_order: a.order.parse()?,
        page: Some(a.page),
        per_page: Some(a.per_page),
    };
    let page = book.find_activity(out.space, &id, &q)?;
    out.show(&page, |p| {
        p.user_actions.iter().for_each(print::action);
        say!();
        say!("{} of {} records", print::num(p.user_actions.len() as i64), print::num(p.total));
    });
    Ok(())
}
