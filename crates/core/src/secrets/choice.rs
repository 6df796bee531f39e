//! Which store holds a database's secrets: the OS keychain (the default) or, when the user
//! chose it, the encrypted file beside the database. The choice is a setting of the database,
//! read on every call, so a switch made by another process (the CLI) is followed at once.
//! Switching moves the secrets and says which could not be moved; nothing is dropped.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::file::{MIN_PASSPHRASE_LENGTH, check_new_passphrase};
use super::{PROBE_NAME, SecretStore};
use crate::{Casebook, Error, Result};

/// The `app_settings` key of the choice.
const KEY: &str = "secret_store";

/// Where a database's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SecretStoreKind {
    /// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service).
    #[default]
    OsKeychain,
    /// An age file beside the database, encrypted with a passphrase: weaker than the keychain.
    EncryptedFile,
}

impl SecretStoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretStoreKind::OsKeychain => "os-keychain",
            SecretStoreKind::EncryptedFile => "encrypted-file",
        }
    }
}

/// What Settings → Secrets and `casebook secrets status` show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SecretStoreStatus {
    pub store: SecretStoreKind,
    /// The encrypted file's path (whether or not it is in use).
    pub file_path: String,
    pub file_exists: bool,
    /// The file's passphrase was given this session.
    pub unlocked: bool,
    /// Why the OS keychain cannot be used now (the system's words), or `None` when it answers.
    pub keychain_problem: Option<String>,
    /// How many secrets this database has (connectors and alert sources), wherever they are.
    pub secrets_in_use: u32,
}

/// A secret that stayed where it was during a switch, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SecretNotMoved {
    /// What the secret belongs to, as the user knows it ("Connector “SOC Jira”").
    pub label: String,
    pub reason: String,
}

/// What a switch of store did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SecretStoreSwitch {
    pub status: SecretStoreStatus,
    /// How many secrets were moved into the new store.
    pub moved: u32,
    /// Those left in the old store: enter them again, or switch back to reach them.
    pub not_moved: Vec<SecretNotMoved>,
}

/// The chosen store, resolved on each call: what [`Casebook::secrets`] hands out.
#[derive(Debug)]
pub(crate) struct Chosen<'a>(pub(crate) &'a Casebook);

impl Chosen<'_> {
    fn store(&self) -> Result<&dyn SecretStore> {
        Ok(match self.0.secret_store_kind()? {
            SecretStoreKind::OsKeychain => self.0.keychain(),
            SecretStoreKind::EncryptedFile => self.0.secrets_file(),
        })
    }
}

// Inherent methods, the store's own, so callers need not import the trait.
impl Chosen<'_> {
    pub(crate) fn get(&self, name: &str) -> Result<Option<String>> {
        self.store()?.get(name)
    }
    pub(crate) fn set(&self, name: &str, secret: &str) -> Result<()> {
        self.store()?.set(name, secret)
    }
    pub(crate) fn delete(&self, name: &str) -> Result<()> {
        self.store()?.delete(name)
    }
}

fn read_kind(conn: &Connection) -> Result<SecretStoreKind> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM app_settings WHERE key = ?1", [KEY], |r| r.get(0)).optional()?;
    match value.as_deref() {
        None | Some("os-keychain") => Ok(SecretStoreKind::OsKeychain),
        Some("encrypted-file") => Ok(SecretStoreKind::EncryptedFile),
        Some(other) => Err(Error::Storage(format!(
            "the secret store setting is {other:?}, which this Casebook does not know (a newer version wrote it?)"
        ))),
    }
}

/// Every secret this database refers to: its keychain name and what the user calls it.
fn secrets_in_use(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut connectors = conn.prepare("SELECT uuid, name FROM connectors ORDER BY name")?;
    for row in connectors.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (uuid, name) = row?;
        out.push((crate::connectors::secret_name(&uuid), format!("Connector “{name}”")));
    }
    let mut sources = conn.prepare(
        "SELECT spaces.name FROM alert_sources JOIN spaces ON spaces.id = alert_sources.space_id ORDER BY spaces.name",
    )?;
    for space in sources.query_map([], |r| r.get::<_, String>(0))? {
        let space = space?;
        out.push((crate::alerts::secret_name(&space), format!("Alert source of space “{space}”")));
    }
    Ok(out)
}

impl Casebook {
    /// Which store holds this database's secrets.
    pub fn secret_store_kind(&self) -> Result<SecretStoreKind> {
        self.read(read_kind)
    }

    pub fn secret_store_status(&self) -> Result<SecretStoreStatus> {
        let store = self.secret_store_kind()?;
        let secrets_in_use = self.read(secrets_in_use)?.len();
        let keychain_problem = match self.keychain().get(PROBE_NAME) {
            Ok(_) => None,
            // The detail only: the whole message would point at this very setting.
            Err(Error::KeychainUnavailable { detail }) => {
                Some(detail.unwrap_or_else(|| "Secret Service / D-Bus is not running.".into()))
            }
            Err(e) => Some(e.to_string()),
        };
        let file = self.secrets_file();
        Ok(SecretStoreStatus {
            store,
            file_path: file.path().display().to_string(),
            file_exists: file.exists(),
            unlocked: file.is_unlocked(),
            keychain_problem,
            secrets_in_use: u32::try_from(secrets_in_use).unwrap_or(u32::MAX),
        })
    }

