//! Observables on a case: add, edit, delete, list, and the ones auto-extracted from alerts.
//! Like comments, they update the case's `updated_at` and count but not its version.

use rusqlite::{Connection, OptionalExtension, Row};
use serde_json::json;

use super::left_out::take_left_out;
use super::types::{self, MAX_OBSERVABLE_DESCRIPTION_LENGTH, MAX_OBSERVABLES_CAP, ObservableType};
use crate::activity::record;
use crate::cases::{self, Held, Loaded, load_by_uuid, uuid_of};
use crate::model::*;
use crate::row::{json, ms, opt_time, parse, time};
use crate::{Casebook, Error, Result, Tx, settings, validate};

/// The built-in types and the space's own, in that order.
pub(crate) fn types_of_space(conn: &Connection, space: &str) -> Result<Vec<ObservableType>> {
    let mut all = types::builtin_types();
    all.extend(settings::load(conn, space)?.observable_types);
    Ok(all)
}

pub(super) fn label_of(types: &[ObservableType], key: &str) -> String {
    types.iter().find(|t| t.key == key).map_or_else(|| key.to_string(), |t| t.label.clone())
}

const COLUMNS: &str =
    "o.uuid, o.type_key, o.value, o.description, o.created_at, o.created_by, o.updated_at, o.auto, o.alerts";

fn from_row(r: &Row<'_>, types: &[ObservableType]) -> rusqlite::Result<Observable> {
    let type_key: String = r.get(1)?;
    let created_by: String = r.get(5)?;
    Ok(Observable {
        id: r.get(0)?,
        type_label: label_of(types, &type_key),
        type_key,
        value: r.get(2)?,
        description: r.get(3)?,
        created_at: time(r.get(4)?),
        created_by: parse(&created_by)?,
        updated_at: opt_time(r.get(6)?),
        auto_extracted: r.get(7)?,
        alerts: r.get(8)?,
    })
}

pub(super) fn count(conn: &Connection, case_rowid: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM case_observables WHERE case_id = ?1")?
        .query_row([case_rowid], |r| r.get(0))?;
    Ok(n as usize)
}

/// Keeps the case's observable count and `updated_at` in step.
pub(super) fn touch_case(tx: &Tx<'_>, case_rowid: i64) -> Result<()> {
    cases::touch(tx, case_rowid, Held::Observables)
}

pub(super) fn log(tx: &Tx<'_>, case: &Case, verb: ActionVerb, kind: &str, values: &[(String, String)]) -> Result<()> {
    let values: Vec<_> = values.iter().map(|(k, v)| json!({ "typeKey": k, "value": v })).collect();
    let payload = json!({ "observables": { "count": values.len(), "actionType": kind, "values": values } });
    record(tx, &case.id, &case.owner, verb, ActionType::Observables, payload, None)
}

/// Checks an add or edit against the case's space: a known type, a valid value, a description
/// within its limit. Returns `(type_key, normalised value, description)`.
fn checked(conn: &Connection, space: &str, input: &ObservableInput) -> Result<(String, String, Option<String>)> {
    let types = types_of_space(conn, space)?;
    let key = resolve_type(&types, &input.type_key);
    if !types.iter().any(|t| t.key == key) {
        let known: Vec<&str> = types.iter().map(|t| t.key.as_str()).collect();
        return Err(Error::validation(
            "type_key",
            format!("{key:?} is not an observable type of this space (known: {})", known.join(", ")),
        ));
    }
    let value = types::validate_value(key, &input.value)?;
    let description =
        validate::optional_text("description", input.description.as_deref(), MAX_OBSERVABLE_DESCRIPTION_LENGTH)?;
    Ok((key.to_string(), value, description))
}

/// A type named by its key, by a built-in key without its `observable-type-` prefix
/// (`ipv4`), or by its label (`File hash`), as people type them.
pub(crate) fn resolve_type<'a>(types: &'a [ObservableType], given: &'a str) -> &'a str {
    let given = given.trim();
    let prefixed = format!("observable-type-{}", given.to_ascii_lowercase());
    types
        .iter()
        .find(|t| t.key == given)
        .or_else(|| types.iter().find(|t| t.key == prefixed))
        .or_else(|| types.iter().find(|t| t.label.eq_ignore_ascii_case(given)))
        .map_or(given, |t| t.key.as_str())
}

fn duplicate(key: &str, value: &str) -> Error {
    Error::AlreadyExists { what: "observable", id: format!("{key} {value:?} (a case holds each value once)") }
}

fn over_limit(cap: u32) -> Error {
    Error::validation(
        "observables",
        format!(
            "a case of this space holds at most {cap} observables; delete one before adding another, or raise the \
             space's cap (at most {MAX_OBSERVABLES_CAP})"
        ),
    )
}

/// Deletes every observable of a removed custom type in one space.
pub(crate) fn remove_type_in_space(tx: &Tx<'_>, space_id: i64, key: &str) -> Result<()> {
    let cases: Vec<i64> = tx
        .prepare("SELECT DISTINCT o.case_id FROM case_observables o JOIN cases c ON c.id = o.case_id WHERE o.type_key = ?1 AND c.space_id = ?2")?
        .query_map((key, space_id), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for case_rowid in cases {
        tx.execute("DELETE FROM case_observables WHERE case_id = ?1 AND type_key = ?2", (case_rowid, key))?;
        cases::recount(tx, case_rowid, Held::Observables)?;
    }
    tx.execute(
        "DELETE FROM case_observables_left_out WHERE type_key = ?1
           AND case_id IN (SELECT id FROM cases WHERE space_id = ?2)",
        (key, space_id),
    )?;
    Ok(())
}

pub(super) fn load_one(
    conn: &Connection,
    case_rowid: i64,
    id: &str,
    types: &[ObservableType],
) -> Result<(i64, Observable)> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, o.id FROM case_observables o WHERE o.uuid = ?1 AND o.case_id = ?2"
    ))?
    .query_row((id.trim(), case_rowid), |r| Ok((r.get(9)?, from_row(r, types)?)))
    .optional()?
    .ok_or_else(|| Error::not_found("observable", id))
}

