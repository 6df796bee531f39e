//! `casebook user …`: your analyst profile and your teammates.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::Out;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Show your profile, or change it with the flags.
    Me {
        #[arg(long)]
        username: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// You and your teammates.
    List,
    /// Add a teammate you can assign cases to.
    Add {
        username: String,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Remove a teammate.
    Remove { username: String },
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &UserCmd) -> Result<(), Error> {
    match cmd {
        UserCmd::Me { username, full_name, email } => {
            let me = book.profile()?;
            let me = if username.is_none() && full_name.is_none() && email.is_none() {
                me
            } else {
                book.set_profile(&UserInput {
                    username: username.clone().unwrap_or(me.username),
                    full_name: full_name.clone().or(me.full_name),
                    email: email.clone().or(me.email),
                })?
            };
            out.show(&me, |u| print::user(u, true));
        }
        UserCmd::List => {
            let me = book.profile()?;
            let users = book.list_users()?;
            out.show(&users, |us| us.iter().for_each(|u| print::user(u, u.username == me.username)));
        }
        UserCmd::Add { username, full_name, email } => {
            let u = book.add_user(&UserInput {
                username: username.clone(),
                full_name: full_name.clone(),
                email: email.clone(),
            })?;
            out.show(&u, |u| say!("Added teammate {}.", u.username));
        }
        UserCmd::Remove { username } => {
            book.remove_user(username)?;
            out.show(&serde_json::json!({ "removed": username }), |_| say!("Removed teammate {username}."));
        }
    }
    Ok(())
}
