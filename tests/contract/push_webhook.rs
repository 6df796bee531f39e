//! Webhook – Case Management connectors through the core's `Casebook` API, against the fake
//! ticketing API: the user's templates filled in and sent as written (values JSON-encoded in
//! bodies, URL-encoded in URLs), every sign-in (none, Basic, Bearer, OAuth 2.0 client
//! credentials with its token cached), plain and secret headers, templates refused before
//! anything is sent, the find request adopting a ticket whose create answer was lost, and
//! without one, "needs your check" instead of a second ticket.

use std::collections::BTreeMap;
use std::time::Duration;

use casebook_core::model::*;
use casebook_core::secrets::SecretStore;
use serde_json::{Value, json};

use crate::fake_webhook::{FakeWebhook, WebhookAuth as FakeAuth};
use crate::push_jira::{Book, drain, queued, sent};
use crate::server::Reply;

const USER: &str = "svc-casebook";
const PASSWORD: &str = "Wh00k-p@ss-4471";
const TOKEN: &str = "wh-bearer-9f3c1d77e2";
const CLIENT_ID: &str = "casebook-client";
const CLIENT_SECRET: &str = "cl13nt-s3cret-82ab";
const API_KEY: &str = "k3y-5ecret-header-0c9d";

const CREATE_BODY: &str = r#"{
  "title": {{{case.title}}},
  "description": {{{case.description}}},
  "tags": {{{case.tags}}},
  "severity": {{{case.severity}}},
  "status": {{{case.status}}},
  "case_id": {{{case.id}}}
}"#;

fn settings(base: &str, auth: WebhookAuth) -> CasesWebhookSettings {
    CasesWebhookSettings {
        create_incident: WebhookCreate {
            method: WebhookMethod::Post,
            url: format!("{base}/api/tickets"),
            json: CREATE_BODY.into(),
            response_key: "ticket.id".into(),
        },
        get_incident: WebhookGet {
            method: WebhookMethod::Get,
            url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
            json: None,
            title_key: "ticket.key".into(),
        },
        view_incident_url: format!("{base}/browse/{{{{{{external.system.title}}}}}}"),
        update_incident: WebhookRequest {
            method: WebhookMethod::Put,
            url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}"),
            json: CREATE_BODY.into(),
        },
        create_comment: Some(WebhookRequest {
            method: WebhookMethod::Post,
            url: format!("{base}/api/tickets/{{{{{{external.system.id}}}}}}/comments"),
            json: r#"{"body": {{{case.comment}}}, "ticket": {{{external.system.title}}}}"#.into(),
        }),
        find_incident: Some(WebhookFind {
            method: WebhookMethod::Get,
            url: format!("{base}/api/tickets?case_id={{{{{{case.id}}}}}}"),
            json: None,
            id_key: Some("tickets[0].id".into()),
        }),
        headers: BTreeMap::new(),
        auth,
    }
}

fn input(base: &str, auth: WebhookAuth, secret: Option<&str>) -> ConnectorInput {
    ConnectorInput {
        name: "Tickets".into(),
        url: base.into(),
        settings: ConnectorSettings::CasesWebhook(settings(base, auth)),
        secret: secret.map(str::to_string),
        secrets: None,
    }
}

fn basic() -> WebhookAuth {
    WebhookAuth::Basic { username: USER.into() }
}

fn webhook_settings(input: &mut ConnectorInput) -> &mut CasesWebhookSettings {
    match &mut input.settings {
        ConnectorSettings::CasesWebhook(s) => s,
        _ => unreachable!(),
    }
}

/// A case with the webhook connector chosen.
fn case_for(b: &Book, title: &str) -> Case {
    let case = b.case(title);
    b.book.set_case_connector(&case.id, &case.version, Some("Tickets"), &json!({})).expect("set connector")
}

fn failed(outcome: PushOutcome) -> OutboxItem {
    match outcome {
        PushOutcome::Failed { item } => item,
        other => panic!("expected the push to fail: {other:?}"),
    }
}

