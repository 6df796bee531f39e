-- Service-level targets per severity of each space (see model SlaTarget): a JSON list of
-- {severity, acknowledge_seconds, resolve_seconds}.
ALTER TABLE case_configure ADD COLUMN sla TEXT NOT NULL DEFAULT '[]';
