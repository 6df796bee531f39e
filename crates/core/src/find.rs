//! The case list: filters → SQL, full-text ranking, sort, paging, and the status counts and
//! mean time to close for the same filters (Kibana's `_find` plus its metrics).
//!
//! Every sort has an index that starts `(space_id, sort key, id)`, so a page is read in
//! order from the index; filters on status and severity are answered from the same entries.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};

use crate::fts::{ParsedSearch, parse_search, space_range};
use crate::model::*;
use crate::row::{CASE_COLUMNS, case_from_row, ms};
use crate::spaces::space_id;
use crate::{Casebook, Error, Result, validate};

/// A query compiled to SQL pieces, shared by the page and the counts.
struct Compiled {
    /// `WITH hits(id, score) AS (…)` when searching, else empty.
    with: String,
    /// `cases c` or `hits h JOIN cases c ON c.id = h.id`.
    from: &'static str,
    /// Every condition except the status filter.
    filters: Vec<String>,
    params: Vec<SqlValue>,
    status: Vec<Status>,
    ranked: bool,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn compile(conn: &Connection, q: &FindQuery) -> Result<Compiled> {
    validate::filter_len("status", &q.status)?;
    validate::filter_len("severity", &q.severity)?;
    validate::filter_len("tags", &q.tags)?;
    validate::filter_len("assignees", &q.assignees)?;
    validate::filter_len("reporters", &q.reporters)?;
    validate::filter_len("category", &q.category)?;
    validate::filter_len("custom_toggles", &q.custom_toggles)?;
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t {
            return Err(Error::validation("from", "must not be after `to`"));
        }
    let sid = space_id(conn, &q.space)?;
    let mut params: Vec<SqlValue> = Vec::new();
    let mut filters = vec!["c.space_id = ?".to_string()];
    params.push(sid.into());

    let search = match q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > validate::MAX_SEARCH_LENGTH => {
            return Err(Error::validation("search", format!("at most {} characters", validate::MAX_SEARCH_LENGTH)));
        }
        Some(s) => parse_search(s),
        None => ParsedSearch::default(),
    };
    let mut with = String::new();
    let mut from = "cases c";
    let mut ranked = false;
    if let Some(u) = search.uuid {
        filters.push("c.uuid = ?".into());
        params.push(u.into());
    } else if let Some(fts) = search.fts {
        // Hits are scored by bm25 (lower is better); a `#N` named with the words also hits,
        // ahead of every text match.
        let (lo, hi) = space_range(sid);
        let mut hits = "SELECT rowid & 4294967295 AS id, rank AS score FROM cases_fts WHERE cases_fts MATCH ? AND rowid BETWEEN ? AND ?".to_string();
        let mut hit_params: Vec<SqlValue> = vec![fts.into(), lo.into(), hi.into()];
        if !search.numbers.is_empty() {
            hits = format!(
                "SELECT id, min(score) AS score FROM ({hits} UNION ALL SELECT id, -1e300 FROM cases WHERE space_id = ? AND incremental_id IN ({})) GROUP BY id",
                placeholders(search.numbers.len())
            );
            hit_params.push(sid.into());
            hit_params.extend(search.numbers.iter().map(|n| SqlValue::from(*n)));
        }
        with = format!("WITH hits(id, score) AS ({hits}) ");
        from = "hits h JOIN cases c ON c.id = h.id";
        ranked = true;
        // The WITH clause comes first in the statement, so its parameters do too.
        hit_params.append(&mut params);
        params = hit_params;
    } else if !search.numbers.is_empty() {
        filters.push(format!("c.incremental_id IN ({})", placeholders(search.numbers.len())));
        params.extend(search.numbers.iter().map(|n| SqlValue::from(*n)));
    }

    if !q.severity.is_empty() {
        filters.push(format!("c.severity IN ({})", placeholders(q.severity.len())));
        params.extend(q.severity.iter().map(|s| SqlValue::from(s.to_db())));
    }
    if !q.tags.is_empty() {
        filters.push(format!(
            "EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag IN ({}))",
            placeholders(q.tags.len())
        ));
        params.extend(q.tags.iter().map(|t| SqlValue::from(t.trim().to_string())));
    }
    if !q.assignees.is_empty() {
        let none = q.assignees.iter().any(|a| a.trim() == "none");
        let named: Vec<&String> = q.assignees.iter().filter(|a| a.trim() != "none").collect();
        let mut any = Vec::new();
        if none {
            any.push("c.assignees = '[]'".to_string());
        }
        if !named.is_empty() {
            any.push(format!(
                "EXISTS (SELECT 1 FROM case_assignees a WHERE a.case_id = c.id AND a.uid IN ({}))",
                placeholders(named.len())
            ));
            params.extend(named.iter().map(|a| SqlValue::from(a.trim().to_string())));
        }
        filters.push(format!("({})", any.join(" OR ")));
    }
    if !q.reporters.is_empty() {
        filters.push(format!("c.reporter IN ({})", placeholders(q.reporters.len())));
        params.extend(q.reporters.iter().map(|r| SqlValue::from(r.trim().to_string())));
    }
    if !q.category.is_empty() {
        filters.push(format!("c.category IN ({})", placeholders(q.category.len())));
        params.extend(q.category.iter().map(|r| SqlValue::from(r.trim().to_string())));
    }
    if !q.custom_toggles.is_empty() {
        let defs = crate::configure::load(conn, &q.space)?.custom_fields;
        let toggles: Vec<&str> =
            defs.iter().filter(|d| d.field_type == CustomFieldType::Toggle).map(|d| d.key.as_str()).collect();
        for t in &q.custom_toggles {
            if !toggles.contains(&t.key.as_str()) {
                let known = if toggles.is_empty() { "none".to_string() } else { toggles.join(", ") };
                return Err(Error::validation(
                    format!("custom_fields.{}", t.key),
                    format!("is not a toggle custom field of space {} (toggle fields: {known})", q.space),
                ));
            }
        }
    }
    for t in &q.custom_toggles {
        // "Off" also matches a toggle never set (null), as the UI shows it off.
        let test = if t.value { "json_extract(j.value, '$.value') = 1" } else { "coalesce(json_extract(j.value, '$.value'), 0) = 0" };
        filters.push(format!(
            "EXISTS (SELECT 1 FROM json_each(c.custom_fields) j WHERE json_extract(j.value, '$.key') = ? AND json_extract(j.value, '$.type') = 'toggle' AND {test})"
        ));
        params.push(t.key.clone().into());
    }
    if let Some(f) = q.from {
        filters.push("c.created_at >= ?".into());
        params.push(ms(f).into());
    }
    if let Some(t) = q.to {
        filters.push("c.created_at <= ?".into());
        params.push(ms(t).into());
    }
    Ok(Compiled { with, from, filters, params, status: q.status.clone(), ranked })
}