#[tokio::test]
async fn basic_sign_in_creates_with_the_template_then_updates_and_sends_each_comment_once() {
    let api = FakeWebhook::start(FakeAuth::basic(USER, PASSWORD));
    let b = Book::new();
    let c = b.book.create_connector("default", &input(&api.url(), basic(), Some(PASSWORD))).unwrap();
    assert_eq!(c.kind, ConnectorKind::CasesWebhook);
    assert_eq!(c.stored_secrets, vec!["secret".to_string()]);
    assert_eq!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().as_deref(), Some(PASSWORD));
    assert!(!serde_json::to_string(&c).unwrap().contains(PASSWORD));
    let ok = b.book.test_connector("default", "Tickets").await.unwrap();
    assert!(ok.message.starts_with("Connected to Webhook – Case Management"), "{}", ok.message);

    let case = case_for(&b, "Disk \"full\" on host-1");
    b.book.add_comment(&case.id, "Blocked the sender").unwrap();
    let report = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((report.external_id.as_str(), report.external_title.as_str()), ("T-1001", "OPS-1"));
    assert_eq!(report.external_url, format!("{}/browse/OPS-1", api.url()));
    assert!(report.created && !report.adopted);
    assert_eq!(report.comments_sent, 1);
    let ticket = api.ticket("T-1001").unwrap();
    assert_eq!(
        ticket.fields,
        json!({
            "title": "Disk \"full\" on host-1",
            // As written: Kibana's webhook sends the description without the "Added by" line.
            "description": "Beaconing from **WEB-01**\nto 203.0.113.9",
            "tags": ["phishing", "wave 3"],
            "severity": "low",
            "status": "open",
            "case_id": case.id,
        })
    );
    let comments = api.comments("T-1001");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0]["ticket"], "OPS-1");
    assert!(comments[0]["body"].as_str().unwrap().starts_with("Blocked the sender\n\nAdded by "));

    // Changed, with one new comment: the ticket is updated and only the new comment goes.
    let case = b.get(&case.id);
    assert_eq!(case.external_service.as_ref().map(|e| e.external_id.as_str()), Some("T-1001"));
    b.book
        .update_case(&CasePatch {
            id: case.id.clone(),
            version: case.version.clone(),
            severity: Some(Severity::High),
            ..Default::default()
        })
        .unwrap();
    b.book.add_comment(&case.id, "Reset the password").unwrap();
    let report = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(!report.created);
    assert_eq!(report.comments_sent, 1);
    assert_eq!(api.tickets().len(), 1);
    assert_eq!(api.ticket("T-1001").unwrap().fields["severity"], "high");
    assert_eq!(api.comments("T-1001").len(), 2);
    let update = api.server.requests().into_iter().find(|r| r.method == "PUT").expect("an update");
    assert_eq!(update.path, "/api/tickets/T-1001");
    let auth = update.header("authorization").unwrap();
    assert!(auth.starts_with("Basic "), "{auth}");
}

#[tokio::test]
async fn test_connection_names_a_refused_password_and_a_bearer_token_is_sent_as_such() {
    let api = FakeWebhook::start(FakeAuth::basic(USER, PASSWORD));
    let b = Book::new();
    b.book.create_connector("default", &input(&api.url(), basic(), Some("wrong"))).unwrap();
    let e = b.book.test_connector("default", "Tickets").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("user name and password"), "{e}");

    api.set_auth(FakeAuth::Bearer(TOKEN.into()));
    let mut edit = input(&api.url(), WebhookAuth::Bearer, Some(TOKEN));
    edit.name = "Tickets".into();
    b.book.update_connector("default", "Tickets", &edit).unwrap();
    b.book.test_connector("default", "Tickets").await.unwrap();
    let case = case_for(&b, "Bearer case");
    sent(b.book.push_case(&case.id, None).await.unwrap());
    let last = api.server.requests().last().unwrap().clone();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn without_sign_in_no_secret_is_needed() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    let c = b.book.create_connector("default", &input(&api.url(), WebhookAuth::None, None)).unwrap();
    assert!(c.stored_secrets.is_empty());
    let case = case_for(&b, "Open API");
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert!(api.server.requests().iter().all(|r| r.header("authorization").is_none()));
}

