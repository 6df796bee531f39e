-- A `pushed` activity record now says whether that push made the ticket (`created`), so the
-- feed words it ("pushed as new incident" / "updated incident") without reading every earlier
-- push. Records written before: the first push of a case to a connector made its ticket, as
-- Kibana decides. The log is append-only; this one-time backfill lifts the guard and puts it
-- back.
DROP TRIGGER user_actions_no_update;

UPDATE user_actions
SET payload = json_set(payload, '$.created', json(CASE WHEN id = (
        SELECT min(p.id) FROM user_actions p
        WHERE p.case_uuid = user_actions.case_uuid AND p.type = 'pushed'
          AND coalesce(json_extract(p.payload, '$.externalService.connector_id'), '')
            = coalesce(json_extract(user_actions.payload, '$.externalService.connector_id'), '')
    ) THEN 'true' ELSE 'false' END))
WHERE type = 'pushed' AND json_valid(payload) AND json_type(payload, '$.created') IS NULL;

CREATE TRIGGER user_actions_no_update BEFORE UPDATE ON user_actions
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
