//! The opt-in encrypted file store, for machines without an OS keychain (minimal desktops,
//! WSL, servers): one age file beside the database, encrypted with a passphrase (age's scrypt
//! recipient), holding only secrets as a JSON object of name → secret.
//!
//! It is weaker than the keychain: anyone who copies the file can try passphrases offline, and
//! a weak one falls. So it is only used when the user chose it for this database
//! (`secrets/choice.rs`), never as a fallback. The passphrase is given once per session and kept
//! in memory (zeroized when dropped); the decrypted entries are kept too, so a read does not pay
//! scrypt's second of work again, and are read anew when another process changed the file.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use age::secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

use super::{SecretStore, check_name, check_secret};
use crate::{Error, Result};

/// Shortest passphrase accepted for a new file, in characters. The file can be copied and
/// attacked offline; scrypt slows each guess, a long passphrase is what makes guessing hopeless.
pub const MIN_PASSPHRASE_LENGTH: usize = 12;

/// scrypt's work factor (N = 2^18: 256 MiB and about a second per try on a current machine),
/// fixed rather than age's timing of this machine, which a busy machine would make weaker.
const WORK_FACTOR: u8 = 18;

/// The highest work factor a file is opened with: a file made elsewhere with a higher one
/// would take minutes and gigabytes, so it is refused instead.
const MAX_WORK_FACTOR: u8 = 22;

/// Asks the user for the passphrase when a call needs the file and none was given (the CLI on
/// a terminal); `None`: the user gave none.
pub type PassphrasePrompt = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// The encrypted secrets file of one database.
pub struct EncryptedFile {
    path: PathBuf,
    state: Mutex<State>,
    /// scrypt's log2(N) for writing.
    work_factor: u8,
    prompt: Option<PassphrasePrompt>,
}

#[derive(Default)]
struct State {
    passphrase: Option<SecretString>,
    /// The entries as last read or written, with the file's stamp then.
    cache: Option<(Stamp, Entries)>,
    /// The prompt was asked once and gave nothing: not asked again this session.
    prompt_declined: bool,
}

/// What tells that another process rewrote the file since it was read (every write is a rename
/// of a new file, so its inode changes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    #[cfg(unix)]
    inode: u64,
}

/// Decrypted secrets, wiped from memory when dropped.
#[derive(Default, Clone)]
pub(crate) struct Entries(BTreeMap<String, String>);

impl Drop for Entries {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            value.zeroize();
        }
    }
}

impl Entries {
    pub(crate) fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl std::fmt::Debug for EncryptedFile {
    // The path only: never the passphrase or the entries.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptedFile").field("path", &self.path).finish_non_exhaustive()
    }
}

impl EncryptedFile {
    /// The store of the database at `db`: the file `<db>.secrets.age`.
    pub fn beside(db: &Path) -> EncryptedFile {
        let mut name = db.as_os_str().to_owned();
        name.push(".secrets.age");
        EncryptedFile { path: PathBuf::from(name), state: Mutex::default(), work_factor: WORK_FACTOR, prompt: None }
    }

    /// A cheaper scrypt work factor for new writes (tests only: real files use age's choice).
    #[doc(hidden)]
    pub fn with_work_factor(mut self, log_n: u8) -> EncryptedFile {
        self.work_factor = log_n;
        self
    }

