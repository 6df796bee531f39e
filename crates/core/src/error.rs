//! The one error type of the core. Every variant has a stable `code()` that the CLI's `--json`
//! output and the desktop UI branch on; the message is a sentence a person can act on.

use serde::Serialize;

/// Errors returned by every core operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: names the field and the limit. Nothing was written.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },

    /// The case, comment, space or user does not exist.
    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },

    /// Optimistic concurrency: the caller's version is stale. Nothing was written.
    #[error(
        "{what} {id} was changed since you loaded it: you sent version {given}, the current version is {current}. Reload it and apply your change again."
    )]
    Conflict { what: &'static str, id: String, given: String, current: String },

    /// A uniqueness rule was hit (a space or user name that already exists).
    #[error("{what} already exists: {id}")]
    AlreadyExists { what: &'static str, id: String },

    /// The file was written by a newer Casebook; it is left untouched.
    #[error(
        "{path} was written by a newer Casebook (schema {found}, this build knows up to {known}). Upgrade Casebook to open it; the file was not modified."
    )]
    DatabaseTooNew { path: String, found: i64, known: i64 },

    /// The file exists but is not a Casebook database; it is left untouched.
    #[error("{path} is not a Casebook database ({reason}); the file was not modified.")]
    NotCasebookDatabase { path: String, reason: String },

    /// SQLite reports the file as damaged.
    #[error("{path} is damaged ({detail}); the file was not modified. Restore it from a backup.")]
    CorruptDatabase { path: String, detail: String },

    /// Another process held the database longer than the busy timeout.
    #[error("the database is busy (another Casebook process is writing); try again")]
    Busy,

    /// Any other storage failure (disk full, permissions, I/O).
    #[error("storage error: {0}")]
    Storage(String),

    /// No OS keychain could be used (no Secret Service / D-Bus, or no keychain support in this
    /// build). Secrets are never written anywhere else instead.
    #[error(
        "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again; or keep secrets in an encrypted file instead (Settings → Secrets, or `casebook secrets store file`). Nothing was saved.{}",
        detail_suffix(.detail)
    )]
    KeychainUnavailable { detail: Option<String> },

    /// The keychain exists but is locked, or the user or OS denied access.
    #[error("The OS keychain is locked or access was denied. Unlock it and try again.")]
    KeychainLocked,

    /// Secrets are kept in the encrypted file and its passphrase was not given this session.
    #[error(
        "The encrypted secrets file is locked: enter its passphrase (Settings → Secrets; for the CLI, CASEBOOK_SECRETS_PASSPHRASE or --passphrase-stdin), then try again. Nothing was saved."
    )]
    SecretsLocked,

    /// The passphrase given does not open the encrypted secrets file.
    #[error("That passphrase does not open the encrypted secrets file {path}. Nothing was changed.")]
    WrongPassphrase { path: String },

    /// A remote service could not be reached: DNS failure, refused connection, timeout, or the
    /// connection was dropped before an answer arrived.
    #[error(
        "Cannot reach {url}: {reason}. Check the URL and your network; if you use a VPN or proxy, check that it is connected."
    )]
    Unreachable { url: String, reason: String },

    /// The TLS handshake failed, typically because the server's certificate is not trusted.
    #[error(
        "Could not open a secure connection to {url}: {detail}. Casebook only accepts certificates the operating system trusts: use a certificate signed by a trusted authority, or add your organisation's CA to the system trust store."
    )]
    Tls { url: String, detail: String },

    /// The service rejected the credential (HTTP 401).
    #[error("{service} at {url} rejected the {credential} (401). {fix}")]
    Unauthorized { service: &'static str, url: String, credential: &'static str, fix: &'static str },

    /// The credential is valid but lacks a privilege (HTTP 403).
    #[error("{service} at {url} refused the request (403): {reason}")]
    Forbidden { service: &'static str, url: String, reason: String },

    /// Any other failure reported by the remote service, or an answer it could not have sent.
    #[error("{service} at {url} answered HTTP {status}: {detail}")]
    Remote { service: &'static str, url: String, status: u16, detail: String },

    /// A create was sent, its answer was lost, and the system cannot be searched for the
    /// ticket it may have made: sending it again could make a second one, so the user checks.
    #[error("{message}")]
    NeedsCheck { message: String },
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail.as_ref().map(|d| format!(" Details: {d}")).unwrap_or_default()
}

impl Error {
    /// The stable machine-readable code. These strings are a contract with the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::AlreadyExists { .. } => "already_exists",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::NotCasebookDatabase { .. } => "not_a_casebook_database",
            Error::CorruptDatabase { .. } => "database_corrupt",
            Error::Busy => "busy",
            Error::Storage(_) => "storage",
            Error::KeychainUnavailable { .. } => "keychain_unavailable",
            Error::KeychainLocked => "keychain_locked",
            Error::SecretsLocked => "secrets_locked",
            Error::WrongPassphrase { .. } => "wrong_passphrase",
            Error::Unreachable { .. } => "unreachable",
            Error::Tls { .. } => "tls",
            Error::Unauthorized { .. } => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
            Error::Remote { .. } => "remote",
            Error::NeedsCheck { .. } => "needs_check",
        }
    }

    /// Every code `code()` can return, for contract tests on the CLI and UI side.
    pub const CODES: &'static [&'static str] = &[
        "validation",
        "not_found",
        "conflict",
        "already_exists",
        "database_too_new",
        "not_a_casebook_database",
        "database_corrupt",
        "busy",
        "storage",
        "keychain_unavailable",
        "keychain_locked",
        "secrets_locked",
        "wrong_passphrase",
        "unreachable",
        "tls",
        "unauthorized",
        "forbidden",
        "remote",
        "needs_check",
    ];

    pub(crate) fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation { field: field.into(), message: message.into() }
    }

    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound { what, id: id.into() }
    }

    /// The input path a validation error is about (`title`, `tags[3]`,
    /// `templates[2].case_fields.title`); `None` for every other error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A validation error of a part of a bigger input, named from the whole: `title` within
    /// `templates[2].case_fields` is `templates[2].case_fields.title`. Other errors are unchanged.
    pub(crate) fn within(self, parent: &str) -> Self {
        match self {
            Error::Validation { field, message } => Error::Validation { field: format!("{parent}.{field}"), message },
            other => other,
        }
    }

    /// The kind of thing a `not_found`, `already_exists` or `conflict` error is about (`case`,
    /// `connector`, `Jira project`, `Elasticsearch source`); `None` for every other error.
    pub fn what(&self) -> Option<&'static str> {
        match self {
            Error::NotFound { what, .. } | Error::AlreadyExists { what, .. } | Error::Conflict { what, .. } => {
                Some(what)
            }
            _ => None,
        }
    }

    /// The wire shape shared by IPC and `--json`: `{code, message, field?, what?}`.
    pub fn to_wire(&self) -> WireError {
        WireError {
            code: self.code().to_string(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
            what: self.what().map(str::to_string),
        }
    }
}

