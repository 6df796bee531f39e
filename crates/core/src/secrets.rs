//! Secrets (API keys, tokens) live in the OS keychain, or, when the user chose it for the
//! database, in an encrypted file beside it (`secrets/file.rs`), and nowhere else: not in the
//! database, not in a config file, not in a log line or an error message. When no keychain can
//! be used the operation fails with `keychain_unavailable`, pointing at the encrypted file;
//! there is deliberately no silent fallback.
//!
//! Every call is a blocking IPC to the OS (D-Bus on Linux): from async code, call it through
//! `spawn_blocking`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use keyring::credential::CredentialPersistence;

use crate::{Error, Result};

mod choice;
mod file;

pub(crate) use choice::Chosen;
pub use choice::{SecretNotMoved, SecretStoreKind, SecretStoreStatus, SecretStoreSwitch};
pub use file::{EncryptedFile, MIN_PASSPHRASE_LENGTH, PassphrasePrompt};

/// The keychain service every Casebook secret is stored under; the item's user is its name.
pub const SERVICE: &str = "casebook";

/// Longest accepted secret name, in characters (names are short ids such as
/// `elasticsearch:default` or `connector:<uuid>`).
pub const MAX_NAME_LENGTH: usize = 200;

/// Longest keychain error text kept as detail in a message.
const MAX_DETAIL_LENGTH: usize = 300;

/// The detail of an entry whose bytes are not text: the keychain answered, but the entry
/// cannot be read (only replaced or deleted).
const NOT_UTF8: &str = "the stored secret is not valid UTF-8; delete it and save it again.";

/// How the detail of several items under one name ends (the keychain answered, too).
const DUPLICATES: &str = "keychain items match this name; remove the duplicates in your keychain manager.";

/// Where secrets are kept: [`Keychain`] or [`EncryptedFile`]; [`MemorySecrets`] is for tests.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    /// The secret stored under `name`, or `None` when there is none.
    fn get(&self, name: &str) -> Result<Option<String>>;
    /// Stores `secret` under `name`, replacing any previous one.
    fn set(&self, name: &str, secret: &str) -> Result<()>;
    /// Removes the secret stored under `name`; removing a missing one is Ok.
    fn delete(&self, name: &str) -> Result<()>;
}

/// The platform keychain used by the desktop app and the CLI.
pub fn default_store() -> Arc<dyn SecretStore> {
    Arc::new(Keychain)
}

/// The OS keychain through `keyring` 3: macOS Keychain, Windows Credential Manager, or the
/// Secret Service (gnome-keyring, KWallet) on Linux and the BSDs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keychain;

/// The keyring docs warn that concurrent Secret Service calls can fail, so every call of this
/// process goes through this one lock.
static KEYCHAIN_LOCK: Mutex<()> = Mutex::new(());

/// A name that is never written: reading it tells whether the keychain answers at all.
pub(crate) const PROBE_NAME: &str = "casebook:probe";

impl Keychain {
    /// Checks that the keychain can be used now (for a status line in Settings), without
    /// storing anything. Ok also when the probe item does not exist.
    pub fn probe(&self) -> Result<()> {
        self.get(PROBE_NAME).map(|_| ())
    }

    fn with_entry<T>(&self, name: &str, f: impl FnOnce(&keyring::Entry) -> Result<T>) -> Result<T> {
        check_name(name)?;
        ensure_persistent_backend()?;
        // A panic in another call leaves nothing half-done on our side: the keychain is the state.
        let _guard = KEYCHAIN_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let entry = keyring::Entry::new(SERVICE, name).map_err(|e| map_error(e, None))?;
        f(&entry)
    }
}

impl SecretStore for Keychain {
    fn get(&self, name: &str) -> Result<Option<String>> {
        self.with_entry(name, get_from)
    }

    fn set(&self, name: &str, secret: &str) -> Result<()> {
        check_secret(secret)?;
        self.with_entry(name, |entry| set_into(entry, secret))
    }

    fn delete(&self, name: &str) -> Result<()> {
        self.with_entry(name, delete_from)
    }
}

