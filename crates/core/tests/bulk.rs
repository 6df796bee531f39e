#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Bulk changes to every case a query matches, in batches ("Select all N matching cases").

use casebook_core::bulk::BulkAction;
use casebook_core::model::*;
use casebook_core::{Error, validate};
use chrono::Duration;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

impl Fixture {
    fn advance(&self) {
        *self.now.lock().unwrap() += Duration::seconds(1);
    }
    fn case(&self, title: &str, tags: &[&str]) -> Case {
        self.advance();
        let tags = tags.iter().map(|t| t.to_string()).collect();
        self.book.create_case("default", &CaseCreate { title: title.into(), tags, ..Default::default() }).unwrap()
    }
    fn status_of(&self, c: &Case) -> Status {
        self.book.get_case(&c.id).unwrap().status
    }
    /// Every batch of a bulk run over `selection`, `limit` at a time.
    fn batches(&self, q: &FindQuery, selection: &MatchingCases, action: BulkAction<'_>, limit: u32) -> Vec<BulkBatch> {
        let mut out: Vec<BulkBatch> = Vec::new();
        loop {
            let after = out.last().and_then(|b| b.next.clone());
            let b = match action {
                BulkAction::Update(change) => {
                    self.book.bulk_update_matching(q, &selection.snapshot, after.as_deref(), change, limit)
                }
                BulkAction::Delete => self.book.bulk_delete_matching(q, &selection.snapshot, after.as_deref(), limit),
            }
            .unwrap();
            let last = b.next.is_none();
            out.push(b);
            if last {
                return out;
            }
        }
    }
}

fn tagged(tag: &str) -> FindQuery {
    FindQuery { tags: vec![tag.into()], ..Default::default() }
}

fn close() -> BulkChange {
    BulkChange { status: Some(Status::Closed), ..Default::default() }
}

#[test]
fn a_query_over_several_batches_changes_every_matching_case_once() {
    let f = fixture();
    let matching: Vec<Case> = (0..7).map(|i| f.case(&format!("Phishing {i}"), &["phishing"])).collect();
    let other = f.case("Malware", &["malware"]);
    let q = tagged("phishing");
    let selection = f.book.select_matching_cases(&q).unwrap();
    assert_eq!(selection.total, 7);
    f.advance();

    let batches = f.batches(&q, &selection, BulkAction::Update(&close()), 3);
    assert_eq!(batches.iter().map(|b| b.changed).collect::<Vec<_>>(), [3, 3, 1]);
    assert!(batches.iter().all(|b| b.skipped.is_empty() && b.failed.is_empty()));
    for c in &matching {
        assert_eq!(f.status_of(c), Status::Closed, "{}", c.title);
    }
    assert_eq!(f.status_of(&other), Status::Open, "a case outside the query is left alone");
}

#[test]
fn a_status_change_that_moves_cases_out_of_the_filter_still_reaches_them_all() {
    let f = fixture();
    for i in 0..5 {
        f.case(&format!("Open {i}"), &[]);
    }
    let q = FindQuery { status: vec![Status::Open], sort_field: Some(SortField::UpdatedAt), ..Default::default() };
    let selection = f.book.select_matching_cases(&q).unwrap();
    f.advance();
    let report = f.book.bulk_all(&q, &selection, BulkAction::Update(&close()), 2, |_| true).unwrap();
    assert_eq!((report.total, report.changed, report.gone), (5, 5, 0));
    assert_eq!(f.book.find_cases(&q).unwrap().total, 0);
}

#[test]
fn a_search_is_resolved_batch_by_batch_too() {
    let f = fixture();
    for i in 0..5 {
        f.case(&format!("Credential stuffing wave {i}"), &[]);
    }
    f.case("Unrelated", &[]);
    let q = FindQuery { search: Some("stuffing".into()), ..Default::default() };
    let report = f
        .book
        .bulk_run(
            &q,
            BulkAction::Update(&BulkChange { severity: Some(Severity::High), ..Default::default() }),
            2,
            |_| true,
        )
        .unwrap();
    assert_eq!((report.total, report.changed), (5, 5));
    let high = FindQuery { severity: vec![Severity::High], ..Default::default() };
    assert_eq!(f.book.find_cases(&high).unwrap().total, 5);
}

