//! The HTTP side of `casebook serve --dev`:
//! - `POST /api/invoke/<command>` with the command's arguments as the window sends them over IPC
//!   (a JSON object, camelCase keys) answers 200 with the command's JSON answer, or an error
//!   status with the same `WireError` body (`{code, message, field?, what?}`) the window gets;
//! - `GET /api/events` is a Server-Sent Events stream of the events the window would hear
//!   (`db-changed`, `alert-import-progress`), each `event: <name>` with its JSON payload;
//! - `GET /api/health` says the server is up.
//!
//! Only pages on this machine may call it: the Host must be a loopback name (no DNS rebinding),
//! an Origin, when sent, must be a loopback origin, and a POST must be `application/json` (so a
//! page elsewhere cannot send one without a preflight this server never grants).

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use casebook_core::WireError;
use casebook_core::api::{self, Api};
use casebook_core::background::OnChange;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HOST, ORIGIN};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::sync::mpsc;

/// The largest request body: a case with every field at its limit is far smaller.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Accepts connections until the listener fails; each one is served on its own task.
pub async fn serve(listener: tokio::net::TcpListener, api: Api, events: Events) {
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, most likely: wait a little rather than spin.
                eprintln!("casebook serve: cannot accept a connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let (api, events) = (api.clone(), events.clone());
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let (api, events) = (api.clone(), events.clone());
                async move { Ok::<_, Infallible>(route(req, &api, &events).await) }
            });
            // An aborted connection (a closed tab, a test that stopped) is not worth a line.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

type Reply = Response<ReplyBody>;

async fn route(req: Request<Incoming>, api: &Api, events: &Events) -> Reply {
    if let Err(refusal) = local_caller(&req) {
        return error(StatusCode::FORBIDDEN, transport(refusal));
    }
    let path = req.uri().path().to_string();
    match (req.method().clone(), path.as_str()) {
        (Method::GET, "/api/health") => json(StatusCode::OK, &serde_json::json!({ "ok": true })),
        (Method::GET, "/api/events") => events.subscribe(),
        (Method::POST, p) if p.starts_with("/api/invoke/") => invoke(req, api, &p["/api/invoke/".len()..]).await,
        (_, p) if p.starts_with("/api/invoke/") => {
            error(StatusCode::METHOD_NOT_ALLOWED, transport("a command is called with POST".into()))
        }
        _ => error(StatusCode::NOT_FOUND, transport(format!("no such endpoint: {path}"))),
    }
}

async fn invoke(req: Request<Incoming>, api: &Api, command: &str) -> Reply {
    let is_json = (req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()))
        .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !is_json {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, transport("send the arguments as application/json".into()));
    }
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) => return error(StatusCode::PAYLOAD_TOO_LARGE, transport(format!("cannot read the request: {e}"))),
    };
    let args: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return error(StatusCode::BAD_REQUEST, transport(format!("the body is not JSON: {e}"))),
        }
    };
    if !api::COMMANDS.contains(&command) {
        return error(StatusCode::NOT_FOUND, transport(format!("unknown command {command:?}")));
    }
    match api::dispatch(api, command, args).await {
        Ok(answer) => json(StatusCode::OK, &answer),
        Err(e) => error(status_of(&e), e),
    }
}

