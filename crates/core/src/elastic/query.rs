//! The alert search and status-update request bodies, and the parsing of their answers. Pure
//! functions: the client in `client.rs` sends them.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use crate::{Error, Result};

/// Page size when the query names none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Largest page size accepted.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Most alert ids sent in one `_update_by_query`.
pub const MAX_IDS_PER_UPDATE: usize = 1000;
/// `kibana.alert.severity` values.
pub const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
/// `kibana.alert.workflow_status` values.
pub const WORKFLOW_STATUSES: &[&str] = &["open", "acknowledged", "closed"];

/// Sets the triage status as Kibana does. Alerts written before 8.0 (`.siem-signals-*`, still
/// behind the alerts alias) keep it in `signal.status`, and on them the `kibana.alert.*` names
/// are field aliases, which a write would fail on: hence the guards.
pub(crate) const STATUS_SCRIPT: &str = "\
if (ctx._source['kibana.alert.workflow_status'] != null) {
  ctx._source['kibana.alert.workflow_status'] = params.status;
  ctx._source['kibana.alert.workflow_status_updated_at'] = params.now;
}
if (ctx._source.signal != null && ctx._source.signal.status != null) {
  ctx._source.signal.status = params.status;
}";

/// Filters and page of an alert search. Blank strings count as "not given".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(optional_fields)]
pub struct AlertQuery {
    /// `@timestamp` at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// `@timestamp` at or before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Exact `kibana.alert.rule.name`.
    pub rule: Option<String>,
    /// Exact `host.name`.
    pub host: Option<String>,
    /// Exact `user.name`.
    pub user: Option<String>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: Option<String>,
    /// `open`, `acknowledged` or `closed`.
    pub workflow_status: Option<String>,
    /// 1 to 1000; 100 when not given.
    pub size: Option<u32>,
    /// The previous page's `next`, to get the page after it.
    #[ts(type = "unknown[]", optional)]
    pub search_after: Option<Vec<Value>>,
}

/// One alert document as Elasticsearch returned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertHit {
    /// `_id`, equal to `kibana.alert.uuid`.
    pub id: String,
    /// The concrete index (`.internal.alerts-security.alerts-<space>-00000N`), which status
    /// updates and case attachments name.
    pub index: String,
    /// `_source`: literal dotted `kibana.alert.*` keys next to nested ECS objects.
    pub source: Value,
    /// The columns a result list shows, read from `source` by the same rules as an import
    /// (`kibana.alert.*`, else legacy `signal.*`). Ignored when hits are sent back to attach.
    #[serde(default)]
    pub summary: crate::alerts::AlertSummary,
}

/// One page of alerts, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlertSearchPage {
    /// Every alert that matches the filters, over all pages.
    #[ts(type = "number")]
    pub total: u64,
    pub hits: Vec<AlertHit>,
    /// Pass as `search_after` for the next page; `None` when this was the last one.
    #[ts(type = "unknown[] | null")]
    pub next: Option<Vec<Value>>,
}

/// What `GET /` says about the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClusterInfo {
    pub cluster_name: String,
    /// `version.number`, e.g. `8.17.1`.
    pub version: String,
}

/// The alerts alias of a Kibana space.
pub fn alerts_index(space: &str) -> Result<String> {
    // Kibana space ids: lowercase letters, digits, `_` and `-`.
    let valid = !space.is_empty()
        && space.len() <= 100
        && space.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !valid {
        return Err(Error::validation(
            "space",
            format!("{space:?} is not a Kibana space id (lowercase letters, digits, `_` and `-`, e.g. `default`)"),
        ));
    }
    Ok(format!(".alerts-security.alerts-{space}"))
}

