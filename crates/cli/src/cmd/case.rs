use casebook_core::configure::{apply_template, custom_field_from_text};
use casebook_core::connectors::fields::from_pairs;
use casebook_core::model::*;
use casebook_core::{Casebook, Error, validate};

use super::{Out, case_id};
use crate::args::{CaseCmd, CreateArgs, FilterArgs, ListArgs, UpdateArgs};
use crate::input::{json_doc, json_items, parse_all, text_or_stdin, time};
use crate::print;

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &CaseCmd) -> Result<(), Error> {
    match cmd {
        CaseCmd::Create(a) => create(book, out, a),
        CaseCmd::Get { case } => {
            let c = book.resolve_case(out.space, case)?;
            out.show(&c, print::case);
            Ok(())
        }
        CaseCmd::List(a) => list(book, out, a),
        CaseCmd::Update(a) => update(book, out, a),
        CaseCmd::Delete { cases } => {
            let mut ids: Vec<String> = Vec::with_capacity(cases.len());
            for c in cases {
                let id = case_id(book, out, c)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            book.delete_cases(&ids)?;
            out.show(&serde_json::json!({ "deleted": ids }), |_| {
                say!("Deleted {} case{}.", ids.len(), if ids.len() == 1 { "" } else { "s" })
            });
            Ok(())
        }
        CaseCmd::Stats(f) => {
            let s = book.case_stats(&query(out, f)?)?;
            out.show(&s, print::stats_line);
            Ok(())
        }
        CaseCmd::SetConnector { case, connector, fields } => {
            super::push::set_connector(book, out, case, connector, fields)
        }
        CaseCmd::Push { case, connector, wait } => super::push::push(book, out, case, connector.as_deref(), *wait),
        CaseCmd::Similar { case, page, per_page } => {
            let p = book.similar_cases(&case_id(book, out, case)?, *page, *per_page)?;
            out.show(&p, |p| {
                if p.cases.is_empty() {
                    say!("No other case in this space shares an observable with {case}.");
                }
                for s in &p.cases {
                    say!("{}  {}  {}", print::number(&s.case), s.case.id, s.case.title);
                    for o in &s.shared {
                        say!("    shares {} {}", o.type_label, o.value);
                    }
                }
                print::paging(p.page, p.per_page, p.total, "similar cases");
            });
            Ok(())
        }
    }
}

fn create(book: &Casebook, out: &Out<'_>, a: &CreateArgs) -> Result<(), Error> {
    if let Some(src) = &a.from_json {
        // One create body, or an array of them created together.
        let (bodies, many) = json_items::<CaseCreate>(&src.display().to_string(), json_doc(src)?)?;
        if a.dry_run {
            book.check_case_creates(out.space, &bodies)?;
            return valid(out, bodies.len());
        }
        if many {
            let cases = book.create_cases(out.space, &bodies)?;
            out.show(&cases, |cs| cs.iter().for_each(|c| say!("Created {}  {}  {}", print::number(c), c.id, c.title)));
        } else {
            let c = book.create_case(out.space, &bodies[0])?;
            out.show(&c, print::case);
        }
        return Ok(());
    }
    let config = book.configuration(out.space)?;
    let mut input = CaseCreate {
        title: a.title.clone().unwrap_or_default(),
        description: a
            .description
            .as_deref()
            .map(|d| text_or_stdin("description", d, validate::MAX_DESCRIPTION_LENGTH))
            .transpose()?
            .unwrap_or_default(),
        tags: a.tags.clone(),
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        category: a.category.clone(),
        assignees: a.assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        custom_fields: a
            .custom_fields
            .iter()
            .map(|p| custom_field_from_text(&config.custom_fields, p))
            .collect::<Result<_, _>>()?,
        settings: (a.no_sync_alerts || a.no_extract_observables)
            .then_some(CaseSettings { sync_alerts: !a.no_sync_alerts, extract_observables: !a.no_extract_observables }),
        owner: None,
        connector: a.connector.as_deref().map(|name| chosen_connector(book, out, name, &a.fields)).transpose()?,
    };
    if let Some(key) = &a.template {
        let t = config.templates.iter().find(|t| &t.key == key).ok_or_else(|| {
            let known: Vec<&str> = config.templates.iter().map(|t| t.key.as_str()).collect();
            Error::Validation {
                field: "template".into(),
                message: format!(
                    "{key:?} is not a template of space {} (known: {})",
                    out.space,
                    if known.is_empty() { "none".into() } else { known.join(", ") }
                ),
            }
        })?;
        input = apply_template(t, input);
    }
    if a.dry_run {
        book.check_case_create(out.space, &input)?;
        return valid(out, 1);
    }
    let c = book.create_case(out.space, &input)?;
    out.show(&c, print::case);
    Ok(())
}

/// `--dry-run` passed: the core would create these cases. A refusal is the ordinary error.
fn valid(out: &Out<'_>, n: usize) -> Result<(), Error> {
    out.show(&serde_json::json!({ "valid": true, "cases": n }), |_| {
        if n == 1 {
            say!("ok: the case is valid (nothing was created)");
        } else {
            say!("ok: the {n} cases are valid (nothing was created)");
        }
    });
    Ok(())
}

/// The case's connector in Kibana's shape; the core checks the fields when it creates the case.
fn chosen_connector(book: &Casebook, out: &Out<'_>, name: &str, fields: &[String]) -> Result<CaseConnector, Error> {
    let k = book.connector(out.space, name)?;
    Ok(CaseConnector {
        id: k.id,
        name: k.name,
        connector_type: k.kind.kibana_type().into(),
        fields: Some(from_pairs(fields)?),
    })
}

fn query(out: &Out<'_>, f: &FilterArgs) -> Result<FindQuery, Error> {
    let custom_toggles = f
        .custom_fields
        .iter()
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let value = match v.trim().to_ascii_lowercase().as_str() {
                "on" | "true" | "yes" => true,
                "off" | "false" | "no" => false,
                other => {
                    return Err(Error::Validation {
                        field: format!("custom_fields.{}", k.trim()),
                        message: format!("filter with KEY=on or KEY=off (got {other:?})"),
                    });
                }
            };
            Ok(ToggleFilter { key: k.trim().to_string(), value })
        })
        .collect::<Result<_, _>>()?;
    Ok(FindQuery {
        space: out.space.to_string(),
        status: parse_all(&f.status)?,
        severity: parse_all(&f.severity)?,
        tags: f.tags.clone(),
        assignees: f.assignees.clone(),
        reporters: f.reporters.clone(),
        category: f.category.clone(),
        custom_toggles,
        from: time("from", f.from.as_deref(), false)?,
        to: time("to", f.to.as_deref(), true)?,
        search: f.search.clone(),
        ..FindQuery::default()
    })
}

