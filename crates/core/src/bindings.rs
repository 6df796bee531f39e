//! TypeScript declarations of the API types, generated from the Rust types so the desktop UI
//! and the core cannot drift apart. The generated file is committed; the test below fails when
//! it is stale (regenerate with `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core bindings`).

use ts_rs::{Config, TS};

use crate::WireError;
use crate::background::IdTaskStatus;
use crate::ids::AssignReport;
use crate::model::*;

/// Where the UI keeps the generated declarations, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/api/bindings.ts";

/// The whole generated file.
pub fn typescript() -> String {
    // JSON numbers, not bigint: every integer the API sends is a safe integer.
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from casebook-core (crates/core/src/bindings.rs). Do not edit by hand:\n\
         // run `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core bindings`.\n\n\
         import type { JsonValue } from \"./json\";\n",
    );
    macro_rules! declare {
        ($($t:ty),* $(,)?) => {$(
            out.push_str("\nexport ");
            out.push_str(&<$t as TS>::decl(&cfg));
            out.push('\n');
        )*};
    }
    declare!(
        WireError,
        Severity,
        Status,
        User,
        Assignee,
        UserInput,
        ProfileStatus,
        Space,
        CaseSettings,
        CustomFieldType,
        CustomFieldValue,
        CaseConnector,
        ExternalService,
        Case,
        CaseCreate,
        CasePatch,
        Comment,
        ActionVerb,
        ActionType,
        UserAction,
        ActivityQuery,
        ActivityPage,
        SortField,
        SortOrder,
        ToggleFilter,
        DateField,
        FindQuery,
        FindResult,
        CaseStats,
        Interval,
        Breakdown,
        MetricsQuery,
        TrendBucket,
        DurationStats,
        TimingStats,
        BreakdownRow,
        BreakdownTable,
        Throughput,
        AgeBucket,
        OldCase,
        TopItem,
        TopLists,
        SlaTarget,
        SlaFilter,
        SlaCase,
        SlaWeek,
        SlaReport,
        Metrics,
        crate::analytics::ExportKind,
        crate::analytics::ExportFormat,
        crate::analytics::ExportProgress,
        SeverityCounts,
        TagCount,
        MatchingCases,
        BulkChange,
        BulkIssue,
        BulkBatch,
        BulkReport,
        ClosureType,
        CustomFieldDefinition,
        TemplateCaseFields,
        Template,
        CaseConfiguration,
        ConfigurationPatch,
        AssignReport,
        IdTaskStatus,
        AlertOrigin,
        WorkflowStatus,
        CaseAlert,
        AlertField,
        AlertDetail,
        AlertSortField,
        AlertListQuery,
        AlertPage,
        AlertRuleGroup,
        AlertOverview,
        ParseIssue,
        AlertImportReport,
        ImportPhase,
        AlertImportProgress,
        ObservableType,
        Observable,
        ObservableInput,
        LeftOutObservable,
        LeftOutPage,
        Promotion,
        SharedObservable,
        SimilarCase,
        SimilarCasesPage,
        crate::alerts::AlertSource,
        crate::alerts::AlertSourceInput,
        crate::alerts::StatusSyncReport,
        crate::alerts::AlertSummary,
        crate::elastic::AlertQuery,
        crate::elastic::AlertHit,
        crate::elastic::AlertSearchPage,
        crate::elastic::ClusterInfo,
        ConnectorKind,
        ConnectorSettings,
        crate::connectors::jira::JiraSettings,
        crate::connectors::servicenow::ServiceNowSettings,
        crate::connectors::resilient::ResilientSettings,
        crate::connectors::swimlane::SwimlaneSettings,
        crate::connectors::swimlane::SwimlaneMappings,
        crate::connectors::thehive::TheHiveSettings,
        crate::connectors::webhook::settings::CasesWebhookSettings,
        WebhookMethod,
        WebhookCreate,
        WebhookGet,
        WebhookRequest,
        WebhookFind,
        CertType,
        Verification,
        WebhookAuth,
        PreviewRequest,
        PreviewHeader,
        RequestPreview,
        ConnectorAuth,
        ServiceNowMode,
        Choice,
        RemoteField,
        ConnectorMetadata,
        Connector,
        ConnectorInput,
        ConnectionCheck,
        PushState,
        OutboxState,
        OutboxItem,
        PushReport,
        PushOutcome,
        CreatedAndPushed,
        crate::connectors::fields::ChoiceField,
        crate::connectors::fields::SwitchField,
        crate::connectors::fields::JsonField,
        crate::secrets::SecretStoreKind,
        crate::secrets::SecretStoreStatus,
        crate::secrets::SecretNotMoved,
        crate::secrets::SecretStoreSwitch,
    );
    // The validation limits, so the UI checks input against the very numbers the core uses.
    macro_rules! more_limits {
        ($($path:path => $name:ident),* $(,)?) => {$(
            out.push_str(&format!("export const {} = {};\n", stringify!($name), $path));
        )*};
    }
    out.push_str("\n// Kibana's limits as the core enforces them (text is trimmed, then counted in characters).\n");
    macro_rules! limits {
        ($($name:ident),* $(,)?) => {$(
            out.push_str(&format!("export const {} = {};\n", stringify!($name), crate::validate::$name));
        )*};
    }
    limits!(
        MAX_TITLE_LENGTH,
        MAX_DESCRIPTION_LENGTH,
        MAX_COMMENT_LENGTH,
        MAX_TAGS_PER_CASE,
        MAX_LENGTH_PER_TAG,
        MAX_CATEGORY_LENGTH,
        MAX_ASSIGNEES_PER_CASE,
        MAX_CUSTOM_FIELDS_PER_CASE,
        MAX_CUSTOM_FIELD_KEY_LENGTH,
        MAX_CUSTOM_FIELD_LABEL_LENGTH,
        MAX_CUSTOM_FIELD_TEXT_VALUE_LENGTH,
        MAX_TEMPLATES_LENGTH,
        MAX_TEMPLATE_KEY_LENGTH,
        MAX_TEMPLATE_NAME_LENGTH,
        MAX_TEMPLATE_DESCRIPTION_LENGTH,
        MAX_TAGS_PER_TEMPLATE,
        MAX_TEMPLATE_TAG_LENGTH,
        MAX_CASES_PER_PAGE,
        MAX_USER_ACTIONS_PER_PAGE,
        MAX_DOCS_PER_PAGE,
        MAX_BULK_CASES,
        MAX_FILTER_VALUES,
        MAX_SPACE_NAME_LENGTH,
        MAX_USERNAME_LENGTH,
        MAX_SEARCH_LENGTH,
        MAX_SAFE_INTEGER,
    );
    more_limits!(
        crate::observables::types::MAX_OBSERVABLES_PER_CASE => MAX_OBSERVABLES_PER_CASE,
        crate::observables::types::MAX_OBSERVABLES_CAP => MAX_OBSERVABLES_CAP,
        crate::observables::types::MAX_CUSTOM_OBSERVABLE_TYPES => MAX_CUSTOM_OBSERVABLE_TYPES,
        crate::observables::types::MAX_OBSERVABLE_TYPE_KEY_LENGTH => MAX_OBSERVABLE_TYPE_KEY_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_TYPE_LABEL_LENGTH => MAX_OBSERVABLE_TYPE_LABEL_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_VALUE_LENGTH => MAX_OBSERVABLE_VALUE_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_DESCRIPTION_LENGTH => MAX_OBSERVABLE_DESCRIPTION_LENGTH,
        crate::alerts::MAX_ALERTS_PER_PAGE => MAX_ALERTS_PER_PAGE,
        crate::connectors::MAX_CONNECTOR_NAME_LENGTH => MAX_CONNECTOR_NAME_LENGTH,
        crate::ids::MIN_ID_INTERVAL_MINUTES => MIN_ID_INTERVAL_MINUTES,
        crate::ids::MAX_ID_INTERVAL_MINUTES => MAX_ID_INTERVAL_MINUTES,
        crate::secrets::MIN_PASSPHRASE_LENGTH => MIN_PASSPHRASE_LENGTH,
    );
    out.push_str(
        "\n/**\n * Every error code a call can fail with: the core's own, then the adapters' transport codes\n \
         * (`usage`: the CLI refused its arguments; `ipc`: the UI could not reach the core).\n */\n\
         export const ERROR_CODES = [",
    );
    let codes = crate::Error::CODES.iter().chain(WireError::TRANSPORT_CODES);
    out.push_str(&codes.map(|c| js_string(c)).collect::<Vec<_>>().join(", "));
    out.push_str("] as const;\nexport type ErrorCode = (typeof ERROR_CODES)[number];\n");
    contracts(&mut out);
    out
}

