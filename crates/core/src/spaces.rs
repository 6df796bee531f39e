//! Spaces: named workspaces, each with its own cases and case settings.

use rusqlite::{Connection, OptionalExtension};

use crate::model::Space;
use crate::row::{ms, time};
use crate::{Casebook, Error, Result, validate};

/// The row id of a space, or `not_found`.
pub(crate) fn space_id(conn: &Connection, name: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM spaces WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("space", name))
}

impl Casebook {
    /// Creates a space. Names follow Kibana's space ids: lowercase letters, digits, `_`, `-`.
    pub fn create_space(&self, name: &str) -> Result<Space> {
        let name = validate::space_name(name)?;
        self.write(|tx| {
            let n =
                tx.execute("INSERT OR IGNORE INTO spaces (name, created_at) VALUES (?1, ?2)", (&name, ms(tx.now)))?;
            if n == 0 {
                return Err(Error::AlreadyExists { what: "space", id: name.clone() });
            }
            Ok(Space { name: name.clone(), created_at: tx.now, total_cases: 0 })
        })
    }

    /// Every space with its number of cases, `default` first.
    pub fn list_spaces(&self) -> Result<Vec<Space>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT s.name, s.created_at, (SELECT count(*) FROM cases x WHERE x.space_id = s.id)
                 FROM spaces s ORDER BY s.name <> 'default', s.name",
            )?;
            let rows = stmt
                .query_map([], |r| Ok(Space { name: r.get(0)?, created_at: time(r.get(1)?), total_cases: r.get(2)? }))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