#[tokio::test]
async fn oauth_tokens_are_cached_and_fetched_again_after_expiry_or_a_refusal() {
    let api = FakeWebhook::start(FakeAuth::oauth2(CLIENT_ID, CLIENT_SECRET, Some("tickets.write")));
    let b = Book::new();
    let mut fields = BTreeMap::new();
    fields.insert("audience".to_string(), "tickets-api".to_string());
    let auth = WebhookAuth::Oauth2 {
        access_token_url: api.token_url(),
        client_id: CLIENT_ID.into(),
        scope: Some("tickets.write".into()),
        additional_fields: Some(fields),
    };
    b.book.create_connector("default", &input(&api.url(), auth, Some(CLIENT_SECRET))).unwrap();
    let case = case_for(&b, "OAuth case");
    sent(b.book.push_case(&case.id, None).await.unwrap());
    b.book.add_comment(&case.id, "more").unwrap();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(api.tokens_issued(), 1, "the token is reused until it expires");
    let token_call = api.server.requests().into_iter().find(|r| r.path == "/oauth/token").unwrap();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&token_call.body).into_owned().collect();
    let has = |k: &str, v: &str| form.iter().any(|(n, x)| n == k && x == v);
    assert!(has("grant_type", "client_credentials") && has("client_id", CLIENT_ID));
    assert!(has("client_secret", CLIENT_SECRET) && has("scope", "tickets.write") && has("audience", "tickets-api"));

    // Refused (revoked): a new token is fetched and the request sent again once.
    api.expire_tokens();
    b.book.add_comment(&case.id, "after revocation").unwrap();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(api.tokens_issued(), 2);

    // Expired: fetched again before the request.
    api.set_token_lifetime(Duration::from_secs(1));
    api.expire_tokens();
    b.book.add_comment(&case.id, "short-lived").unwrap();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(api.tokens_issued(), 3);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    b.book.add_comment(&case.id, "after expiry").unwrap();
    let before = api.server.requests().len();
    sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(api.tokens_issued(), 4);
    let after: Vec<_> = api.server.requests().into_iter().skip(before).collect();
    assert!(after.iter().all(|r| r.path == "/oauth/token" || r.header("authorization").is_some()));
    assert_eq!(after.iter().filter(|r| r.path != "/oauth/token").count(), 3, "update, get, comment: no 401 retry");
    // Nothing of the OAuth exchange is kept in the database.
    let bytes = std::fs::read(&b.path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(CLIENT_SECRET) && !text.contains("wh-at-"));
}

#[tokio::test]
async fn a_wrong_client_secret_is_named_by_the_token_endpoint_refusal() {
    let api = FakeWebhook::start(FakeAuth::oauth2(CLIENT_ID, CLIENT_SECRET, None));
    let b = Book::new();
    let auth = WebhookAuth::Oauth2 {
        access_token_url: api.token_url(),
        client_id: CLIENT_ID.into(),
        scope: None,
        additional_fields: None,
    };
    b.book.create_connector("default", &input(&api.url(), auth, Some("not-the-secret"))).unwrap();
    let e = b.book.test_connector("default", "Tickets").await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("OAuth client id and secret"), "{e}");
    assert!(!e.to_string().contains("not-the-secret"));
}

#[tokio::test]
async fn a_secret_header_wins_over_a_plain_one_is_kept_on_edit_and_masked_in_the_preview() {
    let api = FakeWebhook::start(FakeAuth::None);
    api.require_header("X-Api-Key", API_KEY);
    let b = Book::new();
    let mut i = input(&api.url(), WebhookAuth::None, None);
    webhook_settings(&mut i).headers.insert("X-Api-Key".into(), "plain-and-wrong".into());
    webhook_settings(&mut i).headers.insert("X-Team".into(), "soc".into());
    i.secrets = Some(BTreeMap::from([("header:X-Api-Key".to_string(), API_KEY.to_string())]));
    let c = b.book.create_connector("default", &i).unwrap();
    assert_eq!(c.stored_secrets, vec!["header:X-Api-Key".to_string()]);
    assert!(b.secrets.get(&format!("connector:{}", c.id)).unwrap().unwrap().contains(API_KEY));

    // Edited without the secrets: they are kept.
    i.secrets = None;
    b.book.update_connector("default", "Tickets", &i).unwrap();
    b.book.test_connector("default", "Tickets").await.unwrap();
    let case = case_for(&b, "Header case");
    let preview = b.book.preview_connector_request("default", "Tickets", &case.id, PreviewRequest::Create).unwrap();
    assert_eq!(preview.method, "POST");
    assert_eq!(preview.url, format!("{}/api/tickets", api.url()));
    let header = |n: &str| preview.headers.iter().find(|h| h.name.eq_ignore_ascii_case(n)).map(|h| h.value.clone());
    assert_eq!(header("x-api-key").as_deref(), Some("••••"));
    assert_eq!(header("x-team").as_deref(), Some("soc"));
    let body: Value = serde_json::from_str(preview.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["title"], "Header case");
    assert!(!serde_json::to_string(&preview).unwrap().contains(API_KEY));
    let requests_before = api.server.requests().len();
    let comment = b.book.preview_connector_request("default", "Tickets", &case.id, PreviewRequest::Comment).unwrap();
    assert_eq!(comment.url, format!("{}/api/tickets/EXTERNAL-ID/comments", api.url()));
    assert_eq!(api.server.requests().len(), requests_before, "a preview sends nothing");

    sent(b.book.push_case(&case.id, None).await.unwrap());
    let create = api.server.requests().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(create.header("x-api-key"), Some(API_KEY));
    assert_eq!(create.header("x-team"), Some("soc"));
}

