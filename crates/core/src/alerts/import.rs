//! Attaching alerts from a file or from search hits: read everything first (reporting each bad
//! line), then save in one transaction, so a cancelled or failed import attaches nothing and
//! leaves the case as it was.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

use serde_json::Value;

use super::store::{NewAlert, save};
use super::{AlertFileFormat, FieldMap, ParseIssue, detect_format, flatten, read_alerts, summarize};
use crate::cases::{load_by_uuid, uuid_of};
use crate::model::*;
use crate::{Casebook, Error, Result, observables};

/// Issues kept in a report; the count covers them all.
const MAX_REPORTED_ISSUES: usize = 1_000;

/// One alert as read, before it is saved.
struct Parsed<'a> {
    alert_id: String,
    index: Option<String>,
    document: &'a Value,
    fields: &'a FieldMap,
    summary: super::AlertSummary,
}

/// Alerts read and not yet saved, with what they yield as observables.
#[derive(Default)]
struct Batch {
    alerts: Vec<NewAlert>,
    seen: HashSet<String>,
    repeated: u64,
    observables: Vec<(&'static str, String)>,
    seen_observables: HashSet<(&'static str, String)>,
    report: AlertImportReport,
}

impl Batch {
    fn add(&mut self, alert: Parsed<'_>, extract: bool) -> Result<()> {
        let Parsed { alert_id, index, document, fields, summary } = alert;
        if !self.seen.insert(alert_id.clone()) {
            self.repeated += 1;
            return Ok(());
        }
        if extract {
            for pair in observables::extract::extract(fields) {
                if self.seen_observables.insert(pair.clone()) {
                    self.observables.push(pair);
                }
            }
        }
        self.alerts.push(NewAlert { alert_id, index, summary, document: serde_json::to_string(document)? });
        Ok(())
    }

    fn issue(&mut self, issue: ParseIssue) {
        self.report.issue_count += 1;
        if self.report.issues.len() < MAX_REPORTED_ISSUES {
            self.report.issues.push(issue);
        }
    }
}

impl Casebook {
    /// Attaches the alerts in a file (NDJSON, JSON, an Elasticsearch `_search` response or a
    /// Discover CSV; the format is told by the name, then the content). `progress` is called as
    /// the file is read and saved; returning `Break` cancels, and nothing is attached.
    pub fn import_alerts_file(
        &self,
        case_id: &str,
        path: &Path,
        progress: &mut dyn FnMut(&AlertImportProgress) -> ControlFlow<()>,
    ) -> Result<AlertImportReport> {
        let open_err = |e: std::io::Error| Error::validation("file", format!("cannot read {}: {e}", path.display()));
        let mut file = File::open(path).map_err(open_err)?;
        let total = file.metadata().map_err(open_err)?.len();
        let mut head = vec![0u8; 4096];
        let n = read_head(&mut file, &mut head).map_err(open_err)?;
        head.truncate(n);
        let format = detect_format(path, &head);
        let reader = std::io::Cursor::new(head).chain(file);
        self.import_alerts(case_id, BufReader::with_capacity(1 << 20, reader), format, total, progress)
    }

    /// Attaches the alerts read from `reader` (see [`Casebook::import_alerts_file`]).
    pub fn import_alerts(
        &self,
        case_id: &str,
        reader: impl Read,
        format: AlertFileFormat,
        total_bytes: u64,
        progress: &mut dyn FnMut(&AlertImportProgress) -> ControlFlow<()>,
    ) -> Result<AlertImportReport> {
        let uuid = uuid_of(case_id)?;
        let case = self.read(|c| Ok(load_by_uuid(c, &uuid)?.case))?;
        let extract = case.settings.extract_observables;
        let mut batch = Batch::default();
        let mut failure: Option<Error> = None;
        let mut bytes_read = 0;
        let completed = {
            let batch = &mut batch;
            let failure = &mut failure;
            let alerts_read = std::cell::Cell::new(0u64);
            read_alerts(
                reader,
                format,
                &mut |item| {
                    match item {
                        Ok(a) => {
                            alerts_read.set(alerts_read.get() + 1);
                            let parsed = Parsed {
                                alert_id: a.alert_id,
                                index: a.index,
                                document: &a.document,
                                fields: &a.fields,
                                summary: a.summary,
                            };
                            if let Err(e) = batch.add(parsed, extract) {
                                *failure = Some(e);
                                return ControlFlow::Break(());
                            }
                        }
                        Err(issue) => batch.issue(issue),
                    }
                    ControlFlow::Continue(())
                },
                &mut |bytes| {
                    bytes_read = bytes;
                    progress(&AlertImportProgress {
                        phase: ImportPhase::Reading,
                        bytes_read: bytes,
                        total_bytes: total_bytes.max(bytes),
                        alerts_read: alerts_read.get(),
                    })
                },
            )?
        };
        if let Some(e) = failure {
            return Err(e);
        }
        if !completed {
            return Ok(AlertImportReport { cancelled: true, ..batch.report });
        }
        let read = batch.alerts.len() as u64;
        let total_bytes = total_bytes.max(bytes_read);
        self.save_batch(&uuid, batch, AlertOrigin::File, &mut |saved| {
            progress(&AlertImportProgress {
                phase: ImportPhase::Saving,
                bytes_read: total_bytes,
                total_bytes,
                alerts_read: read.min(saved),
            })
        })
    }

    /// Attaches alert documents fetched from Elasticsearch: `(id, index, _source)` each.
    pub fn attach_alert_documents(
        &self,
        case_id: &str,
        documents: &[(String, Option<String>, Value)],
        origin: AlertOrigin,
    ) -> Result<AlertImportReport> {
        let uuid = uuid_of(case_id)?;
        let case = self.read(|c| Ok(load_by_uuid(c, &uuid)?.case))?;
        let mut batch = Batch::default();
        for (id, index, doc) in documents {
            if !doc.is_object() {
                return Err(Error::validation("documents", format!("alert {id}: the document is not a JSON object")));
            }
            // The document's own kibana.alert.uuid wins over the hit id, as in a file.
            let fields = flatten(doc);
            let alert_id = super::fields::first_text(&fields, &["kibana.alert.uuid"])
                .map_or_else(|| id.clone(), |s| s.into_owned());
            let summary = summarize(&fields);
            let parsed = Parsed { alert_id, index: index.clone(), document: doc, fields: &fields, summary };
            batch.add(parsed, case.settings.extract_observables)?;
        }
        self.save_batch(&uuid, batch, origin, &mut |_| ControlFlow::Continue(()))
    }

    fn save_batch(
        &self,
        uuid: &str,
        batch: Batch,
        origin: AlertOrigin,
        progress: &mut dyn FnMut(u64) -> ControlFlow<()>,
    ) -> Result<AlertImportReport> {
        let Batch { alerts, repeated, observables: found, mut report, .. } = batch;
        let saved = self.write_or_rollback(|tx| {
            let loaded = load_by_uuid(tx, uuid)?;
            let Some(attached) = save(tx, &loaded, &alerts, origin, &mut |n| progress(n).is_continue())? else {
                return Ok(None);
            };
            let (added, over) =
                if found.is_empty() { (0, 0) } else { observables::add_extracted(tx, &loaded, &found)? };
            Ok(Some((attached.len() as u64, added, over)))
        })?;
        match saved {
            None => report.cancelled = true,
            Some((attached, added, over)) => {
                report.attached = attached;
                report.already_attached = alerts.len() as u64 - attached + repeated;
                report.observables_added = added;
                report.observables_over_limit = over;
            }
        }
        Ok(report)
    }
}

/// Fills `buf` as far as the file allows (short reads happen on pipes).
fn read_head(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
