//! The Elasticsearch client (`casebook_core::elastic`) against the fake cluster of
//! `fake_elasticsearch.rs`: cluster info, search filters and paging, status updates, and every
//! way a request can fail, with the API key in none of the messages.

use std::time::Duration;

use casebook_core::Error;
use casebook_core::elastic::{AlertQuery, ElasticClient};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

use crate::fake_elasticsearch::*;
use crate::server::Reply;
use crate::tls::SelfSignedTls;

fn ids(page: &casebook_core::elastic::AlertSearchPage) -> Vec<&str> {
    page.hits.iter().map(|h| h.id.as_str()).collect()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("a test timestamp").with_timezone(&Utc)
}

/// Every error text a person could see.
fn texts(e: &Error) -> [String; 3] {
    [e.to_string(), format!("{e:?}"), e.to_wire().message]
}

fn assert_no_key(e: &Error) {
    for text in texts(e) {
        for secret in [API_KEY, API_KEY_SECRET] {
            assert!(!text.contains(secret), "the API key leaked into: {text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn ping_returns_cluster_name_and_version_and_sends_the_api_key() {
    let es = FakeElasticsearch::start(sample_alerts());
    let info = es.client().ping().await.unwrap();
    assert_eq!((info.cluster_name.as_str(), info.version.as_str()), ("soc-prod", "8.17.1"));
    let requests = es.server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/"));
    assert_eq!(r.header("authorization"), Some(format!("ApiKey {API_KEY}").as_str()));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert!(r.header("user-agent").unwrap_or("").starts_with("casebook/"));
}

#[tokio::test]
async fn ping_with_a_rejected_key_is_unauthorized() {
    let es = FakeElasticsearch::start(sample_alerts());
    es.state().api_key = "another-key".into();
    let e = es.client().ping().await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert_eq!(
        e.to_string(),
        format!(
            "Elasticsearch at {} rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook.",
            es.url()
        )
    );
    assert_no_key(&e);
}

#[tokio::test]
async fn ping_without_the_monitor_privilege_is_forbidden() {
    let es = FakeElasticsearch::start(sample_alerts());
    es.state().privileges.monitor = false;
    let e = es.client().ping().await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    let m = e.to_string();
    assert!(
        m.contains(
            "(403): the API key may not read cluster information (`GET /` needs the `monitor` cluster privilege)."
        ),
        "{m}"
    );
    assert!(m.contains("Elasticsearch said: security_exception: action [cluster:monitor/main] is unauthorized for API key id [VuaCfGcBCdbkQm-e5aOx]"), "{m}");
    assert_no_key(&e);
}

#[tokio::test]
async fn search_returns_real_shaped_hits_newest_first() {
    let es = FakeElasticsearch::start(sample_alerts());
    let page = es.client().search_alerts("default", &AlertQuery::default()).await.unwrap();
    assert_eq!(page.total, 13);
    assert_eq!(
        ids(&page),
        ["b11", "b12", "b10", "b08", "b09", "a07", "a06", "a05", "a02", "a03", "a04", "a01", LEGACY_ID]
    );
    assert_eq!(page.next, None, "13 hits on a page of 100: no next page");
    let b11 = &page.hits[0];
    assert_eq!(b11.index, DEFAULT_2);
    assert_eq!(b11.source["kibana.alert.rule.name"], "Suspicious PowerShell");
    assert_eq!(b11.source["host"]["name"], "ws-042");
    assert_eq!(page.hits[12].index, LEGACY);
    // Each hit comes with the columns a result list shows, legacy `signal.*` alerts included.
    assert_eq!(b11.summary.rule_name.as_deref(), Some("Suspicious PowerShell"));
    assert_eq!((b11.summary.host.as_deref(), b11.summary.severity.as_deref()), (Some("ws-042"), Some("critical")));
    assert_eq!(page.hits[12].summary.rule_name.as_deref(), Some("Legacy Rule"));
    assert_eq!(page.hits[12].summary.host.as_deref(), Some("ws-legacy"));

    let r = &es.server.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/.alerts-security.alerts-default/_search"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    let body = r.json();
    assert_eq!(body["size"], 100);
    assert_eq!(body["track_total_hits"], true);
    assert_eq!(body["sort"], json!([{"@timestamp": {"order": "desc"}}, {"kibana.alert.uuid": {"order": "asc"}}]));
}

#[tokio::test]
async fn search_applies_each_filter() {
    let es = FakeElasticsearch::start(sample_alerts());
    let client = es.client();
    let cases: Vec<(AlertQuery, Vec<&str>)> = vec![
        (AlertQuery { rule: Some("Malware Detected".into()), ..Default::default() }, vec!["b10", "a07", "a05"]),
        (AlertQuery { host: Some("dc-01".into()), ..Default::default() }, vec!["b12", "a03", "a04"]),
        (AlertQuery { user: Some("dave".into()), ..Default::default() }, vec!["b10", "b09"]),
        (AlertQuery { severity: Some("critical".into()), ..Default::default() }, vec!["b11", "a05", "a04"]),
        (AlertQuery { workflow_status: Some("acknowledged".into()), ..Default::default() }, vec!["b09", "a03"]),
        // Through the legacy field aliases too.
        (AlertQuery { rule: Some("Legacy Rule".into()), ..Default::default() }, vec![LEGACY_ID]),
        (
            AlertQuery {
                from: Some(utc("2025-03-01T08:05:00Z")),
                to: Some(utc("2025-03-02T00:00:00Z")),
                ..Default::default()
            },
            vec!["a07", "a06", "a05", "a02", "a03", "a04"],
        ),
        (AlertQuery { from: Some(utc("2025-03-03T00:00:00Z")), ..Default::default() }, vec!["b11", "b12"]),
        (AlertQuery { to: Some(utc("2025-03-01T08:00:00Z")), ..Default::default() }, vec!["a01", LEGACY_ID]),
        (
            AlertQuery {
                rule: Some("Suspicious PowerShell".into()),
                host: Some("ws-042".into()),
                user: Some("alice".into()),
                severity: Some("high".into()),
                workflow_status: Some("open".into()),
                ..Default::default()
            },
            vec!["a02", "a01"],
        ),
        (AlertQuery { host: Some("no-such-host".into()), ..Default::default() }, vec![]),
    ];
    for (q, expected) in cases {
        let page = client.search_alerts("default", &q).await.unwrap();
        assert_eq!(ids(&page), expected, "{q:?}");
        assert_eq!(page.total, expected.len() as u64, "{q:?}");
    }
    // The soc space sees only its own alerts.
    let soc = client.search_alerts("soc", &AlertQuery::default()).await.unwrap();
    assert_eq!(ids(&soc), ["s02", "s01"]);
    assert!(soc.hits.iter().all(|h| h.index == SOC_1));
}

#[tokio::test]
async fn search_after_pages_through_every_alert_exactly_once() {
    let es = FakeElasticsearch::start(sample_alerts());
    let client = es.client();
    let everything = ids(&client.search_alerts("default", &AlertQuery::default()).await.unwrap())
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    for size in [1, 2, 3, 5, 13, 14] {
        let mut q = AlertQuery { size: Some(size), ..Default::default() };
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = client.search_alerts("default", &q).await.unwrap();
            pages += 1;
            assert_eq!(page.total, 13, "the total counts every match, not the page");
            assert!(page.hits.len() <= size as usize);
            seen.extend(page.hits.iter().map(|h| h.id.clone()));
            match page.next {
                Some(next) => {
                    assert_eq!(page.hits.len(), size as usize, "only a full page has a next one");
                    q.search_after = Some(next);
                }
                None => break,
            }
            assert!(pages <= 20, "paging does not end");
        }
        assert_eq!(seen, everything, "page size {size}");
        assert_eq!(pages, 13 / size as usize + 1, "page size {size}");
    }
    // search_after is sent as the previous page's sort values: epoch millis and the uuid.
    let sent: Vec<Value> = es.server.requests().iter().filter_map(|r| r.json().get("search_after").cloned()).collect();
    assert!(sent.contains(&json!([Utc.with_ymd_and_hms(2025, 3, 3, 12, 0, 0).unwrap().timestamp_millis(), "b11"])));
}

#[tokio::test]
async fn a_space_without_alerts_is_not_found_naming_the_index() {
    let es = FakeElasticsearch::start(sample_alerts());
    let e = es.client().search_alerts("nope", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert_eq!(e.to_string(), "Elasticsearch alerts index not found: .alerts-security.alerts-nope");
}

#[tokio::test]
async fn search_without_read_privilege_is_forbidden_naming_the_index() {
    let es = FakeElasticsearch::start(sample_alerts());
    es.state().privileges.read = false;
    let e = es.client().search_alerts("default", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    let m = e.to_string();
    assert!(m.contains("lacks read privileges on the alerts index .alerts-security.alerts-default"), "{m}");
    assert!(m.contains("action [indices:data/read/search] is unauthorized"), "{m}");
    assert_no_key(&e);
}

#[tokio::test]
async fn bad_queries_are_refused_before_anything_is_sent() {
    let es = FakeElasticsearch::start(sample_alerts());
    let client = es.client();
    for (q, field) in [
        (AlertQuery { size: Some(0), ..Default::default() }, "size"),
        (AlertQuery { size: Some(1001), ..Default::default() }, "size"),
        (AlertQuery { severity: Some("urgent".into()), ..Default::default() }, "severity"),
    ] {
        let e = client.search_alerts("default", &q).await.unwrap_err();
        assert!(e.code() == "validation" && e.to_string().starts_with(&format!("{field}: ")), "{e}");
    }
    let e = client.search_alerts("Not A Space", &AlertQuery::default()).await.unwrap_err();
    assert!(e.to_string().starts_with("space: "), "{e}");
    assert!(es.server.requests().is_empty());
}

#[tokio::test]
async fn status_update_reaches_each_index_with_its_ids_and_the_script() {
    let es = FakeElasticsearch::start(sample_alerts());
    let alerts: Vec<(String, String)> = [
        (DEFAULT_1, "a01"),
        (DEFAULT_2, "b08"),
        (DEFAULT_1, "a03"),
        (LEGACY, LEGACY_ID),
        (DEFAULT_1, "a01"), // a duplicate is sent once
        (DEFAULT_2, "b11"),
    ]
    .iter()
    .map(|(i, id)| (i.to_string(), id.to_string()))
    .collect();
    let before = Utc::now();
    let updated = es.client().set_workflow_status(&alerts, "closed").await.unwrap();
    assert_eq!(updated, 5);

    let requests = es.server.requests();
    let sent: Vec<(&str, Value)> =
        requests.iter().map(|r| (r.path.as_str(), r.json()["query"]["ids"]["values"].clone())).collect();
    assert_eq!(
        sent,
        [
            (format!("/{DEFAULT_1}/_update_by_query").as_str(), json!(["a01", "a03"])),
            (format!("/{DEFAULT_2}/_update_by_query").as_str(), json!(["b08", "b11"])),
            (format!("/{LEGACY}/_update_by_query").as_str(), json!([LEGACY_ID])),
        ]
    );
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.query_pairs(),
            [("conflicts".to_string(), "proceed".to_string()), ("refresh".to_string(), "true".to_string())]
        );
        let script = &r.json()["script"];
        assert_eq!(script["lang"], "painless");
        assert_eq!(script["params"]["status"], "closed");
        let now = utc(script["params"]["now"].as_str().unwrap());
        assert!(now >= before - chrono::Duration::seconds(1) && now <= Utc::now());
        let source = script["source"].as_str().unwrap();
        for part in [
            "ctx._source['kibana.alert.workflow_status'] = params.status",
            "ctx._source['kibana.alert.workflow_status_updated_at'] = params.now",
            "ctx._source.signal.status = params.status",
        ] {
            assert!(source.contains(part), "{part} missing from {source}");
        }
    }
    for id in ["a01", "a03", "b08", "b11"] {
        assert_eq!(es.source(id)["kibana.alert.workflow_status"], "closed", "{id}");
        assert!(es.source(id)["kibana.alert.workflow_status_updated_at"].is_string(), "{id}");
    }
    assert_eq!(es.source("a02")["kibana.alert.workflow_status"], "open", "untouched");
    let legacy = es.source(LEGACY_ID);
    assert_eq!(legacy["signal"]["status"], "closed");
    assert!(legacy.get("kibana.alert.workflow_status").is_none(), "no write to a field alias");

    // The new status is what a search now filters on.
    let q = AlertQuery { workflow_status: Some("closed".into()), ..Default::default() };
    let closed = es.client().search_alerts("default", &q).await.unwrap();
    assert_eq!(ids(&closed), ["b11", "b10", "b08", "a05", "a03", "a01", LEGACY_ID]);
}

#[tokio::test]
async fn status_updates_go_in_chunks_of_1000_ids() {
    let es = FakeElasticsearch::start(sample_alerts());
    let mut alerts: Vec<(String, String)> = (0..2345).map(|i| (DEFAULT_1.to_string(), format!("x{i:04}"))).collect();
    alerts.push((DEFAULT_1.to_string(), "a01".to_string()));
    let updated = es.client().set_workflow_status(&alerts, "acknowledged").await.unwrap();
    assert_eq!(updated, 1, "only a01 exists");
    let sizes: Vec<usize> = es
        .server
        .requests()
        .iter()
        .map(|r| r.json()["query"]["ids"]["values"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [1000, 1000, 346]);
    assert_eq!(es.source("a01")["kibana.alert.workflow_status"], "acknowledged");
}

#[tokio::test]
async fn status_update_checks_its_input_and_sends_nothing_for_no_alerts() {
    let es = FakeElasticsearch::start(sample_alerts());
    let client = es.client();
    assert_eq!(client.set_workflow_status(&[], "open").await.unwrap(), 0);
    let one = [(DEFAULT_1.to_string(), "a01".to_string())];
    let e = client.set_workflow_status(&one, "in-progress").await.unwrap_err();
    assert_eq!(e.to_string(), "status: must be one of open, acknowledged, closed (got \"in-progress\")");
    let e = client.set_workflow_status(&[("_all".into(), "a01".into())], "open").await.unwrap_err();
    assert!(e.to_string().starts_with("index: "), "{e}");
    assert!(es.server.requests().is_empty());
}

#[tokio::test]
async fn status_update_without_write_privilege_is_forbidden() {
    let es = FakeElasticsearch::start(sample_alerts());
    es.state().privileges.write = false;
    let one = [(DEFAULT_1.to_string(), "a01".to_string())];
    let e = es.client().set_workflow_status(&one, "closed").await.unwrap_err();
    assert_eq!(e.code(), "forbidden");
    let m = e.to_string();
    assert!(m.contains(&format!("lacks write privileges on the alerts index {DEFAULT_1}")), "{m}");
    assert!(m.contains("indices:data/write/update/byquery"), "{m}");
    assert_eq!(es.source("a01")["kibana.alert.workflow_status"], "open");
    assert_no_key(&e);
}

#[tokio::test]
async fn status_update_failures_reported_by_elasticsearch_are_remote() {
    let es = FakeElasticsearch::start(sample_alerts());
    let reason = "failed to parse field [kibana.alert.workflow_status] of type [keyword] in document with id 'a01'";
    es.server.canned(
        "POST",
        "/{index}/_update_by_query",
        Reply::json(
            200,
            &json!({"took": 12, "timed_out": false, "total": 1, "updated": 0, "deleted": 0, "batches": 1,
                "version_conflicts": 0, "noops": 0, "retries": {"bulk": 0, "search": 0}, "throttled_millis": 0,
                "requests_per_second": -1.0, "throttled_until_millis": 0,
                "failures": [{"index": DEFAULT_1, "id": "a01", "cause": {"type": "document_parsing_exception", "reason": reason}, "status": 400}]}),
        ),
    );
    let one = [(DEFAULT_1.to_string(), "a01".to_string())];
    let e = es.client().set_workflow_status(&one, "closed").await.unwrap_err();
    assert_eq!(e.code(), "remote");
    assert_eq!(
        e.to_string(),
        format!("Elasticsearch at {} answered HTTP 200: the status update failed for alert a01: {reason}.", es.url())
    );
}

#[tokio::test]
async fn status_update_of_a_missing_index_is_not_found() {
    let es = FakeElasticsearch::start(sample_alerts());
    let gone = [(".internal.alerts-security.alerts-default-000009".to_string(), "a01".to_string())];
    let e = es.client().set_workflow_status(&gone, "closed").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().ends_with(".internal.alerts-security.alerts-default-000009"), "{e}");
}

#[tokio::test]
async fn a_port_with_nothing_listening_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = ElasticClient::new(&format!("http://127.0.0.1:{port}"), API_KEY).unwrap();
    let e = client.ping().await.unwrap_err();
    assert_eq!(e.code(), "unreachable");
    assert_eq!(
        e.to_string(),
        format!(
            "Cannot reach http://127.0.0.1:{port}: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected."
        )
    );
    assert_no_key(&e);
}

#[tokio::test]
async fn an_unknown_host_name_is_unreachable() {
    // `.invalid` never resolves (RFC 6761); a resolver that does not answer runs into the
    // connect timeout instead, which is the same code.
    let client = ElasticClient::new("https://elastic.invalid:9200", API_KEY).unwrap();
    let e = client.ping().await.unwrap_err();
    assert_eq!(e.code(), "unreachable", "{e}");
    let m = e.to_string();
    assert!(m.starts_with("Cannot reach https://elastic.invalid:9200: "), "{m}");
    assert!(m.contains("the host name could not be resolved") || m.contains("timed out"), "{m}");
}

#[tokio::test]
async fn a_dropped_connection_or_a_slow_answer_is_unreachable() {
    let es = FakeElasticsearch::start(sample_alerts());
    es.server.canned("GET", "/", Reply::drop_connection());
    let e = es.client().ping().await.unwrap_err();
    assert_eq!(e.code(), "unreachable");
    assert!(e.to_string().contains("the connection was closed before a complete answer arrived"), "{e}");

    es.server.canned("GET", "/", Reply::status(200).delayed(Duration::from_secs(5)));
    let impatient =
        ElasticClient::with_timeouts(&es.url(), API_KEY, Duration::from_secs(1), Duration::from_secs(1)).unwrap();
    let e = impatient.ping().await.unwrap_err();
    assert_eq!(e.code(), "unreachable");
    assert!(e.to_string().contains(": no complete answer within 1 s (timed out)."), "{e}");
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_connecting() {
    for url in ["http://es.example.com:9200", "http://192.0.2.10:9200"] {
        let e = ElasticClient::new(url, API_KEY).unwrap_err();
        assert_eq!(e.code(), "validation");
        assert!(e.to_string().starts_with("url: must start with https://"), "{e}");
        assert_no_key(&e);
    }
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused() {
    let tls = SelfSignedTls::start();
    let client = ElasticClient::new(&tls.url(), API_KEY).unwrap();
    let e = client.ping().await.unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");
    let m = e.to_string();
    assert!(
        m.starts_with(&format!("Could not open a secure connection to {}: the server's certificate was not trusted: it is signed by an unknown authority", tls.url())),
        "{m}"
    );
    assert!(m.contains("Casebook only accepts certificates the operating system trusts"), "{m}");
    assert_no_key(&e);
}

#[tokio::test]
async fn other_failures_quote_elasticsearch_and_never_the_key() {
    let es = FakeElasticsearch::start(sample_alerts());
    let client = es.client();
    es.server.canned("POST", "/{index}/_search", Reply::too_many_requests(12));
    let e = client.search_alerts("default", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(e.code(), "remote");
    assert!(
        e.to_string().ends_with("answered HTTP 429: the cluster is overloaded (too many requests); try again in 12 s."),
        "{e}"
    );

    let reason = "all shards failed";
    es.server.canned(
        "POST",
        "/{index}/_search",
        es_error(503, "search_phase_execution_exception", reason, json!({"phase": "query", "grouped": true})),
    );
    let e = client.search_alerts("default", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Elasticsearch at {} answered HTTP 503: search_phase_execution_exception: all shards failed", es.url())
    );

    // A proxy that echoes the request headers back.
    es.server.route("POST", "/{index}/_search", |req| {
        Reply::text(502, &format!("bad gateway; you sent authorization: {}", req.header("authorization").unwrap_or("")))
    });
    let e = client.search_alerts("default", &AlertQuery::default()).await.unwrap_err();
    assert_eq!(e.code(), "remote");
    assert!(e.to_string().contains("ApiKey [redacted]"), "{e}");
    assert_no_key(&e);

    // Kibana's URL instead of Elasticsearch's: a redirect to its login page.
    es.server.canned("GET", "/", Reply::status(302).with_header("location", "/login?next=%2F"));
    let e = client.ping().await.unwrap_err();
    assert!(e.to_string().contains("The URL probably points at Kibana"), "{e}");
    // And an HTML page with 200.
    es.server.canned(
        "GET",
        "/",
        Reply::status(200).with_header("content-type", "text/html").with_body("<html>Kibana</html>"),
    );
    let e = client.ping().await.unwrap_err();
    assert_eq!(e.code(), "remote");
    assert!(e.to_string().contains("the answer is not JSON. Check that the URL points at Elasticsearch"), "{e}");
    assert_no_key(&e);
}
