//! Alerts of a case: import a file (with progress events and cancel), list, detail, remove.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

use super::{Answer, Api};
use crate::{AlertDetail, AlertImportProgress, AlertImportReport, AlertListQuery, AlertOverview, AlertPage};

/// The event an import's progress arrives on.
pub const IMPORT_PROGRESS_EVENT: &str = "alert-import-progress";

/// Imports in flight, by the id the window gave them, so "Cancel" can reach them.
#[derive(Default)]
pub(super) struct Imports(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Imports {
    fn start(&self, id: &str) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(id.to_string(), flag.clone());
        flag
    }
    fn finish(&self, id: &str) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).remove(id);
    }
    fn cancel(&self, id: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(id).map(|f| f.store(true, Ordering::SeqCst)).is_some()
    }
}

/// One progress report of the import `import_id` (lib/files.ts's `ImportProgressEvent`).
#[derive(Serialize)]
struct ProgressEvent<'a> {
    import_id: &'a str,
    #[serde(flatten)]
    progress: &'a AlertImportProgress,
}

/// Attaches the alerts of a file (a dropped file or one picked in "Attach alerts…").
pub async fn import_alerts(api: &Api, case_id: String, path: PathBuf, import_id: String) -> Answer<AlertImportReport> {
    let cancelled = api.inner.imports.start(&import_id);
    let (id, events) = (import_id.clone(), api.clone());
    let result = api
        .run(move |b| {
            b.import_alerts_file(&case_id, &path, &mut |p| {
                events.emit(IMPORT_PROGRESS_EVENT, ProgressEvent { import_id: &id, progress: p });
                if cancelled.load(Ordering::SeqCst) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })
        })
        .await;
    api.inner.imports.finish(&import_id);
    result
}

/// Asks a running import to stop; it then attaches nothing. False if it already ended.
pub async fn cancel_alert_import(api: &Api, import_id: String) -> Answer<bool> {
    Ok(api.inner.imports.cancel(&import_id))
}

pub async fn list_alerts(api: &Api, case_id: String, query: AlertListQuery) -> Answer<AlertPage> {
    api.run(move |b| b.list_alerts(&case_id, &query)).await
}

pub async fn alert_overview(api: &Api, case_id: String) -> Answer<AlertOverview> {
    api.run(move |b| b.alert_overview(&case_id)).await
}

pub async fn get_alert(api: &Api, case_id: String, alert_id: String) -> Answer<AlertDetail> {
    api.run(move |b| b.get_alert(&case_id, &alert_id)).await
}

/// Detaches alerts from the case; answers how many were removed.
pub async fn remove_alerts(api: &Api, case_id: String, alert_ids: Vec<String>) -> Answer<u64> {
    api.run(move |b| b.remove_alerts(&case_id, &alert_ids)).await
}