fn list(book: &Casebook, out: &Out<'_>, a: &ListArgs) -> Result<(), Error> {
    let q = FindQuery {
        sort_field: a.sort.as_deref().map(str::parse).transpose()?,
        sort_order: a.order.parse()?,
        page: a.page,
        per_page: a.per_page,
        ..query(out, &a.filters)?
    };
    let r = book.find_cases(&q)?;
    out.show(&r, print::case_list);
    Ok(())
}

fn update(book: &Casebook, out: &Out<'_>, a: &UpdateArgs) -> Result<(), Error> {
    if let Some(src) = &a.from_json {
        // Kibana's bulk body {"cases": [...]}, a bare array, or one patch.
        let mut doc = json_doc(src)?;
        if let Some(body) = doc.as_object_mut()
            && let Some(cases) = body.remove("cases")
        {
            if let Some(other) = body.keys().next() {
                return Err(Error::Validation {
                    field: "from_json".into(),
                    message: format!("{}: unknown field `{other}` beside `cases` (nothing was changed)", src.display()),
                });
            }
            doc = cases;
        }
        let (patches, _) = json_items::<CasePatch>(&src.display().to_string(), doc)?;
        let cases = book.update_cases(out.space, &patches)?;
        out.show(&cases, |cs| {
            cs.iter().for_each(|c| say!("Updated {}  {}  version {}", print::number(c), c.id, c.version))
        });
        return Ok(());
    }
    let reference = a.case.as_deref().unwrap_or_default();
    let id = case_id(book, out, reference)?;
    let custom_fields = if a.custom_fields.is_empty() {
        None
    } else {
        // Set the named fields; the case keeps its other values.
        let config = book.configuration(out.space)?;
        let mut fields = book.get_case(&id)?.custom_fields;
        for p in &a.custom_fields {
            let v = custom_field_from_text(&config.custom_fields, p)?;
            fields.retain(|f| f.key != v.key);
            fields.push(v);
        }
        Some(fields)
    };
    let switch = |field: &str, value: &Option<String>| -> Result<Option<bool>, Error> {
        value
            .as_deref()
            .map(|v| match v.trim() {
                "on" | "true" => Ok(true),
                "off" | "false" => Ok(false),
                other => Err(Error::Validation {
                    field: field.into(),
                    message: format!("must be on or off (got {other:?})"),
                }),
            })
            .transpose()
    };
    let sync_alerts = switch("sync_alerts", &a.sync_alerts)?;
    let extract = switch("extract_observables", &a.extract_observables)?;
    // Settings are replaced whole, so the switch not given keeps the case's current value.
    let settings = if sync_alerts.is_some() || extract.is_some() {
        let current = book.get_case(&id)?.settings;
        Some(CaseSettings {
            sync_alerts: sync_alerts.unwrap_or(current.sync_alerts),
            extract_observables: extract.unwrap_or(current.extract_observables),
        })
    } else {
        None
    };
    let patch = CasePatch {
        id,
        version: a.version.clone().unwrap_or_default(),
        title: a.title.clone(),
        description: a
            .description
            .as_deref()
            .map(|d| text_or_stdin("description", d, validate::MAX_DESCRIPTION_LENGTH))
            .transpose()?,
        status: a.status.as_deref().map(str::parse).transpose()?,
        severity: a.severity.as_deref().map(str::parse).transpose()?,
        category: if a.clear_category { Some(None) } else { a.category.clone().map(Some) },
        add_tags: a.add_tags.clone(),
        remove_tags: a.remove_tags.clone(),
        add_assignees: a.add_assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        remove_assignees: a.remove_assignees.iter().map(|u| Assignee { uid: u.clone() }).collect(),
        custom_fields,
        settings,
        ..CasePatch::default()
    };
    let c = book.update_case(&patch)?;
    out.show(&c, print::case);
    send_alert_statuses(book, &c.id);
    Ok(())
}

/// Sync alerts: a status change that reached alerts from Elasticsearch is sent there now. The
/// case change is saved either way; what cannot be sent waits for `casebook alert sync`.
fn send_alert_statuses(book: &Casebook, case_id: &str) {
    let waiting = book.alert_overview(case_id).map(|o| o.status_sync_pending).unwrap_or(0);
    if waiting == 0 {
        return;
    }
    match super::block_on(book.sync_alert_statuses()) {
        Ok(r) if r.waiting == 0 => {}
        Ok(r) => crate::print::warn(format_args!(
            "casebook: the status of {} alerts could not be sent to Elasticsearch yet ({}); run `casebook alert sync` later",
            r.waiting,
            r.errors.join("; ")
        )),
        Err(e) => crate::print::warn(format_args!(
            "casebook: alert statuses not sent to Elasticsearch yet ({e}); run `casebook alert sync` later"
        )),
    }
}
