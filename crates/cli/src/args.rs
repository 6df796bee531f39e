//! The command line surface. Scripts depend on these spellings: add, never rename.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Every tag used in the space, most used first.
    Tags,
    /// Every category used in the space.
    Categories,
    /// Everyone who reported a case in the space.
    Reporters,
    /// Case numbers (#1, #2, …): give them out now, or set how often the desktop app does.
    #[command(subcommand)]
    Ids(IdsCmd),
    /// Attach Elastic Security alerts to a case, list, show and remove them.
    #[command(subcommand)]
    Alert(AlertCmd),
    /// Observables of a case (IPs, hashes, hosts, …): add, edit, delete, list.
    #[command(subcommand)]
    Observable(ObservableCmd),
    /// The space's Elasticsearch source of alerts (its API key lives in the OS keychain).
    #[command(subcommand)]
    Source(SourceCmd),
    /// Connectors to Jira and ServiceNow (their token or password lives in the OS keychain).
    #[command(subcommand)]
    Connector(ConnectorCmd),
    /// Pushes waiting to be sent (offline, throttled or refused): list, retry, cancel, send now.
    #[command(subcommand)]
    Outbox(OutboxCmd),
}

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

#[derive(Subcommand, Debug)]
pub enum OutboxCmd {
    /// Every push waiting, with its attempts and last error.
    List {
        /// Every space's pushes, not only this space's.
        #[arg(long)]
        all_spaces: bool,
    },
    /// Try a waiting or failed push again now.
    Retry { id: i64 },
    /// Drop a waiting push (what was already sent stays sent).
    Cancel { id: i64 },
    /// Send every push that is due now.
    Run,
}

#[derive(Subcommand, Debug)]
pub enum SourceCmd {
    /// Set or change the source. The API key is read from standard input, never from the
    /// command line: `printf %s "$KEY" | casebook source set --url https://… --api-key-stdin`.
    Set {
        #[arg(long)]
        url: String,
        /// The Kibana space whose alerts are read (default: this space's name).
        #[arg(long)]
        kibana_space: Option<String>,
        /// Read the encoded API key from standard input (omit to keep the stored key).
        #[arg(long)]
        api_key_stdin: bool,
    },
    /// Show the source (never the key).
    Show,
    /// Check the URL, the key and the cluster with one request.
    Test,
    /// Forget the source and delete its key from the keychain.
    Remove,
}

#[derive(Subcommand, Debug)]
pub enum AlertCmd {
    /// Attach the alerts in a file: NDJSON, JSON (array, one document, a _search response) or a
    /// Discover CSV (`,` or `;`), gzip-compressed or not. Bad lines are reported with their line
    /// numbers; the good ones are attached. Exits 1 when no line could be read.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Case id or #number.
        #[arg(long)]
        case: String,
    },
    /// List a case's alerts, grouped by rule and newest first unless --sort says otherwise.
    List(AlertListArgs),
    /// Show one alert with every field of its document.
    Show {
        #[arg(long)]
        case: String,
        #[arg(value_name = "ALERT_ID")]
        alert: String,
    },
    /// Remove alerts from a case (all or none).
    Remove {
        #[arg(long)]
        case: String,
        #[arg(value_name = "ALERT_ID", required = true)]
        alerts: Vec<String>,
    },
    /// Alert count, distinct hosts and users, and the alerts per rule of a case.
    Summary {
        #[arg(long)]
        case: String,
    },
    /// Search the space's Elasticsearch source; with --attach, attach what was found.
    Search(AlertSearchArgs),
    /// Send alert statuses that wait for Elasticsearch (sync alerts) now.
    Sync,
}

#[derive(Args, Debug)]
pub struct AlertSearchArgs {
    /// From this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this time (RFC 3339 or YYYY-MM-DD, the whole day).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub rule: Option<String>,
    #[arg(long)]
    pub host: Option<String>,
    #[arg(long)]
    pub user: Option<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    /// open, acknowledged or closed.
    #[arg(long = "status")]
    pub workflow_status: Option<String>,
    /// Alerts per page, 1–1000.
    #[arg(long, default_value_t = 100)]
    pub size: u32,
    /// The `next` value a previous search printed, for the page after it (JSON).
    #[arg(long)]
    pub after: Option<String>,
    /// Attach the alerts found to this case (id or #number).
    #[arg(long)]
    pub attach: Option<String>,
}

#[derive(Args, Debug)]
pub struct AlertListArgs {
    #[arg(long)]
    pub case: String,
    /// Only this rule ("" for alerts without a rule).
    #[arg(long)]
    pub rule: Option<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    /// open, acknowledged (Kibana's "In progress": in-progress) or closed.
    #[arg(long = "status")]
    pub workflow_status: Option<String>,
    /// Words to find in rule, reason, host, user or alert id.
    #[arg(long, allow_hyphen_values = true)]
    pub search: Option<String>,
    /// rule, time, severity, risk_score, host or user.
    #[arg(long, default_value = "rule")]
    pub sort: String,
    #[arg(long)]
    pub order: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 50)]
    pub per_page: u32,
}

