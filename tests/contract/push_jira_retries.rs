//! Pushes to Jira that do not go through at once, against the fake Jira: throttling and server
//! errors retried from the outbox, a lost create answer (and a search that lags behind it) that
//! does not lead to a second issue, a push asked for again mid-push, and a push queued offline
//! and sent after a restart.

use std::sync::Arc;
use std::time::Duration;

use casebook_core::model::*;
use serde_json::json;

use crate::alert_source::files_contain;
use crate::push_jira::{Book, TOKEN, cloud, drain, queued, ready, sent};
use crate::server::Reply;

#[tokio::test]
async fn throttling_waits_as_long_as_jira_asks_then_sends() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    jira.fail_next("POST", "/rest/api/2/issue", vec![Reply::too_many_requests(1)]);
    let before = chrono::Utc::now();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!((item.attempts, item.last_error_code.as_deref()), (1, Some("remote")));
    assert!(item.last_error.as_deref().unwrap().contains("HTTP 429"), "{item:?}");
    let due = item.next_attempt_at.expect("next attempt");
    assert!(due >= before + chrono::TimeDelta::milliseconds(1000), "Retry-After: 1 s was honoured ({due} vs {before})");
    assert_eq!(b.get(&case.id).pending_push, Some(OutboxState::Queued));
    assert!(b.book.run_due_pushes().await.unwrap().is_empty(), "not due before Retry-After");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = sent(b.book.run_due_pushes().await.unwrap().remove(0));
    assert_eq!(r.external_title, "SEC-1");
    assert_eq!(jira.issues().len(), 1);
    assert!(b.book.outbox(None).unwrap().is_empty());
}

#[tokio::test]
async fn server_errors_are_retried_until_they_succeed_with_one_issue() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    b.book.add_comment(&case.id, "First note").unwrap();
    let failing = Reply::json(503, &json!({"errorMessages": ["Service temporarily unavailable"]}));
    jira.fail_next("POST", "/rest/api/2/issue", vec![failing.clone(), Reply::status(502)]);
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert!(item.last_error.unwrap().contains("Service temporarily unavailable"));
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.issues()[0].comments.len(), 1);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
}

#[tokio::test]
async fn a_lost_create_answer_does_not_make_a_second_issue() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    b.book.add_comment(&case.id, "Note").unwrap();
    jira.drop_after_next_create();
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    assert_eq!(jira.issues().len(), 1, "Jira made the issue; Casebook never heard");
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted, "{report:?}");
    assert_eq!(report.external_title, "SEC-1");
    assert_eq!(jira.issues().len(), 1, "still exactly one issue");
    assert_eq!(jira.issues()[0].comments.len(), 1);
}

#[tokio::test]
async fn a_search_that_lags_behind_a_lost_create_is_asked_again_before_creating() {
    let jira = cloud();
    let mut b = Book::new();
    let case = ready(&jira, &b).await;
    // Casebook's clock stands still, so the retry runs a tenth of a second after the lost
    // create however slow the machine is: well within the 0.3 s search is given.
    let now = Arc::new(std::sync::Mutex::new(chrono::Utc::now()));
    let clock = now.clone();
    b.book.set_clock(Arc::new(move || *clock.lock().unwrap()));
    jira.drop_after_next_create();
    queued(b.book.push_case(&case.id, None).await.unwrap());
    *now.lock().unwrap() += chrono::TimeDelta::milliseconds(100);
    // Jira Cloud's search index has not seen the new issue yet.
    let lagging = Reply::json(200, &json!({"issues": [], "isLast": true}));
    jira.fail_next("GET", "/rest/api/2/search/jql", vec![lagging.clone(), lagging]);
    let outcomes = drain(&b).await;
    let Some(PushOutcome::Sent { report }) = outcomes.last() else { panic!("{outcomes:?}") };
    assert!(report.adopted, "{report:?}");
    assert_eq!(jira.issues().len(), 1, "one issue, although search first said there was none");
}

#[tokio::test]
async fn a_push_asked_for_again_while_it_is_sent_goes_again_with_the_change() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    // The first request's search answers slowly; once Jira has it, the title changes and the
    // user pushes again.
    let slow = Reply::json(200, &json!({"issues": [], "isLast": true})).delayed(Duration::from_secs(1));
    jira.fail_next("GET", "/rest/api/2/search/jql", vec![slow]);
    jira.server.take_requests();
    let edit_and_push_again = async {
        while !jira.server.requests().iter().any(|r| r.path.starts_with("/rest/api/2/search/jql")) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let c = b.get(&case.id);
        let patch = CasePatch {
            id: c.id.clone(),
            version: c.version,
            title: Some("Renamed mid-push".into()),
            ..Default::default()
        };
        b.book.update_case(&patch).unwrap();
        b.book.push_case(&case.id, None).await.unwrap()
    };
    let (first, second) = tokio::join!(b.book.push_case(&case.id, None), edit_and_push_again);
    assert!(matches!(first.unwrap(), PushOutcome::Sent { .. }));
    assert!(matches!(second, PushOutcome::Queued { .. }), "the second request waits for the first: {second:?}");
    assert_eq!(b.get(&case.id).push_state, PushState::RequiresUpdate, "sent as of before the rename");
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    assert_eq!(jira.issue("SEC-1").unwrap().fields["summary"], "Renamed mid-push");
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(b.get(&case.id).push_state, PushState::UpToDate);
}

#[tokio::test]
async fn a_push_queued_offline_is_sent_after_a_restart() {
    let jira = cloud();
    let b = Book::new();
    let case = ready(&jira, &b).await;
    b.book.add_comment(&case.id, "Drafted on the plane").unwrap();
    // The network is gone: every request dies before an answer.
    jira.fail_next("*", "/", (0..3).map(|_| Reply::drop_connection()).collect());
    let item = queued(b.book.push_case(&case.id, None).await.unwrap());
    assert_eq!(item.last_error_code.as_deref(), Some("unreachable"));
    assert!(jira.issues().is_empty());

    let b = b.reopen();
    assert_eq!(b.get(&case.id).pending_push, Some(OutboxState::Queued), "the push survived the restart");
    let outcomes = drain(&b).await;
    assert!(matches!(outcomes.last(), Some(PushOutcome::Sent { .. })), "{outcomes:?}");
    assert_eq!(jira.issues().len(), 1);
    assert_eq!(jira.issues()[0].comments.len(), 1);
    assert!(!files_contain(b.dir.path(), TOKEN), "the token reached a file");
}
