//! The webhook's TLS settings: a client certificate (PEM certificate and key), a CA to trust,
//! and how strictly the server's certificate is checked (Kibana's `verificationMode`). Read
//! and checked when the connector is saved or signed in, before any request.

use base64::Engine;

use super::settings::{CLIENT_KEY, CLIENT_KEY_PASSWORD, CertType, Verification, WebhookAuth};
use crate::connectors::Secrets;
use crate::{Error, Result};

/// What the client builder gets.
#[derive(Default)]
pub(crate) struct Tls {
    identity: Option<reqwest::Identity>,
    ca: Vec<reqwest::Certificate>,
    verification: Verification,
}

impl Tls {
    pub fn new(auth: &WebhookAuth, secrets: &Secrets) -> Result<Tls> {
        let WebhookAuth::Certificate { cert_type, certificate, ca, verification } = auth else {
            return Ok(Tls::default());
        };
        let key = secrets.get(CLIENT_KEY).ok_or_else(|| {
            Error::validation(
                "secrets",
                "client_key is required: the client certificate's private key (PEM), or the PFX file (base64)",
            )
        })?;
        let identity = match cert_type {
            CertType::Pem => {
                if secrets.get(CLIENT_KEY_PASSWORD).is_some() || key.contains("ENCRYPTED") {
                    return Err(Error::validation(
                        "secrets",
                        "an encrypted PEM key is not supported: give the key unencrypted (`openssl pkey -in key.pem -out plain.pem`); it is kept in the keychain",
                    ));
                }
                let pem = format!("{}\n{}\n", certificate.as_deref().unwrap_or("").trim(), key.trim());
                reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| {
                    Error::validation(
                        "secrets",
                        format!("the client certificate and key could not be read as PEM ({e}); the key must be PKCS#8, PKCS#1 or SEC1 PEM"),
                    )
                })?
            }
            CertType::Pfx => {
                let der = base64::engine::general_purpose::STANDARD
                    .decode(key.split_whitespace().collect::<String>())
                    .map_err(|_| Error::validation("secrets", "client_key: a PFX file is given as base64"))?;
                let password = secrets.get(CLIENT_KEY_PASSWORD).unwrap_or("");
                let store = p12_keystore::KeyStore::from_pkcs12(&der, password, p12_keystore::Pkcs12ImportPolicy::Strict)
                    .map_err(|e| {
                        Error::validation(
                            "secrets",
                            format!("the PFX file could not be opened ({e}); check the file and its password (client_key_password)"),
                        )
                    })?;
                let (_, chain) = store.private_key_chain().ok_or_else(|| {
                    Error::validation("secrets", "the PFX file holds no private key with its certificate")
                })?;
                let mut pem: String = chain.certs().iter().map(|c| pem_block("CERTIFICATE", c.as_der())).collect();
                pem.push_str(&pem_block("PRIVATE KEY", chain.key().as_der()));
                reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| {
                    Error::validation("secrets", format!("the PFX file's certificate and key could not be used ({e})"))
                })?
            }
        };
        let ca = match ca {
            Some(pem) => reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| Error::validation("auth.ca", format!("is not a readable PEM certificate ({e})")))?,
            None => Vec::new(),
        };
        Ok(Tls { identity: Some(identity), ca, verification: *verification })
    }

    /// Whether a client certificate is presented (for messages).
    #[cfg(test)]
    fn has_identity(&self) -> bool {
        self.identity.is_some()
    }

    pub fn apply(self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        let mut b = builder;
        if let Some(identity) = self.identity {
            b = b.identity(identity);
        }
        match self.verification {
            // The system's trust store and the CA given.
            Verification::Full => b.tls_certs_merge(self.ca),
            // rustls checks a chain without the host name only against roots given here.
            Verification::Certificate => b.tls_certs_only(self.ca).tls_danger_accept_invalid_hostnames(true),
            Verification::None => b.tls_danger_accept_invalid_certs(true),
        }
    }
}

