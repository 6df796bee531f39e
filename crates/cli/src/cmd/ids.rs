//! `casebook ids …`: case numbers (#1, #2, …).

use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::Out;

#[derive(Subcommand, Debug)]
pub enum IdsCmd {
    /// Number every case that has no number yet, in every space, oldest first.
    Assign,
    /// Show, or with a value set, the desktop app's minutes between numbering passes (1–60).
    Interval {
        #[arg(value_name = "MINUTES")]
        minutes: Option<u32>,
    },
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &IdsCmd) -> Result<(), Error> {
    match cmd {
        IdsCmd::Assign => {
            let report = book.assign_ids()?;
            out.show(&report, |r| match r.assigned {
                0 => say!("Every case already has a number."),
                1 => say!("Numbered 1 case."),
                n => say!("Numbered {n} cases."),
            });
        }
        IdsCmd::Interval { minutes } => {
            let minutes = match minutes {
                Some(m) => book.set_id_interval_minutes(*m)?,
                None => book.id_interval_minutes()?,
            };
            out.show(&serde_json::json!({ "interval_minutes": minutes }), |_| {
                say!("The desktop app numbers new cases every {minutes} minutes.")
            });
        }
    }
    Ok(())
}
