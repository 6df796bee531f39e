//! Elasticsearch as a source of alerts, one per space: its URL and Kibana space in SQLite, its
//! API key in the OS keychain only. Searching it, attaching what it returns, and sending the
//! workflow status of synced alerts back to it.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::elastic::{AlertHit, AlertQuery, AlertSearchPage, ClusterInfo, ElasticClient, alerts_index};
use crate::model::*;
use crate::row::{ms, time};
use crate::secrets::SecretChange;
use crate::spaces::space_id;
use crate::{Casebook, Error, Result};

/// A space's Elasticsearch source as the UI shows it. The key is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AlertSource {
    pub space: String,
    pub url: String,
    /// The Kibana space whose alerts are read: `.alerts-security.alerts-<kibana_space>`.
    pub kibana_space: String,
    pub index: String,
    /// Whether the keychain holds the API key (false when it was removed there by hand).
    pub api_key_stored: bool,
    /// Why the secret store could not be asked (the secrets file is locked, no keychain): then
    /// `api_key_stored` says nothing.
    #[serde(default)]
    pub api_key_unreadable: Option<crate::WireError>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Setting or changing a source. `api_key` is the encoded key Kibana shows once; leave it out
/// to keep the stored one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct AlertSourceInput {
    pub url: String,
    #[serde(default)]
    pub kibana_space: Option<String>,
    #[serde(default)]
    pub api_key: Option<String>,
}

/// What a status sync with Elasticsearch did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusSyncReport {
    /// Alerts whose status Elasticsearch now has.
    pub updated: u64,
    /// Alerts still waiting (their source could not be reached or refused); retried later.
    pub waiting: u64,
    /// Why, per space, in the system's own words.
    pub errors: Vec<String>,
}

pub(crate) fn secret_name(space: &str) -> String {
    format!("elasticsearch:{space}")
}