#[tokio::test]
async fn a_template_that_is_not_json_once_filled_in_is_refused_with_where_and_nothing_is_sent() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    let mut i = input(&api.url(), WebhookAuth::None, None);
    webhook_settings(&mut i).create_incident.json =
        "{\n  \"title\": {{{case.title}}}\n  \"tags\": {{{case.tags}}}\n}".into();
    let e = b.book.create_connector("default", &i).unwrap_err();
    assert_eq!(e.code(), "validation");
    let said = e.to_string();
    assert!(said.starts_with("create_incident.json: create body: is not valid JSON"), "{said}");
    assert!(said.contains("at line 3, column 3"), "{said}");

    // Saved before this check existed (written straight into the database here): refused at
    // push time, before any request.
    b.book.create_connector("default", &input(&api.url(), WebhookAuth::None, None)).unwrap();
    let broken = r#"{"title": "{{{case.title}}}"}"#;
    b.book.with_connection(|c| {
        let config: String = c.query_row("SELECT config FROM connectors", [], |r| r.get(0)).unwrap();
        let mut config: Value = serde_json::from_str(&config).unwrap();
        config["create_incident"]["json"] = json!(broken);
        c.execute("UPDATE connectors SET config = ?1", [config.to_string()]).unwrap();
    });
    let case = case_for(&b, "Old template");
    let item = failed(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("validation"));
    let said = item.last_error.unwrap();
    assert!(said.contains("at line 1, column 13"), "{said}");
    assert!(said.contains("without quotes"), "{said}");
    assert!(api.server.requests().iter().all(|r| r.method == "GET"), "only the find request went, never the create");
}

#[tokio::test]
async fn request_urls_must_stay_on_the_connectors_host() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    let mut i = input(&api.url(), basic(), Some(PASSWORD));
    webhook_settings(&mut i).update_incident.url = "https://elsewhere.example/api/{{{external.system.id}}}".into();
    let e = b.book.create_connector("default", &i).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("update_incident.url: update URL: `https://elsewhere.example:443/api/SAMPLE-1` is not on"),
        "{e}"
    );
}

#[tokio::test]
async fn ids_are_url_encoded_in_urls() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    b.book.create_connector("default", &input(&api.url(), WebhookAuth::None, None)).unwrap();
    api.fail_next("POST", "/api/tickets", vec![Reply::json(201, &json!({"ticket": {"id": "A/B 1?x#y"}}))]);
    let case = case_for(&b, "Odd id");
    let report = sent(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(report.external_id, "A/B 1?x#y");
    // Not found by the fake: the id stands for the title.
    assert_eq!(report.external_title, "A/B 1?x#y");
    assert_eq!(report.external_url, format!("{}/browse/A%2FB%201%3Fx%23y", api.url()));
    let get = api.server.requests().into_iter().find(|r| r.path.starts_with("/api/tickets/")).unwrap();
    assert_eq!(get.path, "/api/tickets/A%2FB%201%3Fx%23y");
    assert_eq!(get.query, None);
}

#[tokio::test]
async fn the_find_request_adopts_a_ticket_whose_create_answer_was_lost() {
    let api = FakeWebhook::start(FakeAuth::basic(USER, PASSWORD));
    let b = Book::new();
    b.book.create_connector("default", &input(&api.url(), basic(), Some(PASSWORD))).unwrap();
    let case = case_for(&b, "Lost answer");
    api.drop_after_next_create();
    queued(b.book.push_case(&case.id, None).await.unwrap());
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted);
    assert_eq!((report.external_id.as_str(), report.external_title.as_str()), ("T-1001", "OPS-1"));
    assert_eq!(api.tickets().len(), 1);
    let find = api.server.requests().into_iter().find(|r| r.query.is_some()).unwrap();
    assert_eq!(find.query_param("case_id"), Some(case.id.clone()));
}

