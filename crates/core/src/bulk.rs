//! Bulk changes to every case a query matches ("Select all N matching cases"), however many:
//! the query is resolved again for each batch, by case id (keyset), so no list of a million
//! ids is ever held; each batch is one transaction.
//!
//! A selection is a moment (`MatchingCases::snapshot`): the time it was taken and the newest
//! case id then. A case whose fields were edited since that time is skipped as a conflict, as a
//! stale version is by `update_cases` (a comment, alert or push since does not count, as it
//! does not make a version stale); a case created since is not part of it; one deleted or
//! changed to no longer match is simply not met (`BulkReport::gone`). An edit in the same
//! millisecond as the selection also counts: a spurious skip is safer than a silent overwrite.

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension};

use crate::cases::{Loaded, delete_in, load_by_uuid, update_in};
use crate::find::{count_matching, matching_ids};
use crate::model::*;
use crate::row::ms;
use crate::{Casebook, Error, Result, Tx, users, validate};

/// What a bulk run does to each case.
#[derive(Debug, Clone, Copy)]
pub enum BulkAction<'a> {
    Update(&'a BulkChange),
    Delete,
}

/// A selection's moment, parsed from `MatchingCases::snapshot`.
struct Snapshot {
    as_of: DateTime<Utc>,
    last_id: i64,
}

impl Snapshot {
    fn token(&self) -> String {
        format!("{}-{}", ms(self.as_of), self.last_id)
    }

    fn parse(token: &str) -> Result<Self> {
        let bad = || Error::validation("snapshot", format!("{token:?} is not a selection from select_matching_cases"));
        let (at, id) = token.split_once('-').ok_or_else(bad)?;
        let as_of = at.parse::<i64>().ok().and_then(|t| Utc.timestamp_millis_opt(t).single()).ok_or_else(bad)?;
        let last_id = id.parse::<i64>().map_err(|_| bad())?;
        Ok(Snapshot { as_of, last_id })
    }
}

fn parse_after(after: Option<&str>) -> Result<i64> {
    after.map_or(Ok(0), |a| {
        a.parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Error::validation("after", format!("{a:?} is not the `next` of a previous batch")))
    })
}

fn check_limit(limit: u32) -> Result<()> {
    if limit == 0 || limit > validate::MAX_BULK_BATCH_CASES {
        return Err(Error::validation(
            "batch",
            format!("between 1 and {} cases per batch (got {limit})", validate::MAX_BULK_BATCH_CASES),
        ));
    }
    Ok(())
}

/// Renames the field of a validation error about one list of the change (`tags[2]` →
/// `change.add_tags[2]`).
fn in_change(e: Error, from: &str, to: &str) -> Error {
    match e {
        Error::Validation { field, message } => {
            Error::Validation { field: format!("change.{}", field.replacen(from, to, 1)), message }
        }
        other => other,
    }
}

/// The checks that hold for every case alike, made once: an unknown assignee fails the call
/// rather than every case of it.
fn check_change(conn: &Connection, change: &BulkChange) -> Result<()> {
    if change.is_empty() {
        return Err(Error::validation("change", "name at least one change: status, severity, tags or assignees"));
    }
    validate::tags(&change.add_tags).map_err(|e| in_change(e, "tags", "add_tags"))?;
    let added = validate::assignees(&change.add_assignees).map_err(|e| in_change(e, "assignees", "add_assignees"))?;
    users::check_known(conn, &added).map_err(|e| in_change(e, "assignees", "add_assignees"))
}

/// A refusal that concerns one case (it is reported and the batch goes on); any other error
/// (storage, busy) stops the batch, which then changes nothing.
fn about_one_case(e: &Error) -> bool {
    matches!(
        e,
        Error::Validation { .. } | Error::NotFound { .. } | Error::Conflict { .. } | Error::AlreadyExists { .. }
    )
}