#[derive(Subcommand, Debug)]
pub enum ObservableCmd {
    /// Add an observable to a case (at most 50 per case; each type and value once).
    Add {
        /// Case id or #number.
        case: String,
        /// The type: ipv4, ipv6, url, hostname, file-hash, file-path, email, domain, or a
        /// custom type's key.
        #[arg(long = "type")]
        type_key: String,
        #[arg(long)]
        value: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Change an observable's type, value or description.
    Edit {
        case: String,
        observable: String,
        #[arg(long = "type")]
        type_key: Option<String>,
        #[arg(long)]
        value: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete an observable.
    Delete { case: String, observable: String },
    /// List a case's observables.
    List { case: String },
    /// The observable types of the space.
    Types,
}

#[derive(Subcommand, Debug)]
pub enum IdsCmd {
    /// Number every case that has no number yet, in every space, oldest first.
    Assign,
    /// Show, or with a value set, the desktop app's minutes between numbering passes (1–60).
    Interval {
        #[arg(value_name = "MINUTES")]
        minutes: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum CaseCmd {
    /// Create a case from flags, or from Kibana's create-case JSON body (an object or an array).
    Create(CreateArgs),
    /// Show one case.
    Get {
        /// Case id (UUID) or #number.
        case: String,
    },
    /// List cases with filters, search, sort and paging (Kibana's _find).
    List(ListArgs),
    /// Change a case. --version must be the version you read (stale versions are refused).
    Update(UpdateArgs),
    /// Delete cases with their comments (up to 100 at once; all or none).
    Delete {
        /// Case ids or #numbers.
        #[arg(required = true)]
        cases: Vec<String>,
    },
    /// Counts per status and mean time to close for the given filters.
    Stats(FilterArgs),
    /// Choose the case's connector and its fields (checked against the connector's choices).
    SetConnector {
        /// Case id or #number.
        case: String,
        /// Connector name or id; `none` clears it.
        #[arg(long)]
        connector: String,
        /// A field, NAME=VALUE: Jira issueType, priority, parent; ServiceNow urgency, severity,
        /// impact, category, subcategory; SecOps category, subcategory, priority and
        /// destIp/sourceIp/malwareHash/malwareUrl=true.
        #[arg(long = "field", value_name = "NAME=VALUE")]
        fields: Vec<String>,
    },
    /// Push the case to its connector's system: create the ticket, or update it and add the
    /// comments it has not seen. Offline, the push waits in the outbox and is retried.
    Push {
        /// Case id or #number.
        case: String,
        /// Push to this connector instead of the case's.
        #[arg(long)]
        connector: Option<String>,
        /// Keep retrying (with back-off) until the push is sent or refused.
        #[arg(long)]
        wait: bool,
    },
    /// Other cases of the space sharing at least one observable with this one.
    Similar {
        /// Case id or #number.
        case: String,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 20)]
        per_page: u32,
    },
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    #[arg(long, allow_hyphen_values = true, required_unless_present = "from_json", conflicts_with = "from_json")]
    pub title: Option<String>,
    /// Markdown; `-` reads it from standard input.
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub category: Option<String>,
    #[arg(long = "assignee", value_name = "USER")]
    pub assignees: Vec<String>,
    /// A custom field value, KEY=VALUE (toggles: on/off/true/false).
    #[arg(long = "custom-field", value_name = "KEY=VALUE")]
    pub custom_fields: Vec<String>,
    /// Start from a template of the space (its fields fill what the flags leave out).
    #[arg(long)]
    pub template: Option<String>,
    /// Do not sync the status of attached alerts with the case.
    #[arg(long)]
    pub no_sync_alerts: bool,
    /// Do not extract observables from the alerts attached to the case.
    #[arg(long)]
    pub no_extract_observables: bool,
    /// The connector the case is pushed to (name or id); `casebook case push` sends it.
    #[arg(long)]
    pub connector: Option<String>,
    /// A connector field, NAME=VALUE, as for `casebook case set-connector`.
    #[arg(long = "field", value_name = "NAME=VALUE", requires = "connector")]
    pub fields: Vec<String>,
    /// Kibana's create-case body (or an array of them), from a file or `-` for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub from_json: Option<PathBuf>,
    /// Check the case with every rule `case create` applies, and create nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug, Default)]
pub struct FilterArgs {
    /// open, in-progress or closed (repeat for several).
    #[arg(long)]
    pub status: Vec<String>,
    /// low, medium, high or critical (repeat for several).
    #[arg(long)]
    pub severity: Vec<String>,
    /// Cases with any of these tags.
    #[arg(long = "tag", allow_hyphen_values = true, value_name = "TAG")]
    pub tags: Vec<String>,
    /// Cases assigned to any of these users; `none` for unassigned cases.
    #[arg(long = "assignee", value_name = "USER")]
    pub assignees: Vec<String>,
    /// Cases created by any of these users.
    #[arg(long = "reporter", value_name = "USER")]
    pub reporters: Vec<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub category: Vec<String>,
    /// A toggle custom field, KEY=on or KEY=off.
    #[arg(long = "custom-field", value_name = "KEY=on|off")]
    pub custom_fields: Vec<String>,
    /// Created at or after (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub from: Option<String>,
    /// Created at or before (YYYY-MM-DD means the end of that day).
    #[arg(long)]
    pub to: Option<String>,
    /// Free text over title, description and comments; `#12` for a case number; a case UUID.
    #[arg(long, allow_hyphen_values = true)]
    pub search: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// title, category, created, updated, closed, status or severity (default: relevance when
    /// searching, else created).
    #[arg(long)]
    pub sort: Option<String>,
    #[arg(long, default_value = "desc")]
    pub order: String,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 20)]
    pub per_page: u32,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Case id or #number (omit with --from-json).
    #[arg(required_unless_present = "from_json")]
    pub case: Option<String>,
    #[arg(long, required_unless_present = "from_json")]
    pub version: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub title: Option<String>,
    /// Markdown; `-` reads it from standard input.
    #[arg(long, allow_hyphen_values = true)]
    pub description: Option<String>,
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub severity: Option<String>,
    #[arg(long, allow_hyphen_values = true, conflicts_with = "clear_category")]
    pub category: Option<String>,
    #[arg(long)]
    pub clear_category: bool,
    #[arg(long = "add-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub add_tags: Vec<String>,
    #[arg(long = "remove-tag", allow_hyphen_values = true, value_name = "TAG")]
    pub remove_tags: Vec<String>,
    #[arg(long = "add-assignee", value_name = "USER")]
    pub add_assignees: Vec<String>,
    #[arg(long = "remove-assignee", value_name = "USER")]
    pub remove_assignees: Vec<String>,
    /// Set a custom field, KEY=VALUE (the others keep their values).
    #[arg(long = "custom-field", value_name = "KEY=VALUE")]
    pub custom_fields: Vec<String>,
    /// Turn alert status sync on or off.
    #[arg(long, value_name = "on|off")]
    pub sync_alerts: Option<String>,
    /// Turn observable extraction from attached alerts on or off.
    #[arg(long, value_name = "on|off")]
    pub extract_observables: Option<String>,
    /// Kibana's bulk PATCH body {"cases":[{id, version, …}]} (or a bare array), file or `-`.
    #[arg(long, value_name = "FILE|-", conflicts_with = "case")]
    pub from_json: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum CommentCmd {
    /// Add a Markdown comment.
    Add {
        case: String,
        /// The comment; `-` reads it from standard input.
        #[arg(long, allow_hyphen_values = true)]
        body: String,
    },
    /// Replace a comment's text. --version must be the version you read.
    Edit {
        case: String,
        comment: String,
        #[arg(long)]
        version: String,
        /// The new text; `-` reads it from standard input.
        #[arg(long, allow_hyphen_values = true)]
        body: String,
    },
    /// Delete a comment.
    Delete { case: String, comment: String },
    /// List the comments of a case, oldest first.
    List {
        case: String,
        #[arg(long, default_value = "asc")]
        order: String,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 100)]
        per_page: u32,
    },
}

