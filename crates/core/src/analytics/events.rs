//! The activity log read as the roll-ups count it, as SQL over any set of log records: the
//! whole log (to fill or rebuild the roll-ups) or the records of the cases a filter matches
//! (the trends of a filtered page). One definition of the rules the triggers of migration 12
//! apply record by record.

use rusqlite::Connection;

use crate::Result;

/// A status expression from a record's JSON payload: 0 open, 1 in progress, 2 closed.
const STATUS_OF_PAYLOAD: &str = "CASE json_extract(ua.payload, '$.status') \
    WHEN 'open' THEN 0 WHEN 'in-progress' THEN 1 WHEN 'closed' THEN 2 END";

/// One row per counted record of `source` (a table or subquery of `user_actions` rows): a
/// creation, a status change or a deletion, with the status before (`prev`, NULL on creation)
/// and after (`st`, NULL on deletion). A status record counts only when it moves the case away
/// from the status before it; records before a creation or after a deletion count for nothing.
/// Columns: id, case_uuid, space_id, day, type, prev, st.
pub(crate) fn status_events(source: &str) -> String {
    format!(
        "WITH ev AS (
            SELECT ua.id, ua.case_uuid, cs.space_id, ua.created_at / 86400000 AS day, ua.type,
                   CASE ua.type WHEN 'create_case' THEN 0 WHEN 'status' THEN {STATUS_OF_PAYLOAD} END AS st
            FROM {source} ua JOIN case_spaces cs ON cs.case_uuid = ua.case_uuid
            WHERE ua.type IN ('create_case', 'status', 'delete_case')
        ), seq AS (
            SELECT *, lag(st) OVER w AS prev, row_number() OVER w AS nth, sum(type = 'create_case') OVER w AS created,
                   sum(type = 'delete_case') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS gone
            FROM ev WHERE type <> 'status' OR st IS NOT NULL
            WINDOW w AS (PARTITION BY case_uuid ORDER BY id)
        )
        SELECT id, case_uuid, space_id, day, type, prev, st FROM seq
        WHERE coalesce(gone, 0) = 0 AND created >= 1
          AND ((type = 'create_case' AND nth = 1)
            OR (type = 'status' AND prev IS NOT NULL AND st <> prev)
            OR (type = 'delete_case' AND prev IS NOT NULL))"
    )
}

/// Alerts attached in `source`, one row per "add to case" record: case_uuid, space_id, day, alerts.
pub(crate) fn alert_events(source: &str) -> String {
    format!(
        "SELECT ua.case_uuid, cs.space_id, ua.created_at / 86400000 AS day,
                coalesce(json_extract(ua.payload, '$.total'), json_array_length(ua.payload, '$.comment.alertId'), 1) AS alerts
         FROM {source} ua JOIN case_spaces cs ON cs.case_uuid = ua.case_uuid
         WHERE ua.type = 'comment' AND ua.action = 'create' AND json_extract(ua.payload, '$.comment.type') = 'alert'"
    )
}

/// Per space and day: opened, closed, reopened, deleted, alerts and the backlog changes of the
/// records of `source`, grouped by `group` (`space_id, day` or `day`).
pub(crate) fn daily(source: &str, group: &str) -> String {
    format!(
        "SELECT {group}, sum(opened) AS opened, sum(closed) AS closed, sum(reopened) AS reopened,
                sum(deleted) AS deleted, sum(alerts) AS alerts, sum(d_open) AS d_open,
                sum(d_in_progress) AS d_in_progress, sum(d_closed) AS d_closed
         FROM (
            SELECT space_id, day, type = 'create_case' AS opened, type = 'status' AND st = 2 AS closed,
                   type = 'status' AND prev = 2 AS reopened, type = 'delete_case' AS deleted, 0 AS alerts,
                   coalesce(st = 0, 0) - coalesce(prev = 0, 0) AS d_open,
                   coalesce(st = 1, 0) - coalesce(prev = 1, 0) AS d_in_progress,
                   coalesce(st = 2, 0) - coalesce(prev = 2, 0) AS d_closed
            FROM ({status})
            UNION ALL
            SELECT space_id, day, 0, 0, 0, 0, alerts, 0, 0, 0 FROM ({alerts})
         )
         GROUP BY {group}",
        status = status_events(source),
        alerts = alert_events(source),
    )
}

/// Fills the (emptied) roll-ups and the case states from the whole log.
pub(crate) fn fill(c: &Connection) -> Result<()> {
    c.execute_batch("DELETE FROM analytics_daily; DELETE FROM analytics_case_state;")?;
    c.execute_batch(&format!(
        "INSERT INTO analytics_daily (space_id, day, opened, closed, reopened, deleted, alerts, d_open, d_in_progress, d_closed)
         {};
         INSERT INTO analytics_case_state (case_uuid, space_id, status)
         SELECT case_uuid, space_id, st FROM (
            SELECT case_uuid, space_id, st, row_number() OVER (PARTITION BY case_uuid ORDER BY id DESC) AS last
            FROM ({}))
         WHERE last = 1;
         UPDATE analytics_meta SET filled = 1;",
        daily("user_actions", "space_id, day"),
        status_events("user_actions"),
    ))?;
    Ok(())
}

/// Fills the roll-ups of a file just upgraded to schema 12 (its history predates the
/// triggers). In one IMMEDIATE transaction, so two processes opening it fill it once.
pub(crate) fn fill_if_needed(c: &Connection) -> Result<()> {
    let pending = || -> Result<bool> { Ok(c.query_row("SELECT filled = 0 FROM analytics_meta", [], |r| r.get(0))?) };
    if !pending()? {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(c, rusqlite::TransactionBehavior::Immediate)?;
    if pending()? {
        fill(&tx)?;
    }
    tx.commit()?;
    Ok(())
}
