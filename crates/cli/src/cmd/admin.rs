//! Activity, spaces, settings, users and the taxonomies.

use casebook_core::model::*;
use casebook_core::{Casebook, Error};

use super::Out;
use crate::args::{ActivityArgs, IdsCmd, SettingsCmd, SpaceCmd, UserCmd};
use crate::input::{json_file, parse_all};
use crate::print;

pub fn activity(book: &Casebook, out: &Out<'_>, a: &ActivityArgs) -> Result<(), Error> {
    // A UUID is used as is, so a deleted case's history can still be read.
    let id = match a.case.parse::<CaseRef>()? {
        CaseRef::Id(u) => u,
        CaseRef::Number(_) => book.resolve_case(out.space, &a.case)?.id,
    };
    let q = ActivityQuery {
        types: parse_all(&a.types)?,
        sort_order: a.order.parse()?,
        page: Some(a.page),
        per_page: Some(a.per_page),
    };
    let page = book.find_activity(out.space, &id, &q)?;
    out.show(&page, |p| {
        p.user_actions.iter().for_each(print::action);
        say!();
        say!("{} of {} records", p.user_actions.len(), p.total);
    });
    Ok(())
}

pub fn space(book: &Casebook, out: &Out<'_>, cmd: &SpaceCmd) -> Result<(), Error> {
    match cmd {
        SpaceCmd::Create { name } => {
            let s = book.create_space(name)?;
            out.show(&s, |s| say!("Created space {}.", s.name));
        }
        SpaceCmd::List => {
            let spaces = book.list_spaces()?;
            out.show(&spaces, |ss| ss.iter().for_each(|s| say!("{:<30} {} cases", s.name, s.total_cases)));
        }
    }
    Ok(())
}

pub fn settings(book: &Casebook, out: &Out<'_>, cmd: &SettingsCmd) -> Result<(), Error> {
    let current = book.configuration(out.space)?;
    let patch = match cmd {
        SettingsCmd::Show => {
            out.show(&current, print::configuration);
            return Ok(());
        }
        SettingsCmd::Closure { option } => ConfigurationPatch {
            version: current.version.clone(),
            closure_type: Some(serde_json::from_value(serde_json::Value::String(option.clone()))?),
            ..Default::default()
        },
        SettingsCmd::AddField { key, label, field_type, required, default } => {
            let field_type: CustomFieldType =
                serde_json::from_value(serde_json::Value::String(field_type.trim().to_string())).map_err(|_| {
                    Error::Validation {
                        field: "type".into(),
                        message: format!("must be text, toggle or number (got {field_type:?})"),
                    }
                })?;
            let mut def = CustomFieldDefinition {
                key: key.clone(),
                label: label.clone(),
                field_type,
                required: *required,
                default_value: None,
            };
            if let Some(d) = default {
                let probe = [def.clone()];
                def.default_value =
                    Some(casebook_core::configure::custom_field_from_text(&probe, &format!("{key}={d}"))?.value);
            }
            if current.custom_fields.iter().any(|f| f.key == def.key) {
                return Err(Error::AlreadyExists { what: "custom field", id: def.key });
            }
            let mut fields = current.custom_fields.clone();
            fields.push(def);
            ConfigurationPatch { version: current.version.clone(), custom_fields: Some(fields), ..Default::default() }
        }
        SettingsCmd::RemoveField { key } => {
            let mut fields = current.custom_fields.clone();
            let before = fields.len();
            fields.retain(|f| &f.key != key);
            if fields.len() == before {
                return Err(Error::NotFound { what: "custom field", id: key.clone() });
            }
            ConfigurationPatch { version: current.version.clone(), custom_fields: Some(fields), ..Default::default() }
        }
        SettingsCmd::Set { from_json } => {
            let body: CaseConfiguration = json_file(from_json)?;
            ConfigurationPatch {
                version: body.version,
                closure_type: Some(body.closure_type),
                custom_fields: Some(body.custom_fields),
                templates: Some(body.templates),
                observable_types: Some(body.observable_types),
            }
        }
        SettingsCmd::AddObservableType { key, label } => {
            let mut types = current.observable_types.clone();
            types.push(ObservableType { key: key.clone(), label: label.clone() });
            ConfigurationPatch { version: current.version.clone(), observable_types: Some(types), ..Default::default() }
        }
        SettingsCmd::RemoveObservableType { key } => {
            let mut types = current.observable_types.clone();
            let before = types.len();
            types.retain(|t| &t.key != key);
            if types.len() == before {
                return Err(Error::NotFound { what: "custom observable type", id: key.clone() });
            }
            ConfigurationPatch { version: current.version.clone(), observable_types: Some(types), ..Default::default() }
        }
    };
    let updated = book.update_configuration(out.space, &patch)?;
    out.show(&updated, print::configuration);
    Ok(())
}

pub fn user(book: &Casebook, out: &Out<'_>, cmd: &UserCmd) -> Result<(), Error> {
    match cmd {
        UserCmd::Me { username, full_name, email } => {
            let me = book.profile()?;
            let me = if username.is_none() && full_name.is_none() && email.is_none() {
                me
            } else {
                book.set_profile(&UserInput {
                    username: username.clone().unwrap_or(me.username),
                    full_name: full_name.clone().or(me.full_name),
                    email: email.clone().or(me.email),
                })?
            };
            out.show(&me, |u| print::user(u, true));
        }
        UserCmd::List => {
            let me = book.profile()?;
            let users = book.list_users()?;
            out.show(&users, |us| us.iter().for_each(|u| print::user(u, u.username == me.username)));
        }
        UserCmd::Add { username, full_name, email } => {
            let u = book.add_user(&UserInput {
                username: username.clone(),
                full_name: full_name.clone(),
                email: email.clone(),
            })?;
            out.show(&u, |u| say!("Added teammate {}.", u.username));
        }
        UserCmd::Remove { username } => {
            book.remove_user(username)?;
            out.show(&serde_json::json!({ "removed": username }), |_| say!("Removed teammate {username}."));
        }
    }
    Ok(())
}

pub fn list(out: &Out<'_>, items: Vec<String>) -> Result<(), Error> {
    out.show(&items, |items| {
        if items.is_empty() {
            say!("None yet in space {}.", out.space);
        }
        items.iter().for_each(|i| say!("{i}"));
    });
    Ok(())
}

pub fn ids(book: &Casebook, out: &Out<'_>, cmd: &IdsCmd) -> Result<(), Error> {
    match cmd {
        IdsCmd::Assign => {
            let report = book.assign_numbers()?;
            out.show(&report, |r| match r.assigned {
                0 => say!("Every case already has a number."),
                1 => say!("Numbered 1 case."),
                n => say!("Numbered {n} cases."),
            });
        }
        IdsCmd::Interval { minutes } => {
            let minutes = match minutes {
                Some(m) => book.set_id_interval_minutes(*m)?,
                None => book.id_interval_minutes()?,
            };
            out.show(&serde_json::json!({ "interval_minutes": minutes }), |_| {
                say!("The desktop app numbers new cases every {minutes} minutes.")
            });
        }
    }
    Ok(())
}
