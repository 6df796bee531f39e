//! `/search` and `/search/jql`: the query string or body, JQL evaluated on the project's
//! issues, ordering and paging as each flavour answers them.

use serde_json::{Value, json};

use super::jql::{Expr, JqlField, JqlOp, OrderField, parse_jql, text_term};
use super::*;

impl JiraState {
    pub(super) fn search(&self, req: &Request) -> Reply {
        let cloud = self.flavour == Flavour::Cloud;
        let params = match SearchParams::read(req) {
            Ok(params) => params,
            Err(reply) => return reply,
        };
        if cloud && params.jql.trim().is_empty() {
            return jira_error(
                400,
                &["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."],
            );
        }
        let jql = match parse_jql(&params.jql) {
            Ok(jql) => jql,
            Err(message) => return jira_error(400, &[&message]),
        };
        if let Some(expr) = &jql.expr {
            let mut problems = Vec::new();
            self.check_values(expr, &mut problems);
            if !problems.is_empty() {
                let problems: Vec<&str> = problems.iter().map(String::as_str).collect();
                return jira_error(400, &problems);
            }
        }
        let mut hits: Vec<&StoredIssue> =
            self.issues.iter().filter(|i| jql.expr.as_ref().is_none_or(|e| self.eval(e, i))).collect();
        let order = if jql.order.is_empty() { vec![(OrderField::Key, true)] } else { jql.order.clone() };
        hits.sort_by(|a, b| {
            order
                .iter()
                .map(|(field, desc)| {
                    let o = field.compare(a, b);
                    if *desc { o.reverse() } else { o }
                })
                .find(|o| o.is_ne())
                .unwrap_or_else(|| a.id.cmp(&b.id))
        });
        let total = hits.len();
        let start = params.start.min(total);
        let page: Vec<&StoredIssue> = hits.into_iter().skip(start).take(params.max_results).collect();
        let end = start + page.len();
        if cloud {
            let issues: Vec<Value> = match &params.fields {
                None => page.iter().map(|i| json!({"id": i.id.to_string()})).collect(),
                Some(list) => page.iter().map(|i| self.render(i, &FieldFilter::parse(list))).collect(),
            };
            let mut body = json!({"issues": issues, "isLast": end >= total});
            if end < total {
                body["nextPageToken"] = json!(end.to_string());
            }
            Reply::json(200, &body)
        } else {
            let filter = params.fields.as_deref().map(FieldFilter::parse).unwrap_or(FieldFilter::NAVIGABLE);
            let issues: Vec<Value> = page.iter().map(|i| self.render(i, &filter)).collect();
            Reply::json(
                200,
                &json!({"expand": "schema,names", "startAt": start, "maxResults": params.max_results,
                    "total": total, "issues": issues}),
            )
        }
    }

    /// Jira rejects values that name no project, issue type or issue.
    fn check_values(&self, expr: &Expr, problems: &mut Vec<String>) {
        match expr {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| self.check_values(p, problems)),
            Expr::Not(inner) => self.check_values(inner, problems),
            Expr::Clause(c) => {
                for v in &c.values {
                    let problem = match c.field {
                        JqlField::Project if !(self.is_project(v) || v.eq_ignore_ascii_case(&self.project_name())) => {
                            format!("The value '{v}' does not exist for the field 'project'.")
                        }
                        JqlField::IssueType
                            if !self.types.iter().any(|t| t.name.eq_ignore_ascii_case(v) || t.id == v) =>
                        {
                            format!("The value '{v}' does not exist for the field 'issuetype'.")
                        }
                        JqlField::Key if self.find(v).is_none() => {
                            format!("An issue with key '{v}' does not exist for field 'key'.")
                        }
                        _ => continue,
                    };
                    problems.push(problem);
                }
            }
        }
    }

    fn project_name(&self) -> String {
        format!("{} Security Operations", self.project_key)
    }

    fn eval(&self, expr: &Expr, issue: &StoredIssue) -> bool {
        match expr {
            Expr::And(parts) => parts.iter().all(|p| self.eval(p, issue)),
            Expr::Or(parts) => parts.iter().any(|p| self.eval(p, issue)),
            Expr::Not(inner) => !self.eval(inner, issue),
            Expr::Clause(c) => {
                let positive = matches!(c.op, JqlOp::Eq | JqlOp::In | JqlOp::Like);
                let any = |f: &dyn Fn(&str) -> bool| c.values.iter().any(|v| f(v));
                match c.field {
                    JqlField::Project => {
                        any(&|v| self.is_project(v) || v.eq_ignore_ascii_case(&self.project_name())) == positive
                    }
                    JqlField::Labels => {
                        let labels = issue.labels();
                        let hit = any(&|v| labels.contains(&v));
                        // As in Jira, `labels != x` does not match issues without labels.
                        if positive { hit } else { !labels.is_empty() && !hit }
                    }
                    JqlField::Summary => {
                        let summary = issue.text("summary").to_lowercase();
                        any(&|v| summary.contains(&text_term(v))) == positive
                    }
                    JqlField::IssueType => {
                        let t = issue.issue_type(self.types);
                        any(&|v| t.is_some_and(|t| t.name.eq_ignore_ascii_case(v) || t.id == v)) == positive
                    }
                    JqlField::Key => {
                        any(&|v| issue.key.eq_ignore_ascii_case(v) || issue.id.to_string() == v) == positive
                    }
                }
            }
        }
    }
}

/// The parameters of a search, from the query string (GET) or the body (POST).
struct SearchParams {
    jql: String,
    fields: Option<Vec<String>>,
    max_results: usize,
    /// DC `startAt`; on Cloud the offset carried by `nextPageToken`.
    start: usize,
}

impl SearchParams {
    fn read(req: &Request) -> Result<SearchParams, Reply> {
        let token = |t: &str| {
            t.parse::<usize>().map_err(|_| jira_error(400, &["The provided next page token is invalid or expired."]))
        };
        if req.method == "POST" {
            let body = parse_body(req)?;
            let number = |name: &str| match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_u64().map(|n| Some(n as usize)).ok_or_else(|| bad_number(name, &v.to_string())),
            };
            let fields = match body.get("fields") {
                Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).map(str::to_string).collect()),
                Some(Value::String(s)) => Some(s.split(',').map(str::to_string).collect()),
                _ => None,
            };
            let start = match body.get("nextPageToken").and_then(Value::as_str) {
                Some(t) => token(t)?,
                None => number("startAt")?.unwrap_or(0),
            };
            return Ok(SearchParams {
                jql: body.get("jql").and_then(Value::as_str).unwrap_or("").to_string(),
                fields,
                max_results: number("maxResults")?.unwrap_or(50),
                start,
            });
        }
        let pairs = req.query_pairs();
        let fields: Vec<String> = pairs
            .iter()
            .filter(|(n, _)| n == "fields")
            .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let start = match req.query_param("nextPageToken") {
            Some(t) => token(&t)?,
            None => number_param(req, "startAt")?.unwrap_or(0),
        };
        Ok(SearchParams {
            jql: req.query_param("jql").unwrap_or_default(),
            fields: pairs.iter().any(|(n, _)| n == "fields").then_some(fields),
            max_results: number_param(req, "maxResults")?.unwrap_or(50),
            start,
        })
    }
}