/// Without a backend for the target OS, keyring compiles to its mock, which "stores" into the
/// entry value and forgets it: refuse rather than pretend. This checks the compiled default,
/// which a test override of the builder does not change.
fn ensure_persistent_backend() -> Result<()> {
    static PERSISTENT: OnceLock<bool> = OnceLock::new();
    let persistent =
        *PERSISTENT.get_or_init(|| persistence_ok(&keyring::default::default_credential_builder().persistence()));
    if persistent {
        Ok(())
    } else {
        Err(Error::KeychainUnavailable {
            detail: Some("this build of Casebook has no keychain support for this operating system.".into()),
        })
    }
}

fn persistence_ok(persistence: &CredentialPersistence) -> bool {
    matches!(persistence, CredentialPersistence::UntilDelete)
}

/// Waits between the tries of a call the Secret Service answered with "no result".
const NO_RESULT_RETRIES: [Duration; 2] = [Duration::from_millis(100), Duration::from_millis(400)];

/// Runs a keychain call again when the Secret Service answers "no result" (it has no default
/// collection), a moment later. An e2e run once saw a secret just saved read back as "no
/// keyring"; the cause was not reproduced, so this guards against a passing state. A keychain
/// that really has no keyring still says so, half a second later.
fn retrying<T>(call: impl Fn() -> keyring::Result<T>) -> keyring::Result<T> {
    let mut waits = NO_RESULT_RETRIES.iter();
    loop {
        match call() {
            Err(keyring::Error::NoStorageAccess(inner)) if inner.to_string().contains("no result") => {
                match waits.next() {
                    Some(wait) => std::thread::sleep(*wait),
                    None => return Err(keyring::Error::NoStorageAccess(inner)),
                }
            }
            other => return other,
        }
    }
}

fn get_from(entry: &keyring::Entry) -> Result<Option<String>> {
    match retrying(|| entry.get_password()) {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(map_error(e, None)),
    }
}

fn set_into(entry: &keyring::Entry, secret: &str) -> Result<()> {
    retrying(|| entry.set_password(secret)).map_err(|e| map_error(e, Some(secret)))
}

fn delete_from(entry: &keyring::Entry) -> Result<()> {
    match retrying(|| entry.delete_credential()) {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(map_error(e, None)),
    }
}

/// Maps a keyring error to ours. Only keyring's Display text is used, never its Debug output
/// (`BadEncoding` carries the stored bytes), and `secret`, when known, is cut out of it.
fn map_error(e: keyring::Error, secret: Option<&str>) -> Error {
    let unavailable = |detail: String| Error::KeychainUnavailable { detail: Some(scrub(detail, secret)) };
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            // With D-Bus up but no keyring collection yet, the Secret Service answers "no result":
            // nothing to unlock, so the fix is the one for a missing keychain.
            let text = inner.to_string();
            if text.contains("no result") {
                unavailable(format!("the Secret Service has no keyring to store into ({text})."))
            } else {
                Error::KeychainLocked
            }
        }
        keyring::Error::PlatformFailure(ref inner) => {
            let text = inner.to_string();
            // A locked collection refuses new items as a platform failure, not as "no access".
            if text.contains("IsLocked") { Error::KeychainLocked } else { unavailable(sentence(e.to_string())) }
        }
        keyring::Error::BadEncoding(_) => not_utf8(),
        keyring::Error::Ambiguous(items) => unavailable(format!("{} {DUPLICATES}", items.len())),
        keyring::Error::TooLong(attribute, limit) => Error::validation(
            our_field(&attribute),
            format!("is longer than the OS keychain allows ({limit} characters)"),
        ),
        keyring::Error::Invalid(attribute, reason) => {
            Error::validation(our_field(&attribute), format!("the OS keychain refused it: {}", scrub(reason, secret)))
        }
        // NoEntry reaches here only from set (the other calls treat it as "none"), and future
        // variants of this non-exhaustive enum.
        other => unavailable(sentence(other.to_string())),
    }
}

