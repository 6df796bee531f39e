//! Connector settings per space: create, edit, list, delete, test, and the cached choices of the
//! case form. The database decides first and the keychain is changed only once it accepted the
//! change (see [`Casebook::write_with_secret`]): a refused change touches no secret, and a
//! keychain that is missing or locked leaves nothing half-saved.

use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::Value;

use super::{Client, Secrets, secret_name};
use crate::model::*;
use crate::row::{json, ms, opt_time, parse, time};
use crate::secrets::SecretChange;
use crate::spaces::space_id;
use crate::{Casebook, Error, Result, Tx, validate};

/// Longest connector name, in characters.
pub const MAX_CONNECTOR_NAME_LENGTH: usize = 128;

/// A connector with its row ids, for the push and store code.
#[derive(Debug, Clone)]
pub(crate) struct ConnectorRow {
    pub rowid: i64,
    pub connector: Connector,
}

const COLUMNS: &str = "k.id, k.uuid, s.name, k.name, k.kind, k.url, k.config, k.metadata, k.metadata_at, \
    k.created_at, k.updated_at";

/// The `config` column: the settings without their `kind` (the `kind` column says it).
fn settings_of(kind: &str, config: &str) -> rusqlite::Result<ConnectorSettings> {
    let mut object: serde_json::Map<String, Value> = parse(config)?;
    object.insert("kind".into(), Value::String(kind.to_string()));
    serde_json::from_value(Value::Object(object))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into()))
}

fn config_of(settings: &ConnectorSettings) -> String {
    let mut value = serde_json::to_value(settings).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.remove("kind");
    }
    value.to_string()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ConnectorRow> {
    let kind: String = r.get(4)?;
    let settings = settings_of(&kind, &r.get::<_, String>(6)?)?;
    let metadata: Option<String> = r.get(7)?;
    let mut connector = Connector {
        id: r.get(1)?,
        space: r.get(2)?,
        name: r.get(3)?,
        kind: settings.kind(),
        url: r.get(5)?,
        settings: settings.clone(),
        target: String::new(),
        account: None,
        secret_label: String::new(),
        secret_stored: false,
        stored_secrets: Vec::new(),
        secret_unreadable: None,
        metadata: metadata.as_deref().map(parse).transpose()?,
        metadata_fetched_at: opt_time(r.get(8)?),
        created_at: time(r.get(9)?),
        updated_at: time(r.get(10)?),
    };
    settings.describe(&mut connector);
    Ok(ConnectorRow { rowid: r.get(0)?, connector })
}

/// A connector of `space` by name or id.
pub(crate) fn load_row(conn: &Connection, space: &str, name_or_id: &str) -> Result<ConnectorRow> {
    let sid = space_id(conn, space)?;
    let wanted = name_or_id.trim();
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM connectors k JOIN spaces s ON s.id = k.space_id
         WHERE k.space_id = ?1 AND (k.uuid = ?2 OR k.name = ?2)"
    ))?
    .query_row((sid, wanted), from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("connector", format!("{wanted} in space {space}")))
}

/// A connector by id in any space (the outbox knows only the row id).
pub(crate) fn load_by_rowid(conn: &Connection, rowid: i64) -> Result<ConnectorRow> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM connectors k JOIN spaces s ON s.id = k.space_id WHERE k.id = ?1"
    ))?
    .query_row([rowid], from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("connector", rowid.to_string()))
}

/// Named secrets as given: (name, value).
type Named = Vec<(String, String)>;

/// The secrets given: the main one (trimmed) and the named ones (a PEM key keeps its lines);
/// an empty named one means "remove it" on edit.
fn given_secrets(input: &ConnectorInput, settings: &ConnectorSettings) -> Result<(Option<String>, Named)> {
    let secret = input.secret.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut extra = Vec::new();
    for (name, value) in input.secrets.iter().flatten() {
        let name = name.trim();
        if name == super::secrets::MAIN {
            return Err(Error::validation("secrets", "give the main secret as `secret`, not in `secrets`"));
        }
        settings.extra_secret(name)?;
        extra.push((name.to_string(), value.trim().to_string()));
    }
    Ok((secret, extra))
}

