//! The command line: the global flags, the commands, and which module runs each. A command's
//! clap arguments and its handler live together in the module named after it; a handler calls
//! the core and prints. Scripts depend on these spellings: add, never rename.

mod activity;
mod alert;
mod alert_source;
mod case;
mod comment;
mod connector;
mod export;
mod ids;
mod metrics;
mod observable;
mod outbox;
pub mod secrets;
pub mod serve;
mod settings;
mod space;
mod taxonomy;
mod user;

use std::path::PathBuf;

use casebook_core::{Casebook, Error};
use clap::{Parser, Subcommand};

use activity::ActivityArgs;
use alert::AlertCmd;
use alert_source::AlertSourceCmd;
use case::CaseCmd;
use comment::CommentCmd;
use connector::ConnectorCmd;
use export::ExportArgs;
use ids::IdsCmd;
use metrics::MetricsArgs;
use observable::ObservableCmd;
use outbox::OutboxCmd;
use secrets::SecretsCmd;
use serve::ServeArgs;
use settings::SettingsCmd;
use space::SpaceCmd;
use user::UserCmd;

#[derive(Parser, Debug)]
#[command(
    name = "casebook",
    version,
    about = "Casebook: security cases on your workstation, with Kibana's cases API on the command line.",
    after_help = "A case is named by its id (UUID) or by its number in the space (#12).\n\
                  The database is <data dir>/Casebook/casebook.db unless --db or CASEBOOK_DB says otherwise."
)]
pub struct Cli {
    /// The database file (default: the one the desktop app uses).
    #[arg(long, global = true, env = "CASEBOOK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The space to work in.
    #[arg(long, global = true, env = "CASEBOOK_SPACE", default_value = "default", value_name = "NAME")]
    pub space: String,
    /// Print JSON (Kibana's field names) instead of text; errors become {"error":{code,message}}.
    #[arg(long, global = true)]
    pub json: bool,
    /// Read the encrypted secrets file's passphrase from the first line of standard input;
    /// `--secret-stdin` then reads what follows (else CASEBOOK_SECRETS_PASSPHRASE, else a
    /// prompt on the terminal when a secret is needed).
    #[arg(long, global = true)]
    pub passphrase_stdin: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, read, update, delete and list cases.
    #[command(subcommand)]
    Case(Box<CaseCmd>),
    /// Add, edit, delete and list the comments of a case.
    #[command(subcommand)]
    Comment(CommentCmd),
    /// The activity history of a case.
    Activity(ActivityArgs),
    /// Create and list spaces.
    #[command(subcommand)]
    Space(SpaceCmd),
    /// The case settings of the space: closure option, custom fields, templates.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Your analyst profile and the teammates you can assign.
    #[command(subcommand)]
    User(UserCmd),
    /// Every tag used in the space with its number of cases, most used first.
    Tags,
    /// Every category used in the space.
    Categories,
    /// Everyone who reported a case in the space.
    Reporters,
    /// The Analytics page's figures: cases opened, closed and reopened per day, week or month,
    /// the backlog as it stood, time to acknowledge, investigate and resolve (median and p90),
    /// the open backlog's age and top lists.
    Metrics(MetricsArgs),
    /// Cases, comments, activity or trend figures as CSV or NDJSON, with the field names of
    /// Kibana's case analytics indices.
    Export(ExportArgs),
    /// Case numbers (#1, #2, …): give them out now, or set how often the desktop app does.
    #[command(subcommand)]
    Ids(IdsCmd),
    /// Attach Elastic Security alerts to a case, list, show and remove them.
    #[command(subcommand)]
    Alert(AlertCmd),
    /// Observables of a case (IPs, hashes, hosts, …): add, edit, delete, list, and the values
    /// the space's cap left out (left-out, promote).
    #[command(subcommand)]
    Observable(ObservableCmd),
    /// The space's Elasticsearch source of alerts (its API key lives in the OS keychain, or the
    /// encrypted secrets file: see `casebook secrets`).
    /// `source` is its older name.
    #[command(subcommand, name = "alert-source", visible_alias = "source")]
    AlertSource(AlertSourceCmd),
    /// Connectors to Jira, ServiceNow, Resilient, Swimlane, TheHive and webhooks (their secrets
    /// live in the OS keychain, or the encrypted secrets file: see `casebook secrets`).
    #[command(subcommand)]
    Connector(ConnectorCmd),
    /// Pushes waiting to be sent (offline, throttled or refused): list, retry, cancel, send now.
    #[command(subcommand)]
    Outbox(OutboxCmd),
    /// Where secrets are kept: the OS keychain (default) or an encrypted file beside the
    /// database, for machines without a keychain (weaker: see `secrets store --help`).
    #[command(subcommand)]
    Secrets(SecretsCmd),
    /// Development only: the desktop window's API over HTTP on 127.0.0.1, on a temporary
    /// database, for the web UI in a browser (`npm --prefix ui run dev`) and its page tests.
    Serve(ServeArgs),
}

