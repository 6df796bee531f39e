//! A fake ticketing REST API on a [`FakeServer`] for Webhook – Case Management templates
//! (connectors.md §7) to target. Tickets hold whatever JSON a template rendered:
//!
//! | request | answer |
//! |---|---|
//! | `POST` (or `PUT`) `/api/tickets`, any JSON | 201 `{"ticket":{"id":"T-1001","key":"OPS-1"}}` |
//! | `GET /api/tickets/{id or key}` | `{"ticket":{id,key,fields:<the stored body>,created,updated}}` |
//! | `PUT /api/tickets/{id}` (replaces the body); `PATCH`/`POST` (merges top-level keys) | `{"ticket":{id,key}}` |
//! | `POST`/`PUT`/`PATCH /api/tickets/{id}/comments`, any JSON | 201 `{"comment":{"id":"C-1","ticket":"T-1001"}}` |
//! | `GET /api/tickets/{id}/comments` | `{"comments":[<stored bodies>]}` |
//! | `GET /api/tickets[?case_id=x]` | `{"tickets":[{id,key,fields}],"total":n}` |
//!
//! `?case_id=x` finds the tickets whose stored body holds the string `x` anywhere (any key, at
//! any depth, or as an element of a list such as tags), compared exactly. Bodies must be JSON
//! sent as `application/json` (else 400 or 415).
//!
//! Authentication is switchable: none, Basic, a fixed Bearer token, or OAuth 2.0 client
//! credentials, where `POST /oauth/token` (form-encoded `grant_type=client_credentials`,
//! `client_id`, `client_secret` in the form or as Basic, optional `scope`) issues tokens the API
//! then requires; they expire after `expires_in` seconds or when a test expires them. Required
//! headers (`X-Api-Key: …`) can be added on top. Refusals are 401 with
//! `{"error","message"}` and a `WWW-Authenticate` header; token endpoint errors follow RFC 6749
//! (`{"error","error_description"}`). Fault injection as in `fake_jira/`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::fake_support::{Clock, Fault, basic_credentials, decode_segments, lock, take_fault};
use crate::server::{FakeServer, Reply, Request};

/// What the API requires of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAuth {
    None,
    Basic {
        user: String,
        password: String,
    },
    Bearer(String),
    /// Tokens from `POST /oauth/token`. `scope`: the scopes a client may ask for (space
    /// separated); `None` allows any.
    OAuth2 {
        client_id: String,
        client_secret: String,
        scope: Option<String>,
    },
}

impl WebhookAuth {
    pub fn basic(user: &str, password: &str) -> WebhookAuth {
        WebhookAuth::Basic { user: user.to_string(), password: password.to_string() }
    }

    pub fn oauth2(client_id: &str, client_secret: &str, scope: Option<&str>) -> WebhookAuth {
        WebhookAuth::OAuth2 {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            scope: scope.map(str::to_string),
        }
    }
}

/// One ticket as stored: `fields` is the body the create sent (as updated since); `comments` the
/// comment bodies, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeTicket {
    pub id: String,
    pub key: String,
    pub fields: Value,
    pub comments: Vec<Value>,
}

struct StoredTicket {
    ticket: FakeTicket,
    created: i64,
    updated: i64,
}

struct IssuedToken {
    token: String,
    expires_at: Instant,
    revoked: bool,
}

struct WebhookState {
    auth: WebhookAuth,
    required_headers: Vec<(String, String)>,
    tickets: Vec<StoredTicket>,
    next_number: u64,
    next_comment: u64,
    tokens: Vec<IssuedToken>,
    token_lifetime: Duration,
    clock: Clock,
    faults: Vec<Fault>,
    drop_next_create: bool,
}

/// A fake ticketing API on a [`FakeServer`]. Its state can be read and changed while it runs.
pub struct FakeWebhook {
    pub server: FakeServer,
    state: Arc<Mutex<WebhookState>>,
}

