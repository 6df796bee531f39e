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
        FindQuery,
        FindResult,
        CaseStats,
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
        ConnectorAuth,
        ServiceNowMode,
        Choice,
        ConnectorMetadata,
        Connector,
        ConnectorInput,
        ConnectionCheck,
        PushState,
        OutboxState,
        OutboxItem,
        PushReport,
        PushOutcome,
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
    );
    more_limits!(
        crate::observables::types::MAX_OBSERVABLES_PER_CASE => MAX_OBSERVABLES_PER_CASE,
        crate::observables::types::MAX_CUSTOM_OBSERVABLE_TYPES => MAX_CUSTOM_OBSERVABLE_TYPES,
        crate::observables::types::MAX_OBSERVABLE_TYPE_KEY_LENGTH => MAX_OBSERVABLE_TYPE_KEY_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_TYPE_LABEL_LENGTH => MAX_OBSERVABLE_TYPE_LABEL_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_VALUE_LENGTH => MAX_OBSERVABLE_VALUE_LENGTH,
        crate::observables::types::MAX_OBSERVABLE_DESCRIPTION_LENGTH => MAX_OBSERVABLE_DESCRIPTION_LENGTH,
        crate::alerts::MAX_ALERTS_PER_PAGE => MAX_ALERTS_PER_PAGE,
        crate::connectors::MAX_CONNECTOR_NAME_LENGTH => MAX_CONNECTOR_NAME_LENGTH,
    );
    out.push_str("\n/** Every error code the API can return. */\nexport const ERROR_CODES = [");
    out.push_str(&crate::Error::CODES.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "));
    out.push_str("] as const;\nexport type ErrorCode = (typeof ERROR_CODES)[number];\n");
    out
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
