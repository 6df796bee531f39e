//! The data Casebook keeps, shaped like Kibana's Cases API (snake_case field names, Kibana's
//! enum spellings) so that scripts written against one read the other.

mod alert;
mod analytics;
mod bulk;
mod case;
mod comment;
mod connector;
mod find;
mod observable;
mod settings;
mod space;
mod user;
mod user_action;

pub use alert::*;
pub use analytics::*;
pub use bulk::*;
pub use case::*;
pub use comment::*;
pub use connector::*;
pub use find::*;
pub use observable::*;
pub use settings::*;
pub use space::*;
pub use user::*;
pub use user_action::*;

/// Owner of every record unless told otherwise; kept for Kibana interop.
pub const DEFAULT_OWNER: &str = "securitySolution";
/// The space that always exists.
pub const DEFAULT_SPACE: &str = "default";
