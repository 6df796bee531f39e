//! The local analyst profile (the author of every change) and the teammates they can assign.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::model::{Assignee, ProfileStatus, User, UserInput};
use crate::row::ms;
use crate::{Casebook, Error, Result, validate};

/// The `app_settings` key holding when the analyst confirmed the profile (epoch ms): without
/// it the app asks for their name and e-mail.
const CONFIRMED_KEY: &str = "profile_confirmed_at";

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { username: r.get(0)?, full_name: r.get(1)?, email: r.get(2)?, profile_uid: None })
}

pub(crate) fn current_actor(conn: &Connection) -> Result<User> {
    conn.query_row(
        "SELECT u.username, u.full_name, u.email FROM profile p JOIN users u ON u.username = p.username WHERE p.id = 1",
        [],
        user_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::Storage("the analyst profile is missing".into()))
}

/// Fails on the first assignee who is neither the analyst nor a known teammate.
pub(crate) fn check_known(conn: &Connection, assignees: &[Assignee]) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM users WHERE username = ?1")?;
    for (i, a) in assignees.iter().enumerate() {
        if !stmt.exists([&a.uid])? {
            return Err(Error::validation(
                format!("assignees[{i}]"),
                format!("{:?} is not a known user; add them as a teammate first (casebook user add)", a.uid),
            ));
        }
    }
    Ok(())
}

fn validated(input: &UserInput) -> Result<UserInput> {
    Ok(UserInput {
        username: validate::username("username", &input.username)?,
        full_name: validate::optional_text("full_name", input.full_name.as_deref(), validate::MAX_USERNAME_LENGTH)?,
        email: validate::email(input.email.as_deref())?,
    })
}

impl Casebook {
    /// Creates the profile from the OS account the first time a database is opened.
    pub(crate) fn ensure_profile(&self) -> Result<()> {
        let mut conn = self.lock()?;
        // Most opens find the profile: check without taking the write lock.
        if conn.query_row("SELECT 1 FROM profile WHERE id = 1", [], |_| Ok(())).optional()?.is_some() {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let os_user = whoami::username();
        let username = validate::username("username", &os_user).unwrap_or_else(|_| "analyst".into());
        let full_name = Some(whoami::realname()).filter(|n| !n.trim().is_empty() && *n != username);
        tx.execute(
            "INSERT OR IGNORE INTO users (username, full_name, email, created_at) VALUES (?1, ?2, NULL, ?3)",
            (&username, &full_name, ms(self.now())),
        )?;
        // Another process may have created it meanwhile; theirs stands.
        tx.execute("INSERT OR IGNORE INTO profile (id, username) VALUES (1, ?1)", [&username])?;
        tx.commit()?;
        Ok(())
    }

    /// The analyst using this database.
    pub fn profile(&self) -> Result<User> {
        self.read(current_actor)
    }

    /// The analyst and whether they have confirmed the profile made from the OS account.
    pub fn profile_status(&self) -> Result<ProfileStatus> {
        self.read(|c| {
            let confirmed = c
                .query_row("SELECT 1 FROM app_settings WHERE key = ?1", [CONFIRMED_KEY], |_| Ok(()))
                .optional()?
                .is_some();
            Ok(ProfileStatus { profile: current_actor(c)?, confirmed })
        })
    }

    /// Changes the analyst's name, full name or email, and marks the profile confirmed (saving
    /// it unchanged confirms it too). Past records keep the name they had.
    pub fn set_profile(&self, input: &UserInput) -> Result<User> {
        let input = validated(input)?;
        self.write(|tx| {
            let me = &tx.actor.username;
            if input.username != *me {
                let taken = tx
                    .query_row("SELECT 1 FROM users WHERE username = ?1", [&input.username], |_| Ok(()))
                    .optional()?;
                if taken.is_some() {
                    return Err(Error::AlreadyExists { what: "user", id: input.username.clone() });
                }
            }
            tx.execute(
                "UPDATE users SET username = ?1, full_name = ?2, email = ?3 WHERE username = ?4",
                (&input.username, &input.full_name, &input.email, me),
            )?;
            tx.execute(
                "INSERT INTO app_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                (CONFIRMED_KEY, ms(tx.now).to_string()),
            )?;
            current_actor(tx)
        })
    }

    /// The analyst and every teammate, by username.
    pub fn list_users(&self) -> Result<Vec<User>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT username, full_name, email FROM users ORDER BY username")?;
            let rows = stmt.query_map([], user_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Adds a teammate who can then be assigned.
    pub fn add_user(&self, input: &UserInput) -> Result<User> {
        let input = validated(input)?;
        self.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO users (username, full_name, email, created_at) VALUES (?1, ?2, ?3, ?4)",
                (&input.username, &input.full_name, &input.email, ms(tx.now)),
            )?;
            if n == 0 {
                return Err(Error::AlreadyExists { what: "user", id: input.username.clone() });
            }
            Ok(User { username: input.username, full_name: input.full_name, email: input.email, profile_uid: None })
        })
    }

    /// Removes a teammate. Cases keep their assignment records; the analyst cannot be removed.
    pub fn remove_user(&self, username: &str) -> Result<()> {
        self.write(|tx| {
            if tx.actor.username == username {
                return Err(Error::validation("username", "you cannot remove your own profile"));
            }
            if tx.execute("DELETE FROM users WHERE username = ?1", [username])? == 0 {
                return Err(Error::not_found("user", username));
            }
            Ok(())
        })
    }
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