/// The input checked and normalised: the connector it describes (without ids and times), and
/// the secrets given (see [`given_secrets`]). `kept`: the secrets stored already (on edit),
/// which the ones given replace; the result is tried to sign in, without a request.
fn check(input: &ConnectorInput, kept: Option<Secrets>) -> Result<(Connector, Option<String>, Secrets)> {
    let name = validate::text("name", &input.name, 1, MAX_CONNECTOR_NAME_LENGTH)?;
    let url = input.url.trim().trim_end_matches('/').to_string();
    let settings = input.settings.checked()?;
    let (secret, extra) = given_secrets(input, &settings)?;
    let mut secrets = kept.unwrap_or_default();
    if let Some(s) = &secret {
        secrets.set(super::secrets::MAIN, s);
    }
    for (name, value) in &extra {
        secrets.set(name, value);
    }
    let mut connector = Connector {
        id: String::new(),
        space: String::new(),
        name,
        kind: settings.kind(),
        url,
        settings: settings.clone(),
        target: String::new(),
        account: None,
        secret_label: String::new(),
        secret_stored: secret.is_some(),
        stored_secrets: Vec::new(),
        secret_unreadable: None,
        metadata: None,
        metadata_fetched_at: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    };
    settings.describe(&mut connector);
    // The URL rule (https, or http on this computer) and the secrets' form, without a request;
    // a missing main secret is the caller's to report.
    let mut probe = secrets.clone();
    if probe.main_secret().is_empty() && connector.settings.needs_secret() {
        probe.set(super::secrets::MAIN, "x");
    }
    Client::new(&ConnectorRow { rowid: 0, connector: connector.clone() }, Some(probe))?;
    Ok((connector, secret, secrets))
}

/// The choices a system knows without a request (see [`super::Spec::static_choices`]), kept
/// as the connector's cached ones so the case form offers them at once.
fn keep_static_choices(tx: &Tx<'_>, uuid: &str, kind: ConnectorKind) -> Result<()> {
    if let Some(choices) = super::spec(kind).static_choices {
        tx.execute(
            "UPDATE connectors SET metadata = ?2, metadata_at = ?3 WHERE uuid = ?1",
            (uuid, json(&choices()), ms(tx.now)),
        )?;
    }
    Ok(())
}

fn unique_name(e: rusqlite::Error, name: &str) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
            Error::AlreadyExists { what: "connector", id: name.to_string() }
        }
        _ => e.into(),
    }
}

