//! Connectors to Jira and ServiceNow: settings, test, cached choices. The secret goes from the
//! form to the keychain and never comes back; the window only learns whether one is stored.

use super::{Answer, Api};
use crate::{ConnectionCheck, Connector, ConnectorInput, PreviewRequest, RemoteField, RequestPreview};

pub async fn list_connectors(api: &Api, space: String) -> Answer<Vec<Connector>> {
    api.run(move |b| b.list_connectors(&space)).await
}

pub async fn create_connector(api: &Api, space: String, input: ConnectorInput) -> Answer<Connector> {
    api.run(move |b| b.create_connector(&space, &input)).await
}

pub async fn update_connector(api: &Api, space: String, connector: String, input: ConnectorInput) -> Answer<Connector> {
    api.run(move |b| b.update_connector(&space, &connector, &input)).await
}

pub async fn delete_connector(api: &Api, space: String, connector: String) -> Answer<()> {
    api.run(move |b| b.delete_connector(&space, &connector)).await
}

pub async fn test_connector(api: &Api, space: String, connector: String) -> Answer<ConnectionCheck> {
    Ok(api.book()?.test_connector(&space, &connector).await?)
}

pub async fn refresh_connector_metadata(api: &Api, space: String, connector: String) -> Answer<Connector> {
    Ok(api.book()?.refresh_connector_metadata(&space, &connector).await?)
}

pub async fn connector_fields_preview(
    api: &Api,
    space: String,
    editing: Option<String>,
    input: ConnectorInput,
) -> Answer<Vec<RemoteField>> {
    Ok(api.book()?.preview_connector_fields(&space, editing.as_deref(), &input).await?)
}

pub async fn preview_connector_request(
    api: &Api,
    space: String,
    connector: String,
    case_id: String,
    request: PreviewRequest,
) -> Answer<RequestPreview> {
    api.run(move |b| b.preview_connector_request(&space, &connector, &case_id, request)).await
}
