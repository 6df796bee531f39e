//! Extracted values past a case's cap: kept with their alert counts instead of dropped, shown
//! to the analyst best ranked first, and promoted into the case on request.

use rusqlite::{Connection, OptionalExtension};

use super::rank::{Ranked, Ranking};
use super::store::{count, label_of, load_one, log, resolve_type, touch_case, types_of_space};
use super::types::{self, MAX_OBSERVABLES_CAP};
use crate::cases::{Loaded, load_by_uuid, uuid_of};
use crate::model::*;
use crate::row::{json, ms};
use crate::{Casebook, Error, Result, Tx, settings, validate};

/// The description extracted observables carry, as in Kibana.
pub(crate) const AUTO_DESCRIPTION: &str = "Auto extracted observable";

fn cap_of(conn: &Connection, space: &str) -> Result<usize> {
    Ok(settings::load(conn, space)?.max_observables as usize)
}

fn left_out_of(conn: &Connection, case_rowid: i64) -> Result<Vec<Ranked>> {
    let mut stmt =
        conn.prepare_cached("SELECT type_key, value, alerts FROM case_observables_left_out WHERE case_id = ?1")?;
    let rows =
        stmt.query_map([case_rowid], |r| Ok(Ranked { type_key: r.get(0)?, value: r.get(1)?, alerts: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn insert_extracted(tx: &Tx<'_>, case_rowid: i64, v: &Ranked, auto: bool) -> Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    tx.prepare_cached(
        "INSERT INTO case_observables (uuid, case_id, type_key, value, description, created_at, created_by, auto, alerts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute((&id, case_rowid, &v.type_key, &v.value, AUTO_DESCRIPTION, ms(tx.now), json(&tx.actor), auto, v.alerts))?;
    tx.prepare_cached("DELETE FROM case_observables_left_out WHERE case_id = ?1 AND type_key = ?2 AND value = ?3")?
        .execute((case_rowid, &v.type_key, &v.value))?;
    Ok(id)
}

/// Moves the best ranked left-out values into the case's free room. Returns how many moved.
fn fill(tx: &Tx<'_>, loaded: &Loaded) -> Result<u64> {
    let room = cap_of(tx, &loaded.case.space)?.saturating_sub(count(tx, loaded.rowid)?);
    if room == 0 {
        return Ok(0);
    }
    let mut waiting = left_out_of(tx, loaded.rowid)?;
    if waiting.is_empty() {
        return Ok(0);
    }
    Ranking::of_space(tx, &loaded.case.space)?.sort(&mut waiting);
    waiting.truncate(room);
    for v in &waiting {
        insert_extracted(tx, loaded.rowid, v, true)?;
    }
    touch_case(tx, loaded.rowid)?;
    let added: Vec<(String, String)> = waiting.into_iter().map(|v| (v.type_key, v.value)).collect();
    log(tx, &loaded.case, ActionVerb::Add, "add", &added)?;
    Ok(added.len() as u64)
}

/// Takes one import's extracted values, each with how many newly attached alerts carry it:
/// values the case holds count those alerts too; the others join the left-out values, and the
/// case's free room is filled from them, best ranked first. Values already kept stay, so an
/// import never takes away what the analyst has been looking at. Returns how many values were
/// added and how many of this import's values are left out.
pub(crate) fn add_extracted(
    tx: &Tx<'_>,
    loaded: &Loaded,
    found: &[((&'static str, String), i64)],
) -> Result<(u64, u64)> {
    let mut bump = tx.prepare_cached(
        "UPDATE case_observables SET alerts = coalesce(alerts, 0) + ?4 WHERE case_id = ?1 AND type_key = ?2 AND value = ?3",
    )?;
    let mut stash = tx.prepare_cached(
        "INSERT INTO case_observables_left_out (case_id, type_key, value, alerts) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id, type_key, value) DO UPDATE SET alerts = alerts + excluded.alerts",
    )?;
    let mut any = false;
    for ((key, value), alerts) in found.iter().filter(|(_, n)| *n > 0) {
        any = true;
        if bump.execute((loaded.rowid, key, value, alerts))? == 0 {
            stash.execute((loaded.rowid, key, value, alerts))?;
        }
    }
    if !any {
        return Ok((0, 0));
    }
    let added = fill(tx, loaded)?;
    let mut waiting = tx.prepare_cached(
        "SELECT 1 FROM case_observables_left_out WHERE case_id = ?1 AND type_key = ?2 AND value = ?3",
    )?;
    let mut left_out = 0;
    for ((key, value), _) in found.iter().filter(|(_, n)| *n > 0) {
        if waiting.exists((loaded.rowid, key, value))? {
            left_out += 1;
        }
    }
    Ok((added, left_out))
}

/// Alerts removed from a case: the values they carried count that many alerts fewer, and a
/// left-out value no alert of the case carries any more is dropped. Kept observables stay (as
/// in Kibana, removing an alert does not remove what was learnt from it).
pub(crate) fn forget_alerts(
    tx: &Tx<'_>,
    case_rowid: i64,
    carried: &std::collections::BTreeMap<(&'static str, String), i64>,
) -> Result<()> {
    let mut kept = tx.prepare_cached(
        "UPDATE case_observables SET alerts = max(alerts - ?4, 0)
         WHERE case_id = ?1 AND type_key = ?2 AND value = ?3 AND alerts IS NOT NULL",
    )?;
    let mut waiting = tx.prepare_cached(
        "UPDATE case_observables_left_out SET alerts = alerts - ?4 WHERE case_id = ?1 AND type_key = ?2 AND value = ?3",
    )?;
    for ((key, value), n) in carried {
        kept.execute((case_rowid, key, value, n))?;
        waiting.execute((case_rowid, key, value, n))?;
    }
    tx.prepare_cached("DELETE FROM case_observables_left_out WHERE case_id = ?1 AND alerts <= 0")?
        .execute([case_rowid])?;
    Ok(())
}

/// After a space's cap was raised: every case of it with left-out values fills its new room.
pub(crate) fn fill_space(tx: &Tx<'_>, space_id: i64) -> Result<()> {
    let cases: Vec<String> = tx
        .prepare(
            "SELECT c.uuid FROM cases c WHERE c.space_id = ?1
               AND EXISTS (SELECT 1 FROM case_observables_left_out l WHERE l.case_id = c.id)",
        )?
        .query_map([space_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for uuid in cases {
        fill(tx, &load_by_uuid(tx, &uuid)?)?;
    }
    Ok(())
}

/// A value the analyst added or edited by hand is no longer left out.
pub(crate) fn take_left_out(tx: &Tx<'_>, case_rowid: i64, key: &str, value: &str) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "DELETE FROM case_observables_left_out WHERE case_id = ?1 AND type_key = ?2 AND value = ?3 RETURNING alerts",
        )?
        .query_row((case_rowid, key, value), |r| r.get(0))
        .optional()?)
}

impl Casebook {
    /// The extracted values a case's cap left out, best ranked first.
    pub fn left_out_observables(&self, case_id: &str, page: u32, per_page: u32) -> Result<LeftOutPage> {
        let (page, per_page) = validate::paging(page, per_page, MAX_OBSERVABLES_CAP as u32)?;
        let uuid = uuid_of(case_id)?;
        self.read(|c| {
            let Loaded { rowid, case, .. } = load_by_uuid(c, &uuid)?;
            let types = types_of_space(c, &case.space)?;
            let mut all = left_out_of(c, rowid)?;
            Ranking::of_space(c, &case.space)?.sort(&mut all);
            let total = all.len() as i64;
            let values = all
                .into_iter()
                .skip(((page - 1) * per_page) as usize)
                .take(per_page as usize)
                .map(|v| LeftOutObservable {
                    type_label: label_of(&types, &v.type_key),
                    type_key: v.type_key,
                    value: v.value,
                    alerts: v.alerts,
                })
                .collect();
            Ok(LeftOutPage {
                values,
                total,
                page,
                per_page,
                max_observables: cap_of(c, &case.space)? as u32,
                held: count(c, rowid)? as u32,
            })
        })
    }

    /// Moves a left-out value into the case. When the case is full it replaces the lowest
    /// ranked value extracted automatically (which is left out in its turn); values the
    /// analyst added or promoted are never replaced.
    pub fn promote_observable(&self, case_id: &str, type_key: &str, value: &str) -> Result<Promotion> {
        let uuid = uuid_of(case_id)?;
        self.write(|tx| {
            let loaded = load_by_uuid(tx, &uuid)?;
            let space = &loaded.case.space;
            let types = types_of_space(tx, space)?;
            let key = resolve_type(&types, type_key).to_string();
            let value = types::validate_value(&key, value)?;
            let alerts: i64 = tx
                .prepare_cached(
                    "SELECT alerts FROM case_observables_left_out WHERE case_id = ?1 AND type_key = ?2 AND value = ?3",
                )?
                .query_row((loaded.rowid, &key, &value), |r| r.get(0))
                .optional()?
                .ok_or_else(|| {
                    Error::not_found("left-out observable", format!("{key} {value:?} in case {}", loaded.case.id))
                })?;
            let cap = cap_of(tx, space)?;
            let held = count(tx, loaded.rowid)?;
            let mut replaced = None;
            if held >= cap {
                replaced = Some(make_room(tx, &loaded, &types, held, cap)?);
            }
            let promoted = Ranked { type_key: key.clone(), value: value.clone(), alerts };
            let id = insert_extracted(tx, loaded.rowid, &promoted, false)?;
            touch_case(tx, loaded.rowid)?;
            log(tx, &loaded.case, ActionVerb::Add, "add", &[(key, value)])?;
            Ok(Promotion { observable: load_one(tx, loaded.rowid, &id, &types)?.1, replaced })
        })
    }
}

/// Moves the case's lowest ranked automatic value to the left-out ones.
fn make_room(
    tx: &Tx<'_>,
    loaded: &Loaded,
    types: &[ObservableType],
    held: usize,
    cap: usize,
) -> Result<LeftOutObservable> {
    let mut autos: Vec<(i64, Ranked)> = tx
        .prepare_cached(
            "SELECT id, type_key, value, coalesce(alerts, 0) FROM case_observables WHERE case_id = ?1 AND auto = 1",
        )?
        .query_map([loaded.rowid], |r| {
            Ok((r.get(0)?, Ranked { type_key: r.get(1)?, value: r.get(2)?, alerts: r.get(3)? }))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ranking = Ranking::of_space(tx, &loaded.case.space)?;
    autos.sort_by(|a, b| ranking.cmp(&a.1, &b.1));
    let Some((rowid, lowest)) = autos.pop() else {
        return Err(Error::validation(
            "observables",
            format!(
                "this case holds {held} observables (the space's cap is {cap}) and none of them was extracted \
                 automatically: delete one, or raise the cap in the space's settings (at most {MAX_OBSERVABLES_CAP})"
            ),
        ));
    };
    tx.prepare_cached("DELETE FROM case_observables WHERE id = ?1")?.execute([rowid])?;
    tx.prepare_cached(
        "INSERT INTO case_observables_left_out (case_id, type_key, value, alerts) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute((loaded.rowid, &lowest.type_key, &lowest.value, lowest.alerts))?;
    log(tx, &loaded.case, ActionVerb::Delete, "delete", &[(lowest.type_key.clone(), lowest.value.clone())])?;
    Ok(LeftOutObservable {
        type_label: label_of(types, &lowest.type_key),
        type_key: lowest.type_key,
        value: lowest.value,
        alerts: lowest.alerts,
    })
}
