//! Create, read, update and delete cases. Each write validates everything first, then
//! changes the row, its tag/assignee lookups, its search document and the activity log in
//! one transaction.

use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

use crate::activity::record;
use crate::model::*;
use crate::row::{CASE_COLUMNS, case_from_row, json, ms, parse_version};
use crate::spaces::space_id;
use crate::timing::on_status_change;
use crate::{Casebook, Error, Result, Tx, connectors, fts, settings, users, validate};

/// What a case holds besides its own fields; each kind keeps a count on the case row.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Held {
    /// Comments, `added` of them (negative: removed; 0: one edited).
    Comments {
        added: i64,
    },
    Alerts,
    Observables,
}

/// A change to what the case holds is a change to the case: its `updated_at`/`updated_by`
/// follow, and so does the count. This module owns the `cases` row; other features change it
/// only through here.
pub(crate) fn touch(tx: &Tx<'_>, rowid: i64, held: Held) -> Result<()> {
    tx.prepare_cached("UPDATE cases SET updated_at = ?2, updated_by = ?3 WHERE id = ?1")?.execute((
        rowid,
        ms(tx.now),
        json(&tx.actor),
    ))?;
    recount(tx, rowid, held)
}

/// Brings the case's stored count of `held` up to date, without counting it as an edit (a
/// space-wide change such as removing an observable type).
pub(crate) fn recount(conn: &Connection, rowid: i64, held: Held) -> Result<()> {
    match held {
        Held::Comments { added } => conn
            .prepare_cached("UPDATE cases SET total_comment = total_comment + ?2 WHERE id = ?1")?
            .execute((rowid, added))?,
        Held::Alerts => conn
            .prepare_cached(
                "UPDATE cases SET total_alerts = (SELECT count(*) FROM case_alerts WHERE case_id = ?1) WHERE id = ?1",
            )?
            .execute([rowid])?,
        Held::Observables => conn
            .prepare_cached(
                "UPDATE cases SET total_observables = (SELECT count(*) FROM case_observables WHERE case_id = ?1)
                 WHERE id = ?1",
            )?
            .execute([rowid])?,
    };
    Ok(())
}

/// Records where the case was pushed. `taken_at`: when the pushed state was read; an edit made
/// after it (while the push was under way) is newer, so the case still requires an update.
pub(crate) fn mark_pushed(tx: &Tx<'_>, rowid: i64, external: &ExternalService, taken_at: i64) -> Result<()> {
    tx.execute(
        "UPDATE cases SET external_service = ?2, pushed_at = ?3, updated_at = ?4, updated_by = ?5,
            version = version + 1 WHERE id = ?1",
        (rowid, json(external), taken_at, ms(tx.now), json(&tx.actor)),
    )?;
    Ok(())
}

/// A case with the row ids the write paths need.
pub(crate) struct Loaded {
    pub rowid: i64,
    pub space_id: i64,
    pub case: Case,
}

pub(crate) fn load_by_uuid(conn: &Connection, uuid: &str) -> Result<Loaded> {
    conn.prepare_cached(&format!("SELECT c.id, c.space_id, {CASE_COLUMNS} FROM cases c WHERE c.uuid = ?1"))?
        .query_row([uuid], |r| {
            let case = crate::row::case_from_row_at(r, 2)?;
            Ok(Loaded { rowid: r.get(0)?, space_id: r.get(1)?, case })
        })
        .optional()?
        .ok_or_else(|| Error::not_found("case", uuid))
}

/// Refuses a case that is not in `space` as not found (the space check of every id given
/// from outside).
pub(crate) fn in_space(conn: &Connection, space: &str, id: &str) -> Result<()> {
    space_id(conn, space)?;
    let uuid = uuid_of(id)?;
    let found: Option<String> = conn
        .prepare_cached("SELECT s.name FROM cases c JOIN spaces s ON s.id = c.space_id WHERE c.uuid = ?1")?
        .query_row([&uuid], |r| r.get(0))
        .optional()?;
    match found {
        Some(s) if s == space => Ok(()),
        _ => Err(Error::not_found("case", format!("{uuid} in space {space}"))),
    }
}

fn load_by_number(conn: &Connection, space: &str, n: i64) -> Result<Case> {
    let sid = space_id(conn, space)?;
    conn.prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM case_numbers n JOIN cases c ON c.id = n.case_id WHERE n.space_id = ?1 AND n.number = ?2"))?
        .query_row((sid, n), case_from_row)
        .optional()?
        .ok_or_else(|| {
            Error::not_found(
                "case",
                format!("#{n} in space {space} (a new case gets its number from the numbering task)"),
            )
        })
}

