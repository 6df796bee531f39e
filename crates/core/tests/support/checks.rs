//! What the parent knows was saved, and the checks against the file.

use std::collections::HashMap;
use std::path::Path;

use casebook_core::{Casebook, FindQuery, Status};

use super::SPACE;
use super::writer::Report;

#[derive(Debug)]
pub struct CaseFacts {
    pub token: String,
    pub writer: String,
    /// The version and status of the last reported save.
    pub version: i64,
    pub status: Status,
    pub comments: i64,
}

#[derive(Debug)]
pub struct CommentFacts {
    pub case: String,
    pub id: String,
    pub token: String,
}

#[derive(Default)]
pub struct Model {
    pub cases: HashMap<String, CaseFacts>,
    /// Case ids in report order.
    pub order: Vec<String>,
    pub comments: Vec<CommentFacts>,
    pub status_changes: usize,
    /// Every token written (case titles and comment bodies) and the case it belongs to.
    pub token_case: HashMap<String, String>,
}

impl Model {
    /// Applies a child's reports; returns the number of saves in them.
    pub fn apply(&mut self, writer: &str, reports: &[Report]) -> usize {
        let mut saves = 0;
        for r in reports {
            match r {
                Report::Ready | Report::Done { .. } => continue,
                Report::Case { id, token, version } => {
                    let facts = CaseFacts {
                        token: token.clone(),
                        writer: writer.to_string(),
                        version: *version,
                        status: Status::Open,
                        comments: 0,
                    };
                    assert!(self.cases.insert(id.clone(), facts).is_none(), "case {id} reported twice");
                    self.order.push(id.clone());
                    self.token_case.insert(token.clone(), id.clone());
                }
                Report::Comment { case, id, token } => {
                    self.cases.get_mut(case).unwrap_or_else(|| panic!("comment on unreported case {case}")).comments +=
                        1;
                    self.comments.push(CommentFacts { case: case.clone(), id: id.clone(), token: token.clone() });
                    self.token_case.insert(token.clone(), case.clone());
                }
                Report::Status { case, status, version } => {
                    let facts = self.cases.get_mut(case).unwrap_or_else(|| panic!("status of unreported case {case}"));
                    assert!(
                        *version > facts.version,
                        "case {case}: reported version went from {} to {version}",
                        facts.version
                    );
                    facts.version = *version;
                    facts.status = *status;
                    self.status_changes += 1;
                }
            }
            saves += 1;
        }
        saves
    }
}

