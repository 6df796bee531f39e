//! The append-only activity log (Kibana's user actions). Every mutation writes its record
//! through `record` inside the mutation's own transaction.

use rusqlite::OptionalExtension;
use serde_json::Value;

use crate::model::*;
use crate::row::{json, ms, time};
use crate::{Casebook, Result, Tx, validate};

/// Appends one record. Called only from inside a write transaction.
pub(crate) fn record(
    tx: &Tx<'_>,
    case_uuid: &str,
    owner: &str,
    action: ActionVerb,
    action_type: ActionType,
    payload: Value,
    comment_uuid: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO user_actions (uuid, case_uuid, action, type, payload, created_at, created_by, comment_uuid, owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute((
        uuid::Uuid::new_v4().to_string(),
        case_uuid,
        action.as_str(),
        action_type.as_str(),
        payload.to_string(),
        ms(tx.now),
        json(&tx.actor),
        comment_uuid,
        owner,
    ))?;
    Ok(())
}

impl Casebook {
    /// The activity of a case of `space`, filtered by type, oldest first unless asked
    /// otherwise. Works for deleted cases too: their history, ending in `delete_case`, is kept,
    /// and so is the space it belongs to; another space's case is not found.
    pub fn find_activity(&self, space: &str, case_id: &str, q: &ActivityQuery) -> Result<ActivityPage> {
        let (page, per_page) = validate::paging(
            q.page.unwrap_or(1),
            q.per_page.unwrap_or(validate::MAX_USER_ACTIONS_PER_PAGE),
            validate::MAX_USER_ACTIONS_PER_PAGE,
        )?;
        let case_uuid = match case_id.parse::<CaseRef>()? {
            CaseRef::Id(u) => u,
            CaseRef::Number(_) => {
                return Err(crate::Error::validation(
                    "case",
                    "give the case id (UUID); its history outlives its number",
                ));
            }
        };
        self.read(|c| {
            let sid = crate::spaces::space_id(c, space)?;
            let exists: bool =
                c.query_row("SELECT EXISTS (SELECT 1 FROM user_actions WHERE case_uuid = ?1)", [&case_uuid], |r| {
                    r.get(0)
                })?;
            // A case deleted before its space was recorded (migration 5) has no row: its
            // history is shown wherever it is asked for, as before.
            let owner_space: Option<i64> = c
                .query_row("SELECT space_id FROM case_spaces WHERE case_uuid = ?1", [&case_uuid], |r| r.get(0))
                .optional()?;
            if !exists || owner_space.is_some_and(|s| s != sid) {
                return Err(crate::Error::not_found("case", format!("{case_uuid} in space {space}")));
            }
            let types: Vec<&str> = q.types.iter().map(|t| t.as_str()).collect();
            let types_json = json(&types);
            let filter = "case_uuid = ?1 AND (?2 = '[]' OR type IN (SELECT value FROM json_each(?2)))";
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM user_actions WHERE {filter}"),
                (&case_uuid, &types_json),
                |r| r.get(0),
            )?;
            let order = match q.sort_order {
                SortOrder::Asc => "ASC",
                SortOrder::Desc => "DESC",
            };
            let sql = format!(
                "SELECT uuid, case_uuid, action, type, payload, created_at, created_by, comment_uuid, owner
                 FROM user_actions WHERE {filter} ORDER BY id {order} LIMIT ?3 OFFSET ?4"
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map((&case_uuid, &types_json, per_page, (page - 1) * per_page), |r| {
                let parse_err = |e: serde_json::Error| {
                    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
                };
                Ok(UserAction {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    action: serde_json::from_value(Value::String(r.get(2)?)).map_err(parse_err)?,
                    action_type: serde_json::from_value(Value::String(r.get(3)?)).map_err(parse_err)?,
                    payload: serde_json::from_str(&r.get::<_, String>(4)?).map_err(parse_err)?,
                    created_at: time(r.get(5)?),
                    created_by: serde_json::from_str(&r.get::<_, String>(6)?).map_err(parse_err)?,
                    comment_id: r.get(7)?,
                    owner: r.get(8)?,
                })
            })?;
            let user_actions = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ActivityPage { user_actions, page, per_page, total })
        })
    }
}
