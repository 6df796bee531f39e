//! A case's connector and fields, pushing it, and the outbox of pushes waiting to be sent.

use serde_json::Value;

use super::{Answer, Api};
use crate::{Case, CaseCreate, CreatedAndPushed, OutboxItem, PushOutcome};

pub async fn set_case_connector(
    api: &Api,
    case_id: String,
    version: String,
    connector: Option<String>,
    fields: Value,
) -> Answer<Case> {
    api.run(move |b| b.set_case_connector(&case_id, &version, connector.as_deref(), &fields)).await
}

/// The case and its queued push in one transaction, then one attempt.
/// Numbered at once like [`super::cases::create_case`].
pub async fn create_and_push(api: &Api, space: String, input: CaseCreate) -> Answer<CreatedAndPushed> {
    let created = api.book()?.create_and_push(&space, &input).await?;
    api.ids().run_now();
    Ok(created)
}

/// Queues the push and tries it once now; offline it stays queued for the background sender.
pub async fn push_case(api: &Api, case_id: String, connector: Option<String>) -> Answer<PushOutcome> {
    Ok(api.book()?.push_case(&case_id, connector.as_deref()).await?)
}

pub async fn list_outbox(api: &Api, space: Option<String>) -> Answer<Vec<OutboxItem>> {
    api.run(move |b| b.outbox(space.as_deref())).await
}

/// Makes a waiting or refused push due now and sends it; `force` also after "needs your check"
/// (a create whose answer was lost is sent again).
pub async fn retry_push(api: &Api, id: i64, force: Option<bool>) -> Answer<PushOutcome> {
    if force == Some(true) {
        api.run(move |b| b.retry_push_anyway(id)).await?;
    } else {
        api.run(move |b| b.retry_push(id)).await?;
    }
    Ok(api.book()?.send_push(id).await?)
}

pub async fn cancel_push(api: &Api, id: i64) -> Answer<()> {
    api.run(move |b| b.cancel_push(id)).await
}
