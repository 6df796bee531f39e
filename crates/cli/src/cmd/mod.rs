//! One function per command; each calls the core and prints.

mod admin;
mod alert;
mod case;
mod comment;
mod connector;
mod observable;
mod push;
mod source;

use casebook_core::{Casebook, Error};

use crate::args::{
    AlertCmd, CaseCmd, Cli, Command, CommentCmd, ConnectorCmd, IdsCmd, ObservableCmd, OutboxCmd, SettingsCmd,
    SourceCmd, SpaceCmd, UserCmd,
};

/// Whether the command only reads the database, so it can open it read-only. When in doubt a
/// command is not listed: one listed wrongly fails on its first write ("opened read-only").
pub fn is_read_only(command: &Command) -> bool {
    match command {
        Command::Case(c) => {
            matches!(**c, CaseCmd::Get { .. } | CaseCmd::List(_) | CaseCmd::Stats(_) | CaseCmd::Similar { .. })
                || matches!(&**c, CaseCmd::Create(a) if a.dry_run)
        }
        Command::Comment(c) => matches!(c, CommentCmd::List { .. }),
        Command::Activity(_) | Command::Tags | Command::Categories | Command::Reporters => true,
        Command::Space(c) => matches!(c, SpaceCmd::List),
        Command::Settings(c) => matches!(c, SettingsCmd::Show),
        Command::User(c) => {
            matches!(c, UserCmd::List | UserCmd::Me { username: None, full_name: None, email: None })
        }
        Command::Ids(c) => matches!(c, IdsCmd::Interval { minutes: None }),
        Command::Alert(c) => matches!(c, AlertCmd::List(_) | AlertCmd::Show { .. } | AlertCmd::Summary { .. }),
        Command::Observable(c) => matches!(c, ObservableCmd::List { .. } | ObservableCmd::Types),
        Command::Source(c) => matches!(c, SourceCmd::Show),
        Command::Connector(c) => matches!(c, ConnectorCmd::List | ConnectorCmd::Show { .. }),
        Command::Outbox(c) => matches!(c, OutboxCmd::List { .. }),
    }
}

pub fn dispatch(book: &Casebook, cli: &Cli) -> Result<(), Error> {
    let out = Out { json: cli.json, space: &cli.space };
    match &cli.command {
        Command::Case(c) => case::run(book, &out, c),
        Command::Comment(c) => comment::run(book, &out, c),
        Command::Activity(a) => admin::activity(book, &out, a),
        Command::Space(c) => admin::space(book, &out, c),
        Command::Settings(c) => admin::settings(book, &out, c),
        Command::User(c) => admin::user(book, &out, c),
        Command::Tags => admin::list(&out, book.tags(out.space)?),
        Command::Categories => admin::list(&out, book.categories(out.space)?),
        Command::Reporters => admin::list(&out, book.reporters(out.space)?),
        Command::Ids(c) => admin::ids(book, &out, c),
        Command::Alert(c) => alert::run(book, &out, c),
        Command::Observable(c) => observable::run(book, &out, c),
        Command::Source(c) => source::run(book, &out, c),
        Command::Connector(c) => connector::run(book, &out, c),
        Command::Outbox(c) => push::outbox(book, &out, c),
    }
}

/// How to print, and in which space.
pub struct Out<'a> {
    pub json: bool,
    pub space: &'a str,
}

impl Out<'_> {
    /// Prints JSON, or runs the text printer.
    pub fn show<T: serde::Serialize>(&self, v: &T, text: impl FnOnce(&T)) {
        if self.json {
            crate::print::json(v);
        } else {
            text(v);
        }
    }
}

/// A case named on the command line (UUID or #N in the space) → its UUID.
pub fn case_id(book: &Casebook, out: &Out<'_>, reference: &str) -> Result<String, Error> {
    Ok(book.resolve_case(out.space, reference)?.id)
}

/// Runs a core network call (the Elasticsearch source) to completion on this thread.
pub fn block_on<T>(f: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Storage(format!("cannot start the network runtime: {e}")))?
        .block_on(f)
}
