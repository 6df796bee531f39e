//! The webhook's TLS settings: a client certificate (PEM certificate and key), a CA to trust,
//! and how strictly the server's certificate is checked (Kibana's `verificationMode`). Read
//! and checked when the connector is saved or signed in, before any request.

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
            Error::validation("secrets", "client_key is required: the client certificate's private key (PEM)")
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
                return Err(Error::validation(
                    "auth.cert_type",
                    "PFX files are not supported yet: convert it to PEM (`openssl pkcs12 -in client.pfx -nodes`) and choose PEM",
                ));
            }
        };
        let ca = match ca {
            Some(pem) => reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| Error::validation("auth.ca", format!("is not a readable PEM certificate ({e})")))?,
            None => Vec::new(),
        };
        Ok(Tls { identity: Some(identity), ca, verification: *verification })
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
