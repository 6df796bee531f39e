//! The Analytics page's case filters as SQL over `c`: `cases` or its narrow copy
//! `analytics_cases` (the columns they test are in both).

use rusqlite::{Connection, types::Value as SqlValue};

use crate::model::MetricsQuery;
use crate::spaces::space_id;
use crate::{Result, validate};

/// A compiled filter: a condition over `cases c` and its parameters.
pub(crate) struct CaseFilter {
    /// One space's row id; none: every space.
    space: Option<i64>,
    /// Conditions beyond the space, each with its parameters.
    conditions: Vec<String>,
    params: Vec<SqlValue>,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl CaseFilter {
    pub(crate) fn compile(c: &Connection, q: &MetricsQuery) -> Result<CaseFilter> {
        validate::filter_len("severity", &q.severity)?;
        validate::filter_len("tags", &q.tags)?;
        validate::filter_len("assignees", &q.assignees)?;
        validate::filter_len("status", &q.status)?;
        let space = q.space.as_deref().map(|s| space_id(c, s)).transpose()?;
        let mut conditions = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        if !q.severity.is_empty() {
            conditions.push(format!("c.severity IN ({})", placeholders(q.severity.len())));
            params.extend(q.severity.iter().map(|s| SqlValue::from(s.to_db())));
        }
        if !q.status.is_empty() {
            conditions.push(format!("c.status IN ({})", placeholders(q.status.len())));
            params.extend(q.status.iter().map(|s| SqlValue::from(s.to_db())));
        }
        if !q.tags.is_empty() {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag IN ({}))",
                placeholders(q.tags.len())
            ));
            params.extend(q.tags.iter().map(|t| SqlValue::from(t.trim().to_string())));
        }
        if !q.assignees.is_empty() {
            let named: Vec<&String> = q.assignees.iter().filter(|a| a.trim() != "none").collect();
            let mut any = Vec::new();
            if named.len() < q.assignees.len() {
                any.push("NOT EXISTS (SELECT 1 FROM case_assignees a0 WHERE a0.case_id = c.id)".to_string());
            }
            if !named.is_empty() {
                any.push(format!(
                    "EXISTS (SELECT 1 FROM case_assignees a WHERE a.case_id = c.id AND a.uid IN ({}))",
                    placeholders(named.len())
                ));
                params.extend(named.iter().map(|a| SqlValue::from(a.trim().to_string())));
            }
            conditions.push(format!("({})", any.join(" OR ")));
        }
        Ok(CaseFilter { space, conditions, params })
    }

    /// The one space asked about, or none for every space.
    pub(crate) fn space_id(&self) -> Option<i64> {
        self.space
    }

    /// Only a space (or none): the roll-ups can answer.
    pub(crate) fn is_space_only(&self) -> bool {
        self.conditions.is_empty()
    }

    /// The space condition on `column` (always true for every space).
    pub(crate) fn space_condition(&self, column: &str) -> String {
        match self.space {
            Some(_) => format!("{column} = ?"),
            None => "1".into(),
        }
    }

    pub(crate) fn space_params(&self) -> Vec<SqlValue> {
        self.space.map(SqlValue::from).into_iter().collect()
    }

    /// The whole condition over `cases c`; its parameters are `params()`.
    pub(crate) fn condition(&self) -> String {
        let mut all = vec![self.space_condition("c.space_id")];
        all.extend(self.conditions.iter().cloned());
        all.join(" AND ")
    }

    pub(crate) fn params(&self) -> Vec<SqlValue> {
        let mut p = self.space_params();
        p.extend(self.params.iter().cloned());
        p
    }
}