fn order_by(q: &FindQuery, ranked: bool) -> String {
    let dir = match q.sort_order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    let key = match q.sort_field {
        None if ranked => return "h.score ASC, c.id DESC".into(),
        None | Some(SortField::CreatedAt) => "c.created_at",
        Some(SortField::UpdatedAt) => "c.updated_at",
        Some(SortField::ClosedAt) => "c.closed_at",
        Some(SortField::Title) => "c.title COLLATE NOCASE",
        Some(SortField::Category) => "c.category COLLATE NOCASE",
        Some(SortField::Status) => "c.status",
        Some(SortField::Severity) => "c.severity",
    };
    // The id breaks ties the same way every time, so pages never repeat or skip a case.
    format!("{key} {dir}, c.id {dir}")
}

fn stats(conn: &Connection, c: &Compiled) -> Result<CaseStats> {
    let sql = format!(
        "{}SELECT c.status, count(*), avg(c.duration) FROM {} WHERE {} GROUP BY c.status",
        c.with,
        c.from,
        c.filters.join(" AND ")
    );
    let mut s = CaseStats::default();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(c.params.iter()))?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        match Status::from_db(r.get(0)?) {
            Status::Open => s.count_open_cases = n,
            Status::InProgress => s.count_in_progress_cases = n,
            Status::Closed => {
                s.count_closed_cases = n;
                s.mean_time_to_close = r.get(2)?;
            }
        }
    }
    Ok(s)
}

/// The page query without LIMIT/OFFSET, and its parameters.
fn page_sql(c: &Compiled, q: &FindQuery) -> (String, Vec<SqlValue>) {
    let mut filters = c.filters.clone();
    let mut params = c.params.clone();
    if !c.status.is_empty() {
        filters.push(format!("c.status IN ({})", placeholders(c.status.len())));
        params.extend(c.status.iter().map(|s| SqlValue::from(s.to_db())));
    }
    let sql = format!(
        "{}SELECT {CASE_COLUMNS} FROM {} WHERE {} ORDER BY {}",
        c.with,
        c.from,
        filters.join(" AND "),
        order_by(q, c.ranked)
    );
    (sql, params)
}

impl Casebook {
    /// A page of cases matching `q`, with the total and the per-status counts for the same
    /// filters (the counts ignore the status filter, as Kibana's do).
    pub fn find_cases(&self, q: &FindQuery) -> Result<FindResult> {
        let (page, per_page) = validate::paging(q.page, q.per_page, validate::MAX_CASES_PER_PAGE)?;
        self.read(|conn| {
            let c = compile(conn, q)?;
            let s = stats(conn, &c)?;
            let mut wanted = if c.status.is_empty() { Status::ALL.to_vec() } else { c.status.clone() };
            wanted.sort();
            wanted.dedup();
            let total = wanted
                .iter()
                .map(|st| match st {
                    Status::Open => s.count_open_cases,
                    Status::InProgress => s.count_in_progress_cases,
                    Status::Closed => s.count_closed_cases,
                })
                .sum();
            let (sql, mut params) = page_sql(&c, q);
            params.push(i64::from(per_page).into());
            params.push(((i64::from(page) - 1) * i64::from(per_page)).into());
            let mut stmt = conn.prepare_cached(&format!("{sql} LIMIT ? OFFSET ?"))?;
            let cases = stmt.query_map(params_from_iter(params.iter()), case_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(FindResult {
                cases,
                page,
                per_page,
                total,
                count_open_cases: s.count_open_cases,
                count_in_progress_cases: s.count_in_progress_cases,
                count_closed_cases: s.count_closed_cases,
                mean_time_to_close: s.mean_time_to_close,
            })
        })
    }

    /// The per-status counts and mean time to close for `q`'s filters (status, sort and page
    /// are ignored): the home page header.
    pub fn case_stats(&self, q: &FindQuery) -> Result<CaseStats> {
        self.read(|conn| stats(conn, &compile(conn, q)?))
    }

    /// The query plan of the page query, for benchmarks and tests of index use.
    #[doc(hidden)]
    pub fn explain_find(&self, q: &FindQuery) -> Result<Vec<String>> {
        self.read(|conn| {
            let (sql, params) = page_sql(&compile(conn, q)?, q);
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql} LIMIT 50"))?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
