//! The space's Elasticsearch source: settings, test, search, attach, and status sync. The API
//! key goes from the form to the keychain and never comes back.

use super::{Answer, Api};
use crate::AlertImportReport;
use crate::alerts::{AlertSource, AlertSourceInput, StatusSyncReport};
use crate::elastic::{AlertHit, AlertQuery, AlertSearchPage, ClusterInfo};

pub async fn get_alert_source(api: &Api, space: String) -> Answer<Option<AlertSource>> {
    api.run(move |b| b.alert_source(&space)).await
}

pub async fn set_alert_source(api: &Api, space: String, input: AlertSourceInput) -> Answer<AlertSource> {
    api.run(move |b| b.set_alert_source(&space, &input)).await
}

pub async fn remove_alert_source(api: &Api, space: String) -> Answer<()> {
    api.run(move |b| b.remove_alert_source(&space)).await
}

pub async fn test_alert_source(api: &Api, space: String) -> Answer<ClusterInfo> {
    Ok(api.book()?.test_alert_source(&space).await?)
}

pub async fn search_source_alerts(api: &Api, space: String, query: AlertQuery) -> Answer<AlertSearchPage> {
    Ok(api.book()?.search_source_alerts(&space, &query).await?)
}

pub async fn attach_source_alerts(api: &Api, case_id: String, hits: Vec<AlertHit>) -> Answer<AlertImportReport> {
    api.run(move |b| b.attach_source_alerts(&case_id, &hits)).await
}

/// Sends waiting alert statuses now (the background job also does, every half minute).
pub async fn sync_alert_statuses(api: &Api) -> Answer<StatusSyncReport> {
    Ok(api.book()?.sync_alert_statuses().await?)
}