impl Casebook {
    /// The observable types of a space: Kibana's built-in ones, then the space's own.
    pub fn observable_types(&self, space: &str) -> Result<Vec<ObservableType>> {
        self.read(|c| types_of_space(c, space))
    }

    /// A case's observables, oldest first.
    pub fn list_observables(&self, case_id: &str) -> Result<Vec<Observable>> {
        let uuid = uuid_of(case_id)?;
        self.read(|c| {
            let Loaded { rowid, case, .. } = load_by_uuid(c, &uuid)?;
            let types = types_of_space(c, &case.space)?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM case_observables o WHERE o.case_id = ?1 ORDER BY o.created_at, o.id"
            ))?;
            let rows = stmt.query_map([rowid], |r| from_row(r, &types))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Adds an observable. The value is checked for its type and stored normalised; a case
    /// holds each (type, value) once and at most its space's cap of observables.
    pub fn add_observable(&self, case_id: &str, input: &ObservableInput) -> Result<Observable> {
        let uuid = uuid_of(case_id)?;
        self.write(|tx| {
            let loaded = load_by_uuid(tx, &uuid)?;
            let (key, value, description) = checked(tx, &loaded.case.space, input)?;
            let dup = tx
                .prepare_cached("SELECT 1 FROM case_observables WHERE case_id = ?1 AND type_key = ?2 AND value = ?3")?
                .exists((loaded.rowid, &key, &value))?;
            if dup {
                return Err(duplicate(&key, &value));
            }
            let cap = settings::load(tx, &loaded.case.space)?.max_observables;
            if count(tx, loaded.rowid)? >= cap as usize {
                return Err(over_limit(cap));
            }
            // A left-out value typed in by hand keeps the count of alerts that carry it.
            let alerts = take_left_out(tx, loaded.rowid, &key, &value)?;
            let id = uuid::Uuid::new_v4().to_string();
            tx.prepare_cached(
                "INSERT INTO case_observables (uuid, case_id, type_key, value, description, created_at, created_by, alerts)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute((&id, loaded.rowid, &key, &value, &description, ms(tx.now), json(&tx.actor), alerts))?;
            touch_case(tx, loaded.rowid)?;
            log(tx, &loaded.case, ActionVerb::Add, "add", &[(key, value)])?;
            let types = types_of_space(tx, &loaded.case.space)?;
            Ok(load_one(tx, loaded.rowid, &id, &types)?.1)
        })
    }

    /// Changes an observable's type, value or description, with the same rules as an add.
    pub fn update_observable(&self, case_id: &str, observable_id: &str, input: &ObservableInput) -> Result<Observable> {
        let uuid = uuid_of(case_id)?;
        self.write(|tx| {
            let loaded = load_by_uuid(tx, &uuid)?;
            let types = types_of_space(tx, &loaded.case.space)?;
            let (rowid, old) = load_one(tx, loaded.rowid, observable_id, &types)?;
            let (key, value, description) = checked(tx, &loaded.case.space, input)?;
            if old.type_key == key && old.value == value && old.description == description {
                return Ok(old);
            }
            let dup = tx
                .prepare_cached(
                    "SELECT 1 FROM case_observables WHERE case_id = ?1 AND type_key = ?2 AND value = ?3 AND id != ?4",
                )?
                .exists((loaded.rowid, &key, &value, rowid))?;
            if dup {
                return Err(duplicate(&key, &value));
            }
            // Edited, the value is the analyst's: a promoted one will not replace it.
            let value_changed = old.type_key != key || old.value != value;
            let taken = if value_changed { take_left_out(tx, loaded.rowid, &key, &value)? } else { None };
            let alerts = if value_changed { taken } else { old.alerts };
            tx.prepare_cached(
                "UPDATE case_observables SET type_key = ?2, value = ?3, description = ?4, updated_at = ?5, auto = 0,
                    alerts = ?6
                 WHERE id = ?1",
            )?
            .execute((rowid, &key, &value, &description, ms(tx.now), alerts))?;
            touch_case(tx, loaded.rowid)?;
            log(tx, &loaded.case, ActionVerb::Update, "update", &[(key, value)])?;
            Ok(load_one(tx, loaded.rowid, &old.id, &types)?.1)
        })
    }

    pub fn delete_observable(&self, case_id: &str, observable_id: &str) -> Result<()> {
        let uuid = uuid_of(case_id)?;
        self.write(|tx| {
            let loaded = load_by_uuid(tx, &uuid)?;
            let types = types_of_space(tx, &loaded.case.space)?;
            let (rowid, old) = load_one(tx, loaded.rowid, observable_id, &types)?;
            tx.prepare_cached("DELETE FROM case_observables WHERE id = ?1")?.execute([rowid])?;
            touch_case(tx, loaded.rowid)?;
            log(tx, &loaded.case, ActionVerb::Delete, "delete", &[(old.type_key, old.value)])
        })
    }
}