#[test]
fn a_case_edited_after_the_selection_is_skipped_not_overwritten() {
    let f = fixture();
    let a = f.case("A", &["phishing"]);
    let b = f.case("B", &["phishing"]);
    let q = tagged("phishing");
    let selection = f.book.select_matching_cases(&q).unwrap();
    f.advance();
    // Someone else reopens the work on B in the meantime.
    let edited = f
        .book
        .update_case(&CasePatch {
            id: b.id.clone(),
            version: b.version.clone(),
            status: Some(Status::InProgress),
            ..Default::default()
        })
        .unwrap();
    f.advance();

    let report = f.book.bulk_all(&q, &selection, BulkAction::Update(&close()), 10, |_| true).unwrap();
    assert_eq!(report.changed, 1);
    assert_eq!(report.skipped.len(), 1);
    let skipped = &report.skipped[0];
    assert_eq!((skipped.id.as_str(), skipped.code.as_str(), skipped.title.as_str()), (b.id.as_str(), "conflict", "B"));
    assert!(skipped.message.contains("its status was changed by"), "{}", skipped.message);
    assert!(skipped.message.contains("after it was selected"), "{}", skipped.message);
    assert_eq!(f.status_of(&a), Status::Closed);
    assert_eq!(f.book.get_case(&b.id).unwrap(), edited, "B keeps the other edit");
}

#[test]
fn a_comment_added_after_the_selection_does_not_make_the_case_stale() {
    let f = fixture();
    let a = f.case("A", &["phishing"]);
    let q = tagged("phishing");
    let selection = f.book.select_matching_cases(&q).unwrap();
    f.advance();
    f.book.add_comment(&a.id, "Looked at the headers").unwrap();
    f.advance();
    let report = f.book.bulk_all(&q, &selection, BulkAction::Update(&close()), 10, |_| true).unwrap();
    assert_eq!((report.changed, report.skipped.len()), (1, 0));
    assert_eq!(f.status_of(&a), Status::Closed);
}

#[test]
fn cases_deleted_meanwhile_are_gone_and_cases_created_after_are_not_selected() {
    let f = fixture();
    let cases: Vec<Case> = (0..4).map(|i| f.case(&format!("C{i}"), &["phishing"])).collect();
    let q = tagged("phishing");
    let selection = f.book.select_matching_cases(&q).unwrap();
    f.advance();
    f.book.delete_cases(&[cases[1].id.clone()]).unwrap();
    let late = f.case("Created after the selection", &["phishing"]);

    let report = f.book.bulk_all(&q, &selection, BulkAction::Update(&close()), 2, |_| true).unwrap();
    assert_eq!((report.total, report.changed, report.gone), (4, 3, 1));
    assert_eq!(f.status_of(&late), Status::Open);
}

#[test]
fn cases_already_as_asked_count_as_unchanged() {
    let f = fixture();
    let a = f.case("A", &["x"]);
    f.case("B", &["x"]);
    f.book
        .update_case(&CasePatch {
            id: a.id.clone(),
            version: a.version,
            status: Some(Status::Closed),
            ..Default::default()
        })
        .unwrap();
    f.advance();
    let report = f.book.bulk_run(&tagged("x"), BulkAction::Update(&close()), 10, |_| true).unwrap();
    assert_eq!((report.changed, report.unchanged), (1, 1));
}

#[test]
fn tags_and_assignees_are_added_and_removed_on_every_case() {
    let f = fixture();
    let me = f.book.profile().unwrap().username;
    let cases: Vec<Case> = (0..3).map(|i| f.case(&format!("C{i}"), &["triage", "x"])).collect();
    let change = BulkChange {
        add_tags: vec!["campaign-7".into()],
        remove_tags: vec!["triage".into()],
        add_assignees: vec![Assignee { uid: me.clone() }],
        ..Default::default()
    };
    let report = f.book.bulk_run(&tagged("x"), BulkAction::Update(&change), 2, |_| true).unwrap();
    assert_eq!(report.changed, 3);
    for c in &cases {
        let now = f.book.get_case(&c.id).unwrap();
        assert_eq!(now.tags, ["x", "campaign-7"]);
        assert_eq!(now.assignees, [Assignee { uid: me.clone() }]);
    }
}