/// The `_search` body for `q`, and the page size it asks for.
pub(crate) fn search_body(q: &AlertQuery) -> Result<(Value, u32)> {
    let size = q.size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(Error::validation("size", format!("must be between 1 and {MAX_PAGE_SIZE} (got {size})")));
    }
    let mut filter = Vec::new();
    match (q.from, q.to) {
        (Some(from), Some(to)) if from > to => {
            return Err(Error::validation("from", format!("{} is after `to` ({})", rfc3339(from), rfc3339(to))));
        }
        _ => {}
    }
    if q.from.is_some() || q.to.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(from) = q.from {
            range.insert("gte".into(), rfc3339(from).into());
        }
        if let Some(to) = q.to {
            range.insert("lte".into(), rfc3339(to).into());
        }
        range.insert("format".into(), "strict_date_optional_time".into());
        filter.push(json!({"range": {"@timestamp": range}}));
    }
    let severity = given(&q.severity);
    if let Some(s) = severity {
        one_of("severity", s, SEVERITIES)?;
    }
    let status = given(&q.workflow_status);
    if let Some(s) = status {
        one_of("workflow_status", s, WORKFLOW_STATUSES)?;
    }
    let terms = [
        ("kibana.alert.rule.name", given(&q.rule)),
        ("host.name", given(&q.host)),
        ("user.name", given(&q.user)),
        ("kibana.alert.severity", severity),
        ("kibana.alert.workflow_status", status),
    ];
    for (field, value) in terms {
        if let Some(v) = value {
            filter.push(json!({"term": {field: v}}));
        }
    }
    let mut body = json!({
        "size": size,
        "track_total_hits": true,
        "query": {"bool": {"filter": filter}},
        // The uuid breaks ties between alerts of the same millisecond, so search_after pages
        // neither skip nor repeat alerts.
        "sort": [{"@timestamp": {"order": "desc"}}, {"kibana.alert.uuid": {"order": "asc"}}],
    });
    if let Some(after) = &q.search_after {
        if after.is_empty() {
            return Err(Error::validation("search_after", "is empty; pass the previous page's `next` unchanged"));
        }
        body["search_after"] = Value::Array(after.clone());
    }
    Ok((body, size))
}

/// Reads a `_search` answer. `size` is what was asked for: a full page may have a next one.
pub(crate) fn parse_search(body: &Value, size: u32) -> std::result::Result<AlertSearchPage, String> {
    let hits = body.get("hits").ok_or("the answer has no `hits`")?;
    // `total` is an object unless the cluster sets rest_total_hits_as_int.
    let total = match hits.get("total") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(t) => t.get("value").and_then(Value::as_u64),
        None => None,
    }
    .ok_or("the answer has no `hits.total`")?;
    let raw = hits.get("hits").and_then(Value::as_array).ok_or("the answer has no `hits.hits` list")?;
    let mut out = Vec::with_capacity(raw.len());
    let mut last_sort = None;
    for hit in raw {
        let id = hit.get("_id").and_then(Value::as_str).ok_or("a hit has no `_id`")?;
        let index = hit.get("_index").and_then(Value::as_str).ok_or("a hit has no `_index`")?;
        let source = hit.get("_source").cloned().unwrap_or(Value::Null);
        let summary = crate::alerts::summarize(&crate::alerts::flatten(&source));
        out.push(AlertHit { id: id.to_string(), index: index.to_string(), source, summary });
        last_sort = hit.get("sort").and_then(Value::as_array).cloned();
    }
    let next = if out.len() >= size as usize {
        Some(last_sort.ok_or("a hit of a sorted search has no `sort` values")?)
    } else {
        None
    };
    Ok(AlertSearchPage { total, hits: out, next })
}

/// The `_update_by_query` body that sets `status` on `ids`.
pub(crate) fn status_update_body(ids: &[&str], status: &str, now: DateTime<Utc>) -> Value {
    json!({
        "query": {"ids": {"values": ids}},
        "script": {
            "lang": "painless",
            "source": STATUS_SCRIPT,
            "params": {"status": status, "now": rfc3339(now)},
        },
    })
}

/// Why an `_update_by_query` answer is not a success.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum UpdateProblem {
    /// Elasticsearch ran it and reports failures.
    Failed(String),
    /// Not an `_update_by_query` answer at all.
    Malformed(String),
}

/// What an `_update_by_query` answer says: the count updated, or why it failed.
pub(crate) fn parse_update(body: &Value) -> std::result::Result<u64, UpdateProblem> {
    if let Some(first) = body.get("failures").and_then(Value::as_array).and_then(|f| f.first()) {
        let reason = first
            .pointer("/cause/reason")
            .or_else(|| first.get("reason"))
            .and_then(Value::as_str)
            .unwrap_or("no reason given");
        let id = first.get("id").and_then(Value::as_str).unwrap_or("?");
        return Err(UpdateProblem::Failed(format!("the status update failed for alert {id}: {reason}")));
    }
    if body.get("timed_out").and_then(Value::as_bool) == Some(true) {
        return Err(UpdateProblem::Failed(
            "the status update timed out before every alert was updated; try again".into(),
        ));
    }
    body.get("updated")
        .and_then(Value::as_u64)
        .ok_or_else(|| UpdateProblem::Malformed("the answer has no `updated` count".into()))
}

