//! Markdown comments on a case. Each has its own version; adding, editing or deleting one
//! updates the case's `updated_at`, comment count and search document, and logs the change.
//! The case's own `version` is not bumped: it guards the case fields, which comments leave alone.

use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

use crate::activity::record;
use crate::cases::{Loaded, load_by_uuid};
use crate::model::*;
use crate::row::{COMMENT_COLUMNS, comment_from_row, comment_from_row_at, json, ms, parse_version};
use crate::{Casebook, Error, Result, Tx, fts, validate};

fn load_comment(conn: &Connection, case_rowid: i64, comment_id: &str) -> Result<(i64, Comment)> {
    conn.prepare_cached(&format!(
        "SELECT m.id, {COMMENT_COLUMNS} FROM comments m JOIN cases c ON c.id = m.case_id WHERE m.uuid = ?1 AND m.case_id = ?2"
    ))?
    .query_row((comment_id.trim(), case_rowid), |r| Ok((r.get(0)?, comment_from_row_at(r, 1)?)))
    .optional()?
    .ok_or_else(|| Error::not_found("comment", comment_id))
}

/// The case's `updated_at`/`updated_by` and comment count follow its comments.
fn touch_case(tx: &Tx<'_>, case_rowid: i64, added: i64) -> Result<()> {
    crate::cases::touch(tx, case_rowid, crate::cases::Held::Comments { added })?;
    fts::reindex(tx, case_rowid)
}

fn comment_payload(c: &Comment) -> serde_json::Value {
    json!({ "comment": { "comment": c.comment, "type": "user", "owner": c.owner } })
}

impl Casebook {
    /// Adds a Markdown comment to a case.
    pub fn add_comment(&self, case_id: &str, body: &str) -> Result<Comment> {
        let body = validate::comment(body)?;
        let case_uuid = case_uuid(case_id)?;
        self.write(|tx| {
            let Loaded { rowid, case, .. } = load_by_uuid(tx, &case_uuid)?;
            let uuid = uuid::Uuid::new_v4().to_string();
            tx.prepare_cached(
                "INSERT INTO comments (uuid, case_id, body, owner, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((&uuid, rowid, &body, &case.owner, ms(tx.now), json(&tx.actor)))?;
            touch_case(tx, rowid, 1)?;
            let (_, comment) = load_comment(tx, rowid, &uuid)?;
            record(tx, &case_uuid, &case.owner, ActionVerb::Create, ActionType::Comment, comment_payload(&comment), Some(&uuid))?;
            Ok(comment)
        })
    }

    /// Replaces a comment's body. A stale `version` fails with `conflict` and changes nothing.
    pub fn edit_comment(&self, case_id: &str, comment_id: &str, version: &str, body: &str) -> Result<Comment> {
        let body = validate::comment(body)?;
        let given = parse_version("version", version)?;
        let case_uuid = case_uuid(case_id)?;
        self.write(|tx| {
            let Loaded { rowid, case, .. } = load_by_uuid(tx, &case_uuid)?;
            let (mrow, old) = load_comment(tx, rowid, comment_id)?;
            if old.version.parse::<i64>().ok() != Some(given) {
                return Err(Error::Conflict {
                    what: "comment",
                    id: old.id,
                    given: version.to_string(),
                    current: old.version,
                });
            }
            if old.comment == body {
                return Ok(old);
            }
            tx.prepare_cached(
                "UPDATE comments SET body = ?2, updated_at = ?3, updated_by = ?4, version = version + 1 WHERE id = ?1",
            )?
            .execute((mrow, &body, ms(tx.now), json(&tx.actor)))?;
            touch_case(tx, rowid, 0)?;
            let (_, comment) = load_comment(tx, rowid, &old.id)?;
            record(
                tx,
                &case_uuid,
                &case.owner,
                ActionVerb::Update,
                ActionType::Comment,
                comment_payload(&comment),
                Some(&old.id),
            )?;
            Ok(comment)
        })
    }

    /// Deletes a comment.
    pub fn delete_comment(&self, case_id: &str, comment_id: &str) -> Result<()> {
        let case_uuid = case_uuid(case_id)?;
        self.write(|tx| {
            let Loaded { rowid, case, .. } = load_by_uuid(tx, &case_uuid)?;
            let (mrow, old) = load_comment(tx, rowid, comment_id)?;
            tx.prepare_cached("DELETE FROM comments WHERE id = ?1")?.execute([mrow])?;
            touch_case(tx, rowid, -1)?;
            record(
                tx,
                &case_uuid,
                &case.owner,
                ActionVerb::Delete,
                ActionType::Comment,
                comment_payload(&old),
                Some(&old.id),
            )?;
            Ok(())
        })
    }

    /// One comment.
    pub fn get_comment(&self, case_id: &str, comment_id: &str) -> Result<Comment> {
        let case_uuid = case_uuid(case_id)?;
        self.read(|c| {
            let Loaded { rowid, .. } = load_by_uuid(c, &case_uuid)?;
            Ok(load_comment(c, rowid, comment_id)?.1)
        })
    }

    /// A case's comments in the order they were written (or newest first).
    pub fn list_comments(
        &self,
        case_id: &str,
        order: SortOrder,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Comment>, i64)> {
        let (page, per_page) = validate::paging(page, per_page, validate::MAX_CASES_PER_PAGE)?;
        let case_uuid = case_uuid(case_id)?;
        self.read(|c| {
            let Loaded { rowid, case, .. } = load_by_uuid(c, &case_uuid)?;
            let dir = match order {
                SortOrder::Asc => "ASC",
                SortOrder::Desc => "DESC",
            };
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COMMENT_COLUMNS} FROM comments m JOIN cases c ON c.id = m.case_id
                 WHERE m.case_id = ?1 ORDER BY m.created_at {dir}, m.id {dir} LIMIT ?2 OFFSET ?3"
            ))?;
            let rows = stmt
                .query_map((rowid, per_page, (page - 1) * per_page), comment_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((rows, case.total_comment))
        })
    }
}

fn case_uuid(id: &str) -> Result<String> {
    match id.parse::<CaseRef>()? {
        CaseRef::Id(u) => Ok(u),
        CaseRef::Number(_) => Err(Error::validation("case", format!("{id:?}: give the case id (UUID) here"))),
    }
}