#[tokio::test]
async fn without_a_find_request_a_lost_create_waits_for_the_users_check() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    let mut i = input(&api.url(), WebhookAuth::None, None);
    webhook_settings(&mut i).find_incident = None;
    b.book.create_connector("default", &i).unwrap();
    let case = case_for(&b, "Lost, no find");
    api.drop_after_next_create();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let outcomes = b.book.run_due_pushes().await.unwrap();
    let item = failed(outcomes.into_iter().next().expect("tried again"));
    assert_eq!(item.last_error_code.as_deref(), Some("needs_check"));
    let said = item.last_error.clone().unwrap();
    assert!(said.starts_with("Needs your check: a create request to Tickets was sent at "), "{said}");
    assert!(said.contains("retry anyway"), "{said}");
    assert_eq!(api.tickets().len(), 1, "no second ticket");

    // An ordinary retry asks again; only "retry anyway" creates.
    b.book.retry_push(item.id).unwrap();
    let item = failed(b.book.send_push(item.id).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("needs_check"));
    assert_eq!(api.tickets().len(), 1);
    b.book.retry_push_anyway(item.id).unwrap();
    let report = sent(b.book.send_push(item.id).await.unwrap());
    assert!(report.created);
    assert_eq!(api.tickets().len(), 2, "the user chose to create again");
}

#[tokio::test]
async fn throttled_and_failing_servers_are_retried() {
    let api = FakeWebhook::start(FakeAuth::None);
    let b = Book::new();
    b.book.create_connector("default", &input(&api.url(), WebhookAuth::None, None)).unwrap();
    let case = case_for(&b, "Retries");
    api.fail_next("GET", "/api/tickets", vec![Reply::too_many_requests(0), Reply::status(503)]);
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("remote"));
    drain(&b).await;
    assert_eq!(api.tickets().len(), 1);
}

fn tls_settings(base: &str, auth: WebhookAuth) -> ConnectorInput {
    let mut i = input(base, auth, None);
    let s = webhook_settings(&mut i);
    s.find_incident = None;
    i
}

#[tokio::test]
async fn a_pem_client_certificate_signs_in_and_the_server_is_checked_as_told() {
    let client = rcgen::generate_simple_self_signed(vec!["casebook-client".to_string()]).unwrap();
    let server = crate::tls::SelfSignedTls::requiring_client_cert(&client.cert.pem());
    let b = Book::new();
    let auth = |ca: Option<String>, verification| WebhookAuth::Certificate {
        cert_type: CertType::Pem,
        certificate: Some(client.cert.pem()),
        ca,
        verification,
    };
    let key = client.signing_key.serialize_pem();
    let mut i = tls_settings(&server.url(), auth(None, Verification::Full));
    i.secrets = Some(BTreeMap::from([("client_key".to_string(), key.clone())]));
    b.book.create_connector("default", &i).unwrap();
    // Full: the system's trust store does not know the self-signed server.
    let e = b.book.test_connector("default", "Tickets").await.unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");

    // Its certificate as the CA: the chain is checked, the client certificate accepted.
    for verification in [Verification::Full, Verification::Certificate, Verification::None] {
        let mut i = tls_settings(&server.url(), auth(Some(server.cert_pem.clone()), verification));
        i.secrets = None;
        b.book.update_connector("default", "Tickets", &i).unwrap();
        let ok = b.book.test_connector("default", "Tickets").await;
        assert!(ok.is_ok(), "{verification:?}: {ok:?}");
    }

    // Without the client certificate the server ends the handshake.
    let i = tls_settings(&server.url(), WebhookAuth::None);
    let other = Book::new();
    other.book.create_connector("default", &i).unwrap();
    let e = other.book.test_connector("default", "Tickets").await.unwrap_err();
    assert!(matches!(e.code(), "tls" | "unreachable"), "{e}");
}

#[tokio::test]
async fn a_secret_header_or_password_echoed_by_the_system_is_cut_out_of_the_error() {
    let api = FakeWebhook::start(FakeAuth::basic(USER, PASSWORD));
    api.require_header("X-Api-Key", API_KEY);
    let b = Book::new();
    let mut i = input(&api.url(), basic(), Some(PASSWORD));
    i.secrets = Some(BTreeMap::from([("header:X-Api-Key".to_string(), API_KEY.to_string())]));
    b.book.create_connector("default", &i).unwrap();
    let echo = json!({"message": format!("rejected key {API_KEY} for {USER}:{PASSWORD}")});
    api.fail_next("POST", "/api/tickets", vec![Reply::json(400, &echo)]);
    let case = case_for(&b, "Echo");
    let item = failed(b.book.push_case(&case.id, None).await.unwrap());
    let said = item.last_error.unwrap();
    assert!(said.contains("HTTP 400") && said.contains("[redacted]"), "{said}");
    assert!(!said.contains(API_KEY) && !said.contains(PASSWORD), "{said}");
}