/// Normalizes a case id: any UUID spelling becomes lowercase hyphenated.
pub(crate) fn uuid_of(id: &str) -> Result<String> {
    match id.parse::<CaseRef>()? {
        CaseRef::Id(u) => Ok(u),
        CaseRef::Number(_) => Err(Error::validation("id", format!("{id:?}: give the case id (UUID) here"))),
    }
}

fn write_lookups(tx: &Tx<'_>, rowid: i64, tags: &[String], assignees: &[Assignee]) -> Result<()> {
    tx.prepare_cached("DELETE FROM case_tags WHERE case_id = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM case_assignees WHERE case_id = ?1")?.execute([rowid])?;
    // Tag and assignee rows copy the case's current space, status, severity and duration.
    let mut ins = tx.prepare_cached(
        "INSERT INTO case_tags (case_id, tag, space_id, status, severity, duration)
         SELECT id, ?2, space_id, status, severity, duration FROM cases WHERE id = ?1",
    )?;
    for t in tags {
        ins.execute((rowid, t))?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO case_assignees (case_id, uid, space_id, status, severity, duration)
         SELECT id, ?2, space_id, status, severity, duration FROM cases WHERE id = ?1",
    )?;
    for a in assignees {
        ins.execute((rowid, &a.uid))?;
    }
    Ok(())
}

/// A create input as `create_case` stores it: every rule checked, every value normalised.
struct Checked {
    space_id: i64,
    title: String,
    description: String,
    tags: Vec<String>,
    category: Option<String>,
    assignees: Vec<Assignee>,
    owner: String,
    settings: CaseSettings,
    severity: Severity,
    connector: CaseConnector,
    custom_fields: Vec<CustomFieldValue>,
}

/// Every check `create_case` makes, in its order, reading only: the first failure is the error
/// `create_case` would return.
fn check_create(conn: &Connection, space: &str, input: &CaseCreate) -> Result<Checked> {
    let title = validate::title(&input.title)?;
    let description = validate::description(&input.description)?;
    let tags = validate::tags(&input.tags)?;
    let category = validate::category(input.category.as_deref())?;
    let assignees = validate::assignees(&input.assignees)?;
    let owner = validate::owner(input.owner.as_deref())?;
    let settings = input.settings.clone().unwrap_or_default();
    let severity = input.severity.unwrap_or_default();

    let space_id = space_id(conn, space)?;
    let connector = connectors::resolve_case_connector(conn, space, &input.connector.clone().unwrap_or_default())?;
    let config = settings::load(conn, space)?;
    let custom_fields = validate::custom_fields(&input.custom_fields, &config.custom_fields, true)?;
    users::check_known(conn, &assignees)?;
    Ok(Checked {
        space_id,
        title,
        description,
        tags,
        category,
        assignees,
        owner,
        settings,
        severity,
        connector,
        custom_fields,
    })
}

pub(crate) fn create_in(tx: &Tx<'_>, space: &str, input: &CaseCreate) -> Result<Case> {
    let Checked {
        space_id: sid,
        title,
        description,
        tags,
        category,
        assignees,
        owner,
        settings,
        severity,
        connector,
        custom_fields,
    } = check_create(tx, space, input)?;

    let uuid = uuid::Uuid::new_v4().to_string();
    tx.prepare_cached(
        "INSERT INTO cases (uuid, space_id, title, description, tags, severity, status, assignees, category,
            custom_fields, settings, owner, connector, created_at, created_by, reporter)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(rusqlite::params![
        uuid,
        sid,
        title,
        description,
        json(&tags),
        severity.to_db(),
        json(&assignees),
        category,
        json(&custom_fields),
        json(&settings),
        owner,
        json(&connector),
        ms(tx.now),
        json(&tx.actor),
        tx.actor.username,
    ])?;
    let rowid = tx.last_insert_rowid();
    write_lookups(tx, rowid, &tags, &assignees)?;
    fts::reindex(tx, rowid)?;
    record(
        tx,
        &uuid,
        &owner,
        ActionVerb::Create,
        ActionType::CreateCase,
        json!({
            "title": title, "description": description, "tags": tags, "severity": severity,
            "status": Status::Open, "assignees": assignees, "category": category,
            "custom_fields": custom_fields, "settings": settings, "owner": owner, "connector": connector,
        }),
        None,
    )?;
    Ok(load_by_uuid(tx, &uuid)?.case)
}

