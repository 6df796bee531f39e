//! The columns of the Alerts tab, read from an alert's fields (modern `kibana.alert.*` or legacy
//! `signal.*`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::FieldMap;
use super::fields::first_text;

/// What the Alerts tab shows of an alert without opening its document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct AlertSummary {
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub severity: Option<String>,
    pub risk_score: Option<f64>,
    pub reason: Option<String>,
    pub host: Option<String>,
    pub user: Option<String>,
    pub original_time: Option<DateTime<Utc>>,
    pub timestamp: Option<DateTime<Utc>>,
    pub workflow_status: Option<String>,
}

/// Reads the summary columns, preferring the 8.x `kibana.alert.*` field over its legacy `signal.*`
/// twin. Values that cannot be read (a risk score that is not a number, a time in an unknown
/// format) fall through to the next candidate field rather than failing the alert.
pub fn summarize(fields: &FieldMap) -> AlertSummary {
    let text = |paths: &[&str]| first_text(fields, paths).map(|t| t.into_owned());
    let time = |paths: &[&str]| paths.iter().find_map(|p| first_text(fields, &[p]).and_then(|t| parse_time(&t)));
    AlertSummary {
        rule_id: text(&["kibana.alert.rule.uuid", "signal.rule.id"]),
        rule_name: text(&["kibana.alert.rule.name", "signal.rule.name"]),
        severity: text(&["kibana.alert.severity", "signal.rule.severity"]).map(|s| s.to_lowercase()),
        risk_score: ["kibana.alert.risk_score", "signal.rule.risk_score"]
            .iter()
            .find_map(|p| first_text(fields, &[p]).and_then(|t| t.parse::<f64>().ok()).filter(|n| n.is_finite())),
        reason: text(&["kibana.alert.reason", "signal.reason"]),
        host: text(&["host.name", "host.hostname"]),
        user: text(&["user.name"]),
        // The event's time only: `@timestamp` is when the alert was raised, kept apart.
        original_time: time(&["kibana.alert.original_time", "signal.original_time"]),
        timestamp: time(&["@timestamp"]),
        workflow_status: text(&["kibana.alert.workflow_status", "signal.status"]),
    }
}

/// Zone-less layouts, read as UTC. The last one is Discover's default `dateFormat`, which CSV
/// exports use; it is in the browser's zone, which the file does not record.
const NAIVE_FORMATS: &[&str] =
    &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%b %d, %Y @ %H:%M:%S%.f", "%b %d, %Y @ %H:%M:%S"];

/// An Elasticsearch date as alerts carry it: ISO 8601 / RFC 3339, epoch milliseconds (number or
/// digits), or Discover's "Jan 1, 2020 @ 04:00:00.000".
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.to_utc());
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(t.to_utc());
    }
    if let Some(t) = NAIVE_FORMATS.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()) {
        return Some(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    // Epoch milliseconds; a float rendering ("1.5778368e12") comes from JSON numbers with a fraction.
    let millis = match text.parse::<i64>() {
        Ok(ms) => ms,
        Err(_) => text.parse::<f64>().ok().filter(|f| f.is_finite() && f.abs() < 9.0e15)? as i64,
    };
    DateTime::from_timestamp_millis(millis)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::alerts::flatten;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn times_in_every_spelling() {
        let t = at("2020-01-01T04:00:00Z");
        assert_eq!(parse_time("2020-01-01T04:00:00.000Z"), Some(t));
        assert_eq!(parse_time("2020-01-01T06:00:00+02:00"), Some(t));
        assert_eq!(parse_time("2020-01-01T04:00:00"), Some(t));
        assert_eq!(parse_time("1577851200000"), Some(t));
        assert_eq!(parse_time("1.5778512e12"), Some(t));
        assert_eq!(parse_time("Jan 1, 2020 @ 04:00:00.000"), Some(t));
        assert_eq!(parse_time("Jan 01, 2020 @ 04:00:00"), Some(t));
        assert_eq!(parse_time("Dec 31, 2019 @ 23:59:59.999"), Some(at("2019-12-31T23:59:59.999Z")));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn modern_fields_win_over_legacy_ones() {
        let fields = flatten(&json!({
            "kibana.alert.rule.uuid": "r-8", "signal": {"rule": {"id": "r-7", "severity": "LOW", "risk_score": "21"}},
            "kibana.alert.risk_score": "not a number",
            "kibana.alert.original_time": "garbage", "signal.original_time": 1577851200000_i64,
            "@timestamp": "2020-01-02T00:00:00Z",
            "host": {"hostname": "h-1"}, "user": {"name": ["alice", "bob"]},
        }));
        let s = summarize(&fields);
        assert_eq!(s.rule_id.as_deref(), Some("r-8"));
        assert_eq!(s.severity.as_deref(), Some("low"));
        assert_eq!(s.risk_score, Some(21.0));
        assert_eq!(s.original_time, Some(at("2020-01-01T04:00:00Z")));
        assert_eq!(s.timestamp, Some(at("2020-01-02T00:00:00Z")));
        assert_eq!(s.host.as_deref(), Some("h-1"));
        assert_eq!(s.user.as_deref(), Some("alice"));
        assert_eq!(s.rule_name, None);
    }
}
