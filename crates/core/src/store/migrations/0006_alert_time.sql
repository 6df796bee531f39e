-- Casebook schema 6: an alert's time is its @timestamp (when the alert was raised), kept apart
-- from the source event's time. Schema 3 kept one column, the event time else @timestamp, so
-- the same alert showed a different time from a CSV (no original_time column) than from NDJSON.

ALTER TABLE case_alerts ADD COLUMN alert_time INTEGER;  -- epoch ms: the alert's @timestamp

-- Rows attached before: @timestamp read again from the kept document (ISO 8601 or epoch ms, bare
-- or in the fields form's array). A time SQLite cannot read (Discover's "Jan 1, 2020 @ …", an
-- offset without a colon) falls back to the time the row had, so no alert is left without one.
UPDATE case_alerts SET
    alert_time = coalesce(
        (SELECT CASE
             WHEN typeof(v) IN ('integer', 'real') THEN CAST(v AS INTEGER)
             WHEN v GLOB '[0-9]*' AND NOT v GLOB '*[^0-9]*' THEN CAST(v AS INTEGER)
             ELSE CAST(round(unixepoch(v, 'subsec') * 1000) AS INTEGER)
         END
         FROM (SELECT coalesce(json_extract(document, '$."@timestamp"[0]'),
                               json_extract(document, '$."@timestamp"')) AS v)),
        original_time),
    original_time = CASE WHEN has_event_time THEN original_time END
FROM (SELECT id AS row_id,
             (json_type(document, '$."kibana.alert.original_time"') NOT IN ('null')
              OR json_type(document, '$.kibana.alert.original_time') NOT IN ('null')
              OR json_type(document, '$."signal.original_time"') NOT IN ('null')
              OR json_type(document, '$.signal.original_time') NOT IN ('null')) AS has_event_time
      FROM case_alerts)
WHERE case_alerts.id = row_id;

DROP INDEX case_alerts_by_rule;
DROP INDEX case_alerts_by_time;
CREATE INDEX case_alerts_by_rule ON case_alerts (case_id, rule_name, rule_id, alert_time DESC, id DESC);
CREATE INDEX case_alerts_by_time ON case_alerts (case_id, alert_time, id);

-- The stored rule groups were keyed by name and id and dated by the event time; they are
-- worked out again on the next read (and stored on the next attach or removal).
DELETE FROM case_alert_summary;
