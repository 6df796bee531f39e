//! `casebook outbox …`: pushes waiting to be sent (offline, throttled or refused).

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::case::show_outcome;
use super::{Out, block_on};

#[derive(Subcommand, Debug)]
pub enum OutboxCmd {
    /// Every push waiting, with its attempts and last error.
    List {
        /// Every space's pushes, not only this space's.
        #[arg(long)]
        all_spaces: bool,
    },
    /// Try a waiting or failed push again now.
    Retry {
        id: i64,
        /// After "needs your check": you checked the system and found no ticket for the case;
        /// the create is sent again.
        #[arg(long)]
        anyway: bool,
    },
    /// Drop a waiting push (what was already sent stays sent).
    Cancel { id: i64 },
    /// Send every push that is due now.
    Run,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &OutboxCmd) -> Result<(), Error> {
    match cmd {
        OutboxCmd::List { all_spaces } => {
            let items = book.outbox(if *all_spaces { None } else { Some(out.space) })?;
            out.show(&items, |items| {
                if items.is_empty() {
                    say!("The outbox is empty: every push was sent.");
                }
                for i in items {
                    let when = match (i.state, i.next_attempt_at) {
                        (OutboxState::Queued, Some(t)) => format!("next {}", t.format("%H:%M:%S UTC")),
                        _ => String::new(),
                    };
                    say!(
                        "#{:<5} {:<8} {:<20} {}  attempts {} {when}",
                        i.id,
                        i.state.as_str(),
                        i.connector_name,
                        i.case_title,
                        i.attempts
                    );
                    if let Some(e) = &i.last_error {
                        for line in e.lines() {
                            say!("        {line}");
                        }
                    }
                }
            });
        }
        OutboxCmd::Retry { id, anyway } => {
            in_space(book, out, *id)?;
            if *anyway {
                book.retry_push_anyway(*id)?;
            } else {
                book.retry_push(*id)?;
            }
            let outcome = block_on(book.run_due_pushes())?;
            out.show(&outcome, |list| list.iter().for_each(show_outcome));
        }
        OutboxCmd::Cancel { id } => {
            in_space(book, out, *id)?;
            book.cancel_push(*id)?;
            out.show(&serde_json::json!({ "cancelled": id }), |_| say!("Cancelled push #{id}."));
        }
        OutboxCmd::Run => {
            let outcome = block_on(book.run_due_pushes())?;
            out.show(&outcome, |list| {
                if list.is_empty() {
                    say!("Nothing is due.");
                }
                list.iter().for_each(show_outcome)
            });
        }
    }
    Ok(())
}

/// A push is its case's: another space's is not found here, as its case is not.
fn in_space(book: &Casebook, out: &Out<'_>, id: i64) -> Result<(), Error> {
    match book.outbox_item(id) {
        Ok(item) if item.space != out.space => Err(Error::NotFound {
            what: "push",
            id: format!("#{id} in space {} (see casebook outbox list --all-spaces)", out.space),
        }),
        other => other.map(drop),
    }
}