/// The activity records that turn `old` into `new`, in Kibana's types and verbs.
fn changes(old: &Case, new: &Case) -> Vec<(ActionVerb, ActionType, serde_json::Value)> {
    let upd = ActionVerb::Update;
    let mut actions = Vec::new();
    if new.title != old.title {
        actions.push((upd, ActionType::Title, json!({ "title": new.title })));
    }
    if new.description != old.description {
        actions.push((upd, ActionType::Description, json!({ "description": new.description })));
    }
    if new.category != old.category {
        actions.push((upd, ActionType::Category, json!({ "category": new.category })));
    }
    if new.severity != old.severity {
        actions.push((upd, ActionType::Severity, json!({ "severity": new.severity })));
    }
    if new.settings != old.settings {
        actions.push((upd, ActionType::Settings, json!({ "settings": new.settings })));
    }
    if new.connector != old.connector {
        actions.push((upd, ActionType::Connector, json!({ "connector": new.connector })));
    }
    if new.custom_fields != old.custom_fields {
        actions.push((upd, ActionType::CustomFields, json!({ "custom_fields": new.custom_fields })));
    }
    let added: Vec<&String> = new.tags.iter().filter(|t| !old.tags.contains(t)).collect();
    let removed: Vec<&String> = old.tags.iter().filter(|t| !new.tags.contains(t)).collect();
    if !added.is_empty() {
        actions.push((ActionVerb::Add, ActionType::Tags, json!({ "tags": added })));
    }
    if !removed.is_empty() {
        actions.push((ActionVerb::Delete, ActionType::Tags, json!({ "tags": removed })));
    }
    let added_assignees: Vec<&Assignee> = new.assignees.iter().filter(|a| !old.assignees.contains(a)).collect();
    let removed_assignees: Vec<&Assignee> = old.assignees.iter().filter(|a| !new.assignees.contains(a)).collect();
    if !added_assignees.is_empty() {
        actions.push((ActionVerb::Add, ActionType::Assignees, json!({ "assignees": added_assignees })));
    }
    if !removed_assignees.is_empty() {
        actions.push((ActionVerb::Delete, ActionType::Assignees, json!({ "assignees": removed_assignees })));
    }
    if new.status != old.status {
        actions.push((upd, ActionType::Status, json!({ "status": new.status })));
    }
    actions
}

/// Applies a patch to a loaded case; returns the new case, or the old one if nothing changed.
pub(crate) fn update_in(tx: &Tx<'_>, patch: &CasePatch) -> Result<Case> {
    let uuid = uuid_of(&patch.id)?;
    let given = parse_version("version", &patch.version)?;
    let Loaded { rowid, case: old, .. } = load_by_uuid(tx, &uuid)?;
    let current: i64 = old.version.parse().unwrap_or(0);
    if given != current {
        return Err(Error::Conflict { what: "case", id: uuid, given: patch.version.clone(), current: old.version });
    }
    let mut new = old.clone();

    if let Some(t) = &patch.title {
        new.title = validate::title(t)?;
    }
    if let Some(d) = &patch.description {
        new.description = validate::description(d)?;
    }
    if let Some(c) = &patch.category {
        new.category = validate::category(c.as_deref())?;
    }
    if let Some(s) = patch.severity {
        new.severity = s;
    }
    if let Some(s) = &patch.settings {
        new.settings = s.clone();
    }
    if let Some(c) = &patch.connector {
        new.connector = connectors::resolve_case_connector(tx, &old.space, c)?;
    }
    let mut tags = patch.tags.clone().unwrap_or_else(|| old.tags.clone());
    tags.extend(patch.add_tags.iter().cloned());
    let remove: Vec<String> = patch.remove_tags.iter().map(|t| t.trim().to_string()).collect();
    tags.retain(|t| !remove.contains(&t.trim().to_string()));
    new.tags = validate::tags(&tags)?;

    let mut assignees = patch.assignees.clone().unwrap_or_else(|| old.assignees.clone());
    assignees.extend(patch.add_assignees.iter().cloned());
    assignees.retain(|a| !patch.remove_assignees.iter().any(|r| r.uid.trim() == a.uid.trim()));
    new.assignees = validate::assignees(&assignees)?;
    let added_assignees: Vec<Assignee> = new.assignees.iter().filter(|a| !old.assignees.contains(a)).cloned().collect();
    users::check_known(tx, &added_assignees)?;

    if let Some(cf) = &patch.custom_fields {
        let space = &old.space;
        let config = settings::load(tx, space)?;
        new.custom_fields = validate::custom_fields(cf, &config.custom_fields, true)?;
    }
    if let Some(s) = patch.status {
        new.status = s;
    }

    let actions = changes(&old, &new);
    if actions.is_empty() {
        return Ok(old);
    }

    let t = on_status_change(&old.timing(), old.status, new.status, old.created_at, tx.now, &tx.actor);
    tx.prepare_cached(
        "UPDATE cases SET title = ?2, description = ?3, tags = ?4, severity = ?5, status = ?6, assignees = ?7,
            category = ?8, custom_fields = ?9, settings = ?10, connector = ?11, updated_at = ?12, updated_by = ?13,
            closed_at = ?14, closed_by = ?15, in_progress_at = ?16, duration = ?17, time_to_acknowledge = ?18,
            time_to_investigate = ?19, time_to_resolve = ?20, version = version + 1
         WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        rowid,
        new.title,
        new.description,
        json(&new.tags),
        new.severity.to_db(),
        new.status.to_db(),
        json(&new.assignees),
        new.category,
        json(&new.custom_fields),
        json(&new.settings),
        json(&new.connector),
        ms(tx.now),
        json(&tx.actor),
        t.closed_at.map(ms),
        t.closed_by.as_ref().map(json),
        t.in_progress_at.map(ms),
        t.duration,
        t.time_to_acknowledge,
        t.time_to_investigate,
        t.time_to_resolve,
    ])?;
    if new.tags != old.tags || new.assignees != old.assignees {
        write_lookups(tx, rowid, &new.tags, &new.assignees)?;
    }
    // Sync alerts: the case's alerts follow its status, also when syncing is switched on.
    if new.settings.sync_alerts && (new.status != old.status || !old.settings.sync_alerts) {
        crate::alerts::follow_case_status(tx, rowid, new.status)?;
    }
    if new.title != old.title || new.description != old.description {
        fts::reindex(tx, rowid)?;
    }
    for (verb, ty, payload) in actions {
        record(tx, &uuid, &old.owner, verb, ty, payload, None)?;
    }
    Ok(load_by_uuid(tx, &uuid)?.case)
}

