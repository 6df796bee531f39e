use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::*;
use crate::CaseCreate;

fn open_book() -> (tempfile::TempDir, Casebook) {
    let dir = tempfile::tempdir().unwrap();
    let book = Casebook::open(dir.path().join("c.db")).unwrap();
    (dir, book)
}

fn new_case(book: &Casebook, title: &str) -> String {
    book.create_case("default", &CaseCreate { title: title.into(), ..Default::default() }).unwrap().id
}

fn number(book: &Casebook, id: &str) -> Option<i64> {
    book.get_case(id).unwrap().incremental_id
}

fn only_ids(task: &IdTask) -> Jobs {
    Jobs { ids: Some(task.clone()), ..Jobs::default() }
}

#[tokio::test(start_paused = true)]
async fn numbering_runs_every_interval() {
    let (_dir, book) = open_book();
    let first = new_case(&book, "first");
    // The seconds form of CASEBOOK_ID_INTERVAL: the first pass waits a whole interval.
    let task = IdTask::new(Some(Duration::from_secs(60)), true);
    let handle = Scheduler::start(&book, only_ids(&task));

    tokio::time::sleep(Duration::from_secs(59)).await;
    assert_eq!(number(&book, &first), None, "no pass before the interval");
    assert_eq!(task.status().last_run_at, None);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(number(&book, &first), Some(1));
    assert_eq!(task.status().last_assigned, Some(1));

    let second = new_case(&book, "second");
    tokio::time::sleep(Duration::from_secs(58)).await;
    assert_eq!(number(&book, &second), None, "the next pass is one interval after the last");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(number(&book, &second), Some(2));
    handle.stop().await;
}

#[tokio::test(start_paused = true)]
async fn the_first_pass_comes_shortly_after_start_up_and_follows_the_setting() {
    let (_dir, book) = open_book();
    let id = new_case(&book, "waiting");
    book.set_id_interval_minutes(5).unwrap();
    let task = IdTask::new(None, false);
    let handle = Scheduler::start(&book, only_ids(&task));
    tokio::time::sleep(ids::STARTUP_DELAY + Duration::from_millis(100)).await;
    assert_eq!(number(&book, &id), Some(1));
    assert_eq!(task.status().setting_minutes, 5, "the job read the setting");
    assert_eq!(task.status().interval_seconds, 300);
    handle.stop().await;
}