    /// Gives the encrypted file's passphrase for this session. A wrong one is refused
    /// (`wrong_passphrase`) and changes nothing.
    pub fn unlock_secrets(&self, passphrase: &str) -> Result<SecretStoreStatus> {
        if !self.secrets_file().exists() {
            // Nothing to open: a passphrase is chosen when switching to the file.
            return Err(Error::validation(
                "passphrase",
                "there is no encrypted secrets file yet; choose the encrypted file store to create one",
            ));
        }
        self.secrets_file().unlock(passphrase)?;
        self.secret_store_status()
    }

    /// Forgets the encrypted file's passphrase for this session (a no-op on the keychain).
    pub fn lock_secrets(&self) -> Result<SecretStoreStatus> {
        self.secrets_file().lock();
        self.secret_store_status()
    }

    /// Encrypts the secrets file again with `new`; `old` must open it. Refused without a change:
    /// a wrong `old` (`wrong_passphrase`), a short `new`, no file.
    pub fn change_secrets_passphrase(&self, old: &str, new: &str) -> Result<SecretStoreStatus> {
        self.secrets_file().change_passphrase(old, new)?;
        self.secret_store_status()
    }

    /// Switches this database's secrets to `kind`, moving them. `passphrase` opens the file
    /// (or, when there is none yet, is the one it is created with); it may be left out when it
    /// was given earlier this session. Refused without a change: a wrong or short passphrase, a
    /// keychain that cannot be written when switching to it.
    pub fn set_secret_store(&self, kind: SecretStoreKind, passphrase: Option<&str>) -> Result<SecretStoreSwitch> {
        if let Some(passphrase) = passphrase {
            if !self.secrets_file().exists() {
                check_new_passphrase(passphrase)?;
            }
            self.secrets_file().unlock(passphrase)?;
        }
        let current = self.secret_store_kind()?;
        let in_use = self.read(secrets_in_use)?;
        let label = |name: &str| {
            in_use.iter().find(|(n, _)| n == name).map_or_else(|| format!("Secret “{name}”"), |(_, l)| l.clone())
        };
        let mut not_moved = Vec::new();
        let mut moved = 0;
        match kind {
            _ if kind == current => {}
            SecretStoreKind::EncryptedFile => {
                if !self.secrets_file().is_unlocked() {
                    return Err(if self.secrets_file().exists() {
                        Error::SecretsLocked
                    } else {
                        Error::validation(
                            "passphrase",
                            format!(
                                "choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters for the new file"
                            ),
                        )
                    });
                }
                let mut found = Vec::new();
                for (name, what) in &in_use {
                    match self.keychain().get(name) {
                        Ok(Some(secret)) => found.push((name.clone(), Some(secret))),
                        Ok(None) => {}
                        Err(e) => not_moved.push(SecretNotMoved { label: what.clone(), reason: e.to_string() }),
                    }
                }
                // Written (or created, empty) before the switch: the file then opens with this
                // passphrase in every later session.
                self.secrets_file().change(&found)?;
                self.write_secret_store_kind(kind)?;
                moved = found.len();
                for (name, _) in &found {
                    if let Err(e) = self.keychain().delete(name) {
                        // The secret is in the file; the old copy is only left behind.
                        tracing::warn!(
                            name,
                            code = e.code(),
                            "a moved secret could not be removed from the keychain: {e}"
                        );
                    }
                }
            }
            SecretStoreKind::OsKeychain => {
                let entries = if self.secrets_file().exists() { Some(self.secrets_file().entries()?) } else { None };
                let mut done = Vec::new();
                for name in entries.as_ref().map(|e| e.names()).unwrap_or_default() {
                    let secret = entries.as_ref().and_then(|e| e.get(&name)).unwrap_or_default();
                    match self.keychain().set(&name, secret) {
                        Ok(()) => done.push((name, None)),
                        // The first refusal of a keychain that cannot be used stops the switch.
                        Err(e) if done.is_empty() && super::stops_the_change(&e) => return Err(e),
                        Err(e) => not_moved.push(SecretNotMoved { label: label(&name), reason: e.to_string() }),
                    }
                }
                if entries.is_none() || entries.as_ref().is_some_and(|e| e.names().is_empty()) {
                    // Nothing to move: the keychain must still work, or the switch helps no one.
                    self.keychain().get(PROBE_NAME)?;
                }
                self.write_secret_store_kind(kind)?;
                moved = done.len();
                if !done.is_empty() {
                    self.secrets_file().change(&done)?;
                }
            }
        }
        Ok(SecretStoreSwitch {
            status: self.secret_store_status()?,
            moved: u32::try_from(moved).unwrap_or(u32::MAX),
            not_moved,
        })
    }

    fn write_secret_store_kind(&self, kind: SecretStoreKind) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO app_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (KEY, kind.as_str()),
            )?;
            Ok(())
        })
    }
}
