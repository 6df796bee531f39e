//! Similar cases: other cases of the same space holding at least one identical
//! (type, value) observable (Kibana's `_similar`, free here).

use std::collections::BTreeMap;

use crate::cases::{Loaded, load_by_uuid, uuid_of};
use crate::model::*;
use crate::row::{CASE_COLUMNS, case_from_row};
use crate::{Casebook, Result, validate};

use super::store::types_of_space;

impl Casebook {
    /// Cases sharing observables with `case_id`, those sharing the most first, then the most
    /// recently created. Each lists the shared values.
    pub fn similar_cases(&self, case_id: &str, page: u32, per_page: u32) -> Result<SimilarCasesPage> {
        let (page, per_page) = validate::paging(page, per_page, validate::MAX_CASES_PER_PAGE)?;
        let uuid = uuid_of(case_id)?;
        self.read(|c| {
            let Loaded { rowid, space_id, case } = load_by_uuid(c, &uuid)?;
            let types = types_of_space(c, &case.space)?;
            // Every (other case, shared value) pair; a case holds at most its space's cap of
            // observables (500 at most), so this is that many index probes whatever the size of
            // the database.
            let mut stmt = c.prepare_cached(
                "SELECT o.case_id, o.type_key, o.value
                 FROM case_observables mine
                 JOIN case_observables o ON o.type_key = mine.type_key AND o.value = mine.value AND o.case_id != mine.case_id
                 JOIN cases c ON c.id = o.case_id AND c.space_id = ?2
                 WHERE mine.case_id = ?1",
            )?;
            let mut shared: BTreeMap<i64, Vec<SharedObservable>> = BTreeMap::new();
            let rows = stmt.query_map((rowid, space_id), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?;
            for row in rows {
                let (other, type_key, value) = row?;
                let type_label =
                    types.iter().find(|t| t.key == type_key).map_or_else(|| type_key.clone(), |t| t.label.clone());
                shared.entry(other).or_default().push(SharedObservable { type_key, type_label, value });
            }
            let mut load = c.prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = ?1"))?;
            let mut all = Vec::with_capacity(shared.len());
            for (other, values) in shared {
                all.push(SimilarCase { case: load.query_row([other], case_from_row)?, shared: values });
            }
            all.sort_by(|a, b| b.shared.len().cmp(&a.shared.len()).then(b.case.created_at.cmp(&a.case.created_at)));
            let total = all.len() as i64;
            let cases = all.into_iter().skip(((page - 1) * per_page) as usize).take(per_page as usize).collect();
            Ok(SimilarCasesPage { cases, total, page, per_page })
        })
    }
}