/// The HTTP status of a refusal; the body (its `code`) is what callers branch on.
fn status_of(e: &WireError) -> StatusCode {
    match e.code.as_str() {
        "validation" | "ipc" => StatusCode::BAD_REQUEST,
        "not_found" => StatusCode::NOT_FOUND,
        "conflict" | "already_exists" => StatusCode::CONFLICT,
        "storage" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Refuses a request that did not come from a page on this machine.
fn local_caller(req: &Request<Incoming>) -> Result<(), String> {
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !is_loopback_authority(host) {
        return Err(format!("Host {host:?} is not this machine; use http://127.0.0.1 or http://localhost"));
    }
    if let Some(origin) = req.headers().get(ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
        if !authority.is_some_and(is_loopback_authority) {
            return Err(format!("pages from {origin:?} may not call the development server"));
        }
    }
    Ok(())
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
fn is_loopback_authority(authority: &str) -> bool {
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

fn transport(message: String) -> WireError {
    WireError { code: WireError::IPC.into(), message, field: None, what: None }
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Reply {
    let body =
        serde_json::to_vec(value).unwrap_or_else(|e| format!("{{\"code\":\"ipc\",\"message\":\"{e}\"}}").into_bytes());
    let mut reply = Response::new(ReplyBody::Full(Full::new(Bytes::from(body))));
    *reply.status_mut() = status;
    reply.headers_mut().insert(CONTENT_TYPE, "application/json".parse().expect("a valid header"));
    reply.headers_mut().insert(CACHE_CONTROL, "no-store".parse().expect("a valid header"));
    reply
}

fn error(status: StatusCode, e: WireError) -> Reply {
    json(status, &e)
}

/// The event streams open on `/api/events`; the API's events and "db-changed" go to all of them.
#[derive(Clone, Default)]
pub struct Events {
    streams: Arc<Mutex<Vec<mpsc::UnboundedSender<Bytes>>>>,
}

impl Events {
    /// Where the API sends its events.
    pub fn sink(&self) -> api::Events {
        let hub = self.clone();
        Arc::new(move |name, payload| hub.send(name, &payload))
    }

    /// The change watcher's hook: the database changed, whoever changed it.
    pub fn on_change(&self) -> OnChange {
        let hub = self.clone();
        Arc::new(move || hub.send("db-changed", &Value::Null))
    }

    fn send(&self, name: &str, payload: &Value) {
        let frame = Bytes::from(format!("event: {name}\ndata: {payload}\n\n"));
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        // A closed stream (its page went away) is dropped here.
        streams.retain(|s| s.send(frame.clone()).is_ok());
    }

    fn subscribe(&self) -> Reply {
        let (tx, rx) = mpsc::unbounded_channel();
        // The first frame opens the stream at once in the browser (EventSource's `open`).
        let _ = tx.send(Bytes::from_static(b": connected\n\n"));
        self.streams.lock().unwrap_or_else(PoisonError::into_inner).push(tx);
        let mut reply = Response::new(ReplyBody::Stream(rx));
        reply.headers_mut().insert(CONTENT_TYPE, "text/event-stream".parse().expect("a valid header"));
        reply.headers_mut().insert(CACHE_CONTROL, "no-store".parse().expect("a valid header"));
        reply
    }
}

/// A whole JSON answer, or an event stream that lasts until the server stops or the page goes.
pub enum ReplyBody {
    Full(Full<Bytes>),
    Stream(mpsc::UnboundedReceiver<Bytes>),
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            ReplyBody::Full(full) => Pin::new(full).poll_frame(cx),
            ReplyBody::Stream(rx) => rx.poll_recv(cx).map(|chunk| chunk.map(|b| Ok(Frame::data(b)))),
        }
    }

    // So that a JSON answer goes out with its Content-Length, not chunked.
    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            ReplyBody::Full(full) => full.size_hint(),
            ReplyBody::Stream(_) => hyper::body::SizeHint::default(),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ReplyBody::Full(full) => full.is_end_stream(),
            ReplyBody::Stream(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_authority;

    #[test]
    fn only_loopback_names_are_this_machine() {
        for ok in ["localhost", "localhost:5173", "127.0.0.1:4180", "[::1]:80", "127.0.0.1"] {
            assert!(is_loopback_authority(ok), "{ok}");
        }
        for no in ["evil.example", "127.0.0.1.evil.example:80", "localhost.evil:5173", "", "10.0.0.1:4180"] {
            assert!(!is_loopback_authority(no), "{no}");
        }
    }
}
