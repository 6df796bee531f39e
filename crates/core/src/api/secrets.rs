//! Where the database's secrets are kept: the OS keychain or the opt-in encrypted file.

use super::{Answer, Api};
use zeroize::Zeroizing;

use crate::secrets::{SecretStoreKind, SecretStoreStatus, SecretStoreSwitch};

pub async fn secret_store_status(api: &Api) -> Answer<SecretStoreStatus> {
    api.run(|b| b.secret_store_status()).await
}

// Passphrases that came over IPC are wiped from memory once used (Zeroizing).

pub async fn unlock_secrets(api: &Api, passphrase: String) -> Answer<SecretStoreStatus> {
    let passphrase = Zeroizing::new(passphrase);
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
    let (old, new) = (Zeroizing::new(old_passphrase), Zeroizing::new(new_passphrase));
    api.run(move |b| b.change_secrets_passphrase(&old, &new)).await
}

pub async fn set_secret_store(
    api: &Api,
    store: SecretStoreKind,
    passphrase: Option<String>,
) -> Answer<SecretStoreSwitch> {
    let passphrase = passphrase.map(Zeroizing::new);
    api.run(move |b| b.set_secret_store(store, passphrase.as_deref().map(String::as_str))).await
}