pub(crate) fn delete_in(tx: &Tx<'_>, id: &str) -> Result<()> {
    let uuid = uuid_of(id)?;
    let Loaded { rowid, space_id: sid, case } = load_by_uuid(tx, &uuid)?;
    fts::remove(tx, sid, rowid)?;
    // Comments, tags and assignees go with the row (ON DELETE CASCADE); the activity stays.
    tx.prepare_cached("DELETE FROM cases WHERE id = ?1")?.execute([rowid])?;
    record(tx, &uuid, &case.owner, ActionVerb::Delete, ActionType::DeleteCase, json!({}), None)?;
    Ok(())
}

/// Names the batch element a validation error came from: `cases[3].title: …`.
fn in_batch(i: usize, e: Error) -> Error {
    e.within(&format!("cases[{i}]"))
}

fn check_batch(field: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::validation(field, "name at least one case"));
    }
    if n > validate::MAX_BULK_CASES {
        return Err(Error::validation(field, format!("at most {} cases at once (got {n})", validate::MAX_BULK_CASES)));
    }
    Ok(())
}

impl Casebook {
    /// Creates a case in `space`. Missing custom fields get their defaults.
    pub fn create_case(&self, space: &str, input: &CaseCreate) -> Result<Case> {
        self.write(|tx| create_in(tx, space, input))
    }

    /// Runs exactly the checks of [`create_case`](Self::create_case) and writes nothing: `Ok`
    /// when it would create the case, else the error it would return (a `validation` error
    /// names its field). For a form that wants the core's verdict before it submits.
    pub fn check_case_create(&self, space: &str, input: &CaseCreate) -> Result<()> {
        self.read(|c| check_create(c, space, input).map(drop))
    }

    /// [`check_case_create`](Self::check_case_create) for the inputs of
    /// [`create_cases`](Self::create_cases): the first error, its field prefixed with the
    /// input's place (`cases[3].title`).
    pub fn check_case_creates(&self, space: &str, inputs: &[CaseCreate]) -> Result<()> {
        check_batch("cases", inputs.len())?;
        self.read(|c| {
            inputs
                .iter()
                .enumerate()
                .try_for_each(|(i, input)| check_create(c, space, input).map(drop).map_err(|e| in_batch(i, e)))
        })
    }