fn issue(case: &Case, code: &str, message: String) -> BulkIssue {
    BulkIssue {
        id: case.id.clone(),
        incremental_id: case.incremental_id,
        title: case.title.clone(),
        code: code.into(),
        message,
    }
}

/// Applies `action` to one case inside its own savepoint: `Ok(true)` changed, `Ok(false)` it
/// already was as asked.
fn apply(tx: &Tx<'_>, loaded: &Loaded, action: BulkAction<'_>) -> Result<bool> {
    let case = &loaded.case;
    match action {
        BulkAction::Delete => delete_in(tx, &case.id).map(|()| true),
        BulkAction::Update(change) => {
            let patch = CasePatch {
                id: case.id.clone(),
                version: case.version.clone(),
                status: change.status,
                severity: change.severity,
                add_tags: change.add_tags.clone(),
                remove_tags: change.remove_tags.clone(),
                add_assignees: change.add_assignees.clone(),
                remove_assignees: change.remove_assignees.clone(),
                ..Default::default()
            };
            Ok(update_in(tx, &patch)?.version != case.version)
        }
    }
}

/// The edits that make a version stale (`update_in` and the connector's choice); not comments,
/// alerts, observables or pushes.
const FIELD_EDITS: [ActionType; 10] = [
    ActionType::Title,
    ActionType::Description,
    ActionType::Tags,
    ActionType::Status,
    ActionType::Severity,
    ActionType::Assignees,
    ActionType::Category,
    ActionType::CustomFields,
    ActionType::Settings,
    ActionType::Connector,
];

/// The newest edit of the case's fields at or after `since`, said for the report; `None` when
/// there is none (the case was only commented on, say).
fn edited_since(conn: &Connection, uuid: &str, since: DateTime<Utc>) -> Result<Option<String>> {
    let types = FIELD_EDITS.iter().map(|t| format!("'{}'", t.as_str())).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT type, json_extract(created_by, '$.username'), created_at FROM user_actions
         WHERE case_uuid = ?1 AND created_at >= ?2 AND type IN ({types}) ORDER BY id DESC LIMIT 1"
    );
    let edit = conn
        .prepare_cached(&sql)?
        .query_row((uuid, ms(since)), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?))
        })
        .optional()?;
    Ok(edit.map(|(ty, by, at)| {
        let by = by.map_or(String::new(), |u| format!(" by {u}"));
        let at = Utc
            .timestamp_millis_opt(at)
            .single()
            .map_or(String::new(), |t| format!(" at {}", t.format("%Y-%m-%d %H:%M:%S UTC")));
        format!("its {} was changed{by}{at}, after it was selected; left as it is", ty.replace('_', " "))
    }))
}

fn batch_in(
    tx: &Tx<'_>,
    q: &FindQuery,
    snap: &Snapshot,
    after: i64,
    limit: u32,
    action: BulkAction<'_>,
) -> Result<BulkBatch> {
    // The selection's time: an SLA filter keeps meaning what it meant when the cases were selected.
    let ids = matching_ids(tx, q, crate::row::ms(snap.as_of), after, snap.last_id, limit)?;
    let mut out = BulkBatch::default();
    let mut uuid_of = tx.prepare_cached("SELECT uuid FROM cases WHERE id = ?1")?;
    for &rowid in &ids {
        let Some(uuid) = uuid_of.query_row([rowid], |r| r.get::<_, String>(0)).optional()? else { continue };
        let loaded = load_by_uuid(tx, &uuid)?;
        let case = &loaded.case;
        // `updated_at` first: most cases were not touched at all since the selection.
        if case.updated_at.is_some_and(|at| at >= snap.as_of)
            && let Some(edit) = edited_since(tx, &case.id, snap.as_of)?
        {
            out.skipped.push(issue(case, "conflict", edit));
            continue;
        }
        tx.execute_batch("SAVEPOINT bulk_case")?;
        match apply(tx, &loaded, action) {
            Ok(changed) => {
                tx.execute_batch("RELEASE bulk_case")?;
                if changed { out.changed += 1 } else { out.unchanged += 1 }
            }
            Err(e) if about_one_case(&e) => {
                tx.execute_batch("ROLLBACK TO bulk_case; RELEASE bulk_case")?;
                out.failed.push(issue(case, e.code(), e.to_string()));
            }
            Err(e) => return Err(e),
        }
    }
    out.next = (ids.len() == limit as usize).then(|| ids.last().map(|id| id.to_string())).flatten();
    Ok(out)
}

