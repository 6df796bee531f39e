//! `casebook connector …`: connectors to incident systems. The settings of every system go
//! through the same flags (`--set NAME=VALUE`), checked by the core.

use base64::Engine;
use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::{Args, Subcommand};
use serde_json::{Map, Value};

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
    /// Show the exact request a push of the case would send (webhook connectors), secrets
    /// masked; nothing is sent.
    Preview {
        connector: String,
        /// The case: its id, or #N.
        #[arg(long = "case")]
        case_id: String,
        /// create, update, comment, get or find.
        #[arg(long, default_value = "create")]
        request: String,
    },
}

#[derive(Args, Debug)]
pub struct ConnectorArgs {
    #[arg(long)]
    pub name: String,
    /// The system: jira, servicenow-itsm, servicenow-sir… (`casebook connector create --help`
    /// lists them all; Kibana's type ids such as .jira are accepted too).
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
    /// Jira: the project key (SEC). Same as --set project_key=SEC.
    #[arg(long = "project")]
    pub project_key: Option<String>,
    /// ServiceNow: import-set (the Elastic app, default) or table (Table API).
    #[arg(long)]
    pub mode: Option<String>,
    /// Jira: basic (user + token or password, default) or pat (Data Center personal access token).
    #[arg(long)]
    pub auth: Option<String>,
    /// The account: Jira Cloud's email, a Data Center or ServiceNow user name.
    #[arg(long)]
    pub username: Option<String>,
    /// Any setting of the system as NAME=VALUE (repeatable), e.g. --set org_id=201. A wrong
    /// name is refused with the names the system has.
    #[arg(long = "set", value_name = "NAME=VALUE", allow_hyphen_values = true)]
    pub set: Vec<String>,
    /// A setting whose value is JSON (a list, an object, true/false), e.g. --set-json 'mappings={…}'.
    #[arg(long = "set-json", value_name = "NAME=JSON", allow_hyphen_values = true)]
    pub set_json: Vec<String>,
    /// Read the main secret (API token, password, API key…) from standard input.
    #[arg(long, conflicts_with = "secrets_json_stdin")]
    pub secret_stdin: bool,
    /// Read several secrets from standard input as one JSON object of name → value: `secret`
    /// (the main one), `header:<Name>` (a webhook's secret header), `client_key`,
    /// `client_key_password`. On edit, secrets left out are kept; an empty value removes one.
    #[arg(long)]
    pub secrets_json_stdin: bool,
    /// Webhook: the client certificate's private key (PEM), or the whole PFX file, read from
    /// this file into the keychain (a PEM certificate itself is in --set-json auth={…}; a PFX
    /// password goes in --secrets-json-stdin as client_key_password).
    #[arg(long, value_name = "PATH")]
    pub client_key_file: Option<std::path::PathBuf>,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &ConnectorCmd) -> Result<(), Error> {
    let store = super::secrets::store_words(book)?;
    let show = |c: &Connector| show_connector(c, store);
    match cmd {
        ConnectorCmd::Create(a) => {
            let kind: ConnectorKind = a.kind.parse()?;
            let url = a.rest.url.clone().ok_or_else(|| Error::Validation {
                field: "url".into(),
                message: "is required (--url https://…)".into(),
            })?;
            let input = ConnectorInput {
                name: a.name.clone(),
                url,
                settings: settings(kind, Map::new(), &a.rest)?,
                secret: None,
                secrets: None,
            };
            let input = with_secrets(input, &a.rest)?;
            let c = book.create_connector(out.space, &input)?;
            out.show(&c, |c| {
                show(c);
                say!("Next: casebook connector test {:?}", c.name);
            });
        }
        ConnectorCmd::Edit { connector, rename, args } => {
            let c = book.connector(out.space, connector)?;
            let current = match serde_json::to_value(&c.settings) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let input = ConnectorInput {
                name: rename.clone().unwrap_or(c.name),
                url: args.url.clone().unwrap_or(c.url),
                settings: settings(c.kind, current, args)?,
                secret: None,
                secrets: None,
            };
            let input = with_secrets(input, args)?;
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
                    say!("{:<24} {:<18} {}  {}", c.name, c.kind.label(), c.url, c.settings.target());
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
        ConnectorCmd::Preview { connector, case_id, request } => {
            let request: PreviewRequest = request.parse()?;
            let case_id = super::case_id(book, out, case_id)?;
            let p = book.preview_connector_request(out.space, connector, &case_id, request)?;
            out.show(&p, |p| {
                say!("{} {}", p.method, p.url);
                for h in &p.headers {
                    say!("{}: {}", h.name, h.value);
                }
                if let Some(body) = &p.body {
                    say!("");
                    say!("{body}");
                }
            });
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

/// The secrets the flags give: the main one, named ones from a JSON object, a key file.
fn with_secrets(mut input: ConnectorInput, a: &ConnectorEditArgs) -> Result<ConnectorInput, Error> {
    let bad = |field: &str, message: String| Error::Validation { field: field.into(), message };
    let mut named = std::collections::BTreeMap::new();
    if a.secret_stdin {
        input.secret = Some(secret_from_stdin("secret", "the API token, password or key")?);
    }
    if a.secrets_json_stdin {
        let text = secret_from_stdin("secrets", "a JSON object of secret names and values")?;
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&text) else {
            // The text may hold secrets: not shown.
            return Err(bad("secrets", "standard input is not a JSON object of name → text".into()));
        };
        for (name, value) in map {
            let Value::String(value) = value else {
                return Err(bad("secrets", format!("the value of {name:?} must be a text")));
            };
            if name == "secret" {
                input.secret = Some(value);
            } else {
                named.insert(name, value);
            }
        }
    }
    if let Some(path) = &a.client_key_file {
        let bytes = std::fs::read(path)
            .map_err(|e| bad("client-key-file", format!("{} could not be read: {e}", path.display())))?;
        // A PEM key is text; a PFX file is binary and kept as base64.
        let key = match String::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN ") => text,
            Ok(text) => base64::engine::general_purpose::STANDARD.encode(text),
            Err(e) => base64::engine::general_purpose::STANDARD.encode(e.into_bytes()),
        };
        named.insert("client_key".to_string(), key);
    }
    input.secrets = (!named.is_empty()).then_some(named);
    Ok(input)
}

/// The system's settings: `current` with the flags given over it, checked by the core.
fn settings(
    kind: ConnectorKind,
    mut current: Map<String, Value>,
    a: &ConnectorEditArgs,
) -> Result<ConnectorSettings, Error> {
    let bad = |field: &str, message: String| Error::Validation { field: field.into(), message };
    let mut put = |name: &str, value: Value| {
        current.insert(name.trim().to_string(), value);
    };
    if let Some(k) = &a.project_key {
        put("project_key", Value::String(k.clone()));
    }
    if let Some(m) = &a.mode {
        let mode = match m.trim() {
            "import-set" | "import" | "app" => "import-set",
            "table" | "table-api" => "table",
            other => return Err(bad("mode", format!("must be import-set (the Elastic app) or table (got {other:?})"))),
        };
        put("mode", Value::String(mode.into()));
    }
    if let Some(auth) = &a.auth {
        let auth = match auth.trim() {
            "basic" => "basic",
            "pat" | "bearer" => "pat",
            other => return Err(bad("auth", format!("must be basic or pat (got {other:?})"))),
        };
        put("auth", Value::String(auth.into()));
        if auth == "pat" && a.username.is_none() {
            current.remove("username");
        }
    }
    if let Some(u) = &a.username {
        current.insert("username".into(), Value::String(u.clone()));
    }
    for pair in &a.set {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| bad("set", format!("must be NAME=VALUE, e.g. org_id=201 (got {pair:?})")))?;
        current.insert(name.trim().into(), Value::String(value.to_string()));
    }
    for pair in &a.set_json {
        let (name, value) =
            pair.split_once('=').ok_or_else(|| bad("set-json", format!("must be NAME=JSON (got {pair:?})")))?;
        let value = serde_json::from_str(value)
            .map_err(|e| bad(&format!("set-json {}", name.trim()), format!("is not JSON: {e}")))?;
        current.insert(name.trim().into(), value);
    }
    ConnectorSettings::from_json(kind, current)
}

fn show_connector(c: &Connector, store: &str) {
    say!("{}  ({}, space {})", c.name, c.kind.label(), c.space);
    let row = |k: &str, v: String| say!("  {k:<14}{v}");
    row("id", c.id.clone());
    row("url", c.url.clone());
    row("target", c.settings.target());
    if let Some(who) = c.settings.account() {
        row("sign-in", who);
    }
    if let Ok(Value::Object(settings)) = serde_json::to_value(&c.settings) {
        for (name, value) in settings.iter().filter(|(n, _)| n.as_str() != "kind") {
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            row(name, shown);
        }
    }
    row(
        "secret",
        match &c.secret_unreadable {
            Some(why) => format!("not checked: {}", why.message),
            None if c.secret_stored => format!("stored in {store}"),
            None => "missing: enter it again with --secret-stdin".into(),
        },
    );
    let named: Vec<&str> = c.stored_secrets.iter().map(String::as_str).filter(|n| *n != "secret").collect();
    if !named.is_empty() {
        row("secrets", format!("{} (in {store})", named.join(", ")));
    }
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
