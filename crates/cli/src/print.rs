//! Text and JSON output. JSON uses the core's serde shapes (Kibana's field names) verbatim.

use casebook_core::model::*;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Writes one line to stdout, with every character a terminal would act on shown as an
/// escape (see [`escaped`]). A closed pipe (`casebook case list | head`) ends the program
/// quietly instead of panicking: the command itself has already done its work.
pub fn line(args: std::fmt::Arguments<'_>) {
    let text = match args.as_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(args.to_string()),
    };
    raw_line(&escaped(&text));
}

/// Writes text as it is: JSON, whose strings serde_json has already escaped.
fn raw_line(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("casebook: could not write output: {e}");
        std::process::exit(1);
    }
}

/// One line to standard error (warnings and errors), escaped as [`line`] escapes stdout: an
/// error may quote what a server or a file said.
pub fn warn(args: std::fmt::Arguments<'_>) {
    eprintln!("{}", escaped(&args.to_string()));
}

/// `s` with every character that a terminal acts on instead of showing written as an escape:
/// C0 controls but the tab (ESC becomes `\x1b`, a line break `\n`), DEL and C1 controls, the
/// line separators and the bidirectional overrides (`\u{202e}`). Text that Casebook did not
/// write itself (alert documents, a server's error, a database from an older version) can hold
/// any of them; printed raw, they recolour or clear the screen, write the clipboard (OSC 52) or
/// forge a line of output. Each printed line is one line of text, so `\n` is escaped too:
/// multi-line text is printed line by line.
pub fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write;
    let unsafe_char = |c: char| c != '\t' && casebook_core::validate::is_unsafe_char(c);
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) && u32::from(c) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn json<T: Serialize>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => raw_line(&s),
        Err(e) => eprintln!("casebook: could not print JSON: {e}"),
    }
}

/// `{"error": {code, message, field?, what?}}`: the core's wire error, as the desktop UI gets it.
pub fn json_error(e: &casebook_core::WireError) {
    json(&serde_json::json!({ "error": e }));
}

/// A count for people, with thousands separators: "60,000".
pub fn num(n: impl Into<i128>) -> String {
    use num_format::{Locale, ToFormattedString};
    n.into().to_formatted_string(&Locale::en)
}

/// "1 alert", "60,000 alerts".
pub fn count(n: impl Into<i128>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", num(n), if n == 1 { one } else { many })
}

