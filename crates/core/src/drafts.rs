//! Unsent text (a comment being typed, a description being edited, a new case's form) kept on
//! disk as it is typed, so closing the window, a crash or a power cut loses nothing.
//!
//! Drafts live in files beside the database (`<db>.drafts/`), not in it: saving a draft on
//! every pause in typing must not wake every window's change watcher, and a draft is nobody
//! else's business (no activity record, no version). Each save is write-to-temp, fsync,
//! rename, fsync of the folder: a draft on disk is always a whole one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::validate::MAX_DRAFT_LENGTH;
use crate::{Casebook, Error, Result};

/// Gives each save its own temporary file, so two saves of one draft never write into each other.
static SAVES: AtomicU64 = AtomicU64::new(0);

/// Longest draft key; keys name what the draft is for, e.g. `comment.<case id>`.
pub const MAX_DRAFT_KEY_LENGTH: usize = 200;

/// The drafts folder of a database.
#[derive(Debug, Clone)]
pub struct Drafts {
    dir: PathBuf,
}

fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= MAX_DRAFT_KEY_LENGTH
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
        && !key.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "key",
            format!("1 to {MAX_DRAFT_KEY_LENGTH} of a-z, 0-9, '-', '_' and '.', not starting with '.'"),
        ))
    }
}

fn storage(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Storage(format!("{what} {}: {e}", path.display()))
}

impl Drafts {
    /// The drafts of the database at `db_path`: the folder `<db file name>.drafts` beside it.
    pub fn beside(db_path: &Path) -> Self {
        let mut name = db_path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "casebook.db".into());
        name.push(".drafts");
        Drafts { dir: db_path.with_file_name(name) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.draft"))
    }

    /// The draft saved under `key`, if any.
    pub fn get(&self, key: &str) -> Result<Option<String>> {
        check_key(key)?;
        let path = self.file(key);
        match fs::read_to_string(&path) {
            Ok(body) => Ok(Some(body)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage("could not read the draft", &path, e)),
        }
    }

    /// Saves `body` under `key`, replacing what was there; blank text removes the draft.
    pub fn put(&self, key: &str, body: &str) -> Result<()> {
        check_key(key)?;
        if body.trim().is_empty() {
            return self.delete(key);
        }
        let chars = body.chars().count();
        if chars > MAX_DRAFT_LENGTH {
            return Err(Error::validation("body", format!("at most {MAX_DRAFT_LENGTH} characters (got {chars})")));
        }
        fs::create_dir_all(&self.dir).map_err(|e| storage("could not create", &self.dir, e))?;
        let path = self.file(key);
        let n = SAVES.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(format!(".{key}.{}-{n}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(body.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &path)?;
            // The rename itself must reach the disk, or a power cut could bring back the old draft.
            fs::File::open(&self.dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            storage("could not save the draft", &path, e)
        })
    }

    /// Removes the draft under `key` (nothing to do if there is none).
    pub fn delete(&self, key: &str) -> Result<()> {
        check_key(key)?;
        let path = self.file(key);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(storage("could not remove the draft", &path, e)),
        }
    }
}

impl Casebook {
    /// The drafts kept beside this database.
    pub fn drafts(&self) -> Drafts {
        Drafts::beside(self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_reads_replaces_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::beside(&dir.path().join("casebook.db"));
        assert_eq!(drafts.dir(), dir.path().join("casebook.db.drafts"));
        assert_eq!(drafts.get("comment.abc").unwrap(), None);
        drafts.put("comment.abc", "half a **thought**\n").unwrap();
        assert_eq!(drafts.get("comment.abc").unwrap().as_deref(), Some("half a **thought**\n"));
        drafts.put("comment.abc", "the whole thought").unwrap();
        assert_eq!(drafts.get("comment.abc").unwrap().as_deref(), Some("the whole thought"));
        // Blank text is no draft.
        drafts.put("comment.abc", "  \n ").unwrap();
        assert_eq!(drafts.get("comment.abc").unwrap(), None);
        drafts.put("description.x", "d").unwrap();
        drafts.delete("description.x").unwrap();
        drafts.delete("description.x").unwrap();
        assert_eq!(drafts.get("description.x").unwrap(), None);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(drafts.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn concurrent_saves_of_one_draft_leave_one_whole_text() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::beside(&dir.path().join("casebook.db"));
        let texts: Vec<String> = (0..8).map(|i| format!("{i}").repeat(50_000)).collect();
        std::thread::scope(|s| {
            for t in &texts {
                let d = drafts.clone();
                s.spawn(move || d.put("comment.race", t).unwrap());
            }
        });
        let kept = drafts.get("comment.race").unwrap().unwrap();
        assert!(texts.contains(&kept), "a mixed or partial draft was kept ({} chars)", kept.len());
        assert_eq!(fs::read_dir(drafts.dir()).unwrap().count(), 1, "temporary files were left behind");
    }

    #[test]
    fn refuses_keys_that_could_leave_the_folder_and_oversized_text() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::beside(&dir.path().join("casebook.db"));
        for key in ["", "../escape", "a/b", ".hidden", "UPPER", "sp ace", &"k".repeat(201)] {
            let err = drafts.put(key, "x").unwrap_err();
            assert_eq!(err.code(), "validation", "{key:?}");
            assert!(err.to_string().contains("key"), "{err}");
        }
        let err = drafts.put("comment.big", &"é".repeat(MAX_DRAFT_LENGTH + 1)).unwrap_err();
        assert!(err.to_string().contains(&format!("at most {MAX_DRAFT_LENGTH} characters")), "{err}");
        assert_eq!(drafts.get("comment.big").unwrap(), None);
    }
}