#[test]
fn one_case_refused_by_a_rule_fails_alone() {
    let f = fixture();
    let full: Vec<String> = (0..validate::MAX_TAGS_PER_CASE).map(|i| format!("t{i}")).collect();
    f.advance();
    let crowded = f
        .book
        .create_case("default", &CaseCreate { title: "Crowded".into(), tags: full, ..Default::default() })
        .unwrap();
    let fine = f.case("Fine", &["t0"]);
    f.advance();
    let change = BulkChange { add_tags: vec!["one-more".into()], ..Default::default() };
    let report = f.book.bulk_run(&tagged("t0"), BulkAction::Update(&change), 10, |_| true).unwrap();
    assert_eq!(report.changed, 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!((report.failed[0].id.as_str(), report.failed[0].code.as_str()), (crowded.id.as_str(), "validation"));
    assert!(f.book.get_case(&fine.id).unwrap().tags.contains(&"one-more".to_string()));
    assert_eq!(f.book.get_case(&crowded.id).unwrap().version, crowded.version, "the refused case is untouched");
}

#[test]
fn deleting_goes_through_every_batch_and_leaves_the_rest() {
    let f = fixture();
    for i in 0..5 {
        f.case(&format!("Noise {i}"), &["noise"]);
    }
    let keep = f.case("Keep", &["real"]);
    let q = tagged("noise");
    let selection = f.book.select_matching_cases(&q).unwrap();
    f.advance();
    let batches = f.batches(&q, &selection, BulkAction::Delete, 2);
    assert_eq!(batches.iter().map(|b| b.changed).collect::<Vec<_>>(), [2, 2, 1]);
    assert_eq!(f.book.find_cases(&FindQuery::default()).unwrap().total, 1);
    assert_eq!(f.book.get_case(&keep.id).unwrap().title, "Keep");
}

#[test]
fn a_run_stopped_between_batches_changes_only_the_batches_done() {
    let f = fixture();
    for i in 0..6 {
        f.case(&format!("C{i}"), &["x"]);
    }
    f.advance();
    let report = f.book.bulk_run(&tagged("x"), BulkAction::Update(&close()), 2, |_| false).unwrap();
    assert!(report.cancelled);
    assert_eq!((report.total, report.changed, report.gone), (6, 2, 0));
    let closed = FindQuery { status: vec![Status::Closed], ..Default::default() };
    assert_eq!(f.book.find_cases(&closed).unwrap().total, 2);
}

#[test]
fn bad_input_names_the_field_and_changes_nothing() {
    let f = fixture();
    let c = f.case("A", &["x"]);
    let q = tagged("x");
    let s = f.book.select_matching_cases(&q).unwrap();
    let field = |r: Result<BulkBatch, Error>| match r {
        Err(Error::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let book = &f.book;
    assert_eq!(field(book.bulk_update_matching(&q, &s.snapshot, None, &BulkChange::default(), 10)), "change");
    let stranger = BulkChange { add_assignees: vec![Assignee { uid: "nobody-here".into() }], ..Default::default() };
    assert_eq!(field(book.bulk_update_matching(&q, &s.snapshot, None, &stranger, 10)), "change.add_assignees[0]");
    assert_eq!(field(book.bulk_update_matching(&q, "yesterday", None, &close(), 10)), "snapshot");
    assert_eq!(field(book.bulk_update_matching(&q, &s.snapshot, Some("x"), &close(), 10)), "after");
    assert_eq!(field(book.bulk_update_matching(&q, &s.snapshot, None, &close(), 0)), "batch");
    assert_eq!(field(book.bulk_delete_matching(&q, &s.snapshot, None, validate::MAX_BULK_BATCH_CASES + 1)), "batch");
    assert_eq!(f.book.get_case(&c.id).unwrap(), c);
}