fn load(conn: &Connection, space: &str) -> Result<Option<(String, String, i64)>> {
    let sid = space_id(conn, space)?;
    Ok(conn
        .prepare_cached("SELECT url, kibana_space, updated_at FROM alert_sources WHERE space_id = ?1")?
        .query_row([sid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

fn no_source(space: &str) -> Error {
    Error::not_found(
        "Elasticsearch source",
        format!("for space {space}; set one in Settings → Alert source or with `casebook alert-source set`"),
    )
}

impl Casebook {
    pub fn alert_source(&self, space: &str) -> Result<Option<AlertSource>> {
        let Some((url, kibana_space, updated_at)) = self.read(|c| load(c, space))? else { return Ok(None) };
        let (api_key_stored, api_key_unreadable) = match self.secrets().get(&secret_name(space)) {
            Ok(key) => (key.is_some(), None),
            Err(e) if crate::secrets::store_unreadable(&e) => (false, Some(e.to_wire())),
            Err(e) => return Err(e),
        };
        Ok(Some(AlertSource {
            space: space.to_string(),
            index: alerts_index(&kibana_space)?,
            url,
            kibana_space,
            api_key_stored,
            api_key_unreadable,
            updated_at: time(updated_at),
        }))
    }

    /// Saves a space's source. The key goes to the keychain once the database accepted the row
    /// (see [`Casebook::write_with_secret`]): a refused save leaves the stored key alone, and a
    /// keychain that is locked or missing fails the call with nothing saved anywhere.
    pub fn set_alert_source(&self, space: &str, input: &AlertSourceInput) -> Result<AlertSource> {
        let kibana_space = match input.kibana_space.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.to_string(),
            None => space.to_string(),
        };
        alerts_index(&kibana_space).map_err(|e| match e {
            Error::Validation { message, .. } => Error::validation("kibana_space", message),
            other => other,
        })?;
        let name = secret_name(space);
        let key = input.api_key.as_deref().map(str::trim).filter(|k| !k.is_empty());
        // Checks the URL (https, or http on this computer) and the key's form.
        ElasticClient::new(&input.url, key.unwrap_or("placeholder-key"))?;
        self.read(|c| space_id(c, space))?;
        if key.is_none() && self.secrets().get(&name)?.is_none() {
            return Err(Error::validation("api_key", "is required: paste the encoded API key Kibana showed"));
        }
        let url = input.url.trim().trim_end_matches('/').to_string();
        let change = key.map_or(SecretChange::Keep, SecretChange::Set);
        self.write_with_secret(&name, change, |tx| {
            let sid = space_id(tx, space)?;
            tx.execute(
                "INSERT INTO alert_sources (space_id, url, kibana_space, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (space_id) DO UPDATE SET url = excluded.url, kibana_space = excluded.kibana_space,
                    updated_at = excluded.updated_at",
                (sid, &url, &kibana_space, ms(tx.now)),
            )?;
            Ok(())
        })?;
        self.alert_source(space)?.ok_or_else(|| no_source(space))
    }

    /// Forgets a space's source and deletes its key from the keychain, once the row is gone.
    pub fn remove_alert_source(&self, space: &str) -> Result<()> {
        self.write_with_secret(&secret_name(space), SecretChange::Delete, |tx| {
            let sid = space_id(tx, space)?;
            tx.execute("DELETE FROM alert_sources WHERE space_id = ?1", [sid])?;
            Ok(())
        })
    }

    fn source_client(&self, space: &str) -> Result<(ElasticClient, String)> {
        let (url, kibana_space, _) = self.read(|c| load(c, space))?.ok_or_else(|| no_source(space))?;
        let key = self.secrets().get(&secret_name(space))?.ok_or_else(|| {
            Error::validation(
                "api_key",
                format!("the keychain holds no API key for the Elasticsearch source of space {space}; enter it again in Settings"),
            )
        })?;
        Ok((ElasticClient::new(&url, &key)?, kibana_space))
    }

    /// [`Casebook::source_client`] off the async workers (SQLite and the keychain block).
    async fn source_client_async(&self, space: &str) -> Result<(ElasticClient, String)> {
        let space = space.to_string();
        self.blocking(move |b| b.source_client(&space)).await
    }

    /// Checks URL, key and cluster with one cheap request.
    pub async fn test_alert_source(&self, space: &str) -> Result<ClusterInfo> {
        let (client, _) = self.source_client_async(space).await?;
        client.ping().await
    }

    /// Searches the space's alerts in Elasticsearch.
    pub async fn search_source_alerts(&self, space: &str, query: &AlertQuery) -> Result<AlertSearchPage> {
        let (client, kibana_space) = self.source_client_async(space).await?;
        client.search_alerts(&kibana_space, query).await
    }

    /// Attaches alerts picked from a search; they remember that they came from Elasticsearch.
    pub fn attach_source_alerts(&self, case_id: &str, hits: &[AlertHit]) -> Result<AlertImportReport> {
        let docs: Vec<_> = hits.iter().map(|h| (h.id.clone(), Some(h.index.clone()), h.source.clone())).collect();
        self.attach_alert_documents(case_id, &docs, AlertOrigin::Elasticsearch)
    }

    /// Sends waiting workflow statuses (sync alerts) to Elasticsearch, per space and status.
    /// What fails stays waiting for the next call; nothing local changes but the waiting flag.
    pub async fn sync_alert_statuses(&self) -> Result<StatusSyncReport> {
        // (space, status) → [(row id, index, alert id)]
        type Pending = BTreeMap<(String, String), Vec<(i64, String, String)>>;
        let pending: Pending = self
            .blocking(|b| {
                b.read(|c| {
                    let mut stmt = c.prepare(
                        "SELECT s.name, a.workflow_status, a.id, a.alert_index, a.alert_id
                 FROM case_alerts a JOIN cases c ON c.id = a.case_id JOIN spaces s ON s.id = c.space_id
                 WHERE a.remote_status_pending = 1 AND a.alert_index IS NOT NULL",
                    )?;
                    let mut out = Pending::new();
                    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
                    for row in rows {
                        let (space, status, id, index, alert): (String, String, i64, String, String) = row?;
                        out.entry((space, status)).or_default().push((id, index, alert));
                    }
                    Ok(out)
                })
            })
            .await?;
        let mut report = StatusSyncReport::default();
        for ((space, status), alerts) in pending {
            let sent = match self.source_client_async(&space).await {
                Ok((client, _)) => {
                    let pairs: Vec<(String, String)> = alerts.iter().map(|(_, i, a)| (i.clone(), a.clone())).collect();
                    client.set_workflow_status(&pairs, &status).await
                }
                Err(e) => Err(e),
            };
            match sent {
                Ok(_) => {
                    let count = alerts.len() as u64;
                    self.blocking(move |b| {
                        b.write(|tx| {
                            let mut done = tx.prepare_cached(
                                "UPDATE case_alerts SET remote_status_pending = 0 WHERE id = ?1 AND workflow_status = ?2",
                            )?;
                            for (id, ..) in &alerts {
                                done.execute((id, &status))?;
                            }
                            Ok(())
                        })
                    })
                    .await?;
                    report.updated += count;
                }
                Err(e) => {
                    report.waiting += alerts.len() as u64;
                    report.errors.push(format!("space {space}: {e}"));
                }
            }
        }
        Ok(report)
    }
}
