//! What a create or edit sends, checked field by field with Jira's own messages.

use serde_json::{Map, Value, json};

use super::*;

impl JiraState {
    /// Checks a create's or edit's `fields` as Jira would, gathering every error; on success the
    /// fields to store, normalised (labels sorted and deduplicated, references expanded).
    pub(super) fn check_fields(
        &self,
        fields: &Map<String, Value>,
        existing: Option<&StoredIssue>,
    ) -> Result<Map<String, Value>, Map<String, Value>> {
        let creating = existing.is_none();
        let base = &self.base_url;
        let mut errors = Map::new();
        let mut out = Map::new();
        let mut error = |field: &str, message: String| {
            errors.insert(field.to_string(), Value::String(message));
        };

        match fields.get("project") {
            Some(p) if !p.is_null() => {
                let key_or_id = p.get("key").or_else(|| p.get("id")).map(value_text).unwrap_or_default();
                if self.is_project(&key_or_id) {
                    out.insert("project".into(), self.project_json());
                } else {
                    error("project", "valid project is required".into());
                }
            }
            _ if creating => error("project", "valid project is required".into()),
            _ => {}
        }

        let mut issue_type = existing.and_then(|i| i.issue_type(self.types));
        let mut type_ok = true;
        match fields.get("issuetype") {
            Some(t) if !t.is_null() => {
                let id = t.get("id").map(value_text);
                let name = t.get("name").and_then(Value::as_str);
                let found = self.types.iter().find(|it| match (&id, name) {
                    (Some(id), _) => it.id == id,
                    (None, Some(name)) => it.name.eq_ignore_ascii_case(name),
                    (None, None) => false,
                });
                match (found, issue_type) {
                    (Some(new), Some(old)) if new.subtask != old.subtask => {
                        error("issuetype", "The issue type selected is invalid.".into());
                        type_ok = false;
                    }
                    (Some(new), _) => {
                        out.insert("issuetype".into(), issue_type_json(base, new));
                        issue_type = Some(new);
                    }
                    (None, _) => {
                        error("issuetype", "valid issue type is required".into());
                        type_ok = false;
                    }
                }
            }
            _ if creating => {
                error("issuetype", "valid issue type is required".into());
                type_ok = false;
            }
            _ => {}
        }

        match fields.get("summary") {
            Some(Value::String(s)) if s.trim().is_empty() => {
                error("summary", "You must specify a summary of the issue.".into())
            }
            Some(Value::String(s)) if s.contains(['\n', '\r']) => {
                error("summary", "The summary is invalid because it contains newline characters.".into())
            }
            Some(Value::String(s)) if s.chars().count() > 255 => {
                error("summary", "Summary must be less than 255 characters.".into())
            }
            Some(Value::String(s)) => {
                out.insert("summary".into(), json!(s));
            }
            Some(Value::Null) => error("summary", "You must specify a summary of the issue.".into()),
            Some(_) => error("summary", "Operation value must be a string".into()),
            None if creating => error("summary", "You must specify a summary of the issue.".into()),
            None => {}
        }

        match fields.get("description") {
            Some(v @ (Value::String(_) | Value::Null)) => {
                out.insert("description".into(), v.clone());
            }
            Some(_) => error("description", "Operation value must be a string".into()),
            None => {}
        }

        match fields.get("labels") {
            Some(Value::Array(items)) => {
                let mut labels = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(l) if l.chars().any(char::is_whitespace) => {
                            error("labels", format!("The label '{l}' contains spaces which is invalid."))
                        }
                        Some(l) if l.chars().count() > 255 => {
                            error("labels", format!("The label '{l}' exceeds the 255 character limit."))
                        }
                        Some("") => {}
                        Some(l) => labels.push(l.to_string()),
                        None => error("labels", "Operation value must be a string".into()),
                    }
                }
                labels.sort();
                labels.dedup();
                out.insert("labels".into(), json!(labels));
            }
            Some(Value::Null) => {
                out.insert("labels".into(), json!([]));
            }
            Some(_) => error("labels", "data was not an array".into()),
            None => {}
        }

        match fields.get("priority") {
            Some(Value::Object(p)) => {
                let found = match (p.get("name").and_then(Value::as_str), p.get("id").map(value_text)) {
                    (Some(name), _) => PRIORITIES
                        .iter()
                        .find(|(_, n)| *n == name)
                        .ok_or_else(|| format!("Priority name '{name}' is not valid")),
                    (None, Some(id)) => PRIORITIES
                        .iter()
                        .find(|(i, _)| *i == id)
                        .ok_or_else(|| "The priority selected is invalid.".into()),
                    (None, None) => Err("Could not find valid 'id' or 'name' in priority object.".into()),
                };
                match found {
                    Ok(p) => {
                        out.insert("priority".into(), priority_json(base, *p));
                    }
                    Err(message) => error("priority", message),
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => error("priority", "Could not find valid 'id' or 'name' in priority object.".into()),
        }

        let parent = fields.get("parent").filter(|p| !p.is_null());
        match (issue_type, parent) {
            (Some(t), Some(p)) if t.subtask => {
                let key_or_id = p.get("key").or_else(|| p.get("id")).map(value_text).unwrap_or_default();
                match self.find(&key_or_id).map(|i| &self.issues[i]) {
                    None => error("parent", "Could not find issue by id or key.".into()),
                    Some(found) if found.issue_type(self.types).is_some_and(|t| t.subtask) => {
                        error("parent", "Given parent issue does not belong to appropriate hierarchy.".into())
                    }
                    Some(found) => {
                        let link = json!({"id": found.id.to_string(), "key": found.key,
                            "self": format!("{base}/rest/api/2/issue/{}", found.id)});
                        out.insert("parent".into(), link);
                    }
                }
            }
            (Some(t), None) if t.subtask && creating => {
                error("parent", "Issue type is a sub-task but parent issue key or id not specified.".into())
            }
            (Some(_), Some(_)) if type_ok => {
                error("parent", "Given parent issue does not belong to appropriate hierarchy.".into())
            }
            _ => {}
        }

        const STANDARD: [&str; 7] = ["project", "issuetype", "summary", "description", "labels", "priority", "parent"];
        for (name, value) in fields {
            if STANDARD.contains(&name.as_str()) {
                continue;
            }
            if name.starts_with("customfield_") || OTHER_SETTABLE.contains(&name.as_str()) {
                out.insert(name.clone(), value.clone());
            } else {
                error(name, format!("Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."));
            }
        }

        if errors.is_empty() { Ok(out) } else { Err(errors) }
    }
}
