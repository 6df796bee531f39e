//! The space's case settings, and the people cases are assigned to.

use super::{Answer, Api};
use crate::{CaseConfiguration, ConfigurationPatch, ProfileStatus, User, UserInput};

pub async fn get_configuration(api: &Api, space: String) -> Answer<CaseConfiguration> {
    api.run(move |b| b.configuration(&space)).await
}

pub async fn update_configuration(api: &Api, space: String, patch: ConfigurationPatch) -> Answer<CaseConfiguration> {
    api.run(move |b| b.update_configuration(&space, &patch)).await
}

pub async fn profile(api: &Api) -> Answer<User> {
    api.run(|b| b.profile()).await
}

pub async fn set_profile(api: &Api, input: UserInput) -> Answer<User> {
    api.run(move |b| b.set_profile(&input)).await
}

pub async fn profile_status(api: &Api) -> Answer<ProfileStatus> {
    api.run(|b| b.profile_status()).await
}

pub async fn list_users(api: &Api) -> Answer<Vec<User>> {
    api.run(|b| b.list_users()).await
}

pub async fn add_user(api: &Api, input: UserInput) -> Answer<User> {
    api.run(move |b| b.add_user(&input)).await
}

pub async fn remove_user(api: &Api, username: String) -> Answer<()> {
    api.run(move |b| b.remove_user(&username)).await
}