/// The lists and marks the UI would otherwise copy by hand, from their one Rust declaration.
fn contracts(out: &mut String) {
    use crate::connectors::fields;
    use crate::fts;
    let by_kind = |f: &dyn Fn(ConnectorKind) -> String| {
        let items: Vec<String> =
            ConnectorKind::ALL.iter().map(|k| format!("  {}: {},\n", js_string(k.as_str()), f(*k))).collect();
        format!("{{\n{}}}", items.concat())
    };

    out.push_str("\n// A case's statuses and severities, in the order the UI lists them.\n");
    let statuses: Vec<String> = Status::ALL.iter().map(|s| js_string(s.as_str())).collect();
    out.push_str(&format!("export const STATUSES: readonly Status[] = [{}];\n", statuses.join(", ")));
    let severities: Vec<String> = Severity::ALL.iter().map(|s| js_string(s.as_str())).collect();
    out.push_str(&format!("export const SEVERITIES: readonly Severity[] = [{}];\n", severities.join(", ")));

    out.push_str(
        "\n// The Analytics page: trend intervals, timing breakdowns, and the most buckets a trend may hold.\n",
    );
    let intervals: Vec<String> = Interval::ALL.iter().map(|i| js_string(i.as_str())).collect();
    out.push_str(&format!("export const INTERVALS: readonly Interval[] = [{}];\n", intervals.join(", ")));
    let breakdowns: Vec<String> = Breakdown::ALL.iter().map(|b| js_string(b.as_str())).collect();
    out.push_str(&format!("export const BREAKDOWNS: readonly Breakdown[] = [{}];\n", breakdowns.join(", ")));
    out.push_str(&format!("export const MAX_TREND_BUCKETS = {};\n", crate::analytics::MAX_TREND_BUCKETS));

    out.push_str("\n// Connectors: the systems, Kibana's connector type ids, and the fields of a case's connector.\n");
    let kinds: Vec<String> = ConnectorKind::ALL.iter().map(|k| js_string(k.as_str())).collect();
    out.push_str(&format!("export const CONNECTOR_KINDS: readonly ConnectorKind[] = [{}];\n", kinds.join(", ")));
    out.push_str(&format!(
        "export const CONNECTOR_KIND_LABEL: Record<ConnectorKind, string> = {};\n",
        by_kind(&|k| js_string(k.label()))
    ));
    out.push_str("/** Kibana's connector type id of each kind, as a case's `connector.type` holds it. */\n");
    out.push_str(&format!(
        "export const KIBANA_CONNECTOR_TYPE: Record<ConnectorKind, string> = {};\n",
        by_kind(&|k| js_string(k.kibana_type()))
    ));
    out.push_str("/** The drop-downs of each system, in Kibana's order. */\n");
    out.push_str(&format!(
        "export const CONNECTOR_CHOICE_FIELDS: Record<ConnectorKind, readonly ChoiceField[]> = {};\n",
        by_kind(&|k| json_list(fields::choice_fields(k), "  "))
    ));
    out.push_str("/** The switches of each system that collect observables of the case's alerts into the ticket. */\n");
    out.push_str(&format!(
        "export const CONNECTOR_SWITCHES: Record<ConnectorKind, readonly SwitchField[]> = {};\n",
        by_kind(&|k| json_list(crate::connectors::spec(k).switches, "  "))
    ));

    out.push_str("/** Whether a system's ticket carries the case's status and severity (a closed case can then be pushed, to close it there). */\n");
    out.push_str(&format!(
        "export const CONNECTOR_SENDS_STATUS: Record<ConnectorKind, boolean> = {};\n",
        by_kind(&|k| crate::connectors::spec(k).sends_status.to_string())
    ));
    out.push_str("/** The fields of each system holding a JSON object of its own fields (additional fields). */\n");
    out.push_str(&format!(
        "export const CONNECTOR_JSON_FIELDS: Record<ConnectorKind, readonly JsonField[]> = {};\n",
        by_kind(&|k| json_list(fields::json_fields(k), "  "))
    ));

    out.push_str("\n/** Kibana's eight built-in observable types, in its order. */\n");
    out.push_str(&format!(
        "export const BUILTIN_OBSERVABLE_TYPES: readonly ObservableType[] = {};\n",
        json_list(&crate::observables::types::builtin_types(), "")
    ));

    out.push_str("\n// The search grammar (crates/core/src/fts.rs).\n");
    out.push_str("/** What Rust's `char::is_whitespace` and `str::trim` count as white space. */\n");
    out.push_str(&format!(
        "export const WHITESPACE_CHARS = {};\n",
        js_string(&fts::whitespace_chars().collect::<String>())
    ));
    out.push_str(&format!(
        "export const SEARCH_CASE_NUMBER_PREFIX = {};\n",
        js_string(&fts::CASE_NUMBER_PREFIX.to_string())
    ));
    out.push_str(&format!("export const SEARCH_PHRASE_QUOTE = {};\n", js_string(&fts::PHRASE_QUOTE.to_string())));
    out.push_str(&format!("export const SEARCH_PREFIX_WILDCARD = {};\n", js_string(&fts::PREFIX_WILDCARD.to_string())));
}

/// `s` as a TypeScript string literal, with everything but printable ASCII as a `\u` escape so
/// that no invisible character hides in the generated file.
fn js_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// A constant table as a JSON array, one item a line, each line after the first indented by
/// `indent` and two spaces.
fn json_list<T: serde::Serialize>(items: &[T], indent: &str) -> String {
    let lines: Vec<String> = items
        .iter()
        .map(|i| format!("{indent}  {},\n", serde_json::to_string(i).expect("constant tables serialise")))
        .collect();
    format!("[\n{}{indent}]", lines.concat())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn bindings_are_current() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(super::BINDINGS_PATH);
        let fresh = super::typescript();
        if std::env::var_os("CASEBOOK_UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run `CASEBOOK_UPDATE_BINDINGS=1 cargo test -p casebook-core bindings` and commit it",
            super::BINDINGS_PATH
        );
    }
}