impl Casebook {
    /// The connectors of a space, by name.
    pub fn list_connectors(&self, space: &str) -> Result<Vec<Connector>> {
        let rows = self.read(|c| {
            let sid = space_id(c, space)?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM connectors k JOIN spaces s ON s.id = k.space_id
                 WHERE k.space_id = ?1 ORDER BY k.name COLLATE NOCASE"
            ))?;
            let rows = stmt.query_map([sid], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        rows.into_iter().map(|r| self.with_secret_flag(r.connector)).collect()
    }

    /// One connector by name or id.
    pub fn connector(&self, space: &str, name_or_id: &str) -> Result<Connector> {
        let row = self.read(|c| load_row(c, space, name_or_id))?;
        self.with_secret_flag(row.connector)
    }

    fn with_secret_flag(&self, mut c: Connector) -> Result<Connector> {
        let stored = match self.secrets().get(&secret_name(&c.id)) {
            Ok(stored) => stored,
            // Listing needs no secret: a locked or missing store is said beside each connector.
            Err(e) if crate::secrets::store_unreadable(&e) => {
                c.secret_unreadable = Some(e.to_wire());
                return Ok(c);
            }
            Err(e) => return Err(e),
        };
        c.secret_stored = stored.is_some();
        c.stored_secrets = stored.as_deref().map(Secrets::decode).map(|s| s.names()).unwrap_or_default();
        Ok(c)
    }

    /// Creates a connector. The secret is required; it goes to the keychain once the row is in.
    pub fn create_connector(&self, space: &str, input: &ConnectorInput) -> Result<Connector> {
        let (c, secret, secrets) = check(input, None)?;
        if secret.is_none() && c.settings.needs_secret() {
            return Err(Error::validation("secret", format!("is required: the {}", super::spec(c.kind).secret_label)));
        }
        let uuid = uuid::Uuid::new_v4().to_string();
        let stored = secrets.encode();
        self.write_with_secret(&secret_name(&uuid), SecretChange::Set(&stored), |tx| {
            let sid = space_id(tx, space)?;
            tx.execute(
                "INSERT INTO connectors (uuid, space_id, name, kind, url, config, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                (&uuid, sid, &c.name, c.kind.as_str(), &c.url, config_of(&c.settings), ms(tx.now)),
            )
            .map_err(|e| unique_name(e, &c.name))?;
            keep_static_choices(tx, &uuid, c.kind)
        })?;
        self.connector(space, &uuid)
    }

    /// Edits a connector. Without a secret the stored one is kept. Changing the system's
    /// address, project or mode drops the cached choices, which belonged to the old one.
    pub fn update_connector(&self, space: &str, name_or_id: &str, input: &ConnectorInput) -> Result<Connector> {
        let old = self.read(|c| load_row(c, space, name_or_id))?;
        if input.settings.kind() != old.connector.kind {
            return Err(Error::validation(
                "type",
                format!(
                    "cannot change from {} to {}; create a new connector instead",
                    old.connector.kind.as_str(),
                    input.settings.kind().as_str()
                ),
            ));
        }
        let uuid = old.connector.id.clone();
        let host = |u: &str| url::Url::parse(u).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        let moved = host(input.url.trim()) != host(&old.connector.url);
        let given = input.secret.as_deref().is_some_and(|s| !s.trim().is_empty());
        let stored = match self.secrets().get(&secret_name(&uuid)) {
            Ok(stored) => stored.as_deref().map(Secrets::decode),
            // Stored but unreadable: a new secret replaces it, as its message tells the user to.
            Err(e) if given && !crate::secrets::stops_the_change(&e) => None,
            Err(e) => return Err(e),
        };
        // The stored secrets were entered for the old host; they are not sent anywhere else.
        let (c, secret, secrets) = check(input, if moved { None } else { stored.clone() })?;
        let needs = c.settings.needs_secret();
        if moved {
            let given: Vec<String> = secrets.names();
            let missing: Vec<String> = stored
                .iter()
                .flat_map(Secrets::names)
                .filter(|n| !given.contains(n) && (n != super::secrets::MAIN || needs))
                .collect();
            if missing.iter().any(|n| n == super::secrets::MAIN) {
                return Err(Error::validation(
                    "secret",
                    "is required again when the URL moves to another host: enter the token or password for the new one",
                ));
            }
            if !missing.is_empty() {
                return Err(Error::validation(
                    "secrets",
                    format!("{} must be entered again when the URL moves to another host", missing.join(", ")),
                ));
            }
        }
        if needs && secrets.main_secret().is_empty() {
            return Err(Error::validation(
                "secret",
                "is required: the keychain holds none for this connector any more; enter it again",
            ));
        }
        let same_target = c.url == old.connector.url && c.settings.same_target(&old.connector.settings);
        let changed = secret.is_some() || input.secrets.as_ref().is_some_and(|s| !s.is_empty()) || moved;
        let stored = changed.then(|| secrets.encode());
        let change = stored.as_deref().map_or(SecretChange::Keep, SecretChange::Set);
        self.write_with_secret(&secret_name(&uuid), change, |tx| {
            let n = tx
                .execute(
                    "UPDATE connectors SET name = ?2, url = ?3, config = ?4, updated_at = ?5,
                        metadata = CASE WHEN ?6 THEN metadata END, metadata_at = CASE WHEN ?6 THEN metadata_at END
                     WHERE id = ?1",
                    (old.rowid, &c.name, &c.url, config_of(&c.settings), ms(tx.now), same_target),
                )
                .map_err(|e| unique_name(e, &c.name))?;
            if n == 0 {
                // Deleted meanwhile by another window or process: no secret for a row that is gone.
                return Err(Error::not_found("connector", format!("{name_or_id} in space {space}")));
            }
            keep_static_choices(tx, &uuid, c.kind)
        })?;
        self.connector(space, &uuid)
    }

    /// Deletes a connector, its secret, and its queued pushes. Cases keep the link to the
    /// ticket they were pushed to.
    pub fn delete_connector(&self, space: &str, name_or_id: &str) -> Result<()> {
        let row = self.read(|c| load_row(c, space, name_or_id))?;
        self.write_with_secret(&secret_name(&row.connector.id), SecretChange::Delete, |tx| {
            tx.execute("DELETE FROM connectors WHERE id = ?1", [row.rowid])?;
            Ok(())
        })
    }

    pub(crate) fn connector_client(&self, row: &ConnectorRow) -> Result<Client> {
        let secrets = self.secrets().get(&secret_name(&row.connector.id))?;
        Client::new(row, secrets.as_deref().map(Secrets::decode))
    }

    /// "Test connection": URL, TLS, sign-in and project or table, with one cheap request.
    pub async fn test_connector(&self, space: &str, name_or_id: &str) -> Result<ConnectionCheck> {
        let (_, client) = self.loaded_client(space, name_or_id).await?;
        let message = client.test().await.map_err(|f| f.error)?;
        Ok(ConnectionCheck { message })
    }

    /// Fetches the case form's choices (issue types, priorities, parents; ServiceNow choice
    /// lists) and keeps them, so the form works offline.
    pub async fn refresh_connector_metadata(&self, space: &str, name_or_id: &str) -> Result<Connector> {
        let (row, client) = self.loaded_client(space, name_or_id).await?;
        let metadata = client.metadata().await.map_err(|f| f.error)?;
        let space = space.to_string();
        self.blocking(move |b| {
            b.keep_metadata(&row, &metadata)?;
            b.connector(&space, &row.connector.id)
        })
        .await
    }

    /// The system's own fields (a Swimlane application's) as the connector `input` describes
    /// it, read before it is saved, so its field mappings can be chosen from them. The secret is
    /// the one typed, else, when `editing` names a connector, the one stored for it, which is
    /// only sent to the host it was entered for. Nothing is stored; no secret is in the answer.
    pub async fn preview_connector_fields(
        &self,
        space: &str,
        editing: Option<&str>,
        input: &ConnectorInput,
    ) -> Result<Vec<RemoteField>> {
        let (c, typed, _) = check(input, None)?;
        let (space, editing) = (space.to_string(), editing.map(str::to_string));
        let row = ConnectorRow { rowid: 0, connector: c };
        let client = self
            .blocking(move |b| {
                let secret = match (typed, editing) {
                    (Some(typed), _) => Some(typed),
                    (None, Some(name)) => {
                        let old = b.read(|conn| load_row(conn, &space, &name))?;
                        let host =
                            |u: &str| url::Url::parse(u).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase));
                        if host(&old.connector.url) != host(&row.connector.url) {
                            return Err(Error::validation(
                                "secret",
                                "is required again when the URL moves to another host: enter the token for the new one",
                            ));
                        }
                        let stored = b.secrets().get(&secret_name(&old.connector.id))?;
                        stored.as_deref().map(|s| Secrets::decode(s).main_secret().to_string())
                    }
                    (None, None) => {
                        let what = super::spec(row.connector.kind).secret_label;
                        return Err(Error::validation("secret", format!("is required to read the fields: the {what}")));
                    }
                };
                Client::new(&row, secret.map(Secrets::main))
            })
            .await?;
        let metadata = client.metadata().await.map_err(|f| f.error)?;
        Ok(metadata.fields)
    }

    /// The connector's row and a client with its secret (SQLite and the keychain: blocking).
    async fn loaded_client(&self, space: &str, name_or_id: &str) -> Result<(ConnectorRow, Client)> {
        let (space, name_or_id) = (space.to_string(), name_or_id.to_string());
        self.blocking(move |b| {
            let row = b.read(|c| load_row(c, &space, &name_or_id))?;
            let client = b.connector_client(&row)?;
            Ok((row, client))
        })
        .await
    }

    /// Keeps choices fetched from the system `row` describes, unless the connector was edited
    /// meanwhile (they may belong to its old address or project).
    pub(crate) fn keep_metadata(&self, row: &ConnectorRow, metadata: &ConnectorMetadata) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE connectors SET metadata = ?2, metadata_at = ?3 WHERE id = ?1 AND updated_at = ?4",
                (row.rowid, json(metadata), ms(tx.now), ms(row.connector.updated_at)),
            )?;
            Ok(())
        })
    }
}

