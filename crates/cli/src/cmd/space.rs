//! `casebook space …`: create and list spaces.

use casebook_core::{Casebook, Error};

use super::Out;
use crate::args::SpaceCmd;

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &SpaceCmd) -> Result<(), Error> {
    match cmd {
        SpaceCmd::Create { name } => {
            let s = book.create_space(name)?;
            out.show(&s, |s| say!("Created space {}.", s.name));
        }
        SpaceCmd::List => {
            let spaces = book.list_spaces()?;
            out.show(&spaces, |ss| ss.iter().for_each(|s| say!("{:<30} {} cases", s.name, s.total_cases)));
        }
    }
    Ok(())
}
