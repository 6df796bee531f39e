//! Noticing that the database changed, whoever changed it: this process, a `casebook` CLI, a
//! second window. The desktop shell polls a watcher and tells the window to refresh.

use rusqlite::{Connection, OpenFlags};

use crate::{Casebook, Result};

/// A read-only connection of its own whose `PRAGMA data_version` moves whenever any other
/// connection commits to the file.
#[derive(Debug)]
pub struct ChangeWatcher {
    conn: Connection,
    last: i64,
}

impl ChangeWatcher {
    /// True once after each batch of commits made since the last call (or since creation).
    pub fn changed(&mut self) -> Result<bool> {
        let now: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}

impl Casebook {
    /// A watcher for this database file.
    pub fn watcher(&self) -> Result<ChangeWatcher> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(self.path(), flags)?;
        let last = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(ChangeWatcher { conn, last })
    }
}

#[cfg(test)]
mod tests {
    use crate::{CaseCreate, Casebook};

    #[test]
    fn sees_commits_from_this_and_other_connections() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let book = Casebook::open(&path).unwrap();
        let mut w = book.watcher().unwrap();
        assert!(!w.changed().unwrap(), "nothing happened yet");
        book.create_case("default", &CaseCreate { title: "here".into(), ..Default::default() }).unwrap();
        assert!(w.changed().unwrap(), "a write through this Casebook");
        assert!(!w.changed().unwrap(), "reported once");
        let elsewhere = Casebook::open(&path).unwrap();
        elsewhere.create_case("default", &CaseCreate { title: "there".into(), ..Default::default() }).unwrap();
        assert!(w.changed().unwrap(), "a write through another connection, as a CLI would make");
        book.find_cases(&Default::default()).unwrap();
        assert!(!w.changed().unwrap(), "reads are not changes");
    }
}