    pub fn with_prompt(mut self, prompt: PassphrasePrompt) -> EncryptedFile {
        self.prompt = Some(prompt);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Whether the passphrase was given this session.
    pub fn is_unlocked(&self) -> bool {
        self.state().passphrase.is_some()
    }

    /// Keeps `passphrase` for this session once it opens the file; a file that does not exist
    /// yet will be written with it, and so it must be long enough. A wrong one changes nothing.
    pub fn unlock(&self, passphrase: &str) -> Result<()> {
        let mut state = self.state();
        self.unlock_locked(&mut state, passphrase)
    }

    fn unlock_locked(&self, state: &mut State, passphrase: &str) -> Result<()> {
        let passphrase = SecretString::from(passphrase.to_string());
        let _lock = self.file_lock()?;
        match self.stamp()? {
            Some(stamp) => {
                let entries = self.decrypt(&passphrase)?;
                state.cache = Some((stamp, entries));
            }
            None => {
                check_new_passphrase(passphrase.expose_secret())?;
                state.cache = None;
            }
        }
        state.passphrase = Some(passphrase);
        Ok(())
    }

    /// Forgets the passphrase and the decrypted entries: the file is locked until the passphrase
    /// is given again (Settings → Secrets → Lock now, e.g. before leaving the desk).
    pub fn lock(&self) {
        *self.state() = State::default();
    }

    /// Encrypts the file again with `new`. `old` must open it and `new` be long enough; a
    /// refusal changes nothing. This session keeps the new passphrase; another session that
    /// holds the old one finds the file locked on its next read and asks again.
    pub fn change_passphrase(&self, old: &str, new: &str) -> Result<()> {
        check_new_passphrase(new).map_err(|e| match e {
            Error::Validation { message, .. } => Error::Validation { field: "new_passphrase".into(), message },
            e => e,
        })?;
        let mut state = self.state();
        let _lock = self.file_lock()?;
        if self.stamp()?.is_none() {
            return Err(Error::validation("passphrase", "there is no encrypted secrets file yet"));
        }
        let entries = self.decrypt(&SecretString::from(old.to_string()))?;
        let new = SecretString::from(new.to_string());
        self.write(&new, &entries)?;
        let stamp = self.stamp()?.ok_or_else(|| self.storage("it vanished right after it was written"))?;
        *state = State { passphrase: Some(new), cache: Some((stamp, entries)), prompt_declined: false };
        Ok(())
    }

    /// Every entry (for moving them to another store).
    pub(crate) fn entries(&self) -> Result<Entries> {
        let mut state = self.unlocked_state()?;
        let _lock = self.file_lock()?;
        self.load(&mut state)
    }

    /// Changes several entries in one write: `Some` sets, `None` removes.
    pub(crate) fn change(&self, changes: &[(String, Option<String>)]) -> Result<()> {
        for (name, secret) in changes {
            check_name(name)?;
            if let Some(secret) = secret {
                check_secret(secret)?;
            }
        }
        let mut state = self.unlocked_state()?;
        let _lock = self.file_lock()?;
        let mut entries = self.load(&mut state)?;
        for (name, secret) in changes {
            match secret {
                Some(secret) => entries.0.insert(name.clone(), secret.clone()),
                None => entries.0.remove(name),
            };
        }
        let passphrase = state.passphrase.clone().ok_or(Error::SecretsLocked)?;
        self.write(&passphrase, &entries)?;
        let stamp = self.stamp()?.ok_or_else(|| self.storage("it vanished right after it was written"))?;
        state.cache = Some((stamp, entries));
        Ok(())
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic mid-call leaves at worst a stale cache, which the stamp check replaces.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The state with a passphrase, asking the prompt once if there is one.
    fn unlocked_state(&self) -> Result<MutexGuard<'_, State>> {
        let mut state = self.state();
        if state.passphrase.is_none() {
            let given = match &self.prompt {
                Some(prompt) if !state.prompt_declined => prompt(),
                _ => None,
            };
            match given {
                Some(passphrase) => self.unlock_locked(&mut state, &passphrase)?,
                None => {
                    state.prompt_declined = true;
                    return Err(Error::SecretsLocked);
                }
            }
        }
        Ok(state)
    }

    /// The entries as the file holds them now (none when there is no file yet).
    fn load(&self, state: &mut State) -> Result<Entries> {
        let Some(stamp) = self.stamp()? else {
            return Ok(Entries::default());
        };
        if let Some((cached, entries)) = &state.cache
            && *cached == stamp
        {
            return Ok(entries.clone());
        }
        let passphrase = state.passphrase.clone().ok_or(Error::SecretsLocked)?;
        let entries = match self.decrypt(&passphrase) {
            Ok(entries) => entries,
            // Another session changed the passphrase: locked until the new one is given.
            Err(Error::WrongPassphrase { .. }) => {
                *state = State::default();
                return Err(Error::SecretsLocked);
            }
            Err(e) => return Err(e),
        };
        state.cache = Some((stamp, entries.clone()));
        Ok(entries)
    }

    fn decrypt(&self, passphrase: &SecretString) -> Result<Entries> {
        let bytes = fs::read(&self.path).map_err(|e| self.storage(e))?;
        let mut identity = age::scrypt::Identity::new(passphrase.clone());
        identity.set_max_work_factor(MAX_WORK_FACTOR);
        let plain = match age::decrypt(&identity, &bytes) {
            Ok(plain) => zeroize::Zeroizing::new(plain),
            Err(age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys) => {
                return Err(Error::WrongPassphrase { path: self.path.display().to_string() });
            }
            Err(e) => return Err(self.storage(format!("it is not a readable age file ({e})"))),
        };
        // The JSON parser's error names a position, never the text around it.
        let map = serde_json::from_slice(&plain)
            .map_err(|e| self.storage(format!("it decrypted but does not hold Casebook secrets ({e})")))?;
        Ok(Entries(map))
    }

    /// Writes a new file beside the old one, syncs it, renames it over the old one and syncs
    /// the folder: a crash leaves the old file or the new one, never half of one.
    fn write(&self, passphrase: &SecretString, entries: &Entries) -> Result<()> {
        let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
        recipient.set_work_factor(self.work_factor);
        let plain = zeroize::Zeroizing::new(serde_json::to_vec(&entries.0)?);
        let sealed = age::encrypt(&recipient, &plain).map_err(|e| self.storage(format!("cannot encrypt it ({e})")))?;
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut temp =
            tempfile::Builder::new().prefix(".casebook-secrets-").tempfile_in(dir).map_err(|e| self.storage(e))?;
        temp.write_all(&sealed).map_err(|e| self.storage(e))?;
        temp.as_file().sync_all().map_err(|e| self.storage(e))?;
        temp.persist(&self.path).map_err(|e| self.storage(e.error))?;
        sync_dir(dir).map_err(|e| self.storage(e))?;
        Ok(())
    }

    fn stamp(&self) -> Result<Option<Stamp>> {
        match fs::metadata(&self.path) {
            Ok(meta) => Ok(Some(Stamp {
                modified: meta.modified().ok(),
                len: meta.len(),
                #[cfg(unix)]
                inode: std::os::unix::fs::MetadataExt::ino(&meta),
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.storage(e)),
        }
    }

    /// Holds `<file>.lock` exclusively while the file is read or rewritten, so two processes
    /// (the app and a CLI) changing secrets at once do not lose one's change.
    fn file_lock(&self) -> Result<File> {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(PathBuf::from(name))
            .map_err(|e| self.storage(e))?;
        lock.lock().map_err(|e| self.storage(e))?;
        Ok(lock)
    }

    fn storage(&self, reason: impl std::fmt::Display) -> Error {
        Error::Storage(format!("the encrypted secrets file {}: {reason}", self.path.display()))
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a folder to sync it; the rename itself is atomic there.
    Ok(())
}

/// A passphrase for a new file: long enough, and not only spaces.
pub(crate) fn check_new_passphrase(passphrase: &str) -> Result<()> {
    let count = passphrase.chars().count();
    if passphrase.trim().is_empty() || count < MIN_PASSPHRASE_LENGTH {
        return Err(Error::validation(
            "passphrase",
            format!(
                "at least {MIN_PASSPHRASE_LENGTH} characters (got {count}): anyone with a copy of the file can try passphrases offline"
            ),
        ));
    }
    Ok(())
}

impl SecretStore for EncryptedFile {
    fn get(&self, name: &str) -> Result<Option<String>> {
        check_name(name)?;
        Ok(self.entries()?.get(name).map(str::to_string))
    }

    fn set(&self, name: &str, secret: &str) -> Result<()> {
        self.change(&[(name.to_string(), Some(secret.to_string()))])
    }

    fn delete(&self, name: &str) -> Result<()> {
        check_name(name)?;
        if self.entries()?.get(name).is_none() {
            return Ok(()); // nothing to remove: no rewrite
        }
        self.change(&[(name.to_string(), None)])
    }
}
