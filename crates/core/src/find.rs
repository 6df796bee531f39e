//! The case list: filters → SQL, full-text ranking, sort, paging, and the status counts and
//! mean time to close for the same filters (Kibana's `_find` plus its metrics).
//!
//! Every sort has an index that starts `(space_id, sort key, id)`, so a page is read in
//! order from the index; filters on status and severity are answered from the same entries.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};

use crate::fts::{ParsedSearch, parse_search, space_range};
use crate::model::*;
use crate::row::{CASE_COLUMNS, case_from_row, ms};
use crate::spaces::space_id;
use crate::{Casebook, Error, Result, validate};

/// The full-text part of a query: a `hits(id, score)` CTE and its parameters.
struct Hits {
    /// Scores matches by bm25 (lower is better); `#N` hits score ahead of all text. Takes
    /// `ranked_params()`.
    ranked: String,
    /// The same matches with score 0: for counts and explicit sorts, where rank is not needed.
    plain: String,
    params: Vec<SqlValue>,
}

impl Hits {
    /// `params` with ?4, the number of newest matches to rank, in place.
    fn ranked_params(&self) -> Vec<SqlValue> {
        let mut p = self.params.clone();
        p.insert(3, SqlValue::from(RANKED_MATCHES as i64));
        p
    }
}

/// How the status counts of a query can be read.
enum Counts {
    /// Only the space: the per-space totals table.
    Space,
    /// Only tags or only named assignees (any of), and severities: those rows carry the
    /// case's status and duration.
    Facet { table: &'static str, column: &'static str, values: Vec<String>, severity: Vec<i64> },
    /// Only words to search for (no `#N`, no other filter): each match's row of `case_facts`,
    /// read by the match's rowid.
    Search(TextSearch),
    /// Anything else: count the matching cases.
    Scan,
}

/// A search for words alone in one space: the FTS5 expression and the space's rowid range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TextSearch {
    fts: String,
    lo: i64,
    hi: i64,
}

/// A query compiled to SQL pieces, shared by the page and the counts.
struct Compiled {
    space_id: i64,
    hits: Option<Hits>,
    /// Every condition on `cases c` except the status filter.
    filters: Vec<String>,
    params: Vec<SqlValue>,
    status: Vec<Status>,
    counts: Counts,
}

/// A search ranks by relevance its newest matches up to this many (all, when fewer match):
/// as many as paging can reach, so every page of a search comes from one ordering.
const RANKED_MATCHES: u64 = validate::MAX_DOCS_PER_PAGE;

