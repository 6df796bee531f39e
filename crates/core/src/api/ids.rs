//! Case numbers: a numbering pass now, and the background task's schedule.

use super::{Answer, Api};
use crate::AssignReport;
use crate::background::IdTaskStatus;

/// "Assign IDs now": one pass over every space.
pub async fn assign_ids(api: &Api) -> Answer<AssignReport> {
    let report = api.run(|b| b.assign_ids()).await?;
    api.ids().record_manual(report);
    Ok(report)
}

/// When the next pass is due. Reads the setting too, so a change made by the CLI shows at once.
pub async fn id_task_status(api: &Api) -> Answer<IdTaskStatus> {
    let minutes = api.run(|b| b.id_interval_minutes()).await?;
    api.ids().observe_setting(minutes);
    Ok(api.ids().status())
}

/// Saves the interval setting (1–60 minutes) and reschedules the task.
pub async fn set_id_interval(api: &Api, minutes: u32) -> Answer<IdTaskStatus> {
    let minutes = api.run(move |b| b.set_id_interval_minutes(minutes)).await?;
    api.ids().observe_setting(minutes);
    Ok(api.ids().status())
}
