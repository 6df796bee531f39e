//! `casebook observable …`: the observables of a case (IPs, hashes, hosts, …).

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::{Out, case_id};
use crate::print;

#[derive(Subcommand, Debug)]
pub enum ObservableCmd {
    /// Add an observable to a case (at most the space's cap, 50 unless raised; each type and
    /// value once).
    Add {
        /// Case id or #number.
        case: String,
        /// The type: ipv4, ipv6, url, hostname, file-hash, file-path, email, domain, or a
        /// custom type's key.
        #[arg(long = "type")]
        type_key: String,
        #[arg(long)]
        value: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Change an observable's type, value or description.
    Edit {
        case: String,
        observable: String,
        #[arg(long = "type")]
        type_key: Option<String>,
        #[arg(long)]
        value: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete an observable.
    Delete { case: String, observable: String },
    /// List a case's observables.
    List { case: String },
    /// The values extracted from alerts that the space's cap left out, the most alerts first.
    LeftOut {
        case: String,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        per_page: u32,
    },
    /// Move a left-out value into the case. When the case is full it replaces the lowest
    /// ranked value extracted automatically (never one added or promoted by hand).
    Promote {
        case: String,
        #[arg(long = "type")]
        type_key: String,
        #[arg(long)]
        value: String,
    },
    /// The observable types of the space.
    Types,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &ObservableCmd) -> Result<(), Error> {
    match cmd {
        ObservableCmd::Add { case, type_key, value, description } => {
            let input =
                ObservableInput { type_key: type_key.clone(), value: value.clone(), description: description.clone() };
            let o = book.add_observable(&case_id(book, out, case)?, &input)?;
            out.show(&o, print::observable);
        }
        ObservableCmd::Edit { case, observable, type_key, value, description } => {
            let id = case_id(book, out, case)?;
            let current = book
                .list_observables(&id)?
                .into_iter()
                .find(|o| o.id == observable.trim())
                .ok_or_else(|| Error::NotFound { what: "observable", id: observable.clone() })?;
            let input = ObservableInput {
                type_key: type_key.clone().unwrap_or(current.type_key),
                value: value.clone().unwrap_or(current.value),
                description: description.clone().or(current.description),
            };
            let o = book.update_observable(&id, observable, &input)?;
            out.show(&o, print::observable);
        }
        ObservableCmd::Delete { case, observable } => {
            book.delete_observable(&case_id(book, out, case)?, observable)?;
            out.show(&serde_json::json!({ "deleted": observable }), |_| say!("Deleted observable {observable}."));
        }
        ObservableCmd::List { case } => {
            let list = book.list_observables(&case_id(book, out, case)?)?;
            out.show(&list, |list| {
                if list.is_empty() {
                    say!(
                        "No observables yet. Add one with: casebook observable add {case} --type ipv4 --value 192.0.2.1"
                    );
                }
                for o in list {
                    print::observable(o);
                }
            });
        }
        ObservableCmd::LeftOut { case, page, per_page } => {
            let p = book.left_out_observables(&case_id(book, out, case)?, *page, *per_page)?;
            out.show(&p, |p| {
                say!(
                    "{} of {} observables held; {} left out.",
                    print::num(p.held),
                    print::num(p.max_observables),
                    print::count(p.total, "value", "values")
                );
                if p.total == 0 {
                    return;
                }
                for v in &p.values {
                    print::left_out(v);
                }
                print::paging(p.page, p.per_page, p.total, "left-out values");
                say!("Promote one with: casebook observable promote {case} --type TYPE --value VALUE");
            });
        }
        ObservableCmd::Promote { case, type_key, value } => {
            let p = book.promote_observable(&case_id(book, out, case)?, type_key, value)?;
            out.show(&p, |p| {
                print::observable(&p.observable);
                if let Some(r) = &p.replaced {
                    say!(
                        "The case was full: {} {} ({}) is left out in its place.",
                        r.type_label,
                        r.value,
                        print::count(r.alerts, "alert", "alerts")
                    );
                }
            });
        }
        ObservableCmd::Types => {
            let types = book.observable_types(out.space)?;
            out.show(&types, |types| {
                for t in types {
                    say!("{:<36} {}", t.key, t.label);
                }
            });
        }
    }
    Ok(())
}