#[tokio::test(start_paused = true)]
async fn run_now_and_a_new_interval_wake_the_sleeping_job() {
    let (_dir, book) = open_book();
    let task = IdTask::new(Some(Duration::from_secs(3600)), true);
    let handle = Scheduler::start(&book, only_ids(&task));
    tokio::time::sleep(Duration::from_secs(10)).await;
    let id = new_case(&book, "now please");
    task.run_now();
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(number(&book, &id), Some(1), "numbered without waiting the hour");
    let next = chrono::DateTime::parse_from_rfc3339(&task.status().next_run_at).unwrap();
    assert!(next.signed_duration_since(chrono::Utc::now()).num_seconds() > 3500, "the interval counts from the pass");
    handle.stop().await;

    // Without the override, a shorter setting applies at once, not at the end of the old wait.
    let (_dir, book) = open_book();
    let task = IdTask::new(None, false);
    let handle = Scheduler::start(&book, only_ids(&task));
    tokio::time::sleep(Duration::from_secs(10)).await; // the start-up pass
    let id = new_case(&book, "after the start-up pass");
    book.set_id_interval_minutes(1).unwrap();
    task.observe_setting(1);
    tokio::time::sleep(Duration::from_secs(55)).await;
    assert_eq!(number(&book, &id), Some(1), "due a minute after the start-up pass, not ten");
    handle.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_calls_the_hook_after_commits_from_any_connection() {
    let (dir, book) = open_book();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let hook: OnChange = Arc::new(move || {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let handle = Scheduler::start(&book, Jobs { watch: Some((Duration::from_millis(10), hook)), ..Jobs::default() });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing changed yet");
    // As the `casebook` CLI would: its own connection to the same file.
    let cli = Casebook::open(dir.path().join("c.db")).unwrap();
    new_case(&cli, "from the CLI");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while calls.load(Ordering::SeqCst) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no call within 5 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The write and the connection's first statistics upkeep may be two commits; then quiet.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let after = calls.load(Ordering::SeqCst);
    cli.find_cases(&Default::default()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(calls.load(Ordering::SeqCst), after, "reads are not changes");
    handle.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_every_job_at_once() {
    let (dir, book) = open_book();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let hook: OnChange = Arc::new(move || {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let jobs = Jobs {
        ids: Some(IdTask::new(Some(Duration::from_secs(1)), true)),
        outbox: Some(Duration::from_millis(10)),
        status_sync: Some(Duration::from_millis(10)),
        watch: Some((Duration::from_millis(10), hook)),
    };
    let handle = Scheduler::start(&book, jobs);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!handle.is_finished());
    let started = std::time::Instant::now();
    handle.stop().await;
    assert!(started.elapsed() < STOP_GRACE, "waiting jobs end at once: {:?}", started.elapsed());
    // The outbox job's first write may have been seen (its statistics upkeep commits).
    let before = calls.load(Ordering::SeqCst);

    let id = new_case(&Casebook::open(dir.path().join("c.db")).unwrap(), "after the stop");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(calls.load(Ordering::SeqCst), before, "the watcher stopped");
    assert_eq!(number(&book, &id), None, "the numbering stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_handle_stops_the_jobs_too() {
    let (_dir, book) = open_book();
    let task = IdTask::new(Some(Duration::from_secs(1)), true);
    drop(Scheduler::start(&book, only_ids(&task)));
    let id = new_case(&book, "after the drop");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(number(&book, &id), None);
}

#[tokio::test(start_paused = true)]
async fn a_failing_pass_is_logged_once_until_it_recovers_and_the_job_goes_on() {
    let (dir, book) = open_book();
    let id = new_case(&book, "numbered by the writer");
    // A read-only Casebook cannot number: every pass fails the same way.
    let read_only = Casebook::open_read_only(dir.path().join("c.db")).unwrap().unwrap();
    let task = IdTask::new(Some(Duration::from_secs(60)), true);
    let handle = Scheduler::start(&read_only, only_ids(&task));
    tokio::time::sleep(Duration::from_secs(200)).await;
    assert_eq!(task.status().last_run_at, None, "three failed passes");
    assert_eq!(number(&book, &id), None);
    assert!(!handle.is_finished(), "a failure does not end the job");
    handle.stop().await;
}

#[test]
fn log_once_logs_a_failure_once_until_it_recovers() {
    let mut log = LogOnce::new("test job");
    assert!(!log.is_failing());
    assert!(log.failed("pass", "database is locked"));
    assert!(!log.failed("pass", "database is locked"), "the same failure again");
    assert!(log.is_failing());
    assert!(log.failed("pass", "disk full"), "another failure");
    assert!(!log.failed("pass", "disk full"));
    assert!(log.recovered());
    assert!(!log.recovered(), "one recovery line");
    assert!(log.failed("pass", "disk full"), "after a recovery the failure is news again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_until_done_waits_out_retries_until_the_push_leaves_the_outbox() {
    use crate::model::{ConnectorAuth, ConnectorInput, ConnectorSettings, JiraSettings, PushOutcome};
    let dir = tempfile::tempdir().unwrap();
    let mut book = Casebook::open(dir.path().join("c.db")).unwrap();
    book.set_secrets(Arc::new(crate::secrets::MemorySecrets::new()));
    // Nothing listens on this port: every attempt fails and the push waits for a retry.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let input = ConnectorInput {
        name: "SOC Jira".into(),
        url: format!("http://127.0.0.1:{port}"),
        settings: ConnectorSettings::Jira(JiraSettings {
            project_key: "SEC".into(),
            auth: ConnectorAuth::Basic,
            username: Some("u@example.com".into()),
        }),
        secret: Some("t".into()),
        secrets: None,
    };
    book.create_connector("default", &input).unwrap();
    crate::push::set_retry_base(Duration::from_millis(20));
    let case = new_case(&book, "offline push");
    let first = book.push_case(&case, Some("SOC Jira")).await.unwrap();
    let PushOutcome::Queued { item } = &first else { panic!("{first:?}") };
    let id = item.id;
    let mut waits = 0;
    let other = book.clone();
    let outcome = book
        .send_until_done(first, |item, wait| {
            assert!(wait >= Duration::from_millis(10) && wait < Duration::from_secs(60), "{wait:?}");
            assert!(item.last_error.is_some(), "{item:?}");
            waits += 1;
            if waits == 3 {
                // As the user would from the app while the CLI waits.
                other.cancel_push(id).unwrap();
            }
        })
        .await;
    assert_eq!(waits, 3, "retried until the push was gone");
    assert!(matches!(outcome, Err(crate::Error::NotFound { .. })), "{outcome:?}");
}
