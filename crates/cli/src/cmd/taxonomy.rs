//! `casebook tags`, `casebook categories` and `casebook reporters`: the values used in the
//! space (tags with their number of cases). They take no arguments, so they are plain variants
//! of the top-level command.

use casebook_core::{Error, TagCount};

use super::Out;
use crate::print;

pub fn list(out: &Out<'_>, items: Vec<String>) -> Result<(), Error> {
    out.show(&items, |items| {
        if items.is_empty() {
            say!("None yet in space {}.", out.space);
        }
        items.iter().for_each(|i| say!("{i}"));
    });
    Ok(())
}

/// `casebook tags`: each tag with its number of cases, most used first.
pub fn tags(out: &Out<'_>, mut tags: Vec<TagCount>) -> Result<(), Error> {
    tags.sort_by_key(|t| std::cmp::Reverse(t.cases));
    out.show(&tags, |tags| {
        if tags.is_empty() {
            say!("None yet in space {}.", out.space);
        }
        let counts: Vec<String> = tags.iter().map(|t| print::num(t.cases)).collect();
        let width = counts.iter().map(String::len).max().unwrap_or(0);
        tags.iter().zip(&counts).for_each(|(t, n)| say!("{n:>width$}  {}", t.tag));
    });
    Ok(())
}
