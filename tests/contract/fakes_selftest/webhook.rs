//! The fake ticket API for Webhook – Case Management: the authentication modes (Basic, Bearer,
//! OAuth 2.0 client credentials with expiry, required headers), the ticket round trip, the
//! search by case id, and faults.

use std::time::Duration;

use serde_json::{Value, json};

use super::{Auth, Resp, call, call_with, strings, times_out, try_call};
use crate::fake_webhook::{FakeWebhook, WebhookAuth};
use crate::server::Reply;

const BASIC: Auth = Auth::Basic("svc-casebook", "w3bh00k-pass");

/// `POST {token_url}` with this form, the client secret in the form or as Basic.
async fn token(token_url: &str, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> Resp {
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().expect("a client");
    let body: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut request =
        client.post(token_url).header("content-type", "application/x-www-form-urlencoded; charset=UTF-8").body(body);
    if let Some((user, secret)) = basic {
        request = request.basic_auth(user, Some(secret));
    }
    let res = request.send().await.expect("the token endpoint answers");
    let headers = res.headers().clone();
    let status = res.status().as_u16();
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    Resp { status, content_type, retry_after: None, headers, text: res.text().await.expect("a body") }
}

/// An API call with `Authorization: Bearer <token>`.
async fn with_token(url: &str, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    let header = format!("Bearer {token}");
    call_with(url, &Auth::None, &[("authorization", header.as_str())], method, path, body).await
}

fn access_token(issued: &Resp) -> String {
    issued.json()["access_token"].as_str().expect("an access token").to_string()
}

fn client_credentials<'a>(secret: &'a str, scope: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut form =
        vec![("grant_type", "client_credentials"), ("client_id", "casebook-client"), ("client_secret", secret)];
    form.extend(scope.map(|s| ("scope", s)));
    form
}

#[tokio::test]
async fn webhook_tickets_round_trip_with_basic_auth_and_search_by_case_id() {
    let api = FakeWebhook::start(WebhookAuth::basic("svc-casebook", "w3bh00k-pass"));
    let url = api.url();
    for auth in [Auth::None, Auth::Basic("svc-casebook", "wrong"), Auth::Bearer("w3bh00k-pass")] {
        let res = call(&url, &auth, "GET", "/api/tickets", None).await;
        assert_eq!((res.status, res.json()["error"].as_str()), (401, Some("unauthorized")));
        assert!(res.header("www-authenticate").is_some_and(|h| h.starts_with("Basic")));
    }

    let body = json!({"title": "Disk full", "description": "Ransomware suspected.", "case_id": "case-1",
        "tags": ["casebook", "disk"]});
    let created = call(&url, &BASIC, "POST", "/api/tickets", Some(body.clone())).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert!(created.content_type.starts_with("application/json"));
    assert_eq!(created.json(), json!({"ticket": {"id": "T-1001", "key": "OPS-1"}}));
    let jira_like = json!({"fields": {"summary": "Phishing", "labels": ["case-2"]}});
    assert_eq!(call(&url, &BASIC, "POST", "/api/tickets", Some(jira_like)).await.json()["ticket"]["key"], "OPS-2");

    for id in ["T-1001", "OPS-1"] {
        let got = call(&url, &BASIC, "GET", &format!("/api/tickets/{id}"), None).await.json();
        assert_eq!((got["ticket"]["id"].as_str(), got["ticket"]["fields"].clone()), (Some("T-1001"), body.clone()));
    }
    let patch = json!({"title": "Disk full (contained)"});
    let patched = call(&url, &BASIC, "PATCH", "/api/tickets/T-1001", Some(patch)).await;
    assert_eq!((patched.status, patched.json()), (200, json!({"ticket": {"id": "T-1001", "key": "OPS-1"}})));
    let fields = api.ticket("OPS-1").expect("stored").fields;
    assert_eq!(
        (fields["title"].as_str(), fields["case_id"].as_str()),
        (Some("Disk full (contained)"), Some("case-1")),
        "merged"
    );
    let replaced = json!({"title": "Replaced", "case_id": "case-1"});
    call(&url, &BASIC, "PUT", "/api/tickets/T-1001", Some(replaced.clone())).await;
    assert_eq!(api.ticket("T-1001").map(|t| t.fields), Some(replaced), "PUT replaces");

    for text in ["Host isolated.", "Second."] {
        let res = call(&url, &BASIC, "PUT", "/api/tickets/T-1001/comments", Some(json!({"body": text}))).await;
        assert_eq!((res.status, res.json()["comment"]["ticket"].as_str()), (201, Some("T-1001")));
    }
    assert_eq!(api.comments("OPS-1"), [json!({"body": "Host isolated."}), json!({"body": "Second."})]);
    let listed = call(&url, &BASIC, "GET", "/api/tickets/T-1001/comments", None).await.json();
    assert_eq!(strings(&listed["comments"], "/body"), ["Host isolated.", "Second."]);

    let found = call(&url, &BASIC, "GET", "/api/tickets?case_id=case-1", None).await.json();
    assert_eq!((found["total"].as_u64(), strings(&found["tickets"], "/key")), (Some(1), vec!["OPS-1".to_string()]));
    let nested = call(&url, &BASIC, "GET", "/api/tickets?case_id=case-2", None).await.json();
    assert_eq!(strings(&nested["tickets"], "/id"), ["T-1002"], "found in a list inside an object");
    let none = call(&url, &BASIC, "GET", "/api/tickets?case_id=case", None).await.json();
    assert_eq!(none["total"], 0, "exact matches only");
    assert_eq!(call(&url, &BASIC, "GET", "/api/tickets", None).await.json()["total"], 2);

    assert_eq!(call(&url, &BASIC, "GET", "/api/tickets/T-9", None).await.status, 404);
    let res = super::try_call_with(&url, &BASIC, &[("content-type", "text/plain")], "POST", "/api/tickets", None).await;
    assert_eq!(res.map(|r| r.status).ok(), Some(415));
    let res = super::try_call_with(&url, &BASIC, &[("content-type", "application/json")], "POST", "/api/tickets", None);
    assert_eq!(res.await.map(|r| r.status).ok(), Some(400), "an empty body is not JSON");
    assert_eq!(api.tickets().len(), 2);
}