pub(crate) fn check_workflow_status(status: &str) -> Result<()> {
    one_of("status", status, WORKFLOW_STATUSES)
}

/// Index names come from search hits; refuse what Elasticsearch could not have sent, so a path
/// segment cannot turn into another API.
pub(crate) fn check_index(index: &str) -> Result<()> {
    let bad = index.is_empty()
        || index == "."
        || index == ".."
        || index.starts_with(['_', '-', '+'])
        || index.chars().any(|c| c.is_whitespace() || c.is_control() || "\\/*?\"<>|,#:".contains(c));
    if bad {
        return Err(Error::validation("index", format!("{index:?} is not an Elasticsearch index name")));
    }
    Ok(())
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Error::validation(field, format!("must be one of {} (got {value:?})", allowed.join(", "))))
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn empty_query_sorts_newest_first_and_counts_every_hit() {
        let (body, size) = search_body(&AlertQuery::default()).unwrap();
        assert_eq!(size, 100);
        assert_eq!(
            body,
            json!({
                "size": 100,
                "track_total_hits": true,
                "query": {"bool": {"filter": []}},
                "sort": [{"@timestamp": {"order": "desc"}}, {"kibana.alert.uuid": {"order": "asc"}}],
            })
        );
    }

    #[test]
    fn every_filter_becomes_a_range_or_term() {
        let q = AlertQuery {
            from: Some(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2025, 3, 2, 12, 30, 0).unwrap()),
            rule: Some("Suspicious PowerShell".into()),
            host: Some(" ws-042 ".into()),
            user: Some("alice".into()),
            severity: Some("high".into()),
            workflow_status: Some("open".into()),
            size: Some(2),
            search_after: Some(vec![json!(1_740_787_200_000_i64), json!("a1")]),
        };
        let (body, size) = search_body(&q).unwrap();
        assert_eq!(size, 2);
        assert_eq!(
            body["query"]["bool"]["filter"],
            json!([
                {"range": {"@timestamp": {"gte": "2025-03-01T00:00:00.000Z", "lte": "2025-03-02T12:30:00.000Z", "format": "strict_date_optional_time"}}},
                {"term": {"kibana.alert.rule.name": "Suspicious PowerShell"}},
                {"term": {"host.name": "ws-042"}},
                {"term": {"user.name": "alice"}},
                {"term": {"kibana.alert.severity": "high"}},
                {"term": {"kibana.alert.workflow_status": "open"}},
            ])
        );
        assert_eq!(body["search_after"], json!([1_740_787_200_000_i64, "a1"]));
    }

    #[test]
    fn blank_filters_are_not_given() {
        let q = AlertQuery { rule: Some("  ".into()), severity: Some(String::new()), ..Default::default() };
        assert_eq!(search_body(&q).unwrap().0["query"]["bool"]["filter"], json!([]));
    }

    #[test]
    fn bad_queries_name_the_field() {
        let cases = [
            (AlertQuery { size: Some(0), ..Default::default() }, "size: must be between 1 and 1000 (got 0)"),
            (AlertQuery { size: Some(1001), ..Default::default() }, "size: must be between 1 and 1000 (got 1001)"),
            (
                AlertQuery { severity: Some("urgent".into()), ..Default::default() },
                "severity: must be one of low, medium, high, critical (got \"urgent\")",
            ),
            (
                AlertQuery { workflow_status: Some("in-progress".into()), ..Default::default() },
                "workflow_status: must be one of open, acknowledged, closed (got \"in-progress\")",
            ),
            (
                AlertQuery { search_after: Some(vec![]), ..Default::default() },
                "search_after: is empty; pass the previous page's `next` unchanged",
            ),
            (
                AlertQuery {
                    from: Some(Utc.with_ymd_and_hms(2025, 3, 2, 0, 0, 0).unwrap()),
                    to: Some(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap()),
                    ..Default::default()
                },
                "from: 2025-03-02T00:00:00.000Z is after `to` (2025-03-01T00:00:00.000Z)",
            ),
        ];
        for (q, message) in cases {
            let e = search_body(&q).unwrap_err();
            assert_eq!((e.code(), e.to_string()), ("validation", message.to_string()));
        }
    }

    #[test]
    fn space_ids_are_checked() {
        assert_eq!(alerts_index("default").unwrap(), ".alerts-security.alerts-default");
        assert_eq!(alerts_index("red-team_2").unwrap(), ".alerts-security.alerts-red-team_2");
        for bad in ["", "Default", "a/b", "a b", "*"] {
            assert_eq!(alerts_index(bad).unwrap_err().code(), "validation", "{bad:?}");
        }
    }

    #[test]
    fn a_full_page_has_a_next_one() {
        let body = json!({"hits": {"total": {"value": 3, "relation": "eq"}, "hits": [
            {"_index": "i", "_id": "a", "_source": {"x": 1}, "sort": [3, "a"]},
            {"_index": "i", "_id": "b", "_source": {"x": 2}, "sort": [2, "b"]},
        ]}});
        let page = parse_search(&body, 2).unwrap();
        assert_eq!(page.total, 3);
        assert_eq!(page.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(page.hits[1].source, json!({"x": 2}));
        assert_eq!(page.next, Some(vec![json!(2), json!("b")]));
        assert_eq!(parse_search(&body, 3).unwrap().next, None);
    }

    #[test]
    fn integer_totals_are_read_too() {
        let body = json!({"hits": {"total": 0, "hits": []}});
        assert_eq!(parse_search(&body, 10).unwrap(), AlertSearchPage { total: 0, hits: vec![], next: None });
        assert!(parse_search(&json!({"acknowledged": true}), 10).is_err());
    }

    #[test]
    fn status_update_sets_kibana_fields_and_legacy_signal_status() {
        let now = Utc.with_ymd_and_hms(2025, 3, 1, 8, 0, 0).unwrap();
        let body = status_update_body(&["a", "b"], "closed", now);
        assert_eq!(body["query"], json!({"ids": {"values": ["a", "b"]}}));
        assert_eq!(body["script"]["lang"], "painless");
        assert_eq!(body["script"]["params"], json!({"status": "closed", "now": "2025-03-01T08:00:00.000Z"}));
        let source = body["script"]["source"].as_str().unwrap();
        for part in [
            "if (ctx._source['kibana.alert.workflow_status'] != null) {",
            "ctx._source['kibana.alert.workflow_status'] = params.status;",
            "ctx._source['kibana.alert.workflow_status_updated_at'] = params.now;",
            "if (ctx._source.signal != null && ctx._source.signal.status != null) {",
            "ctx._source.signal.status = params.status;",
        ] {
            assert!(source.contains(part), "{part}");
        }
    }

    #[test]
    fn update_answers_are_read() {
        let ok = json!({"took": 5, "timed_out": false, "total": 2, "updated": 2, "deleted": 0, "batches": 1,
            "version_conflicts": 0, "noops": 0, "failures": []});
        assert_eq!(parse_update(&ok), Ok(2));
        assert!(matches!(parse_update(&json!({"acknowledged": true})), Err(UpdateProblem::Malformed(_))));
        let failed = json!({"timed_out": false, "updated": 0, "failures": [{"index": "i", "id": "a",
            "cause": {"type": "script_exception", "reason": "runtime error"}, "status": 400}]});
        assert_eq!(
            parse_update(&failed),
            Err(UpdateProblem::Failed("the status update failed for alert a: runtime error".into()))
        );
        let timed_out = parse_update(&json!({"timed_out": true, "updated": 1, "failures": []}));
        assert!(matches!(timed_out, Err(UpdateProblem::Failed(_))));
    }

    #[test]
    fn typescript_declarations_leave_every_filter_optional() {
        let cfg = ts_rs::Config::new().with_large_int("number");
        let query = AlertQuery::decl(&cfg);
        for field in ["from?: string,", "workflow_status?: string,", "size?: number,", "search_after?: unknown[],"] {
            assert!(query.contains(field), "{field} in {query}");
        }
        let page = AlertSearchPage::decl(&cfg);
        assert!(page.contains("total: number,") && page.contains("next: unknown[] | null,"), "{page}");
    }

    #[test]
    fn index_names_from_hits_are_checked() {
        check_index(".internal.alerts-security.alerts-default-000001").unwrap();
        for bad in ["", ".", "..", "_all", "a/b", "a,b", "a b", "*", "../x", "a?b"] {
            assert_eq!(check_index(bad).unwrap_err().code(), "validation", "{bad:?}");
        }
    }
}
