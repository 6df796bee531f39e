//! `casebook tags`, `casebook categories` and `casebook reporters`: the values used in the
//! space. They take no arguments, so they are plain variants of the top-level command.

use casebook_core::Error;

use super::Out;

pub fn list(out: &Out<'_>, items: Vec<String>) -> Result<(), Error> {
    out.show(&items, |items| {
        if items.is_empty() {
            say!("None yet in space {}.", out.space);
        }
        items.iter().for_each(|i| say!("{i}"));
    });
    Ok(())
}