    /// A case by its UUID.
    pub fn get_case(&self, id: &str) -> Result<Case> {
        let uuid = uuid_of(id)?;
        self.read(|c| Ok(load_by_uuid(c, &uuid)?.case))
    }

    /// A case by UUID or by `#N` in `space`.
    pub fn resolve_case(&self, space: &str, reference: &str) -> Result<Case> {
        match reference.parse::<CaseRef>()? {
            // A case of another space is not found here, as in Kibana.
            CaseRef::Id(u) => self.read(|c| {
                space_id(c, space)?;
                Some(load_by_uuid(c, &u)?.case)
                    .filter(|case| case.space == space)
                    .ok_or_else(|| Error::not_found("case", format!("{u} in space {space}")))
            }),
            CaseRef::Number(n) => self.read(|c| load_by_number(c, space, n)),
        }
    }

    /// Updates one case. A stale `version` fails with `conflict` and changes nothing; a patch
    /// that changes nothing returns the case as it is.
    pub fn update_case(&self, patch: &CasePatch) -> Result<Case> {
        self.write(|tx| update_in(tx, patch))
    }

    /// Updates up to 100 cases of `space`; all succeed or none is changed. A case of another
    /// space is not found, as in Kibana: an id copied from elsewhere never reaches across.
    pub fn update_cases(&self, space: &str, patches: &[CasePatch]) -> Result<Vec<Case>> {
        check_batch("cases", patches.len())?;
        self.write(|tx| {
            let one = |p: &CasePatch| {
                in_space(tx, space, &p.id)?;
                update_in(tx, p)
            };
            patches.iter().enumerate().map(|(i, p)| one(p).map_err(|e| in_batch(i, e))).collect()
        })
    }

    /// Deletes up to 100 cases with their comments; all go or none does. Their activity
    /// history stays, ending in a `delete_case` record.
    pub fn delete_cases(&self, ids: &[String]) -> Result<()> {
        check_batch("ids", ids.len())?;
        // Naming a case twice deletes it once.
        let mut unique: Vec<String> = Vec::with_capacity(ids.len());
        for id in ids {
            let u = uuid_of(id)?;
            if !unique.contains(&u) {
                unique.push(u);
            }
        }
        self.write(|tx| unique.iter().try_for_each(|id| delete_in(tx, id)))
    }

    /// Creates several cases in one transaction (all or none).
    pub fn create_cases(&self, space: &str, inputs: &[CaseCreate]) -> Result<Vec<Case>> {
        check_batch("cases", inputs.len())?;
        self.write(|tx| {
            inputs.iter().enumerate().map(|(i, c)| create_in(tx, space, c).map_err(|e| in_batch(i, e))).collect()
        })
    }

    /// Every tag used in a space, most used first (create-form autocomplete).
    pub fn tags(&self, space: &str) -> Result<Vec<String>> {
        self.taxonomy(space, "SELECT t.tag FROM case_tags t JOIN cases c ON c.id = t.case_id WHERE c.space_id = ?1 GROUP BY t.tag ORDER BY count(*) DESC, t.tag")
    }

    /// Every tag used in a space with its number of cases, by name (case-insensitive), read
    /// from the kept per-tag totals (migration 8).
    pub fn tag_counts(&self, space: &str) -> Result<Vec<TagCount>> {
        self.read(|c| {
            let sid = space_id(c, space)?;
            let mut stmt = c.prepare_cached(
                "SELECT value, sum(cases) AS n FROM facet_totals WHERE facet = 'tag' AND space_id = ?1 \
                 GROUP BY value HAVING n > 0 ORDER BY value COLLATE NOCASE, value",
            )?;
            let rows = stmt
                .query_map([sid], |r| Ok(TagCount { tag: r.get(0)?, cases: r.get(1)? }))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Every category used in a space.
    pub fn categories(&self, space: &str) -> Result<Vec<String>> {
        self.taxonomy(space, "SELECT DISTINCT category FROM cases WHERE space_id = ?1 AND category IS NOT NULL ORDER BY category COLLATE NOCASE")
    }

    /// Everyone who created a case in a space.
    pub fn reporters(&self, space: &str) -> Result<Vec<String>> {
        self.taxonomy(space, "SELECT DISTINCT reporter FROM cases WHERE space_id = ?1 ORDER BY reporter")
    }

    fn taxonomy(&self, space: &str, sql: &str) -> Result<Vec<String>> {
        self.read(|c| {
            let sid = space_id(c, space)?;
            let mut stmt = c.prepare_cached(sql)?;
            let rows = stmt.query_map([sid], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
    }
}