/// The end of `casebook case bulk`: what was done, what was left alone and why.
pub fn bulk_report(r: &casebook_core::model::BulkReport, delete: bool) {
    let done = if delete { "deleted" } else { "changed" };
    say!("{} of {} {done}.", num(r.changed), count(r.total, "matching case", "matching cases"));
    if r.unchanged > 0 {
        say!("{} already as asked.", num(r.unchanged));
    }
    if !r.skipped.is_empty() {
        say!("{} skipped: changed by someone else since they were selected.", num(r.skipped.len() as i64));
    }
    if r.gone > 0 {
        say!("{} no longer there or no longer matching.", num(r.gone));
    }
    if !r.failed.is_empty() {
        say!("{} failed.", num(r.failed.len() as i64));
    }
    if r.cancelled {
        say!("Stopped before the end: the cases after the last batch were not looked at.");
    }
    for i in r.skipped.iter().chain(&r.failed) {
        let n = i.incremental_id.map_or_else(|| "(ID pending)".to_string(), |n| format!("#{n}"));
        say!("  {n}  {}  {}  {}: {}", i.id, clip(&i.title, 40), i.code, i.message);
    }
}

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "3d 4h", "2h 5m", "42s": how long, for people.
pub fn span(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as i64;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

pub fn number(c: &Case) -> String {
    c.incremental_id.map_or_else(|| "(ID pending)".to_string(), |n| format!("#{n}"))
}

fn clip(s: &str, n: usize) -> String {
    let one_line = s.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        let mut t: String = one_line.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub fn case(c: &Case) {
    say!("{}  {}", number(c), c.title);
    let row = |k: &str, v: String| say!("  {k:<13}{v}");
    row("id", c.id.clone());
    row("version", c.version.clone());
    row("space", c.space.clone());
    row("status", c.status.to_string());
    row("severity", c.severity.to_string());
    row("tags", if c.tags.is_empty() { "—".into() } else { c.tags.join(", ") });
    row(
        "assignees",
        if c.assignees.is_empty() {
            "—".into()
        } else {
            c.assignees.iter().map(|a| a.uid.as_str()).collect::<Vec<_>>().join(", ")
        },
    );
    row("category", c.category.clone().unwrap_or_else(|| "—".into()));
    for cf in &c.custom_fields {
        row(&cf.key, if cf.value.is_null() { "—".into() } else { cf.value.to_string().trim_matches('"').to_string() });
    }
    row("created", format!("{} by {}", when(c.created_at), c.created_by.display_name()));
    if let (Some(t), Some(u)) = (c.updated_at, &c.updated_by) {
        row("updated", format!("{} by {}", when(t), u.display_name()));
    }
    if let (Some(t), Some(u)) = (c.closed_at, &c.closed_by) {
        row("closed", format!("{} by {}", when(t), u.display_name()));
    }
    if let Some(d) = c.duration {
        row("open for", span(d as f64));
    }
    row("comments", c.total_comment.to_string());
    row("alerts", c.total_alerts.to_string());
    row("observables", c.total_observables.to_string());
    let on = |b: bool| if b { "on" } else { "off" };
    row(
        "settings",
        format!(
            "sync alerts {}, extract observables {}",
            on(c.settings.sync_alerts),
            on(c.settings.extract_observables)
        ),
    );
    if c.connector.connector_type != ".none" {
        let fields = match &c.connector.fields {
            Some(serde_json::Value::Object(f)) if !f.is_empty() => {
                format!(
                    " ({})",
                    f.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_string).unwrap_or(v.to_string())))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            _ => String::new(),
        };
        row("connector", format!("{}{fields}", c.connector.name));
    }
    if let Some(x) = &c.external_service {
        let state = match c.push_state {
            PushState::RequiresUpdate => "requires update",
            _ => "up to date",
        };
        row("pushed", format!("{} {} ({}), {state}", x.connector_name, x.external_title, x.external_url));
    }
    if let Some(p) = c.pending_push {
        row("push", format!("{} in the outbox (casebook outbox list)", p.as_str()));
    }
    if !c.description.is_empty() {
        say!();
        for line in c.description.lines() {
            say!("  {line}");
        }
    }
}

pub fn case_list(r: &FindResult) {
    if r.cases.is_empty() {
        say!("No cases match. Create one with: casebook case create --title \"…\"");
    } else {
        // The UUID comes last: every command takes it, and numbers may still be pending.
        say!(
            "{:<8} {:<11} {:<8} {:<44} {:<20} {:<16} {}",
            "NUMBER",
            "STATUS",
            "SEVERITY",
            "TITLE",
            "TAGS",
            "CREATED",
            "ID"
        );
        for c in &r.cases {
            say!(
                "{:<8} {:<11} {:<8} {:<44} {:<20} {:<16} {}",
                c.incremental_id.map_or_else(|| "pending".into(), |n| format!("#{n}")),
                c.status.as_str(),
                c.severity.as_str(),
                clip(&c.title, 44),
                clip(&c.tags.join(","), 20),
                c.created_at.format("%Y-%m-%d %H:%M"),
                c.id,
            );
        }
    }
    let first = (r.page as i64 - 1) * r.per_page as i64 + 1;
    let last = first + r.cases.len() as i64 - 1;
    say!();
    if r.cases.is_empty() {
        say!("0 of {} cases", num(r.total));
    } else {
        say!("{}–{} of {} cases", num(first), num(last), num(r.total));
    }
    stats_line(&CaseStats {
        count_open_cases: r.count_open_cases,
        count_in_progress_cases: r.count_in_progress_cases,
        count_closed_cases: r.count_closed_cases,
        mean_time_to_close: r.mean_time_to_close,
    });
}

pub fn stats_line(s: &CaseStats) {
    say!(
        "open {} · in progress {} · closed {} · average time to close {}",
        s.count_open_cases,
        s.count_in_progress_cases,
        s.count_closed_cases,
        s.mean_time_to_close.map_or_else(|| "—".into(), span)
    );
}

pub fn comment(c: &Comment) {
    let edited = c.updated_at.map(|t| format!(" (edited {})", when(t))).unwrap_or_default();
    say!("{}  {} · {}{}  version {}", c.id, c.created_by.display_name(), when(c.created_at), edited, c.version);
    for line in c.comment.lines() {
        say!("  {line}");
    }
}

pub fn action(a: &UserAction) {
    let detail = match a.payload.as_object() {
        _ if a.action_type == ActionType::CreateCase => clip(a.payload["title"].as_str().unwrap_or(""), 70),
        // The ticket, not its JSON: "SOC Jira SEC-1 https://…/browse/SEC-1 (new incident)".
        Some(o) if a.action_type == ActionType::Pushed => {
            let ext = o.get("externalService").cloned().unwrap_or_default();
            let mut words: Vec<&str> = ["connector_name", "external_title", "external_url"]
                .iter()
                .filter_map(|k| ext.get(*k).and_then(|s| s.as_str()))
                .collect();
            match o.get("created").and_then(|c| c.as_bool()) {
                Some(true) => words.push("(new incident)"),
                Some(false) => words.push("(updated)"),
                None => {}
            }
            words.join(" ")
        }
        Some(o) if o.len() == 1 => {
            let v = o.values().next().cloned().unwrap_or_default();
            match a.action_type {
                ActionType::Comment => clip(v.get("comment").and_then(|c| c.as_str()).unwrap_or(""), 60),
                // A changed title or category reads as itself, not as a JSON string.
                _ => clip(&v.as_str().map_or_else(|| v.to_string(), str::to_string), 70),
            }
        }
        _ => String::new(),
    };
    say!(
        "{}  {:<12} {:<16} {:<15} {}",
        when(a.created_at),
        a.created_by.username,
        a.action_type.as_str(),
        a.action.as_str(),
        detail
    );
}

pub fn user(u: &User, me: bool) {
    let mut line = u.username.clone();
    if let Some(n) = &u.full_name {
        line.push_str(&format!("  {n}"));
    }
    if let Some(e) = &u.email {
        line.push_str(&format!("  <{e}>"));
    }
    if me {
        line.push_str("  (you)");
    }
    say!("{line}");
}

pub fn configuration(c: &CaseConfiguration) {
    say!("Case settings of space {} (version {})", c.space, c.version);
    say!(
        "  closure        {}",
        match c.closure_type {
            ClosureType::CloseByUser => "close-by-user (cases close only by hand)",
            ClosureType::CloseByPushing => "close-by-pushing (a push closes the case)",
        }
    );
    if c.custom_fields.is_empty() {
        say!("  custom fields  none");
    }
    for f in &c.custom_fields {
        let ty = serde_json::to_value(f.field_type).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let default = f.default_value.as_ref().map(|v| format!(", default {v}")).unwrap_or_default();
        say!(
            "  field          {} \"{}\" ({ty}{}{default})",
            f.key,
            f.label,
            if f.required { ", required" } else { "" }
        );
    }
    if c.templates.is_empty() {
        say!("  templates      none");
    }
    for t in &c.templates {
        say!("  template       {} \"{}\"", t.key, t.name);
    }
    for t in &c.observable_types {
        say!("  observable     {} \"{}\"", t.key, t.label);
    }
    say!("  observables    at most {} per case", num(c.max_observables));
    if !c.observable_type_priority.is_empty() {
        say!("  type priority  {}", c.observable_type_priority.join(", "));
    }
    if c.sla.is_empty() {
        say!("  SLA            none");
    }
    for t in &c.sla {
        let target = |s: Option<i64>| s.map_or_else(|| "–".to_string(), |s| span(s as f64));
        say!(
            "  SLA            {:<9} acknowledge within {}, resolve within {}",
            t.severity.as_str(),
            target(t.acknowledge_seconds),
            target(t.resolve_seconds)
        );
    }
}

/// "51–100 of 230 alerts"
pub fn paging(page: u32, per_page: u32, total: i64, what: &str) {
    let first = i64::from(page - 1) * i64::from(per_page) + 1;
    let last = (first + i64::from(per_page) - 1).min(total);
    say!();
    if first > total {
        say!("0 of {} {what}", num(total));
    } else {
        say!("{}–{} of {} {what}", num(first), num(last), num(total));
    }
}

pub fn alert_table(p: &AlertPage) {
    if p.alerts.is_empty() {
        say!("No alerts match. Attach some with: casebook alert import FILE --case CASE");
    } else {
        // TIME is when the alert was raised (@timestamp); EVENT TIME the source event's.
        say!(
            "{:<20} {:<20} {:<30} {:<8} {:>5} {:<18} {:<14} {:<12} {}",
            "TIME",
            "EVENT TIME",
            "RULE",
            "SEVERITY",
            "RISK",
            "HOST",
            "USER",
            "STATUS",
            "ALERT ID"
        );
        let at = |t: Option<DateTime<Utc>>| t.map_or_else(|| "—".into(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        for a in &p.alerts {
            say!(
                "{:<20} {:<20} {:<30} {:<8} {:>5} {:<18} {:<14} {:<12} {}",
                at(a.timestamp),
                at(a.original_time),
                clip(a.rule_name.as_deref().unwrap_or("(no rule)"), 30),
                a.severity.map_or("—", |s| s.as_str()),
                a.risk_score.map_or_else(|| "—".into(), |r| format!("{r:.0}")),
                clip(a.host.as_deref().unwrap_or("—"), 18),
                clip(a.user.as_deref().unwrap_or("—"), 14),
                a.workflow_status.as_str(),
                a.id,
            );
        }
    }
    paging(p.page, p.per_page, p.total, "alerts");
}

pub fn alert_detail(d: &AlertDetail) {
    let a = &d.alert;
    say!("Alert {}  ({}, {})", a.id, a.workflow_status.as_str(), a.origin.as_str());
    if let Some(r) = &a.rule_name {
        say!("  rule   {r}");
    }
    if let Some(r) = &a.reason {
        say!("  reason {}", clip(r, 200));
    }
    let at = |t: Option<DateTime<Utc>>| t.map_or_else(|| "—".into(), |t| t.to_rfc3339());
    say!("  time   {}  (event {})", at(a.timestamp), at(a.original_time));
    say!();
    let width = d.fields.iter().map(|f| f.field.len()).max().unwrap_or(0).min(60);
    for f in &d.fields {
        let values: Vec<String> =
            f.values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect();
        say!("  {:<width$}  {}", f.field, clip(&values.join(", "), 160));
    }
}

pub fn alert_overview(o: &AlertOverview) {
    say!(
        "{} · {} · {}",
        count(o.total, "alert", "alerts"),
        count(o.hosts, "host", "hosts"),
        count(o.users, "user", "users")
    );
    if o.status_sync_pending > 0 {
        say!("{} alert status changes are waiting to reach Elasticsearch", num(o.status_sync_pending));
    }
    for r in &o.rules {
        say!(
            "  {:>7}  {}  (newest {}{})",
            num(r.alerts),
            r.rule_name.as_deref().unwrap_or("(no rule)"),
            r.newest.map_or_else(|| "—".into(), when),
            // Two rules may share a name; the id tells them apart.
            r.rule_id.as_deref().map(|id| format!(", rule {id}")).unwrap_or_default()
        );
    }
}

pub fn import_report(r: &AlertImportReport) {
    if r.cancelled {
        say!("Import cancelled: nothing was attached.");
        return;
    }
    let mut notes = Vec::new();
    if r.already_attached > 0 {
        notes.push(format!("{} already in the case", num(r.already_attached)));
    }
    if r.repeated_in_file > 0 {
        notes.push(format!("{} repeated in the file", num(r.repeated_in_file)));
    }
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
    say!("Attached {}{notes}.", count(r.attached, "alert", "alerts"));
    if r.observables_added > 0 || r.observables_over_limit > 0 {
        say!("Extracted {}.", count(r.observables_added, "observable", "observables"));
    }
    if r.observables_over_limit > 0 {
        say!(
            "{} left out by the space's cap (the values most alerts carry were kept); see them with \
             `casebook observable left-out CASE`.",
            count(r.observables_over_limit, "more value was", "more values were")
        );
    }
    if r.issue_count > 0 {
        say!("{} could not be read:", count(r.issue_count, "line or document", "lines or documents"));
        for i in &r.issues {
            say!("  {}", issue(i));
        }
        if r.issue_count > r.issues.len() as u64 {
            say!("  … and {} more", num(r.issue_count - r.issues.len() as u64));
        }
    }
}

pub fn issue(i: &ParseIssue) -> String {
    match (i.line, i.document) {
        (Some(l), _) => format!("line {l}: {}", i.reason),
        (None, Some(d)) => format!("document {d}: {}", i.reason),
        (None, None) => i.reason.clone(),
    }
}

pub fn left_out(v: &LeftOutObservable) {
    say!("{:<12} {:<40} {}", v.type_label, v.value, count(v.alerts, "alert", "alerts"));
}

pub fn observable(o: &Observable) {
    say!(
        "{:<12} {:<40} {}  {}",
        o.type_label,
        o.value,
        o.id,
        o.description.as_deref().map(|d| clip(d, 60)).unwrap_or_default()
    );
}