/// `{code, message, field?, what?}`: the one error shape that reaches the UI and the CLI.
///
/// `message` is a whole sentence a person can act on, shown as it is (for a validation error it
/// starts with the field: `title: at most 160 characters (got 161)`). `field` is that field as
/// data, present only on `validation` errors: the path of the offending input, with list
/// positions in brackets and nested fields after dots (`tags[3]`, `custom_fields.risk`,
/// `templates[2].case_fields.title`). `what`, present only on `not_found`, `already_exists` and
/// `conflict` errors, is the kind of thing missing, taken or changed (`case`, `Jira project`).
/// Callers branch on `code`, `field` and `what`, never on the text.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct WireError {
    /// One of `ERROR_CODES`.
    pub code: String,
    /// The sentence to show.
    pub message: String,
    /// `validation` only: the offending input's path (`title`, `tags[3]`, `custom_fields.risk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// `not_found`, `already_exists`, `conflict` only: the kind of thing (`case`, `connector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub what: Option<String>,
}

impl WireError {
    /// Bad command-line arguments: the CLI refused them before any core call.
    pub const USAGE: &'static str = "usage";
    /// Transport failure: the UI could not reach the core (outside the desktop app, an unknown
    /// command, a reply that is not a [`WireError`]).
    pub const IPC: &'static str = "ipc";
    /// The codes that adapters add to [`Error::CODES`]; the core itself never returns them.
    pub const TRANSPORT_CODES: &'static [&'static str] = &[Self::USAGE, Self::IPC];

    /// A `usage` error: the CLI's arguments were refused before the core was called.
    pub fn usage(message: impl Into<String>) -> Self {
        WireError { code: Self::USAGE.into(), message: message.into(), field: None, what: None }
    }
}