#[derive(Args, Debug)]
pub struct ActivityArgs {
    /// Case id or #number (a deleted case's history needs its id).
    pub case: String,
    /// Only these types: create_case, title, description, tags, status, severity, assignees,
    /// category, custom_fields, settings, comment (also alerts attached and removed),
    /// observables, connector, pushed, delete_case.
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[arg(long, default_value = "asc")]
    pub order: String,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 100)]
    pub per_page: u32,
}

#[derive(Subcommand, Debug)]
pub enum SpaceCmd {
    /// Create a space (lowercase letters, digits, '_' and '-').
    Create { name: String },
    /// List the spaces and their case counts.
    List,
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Show the space's case settings.
    Show,
    /// Close cases only by hand, or also when they are pushed.
    Closure {
        #[arg(value_parser = ["close-by-user", "close-by-pushing"])]
        option: String,
    },
    /// Define a custom field (at most 10 per space).
    AddField {
        #[arg(long)]
        key: String,
        #[arg(long)]
        label: String,
        /// text, toggle or number.
        #[arg(long = "type")]
        field_type: String,
        #[arg(long)]
        required: bool,
        #[arg(long)]
        default: Option<String>,
    },
    /// Remove a custom field definition (existing cases keep their values).
    RemoveField { key: String },
    /// Define a custom observable type (at most 10 per space).
    AddObservableType {
        /// Lowercase letters, digits, '_' and '-'.
        #[arg(long)]
        key: String,
        #[arg(long)]
        label: String,
    },
    /// Remove a custom observable type; its observables are deleted from every case.
    RemoveObservableType { key: String },
    /// Replace the settings with a JSON document (the `settings show --json` shape), file or `-`.
    Set {
        #[arg(long, value_name = "FILE|-")]
        from_json: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Show your profile, or change it with the flags.
    Me {
        #[arg(long)]
        username: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// You and your teammates.
    List,
    /// Add a teammate you can assign cases to.
    Add {
        username: String,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Remove a teammate.
    Remove { username: String },
}
