//! `casebook case …`: create, read, update, delete and list cases. The small subcommands are
//! handled here, the others in the file named after them.

mod create;
mod list;
mod push;
mod update;

pub use push::show_outcome;

use casebook_core::{Casebook, Error};

use super::{Out, case_id};
use crate::args::CaseCmd;
use crate::print;

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