impl From<&Error> for WireError {
    fn from(e: &Error) -> Self {
        e.to_wire()
    }
}

impl From<Error> for WireError {
    fn from(e: Error) -> Self {
        e.to_wire()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Busy,
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                    // The store names the file when it knows it (see store::with_path).
                    return Error::CorruptDatabase { path: "the database".into(), detail: e.to_string() };
                }
                _ => {}
            }
        }
        Error::Storage(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Storage(format!("stored JSON could not be read: {e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_carries_its_field_over_the_wire() {
        let e = Error::validation("templates[2].case_fields.title", "at most 160 characters (got 161)");
        let json = serde_json::to_value(e.to_wire()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "validation",
                "message": "templates[2].case_fields.title: at most 160 characters (got 161)",
                "field": "templates[2].case_fields.title",
            })
        );
        let back: WireError = serde_json::from_value(json).unwrap();
        assert_eq!(back.field.as_deref(), Some("templates[2].case_fields.title"));
    }

    #[test]
    fn other_errors_have_no_field_on_the_wire() {
        let json = serde_json::to_value(Error::Busy.to_wire()).unwrap();
        assert_eq!(json.as_object().unwrap().keys().collect::<Vec<_>>(), ["code", "message"]);
        let old: WireError = serde_json::from_str(r#"{"code":"busy","message":"m"}"#).unwrap();
        assert_eq!((old.field, old.what), (None, None));
    }

    #[test]
    fn a_missing_or_taken_thing_is_named_over_the_wire() {
        let json = serde_json::to_value(Error::not_found("Jira project", "SEC").to_wire()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "not_found", "message": "Jira project not found: SEC", "what": "Jira project"})
        );
        let taken = Error::AlreadyExists { what: "connector", id: "SOC".into() }.to_wire();
        assert_eq!((taken.what.as_deref(), taken.field), (Some("connector"), None));
        assert_eq!(Error::validation("title", "m").to_wire().what, None);
    }

    #[test]
    fn transport_codes_are_not_core_codes() {
        assert_eq!(WireError::TRANSPORT_CODES, ["usage", "ipc"]);
        assert!(WireError::TRANSPORT_CODES.iter().all(|c| !Error::CODES.contains(c)));
        assert_eq!(WireError::usage("bad").field, None);
    }

    #[test]
    fn every_code_is_listed() {
        let samples = [
            Error::validation("f", "m"),
            Error::not_found("case", "x"),
            Error::Conflict { what: "case", id: "x".into(), given: "1".into(), current: "2".into() },
            Error::AlreadyExists { what: "space", id: "x".into() },
            Error::DatabaseTooNew { path: "p".into(), found: 9, known: 1 },
            Error::NotCasebookDatabase { path: "p".into(), reason: "r".into() },
            Error::CorruptDatabase { path: "p".into(), detail: "d".into() },
            Error::Busy,
            Error::Storage("s".into()),
            Error::KeychainUnavailable { detail: None },
            Error::KeychainLocked,
            Error::SecretsLocked,
            Error::WrongPassphrase { path: "p".into() },
            Error::Unreachable { url: "u".into(), reason: "r".into() },
            Error::Tls { url: "u".into(), detail: "d".into() },
            Error::Unauthorized { service: "s", url: "u".into(), credential: "c", fix: "f" },
            Error::Forbidden { service: "s", url: "u".into(), reason: "r".into() },
            Error::Remote { service: "s", url: "u".into(), status: 500, detail: "d".into() },
            Error::NeedsCheck { message: "m".into() },
        ];
        let codes: Vec<_> = samples.iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
    }
}
