//! A scriptable HTTP/1.1 server on 127.0.0.1 for contract tests: the fakes of Elasticsearch,
//! Jira, ServiceNow… are routes on it. Every request is recorded (method, path, query, headers,
//! body) for assertions, and a route can answer anything: JSON, an error status, 429 with
//! Retry-After, a slow answer, or no answer at all (the connection is dropped).
//!
//! The server runs on its own thread and tokio runtime, so it works under any test runtime;
//! dropping the [`FakeServer`] stops it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::sync::oneshot;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Percent-encoded, as sent.
    pub path: String,
    /// Without the `?`.
    pub query: Option<String>,
    /// Names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Values of the route's `{name}` segments (percent-decoded).
    pub params: HashMap<String, String>,
}

impl Request {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The decoded query parameters, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.query.as_deref().unwrap_or("");
        url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()
    }

    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The body as JSON; panics (failing the test) when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: body is not JSON ({e}): {:?}", self.method, self.path, self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of route segment `{name}`.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or_else(|| panic!("the route has no {{{name}}} segment"))
    }
}

/// What a route answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Read the request, then close the connection without answering.
    DropConnection,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply::Respond { status, headers: vec![], body: vec![], delay: Duration::ZERO }
    }

    pub fn json(status: u16, body: &Value) -> Reply {
        Reply::status(status).with_header("content-type", "application/json").with_body(body.to_string())
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply::status(status).with_header("content-type", "text/plain; charset=utf-8").with_body(body)
    }

    /// 429 with `Retry-After: <seconds>`.
    pub fn too_many_requests(retry_after_secs: u64) -> Reply {
        Reply::status(429).with_header("retry-after", &retry_after_secs.to_string())
    }

    pub fn drop_connection() -> Reply {
        Reply::DropConnection
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }

    pub fn with_body(mut self, content: impl Into<Vec<u8>>) -> Reply {
        if let Reply::Respond { body, .. } = &mut self {
            *body = content.into();
        }
        self
    }

    /// Waits this long before answering (for timeout tests).
    pub fn delayed(mut self, by: Duration) -> Reply {
        if let Reply::Respond { delay, .. } = &mut self {
            *delay = by;
        }
        self
    }
}

type Handler = Box<dyn FnMut(&Request) -> Reply + Send>;

struct Route {
    method: String,
    pattern: Vec<Segment>,
    handler: Handler,
}

enum Segment {
    Literal(String),
    /// `{name}`: any one segment.
    Param(String),
    /// `{*name}` at the end: the rest of the path, possibly empty.
    Rest(String),
}

#[derive(Default)]
struct Shared {
    routes: Mutex<Vec<Route>>,
    requests: Mutex<Vec<Request>>,
}

/// The running server. Routes may be added at any time; the latest matching route answers, so a
/// test can override a fake's behaviour. Unmatched requests get 404 `{"error":"no route"}`.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Starts a server with no routes on an ephemeral port of 127.0.0.1.
    pub fn start() -> FakeServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(format!("fake-server-{}", addr.port()))
            .spawn({
                let shared = shared.clone();
                move || serve(listener, shared, stopped)
            })
            .expect("spawn the server thread");
        FakeServer { addr, shared, stop: Some(stop), thread: Some(thread) }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers `method` requests whose path matches `pattern` (`/rest/api/2/issue/{key}`,
    /// `/{index}/_search`, `/files/{*rest}`) with whatever `handler` returns. The handler runs
    /// under the server's lock: it must not call back into this server.
    pub fn route(&self, method: &str, pattern: &str, handler: impl FnMut(&Request) -> Reply + Send + 'static) {
        let route =
            Route { method: method.to_ascii_uppercase(), pattern: parse_pattern(pattern), handler: Box::new(handler) };
        lock(&self.shared.routes).push(route);
    }

    /// Always the same answer.
    pub fn canned(&self, method: &str, pattern: &str, reply: Reply) {
        self.route(method, pattern, move |_| reply.clone());
    }

    /// These answers in turn; the last one repeats (e.g. 429, 429, then 200).
    pub fn sequence(&self, method: &str, pattern: &str, replies: Vec<Reply>) {
        assert!(!replies.is_empty(), "a sequence needs at least one reply");
        let mut next = 0;
        self.route(method, pattern, move |_| {
            let reply = replies[next.min(replies.len() - 1)].clone();
            next += 1;
            reply
        });
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.requests).clone()
    }

    /// The requests received so far, forgetting them.
    pub fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A poisoned lock only means another test thread panicked; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn parse_pattern(pattern: &str) -> Vec<Segment> {
    let parts: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if let Some(name) = part.strip_prefix("{*").and_then(|p| p.strip_suffix('}')) {
                assert!(i == parts.len() - 1, "{{*{name}}} must be the last segment of {pattern}");
                Segment::Rest(name.to_string())
            } else if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Segment::Param(name.to_string())
            } else {
                Segment::Literal(part.to_string())
            }
        })
        .collect()
}

/// The captured params when `path` matches.
fn match_path(pattern: &[Segment], path: &str) -> Option<HashMap<String, String>> {
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|v| v.into_owned());
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut params = HashMap::new();
    for (i, segment) in pattern.iter().enumerate() {
        match segment {
            Segment::Rest(name) => {
                params.insert(name.clone(), parts.get(i..).map(|rest| rest.join("/")).unwrap_or_default());
                return Some(params);
            }
            Segment::Literal(lit) => {
                if parts.get(i) != Some(&lit.as_str()) {
                    return None;
                }
            }
            Segment::Param(name) => {
                let part = parts.get(i).filter(|p| !p.is_empty())?;
                params.insert(name.clone(), decode(part)?);
            }
        }
    }
    (parts.len() == pattern.len()).then_some(params)
}

