//! Alerts of a case: import a file (with progress events and cancel), list, detail, remove.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use casebook_core::model::*;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use super::with_book;
use crate::error::CommandError;
use crate::state::AppState;

type Res<T> = Result<T, CommandError>;

/// The event an import's progress arrives on.
pub const IMPORT_PROGRESS_EVENT: &str = "alert-import-progress";

/// Imports in flight, by the id the window gave them, so "Cancel" can reach them.
#[derive(Default)]
pub struct Imports(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Imports {
    fn start(&self, id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string(), flag.clone());
        flag
    }
    fn finish(&self, id: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }
    fn cancel(&self, id: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(id).map(|f| f.store(true, Ordering::SeqCst)).is_some()
    }
}

#[derive(Clone, Serialize)]
struct ProgressEvent<'a> {
    import_id: &'a str,
    #[serde(flatten)]
    progress: &'a AlertImportProgress,
}

/// Attaches the alerts of a file (a dropped file or one picked in "Attach alerts…").
/// Progress arrives as `alert-import-progress` events carrying `import_id`.
pub async fn import_alerts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    imports: State<'_, Imports>,
    case_id: String,
    path: PathBuf,
    import_id: String,
) -> Res<AlertImportReport> {
    let cancelled = imports.start(&import_id);
    let id = import_id.clone();
    let result = with_book(&state, move |b| {
        b.import_alerts_file(&case_id, &path, &mut |p| {
            let _ = app.emit(IMPORT_PROGRESS_EVENT, ProgressEvent { import_id: &id, progress: p });
            if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
    })
    .await;
    imports.finish(&import_id);
    result
}

/// Asks a running import to stop; it then attaches nothing. False if it already ended.
pub async fn cancel_alert_import(imports: State<'_, Imports>, import_id: String) -> Res<bool> {
    Ok(imports.cancel(&import_id))
}

pub async fn list_alerts(state: State<'_, AppState>, case_id: String, query: AlertListQuery) -> Res<AlertPage> {
    with_book(&state, move |b| b.list_alerts(&case_id, &query)).await
}

pub async fn alert_overview(state: State<'_, AppState>, case_id: String) -> Res<AlertOverview> {
    with_book(&state, move |b| b.alert_overview(&case_id)).await
}

pub async fn get_alert(state: State<'_, AppState>, case_id: String, alert_id: String) -> Res<AlertDetail> {
    with_book(&state, move |b| b.get_alert(&case_id, &alert_id)).await
}

pub async fn remove_alerts(state: State<'_, AppState>, case_id: String, alert_ids: Vec<String>) -> Res<u64> {
    with_book(&state, move |b| b.remove_alerts(&case_id, &alert_ids)).await
}