impl FakeWebhook {
    /// An API with no tickets, requiring `auth`; OAuth tokens last an hour.
    pub fn start(auth: WebhookAuth) -> FakeWebhook {
        let server = FakeServer::start();
        let state = Arc::new(Mutex::new(WebhookState {
            auth,
            required_headers: Vec::new(),
            tickets: Vec::new(),
            next_number: 1,
            next_comment: 1,
            tokens: Vec::new(),
            token_lifetime: Duration::from_secs(3600),
            clock: Clock::default(),
            faults: Vec::new(),
            drop_next_create: false,
        }));
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let s = state.clone();
            server.route(method, "/{*path}", move |req| handle(&s, req));
        }
        FakeWebhook { server, state }
    }

    /// `http://127.0.0.1:<port>`; tickets are at `{url}/api/tickets`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The OAuth token endpoint, `{url}/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.server.url())
    }

    fn state(&self) -> MutexGuard<'_, WebhookState> {
        lock(&self.state)
    }

    /// From now on the API requires `auth` (tokens already issued stay valid for OAuth).
    pub fn set_auth(&self, auth: WebhookAuth) {
        self.state().auth = auth;
    }

    /// From now on every API request must carry header `name` with exactly `value` (on top of
    /// the authentication; the token endpoint does not ask for it).
    pub fn require_header(&self, name: &str, value: &str) {
        let mut st = self.state();
        st.required_headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        st.required_headers.push((name.to_string(), value.to_string()));
    }

    /// The `expires_in` of tokens issued from now on; they stop working after it.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.state().token_lifetime = lifetime;
    }

    /// Every token issued so far is refused from now on (as if it expired or was revoked).
    pub fn expire_tokens(&self) {
        for token in &mut self.state().tokens {
            token.revoked = true;
        }
    }

    /// How many tokens the token endpoint has issued.
    pub fn tokens_issued(&self) -> usize {
        self.state().tokens.len()
    }

    /// As [`crate::fake_jira::FakeJira::fail_next`]: the next matching requests get `replies`,
    /// before authentication, and nothing is stored. Works on `/oauth/token` too.
    pub fn fail_next(&self, method: &str, path_prefix: &str, replies: Vec<Reply>) {
        self.state().faults.push(Fault::new(method, path_prefix, replies));
    }

    /// The next successful ticket create stores the ticket, then drops the connection instead of
    /// answering.
    pub fn drop_after_next_create(&self) {
        self.state().drop_next_create = true;
    }

    /// Every ticket, in creation order.
    pub fn tickets(&self) -> Vec<FakeTicket> {
        self.state().tickets.iter().map(|t| t.ticket.clone()).collect()
    }

    /// The ticket with this id (`T-1001`) or key (`OPS-1`).
    pub fn ticket(&self, id_or_key: &str) -> Option<FakeTicket> {
        let st = self.state();
        st.find(id_or_key).map(|i| st.tickets[i].ticket.clone())
    }

    /// The comment bodies of a ticket, oldest first.
    pub fn comments(&self, id_or_key: &str) -> Vec<Value> {
        self.ticket(id_or_key).map(|t| t.comments).unwrap_or_default()
    }
}

fn api_error(status: u16, error: &str, message: &str) -> Reply {
    Reply::json(status, &json!({"error": error, "message": message}))
}

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(status, &json!({"error": error, "error_description": description}))
        .with_header("cache-control", "no-store")
}

fn no_ticket(id: &str) -> Reply {
    api_error(404, "not_found", &format!("Ticket {id} does not exist"))
}

/// The body as JSON, sent as JSON.
fn json_body(req: &Request) -> Result<Value, Reply> {
    if !req.header("content-type").is_some_and(|c| c.to_ascii_lowercase().contains("json")) {
        return Err(api_error(415, "unsupported_media_type", "Send the body as application/json"));
    }
    serde_json::from_slice(&req.body).map_err(|e| api_error(400, "bad_request", &format!("The body is not JSON: {e}")))
}

/// Whether `value` holds the string `wanted` anywhere.
fn holds_string(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(s) => s == wanted,
        Value::Array(items) => items.iter().any(|v| holds_string(v, wanted)),
        Value::Object(map) => map.values().any(|v| holds_string(v, wanted)),
        _ => false,
    }
}

