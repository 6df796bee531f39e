-- Connector settings become one shape per system (connectors/<system>.rs): a ServiceNow
-- connector has no project key and signs in only with a password, a Jira one has no mode.
-- The keys that did not apply are dropped, so every stored config reads back strictly.
UPDATE connectors SET config = json_remove(config, '$.auth', '$.project_key') WHERE kind LIKE 'servicenow-%';
UPDATE connectors SET config = json_remove(config, '$.mode') WHERE kind = 'jira';
-- A Jira connector with a personal access token never had a user name; a ServiceNow one always did.
UPDATE connectors SET config = json_set(config, '$.username', '') WHERE kind LIKE 'servicenow-%'
    AND json_extract(config, '$.username') IS NULL;

-- Which systems exist is the Rust side's to say (connectors::spec): the CHECK that listed three
-- is loosened in place, as SQLite documents for dropping a CHECK constraint (rebuilding the
-- table would cascade-delete every push record that refers to it). `migrate` then bumps the
-- schema cookie, so every connection, this one included, parses the schema again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''jira'', ''servicenow-itsm'', ''servicenow-sir''))', 'CHECK (kind <> '''')')
 WHERE type = 'table' AND name = 'connectors';
PRAGMA writable_schema = OFF;
