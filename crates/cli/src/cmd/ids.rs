//! `casebook ids …`: case numbers (#1, #2, …).

use casebook_core::{Casebook, Error};

use super::Out;
use crate::args::IdsCmd;

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &IdsCmd) -> Result<(), Error> {
    match cmd {
        IdsCmd::Assign => {
            let report = book.assign_numbers()?;
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
