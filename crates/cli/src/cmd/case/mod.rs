//! `casebook case …`: create, read, update, delete and list cases. The small subcommands are
//! handled here, the others in the file named after them.

mod bulk;
mod create;
mod list;
mod push;
mod update;

pub use push::show_outcome;

use bulk::BulkArgs;
use create::CreateArgs;
use list::{FilterArgs, ListArgs};
use update::UpdateArgs;

use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::{Out, case_id};
use crate::print;

#[derive(Subcommand, Debug)]
pub enum CaseCmd {
    /// Create a case from flags, or from Kibana's create-case JSON body (an object or an array).
    Create(CreateArgs),
    /// Show one case.
    Get {
        /// Case id (UUID) or #number.
        case: String,
    },
    /// List cases with filters, search, sort and paging (Kibana's _find).
    List(ListArgs),
    /// Change a case. --version must be the version you read (stale versions are refused).
    Update(UpdateArgs),
    /// Change or delete every case the filters match, however many, in batches. A case edited
    /// by someone else meanwhile is skipped, not overwritten; the report lists it.
    Bulk(BulkArgs),
    /// Delete cases with their comments (up to 100 at once; all or none).
    Delete {
        /// Case ids or #numbers.
        #[arg(required = true)]
        cases: Vec<String>,
    },
    /// Counts per status and mean time to close for the given filters.
    Stats(FilterArgs),
    /// Choose the case's connector and its fields (checked against the connector's choices).
    SetConnector {
        /// Case id or #number.
        case: String,
        /// Connector name or id; `none` clears it.
        #[arg(long)]
        connector: String,
        /// A field, NAME=VALUE: Jira issueType, priority, parent; ServiceNow urgency, severity,
        /// impact, category, subcategory; SecOps category, subcategory, priority and
        /// destIp/sourceIp/malwareHash/malwareUrl=true.
        #[arg(long = "field", value_name = "NAME=VALUE")]
        fields: Vec<String>,
    },
    /// Push the case to its connector's system: create the ticket, or update it and add the
    /// comments it has not seen. Offline, the push waits in the outbox and is retried.
    Push {
        /// Case id or #number.
        case: String,
        /// Push to this connector instead of the case's.
        #[arg(long)]
        connector: Option<String>,
        /// Keep retrying (with back-off) until the push is sent or refused.
        #[arg(long)]
        wait: bool,
    },
    /// Other cases of the space sharing at least one observable with this one.
    Similar {
        /// Case id or #number.
        case: String,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 20)]
        per_page: u32,
    },
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &CaseCmd) -> Result<(), Error> {
    match cmd {
        CaseCmd::Create(a) => create::run(book, out, a),
        CaseCmd::Get { case } => {
            let c = book.resolve_case(out.space, case)?;
            out.show(&c, print::case);
            Ok(())
        }
        CaseCmd::List(a) => list::run(book, out, a),
        CaseCmd::Update(a) => update::run(book, out, a),
        CaseCmd::Bulk(a) => bulk::run(book, out, a),
        CaseCmd::Delete { cases } => {
            let mut ids: Vec<String> = Vec::with_capacity(cases.len());
            for c in cases {
                let id = case_id(book, out, c)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            book.delete_cases(&ids)?;
            out.show(&serde_json::json!({ "deleted": ids }), |_| {
                say!("Deleted {} case{}.", ids.len(), if ids.len() == 1 { "" } else { "s" })
            });
            Ok(())
        }
        CaseCmd::Stats(f) => {
            let s = book.case_stats(&list::query(out, f)?)?;
            out.show(&s, print::stats_line);
            Ok(())
        }
        CaseCmd::SetConnector { case, connector, fields } => push::set_connector(book, out, case, connector, fields),
        CaseCmd::Push { case, connector, wait } => push::push(book, out, case, connector.as_deref(), *wait),
        CaseCmd::Similar { case, page, per_page } => {
            let p = book.similar_cases(&case_id(book, out, case)?, *page, *per_page)?;
            out.show(&p, |p| {
                if p.cases.is_empty() {
                    say!("No other case in this space shares an observable with {case}.");
                }
                for s in &p.cases {
                    say!("{}  {}  {}", print::number(&s.case), s.case.id, s.case.title);
                    for o in &s.shared {
                        say!("    shares {} {}", o.type_label, o.value);
                    }
                }
                print::paging(p.page, p.per_page, p.total, "similar cases");
            });
            Ok(())
        }
    }
}
