//! The one error shape that reaches the UI: exactly the core's [`WireError`] (`code`,
//! `message`, and `field` or `what` when the core names them), so the window branches on the
//! same codes and fields as `casebook --json`.

use casebook_core::WireError;
use serde::{Deserialize, Serialize};

/// What a failed command returns to JavaScript (the rejected value of `invoke`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandError(pub WireError);

impl From<WireError> for CommandError {
    fn from(w: WireError) -> Self {
        CommandError(w)
    }
}

impl From<casebook_core::Error> for CommandError {
    fn from(e: casebook_core::Error) -> Self {
        e.to_wire().into()
    }
}

impl From<&casebook_core::Error> for CommandError {
    fn from(e: &casebook_core::Error) -> Self {
        e.to_wire().into()
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.message)
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use casebook_core::Error;

    use super::*;

    fn wire(e: Error) -> String {
        serde_json::to_string(&CommandError::from(e)).unwrap()
    }

    #[test]
    fn validation_error_names_its_field() {
        let e = Error::Validation { field: "title".into(), message: "at most 160 characters (got 161)".into() };
        assert_eq!(
            wire(e),
            r#"{"code":"validation","message":"title: at most 160 characters (got 161)","field":"title"}"#
        );
    }

    #[test]
    fn not_found_error_names_what_was_missing() {
        let e = Error::NotFound { what: "case", id: "#12 in space default".into() };
        assert_eq!(wire(e), r#"{"code":"not_found","message":"case not found: #12 in space default","what":"case"}"#);
    }

    #[test]
    fn every_core_code_passes_through_unchanged() {
        let samples = [
            Error::Conflict { what: "case", id: "x".into(), given: "1".into(), current: "2".into() },
            Error::NotCasebookDatabase { path: "/tmp/x.db".into(), reason: "it is not an SQLite database".into() },
            Error::Busy,
            Error::Storage("disk full".into()),
        ];
        for e in samples {
            let c = CommandError::from(&e);
            assert_eq!((c.0.code.as_str(), c.0.message), (e.code(), e.to_string()));
            assert!(Error::CODES.contains(&c.0.code.as_str()));
        }
    }
}
