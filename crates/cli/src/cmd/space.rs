//! `casebook space …`: create and list spaces.

use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::Out;

#[derive(Subcommand, Debug)]
pub enum SpaceCmd {
    /// Create a space (lowercase letters, digits, '_' and '-').
    Create { name: String },
    /// List the spaces and their case counts.
    List,
}

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
