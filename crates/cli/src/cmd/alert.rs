//! `casebook alert …`: Elastic Security alerts attached to a case, from a file or from the
//! space's Elasticsearch source.

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::{Args, Subcommand};

use super::{Out, block_on, case_id};
use crate::input::time;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum AlertCmd {
    /// Attach the alerts in a file: NDJSON, JSON (array, one document, a _search response) or a
    /// Discover CSV (`,` or `;`), gzip-compressed or not. Bad lines are reported with their line
    /// numbers; the good ones are attached. Exits 1 when no line could be read.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Case id or #number.
        #[arg(long)]
        case: String,
    },
    /// List a case's alerts, grouped by rule and newest first unless --sort says otherwise.
    List(AlertListArgs),
    /// Show one alert with every field of its document.
    Show {
        #[arg(long)]
        case: String,
        #[arg(value_name = "ALERT_ID")]
        alert: String,
    },
    /// Remove alerts from a case (all or none).
    Remove {
        #[arg(long)]
        case: String,
        #[arg(value_name = "ALERT_ID", required = true)]
        alerts: Vec<String>,
    },
    /// Alert count, distinct hosts and users, and the alerts per rule of a case.
    Summary {
        #[arg(long)]
        case: String,
    },
    /// Search the space's Elasticsearch source; with --attach, attach what was found.
    Search(AlertSearchArgs),
    /// Send alert statuses that wait for Elasticsearch (sync alerts) now.
    Sync,
}

#[derive(Args, Debug)]
pub struct AlertSearchArgs {
    /// From this time (RFC 3339 or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this time (RFC 3339 or YYYY-MM-DD, the whole day).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub rule: Option<String>,
    #[arg(long)]
    pub host: Option<String>,
    #[arg(long)]
    pub user: Option<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    /// open, acknowledged or closed.
    #[arg(long = "status")]
    pub workflow_status: Option<String>,
    /// Alerts per page, 1–1000.
    #[arg(long, default_value_t = 100)]
    pub size: u32,
    /// The `next` value a previous search printed, for the page after it (JSON).
    #[arg(long)]
    pub after: Option<String>,
    /// Attach the alerts found to this case (id or #number).
    #[arg(long)]
    pub attach: Option<String>,
}

#[derive(Args, Debug)]
pub struct AlertListArgs {
    #[arg(long)]
    pub case: String,
    /// Only this rule ("" for alerts without a rule).
    #[arg(long)]
    pub rule: Option<String>,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: Option<String>,
    /// open, acknowledged (Kibana's "In progress": in-progress) or closed.
    #[arg(long = "status")]
    pub workflow_status: Option<String>,
    /// Words to find in rule, reason, host, user or alert id.
    #[arg(long, allow_hyphen_values = true)]
    pub search: Option<String>,
    /// rule, time, severity, risk_score, host or user.
    #[arg(long, default_value = "rule")]
    pub sort: String,
    #[arg(long)]
    pub order: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 50)]
    pub per_page: u32,
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &AlertCmd) -> Result<(), Error> {
    match cmd {
        AlertCmd::Import { file, case } => {
            let id = case_id(book, out, case)?;
            let show = std::io::stderr().is_terminal() && !out.json;
            let report = book.import_alerts_file(&id, file, &mut |p| {
                if show {
                    progress_line(p);
                }
                ControlFlow::Continue(())
            })?;
            if show {
                eprint!("\r\x1b[2K");
            }
            // Every line failed: an error (exit 1), so a script does not take it for an import.
            if !report.cancelled
                && report.issue_count > 0
                && report.attached + report.already_attached + report.repeated_in_file == 0
            {
                if !out.json {
                    print::import_report(&report);
                }
                return Err(nothing_attached(&report));
            }
            out.show(&report, print::import_report);
        }
        AlertCmd::List(a) => {
            let page = book.list_alerts(&case_id(book, out, &a.case)?, &list_query(a)?)?;
            out.show(&page, print::alert_table);
        }
        AlertCmd::Show { case, alert } => {
            let detail = book.get_alert(&case_id(book, out, case)?, alert)?;
            out.show(&detail, print::alert_detail);
        }
        AlertCmd::Remove { case, alerts } => {
            let n = book.remove_alerts(&case_id(book, out, case)?, alerts)?;
            out.show(&serde_json::json!({ "removed": n }), |_| {
                say!("Removed {} from the case.", print::count(n, "alert", "alerts"))
            });
        }
        AlertCmd::Summary { case } => {
            let o = book.alert_overview(&case_id(book, out, case)?)?;
            out.show(&o, print::alert_overview);
        }
        AlertCmd::Search(a) => search(book, out, a)?,
        AlertCmd::Sync => {
            let r = block_on(book.sync_alert_statuses())?;
            out.show(&r, |r| {
                say!("Sent the status of {} alerts to Elasticsearch; {} still waiting.", r.updated, r.waiting);
                for e in &r.errors {
                    say!("  {e}");
                }
            });
        }
    }
    Ok(())
}

