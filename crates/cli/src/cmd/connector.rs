//! `casebook connector …`: connectors to Jira and ServiceNow.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::{Args, Subcommand};

use super::{Out, block_on};
use crate::input::secret_from_stdin;

#[derive(Subcommand, Debug)]
pub enum ConnectorCmd {
    /// Add a connector. The secret is read from standard input, never from the command line:
    /// `printf %s "$TOKEN" | casebook connector create --name SOC --type jira --url https://x.atlassian.net --project SEC --username me@example.com --secret-stdin`.
    Create(ConnectorArgs),
    /// Change a connector; flags left out keep their value, and the stored secret is kept
    /// unless --secret-stdin gives a new one.
    Edit {
        /// Connector name or id.
        connector: String,
        /// A new name.
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        args: ConnectorEditArgs,
    },
    /// The connectors of the space.
    List,
    /// One connector with its cached choices (never its secret).
    Show { connector: String },
    /// Check URL, sign-in and project or table with one cheap request.
    Test { connector: String },
    /// Fetch and keep the choices the case form offers (issue types, priorities, categories…).
    Refresh { connector: String },
    /// Delete a connector and its secret; cases keep the link to their ticket.
    Delete { connector: String },
}

#[derive(Args, Debug)]
pub struct ConnectorArgs {
    #[arg(long)]
    pub name: String,
    /// jira, servicenow-itsm or servicenow-sir.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    #[command(flatten)]
    pub rest: ConnectorEditArgs,
}

#[derive(Args, Debug)]
pub struct ConnectorEditArgs {
    /// The site or instance, e.g. https://your-site.atlassian.net or https://x.service-now.com.
    #[arg(long)]
    pub url: Option<String>,
    /// Jira: the project key (SEC).
    #[arg(long = "project")]
    pub project_key: Option<String>,
    /// ServiceNow: import-set (the Elastic app, default) or table (Table API).
    #[arg(long)]
    pub mode: Option<String>,
    /// basic (user + token or password, default) or pat (Jira Data Center personal access token).
    #[arg(long)]
    pub auth: Option<String>,
    /// Jira Cloud: the account's email; Data Center and ServiceNow: the user name.
    #[arg(long)]
    pub username: Option<String>,
    /// Read the API token, password or personal access token from standard input.
    #[arg(long)]
    pub secret_stdin: bool,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &ConnectorCmd) -> Result<(), Error> {
    match cmd {
        ConnectorCmd::Create(a) => {
            let mut input = ConnectorInput {
                name: a.name.clone(),
                kind: a.kind.parse()?,
                url: a.rest.url.clone().ok_or_else(|| Error::Validation {
                    field: "url".into(),
                    message: "is required (--url https://…)".into(),
                })?,
                project_key: None,
                mode: None,
                auth: None,
                username: None,
                secret: None,
            };
            apply(&mut input, &a.rest)?;
            let c = book.create_connector(out.space, &input)?;
            out.show(&c, |c| {
                show(c);
                say!("Next: casebook connector test {:?}", c.name);
            });
        }
        ConnectorCmd::Edit { connector, rename, args } => {
            let c = book.connector(out.space, connector)?;
            let mut input = ConnectorInput {
                name: rename.clone().unwrap_or(c.name),
                kind: c.kind,
                url: args.url.clone().unwrap_or(c.url),
                project_key: c.project_key,
                mode: c.mode,
                auth: Some(c.auth),
                username: c.username,
                secret: None,
            };
            apply(&mut input, args)?;
            if input.auth == Some(ConnectorAuth::Pat) && args.username.is_none() {
                input.username = None;
            }
            let c = book.update_connector(out.space, connector, &input)?;
            out.show(&c, show);
        }
        ConnectorCmd::List => {
            let list = book.list_connectors(out.space)?;
            out.show(&list, |list| {
                if list.is_empty() {
                    say!("No connectors in space {}. Add one with: casebook connector create --help", out.space);
                }
                for c in list {
                    say!("{:<24} {:<18} {}{}", c.name, c.kind.label(), c.url, target(c));
                }
            });
        }
        ConnectorCmd::Show { connector } => {
            let c = book.connector(out.space, connector)?;
            out.show(&c, show);
        }
        ConnectorCmd::Test { connector } => {
            let r = block_on(book.test_connector(out.space, connector))?;
            out.show(&r, |r| say!("OK: {}", r.message));
        }
        ConnectorCmd::Refresh { connector } => {
            let c = block_on(book.refresh_connector_metadata(out.space, connector))?;
            out.show(&c, show);
        }
        ConnectorCmd::Delete { connector } => {
            let c = book.connector(out.space, connector)?;
            book.delete_connector(out.space, &c.id)?;
            out.show(&serde_json::json!({ "deleted": c.id }), |_| {
                say!("Deleted connector {} and its secret from the keychain.", c.name)
            });
        }
    }
    Ok(())
}