fn serve(listener: std::net::TcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("the fake server's runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |req| answer(req, shared.clone()));
                        // Errors here are the connections a test dropped on purpose, or clients
                        // that went away: nothing to report.
                        let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                    });
                }
            }
        }
    });
}

/// The service error that makes hyper close the connection without writing an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the test")
    }
}

impl std::error::Error for Dropped {}

async fn answer(req: hyper::Request<Incoming>, shared: Arc<Shared>) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    let mut request = Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body,
        params: HashMap::new(),
    };
    let reply = {
        let mut routes = lock(&shared.routes);
        let found = routes.iter_mut().rev().find_map(|route| {
            if route.method != request.method {
                return None;
            }
            match_path(&route.pattern, &request.path).map(|params| (route, params))
        });
        match found {
            Some((route, params)) => {
                request.params = params;
                (route.handler)(&request)
            }
            None => Reply::json(
                404,
                &serde_json::json!({"error": "no route", "method": request.method, "path": request.path}),
            ),
        }
    };
    lock(&shared.requests).push(request);
    match reply {
        Reply::DropConnection => Err(Dropped),
        Reply::Respond { status, headers, body, delay } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut response = hyper::Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            Ok(response.body(Full::new(Bytes::from(body))).expect("a valid canned response"))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn client() -> reqwest::Client {
        reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(5)).build().unwrap()
    }

    #[tokio::test]
    async fn routes_answer_and_every_request_is_recorded() {
        let server = FakeServer::start();
        assert!(server.addr().ip().is_loopback() && server.url().ends_with(&server.addr().port().to_string()));
        server.route("POST", "/rest/api/2/issue/{key}/comment", |req| {
            Reply::json(201, &json!({"key": req.param("key"), "echo": req.json()["body"]}))
        });
        let url = format!("{}/rest/api/2/issue/SEC-7/comment?expand=renderedBody&x=a%20b", server.url());
        let res = client().post(url).header("X-Test", "1").body(r#"{"body":"hello"}"#).send().await.unwrap();
        assert_eq!(res.status(), 201);
        assert_eq!(res.json::<Value>().await.unwrap(), json!({"key": "SEC-7", "echo": "hello"}));

        let res = client().get(format!("{}/nothing/here", server.url())).send().await.unwrap();
        assert_eq!(res.status(), 404);

        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        let first = &requests[0];
        assert_eq!((first.method.as_str(), first.path.as_str()), ("POST", "/rest/api/2/issue/SEC-7/comment"));
        assert_eq!(first.query_param("x").as_deref(), Some("a b"));
        assert_eq!(first.header("x-test"), Some("1"));
        assert_eq!(first.json(), json!({"body": "hello"}));
        assert_eq!(requests[1].path, "/nothing/here");
        assert_eq!(server.take_requests().len(), 2);
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn sequences_rate_limits_and_later_routes_win() {
        let server = FakeServer::start();
        server.sequence("GET", "/api", vec![Reply::too_many_requests(7), Reply::json(200, &json!({"ok": true}))]);
        let get = || client().get(format!("{}/api", server.url())).send();
        let limited = get().await.unwrap();
        assert_eq!(limited.status(), 429);
        assert_eq!(limited.headers()["retry-after"], "7");
        assert_eq!(get().await.unwrap().status(), 200);
        assert_eq!(get().await.unwrap().status(), 200);
        server.canned("GET", "/api", Reply::text(503, "maintenance"));
        let res = get().await.unwrap();
        assert_eq!((res.status().as_u16(), res.text().await.unwrap()), (503, "maintenance".to_string()));
    }

    #[tokio::test]
    async fn a_dropped_connection_gets_no_answer_and_slow_answers_time_out() {
        let server = FakeServer::start();
        server.canned("GET", "/drop", Reply::drop_connection());
        server.canned("GET", "/slow", Reply::status(200).delayed(Duration::from_secs(3)));
        let e = client().get(format!("{}/drop", server.url())).send().await.unwrap_err();
        assert!(e.status().is_none() && !e.is_timeout(), "{e:?}");
        let quick = reqwest::Client::builder().no_proxy().timeout(Duration::from_millis(200)).build().unwrap();
        let e = quick.get(format!("{}/slow", server.url())).send().await.unwrap_err();
        assert!(e.is_timeout(), "{e:?}");
        assert_eq!(server.requests().len(), 2, "both requests were read before the answer");
    }

    #[test]
    fn patterns_capture_segments() {
        let p = parse_pattern("/{index}/_search");
        assert_eq!(
            match_path(&p, "/.alerts-security.alerts-default/_search").unwrap()["index"],
            ".alerts-security.alerts-default"
        );
        assert!(match_path(&p, "/a/b/_search").is_none());
        assert!(match_path(&p, "//_search").is_none());
        let p = parse_pattern("/files/{*rest}");
        assert_eq!(match_path(&p, "/files/a/b%20c").unwrap()["rest"], "a/b%20c");
        let p = parse_pattern("/");
        assert!(match_path(&p, "/").is_some());
        assert!(match_path(&p, "/x").is_none());
        let p = parse_pattern("/issue/{key}");
        assert_eq!(match_path(&p, "/issue/a%2Fb+c").unwrap()["key"], "a/b+c");
    }
}
