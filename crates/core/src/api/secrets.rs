//! Where the database's secrets are kept: the OS keychain or the opt-in encrypted file.

use super::{Answer, Api};
use crate::secrets::{SecretStoreKind, SecretStoreStatus, SecretStoreSwitch};

pub async fn secret_store_status(api: &Api) -> Answer<SecretStoreStatus> {
    api.run(|b| b.secret_store_status()).await
}

pub async fn unlock_secrets(api: &Api, passphrase: String) -> Answer<SecretStoreStatus> {
    api.run(move |b| b.unlock_secrets(&passphrase)).await
}

pub async fn lock_secrets(api: &Api) -> Answer<SecretStoreStatus> {
    api.run(|b| b.lock_secrets()).await
}

pub async fn change_secrets_passphrase(
    api: &Api,
    old_passphrase: String,
    new_passphrase: String,
) -> Answer<SecretStoreStatus> {
    api.run(move |b| b.change_secrets_passphrase(&old_passphrase, &new_passphrase)).await
}

pub async fn set_secret_store(
    api: &Api,
    store: SecretStoreKind,
    passphrase: Option<String>,
) -> Answer<SecretStoreSwitch> {
    api.run(move |b| b.set_secret_store(store, passphrase.as_deref())).await
}
