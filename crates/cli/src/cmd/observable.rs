//! `casebook observable …`: the observables of a case (IPs, hashes, hosts, …).

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::{Out, case_id};
use crate::print;

#[derive(Subcommand, Debug)]
pub enum ObservableCmd {
    /// Add an observable to a case (at most 50 per case; each type and value once).
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
