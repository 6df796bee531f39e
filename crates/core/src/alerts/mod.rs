//! Elastic Security alerts attached to cases: reading them from files and search responses,
//! keeping them with their original documents, and listing them for the Alerts tab.

pub mod fields;
mod import;
pub mod parse;
mod source;
mod staging;
mod store;
pub mod summary;

pub use fields::{FieldMap, flatten};
pub use parse::{AlertFileFormat, ParseIssue, ParsedAlert, detect_format, read_alerts};
pub(crate) use source::secret_name;
pub use source::{AlertSource, AlertSourceInput, StatusSyncReport};
pub use store::MAX_ALERTS_PER_PAGE;
pub(crate) use store::follow_case_status;
pub use summary::{AlertSummary, summarize};