pub fn query_i64(book: &Casebook, sql: &str) -> i64 {
    book.with_connection(|c| c.query_row(sql, [], |r| r.get::<_, i64>(0))).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The cases whose search document holds `token`, straight from the FTS5 index.
fn fts_hits(book: &Casebook, token: &str) -> Vec<String> {
    book.with_connection(|c| {
        // Two steps: joined to `cases`, the planner may run the MATCH once per case row.
        let rowids = c
            .prepare_cached("SELECT rowid & 4294967295 FROM cases_fts WHERE cases_fts MATCH ?1")?
            .query_map([format!("\"{token}\"")], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut uuid = c.prepare_cached("SELECT uuid FROM cases WHERE id = ?1")?;
        rowids
            .into_iter()
            .map(|id| uuid.query_row([id], |r| r.get::<_, String>(0)))
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .unwrap_or_else(|e| panic!("FTS5 lookup of {token:?}: {e}"))
}

/// The cases `find_cases` returns for a search for `token`.
fn find_by_token(book: &Casebook, token: &str) -> Vec<String> {
    let q = FindQuery { space: SPACE.into(), search: Some(token.to_string()), per_page: 10, ..Default::default() };
    let found = book.find_cases(&q).unwrap_or_else(|e| panic!("search {token:?}: {e}"));
    assert_eq!(found.total, found.cases.len() as i64, "search {token:?}: total and page disagree");
    found.cases.into_iter().map(|c| c.id).collect()
}

/// Structural checks that need no model: SQLite's own, the search index's, and the
/// invariants every write keeps in one transaction.
fn integrity_check(c: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare("PRAGMA integrity_check")?;
    stmt.query_map([], |r| r.get::<_, String>(0))?.collect()
}

pub fn check_structure(book: &Casebook, context: &str) {
    // SQLite 3.51's FTS5 integrity check (run by PRAGMA integrity_check) reads the index
    // structure a connection cached at its last FTS5 use without checking whether another
    // process has written since, and then reports merged-away segments as "corruption found
    // reading blob …". Any ordinary FTS5 statement refreshes that cache, so run one first.
    query_i64(book, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH 'refresh'");
    let integrity =
        book.with_connection(|c| integrity_check(c)).unwrap_or_else(|e| panic!("{context}: integrity_check: {e}"));
    if integrity != ["ok"] {
        // Tell a damaged file from a connection that misreads a sound one.
        let fresh = rusqlite::Connection::open(book.path()).and_then(|c| integrity_check(&c));
        panic!(
            "{context}: PRAGMA integrity_check on the checking connection: {integrity:?}; on a fresh connection: {fresh:?}"
        );
    }

    let fk_problems: i64 = book
        .with_connection(|c| {
            let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
            let n = stmt.query_map([], |_| Ok(()))?.count();
            Ok::<_, rusqlite::Error>(n as i64)
        })
        .unwrap_or_else(|e| panic!("{context}: foreign_key_check: {e}"));
    assert_eq!(fk_problems, 0, "{context}: PRAGMA foreign_key_check found rows");

    book.with_connection(|c| c.execute("INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 0)", []))
        .unwrap_or_else(|e| panic!("{context}: FTS5 integrity-check failed: {e}"));

    // One search document per case, under the rowid (space id << 32) | case id. (A rowid
    // lookup in a contentless FTS5 table scans the whole index, so compare the two sets.)
    let rowids = |sql: &str| -> Vec<i64> {
        let mut ids = book
            .with_connection(|c| {
                let mut stmt = c.prepare(sql)?;
                stmt.query_map([], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_else(|e| panic!("{context}: {sql}: {e}"));
        ids.sort_unstable();
        ids
    };
    let expected_docs = rowids("SELECT (space_id << 32) | id FROM cases");
    let docs = rowids("SELECT rowid FROM cases_fts");
    assert_eq!(docs.len(), expected_docs.len(), "{context}: one search document per case");
    assert!(docs == expected_docs, "{context}: search documents and cases disagree");

    let bad_counts = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE c.total_comment <> (SELECT count(*) FROM comments m WHERE m.case_id = c.id)",
    );
    assert_eq!(bad_counts, 0, "{context}: cases whose total_comment disagrees with their comments");
    let unlogged_cases = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE NOT EXISTS
            (SELECT 1 FROM user_actions a WHERE a.case_uuid = c.uuid AND a.type = 'create_case')",
    );
    assert_eq!(unlogged_cases, 0, "{context}: cases without their create_case activity");
    let unlogged_comments = query_i64(
        book,
        "SELECT count(*) FROM comments m WHERE NOT EXISTS (SELECT 1 FROM user_actions a WHERE a.comment_uuid = m.uuid)",
    );
    assert_eq!(unlogged_comments, 0, "{context}: comments without their activity");
    let unlogged_updates = query_i64(
        book,
        "SELECT count(*) FROM cases c WHERE c.version - 1 <>
            (SELECT count(*) FROM user_actions a WHERE a.case_uuid = c.uuid AND a.type = 'status')",
    );
    assert_eq!(unlogged_updates, 0, "{context}: status changes and their activity disagree");
}

/// Every reported save is in the file. `exact`: the writers ended normally, so the file must
/// hold exactly what they reported; otherwise each killed writer may have committed one save
/// it did not live to report (at most `max_unreported` in all).
/// `indexed`: tokens to look up in the search index; `searched`: the (few) tokens to search
/// for through `find_cases`, which costs a scan of the space per search.
pub fn check_model(
    book: &Casebook,
    model: &Model,
    indexed: &[&str],
    searched: &[&str],
    exact: bool,
    max_unreported: i64,
    context: &str,
) {
    for id in &model.order {
        let facts = &model.cases[id];
        let case = book.get_case(id).unwrap_or_else(|e| {
            panic!("{context}: case {id} ({}, by {}) was reported saved but is gone: {e}", facts.token, facts.writer)
        });
        assert!(
            case.title.contains(&facts.token),
            "{context}: case {id} has title {:?}, expected {}",
            case.title,
            facts.token
        );
        let version: i64 = case.version.parse().expect("numeric version");
        assert!(
            version >= facts.version,
            "{context}: case {id} ({}) is at version {version}, but version {} was reported saved",
            facts.token,
            facts.version
        );
        if version == facts.version {
            assert_eq!(case.status, facts.status, "{context}: case {id} ({}) lost its reported status", facts.token);
        }
        assert!(
            case.total_comment >= facts.comments,
            "{context}: case {id} ({}) has {} comments, {} were reported saved",
            facts.token,
            case.total_comment,
            facts.comments
        );
    }
    for c in &model.comments {
        let comment = book.get_comment(&c.case, &c.id).unwrap_or_else(|e| {
            panic!("{context}: comment {} ({}) on case {} was reported saved but is gone: {e}", c.id, c.token, c.case)
        });
        assert!(comment.comment.contains(&c.token), "{context}: comment {} has body {:?}", c.id, comment.comment);
    }
    // The search index finds what was saved, and only in the case it belongs to.
    for token in indexed {
        let expected = vec![model.token_case[*token].clone()];
        assert_eq!(fts_hits(book, token), expected, "{context}: the search index for {token:?}");
    }
    for token in searched {
        let expected = vec![model.token_case[*token].clone()];
        assert_eq!(find_by_token(book, token), expected, "{context}: find_cases searching {token:?}");
    }

    let db_cases = query_i64(book, "SELECT count(*) FROM cases");
    assert!(
        db_cases >= model.cases.len() as i64,
        "{context}: {db_cases} cases in the file, {} reported saved",
        model.cases.len()
    );
    // Every save is a new case, a version bump or a comment: count them on both sides.
    let saved =
        query_i64(book, "SELECT count(*) + coalesce(sum(version - 1), 0) + coalesce(sum(total_comment), 0) FROM cases");
    let reported: i64 = model.cases.values().map(|f| 1 + (f.version - 1) + f.comments).sum();
    let unreported = saved - reported;
    if exact {
        assert_eq!(unreported, 0, "{context}: the file holds saves nobody reported");
    } else {
        assert!(
            unreported <= max_unreported,
            "{context}: {unreported} saves in the file were never reported, but at most {max_unreported} writers were killed"
        );
    }
}

pub fn open_checked(db: &Path, context: &str) -> Casebook {
    Casebook::open(db).unwrap_or_else(|e| panic!("{context}: reopening after the kill failed: {e} ({})", e.code()))
}
