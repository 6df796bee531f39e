//! `casebook user …`: your analyst profile and your teammates.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;
use serde::Serialize;

use super::Out;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Show your profile, or change it with the flags. Any change confirms it, so the desktop
    /// app no longer asks for your name and e-mail on start.
    Me {
        #[arg(long)]
        username: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Confirm the profile as it is (the app then does not ask for it).
        #[arg(long)]
        confirm: bool,
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

/// `user me`'s JSON: the user's fields and `confirmed`.
#[derive(Serialize)]
struct Me<'a> {
    #[serde(flatten)]
    user: &'a User,
    confirmed: bool,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &UserCmd) -> Result<(), Error> {
    match cmd {
        UserCmd::Me { username, full_name, email, confirm } => {
            let me = book.profile()?;
            if *confirm || username.is_some() || full_name.is_some() || email.is_some() {
                book.set_profile(&UserInput {
                    username: username.clone().unwrap_or(me.username),
                    full_name: full_name.clone().or(me.full_name),
                    email: email.clone().or(me.email),
                })?;
            }
            // The same profile the app shows, with whether it still asks for it.
            let status = book.profile_status()?;
            let shown = Me { user: &status.profile, confirmed: status.confirmed };
            out.show(&shown, |m| {
                print::user(m.user, true);
                if !m.confirmed {
                    say!("Not confirmed: the app asks for your name and e-mail when it starts. `casebook user me --confirm` keeps them as they are.");
                }
            });
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