fn not_utf8() -> Error {
    Error::KeychainUnavailable { detail: Some(NOT_UTF8.into()) }
}

/// Whether a failed read of the secret a change replaces or removes stops the change: the
/// keychain is locked (or the user just declined to unlock it) or there is none, so the write
/// cannot work either. An entry that is there but cannot be read (not text, duplicates) does
/// not: replacing or deleting it is what its message tells the user to do.
pub(crate) fn stops_the_change(e: &Error) -> bool {
    match e {
        Error::KeychainLocked => true,
        Error::KeychainUnavailable { detail } => {
            !detail.as_deref().is_some_and(|d| d == NOT_UTF8 || d.ends_with(DUPLICATES))
        }
        _ => false,
    }
}

/// Whether a failed read says only that the store cannot be asked now (the secrets file is
/// locked or the passphrase wrong, no keychain or a locked one): a list or a settings page still
/// shows, saying so, instead of failing.
pub(crate) fn store_unreadable(e: &Error) -> bool {
    matches!(
        e,
        Error::SecretsLocked
            | Error::WrongPassphrase { .. }
            | Error::KeychainUnavailable { .. }
            | Error::KeychainLocked
    )
}

/// keyring's attribute names as this module's parameters are called.
fn our_field(attribute: &str) -> String {
    match attribute {
        "password" | "secret" => "secret".into(),
        "user" | "username" => "name".into(),
        other => other.into(),
    }
}