/// The matches a search ranks: bm25 costs microseconds per match, so relevance is computed
/// among the newest ?4 matches only (rowids grow with creation); see RANKED_MATCHES. Counts cover
/// every match. ?1: the FTS5 expression; ?2 and ?3: the space's rowid range.
const RANKED_MATCHES_OF: &str = "FROM cases_fts WHERE cases_fts MATCH ?1 AND rowid BETWEEN \
     (SELECT coalesce(min(r), ?2) FROM (SELECT rowid AS r FROM cases_fts WHERE cases_fts MATCH ?1 \
     AND rowid BETWEEN ?2 AND ?3 ORDER BY rowid DESC LIMIT ?4)) AND ?3";

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// `now_ms`: the time an SLA filter measures against.
fn compile(conn: &Connection, q: &FindQuery, now_ms: i64) -> Result<Compiled> {
    validate::filter_len("status", &q.status)?;
    validate::filter_len("severity", &q.severity)?;
    validate::filter_len("tags", &q.tags)?;
    validate::filter_len("assignees", &q.assignees)?;
    validate::filter_len("reporters", &q.reporters)?;
    validate::filter_len("category", &q.category)?;
    validate::filter_len("custom_toggles", &q.custom_toggles)?;
    if let (Some(f), Some(t)) = (q.from, q.to)
        && f > t
    {
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
    let mut hits = None;
    let mut text = None;
    let searching = search.uuid.is_some() || search.fts.is_some() || !search.numbers.is_empty();
    if let Some(u) = search.uuid {
        filters.push("c.uuid = ?".into());
        params.push(u.into());
    } else if let Some(fts) = search.fts {
        // The rowid range keeps FTS5 inside the space's documents.
        let (lo, hi) = space_range(sid);
        let plain = "SELECT rowid & 4294967295 AS id, 0 AS score FROM cases_fts WHERE cases_fts MATCH ? AND rowid BETWEEN ? AND ?";
        let mut ranked = format!("SELECT rowid & 4294967295 AS id, rank AS score {RANKED_MATCHES_OF}");
        let mut plain = plain.to_string();
        if search.numbers.is_empty() {
            text = Some(TextSearch { fts: fts.clone(), lo, hi });
        }
        let mut hit_params: Vec<SqlValue> = vec![fts.into(), lo.into(), hi.into()];
        if !search.numbers.is_empty() {
            // `#N` named with words also hits, ahead of every text match.
            let with_numbers = |h: &str| {
                format!(
                    "SELECT id, min(score) AS score FROM ({h} UNION ALL SELECT case_id, -1e300 FROM case_numbers WHERE space_id = ? AND number IN ({})) GROUP BY id",
                    placeholders(search.numbers.len())
                )
            };
            (ranked, plain) = (with_numbers(&ranked), with_numbers(&plain));
            hit_params.push(sid.into());
            hit_params.extend(search.numbers.iter().map(|n| SqlValue::from(*n)));
        }
        hits = Some(Hits { ranked, plain, params: hit_params });
    } else if !search.numbers.is_empty() {
        filters.push(format!(
            "c.id IN (SELECT case_id FROM case_numbers WHERE space_id = c.space_id AND number IN ({}))",
            placeholders(search.numbers.len())
        ));
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
        // Case-insensitive, like the category sort, so the category index answers it.
        filters.push(format!("c.category COLLATE NOCASE IN ({})", placeholders(q.category.len())));
        params.extend(q.category.iter().map(|r| SqlValue::from(r.trim().to_string())));
    }
    if !q.custom_toggles.is_empty() {
        let defs = crate::settings::load(conn, &q.space)?.custom_fields;
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
        let test = if t.value {
            "json_extract(j.value, '$.value') = 1"
        } else {
            "coalesce(json_extract(j.value, '$.value'), 0) = 0"
        };
        filters.push(format!(
            "EXISTS (SELECT 1 FROM json_each(c.custom_fields) j WHERE json_extract(j.value, '$.key') = ? AND json_extract(j.value, '$.type') = 'toggle' AND {test})"
        ));
        params.push(t.key.clone().into());
    }
    let date = match q.date_field.unwrap_or_default() {
        DateField::CreatedAt => "c.created_at",
        // A case never updated has no update time: its last change is its creation (as Jira's
        // "updated" starts at "created"), so "updated this week" includes this week's new cases.
        DateField::UpdatedAt => "coalesce(c.updated_at, c.created_at)",
    };
    if let Some(f) = q.from {
        filters.push(format!("{date} >= ?"));
        params.push(ms(f).into());
    }
    if let Some(t) = q.to {
        filters.push(format!("{date} <= ?"));
        params.push(ms(t).into());
    }
    if let Some(which) = q.sla {
        let (cond, p) = crate::analytics::sla::condition(conn, sid, which, now_ms)?;
        filters.push(format!("({cond})"));
        params.extend(p);
    }
    let only_facets = !searching
        && q.sla.is_none()
        && q.reporters.is_empty()
        && q.category.is_empty()
        && q.custom_toggles.is_empty()
        && q.from.is_none()
        && q.to.is_none();
    let severity: Vec<i64> = q.severity.iter().map(|s| s.to_db()).collect();
    let trimmed = |v: &[String]| v.iter().map(|t| t.trim().to_string()).collect::<Vec<_>>();
    let named_assignees = !q.assignees.is_empty() && q.assignees.iter().all(|a| a.trim() != "none");
    // Words and nothing else: `filters` holds the space alone.
    let only_space = filters.len() == 1;
    let counts = match (text, only_facets, q.tags.is_empty(), q.assignees.is_empty()) {
        (Some(text), ..) if only_space => Counts::Search(text),
        (_, true, true, true) if severity.is_empty() => Counts::Space,
        (_, true, false, true) => {
            Counts::Facet { table: "case_tags", column: "tag", values: trimmed(&q.tags), severity }
        }
        (_, true, true, false) if named_assignees => {
            Counts::Facet { table: "case_assignees", column: "uid", values: trimmed(&q.assignees), severity }
        }
        _ => Counts::Scan,
    };
    Ok(Compiled { space_id: sid, hits, filters, params, status: q.status.clone(), counts })
}

/// Relevance is the default order of a search; otherwise the sort field, then the id.
fn ranked(c: &Compiled, q: &FindQuery) -> bool {
    c.hits.is_some() && q.sort_field.is_none()
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

/// The matches of a search in a rowid range (?1 the FTS5 expression, ?2 and ?3 the range), each
/// with its case's status and duration. CROSS JOIN: the matches drive the join, one `case_facts`
/// row read per match by its rowid (which is also what ties the match to a case of the space).
const SEARCH_FACTS: &str =
    "cases_fts h CROSS JOIN case_facts c ON c.doc = h.rowid WHERE cases_fts MATCH ?1 AND h.rowid BETWEEN ?2 AND ?3";

/// Counts per status and the duration sum of some matches of a search: the two connections of
/// `find_cases` each count some ranges of a large search, and the sums add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    open: i64,
    in_progress: i64,
    closed: i64,
    duration_sum: i64,
    duration_n: i64,
}

impl Tally {
    /// `None` when the durations add up past an i64 (then SQLite's `avg` sums in floating
    /// point, and only it gives the same mean).
    fn add(self, o: Tally) -> Option<Tally> {
        Some(Tally {
            open: self.open + o.open,
            in_progress: self.in_progress + o.in_progress,
            closed: self.closed + o.closed,
            duration_sum: self.duration_sum.checked_add(o.duration_sum)?,
            duration_n: self.duration_n + o.duration_n,
        })
    }

    fn cases(&self) -> i64 {
        self.open + self.in_progress + self.closed
    }

    /// The mean is the one SQLite's `avg` gives over integers that do not overflow: their exact
    /// sum, as a double, divided by their number.
    fn stats(self) -> CaseStats {
        CaseStats {
            count_open_cases: self.open,
            count_in_progress_cases: self.in_progress,
            count_closed_cases: self.closed,
            mean_time_to_close: (self.duration_n > 0).then(|| self.duration_sum as f64 / self.duration_n as f64),
        }
    }
}

/// The matches of `s` with a rowid in `lo..=hi`, counted. `None` when their durations add up
/// past an i64 (SQLite's `sum` refuses to go on).
fn tally(conn: &Connection, s: &TextSearch, lo: i64, hi: i64) -> Result<Option<Tally>> {
    let sql = format!(
        "SELECT count(*) FILTER (WHERE status = 0), count(*) FILTER (WHERE status = 1), \
         count(*) FILTER (WHERE status = 2), coalesce(sum(duration), 0), count(duration) FROM {SEARCH_FACTS}"
    );
    let row = conn.prepare_cached(&sql)?.query_row((&s.fts, lo, hi), |r| {
        Ok(Tally {
            open: r.get(0)?,
            in_progress: r.get(1)?,
            closed: r.get(2)?,
            duration_sum: r.get(3)?,
            duration_n: r.get(4)?,
        })
    });
    match row {
        Ok(t) => Ok(Some(t)),
        Err(rusqlite::Error::SqliteFailure(_, Some(msg))) if msg == "integer overflow" => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A large search's counts are cut into this many ranges of case ids...
const COUNT_RANGES: i64 = 16;
/// ...and shared between the two connections of `find_cases` when the newest range holds
/// matches enough for about this many in all: below, counting them costs less than the page
/// (which ranks up to `RANKED_MATCHES`), so the page's connection would have nothing to take.
const SHARED_COUNTS_FROM: i64 = 20_000;

/// The ranges of a search's counts that are left, for either connection to take one at a time.
struct Share {
    search: TextSearch,
    ranges: Vec<(i64, i64)>,
    next: AtomicUsize,
}

impl Share {
    /// Counts ranges until none is left. `None`: a duration sum overflowed.
    fn count(&self, conn: &Connection) -> Result<Option<(Tally, usize)>> {
        let (mut sum, mut taken) = (Tally::default(), 0);
        // SeqCst: a connection that finds no range left comes after every range taken (see
        // `find_cases` for why that matters).
        while let Some(&(lo, hi)) = self.ranges.get(self.next.fetch_add(1, Ordering::SeqCst)) {
            taken += 1;
            let Some(t) = tally(conn, &self.search, lo, hi)? else { return Ok(None) };
            let Some(s) = sum.add(t) else { return Ok(None) };
            sum = s;
        }
        Ok(Some((sum, taken)))
    }
}

/// What the counts connection of `find_cases` came back with.
enum Counted {
    /// The whole counts.
    Whole(CaseStats),
    /// A search's tally, of every range but those the page's connection took; and the file's
    /// `data_version` when the ranges were put up for sharing.
    Shared(Tally, i64),
    /// A duration sum overflowed: count again in one statement.
    Overflow,
}

/// The counts of `q` for `find_cases`: a large search's are shared through `share`.
fn find_counts(
    conn: &Connection,
    q: &FindQuery,
    now_ms: i64,
    share: &OnceLock<Share>,
    shared_from: i64,
) -> Result<Counted> {
    let c = compile(conn, q, now_ms)?;
    let Counts::Search(s) = &c.counts else { return Ok(Counted::Whole(stats(conn, &c)?)) };
    // Ranges of case ids, newest first; the last (oldest) one starts at the range's start.
    let max_id: i64 = conn.prepare_cached("SELECT coalesce(max(id), 0) FROM cases")?.query_row([], |r| r.get(0))?;
    let cut = |i: i64| s.lo + (max_id + 1) * i / COUNT_RANGES;
    let mut ranges: Vec<(i64, i64)> =
        (0..COUNT_RANGES).rev().map(|i| (cut(i), if i + 1 == COUNT_RANGES { s.hi } else { cut(i + 1) - 1 })).collect();
    let first = ranges.remove(0);
    let Some(newest) = tally(conn, s, first.0, first.1)? else { return Ok(Counted::Overflow) };
    if newest.cases() * COUNT_RANGES < shared_from {
        let Some(t) = tally(conn, s, s.lo, first.0 - 1)?.and_then(|t| t.add(newest)) else {
            return Ok(Counted::Overflow);
        };
        return Ok(Counted::Whole(t.stats()));
    }
    let version = data_version(conn)?;
    let share = share.get_or_init(|| Share { search: s.clone(), ranges, next: AtomicUsize::new(0) });
    match share.count(conn)? {
        Some((t, _)) => Ok(t.add(newest).map_or(Counted::Overflow, |t| Counted::Shared(t, version))),
        None => Ok(Counted::Overflow),
    }
}

/// `PRAGMA data_version`: inside a read transaction, the version of its snapshot; after it, the
/// newest. It changes when another connection commits.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// Counts per status (open, in progress, closed) and the mean duration of the closed ones.
fn stats(conn: &Connection, c: &Compiled) -> Result<CaseStats> {
    const PER_STATUS: &str = "count(*) FILTER (WHERE status = 0), count(*) FILTER (WHERE status = 1), \
        count(*) FILTER (WHERE status = 2), avg(duration)";
    let (sql, params): (String, Vec<SqlValue>) = match &c.counts {
        Counts::Space => {
            let mut s = CaseStats::default();
            let mut stmt = conn.prepare_cached(
                "SELECT status, cases, CASE WHEN duration_n > 0 THEN CAST(duration_sum AS REAL) / duration_n END
                 FROM case_status_totals WHERE space_id = ?1",
            )?;
            let mut rows = stmt.query([c.space_id])?;
            while let Some(r) = rows.next()? {
                let n: i64 = r.get(1)?;
                match Status::from_db(r.get(0)?) {
                    Status::Open => s.count_open_cases = n,
                    Status::InProgress => s.count_in_progress_cases = n,
                    Status::Closed => (s.count_closed_cases, s.mean_time_to_close) = (n, r.get(2)?),
                }
            }
            return Ok(s);
        }
        // One tag or assignee: its kept totals (see migration 8), a few rows whatever its size.
        Counts::Facet { table, values, severity, .. } if values.len() == 1 => {
            let facet = if *table == "case_tags" { "tag" } else { "assignee" };
            let mut cond = "facet = ? AND value = ? AND space_id = ?".to_string();
            let mut params: Vec<SqlValue> = vec![facet.to_string().into(), values[0].clone().into(), c.space_id.into()];
            if !severity.is_empty() {
                cond.push_str(&format!(" AND severity IN ({})", placeholders(severity.len())));
                params.extend(severity.iter().map(|s| SqlValue::from(*s)));
            }
            (
                format!(
                    "SELECT sum(cases) FILTER (WHERE status = 0), sum(cases) FILTER (WHERE status = 1), \
                     sum(cases) FILTER (WHERE status = 2), \
                     CAST(sum(duration_sum) AS REAL) / nullif(sum(duration_n), 0) \
                     FROM facet_totals WHERE {cond}"
                ),
                params,
            )
        }
        Counts::Facet { table, column, values, severity } => {
            let mut cond = format!("{column} IN ({}) AND space_id = ?", placeholders(values.len()));
            let mut params: Vec<SqlValue> = values.iter().map(|t| SqlValue::from(t.clone())).collect();
            params.push(c.space_id.into());
            if !severity.is_empty() {
                cond.push_str(&format!(" AND severity IN ({})", placeholders(severity.len())));
                params.extend(severity.iter().map(|s| SqlValue::from(*s)));
            }
            // A case with two of the values counts once.
            let from = if values.len() == 1 {
                format!("{table} WHERE {cond}")
            } else {
                format!("(SELECT DISTINCT case_id, status, duration FROM {table} WHERE {cond})")
            };
            (format!("SELECT {PER_STATUS} FROM {from}"), params)
        }
        // The whole range at once; `find_cases` may share it out (see `Share`).
        Counts::Search(s) => {
            (format!("SELECT {PER_STATUS} FROM {SEARCH_FACTS}"), vec![s.fts.clone().into(), s.lo.into(), s.hi.into()])
        }
        Counts::Scan => {
            let filters = c.filters.join(" AND ");
            match &c.hits {
                None => (format!("SELECT {PER_STATUS} FROM cases c WHERE {filters}"), c.params.clone()),
                Some(h) => {
                    let mut params = h.params.clone();
                    params.extend(c.params.iter().cloned());
                    // CROSS JOIN: the matches drive the join (see page_sql).
                    (
                        format!(
                            "WITH hits(id, score) AS ({}) SELECT {PER_STATUS} FROM hits h CROSS JOIN cases c ON c.id = h.id WHERE {filters}",
                            h.plain
                        ),
                        params,
                    )
                }
            }
        }
    };
    let row = conn.prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |r| {
        // A sum over no rows is NULL: no case.
        Ok(CaseStats {
            count_open_cases: r.get::<_, Option<i64>>(0)?.unwrap_or(0),
            count_in_progress_cases: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            count_closed_cases: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            mean_time_to_close: r.get(3)?,
        })
    })?;
    Ok(row)
}

/// Cases per severity under `c`'s filters and status filter.
fn severity_counts(conn: &Connection, c: &Compiled) -> Result<SeverityCounts> {
    let status_in = |column: &str| {
        if c.status.is_empty() { String::new() } else { format!(" AND {column} IN ({})", placeholders(c.status.len())) }
    };
    let statuses = c.status.iter().map(|s| SqlValue::from(s.to_db()));
    let (sql, params): (String, Vec<SqlValue>) = match (&c.counts, &c.hits) {
        // One tag or assignee: its kept totals, a few rows whatever its size (see `stats`).
        (Counts::Facet { table, values, .. }, _) if values.len() == 1 => {
            let facet = if *table == "case_tags" { "tag" } else { "assignee" };
            let mut params: Vec<SqlValue> = vec![facet.to_string().into(), values[0].clone().into(), c.space_id.into()];
            params.extend(statuses);
            (
                format!(
                    "SELECT severity, sum(cases) FROM facet_totals WHERE facet = ? AND value = ? AND space_id = ?{} \
                     GROUP BY severity",
                    status_in("status")
                ),
                params,
            )
        }
        (_, None) => {
            let mut params = c.params.clone();
            params.extend(statuses);
            (
                format!(
                    "SELECT c.severity, count(*) FROM cases c WHERE {}{} GROUP BY c.severity",
                    c.filters.join(" AND "),
                    status_in("c.status")
                ),
                params,
            )
        }
        // CROSS JOIN: the matches drive the join (see page_sql).
        (_, Some(h)) => {
            let mut params = h.params.clone();
            params.extend(c.params.iter().cloned());
            params.extend(statuses);
            (
                format!(
                    "WITH hits(id, score) AS ({}) SELECT c.severity, count(*) FROM hits h CROSS JOIN cases c ON c.id = h.id \
                     WHERE {}{} GROUP BY c.severity",
                    h.plain,
                    c.filters.join(" AND "),
                    status_in("c.status")
                ),
                params,
            )
        }
    };
    let mut out = SeverityCounts::default();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        match Severity::from_db(r.get(0)?) {
            Severity::Low => out.low = n,
            Severity::Medium => out.medium = n,
            Severity::High => out.high = n,
            Severity::Critical => out.critical = n,
        }
    }
    Ok(out)
}

/// The page query (ending in `LIMIT ? OFFSET ?`) and its parameters, limit and offset excluded.
fn page_sql(c: &Compiled, q: &FindQuery) -> (String, Vec<SqlValue>) {
    let mut filters = c.filters.clone();
    let mut params = c.params.clone();
    if !c.status.is_empty() {
        filters.push(format!("c.status IN ({})", placeholders(c.status.len())));
        params.extend(c.status.iter().map(|s| SqlValue::from(s.to_db())));
    }
    let filters = filters.join(" AND ");
    let ranked = ranked(c, q);
    let order = order_by(q, ranked);
    match &c.hits {
        // Walk the sort index and stop after the page.
        None => {
            (format!("SELECT {CASE_COLUMNS} FROM cases c WHERE {filters} ORDER BY {order} LIMIT ? OFFSET ?"), params)
        }
        // Words alone, by relevance: the ranked matches are checked against `case_facts` (read by
        // the match's rowid, which ties it to a case of the space) rather than the cases' index.
        Some(h) if ranked && matches!(c.counts, Counts::Search(_)) => {
            let mut all = h.ranked_params();
            let status = if c.status.is_empty() {
                String::new()
            } else {
                all.extend(c.status.iter().map(|s| SqlValue::from(s.to_db())));
                format!("WHERE c.status IN ({})", placeholders(c.status.len()))
            };
            let sql = format!(
                "WITH hits(doc, id, score) AS (SELECT rowid, rowid & 4294967295, rank {RANKED_MATCHES_OF}), \
                 page(id, score) AS (SELECT h.id, h.score FROM hits h CROSS JOIN case_facts c ON c.doc = h.doc \
                 {status} ORDER BY h.score ASC, h.id DESC LIMIT ? OFFSET ?) \
                 SELECT {CASE_COLUMNS} FROM page h JOIN cases c ON c.id = h.id ORDER BY {order}"
            );
            (sql, all)
        }
        // Pick the page's ids from the hits first, then read only those rows. CROSS JOIN keeps
        // the search as the outer loop (else the planner may re-run the match once per case).
        Some(h) => {
            let mut all = if ranked { h.ranked_params() } else { h.params.clone() };
            all.extend(params);
            let sql = format!(
                "WITH hits(id, score) AS ({}), page(id, score) AS (SELECT h.id, h.score FROM hits h CROSS JOIN cases c ON c.id = h.id \
                 WHERE {filters} ORDER BY {order} LIMIT ? OFFSET ?) \
                 SELECT {CASE_COLUMNS} FROM page h JOIN cases c ON c.id = h.id ORDER BY {order}",
                if ranked { &h.ranked } else { &h.plain }
            );
            (sql, all)
        }
    }
}

/// The row ids of the cases matching `q` (status filter included; sort and page ignored) in
/// `(after, up_to]`, in id order, at most `limit`: the keyset pages of a bulk change. Id order
/// rather than the list's sort, so a case the change moves in the list is neither met twice
/// nor missed.
pub(crate) fn matching_ids(
    conn: &Connection,
    q: &FindQuery,
    now_ms: i64,
    after: i64,
    up_to: i64,
    limit: u32,
) -> Result<Vec<i64>> {
    let c = compile(conn, q, now_ms)?;
    let mut filters = c.filters.clone();
    let mut params = c.params.clone();
    if !c.status.is_empty() {
        filters.push(format!("c.status IN ({})", placeholders(c.status.len())));
        params.extend(c.status.iter().map(|s| SqlValue::from(s.to_db())));
    }
    filters.push("c.id > ? AND c.id <= ?".into());
    params.extend([SqlValue::from(after), SqlValue::from(up_to)]);
    let filters = filters.join(" AND ");
    let (sql, mut all) = match &c.hits {
        None => (format!("SELECT c.id FROM cases c WHERE {filters} ORDER BY c.id LIMIT ?"), params),
        // CROSS JOIN: the matches drive the join (see page_sql). Only the matches in the batch's
        // id range are read (?2 and ?3 of the hits: the space's document range).
        Some(h) => {
            let mut all = h.params.clone();
            all[1] = crate::fts::doc_id(c.space_id, after.saturating_add(1)).into();
            all[2] = crate::fts::doc_id(c.space_id, up_to).into();
            all.extend(params);
            (
                format!(
                    "WITH hits(id, score) AS ({}) SELECT c.id FROM hits h CROSS JOIN cases c ON c.id = h.id \
                     WHERE {filters} ORDER BY c.id LIMIT ?",
                    h.plain
                ),
                all,
            )
        }
    };
    all.push(i64::from(limit).into());
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(all.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// How many cases match `q`, status filter included (the `total` of `find_cases`).
pub(crate) fn count_matching(conn: &Connection, q: &FindQuery, now_ms: i64) -> Result<i64> {
    Ok(total_of(&stats(conn, &compile(conn, q, now_ms)?)?, &q.status))
}

/// The cases of the statuses asked for (all when none is), from the per-status counts.
fn total_of(s: &CaseStats, status: &[Status]) -> i64 {
    let mut wanted = if status.is_empty() { Status::ALL.to_vec() } else { status.to_vec() };
    wanted.sort();
    wanted.dedup();
    wanted
        .iter()
        .map(|st| match st {
            Status::Open => s.count_open_cases,
            Status::InProgress => s.count_in_progress_cases,
            Status::Closed => s.count_closed_cases,
        })
        .sum()
}

impl Casebook {
    /// A page of cases matching `q`, with the total and the per-status counts for the same
    /// filters (the counts ignore the status filter, as Kibana's do).
    ///
    /// The counts run on a second read connection while this one reads the page. A search
    /// with many matches counts them in ranges (see `find_counts`): once its page is read, this
    /// connection takes ranges too, so both cores count. The two connections may see
    /// different snapshots when another connection commits in between: each reads
    /// `PRAGMA data_version` in its transaction and again after it, and if either changed,
    /// the two shares are not added up but counted again on one connection. (If neither
    /// changed, no commit happened from the earlier snapshot until after the later one was
    /// taken: this one's is taken before it takes a range, which the counts connection put up
    /// after taking its own; and the counts connection checks only after finding no range
    /// left, so after this one took its last.)
    pub fn find_cases(&self, q: &FindQuery) -> Result<FindResult> {
        self.find_sharing_from(q, SHARED_COUNTS_FROM)
    }

    /// [`Casebook::find_cases`], with a search's counts shared between the two connections
    /// whatever its number of matches: for tests of the sharing.
    #[doc(hidden)]
    pub fn find_cases_sharing_counts(&self, q: &FindQuery) -> Result<FindResult> {
        self.find_sharing_from(q, 0)
    }

    fn find_sharing_from(&self, q: &FindQuery, shared_from: i64) -> Result<FindResult> {
        let (page, per_page) = validate::paging(q.page, q.per_page, validate::MAX_CASES_PER_PAGE)?;
        let now_ms = ms(self.now());
        let share = OnceLock::new();
        let (cases, counted) = std::thread::scope(|scope| {
            let counts = scope.spawn(|| {
                self.read_then(
                    |conn| find_counts(conn, q, now_ms, &share, shared_from),
                    |conn, counted| match counted {
                        Counted::Shared(t, version) => {
                            Ok((Counted::Shared(t, version), data_version(conn)? == version))
                        }
                        other => Ok((other, true)),
                    },
                )
            });
            let cases = self.read_then(
                |conn| {
                    let c = compile(conn, q, now_ms)?;
                    let (sql, mut params) = page_sql(&c, q);
                    params.push(i64::from(per_page).into());
                    params.push(((i64::from(page) - 1) * i64::from(per_page)).into());
                    let mut stmt = conn.prepare_cached(&sql)?;
                    let cases = stmt
                        .query_map(params_from_iter(params.iter()), case_from_row)?
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    // Help with the counts, if they are shared and not all taken yet.
                    let help = match share.get() {
                        Some(share) => match share.count(conn)? {
                            Some((_, 0)) => None,
                            Some((t, _)) => Some((Some(t), data_version(conn)?)),
                            None => Some((None, data_version(conn)?)),
                        },
                        None => None,
                    };
                    Ok((cases, help))
                },
                |conn, (cases, help)| match help {
                    Some((t, version)) => Ok((cases, Some((t, data_version(conn)? == version)))),
                    None => Ok((cases, None)),
                },
            );
            let counts = counts.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (cases, counts)
        });
        // The page's error first: it is the one a bad query reports either way.
        let ((cases, help), (counted, unchanged)) = (cases?, counted?);
        let s = match (counted, help) {
            (Counted::Whole(s), _) => s,
            // The page's connection took no range.
            (Counted::Shared(t, _), None) => t.stats(),
            (Counted::Shared(t, _), Some((Some(h), true))) if unchanged => match t.add(h) {
                Some(t) => t.stats(),
                None => self.case_stats(q)?,
            },
            // A commit came between the two snapshots, or a duration sum overflowed.
            _ => self.case_stats(q)?,
        };
        let total = total_of(&s, &q.status);
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
    }

    /// The per-status counts and mean time to close for `q`'s filters (status, sort and page
    /// are ignored): the home page header.
    pub fn case_stats(&self, q: &FindQuery) -> Result<CaseStats> {
        let now_ms = ms(self.now());
        self.read(|conn| stats(conn, &compile(conn, q, now_ms)?))
    }

    /// How many cases of each severity match `q`, its severity filter aside (its status filter
    /// applies; sort and page are ignored): the counts beside the list's severity filter.
    pub fn severity_counts(&self, q: &FindQuery) -> Result<SeverityCounts> {
        let q = FindQuery { severity: vec![], ..q.clone() };
        let now_ms = ms(self.now());
        self.read(|conn| severity_counts(conn, &compile(conn, &q, now_ms)?))
    }

    /// The query plan of the page query, for benchmarks and tests of index use.
    #[doc(hidden)]
    pub fn explain_find(&self, q: &FindQuery) -> Result<Vec<String>> {
        self.read(|conn| {
            let (sql, mut params) = page_sql(&compile(conn, q, ms(self.now()))?, q);
            params.push(50.into());
            params.push(0.into());
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = stmt
                .query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