#[tokio::test]
async fn webhook_bearer_tokens_and_required_headers() {
    let api = FakeWebhook::start(WebhookAuth::Bearer("static-token-1".into()));
    let url = api.url();
    let res = call(&url, &Auth::Bearer("other"), "GET", "/api/tickets", None).await;
    assert!(res.status == 401 && res.header("www-authenticate").is_some_and(|h| h.contains("invalid_token")));
    assert_eq!(call(&url, &Auth::Bearer("static-token-1"), "GET", "/api/tickets", None).await.status, 200);

    api.require_header("X-Api-Key", "k-123");
    let missing = call(&url, &Auth::Bearer("static-token-1"), "GET", "/api/tickets", None).await;
    assert_eq!(missing.status, 401);
    assert!(missing.json()["message"].as_str().is_some_and(|m| m.contains("X-Api-Key")));
    let wrong = call_with(&url, &Auth::Bearer("static-token-1"), &[("x-api-key", "nope")], "GET", "/api/tickets", None);
    assert_eq!(wrong.await.status, 401);
    let right =
        call_with(&url, &Auth::Bearer("static-token-1"), &[("x-api-key", "k-123")], "GET", "/api/tickets", None);
    assert_eq!(right.await.status, 200);

    api.set_auth(WebhookAuth::None);
    let open = call_with(&url, &Auth::None, &[("X-Api-Key", "k-123")], "POST", "/api/tickets", Some(json!({"a": 1})));
    assert_eq!(open.await.status, 201);
}

