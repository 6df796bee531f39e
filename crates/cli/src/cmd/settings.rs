//! `casebook settings …`: the case settings of the space (closure, custom fields, templates,
//! observable types).

use std::path::PathBuf;

use casebook_core::model::*;
use casebook_core::{Casebook, Error};
use clap::Subcommand;

use super::Out;
use crate::input::json_file;
use crate::print;

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Show the space's case settings.
    Show,
    /// Close cases only by hand, or also when they are pushed.
    Closure {
        #[arg(value_parser = ["close-by-user", "close-by-pushing"])]
        option: String,
    },
    /// Define a custom field (at most 10 per space).
    AddField {
        #[arg(long)]
        key: String,
        #[arg(long)]
        label: String,
        /// text, toggle or number.
        #[arg(long = "type")]
        field_type: String,
        #[arg(long)]
        required: bool,
        #[arg(long)]
        default: Option<String>,
    },
    /// Remove a custom field definition (existing cases keep their values).
    RemoveField { key: String },
    /// Define a custom observable type (at most 10 per space).
    AddObservableType {
        /// Lowercase letters, digits, '_' and '-'.
        #[arg(long)]
        key: String,
        #[arg(long)]
        label: String,
    },
    /// Remove a custom observable type; its observables are deleted from every case.
    RemoveObservableType { key: String },
    /// How many observables a case of the space holds at most (Kibana's 50 by default, up to
    /// 500). Raising it fills cases from their left-out values, the most alerts first.
    MaxObservables { count: u32 },
    /// The order of observable types that ranks extracted values carried by as many alerts
    /// (type keys or labels; unlisted types follow in their usual order). None resets it.
    TypePriority { types: Vec<String> },
    /// Service-level targets for one severity: how long a case may stay unacknowledged (open,
    /// never in progress) and unresolved, from its creation. Durations like 30m, 4h, 2d, 1w;
    /// `none` removes one.
    Sla {
        /// low, medium, high or critical.
        #[arg(long)]
        severity: String,
        #[arg(long, value_name = "DURATION")]
        acknowledge: Option<String>,
        #[arg(long, value_name = "DURATION")]
        resolve: Option<String>,
    },
    /// Replace the settings with a JSON document (the `settings show --json` shape), file or `-`.
    Set {
        #[arg(long, value_name = "FILE|-")]
        from_json: PathBuf,
    },
}

pub fn run(book: &Casebook, out: &Out<'_>, cmd: &SettingsCmd) -> Result<(), Error> {
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
                    Some(casebook_core::settings::custom_field_from_text(&probe, &format!("{key}={d}"))?.value);
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
                max_observables: Some(body.max_observables),
                observable_type_priority: Some(body.observable_type_priority),
                sla: Some(body.sla),
            }
        }
        SettingsCmd::Sla { severity, acknowledge, resolve } => {
            let severity: Severity = severity.parse()?;
            let mut targets = current.sla.clone();
            let old = targets.iter().position(|t| t.severity == severity).map(|i| targets.remove(i));
            let keep = |given: &Option<String>, field: &str, old: Option<i64>| -> Result<Option<i64>, Error> {
                match given.as_deref().map(str::trim) {
                    None => Ok(old),
                    Some("none") => Ok(None),
                    Some(v) => crate::input::duration(field, v).map(Some),
                }
            };
            let target = SlaTarget {
                severity,
                acknowledge_seconds: keep(
                    acknowledge,
                    "acknowledge",
                    old.as_ref().and_then(|o| o.acknowledge_seconds),
                )?,
                resolve_seconds: keep(resolve, "resolve", old.as_ref().and_then(|o| o.resolve_seconds))?,
            };
            targets.push(target);
            ConfigurationPatch { version: current.version.clone(), sla: Some(targets), ..Default::default() }
        }
        SettingsCmd::MaxObservables { count } => {
            ConfigurationPatch { version: current.version.clone(), max_observables: Some(*count), ..Default::default() }
        }
        SettingsCmd::TypePriority { types } => ConfigurationPatch {
            version: current.version.clone(),
            observable_type_priority: Some(types.clone()),
            ..Default::default()
        },
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
