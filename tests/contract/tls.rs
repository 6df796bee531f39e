//! A TLS listener on 127.0.0.1 presenting a self-signed certificate made at start, to check that
//! clients refuse certificates the OS does not trust. It only does handshakes.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

pub struct SelfSignedTls {
    addr: SocketAddr,
    /// The server's certificate, PEM (a client may trust it as its CA).
    pub cert_pem: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SelfSignedTls {
    pub fn start() -> SelfSignedTls {
        SelfSignedTls::serve(None)
    }

    /// A listener that completes a handshake only with a client presenting `client_cert`
    /// (PEM; self-signed, trusted as its own CA).
    pub fn requiring_client_cert(client_cert: &str) -> SelfSignedTls {
        SelfSignedTls::serve(Some(client_cert))
    }

    fn serve(client_cert: Option<&str>) -> SelfSignedTls {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("a self-signed certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("TLS versions");
        let builder = match client_cert {
            None => builder.with_no_client_auth(),
            Some(pem) => {
                use rustls::pki_types::CertificateDer;
                use rustls::pki_types::pem::PemObject;
                let mut roots = rustls::RootCertStore::empty();
                roots.add(CertificateDer::from_pem_slice(pem.as_bytes()).expect("client PEM")).expect("client root");
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                    .build()
                    .expect("client verifier");
                builder.with_client_cert_verifier(verifier)
            }
        };
        let config = builder.with_single_cert(vec![made.cert.der().clone()], key).expect("server certificate");
        let cert_pem = made.cert.pem();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let stop = stop.clone();
            move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    handshake(stream, config.clone());
                }
            }
        });
        SelfSignedTls { addr, cert_pem, stop, thread: Some(thread) }
    }

    /// `https://127.0.0.1:<port>` (an address the certificate was made for).
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

/// Runs one handshake; a client that trusts the certificate gets a one-line 200 answer.
fn handshake(mut stream: TcpStream, config: Arc<rustls::ServerConfig>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(mut conn) = rustls::ServerConnection::new(config) else { return };
    while conn.is_handshaking() {
        if conn.complete_io(&mut stream).is_err() {
            return;
        }
    }
    let mut tls = rustls::Stream::new(&mut conn, &mut stream);
    // The request's head first: an answer sent before it would be unsolicited.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match std::io::Read::read(&mut tls, &mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let _ = tls.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
    );
}

impl Drop for SelfSignedTls {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