/// The error of an import whose every line or document failed, naming the first few.
fn nothing_attached(report: &AlertImportReport) -> Error {
    let first: Vec<String> = report.issues.iter().take(3).map(print::issue).collect();
    let more = if report.issue_count > first.len() as u64 { "; …" } else { "" };
    Error::Validation {
        field: "file".into(),
        message: format!(
            "nothing was attached: {} could not be read as an alert ({}{more})",
            if report.issue_count == 1 {
                "the only line or document".to_string()
            } else {
                format!("all {} lines or documents", report.issue_count)
            },
            first.join("; ")
        ),
    }
}

fn list_query(a: &AlertListArgs) -> Result<AlertListQuery, Error> {
    let sort: AlertSortField =
        serde_json::from_value(serde_json::Value::String(a.sort.trim().to_string())).map_err(|_| {
            Error::Validation {
                field: "sort".into(),
                message: format!("must be rule, time, severity, risk_score, host or user (got {:?})", a.sort),
            }
        })?;
    Ok(AlertListQuery {
        page: Some(a.page),
        per_page: Some(a.per_page),
        sort: Some(sort),
        order: a.order.as_deref().map(str::parse).transpose()?,
        rule: a.rule.clone(),
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        workflow_status: a.workflow_status.as_deref().map(str::parse).transpose()?,
        search: a.search.clone(),
    })
}

fn progress_line(p: &AlertImportProgress) {
    let pct = (p.bytes_read * 100).checked_div(p.total_bytes).unwrap_or(100);
    let phase = match p.phase {
        ImportPhase::Reading => "reading",
        ImportPhase::Saving => "saving",
    };
    eprint!("\r\x1b[2K{phase} {pct:>3}%  {} alerts", p.alerts_read);
    let _ = std::io::stderr().flush();
}

fn search(book: &Casebook, out: &Out<'_>, a: &AlertSearchArgs) -> Result<(), Error> {
    let search_after = a
        .after
        .as_deref()
        .map(|v| {
            serde_json::from_str::<Vec<serde_json::Value>>(v).map_err(|_| Error::Validation {
                field: "after".into(),
                message: "must be the JSON array a previous search printed as `next`".into(),
            })
        })
        .transpose()?;
    let query = casebook_core::elastic::AlertQuery {
        from: time("from", a.from.as_deref(), false)?,
        to: time("to", a.to.as_deref(), true)?,
        rule: a.rule.clone(),
        host: a.host.clone(),
        user: a.user.clone(),
        severity: a.severity.clone(),
        workflow_status: a.workflow_status.clone(),
        size: Some(a.size),
        search_after,
    };
    let page = block_on(book.search_source_alerts(out.space, &query))?;
    if let Some(case) = &a.attach {
        let report = book.attach_source_alerts(&case_id(book, out, case)?, &page.hits)?;
        let body = serde_json::json!({ "search": { "total": page.total, "next": page.next }, "import": report });
        out.show(&body, |_| {
            say!("Found {} alerts ({} on this page).", print::num(page.total), print::num(page.hits.len() as i64));
            print::import_report(&report);
        });
        return Ok(());
    }
    out.show(&page, |p| {
        say!("{:<26} {:<30} {:<8} {:<18} {:<14} {}", "TIME", "RULE", "SEVERITY", "HOST", "USER", "ALERT ID");
        for h in &p.hits {
            let s = &h.summary;
            say!(
                "{:<26} {:<30} {:<8} {:<18} {:<14} {}",
                s.timestamp.map_or_else(|| "—".into(), |t| t.to_rfc3339()),
                s.rule_name.as_deref().unwrap_or("—"),
                s.severity.as_deref().unwrap_or("—"),
                s.host.as_deref().unwrap_or("—"),
                s.user.as_deref().unwrap_or("—"),
                h.id
            );
        }
        say!();
        say!("{} of {} alerts", print::num(p.hits.len() as i64), print::num(p.total));
        if let Some(next) = &p.next {
            say!("Next page: --after '{}'", serde_json::Value::Array(next.clone()));
        }
    });
    Ok(())
}