fn handle(state: &Mutex<WebhookState>, req: &Request) -> Reply {
    let mut st = lock(state);
    if let Some(reply) = take_fault(&mut st.faults, req) {
        return reply;
    }
    let Some(segments) = decode_segments(&req.path) else { return api_error(404, "not_found", &req.path) };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    if segs == ["oauth", "token"] {
        return match req.method.as_str() {
            "POST" => st.issue_token(req),
            _ => oauth_error(405, "invalid_request", "Use POST"),
        };
    }
    if let Some(refused) = st.refuse(req) {
        return refused;
    }
    match (req.method.as_str(), segs.as_slice()) {
        ("POST" | "PUT", ["api", "tickets"]) => st.create(req),
        ("GET", ["api", "tickets"]) => st.list(req),
        ("GET", ["api", "tickets", id]) => match st.find(id) {
            Some(i) => Reply::json(200, &json!({"ticket": st.full(i)})),
            None => no_ticket(id),
        },
        (method @ ("PUT" | "PATCH" | "POST"), ["api", "tickets", id]) => st.update(id, method == "PUT", req),
        ("GET", ["api", "tickets", id, "comments"]) => match st.find(id) {
            Some(i) => Reply::json(200, &json!({"comments": st.tickets[i].ticket.comments})),
            None => no_ticket(id),
        },
        ("POST" | "PUT" | "PATCH", ["api", "tickets", id, "comments"]) => st.comment(id, req),
        _ => api_error(404, "not_found", &format!("No route for {} {}", req.method, req.path)),
    }
}

impl WebhookState {
    /// Why the API refuses `req`, if it does.
    fn refuse(&self, req: &Request) -> Option<Reply> {
        let bearer = || {
            req.header("authorization")
                .and_then(|h| h.trim().split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token.trim().to_string())
        };
        let refused = |message: &str, challenge: &str| {
            Some(api_error(401, "unauthorized", message).with_header("www-authenticate", challenge))
        };
        match &self.auth {
            WebhookAuth::None => {}
            WebhookAuth::Basic { user, password } => {
                if basic_credentials(req).is_none_or(|(u, p)| u != *user || p != *password) {
                    return refused("Invalid username or password", "Basic realm=\"tickets\"");
                }
            }
            WebhookAuth::Bearer(token) => {
                if bearer().as_deref() != Some(token.as_str()) {
                    return refused("Invalid API token", "Bearer realm=\"tickets\", error=\"invalid_token\"");
                }
            }
            WebhookAuth::OAuth2 { .. } => {
                let now = Instant::now();
                let valid = bearer().is_some_and(|given| {
                    self.tokens.iter().any(|t| t.token == given && !t.revoked && t.expires_at > now)
                });
                if !valid {
                    let challenge = "Bearer realm=\"tickets\", error=\"invalid_token\", \
                                     error_description=\"The access token expired or is not valid\"";
                    return refused("The access token expired or is not valid", challenge);
                }
            }
        }
        for (name, value) in &self.required_headers {
            if req.header(name) != Some(value.as_str()) {
                return Some(api_error(401, "unauthorized", &format!("Missing or invalid {name} header")));
            }
        }
        None
    }