/// Whether the command only reads the database, so it can open it read-only. When in doubt a
/// command is not listed: one listed wrongly fails on its first write ("opened read-only").
pub fn is_read_only(command: &Command) -> bool {
    match command {
        Command::Case(c) => {
            matches!(**c, CaseCmd::Get { .. } | CaseCmd::List(_) | CaseCmd::Stats(_) | CaseCmd::Similar { .. })
                || matches!(&**c, CaseCmd::Create(a) if a.dry_run)
        }
        Command::Comment(c) => matches!(c, CommentCmd::List { .. }),
        Command::Activity(_) | Command::Tags | Command::Categories | Command::Reporters | Command::Export(_) => true,
        Command::Metrics(a) => !a.rebuild,
        Command::Space(c) => matches!(c, SpaceCmd::List),
        Command::Settings(c) => matches!(c, SettingsCmd::Show),
        Command::User(c) => {
            matches!(c, UserCmd::List | UserCmd::Me { username: None, full_name: None, email: None, confirm: false })
        }
        Command::Ids(c) => matches!(c, IdsCmd::Interval { minutes: None }),
        Command::Alert(c) => matches!(c, AlertCmd::List(_) | AlertCmd::Show { .. } | AlertCmd::Summary { .. }),
        Command::Observable(c) => {
            matches!(c, ObservableCmd::List { .. } | ObservableCmd::LeftOut { .. } | ObservableCmd::Types)
        }
        Command::AlertSource(c) => matches!(c, AlertSourceCmd::Show),
        Command::Connector(c) => matches!(c, ConnectorCmd::List | ConnectorCmd::Show { .. }),
        Command::Outbox(c) => matches!(c, OutboxCmd::List { .. }),
        Command::Secrets(c) => matches!(c, SecretsCmd::Status),
        // Never opens the --db file: it serves a temporary database of its own.
        Command::Serve(_) => false,
    }
}

pub fn dispatch(book: &Casebook, cli: &Cli) -> Result<(), Error> {
    let out = Out { json: cli.json, space: &cli.space };
    match &cli.command {
        Command::Case(c) => case::run(book, &out, c),
        Command::Comment(c) => comment::run(book, &out, c),
        Command::Activity(a) => activity::run(book, &out, a),
        Command::Space(c) => space::run(book, &out, c),
        Command::Settings(c) => settings::run(book, &out, c),
        Command::User(c) => user::run(book, &out, c),
        Command::Tags => taxonomy::tags(&out, book.tag_counts(out.space)?),
        Command::Categories => taxonomy::list(&out, book.categories(out.space)?),
        Command::Reporters => taxonomy::list(&out, book.reporters(out.space)?),
        Command::Metrics(a) => metrics::run(book, &out, a),
        Command::Export(a) => export::run(book, &out, a),
        Command::Ids(c) => ids::run(book, &out, c),
        Command::Alert(c) => alert::run(book, &out, c),
        Command::Observable(c) => observable::run(book, &out, c),
        Command::AlertSource(c) => alert_source::run(book, &out, c),
        Command::Connector(c) => connector::run(book, &out, c),
        Command::Outbox(c) => outbox::run(book, &out, c),
        Command::Secrets(c) => secrets::run(book, &out, c, cli.passphrase_source()),
        Command::Serve(a) => serve::run(&out, a),
    }
}

impl Cli {
    pub fn passphrase_source(&self) -> secrets::PassphraseSource {
        secrets::PassphraseSource { stdin: self.passphrase_stdin }
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