fn sentence(mut text: String) -> String {
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// Removes `secret` from `text` and caps its length, so a backend that echoes its input
/// cannot put the secret into a message.
fn scrub(text: String, secret: Option<&str>) -> String {
    let mut text = match secret {
        Some(s) if !s.is_empty() && text.contains(s) => text.replace(s, "[redacted]"),
        _ => text,
    };
    if text.chars().count() > MAX_DETAIL_LENGTH {
        text = text.chars().take(MAX_DETAIL_LENGTH).collect::<String>() + "…";
    }
    text
}

fn check_name(name: &str) -> Result<()> {
    let count = name.chars().count();
    if name.trim().is_empty() {
        return Err(Error::validation("name", "the secret's name is empty"));
    }
    if count > MAX_NAME_LENGTH {
        return Err(Error::validation("name", format!("at most {MAX_NAME_LENGTH} characters (got {count})")));
    }
    if name.trim() != name || name.chars().any(char::is_control) {
        return Err(Error::validation("name", "must not start or end with spaces or contain control characters"));
    }
    Ok(())
}

fn check_secret(secret: &str) -> Result<()> {
    // The secret itself never goes into the message.
    if secret.trim().is_empty() {
        return Err(Error::validation("secret", "is empty; paste the key or token again"));
    }
    Ok(())
}

/// The secret a change replaced or removed, to put back if the commit fails.
enum Previous {
    /// What was stored (`None`: nothing).
    Known(Option<String>),
    /// It could not be read (see [`stops_the_change`]), so it cannot be put back.
    Unknown,
}

/// What a change to a connector or alert source does to its secret once the database took it.
pub(crate) enum SecretChange<'a> {
    /// Nothing: the stored secret stays.
    Keep,
    /// Stores this secret, replacing any previous one.
    Set(&'a str),
    /// Removes the secret.
    Delete,
}

impl crate::Casebook {
    /// Runs `sql` in one write transaction and changes the keychain entry `name` only once the
    /// database has accepted the change (the transaction began, the name was free, the rows were
    /// written), just before the commit. So a refused change (`already_exists`, `busy`, not
    /// found) leaves the keychain as it was; a keychain that refuses rolls the database back; and
    /// a commit that fails puts the previous secret back. The keychain call runs while the
    /// write lock is held: it is short, and the alternative, a secret changed for a row that
    /// then is not, loses the user's working token. A previous secret that is stored but cannot
    /// be read does not stop the change (replacing or deleting it is the fix); it just cannot be
    /// put back.
    pub(crate) fn write_with_secret<T>(
        &self,
        name: &str,
        change: SecretChange<'_>,
        sql: impl FnOnce(&crate::Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        // Some(previous secret) once the keychain was changed.
        let mut changed: Option<Previous> = None;
        let result = self.write(|tx| {
            let out = sql(tx)?;
            match change {
                SecretChange::Keep => {}
                SecretChange::Set(secret) => {
                    let previous = self.previous_secret(name)?;
                    self.secrets().set(name, secret)?;
                    changed = Some(previous);
                }
                SecretChange::Delete => {
                    let previous = self.previous_secret(name)?;
                    self.secrets().delete(name)?;
                    changed = Some(previous);
                }
            }
            Ok(out)
        });
        if result.is_err()
            && let Some(previous) = changed
        {
            let restored = match previous {
                Previous::Known(Some(secret)) => self.secrets().set(name, &secret),
                Previous::Known(None) => self.secrets().delete(name),
                Previous::Unknown => {
                    tracing::warn!(
                        name,
                        "the keychain was changed before a commit that failed; its previous secret could not be read, so it was not put back"
                    );
                    Ok(())
                }
            };
            if let Err(e) = restored {
                // The commit's error is the one to report; this one is logged (it holds no secret).
                tracing::warn!(code = e.code(), "the keychain could not be put back after a failed commit: {e}");
            }
        }
        result
    }

    /// The secret stored under `name` before a change, or `Unknown` when it is there but cannot
    /// be read. A locked or missing keychain stops the change.
    fn previous_secret(&self, name: &str) -> Result<Previous> {
        match self.secrets().get(name) {
            Ok(previous) => Ok(Previous::Known(previous)),
            Err(e) if stops_the_change(&e) => Err(e),
            Err(e) => {
                // The error's text holds no secret (`map_error` never shows stored bytes).
                tracing::warn!(name, code = e.code(), "the secret being replaced could not be read: {e}");
                Ok(Previous::Unknown)
            }
        }
    }
}

/// An in-process store for tests: same rules as [`Keychain`], nothing leaves the process.
/// An entry is `None` when it stands for one the keychain cannot read.
#[doc(hidden)]
#[derive(Default)]
pub struct MemorySecrets(Mutex<HashMap<String, Option<String>>>);

impl MemorySecrets {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores under `name` an entry that reading fails on as the keychain's does for bytes
    /// that are not UTF-8 (another program wrote it); setting or deleting it works.
    pub fn set_unreadable(&self, name: &str) {
        self.map().insert(name.to_string(), None);
    }

    /// The names stored, sorted (tests check that nothing else was stored).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.map().keys().cloned().collect();
        names.sort();
        names
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<String>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for MemorySecrets {
    // Names only: the values are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemorySecrets").field("names", &self.names()).finish()
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<String>> {
        check_name(name)?;
        match self.map().get(name) {
            None => Ok(None),
            Some(Some(secret)) => Ok(Some(secret.clone())),
            Some(None) => Err(not_utf8()),
        }
    }

    fn set(&self, name: &str, secret: &str) -> Result<()> {
        check_name(name)?;
        check_secret(secret)?;
        self.map().insert(name.to_string(), Some(secret.to_string()));
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<()> {
        check_name(name)?;
        self.map().remove(name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use keyring::credential::CredentialBuilderApi;
    use keyring::mock::{MockCredential, MockCredentialBuilder};

    use super::*;

    const TOKEN: &str = "cbTOKEN-9f8e7d6c5b4a";

    /// A mock entry (it keeps its secret in the entry value, so tests reuse one entry).
    fn mock_entry() -> keyring::Entry {
        let credential = MockCredentialBuilder {}.build(None, SERVICE, "elasticsearch:default").unwrap();
        keyring::Entry::new_with_credential(credential)
    }

    /// Makes the entry's next call fail with `err`.
    fn fail_next(entry: &keyring::Entry, err: keyring::Error) {
        let mock: &MockCredential = entry.get_credential().downcast_ref().unwrap();
        mock.set_error(err);
    }

    fn boxed(text: &str) -> Box<dyn std::error::Error + Send + Sync> {
        text.to_string().into()
    }

    /// Every failure the keychain can report, with the texts measured on Linux (keyring.md §2).
    fn failures() -> Vec<keyring::Error> {
        vec![
            keyring::Error::NoStorageAccess(boxed("unlock prompt was dismissed")),
            keyring::Error::NoStorageAccess(boxed("Secret Service: no result found")),
            keyring::Error::PlatformFailure(boxed(
                "D-Bus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11 (org.freedesktop.DBus.Error.NotSupported)",
            )),
            keyring::Error::PlatformFailure(boxed(
                "D-Bus error: Cannot create an item in a locked collection (org.freedesktop.Secret.Error.IsLocked)",
            )),
            keyring::Error::NoEntry,
            keyring::Error::BadEncoding(TOKEN.as_bytes().to_vec()),
            keyring::Error::TooLong("password".into(), 2560),
            keyring::Error::Invalid("user".into(), "empty".into()),
            keyring::Error::Ambiguous(vec![]),
        ]
    }

    /// Failures of a backend that echoes what it was given: only `set` gives it the secret.
    fn echoing_failures() -> Vec<keyring::Error> {
        vec![
            keyring::Error::NoStorageAccess(boxed(&format!("denied for {TOKEN}"))),
            keyring::Error::PlatformFailure(boxed(&format!("backend echoed the password {TOKEN}"))),
            keyring::Error::Invalid("password".into(), format!("bad value {TOKEN}")),
        ]
    }

    #[test]
    fn missing_entry_is_none_and_deleting_it_is_ok() {
        let entry = mock_entry();
        assert_eq!(get_from(&entry).unwrap(), None);
        delete_from(&entry).unwrap();
        set_into(&entry, TOKEN).unwrap();
        assert_eq!(get_from(&entry).unwrap().as_deref(), Some(TOKEN));
        delete_from(&entry).unwrap();
        assert_eq!(get_from(&entry).unwrap(), None);
    }

    #[test]
    fn no_storage_access_is_keychain_locked() {
        let entry = mock_entry();
        fail_next(&entry, keyring::Error::NoStorageAccess(boxed("unlock prompt was dismissed")));
        let e = get_from(&entry).unwrap_err();
        assert_eq!(e.code(), "keychain_locked");
        assert_eq!(e.to_string(), "The OS keychain is locked or access was denied. Unlock it and try again.");
    }

    #[test]
    fn a_locked_collection_on_set_is_keychain_locked() {
        let entry = mock_entry();
        fail_next(
            &entry,
            keyring::Error::PlatformFailure(boxed(
                "D-Bus error: Cannot create an item in a locked collection (org.freedesktop.Secret.Error.IsLocked)",
            )),
        );
        assert_eq!(set_into(&entry, TOKEN).unwrap_err().code(), "keychain_locked");
    }

    #[test]
    fn platform_failure_is_keychain_unavailable_with_detail() {
        let entry = mock_entry();
        fail_next(
            &entry,
            keyring::Error::PlatformFailure(boxed(
                "D-Bus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11 (org.freedesktop.DBus.Error.NotSupported)",
            )),
        );
        let e = set_into(&entry, TOKEN).unwrap_err();
        assert_eq!(e.code(), "keychain_unavailable");
        let message = e.to_string();
        assert!(
            message.starts_with(
                "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again; or keep secrets in an encrypted file instead (Settings → Secrets, or `casebook secrets store file`). Nothing was saved. Details: "
            ),
            "{message}"
        );
        assert!(message.contains("Unable to autolaunch a dbus-daemon"), "{message}");
    }

    #[test]
    fn no_keyring_collection_is_keychain_unavailable() {
        let e = map_error(keyring::Error::NoStorageAccess(boxed("Secret Service: no result found")), None);
        assert_eq!(e.code(), "keychain_unavailable");
        assert!(e.to_string().contains("no keyring to store into"), "{e}");
    }

    #[test]
    fn a_keyring_missing_for_a_moment_is_asked_again() {
        let entry = mock_entry();
        set_into(&entry, TOKEN).unwrap();
        for op in ["get", "set", "delete"] {
            fail_next(&entry, keyring::Error::NoStorageAccess(boxed("Secret Service: no result found")));
            match op {
                "get" => assert_eq!(get_from(&entry).unwrap().as_deref(), Some(TOKEN)),
                "set" => set_into(&entry, TOKEN).unwrap(),
                _ => delete_from(&entry).unwrap(),
            }
        }
        assert_eq!(get_from(&entry).unwrap(), None, "the delete went through on its second try");
    }

    #[test]
    fn a_keyring_that_stays_missing_is_reported_after_three_tries() {
        let tries = std::cell::Cell::new(0);
        let answer = retrying(|| -> keyring::Result<()> {
            tries.set(tries.get() + 1);
            Err(keyring::Error::NoStorageAccess(boxed("Secret Service: no result found")))
        });
        assert!(matches!(answer, Err(keyring::Error::NoStorageAccess(_))));
        assert_eq!(tries.get(), 3);
        // Other failures are not asked again.
        tries.set(0);
        let answer = retrying(|| -> keyring::Result<()> {
            tries.set(tries.get() + 1);
            Err(keyring::Error::NoStorageAccess(boxed("unlock prompt was dismissed")))
        });
        assert!(answer.is_err());
        assert_eq!(tries.get(), 1);
    }

    #[test]
    fn other_failures_map_to_unavailable_or_validation() {
        let entry = mock_entry();
        fail_next(&entry, keyring::Error::NoEntry);
        assert_eq!(set_into(&entry, TOKEN).unwrap_err().code(), "keychain_unavailable");
        fail_next(&entry, keyring::Error::BadEncoding(vec![0xff]));
        assert_eq!(get_from(&entry).unwrap_err().code(), "keychain_unavailable");
        fail_next(&entry, keyring::Error::Ambiguous(vec![]));
        assert_eq!(get_from(&entry).unwrap_err().code(), "keychain_unavailable");
        fail_next(&entry, keyring::Error::TooLong("password".into(), 2560));
        let e = set_into(&entry, TOKEN).unwrap_err();
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("validation", "secret: is longer than the OS keychain allows (2560 characters)")
        );
    }

    #[test]
    fn the_secret_appears_in_no_error_text() {
        let mut cases = Vec::new();
        for op in ["get", "set", "delete"] {
            cases.extend((0..failures().len()).map(|i| (op, false, i)));
        }
        cases.extend((0..echoing_failures().len()).map(|i| ("set", true, i)));
        let mut errors = 0;
        for (op, echoing, i) in cases {
            let failure = || if echoing { echoing_failures().remove(i) } else { failures().remove(i) };
            let entry = mock_entry();
            // A stored secret, so a get that wrongly succeeded would return it.
            set_into(&entry, TOKEN).unwrap();
            fail_next(&entry, failure());
            let result = match op {
                "get" => get_from(&entry).map(|_| ()),
                "set" => set_into(&entry, TOKEN),
                _ => delete_from(&entry),
            };
            let Err(e) = result else {
                // NoEntry is "none" for get and delete; a single "no result" is asked again.
                let none = matches!(failure(), keyring::Error::NoEntry) && op != "set";
                assert!(none || failure().to_string().contains("no result"), "{op} {}", failure());
                continue;
            };
            errors += 1;
            for text in [e.to_string(), format!("{e:?}"), e.to_wire().message, format!("{:?}", e.to_wire())] {
                assert!(!text.contains(TOKEN), "{op} after `{}` leaked the secret: {text}", failure());
            }
        }
        assert_eq!(errors, 3 * 9 - 2 - 3 + 3);
    }

    #[test]
    fn only_a_persistent_backend_is_accepted() {
        assert!(persistence_ok(&CredentialPersistence::UntilDelete));
        assert!(!persistence_ok(&CredentialPersistence::EntryOnly));
        assert!(!persistence_ok(&CredentialPersistence::ProcessOnly));
        // This build (Linux with sync-secret-service) has a real backend, not the mock.
        ensure_persistent_backend().unwrap();
    }

    #[test]
    fn memory_secrets_round_trip() {
        let store = MemorySecrets::new();
        assert_eq!(store.get("elasticsearch:default").unwrap(), None);
        store.set("elasticsearch:default", TOKEN).unwrap();
        store.set("connector:0b0c", "other").unwrap();
        assert_eq!(store.get("elasticsearch:default").unwrap().as_deref(), Some(TOKEN));
        store.set("elasticsearch:default", "replaced").unwrap();
        assert_eq!(store.get("elasticsearch:default").unwrap().as_deref(), Some("replaced"));
        store.delete("elasticsearch:default").unwrap();
        store.delete("elasticsearch:default").unwrap();
        assert_eq!(store.get("elasticsearch:default").unwrap(), None);
        assert_eq!(store.get("connector:0b0c").unwrap().as_deref(), Some("other"));
    }

    #[test]
    fn only_a_locked_or_missing_keychain_stops_a_change() {
        let read = |e: keyring::Error| {
            let entry = mock_entry();
            set_into(&entry, TOKEN).unwrap();
            fail_next(&entry, e);
            get_from(&entry).unwrap_err()
        };
        for e in failures().into_iter().chain(echoing_failures()) {
            let stops = !matches!(
                e,
                keyring::Error::BadEncoding(_)
                    | keyring::Error::Ambiguous(_)
                    | keyring::Error::TooLong(..)
                    | keyring::Error::Invalid(..)
                    | keyring::Error::NoEntry
            );
            let shown = e.to_string();
            if matches!(e, keyring::Error::NoEntry) || shown.contains("no result") {
                continue; // not an error on read, or asked again
            }
            assert_eq!(stops_the_change(&read(e)), stops, "{shown}");
        }
        assert!(stops_the_change(&Error::KeychainUnavailable { detail: None }));
        let store = MemorySecrets::new();
        store.set_unreadable("n");
        assert!(!stops_the_change(&store.get("n").unwrap_err()));
    }

    #[test]
    fn an_unreadable_memory_entry_fails_on_read_only() {
        let store = MemorySecrets::new();
        store.set_unreadable("connector:1");
        let e = store.get("connector:1").unwrap_err();
        assert_eq!((e.code(), e.to_wire().message.contains("not valid UTF-8")), ("keychain_unavailable", true));
        assert_eq!(store.names(), ["connector:1"]);
        store.set("connector:1", TOKEN).unwrap();
        assert_eq!(store.get("connector:1").unwrap().as_deref(), Some(TOKEN));
        store.set_unreadable("connector:1");
        store.delete("connector:1").unwrap();
        assert_eq!(store.get("connector:1").unwrap(), None);
    }

    #[test]
    fn debug_output_shows_names_not_secrets() {
        let store = MemorySecrets::new();
        store.set("elasticsearch:default", TOKEN).unwrap();
        let debug = format!("{store:?}");
        assert!(debug.contains("elasticsearch:default") && !debug.contains(TOKEN), "{debug}");
        let shared: Arc<dyn SecretStore> = Arc::new(store);
        assert!(!format!("{shared:?}").contains(TOKEN));
        assert_eq!(format!("{:?}", Keychain), "Keychain");
    }

    #[test]
    fn names_and_secrets_are_checked_before_the_keychain_is_touched() {
        for store in [&Keychain as &dyn SecretStore, &MemorySecrets::new()] {
            for name in ["", "  ", " padded", "new\nline", &"x".repeat(MAX_NAME_LENGTH + 1)] {
                assert_eq!(store.get(name).unwrap_err().code(), "validation", "{name:?}");
                assert_eq!(store.set(name, TOKEN).unwrap_err().code(), "validation", "{name:?}");
                assert_eq!(store.delete(name).unwrap_err().code(), "validation", "{name:?}");
            }
            let e = store.set("elasticsearch:default", " ").unwrap_err();
            assert_eq!(
                (e.code(), e.to_string().as_str()),
                ("validation", "secret: is empty; paste the key or token again")
            );
        }
    }
}
