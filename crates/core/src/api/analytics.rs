//! The Analytics page: its figures, and its exports written to a file the user chose.

use std::path::PathBuf;

use serde::Serialize;

use super::{Answer, Api};
use crate::analytics::{ExportFormat, ExportKind, ExportProgress};
use crate::model::{Metrics, MetricsQuery};

/// The event an export's progress arrives on.
pub const EXPORT_PROGRESS_EVENT: &str = "export-progress";

#[derive(Serialize)]
struct ProgressEvent<'a> {
    path: &'a str,
    #[serde(flatten)]
    progress: ExportProgress,
}

pub async fn case_metrics(api: &Api, query: MetricsQuery) -> Answer<Metrics> {
    api.run(move |b| b.metrics(&query)).await
}

pub async fn export_analytics(
    api: &Api,
    kind: ExportKind,
    format: ExportFormat,
    query: MetricsQuery,
    path: PathBuf,
) -> Answer<u64> {
    let events = api.clone();
    api.run(move |b| {
        let shown = path.display().to_string();
        b.export_analytics_to_file(kind, format, &query, &path, &mut |p| {
            events.emit(EXPORT_PROGRESS_EVENT, ProgressEvent { path: &shown, progress: p });
        })
    })
    .await
}

/// Saves a chart drawn by the page as the PNG or SVG file the user chose.
pub async fn save_chart(api: &Api, path: PathBuf, data_url: String) -> Answer<()> {
    api.run(move |b| b.save_chart(&path, &data_url)).await
}