impl Casebook {
    /// Selects every case matching `q` now (its status filter included; sort and page are
    /// ignored): their number, and the moment the batches of a bulk change start from.
    pub fn select_matching_cases(&self, q: &FindQuery) -> Result<MatchingCases> {
        // Taken before the read: an edit committed after the count has a later time.
        let as_of = self.now();
        self.read(|c| {
            let total = count_matching(c, q, crate::row::ms(as_of))?;
            let last_id: i64 = c.query_row("SELECT coalesce(max(id), 0) FROM cases", [], |r| r.get(0))?;
            Ok(MatchingCases { total, snapshot: Snapshot { as_of, last_id }.token() })
        })
    }

    /// One batch of a bulk change to the cases selected by
    /// [`select_matching_cases`](Self::select_matching_cases): the next `limit` of them after
    /// `after` (`None`: from the first). One transaction; a case that cannot be changed is
    /// reported and the others are changed.
    pub fn bulk_update_matching(
        &self,
        q: &FindQuery,
        snapshot: &str,
        after: Option<&str>,
        change: &BulkChange,
        limit: u32,
    ) -> Result<BulkBatch> {
        self.bulk_batch(q, snapshot, after, BulkAction::Update(change), limit)
    }

    /// [`bulk_update_matching`](Self::bulk_update_matching), deleting: each case goes with its
    /// comments; its activity stays, ending in a `delete_case` record.
    pub fn bulk_delete_matching(
        &self,
        q: &FindQuery,
        snapshot: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<BulkBatch> {
        self.bulk_batch(q, snapshot, after, BulkAction::Delete, limit)
    }

    fn bulk_batch(
        &self,
        q: &FindQuery,
        snapshot: &str,
        after: Option<&str>,
        action: BulkAction<'_>,
        limit: u32,
    ) -> Result<BulkBatch> {
        let snap = Snapshot::parse(snapshot)?;
        let after = parse_after(after)?;
        check_limit(limit)?;
        self.write(|tx| {
            if let BulkAction::Update(change) = action {
                check_change(tx, change)?;
            }
            batch_in(tx, q, &snap, after, limit, action)
        })
    }

    /// A whole bulk run: selects the matching cases, then applies `action` batch by batch.
    /// `go_on` sees the report after each batch and may stop the run by answering false.
    pub fn bulk_run(
        &self,
        q: &FindQuery,
        action: BulkAction<'_>,
        limit: u32,
        mut go_on: impl FnMut(&BulkReport) -> bool,
    ) -> Result<BulkReport> {
        let selection = self.select_matching_cases(q)?;
        self.bulk_all(q, &selection, action, limit, &mut go_on)
    }

    /// [`bulk_run`](Self::bulk_run) over a selection already taken (the command line shows its
    /// number before it deletes).
    pub fn bulk_all(
        &self,
        q: &FindQuery,
        selection: &MatchingCases,
        action: BulkAction<'_>,
        limit: u32,
        mut go_on: impl FnMut(&BulkReport) -> bool,
    ) -> Result<BulkReport> {
        let mut report = BulkReport::new(selection.total);
        let mut after: Option<String> = None;
        loop {
            let batch = self.bulk_batch(q, &selection.snapshot, after.as_deref(), action, limit)?;
            after = batch.next.clone();
            report.add(batch);
            if after.is_none() {
                return Ok(report);
            }
            if !go_on(&report) {
                report.cancelled = true;
                return Ok(report);
            }
        }
    }
}
