//! `casebook case bulk`: change or delete every case the filters match, in batches.

use std::io::{IsTerminal, Write};

use casebook_core::bulk::BulkAction;
use casebook_core::model::*;
use casebook_core::{Casebook, Error, validate};
use clap::Args;

use super::list::{FilterArgs, query};
use crate::cmd::Out;
use crate::print;

#[derive(Args, Debug)]
pub struct BulkArgs {
    /// Which cases: every one matching these filters (none: every case of the space).
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Set this status on every matching case.
    #[arg(long, value_name = "STATUS")]
    pub set_status: Option<String>,
    /// Set this severity on every matching case.
    #[arg(long, value_name = "SEVERITY")]
    pub set_severity: Option<String>,
    #[arg(long = "add-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub add_tags: Vec<String>,
    #[arg(long = "remove-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub remove_tags: Vec<String>,
    #[arg(long = "add-assignee", value_name = "USER")]
    pub add_assignees: Vec<String>,
    #[arg(long = "remove-assignee", value_name = "USER")]
    pub remove_assignees: Vec<String>,
    /// Delete every matching case with its comments (cannot be undone; needs --yes).
    #[arg(long, conflicts_with_all = ["set_status", "set_severity", "add_tags", "remove_tags", "add_assignees", "remove_assignees"])]
    pub delete: bool,
    /// Confirms --delete. Without it, the command only says how many cases it would delete.
    #[arg(long, requires = "delete")]
    pub yes: bool,
    /// Cases per transaction.
    #[arg(long, default_value_t = validate::BULK_BATCH_CASES)]
    pub batch: u32,
}

pub fn run(book: &Casebook, out: &Out<'_>, a: &BulkArgs) -> Result<(), Error> {
    let q = query(out, &a.filters)?;
    let change = BulkChange {
        status: a.set_status.as_deref().map(str::parse).transpose()?,
        severity: a.set_severity.as_deref().map(str::parse).transpose()?,
        add_tags: a.add_tags.clone(),
        remove_tags: a.remove_tags.clone(),
        add_assignees: a.add_assignees.iter().map(|uid| Assignee { uid: uid.clone() }).collect(),
        remove_assignees: a.remove_assignees.iter().map(|uid| Assignee { uid: uid.clone() }).collect(),
    };
    let action = if a.delete { BulkAction::Delete } else { BulkAction::Update(&change) };
    let selection = book.select_matching_cases(&q)?;
    if a.delete && !a.yes {
        return Err(Error::Validation {
            field: "yes".into(),
            message: format!(
                "this would delete {} with their comments, which cannot be undone: run again with --yes to confirm",
                print::count(selection.total, "matching case", "matching cases")
            ),
        });
    }
    let show = std::io::stderr().is_terminal() && !out.json;
    let report = book.bulk_all(&q, &selection, action, a.batch, |r| {
        if show {
            eprint!("\r\x1b[2K{} of {} cases", print::num(r.seen()), print::num(r.total));
            let _ = std::io::stderr().flush();
        }
        true
    })?;
    if show {
        eprint!("\r\x1b[2K");
    }
    out.show(&report, |r| print::bulk_report(r, a.delete));
    Ok(())
}
