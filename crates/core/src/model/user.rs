use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A person as Kibana records one on `created_by`, `updated_by`, `closed_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct User {
    pub username: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub profile_uid: Option<String>,
}

impl User {
    pub fn named(username: &str) -> Self {
        User { username: username.to_string(), full_name: None, email: None, profile_uid: None }
    }

    /// How the UI and the push suffix name a person.
    pub fn display_name(&self) -> &str {
        self.full_name.as_deref().filter(|n| !n.is_empty()).unwrap_or(&self.username)
    }
}

/// The analyst's profile and whether they have checked it. Casebook makes the profile from the
/// OS account (a login such as "root" and the passwd full name), so the app asks once for the
/// name and e-mail to record on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileStatus {
    pub profile: User,
    /// False until the profile is saved once (in the app, or `casebook user me` with a flag).
    pub confirmed: bool,
}

/// An assignee, as Kibana spells it: the user's uid (here, the username).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Assignee {
    pub uid: String,
}

/// Profile or teammate fields as typed by the user.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
pub struct UserInput {
    pub username: String,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}