/// A case's connector as given (Kibana's shape, the id or name of one of the space's connectors)
/// checked as [`Casebook::set_case_connector`] checks it: the connector exists, is of the given
/// type, and the fields are ones its system offers. `.none` is no connector.
pub(crate) fn resolve_case_connector(conn: &Connection, space: &str, given: &CaseConnector) -> Result<CaseConnector> {
    let given = validate::connector(given)?;
    if given.connector_type == ".none" {
        return Ok(given);
    }
    let row = load_row(conn, space, &given.id).map_err(|e| match e {
        // A create body copied from Kibana names Kibana's connector, which Casebook does not have.
        Error::NotFound { .. } => Error::validation(
            "connector.id",
            format!(
                "{:?} is not a connector of space {space}; add it under Settings → Connectors (or `casebook connector create`), or leave the case without one (type .none)",
                given.id
            ),
        ),
        other => other,
    })?;
    let kind = row.connector.kind;
    if kind.kibana_type() != given.connector_type {
        return Err(Error::validation(
            "connector.type",
            format!(
                "{} is a {} connector ({}), not {}",
                row.connector.name,
                kind.label(),
                kind.kibana_type(),
                given.connector_type
            ),
        ));
    }
    let fields = super::fields::check(&row.connector, given.fields.as_ref().unwrap_or(&Value::Null))?;
    Ok(case_connector(&row.connector, fields))
}

/// JSON for the case's `connector` column: Kibana's shape with this connector's id and type.
pub(crate) fn case_connector(c: &Connector, fields: Value) -> CaseConnector {
    CaseConnector {
        id: c.id.clone(),
        name: c.name.clone(),
        connector_type: c.kind.kibana_type().into(),
        fields: Some(fields),
    }
}