#[tokio::test]
async fn webhook_oauth_client_credentials_issue_and_expire_tokens() {
    let api =
        FakeWebhook::start(WebhookAuth::oauth2("casebook-client", "c1ient-s3cret", Some("tickets:read tickets:write")));
    let (url, token_url) = (api.url(), api.token_url());
    assert_eq!(token_url, format!("{url}/oauth/token"));
    let refused = call(&url, &Auth::None, "GET", "/api/tickets", None).await;
    assert!(refused.status == 401 && refused.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")));

    let issued = token(&token_url, &client_credentials("c1ient-s3cret", Some("tickets:write")), None).await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    assert_eq!(issued.header("cache-control"), Some("no-store"));
    let body = issued.json();
    assert_eq!((body["token_type"].as_str(), body["expires_in"].as_u64()), (Some("Bearer"), Some(3600)));
    assert_eq!(body["scope"], "tickets:write");
    let first = access_token(&issued);
    assert_eq!(api.tokens_issued(), 1);
    assert_eq!(with_token(&url, &first, "POST", "/api/tickets", Some(json!({"case_id": "c"}))).await.status, 201);

    for (form, basic, status, error) in [
        (client_credentials("wrong", None), None, 401, "invalid_client"),
        (vec![("grant_type", "password"), ("client_id", "casebook-client")], None, 400, "unsupported_grant_type"),
        (client_credentials("c1ient-s3cret", Some("admin")), None, 400, "invalid_scope"),
    ] {
        let res = token(&token_url, &form, basic).await;
        assert_eq!((res.status, res.json()["error"].as_str()), (status, Some(error)), "{form:?}");
    }
    let client = reqwest::Client::builder().no_proxy().build().expect("a client");
    let json_body = client.post(&token_url).json(&json!({"grant_type": "client_credentials"})).send().await;
    assert_eq!(json_body.map(|r| r.status().as_u16()).ok(), Some(400), "the token call is form-encoded");
    assert_eq!(api.tokens_issued(), 1, "refused token requests issue nothing");

    let basic = token(&token_url, &[("grant_type", "client_credentials")], Some(("casebook-client", "c1ient-s3cret")));
    let second = access_token(&basic.await);
    assert_ne!(second, first);
    assert_eq!(with_token(&url, &second, "GET", "/api/tickets", None).await.status, 200, "client_secret_basic");
    api.expire_tokens();
    let expired = with_token(&url, &first, "GET", "/api/tickets", None).await;
    assert!(expired.status == 401 && expired.header("www-authenticate").is_some_and(|h| h.contains("invalid_token")));
    let status = with_token(&url, &second, "GET", "/api/tickets", None).await.status;
    assert_eq!(status, 401, "every token issued so far");

    let fresh = access_token(&token(&token_url, &client_credentials("c1ient-s3cret", None), None).await);
    assert_eq!(with_token(&url, &fresh, "GET", "/api/tickets", None).await.json()["total"], 1);
    assert_eq!(api.tokens_issued(), 3);

    api.set_token_lifetime(Duration::ZERO);
    let short = token(&token_url, &client_credentials("c1ient-s3cret", None), None).await;
    assert_eq!(short.json()["expires_in"], 0);
    let status = with_token(&url, &access_token(&short), "GET", "/api/tickets", None).await.status;
    assert_eq!(status, 401, "expired by time");
}

#[tokio::test]
async fn webhook_faults_slow_answers_and_a_dropped_create() {
    let api = FakeWebhook::start(WebhookAuth::None);
    let url = api.url();
    api.fail_next("POST", "/api/tickets", vec![Reply::too_many_requests(4), Reply::text(500, "boom")]);
    let limited = call(&url, &Auth::None, "POST", "/api/tickets", Some(json!({"case_id": "c1"}))).await;
    assert_eq!((limited.status, limited.retry_after.as_deref()), (429, Some("4")));
    assert_eq!(call(&url, &Auth::None, "POST", "/api/tickets", Some(json!({"case_id": "c1"}))).await.status, 500);
    assert!(api.tickets().is_empty());

    api.fail_next("GET", "/api/tickets", vec![Reply::json(200, &json!({})).delayed(Duration::from_secs(2))]);
    assert!(times_out(&format!("{url}/api/tickets")).await);

    api.drop_after_next_create();
    let lost = try_call(&url, &Auth::None, "POST", "/api/tickets", Some(json!({"case_id": "c9"}))).await;
    assert!(lost.is_err(), "the client sees no answer");
    let found = call(&url, &Auth::None, "GET", "/api/tickets?case_id=c9", None).await.json();
    assert_eq!(strings(&found["tickets"], "/key"), ["OPS-1"]);

    let oauth = FakeWebhook::start(WebhookAuth::oauth2("casebook-client", "s", None));
    oauth.fail_next("POST", "/oauth/token", vec![Reply::status(503)]);
    let form = client_credentials("s", None);
    assert_eq!(token(&oauth.token_url(), &form, None).await.status, 503);
    assert_eq!(token(&oauth.token_url(), &form, None).await.status, 200);
}
