//! Case numbers: a numbering pass now, and the background task's schedule.

use casebook_core::AssignReport;
use tauri::State;

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;
use casebook_core::background::{IdTask, IdTaskStatus};

type Res<T> = Result<T, CommandError>;

/// "Assign IDs now": one pass over every space.
pub async fn assign_ids(state: State<'_, AppState>, task: State<'_, IdTask>) -> Res<AssignReport> {
    let report = with_book(&state, |b| b.assign_ids()).await?;
    task.record_manual(report);
    Ok(report)
}

/// When the next pass is due. Reads the setting too, so a change made by the CLI shows at once.
pub async fn id_task_status(state: State<'_, AppState>, task: State<'_, IdTask>) -> Res<IdTaskStatus> {
    let minutes = with_book(&state, |b| b.id_interval_minutes()).await?;
    task.observe_setting(minutes);
    Ok(task.status())
}

/// Saves the interval setting (1–60 minutes) and reschedules the task.
pub async fn set_id_interval(state: State<'_, AppState>, task: State<'_, IdTask>, minutes: u32) -> Res<IdTaskStatus> {
    let minutes = with_book(&state, move |b| b.set_id_interval_minutes(minutes)).await?;
    task.observe_setting(minutes);
    Ok(task.status())
}
