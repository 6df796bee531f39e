//! Casebook's API: the commands the desktop window calls over Tauri IPC and `casebook serve
//! --dev` answers over HTTP, declared once in `table.rs`. Each is a short async function of a
//! submodule here: it runs one [`Casebook`] call off the async workers and answers with a value
//! or the one error shape, [`WireError`]. Transports only parse arguments and pass answers on.

pub mod alert_source;
pub mod alerts;
pub mod analytics;
pub mod cases;
mod client_ts;
pub mod comments;
pub mod connectors;
pub mod drafts;
pub mod ids;
pub mod observables;
pub mod push;
pub mod secrets;
pub mod settings;

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::background::IdTask;
use crate::{Casebook, Error, Result, WireError};

pub use client_ts::{CLIENT_PATH, Signature, TsType, camel, typescript};

/// The types the table names, for every crate that expands it (`use casebook_core::api::prelude::*`).
pub mod prelude {
    pub use std::path::PathBuf;

    pub use serde_json::Value;

    pub use super::comments::CommentPage;
    pub use super::{Answer, Api};
    pub use crate::alerts::{AlertSource, AlertSourceInput, StatusSyncReport};
    pub use crate::analytics::{ExportFormat, ExportKind};
    pub use crate::background::IdTaskStatus;
    pub use crate::elastic::{AlertHit, AlertQuery, AlertSearchPage, ClusterInfo};
    pub use crate::model::*;
    pub use crate::secrets::{SecretStoreKind, SecretStoreStatus, SecretStoreSwitch};
    pub use crate::{AssignReport, Space};
}

/// What a command answers: its value, or the error as the window and the CLI see it.
pub type Answer<T> = std::result::Result<T, WireError>;

/// Where a command's events go (the window's `listen`, the HTTP server's event stream): the
/// event's name and its JSON payload.
pub type Events = Arc<dyn Fn(&str, Value) + Send + Sync>;

/// What every command reaches: the open database (or why it could not be opened), the
/// numbering schedule, the imports in flight and where events go. Cloning shares them.
#[derive(Clone)]
pub struct Api {
    inner: Arc<Inner>,
}

struct Inner {
    /// If opening failed (a file that is not a Casebook database, one written by a newer
    /// Casebook, a damaged one), every command answers with that error, so the window can
    /// show it instead of a blank page.
    book: std::result::Result<Casebook, WireError>,
    ids: IdTask,
    imports: alerts::Imports,
    events: Events,
}

impl Api {
    pub fn new(book: Casebook, ids: IdTask, events: Events) -> Api {
        Self::with(Ok(book), ids, events)
    }

    /// An API whose every command answers `error`: the database could not be opened.
    pub fn failed(error: &Error, ids: IdTask, events: Events) -> Api {
        Self::with(Err(error.to_wire()), ids, events)
    }

    fn with(book: std::result::Result<Casebook, WireError>, ids: IdTask, events: Events) -> Api {
        Api { inner: Arc::new(Inner { book, ids, imports: alerts::Imports::default(), events }) }
    }

    /// The open database, or the error every command answers when there is none.
    pub fn book(&self) -> Answer<Casebook> {
        self.inner.book.clone()
    }

    /// The numbering task's schedule, shared with its background job.
    pub fn ids(&self) -> &IdTask {
        &self.inner.ids
    }

    /// Runs `f` against the open database on tokio's blocking pool (SQLite and the keychain block).
    async fn run<T: Send + 'static>(&self, f: impl FnOnce(&Casebook) -> Result<T> + Send + 'static) -> Answer<T> {
        self.book()?.blocking(f).await.map_err(|e| e.to_wire())
    }

    fn emit(&self, event: &str, payload: impl Serialize) {
        match serde_json::to_value(payload) {
            Ok(value) => (self.inner.events)(event, value),
            Err(e) => tracing::warn!("cannot encode the {event} event: {e}"),
        }
    }
}

/// A request the transport could not hand to a command (unknown name, arguments of the wrong
/// shape): the `ipc` transport code, as the window gets from Tauri for the same mistakes.
fn transport(message: String) -> WireError {
    WireError { code: WireError::IPC.into(), message, field: None, what: None }
}

fn parse_args<T: DeserializeOwned>(command: &str, args: Value) -> Answer<T> {
    // A command without arguments may be sent no body at all.
    let args = if args.is_null() { Value::Object(Default::default()) } else { args };
    serde_json::from_value(args).map_err(|e| transport(format!("invalid arguments for command {command}: {e}")))
}

fn to_json(answer: impl Serialize) -> Answer<Value> {
    serde_json::to_value(answer).map_err(|e| transport(format!("the answer could not be encoded: {e}")))
}

/// Expands the table into `COMMANDS`, [`dispatch`] and [`signatures`].
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
    )*) => {
        /// Every command, by its name, in the table's order.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Answers the command `name` given its arguments as one JSON object under the table's
        /// names in camelCase (what the window sends over IPC); unknown keys are ignored and a
        /// missing nullable one is null, as Tauri does.
        pub async fn dispatch(api: &Api, name: &str, args: Value) -> Answer<Value> {
            use prelude::*;
            match name {
                $(stringify!($name) => {
                    #[derive(serde::Deserialize)]
                    #[serde(rename_all = "camelCase")]
                    struct Args { $($arg: $ty),* }
                    let Args { $($arg),* } = parse_args(name, args)?;
                    to_json($module::$name(api, $($arg),*).await?)
                })*
                _ => Err(transport(format!("unknown command {name:?}"))),
            }
        }

        /// Each command's name, argument and answer types (as TypeScript) and docs.
        pub fn signatures() -> Vec<Signature> {
            use prelude::*;
            vec![$(
                Signature {
                    module: stringify!($module),
                    name: stringify!($name),
                    docs: vec![$($doc),*],
                    args: vec![$((stringify!($arg), <$ty as TsType>::ts())),*],
                    answer: <$ret as TsType>::ts(),
                }
            ),*]
        }
    };
}

include!("table.rs");

#[cfg(test)]
mod tests;
