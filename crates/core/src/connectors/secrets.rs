//! A connector's secrets as one keychain item. Most systems have one secret (a token or a
//! password), stored as it is, as Casebook always did; a system with several (a webhook's
//! secret headers and client key) stores them as one JSON object behind a marker, so a
//! connector's secrets are written and deleted in one keychain call.

use std::collections::BTreeMap;

/// Marks an item that holds several named secrets (JSON follows). A token never starts so.
const SEVERAL: &str = "casebook-secrets:v1:";

/// The name of the main secret (a token, a password).
pub(crate) const MAIN: &str = "secret";

#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Secrets(BTreeMap<String, String>);

impl std::fmt::Debug for Secrets {
    // Names only: values stay out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Secrets {
    pub fn main(secret: impl Into<String>) -> Secrets {
        let mut map = BTreeMap::new();
        map.insert(MAIN.to_string(), secret.into());
        Secrets(map)
    }

    /// What the keychain item holds.
    pub fn decode(stored: &str) -> Secrets {
        match stored.strip_prefix(SEVERAL).and_then(|json| serde_json::from_str(json).ok()) {
            Some(map) => Secrets(map),
            None => Secrets::main(stored),
        }
    }

    pub fn encode(&self) -> String {
        match (self.0.len(), self.0.get(MAIN)) {
            (1, Some(main)) => main.clone(),
            _ => format!("{SEVERAL}{}", serde_json::to_string(&self.0).unwrap_or_default()),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// Every secret, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The names of the secrets held (never their values).
    pub fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    /// Sets `name`; an empty value removes it.
    pub fn set(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            self.0.remove(name);
        } else {
            self.0.insert(name.to_string(), value.to_string());
        }
    }

    /// The main secret, or "" when there is none (a system that signs in without one).
    pub fn main_secret(&self) -> &str {
        self.get(MAIN).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_secret_is_stored_as_it_always_was() {
        let s = Secrets::main("tok3n");
        assert_eq!(s.encode(), "tok3n");
        assert_eq!(Secrets::decode("tok3n"), s);
    }

    #[test]
    fn several_secrets_round_trip_and_debug_shows_names_only() {
        let mut s = Secrets::main("pw");
        s.0.insert("header:X-Api-Key".into(), "k3y".into());
        let stored = s.encode();
        assert!(stored.starts_with(SEVERAL));
        assert_eq!(Secrets::decode(&stored), s);
        let shown = format!("{s:?}");
        assert!(!shown.contains("pw") && !shown.contains("k3y") && shown.contains("header:X-Api-Key"));
    }
}
