//! The real OS keychain, end to end. Ignored in normal runs because it needs a running,
//! unlocked Secret Service; `scripts/test-keychain` provides a throwaway one and runs it.

use casebook_core::secrets::{Keychain, SecretStore, default_store};

#[test]
#[ignore = "needs an unlocked OS keychain: run scripts/test-keychain"]
fn keychain_round_trip_against_secret_service() {
    let id = uuid::Uuid::new_v4();
    let name = format!("test:{id}");
    let secret = format!("cb-secret-{id}");
    Keychain.probe().unwrap();
    assert_eq!(Keychain.get(&name).unwrap(), None);
    Keychain.set(&name, &secret).unwrap();
    // Each call opens its own keychain entry, so this reads what the keychain really stored.
    assert_eq!(default_store().get(&name).unwrap().as_deref(), Some(secret.as_str()));
    Keychain.set(&name, "replaced").unwrap();
    assert_eq!(default_store().get(&name).unwrap().as_deref(), Some("replaced"));
    Keychain.delete(&name).unwrap();
    assert_eq!(default_store().get(&name).unwrap(), None);
    Keychain.delete(&name).unwrap();
}