/// The flags given, over `input`.
fn apply(input: &mut ConnectorInput, a: &ConnectorEditArgs) -> Result<(), Error> {
    if let Some(k) = &a.project_key {
        input.project_key = Some(k.clone());
    }
    if let Some(m) = &a.mode {
        input.mode = Some(match m.trim() {
            "import-set" | "import" | "app" => ServiceNowMode::ImportSet,
            "table" | "table-api" => ServiceNowMode::Table,
            other => {
                return Err(Error::Validation {
                    field: "mode".into(),
                    message: format!("must be import-set (the Elastic app) or table (got {other:?})"),
                });
            }
        });
    }
    if let Some(auth) = &a.auth {
        input.auth = Some(match auth.trim() {
            "basic" => ConnectorAuth::Basic,
            "pat" | "bearer" => ConnectorAuth::Pat,
            other => {
                return Err(Error::Validation {
                    field: "auth".into(),
                    message: format!("must be basic or pat (got {other:?})"),
                });
            }
        });
    }
    if let Some(u) = &a.username {
        input.username = Some(u.clone());
    }
    if a.secret_stdin {
        input.secret = Some(secret_from_stdin("secret", "the API token, password or personal access token")?);
    }
    Ok(())
}

fn target(c: &Connector) -> String {
    match (&c.project_key, c.mode) {
        (Some(k), _) => format!("  project {k}"),
        (None, Some(ServiceNowMode::Table)) => "  Table API".into(),
        (None, Some(ServiceNowMode::ImportSet)) => "  Elastic app".into(),
        _ => String::new(),
    }
}

fn show(c: &Connector) {
    say!("{}  ({}, space {})", c.name, c.kind.label(), c.space);
    let row = |k: &str, v: String| say!("  {k:<10}{v}");
    row("id", c.id.clone());
    row("url", c.url.clone());
    if let Some(k) = &c.project_key {
        row("project", k.clone());
    }
    if let Some(m) = c.mode {
        row("mode", if m == ServiceNowMode::Table { "Table API".into() } else { "Elastic app (import set)".into() });
    }
    let who = match (c.auth, &c.username) {
        (ConnectorAuth::Pat, _) => "personal access token".to_string(),
        (_, Some(u)) => format!("{u}, basic"),
        (_, None) => "basic".into(),
    };
    row("sign-in", who);
    row(
        "secret",
        if c.secret_stored {
            "stored in the OS keychain".into()
        } else {
            "missing: enter it again with --secret-stdin".into()
        },
    );
    match (&c.metadata, c.metadata_fetched_at) {
        (Some(m), Some(at)) => {
            row("choices", format!("fetched {}", at.format("%Y-%m-%d %H:%M UTC")));
            let list = |name: &str, l: &[Choice]| {
                if !l.is_empty() {
                    row(name, l.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join(", "));
                }
            };
            list("types", &m.issue_types);
            list("priority", &m.priorities);
            list("urgency", &m.urgencies);
            list("severity", &m.severities);
            list("impact", &m.impacts);
            list("category", &m.categories);
            if !m.parents.is_empty() {
                row("parents", format!("{} recent issues", m.parents.len()));
            }
            if !m.subcategories.is_empty() {
                row("subcats", format!("{} (by category)", m.subcategories.len()));
            }
        }
        _ => row("choices", format!("not fetched yet: casebook connector refresh {:?}", c.name)),
    }
}