/// DER as one PEM block (64-character lines).
fn pem_block(label: &str, der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = text.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PKCS#12 file (OpenSSL 3's defaults: AES-256-CBC, PBKDF2, SHA-256 MAC) holding a
    /// self-signed test certificate and its key, made for this test; password `pfx-test-pass`.
    const PFX: &str = "MIIELAIBAzCCA+IGCSqGSIb3DQEHAaCCA9MEggPPMIIDyzCCAoIGCSqGSIb3DQEHBqCCAnMwggJvAgEAMIICaAYJKoZIhvcNAQcBMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjoXl3iehtQDAICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEKz6RVp7AbcUnYcc7ODrx2+AggIAilHNB15vOosTEDIfKmuKrDqGlGzIv5P/96UT4sFmv+Nr2+omRkyNOl+ajL1ursFH9qeY4IVbrO+E6kh91g5goZESL5pXRwf9jCzWgXt9uGyHZ9x9hwQuUKf1vW+9w+HTMRbvByd3lvkYiZFycBW47HgTZkhHcyrS60J2kRt+o2GUbs3WSBPrWusQRHc5I2fkGcWrX5b9ZzeVMh6DHK+7Uikq5Rld9295+nxY+ZNfQ517YCGLiJYeJ0LEvLBNC3z0qFQRlsDrKh2GFmLIw8iL5xtf/rBGarrahUTa/rYv8aQBYM1Y2IIceS9BStX9yH7KKXuys3pPvYy6LpV9F2miVdFsFD8MoISY+J9A76m6kfZYbqI48bTSeuwgmSbxqN7c/ui7Ujh+ku735xlJT29Jmyyuemxr42JZ6LFC40LICymh/++jg0fFPmSqS9TFVdGjBuFa7P0wpwIIbwDA/uzT2pFVB5mTOwqYB5vk9F8QHPNE1w+WuxyQWHyKkvdPUfqtB0nX1i+GIRRjlr0oZDHc6ZBtwg0Lh6NAOwp41bhtRqJAhEhDmghHF2SOav1fTVVXl8TfsLr3LUYbPifA0a42qcZ7D1jlgapUwRHaCYVRq83SDtdBp9JoxaoCNy96hO9tRfnmli0kWdwg4+Hw9y7pkwWwXkQrZz7M2EqjspVhyhAwggFBBgkqhkiG9w0BBwGgggEyBIIBLjCCASowggEmBgsqhkiG9w0BDAoBAqCB7zCB7DBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIx4ZlTMlrY/wCAggAMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCXnoEGowcayRNMpb7tEuCYBIGQCN9U0wRCExvcXtP9vTsb+qzi2JM18BB+nDMuLxA1JAw8O9o53i21mHRTechnJO8SEbU3tRU6U0nD9kj3jkq4L1bnSwGfgHVDfrPHhfCbMUvzx5E3ITBs42VjiXn3zIEsXJcj7+A8o0Zu6m7UW77xVlH/kt/Gu2VCQe26oF84DOHjrmHufW3LkCiAImV9N+eYMSUwIwYJKoZIhvcNAQkVMRYEFDEYfCimPbDlcb8kxdpvQW6cfVxeMEEwMTANBglghkgBZQMEAgEFAAQgDWrvTR5jqJjY12Qtg5vvf7xWMxFDbvZP9CEUT3yGlJ8ECAQDdekMg7GBAgIIAA==";

    fn pfx(password: Option<&str>) -> Secrets {
        let mut s = Secrets::default();
        s.set(CLIENT_KEY, PFX);
        if let Some(p) = password {
            s.set(CLIENT_KEY_PASSWORD, p);
        }
        s
    }

    fn auth(cert_type: CertType) -> WebhookAuth {
        WebhookAuth::Certificate { cert_type, certificate: None, ca: None, verification: Verification::Full }
    }

    #[test]
    fn a_pfx_file_is_opened_with_its_password() {
        let tls = Tls::new(&auth(CertType::Pfx), &pfx(Some("pfx-test-pass"))).unwrap();
        assert!(tls.has_identity());
        let e = Tls::new(&auth(CertType::Pfx), &pfx(Some("wrong"))).err().unwrap();
        assert!(e.to_string().starts_with("secrets: the PFX file could not be opened"), "{e}");
        let mut not_base64 = pfx(None);
        not_base64.set(CLIENT_KEY, "%%%");
        let e = Tls::new(&auth(CertType::Pfx), &not_base64).err().unwrap();
        assert_eq!(e.to_string(), "secrets: client_key: a PFX file is given as base64");
    }

    #[test]
    fn pem_blocks_have_short_lines() {
        let block = pem_block("CERTIFICATE", &[7u8; 100]);
        assert!(block.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(block.lines().all(|l| l.len() <= 64));
    }
}
