//! Attaching alerts from a file or from search hits, in one transaction: a cancelled or failed
//! import attaches nothing and leaves the case as it was. A file is read on a second thread
//! while this one stages what it has read so far (see `staging`), so parsing and SQLite
//! overlap, and the database's writer is taken only for the final step.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::Duration;

use serde_json::Value;

use super::staging::{self, Staging};
use super::store::{Attached, NewAlert, finish_attach, insert_alerts};
use super::{AlertFileFormat, FieldMap, ParseIssue, detect_format, flatten, read_alerts, summarize};
use crate::cases::{load_by_uuid, uuid_of};
use crate::model::*;
use crate::{Casebook, Error, Result, observables};

/// Issues kept in a report; the count covers them all.
const MAX_REPORTED_ISSUES: usize = 1_000;
/// Alerts handed from the reading thread to the writing one at a time.
const CHUNK: usize = 2_000;
/// How often progress is reported while waiting for the reader.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

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
    seen_observables: HashMap<(&'static str, String), u32>,
    /// Which of `observables` each alert carries, by alert id: only alerts newly attached
    /// count towards a value's rank.
    carried: HashMap<String, Vec<u32>>,
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
            let mut carried = Vec::new();
            for pair in observables::extract::extract(fields) {
                let next = self.observables.len() as u32;
                let i = *self.seen_observables.entry(pair.clone()).or_insert(next);
                if i == next {
                    self.observables.push(pair);
                }
                carried.push(i);
            }
            if !carried.is_empty() {
                self.carried.insert(alert_id.clone(), carried);
            }
        }
        self.alerts.push(NewAlert { alert_id, index, summary, document: serde_json::to_string(document)? });
        Ok(())
    }

    /// Each extracted value with how many of the `attached` alerts carry it.
    fn counted(&self, attached: &[Attached]) -> Vec<((&'static str, String), i64)> {
        let mut counts = vec![0i64; self.observables.len()];
        for a in attached {
            for &i in self.carried.get(&a.alert_id).into_iter().flatten() {
                counts[i as usize] += 1;
            }
        }
        self.observables.iter().cloned().zip(counts).collect()
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
    /// Discover CSV; the format is told by the name, then the content), gzip-compressed or not.
    /// `progress` is called as the file is read and saved; returning `Break` cancels, and
    /// nothing is attached.
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
        let raw = std::io::Cursor::new(head.clone()).chain(file);
        // Told by the gzip magic bytes, not the name: a download may be compressed whatever it is
        // called, and a `.gz` that is not compressed is read as it is.
        if !head.starts_with(&GZIP_MAGIC) {
            let format = detect_format(path, &head);
            let reader = BufReader::with_capacity(1 << 20, raw);
            return self.import_reader(case_id, reader, format, total, None, progress);
        }
        // Progress is the share of the compressed file read, not of the (unknown) unpacked size.
        let compressed = Arc::new(AtomicU64::new(0));
        let counted = CountingReader { inner: raw, count: compressed.clone() };
        let mut unpacked = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, counted));
        let mut head = vec![0u8; 4096];
        let n = read_head(&mut unpacked, &mut head)
            .map_err(|e| Error::validation("file", format!("{} is not a readable gzip file: {e}", path.display())))?;
        head.truncate(n);
        let inner_name = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("gz" | "gzip") => path.with_extension(""),
            _ => path.to_path_buf(),
        };
        let format = detect_format(&inner_name, &head);
        let reader = BufReader::with_capacity(1 << 20, std::io::Cursor::new(head).chain(unpacked));
        self.import_reader(case_id, reader, format, total, Some(compressed), progress)
    }

    /// Attaches the alerts read from `reader` (see [`Casebook::import_alerts_file`]).
    pub fn import_alerts(
        &self,
        case_id: &str,
        reader: impl Read + Send,
        format: AlertFileFormat,
        total_bytes: u64,
        progress: &mut dyn FnMut(&AlertImportProgress) -> ControlFlow<()>,
    ) -> Result<AlertImportReport> {
        self.import_reader(case_id, reader, format, total_bytes, None, progress)
    }

    /// [`Casebook::import_alerts`]; with `compressed`, progress counts those bytes instead.
    fn import_reader(
        &self,
        case_id: &str,
        reader: impl Read + Send,
        format: AlertFileFormat,
        total_bytes: u64,
        compressed: Option<Arc<AtomicU64>>,
        progress: &mut dyn FnMut(&AlertImportProgress) -> ControlFlow<()>,
    ) -> Result<AlertImportReport> {
        let uuid = uuid_of(case_id)?;
        let case = self.read(|c| Ok(load_by_uuid(c, &uuid)?.case))?;
        let extract = case.settings.extract_observables;
        let folder = self.path().parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut staging = Staging::create(folder)?;
        let cancel = AtomicBool::new(false);
        let bytes_read = AtomicU64::new(0);
        let alerts_read = AtomicU64::new(0);
        let (send, receive) = sync_channel::<Vec<NewAlert>>(4);
        let report = |phase| AlertImportProgress {
            phase,
            bytes_read: bytes_read.load(Ordering::Relaxed),
            total_bytes: total_bytes.max(bytes_read.load(Ordering::Relaxed)),
            alerts_read: alerts_read.load(Ordering::Relaxed),
        };
        std::thread::scope(|scope| {
            // Reads, checks and extracts; hands chunks over. Stops when told to, or when the
            // writer is gone (it failed or was cancelled).
            let reading = scope.spawn(|| -> Result<(bool, Batch)> {
                // Owned here, so the writer sees the end of the stream when this thread ends.
                let send = send;
                let mut batch = Batch::default();
                let mut failure = None;
                let completed = read_alerts(
                    reader,
                    format,
                    &mut |item| {
                        match item {
                            Ok(a) => {
                                alerts_read.fetch_add(1, Ordering::Relaxed);
                                let parsed = Parsed {
                                    alert_id: a.alert_id,
                                    index: a.index,
                                    document: &a.document,
                                    fields: &a.fields,
                                    summary: a.summary,
                                };
                                if let Err(e) = batch.add(parsed, extract) {
                                    failure = Some(e);
                                    return ControlFlow::Break(());
                                }
                                if batch.alerts.len() >= CHUNK && send.send(std::mem::take(&mut batch.alerts)).is_err()
                                {
                                    return ControlFlow::Break(());
                                }
                            }
                            Err(issue) => batch.issue(issue),
                        }
                        ControlFlow::Continue(())
                    },
                    &mut |bytes| {
                        let bytes = compressed.as_ref().map_or(bytes, |c| c.load(Ordering::Relaxed));
                        bytes_read.store(bytes, Ordering::Relaxed);
                        if cancel.load(Ordering::Relaxed) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                    },
                )?;
                if let Some(e) = failure {
                    return Err(e);
                }
                if completed && !batch.alerts.is_empty() && send.send(std::mem::take(&mut batch.alerts)).is_err() {
                    return Ok((false, batch));
                }
                Ok((completed, batch))
            });
            let send_end = receive;
            let outcome = (|| {
                let mut received = 0u64;
                loop {
                    match send_end.recv_timeout(PROGRESS_EVERY) {
                        Ok(chunk) => {
                            received += chunk.len() as u64;
                            staging.add(&chunk)?;
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                    if progress(&report(ImportPhase::Reading)).is_break() {
                        cancel.store(true, Ordering::Relaxed);
                        return Ok(None);
                    }
                }
                drop(send_end);
                let (completed, batch) =
                    reading.join().map_err(|_| Error::Storage("the alert reader stopped unexpectedly".into()))??;
                if !completed || progress(&report(ImportPhase::Saving)).is_break() {
                    return Ok(None);
                }
                let staged = staging.finish();
                self.write_attached(staging::attach_name(staged.path())?, staging::SCHEMA, |tx| {
                    let loaded = load_by_uuid(tx, &uuid)?;
                    let attached = staging::attach_staged(tx, &loaded)?;
                    finish_attach(tx, &loaded, &attached)?;
                    let (added, over) = if batch.observables.is_empty() {
                        (0, 0)
                    } else {
                        observables::add_extracted(tx, &loaded, &batch.counted(&attached))?
                    };
                    let counts = (attached.len() as u64, received - attached.len() as u64, added, over);
                    Ok(Some((batch, counts)))
                })
            })();
            // An error or a cancel ended the writer first: make sure the reader stops too.
            cancel.store(true, Ordering::Relaxed);
            match outcome? {
                None => Ok(AlertImportReport { cancelled: true, ..AlertImportReport::default() }),
                Some((batch, (attached, already_attached, observables_added, observables_over_limit))) => {
                    Ok(AlertImportReport {
                        attached,
                        already_attached,
                        repeated_in_file: batch.repeated,
                        observables_added,
                        observables_over_limit,
                        ..batch.report
                    })
                }
            }
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
        self.save_batch(&uuid, batch, origin)
    }

    fn save_batch(&self, uuid: &str, batch: Batch, origin: AlertOrigin) -> Result<AlertImportReport> {
        let (attached, added, over) = self.write(|tx| {
            let loaded = load_by_uuid(tx, uuid)?;
            let mut attached = Vec::new();
            insert_alerts(tx, &loaded, &batch.alerts, origin, &mut attached)?;
            finish_attach(tx, &loaded, &attached)?;
            let (added, over) = if batch.observables.is_empty() {
                (0, 0)
            } else {
                observables::add_extracted(tx, &loaded, &batch.counted(&attached))?
            };
            Ok((attached.len() as u64, added, over))
        })?;
        let mut report = batch.report;
        report.attached = attached;
        report.already_attached = batch.alerts.len() as u64 - attached;
        report.repeated_in_file = batch.repeated;
        report.observables_added = added;
        report.observables_over_limit = over;
        Ok(report)
    }
}

/// The first two bytes of every gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Counts the bytes pulled from the file under a decompressor, for progress.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Fills `buf` as far as the file allows (short reads happen on pipes).
fn read_head(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