    /// The client-credentials grant (RFC 6749 §4.4).
    fn issue_token(&mut self, req: &Request) -> Reply {
        let WebhookAuth::OAuth2 { client_id, client_secret, scope: allowed } = self.auth.clone() else {
            return oauth_error(400, "unauthorized_client", "The client credentials grant is not enabled");
        };
        let form_encoded = req
            .header("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if !form_encoded {
            return oauth_error(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body).into_owned().collect();
        let field = |name: &str| form.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        match field("grant_type").as_deref() {
            Some("client_credentials") => {}
            Some(other) => return oauth_error(400, "unsupported_grant_type", &format!("Unsupported grant {other}")),
            None => return oauth_error(400, "invalid_request", "grant_type is missing"),
        }
        // client_secret_post, or client_secret_basic.
        let (id, secret) = match (field("client_id"), field("client_secret")) {
            (Some(id), Some(secret)) => (id, secret),
            _ => basic_credentials(req).unwrap_or_default(),
        };
        if id != client_id || secret != client_secret {
            return oauth_error(401, "invalid_client", "Client authentication failed")
                .with_header("www-authenticate", "Basic realm=\"oauth\"");
        }
        let asked = field("scope").filter(|s| !s.trim().is_empty());
        if let (Some(asked), Some(allowed)) = (&asked, &allowed) {
            let allowed: Vec<&str> = allowed.split_whitespace().collect();
            if let Some(unknown) = asked.split_whitespace().find(|s| !allowed.contains(s)) {
                return oauth_error(400, "invalid_scope", &format!("Scope {unknown} is not allowed for this client"));
            }
        }
        let n = self.tokens.len() + 1;
        let token = format!("wh-at-{n}-{:x}", self.clock.now_ms());
        self.tokens.push(IssuedToken {
            token: token.clone(),
            expires_at: Instant::now() + self.token_lifetime,
            revoked: false,
        });
        let mut answer = json!({"access_token": token, "token_type": "Bearer",
            "expires_in": self.token_lifetime.as_secs()});
        if let Some(scope) = asked.or(allowed) {
            answer["scope"] = json!(scope);
        }
        Reply::json(200, &answer).with_header("cache-control", "no-store").with_header("pragma", "no-cache")
    }

    fn find(&self, id_or_key: &str) -> Option<usize> {
        self.tickets.iter().position(|t| t.ticket.id == id_or_key || t.ticket.key.eq_ignore_ascii_case(id_or_key))
    }

    fn short(&self, i: usize) -> Value {
        let t = &self.tickets[i].ticket;
        json!({"id": t.id, "key": t.key})
    }

    fn full(&self, i: usize) -> Value {
        let stored = &self.tickets[i];
        let t = &stored.ticket;
        let iso = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339();
        json!({"id": t.id, "key": t.key, "fields": t.fields, "created": iso(stored.created),
            "updated": iso(stored.updated)})
    }

    fn create(&mut self, req: &Request) -> Reply {
        let body = match json_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let n = self.next_number;
        self.next_number += 1;
        let now = self.clock.now_ms();
        let ticket =
            FakeTicket { id: format!("T-{}", 1000 + n), key: format!("OPS-{n}"), fields: body, comments: Vec::new() };
        self.tickets.push(StoredTicket { ticket, created: now, updated: now });
        if std::mem::take(&mut self.drop_next_create) {
            return Reply::drop_connection();
        }
        Reply::json(201, &json!({"ticket": self.short(self.tickets.len() - 1)}))
    }

    fn update(&mut self, id: &str, replace: bool, req: &Request) -> Reply {
        let Some(i) = self.find(id) else { return no_ticket(id) };
        let body = match json_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let now = self.clock.now_ms();
        let stored = &mut self.tickets[i];
        match (&mut stored.ticket.fields, body) {
            (Value::Object(fields), Value::Object(changes)) if !replace => fields.extend(changes),
            (fields, body) => *fields = body,
        }
        stored.updated = now;
        Reply::json(200, &json!({"ticket": self.short(i)}))
    }

    fn comment(&mut self, id: &str, req: &Request) -> Reply {
        let Some(i) = self.find(id) else { return no_ticket(id) };
        let body = match json_body(req) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        let comment_id = format!("C-{}", self.next_comment);
        self.next_comment += 1;
        let now = self.clock.now_ms();
        let stored = &mut self.tickets[i];
        stored.ticket.comments.push(body);
        stored.updated = now;
        Reply::json(201, &json!({"comment": {"id": comment_id, "ticket": stored.ticket.id}}))
    }

    fn list(&self, req: &Request) -> Reply {
        let case_id = req.query_param("case_id");
        let found: Vec<Value> = (0..self.tickets.len())
            .filter(|&i| case_id.as_deref().is_none_or(|x| holds_string(&self.tickets[i].ticket.fields, x)))
            .map(|i| {
                let t = &self.tickets[i].ticket;
                json!({"id": t.id, "key": t.key, "fields": t.fields})
            })
            .collect();
        Reply::json(200, &json!({"total": found.len(), "tickets": found}))
    }
}
