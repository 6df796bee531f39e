#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The case list: filters, search and ranking, sort with stable ties, paging, counts.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use casebook_core::Casebook;
use casebook_core::model::*;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

fn open() -> (tempfile::TempDir, Casebook, Arc<Mutex<DateTime<Utc>>>) {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Casebook::open(dir.path().join("c.db")).unwrap();
    let now = Arc::new(Mutex::new(DateTime::parse_from_rfc3339("2026-05-01T00:00:00Z").unwrap().with_timezone(&Utc)));
    let n = now.clone();
    book.set_clock(Arc::new(move || *n.lock().unwrap()));
    (dir, book, now)
}

fn make(book: &Casebook, title: &str, f: impl FnOnce(&mut CaseCreate)) -> Case {
    let mut c = CaseCreate { title: title.into(), ..Default::default() };
    f(&mut c);
    book.create_case("default", &c).unwrap()
}

fn ids(r: &FindResult) -> Vec<&str> {
    r.cases.iter().map(|c| c.title.as_str()).collect()
}

fn q() -> FindQuery {
    FindQuery { per_page: 100, ..Default::default() }
}

#[test]
fn filters_combine() {
    let (_d, book, _) = open();
    book.add_user(&UserInput { username: "ana".into(), ..Default::default() }).unwrap();
    let me = book.profile().unwrap().username;
    make(&book, "a", |c| {
        c.tags = vec!["phishing".into()];
        c.severity = Some(Severity::High);
        c.assignees = vec![Assignee { uid: "ana".into() }];
        c.category = Some("Email".into());
    });
    make(&book, "b", |c| {
        c.tags = vec!["malware".into(), "phishing".into()];
        c.severity = Some(Severity::Critical);
    });
    let closed = make(&book, "c", |c| c.tags = vec!["malware".into()]);
    book.update_case(&CasePatch {
        id: closed.id.clone(),
        version: closed.version.clone(),
        status: Some(Status::Closed),
        ..Default::default()
    })
    .unwrap();

    let r = book
        .find_cases(&FindQuery {
            tags: vec!["phishing".into()],
            sort_field: Some(SortField::Title),
            sort_order: SortOrder::Asc,
            ..q()
        })
        .unwrap();
    assert_eq!(ids(&r), vec!["a", "b"]);
    // A case with both tags is listed once (SQLite 3.51.0–3.51.1 listed it twice).
    let r = book
        .find_cases(&FindQuery {
            tags: vec!["malware".into(), "phishing".into()],
            sort_field: Some(SortField::Title),
            sort_order: SortOrder::Asc,
            ..q()
        })
        .unwrap();
    assert_eq!(ids(&r), vec!["a", "b", "c"]);
    assert_eq!(r.total, 3);
    let r = book
        .find_cases(&FindQuery {
            severity: vec![Severity::Critical, Severity::Low],
            sort_field: Some(SortField::Title),
            sort_order: SortOrder::Asc,
            ..q()
        })
        .unwrap();
    assert_eq!(ids(&r), vec!["b", "c"]);
    let r = book
        .find_cases(&FindQuery {
            assignees: vec!["none".into()],
            sort_field: Some(SortField::Title),
            sort_order: SortOrder::Asc,
            ..q()
        })
        .unwrap();
    assert_eq!(ids(&r), vec!["b", "c"]);
    let r = book.find_cases(&FindQuery { assignees: vec!["ana".into()], ..q() }).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    let r = book.find_cases(&FindQuery { reporters: vec![me], ..q() }).unwrap();
    assert_eq!(r.total, 3);
    let r = book.find_cases(&FindQuery { reporters: vec!["ana".into()], ..q() }).unwrap();
    assert_eq!(r.total, 0);
    let r = book.find_cases(&FindQuery { category: vec!["Email".into()], ..q() }).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    let r = book.find_cases(&FindQuery { status: vec![Status::Closed], tags: vec!["malware".into()], ..q() }).unwrap();
    assert_eq!(ids(&r), vec!["c"]);
    // Counts ignore the status filter but honour the others; total follows the status filter.
    assert_eq!((r.total, r.count_open_cases, r.count_closed_cases), (1, 1, 1));
}

#[test]
fn created_range_filter() {
    let (_d, book, now) = open();
    make(&book, "old", |_| {});
    *now.lock().unwrap() += Duration::days(10);
    make(&book, "new", |_| {});
    let mid = DateTime::parse_from_rfc3339("2026-05-05T00:00:00Z").unwrap().with_timezone(&Utc);
    assert_eq!(ids(&book.find_cases(&FindQuery { from: Some(mid), ..q() }).unwrap()), vec!["new"]);
    assert_eq!(ids(&book.find_cases(&FindQuery { to: Some(mid), ..q() }).unwrap()), vec!["old"]);
    let e = book.find_cases(&FindQuery { from: Some(mid), to: Some(mid - Duration::days(1)), ..q() }).unwrap_err();
    assert_eq!(e.code(), "validation");
}

#[test]
fn date_range_on_the_update_time() {
    let (_d, book, now) = open();
    let old = make(&book, "old, edited later", |_| {});
    make(&book, "middle", |_| {});
    *now.lock().unwrap() += Duration::days(10);
    make(&book, "new", |_| {});
    book.update_case(&CasePatch {
        id: old.id.clone(),
        version: old.version.clone(),
        title: Some("old, edited later".into()),
        description: Some("edited".into()),
        ..Default::default()
    })
    .unwrap();
    let mid = DateTime::parse_from_rfc3339("2026-05-05T00:00:00Z").unwrap().with_timezone(&Utc);
    let sorted = |q: FindQuery| FindQuery { sort_field: Some(SortField::Title), sort_order: SortOrder::Asc, ..q };
    let updated = |q: FindQuery| FindQuery { date_field: Some(DateField::UpdatedAt), ..sorted(q) };
    // By creation the edited case is old; by update it is recent. "new" was never updated: its
    // last change is its creation.
    assert_eq!(ids(&book.find_cases(&sorted(FindQuery { from: Some(mid), ..q() })).unwrap()), vec!["new"]);
    assert_eq!(
        ids(&book.find_cases(&updated(FindQuery { from: Some(mid), ..q() })).unwrap()),
        vec!["new", "old, edited later"]
    );
    let r = book.find_cases(&updated(FindQuery { to: Some(mid), ..q() })).unwrap();
    assert_eq!((ids(&r), r.total, r.count_open_cases), (vec!["middle"], 1, 1));
    assert_eq!(book.case_stats(&updated(FindQuery { from: Some(mid), ..q() })).unwrap().count_open_cases, 2);
    // The wire names it as the sort field does.
    let wire: FindQuery =
        serde_json::from_value(serde_json::json!({"space": "default", "date_field": "updated"})).unwrap();
    assert_eq!(wire.date_field, Some(DateField::UpdatedAt));
    assert_eq!(FindQuery::default().date_field, None);
}

#[test]
fn severity_counts_ignore_the_severity_filter_and_follow_the_others() {
    let (_d, book, _) = open();
    let sev = |s| {
        move |c: &mut CaseCreate| {
            c.severity = Some(s);
            c.tags = vec!["apt".into()];
        }
    };
    make(&book, "phish one", sev(Severity::High));
    make(&book, "phish two", sev(Severity::High));
    make(&book, "phish three", |c| c.severity = Some(Severity::Critical));
    let closed = make(&book, "malware", sev(Severity::Low));
    book.update_case(&CasePatch {
        id: closed.id.clone(),
        version: closed.version.clone(),
        status: Some(Status::Closed),
        ..Default::default()
    })
    .unwrap();

    let counts = |q: FindQuery| book.severity_counts(&q).unwrap();
    let all = SeverityCounts { low: 1, medium: 0, high: 2, critical: 1 };
    assert_eq!(counts(q()), all);
    assert_eq!(counts(FindQuery { severity: vec![Severity::High], ..q() }), all);
    assert_eq!(counts(FindQuery { status: vec![Status::Open], ..q() }), SeverityCounts { low: 0, ..all });
    // One tag: the kept totals; two: a scan; a search: the matches.
    assert_eq!(counts(FindQuery { tags: vec!["apt".into()], ..q() }), SeverityCounts { critical: 0, ..all });
    assert_eq!(
        counts(FindQuery { tags: vec!["apt".into()], status: vec![Status::Closed], ..q() }),
        SeverityCounts { low: 1, ..Default::default() }
    );
    assert_eq!(
        counts(FindQuery { tags: vec!["apt".into(), "none".into()], ..q() }),
        SeverityCounts { critical: 0, ..all }
    );
    assert_eq!(counts(FindQuery { search: Some("phish".into()), ..q() }), SeverityCounts { low: 0, ..all });
    assert_eq!(
        counts(FindQuery { search: Some("phish".into()), tags: vec!["apt".into()], ..q() }),
        SeverityCounts { high: 2, ..Default::default() }
    );
    // Each count is the total a list filtered by that severity shows.
    for s in Severity::ALL {
        let total =
            book.find_cases(&FindQuery { severity: vec![*s], status: vec![Status::Open], ..q() }).unwrap().total;
        let c = counts(FindQuery { status: vec![Status::Open], ..q() });
        let n = match s {
            Severity::Low => c.low,
            Severity::Medium => c.medium,
            Severity::High => c.high,
            Severity::Critical => c.critical,
        };
        assert_eq!(n, total, "{s}");
    }
    assert_eq!(book.severity_counts(&FindQuery { space: "nope".into(), ..q() }).unwrap_err().code(), "not_found");
}

#[test]
fn tag_counts_by_name_follow_edits_and_deletes() {
    let (_d, book, _) = open();
    let a = make(&book, "a", |c| c.tags = vec!["phishing".into(), "Okta".into()]);
    make(&book, "b", |c| c.tags = vec!["phishing".into(), "apt".into()]);
    let count = |t: &str, n: i64| TagCount { tag: t.into(), cases: n };
    assert_eq!(book.tag_counts("default").unwrap(), vec![count("apt", 1), count("Okta", 1), count("phishing", 2)]);
    book.update_case(&CasePatch {
        id: a.id.clone(),
        version: a.version.clone(),
        tags: Some(vec!["apt".into()]),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(book.tag_counts("default").unwrap(), vec![count("apt", 2), count("phishing", 1)]);
    let b = book.find_cases(&FindQuery { tags: vec!["phishing".into()], ..q() }).unwrap().cases[0].id.clone();
    book.delete_cases(&[b]).unwrap();
    assert_eq!(book.tag_counts("default").unwrap(), vec![count("apt", 1)]);
    book.create_space("other").unwrap();
    assert_eq!(book.tag_counts("other").unwrap(), vec![]);
}

#[test]
fn search_ranks_title_hits_first_and_reads_comments() {
    let (_d, book, _) = open();
    make(&book, "Routine patching", |c| c.description = "mentions ransomware once among many other words here".into());
    make(&book, "Ransomware on finance share", |_| {});
    let commented = make(&book, "Unrelated", |_| {});
    book.add_comment(&commented.id, "the ransomware note was found in C:\\Users\\Public").unwrap();
    let r = book.find_cases(&FindQuery { search: Some("ransomware".into()), ..q() }).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.cases[0].title, "Ransomware on finance share", "a title match outranks others");

    let r = book.find_cases(&FindQuery { search: Some("RANSOMWARE finance".into()), ..q() }).unwrap();
    assert_eq!(ids(&r), vec!["Ransomware on finance share"], "all words must match, any case");
    let r = book.find_cases(&FindQuery { search: Some("ransom*".into()), ..q() }).unwrap();
    assert_eq!(r.total, 3, "prefix search");
    let r = book.find_cases(&FindQuery { search: Some("\"finance share\"".into()), ..q() }).unwrap();
    assert_eq!(r.total, 1, "phrase search");
    let r = book.find_cases(&FindQuery { search: Some("Users Public".into()), ..q() }).unwrap();
    assert_eq!(ids(&r), vec!["Unrelated"], "comments are searched");
    // FTS syntax is plain text, never an error.
    for odd in ["AND", "\"", "NEAR(", "-x", "*", "a:b", "(((", "ransomware OR"] {
        book.find_cases(&FindQuery { search: Some(odd.into()), ..q() }).unwrap_or_else(|e| panic!("{odd}: {e}"));
    }
    // An explicit sort overrides relevance.
    let r = book
        .find_cases(&FindQuery {
            search: Some("ransomware".into()),
            sort_field: Some(SortField::Title),
            sort_order: SortOrder::Asc,
            ..q()
        })
        .unwrap();
    assert_eq!(ids(&r), vec!["Ransomware on finance share", "Routine patching", "Unrelated"]);
}

#[test]
fn search_follows_edits() {
    let (_d, book, _) = open();
    let c = make(&book, "alpha", |_| {});
    book.update_case(&CasePatch {
        id: c.id.clone(),
        version: c.version.clone(),
        title: Some("omega".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(book.find_cases(&FindQuery { search: Some("alpha".into()), ..q() }).unwrap().total, 0);
    assert_eq!(book.find_cases(&FindQuery { search: Some("omega".into()), ..q() }).unwrap().total, 1);
    let m = book.add_comment(&c.id, "beta").unwrap();
    book.edit_comment(&c.id, &m.id, &m.version, "gamma").unwrap();
    assert_eq!(book.find_cases(&FindQuery { search: Some("beta".into()), ..q() }).unwrap().total, 0);
    assert_eq!(book.find_cases(&FindQuery { search: Some("gamma".into()), ..q() }).unwrap().total, 1);
}

#[test]
fn search_by_number_and_uuid() {
    let (_d, book, _) = open();
    let a = make(&book, "first", |_| {});
    let b = make(&book, "second", |_| {});
    assert_eq!(book.assign_ids().unwrap().assigned, 2);
    assert_eq!(ids(&book.find_cases(&FindQuery { search: Some("#2".into()), ..q() }).unwrap()), vec!["second"]);
    assert_eq!(
        ids(&book.find_cases(&FindQuery { search: Some("first #2".into()), ..q() }).unwrap()),
        vec!["second", "first"]
    );
    assert_eq!(ids(&book.find_cases(&FindQuery { search: Some(a.id.to_uppercase()), ..q() }).unwrap()), vec!["first"]);
    assert_eq!(book.resolve_case("default", "#2").unwrap().id, b.id);
    assert_eq!(book.resolve_case("default", "#7").unwrap_err().code(), "not_found");
}

#[test]
fn counts_and_mean_time_to_close() {
    let (_d, book, now) = open();
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(make(&book, &format!("c{i}"), |_| {}));
    }
    *now.lock().unwrap() += Duration::seconds(100);
    let close = |c: &Case| {
        book.update_case(&CasePatch {
            id: c.id.clone(),
            version: c.version.clone(),
            status: Some(Status::Closed),
            ..Default::default()
        })
        .unwrap()
    };
    close(&made[0]);
    *now.lock().unwrap() += Duration::seconds(200);
    close(&made[1]);
    book.update_case(&CasePatch {
        id: made[2].id.clone(),
        version: made[2].version.clone(),
        status: Some(Status::InProgress),
        ..Default::default()
    })
    .unwrap();
    let s = book.case_stats(&FindQuery::default()).unwrap();
    assert_eq!(
        s,
        CaseStats {
            count_open_cases: 2,
            count_in_progress_cases: 1,
            count_closed_cases: 2,
            mean_time_to_close: Some(200.0)
        }
    );
    let r = book.find_cases(&FindQuery { status: vec![Status::Open, Status::InProgress], ..q() }).unwrap();
    assert_eq!(r.total, 3);
}

#[test]
fn paging_limits_are_enforced() {
    let (_d, book, _) = open();
    assert_eq!(book.find_cases(&FindQuery { per_page: 101, ..q() }).unwrap_err().code(), "validation");
    assert_eq!(book.find_cases(&FindQuery { page: 0, ..q() }).unwrap_err().code(), "validation");
    let many_tags = FindQuery { tags: (0..101).map(|i| i.to_string()).collect(), ..q() };
    assert!(book.find_cases(&many_tags).unwrap_err().to_string().contains("100"));
    assert_eq!(book.find_cases(&FindQuery { space: "nope".into(), ..q() }).unwrap_err().code(), "not_found");
}

const SORTS: [SortField; 7] = [
    SortField::Title,
    SortField::Category,
    SortField::CreatedAt,
    SortField::UpdatedAt,
    SortField::ClosedAt,
    SortField::Status,
    SortField::Severity,
];

/// The key a sort compares, as a tuple the test can order by itself.
fn key(c: &Case, f: SortField) -> (i64, String) {
    let t = |x: Option<DateTime<Utc>>| x.map_or(i64::MIN, |t| t.timestamp_millis());
    match f {
        SortField::Title => (0, c.title.to_lowercase()),
        SortField::Category => (c.category.is_some() as i64, c.category.clone().unwrap_or_default().to_lowercase()),
        SortField::CreatedAt => (c.created_at.timestamp_millis(), String::new()),
        SortField::UpdatedAt => (t(c.updated_at), String::new()),
        SortField::ClosedAt => (t(c.closed_at), String::new()),
        SortField::Status => (c.status as i64, String::new()),
        SortField::Severity => (c.severity as i64, String::new()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// For every sort and page size, walking the pages yields each case exactly once, in the
    /// order of the sort key, with ties always in the same order.
    #[test]
    fn pages_cover_every_case_once_in_order(
        specs in proptest::collection::vec((0u8..4, 0u8..3, 0u8..3, proptest::option::of(0u8..3), 0u8..3), 1..40),
        per_page in 1u32..9,
    ) {
        let (_d, book, now) = open();
        for (sev, status, title, cat, step) in &specs {
            *now.lock().unwrap() += Duration::seconds(i64::from(*step)); // many equal timestamps
            let c = make(&book, &format!("title {title}"), |c| {
                c.severity = Some(Severity::ALL[*sev as usize]);
                c.category = cat.map(|k| format!("Cat{k}"));
            });
            if *status > 0 {
                book.update_case(&CasePatch { id: c.id.clone(), version: c.version.clone(), status: Some(Status::ALL[*status as usize]), ..Default::default() }).unwrap();
            }
        }
        for field in SORTS {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                let mut seen = Vec::new();
                for page in 1.. {
                    let r = book.find_cases(&FindQuery { sort_field: Some(field), sort_order: order, page, per_page, ..Default::default() }).unwrap();
                    prop_assert_eq!(r.total, specs.len() as i64);
                    if r.cases.is_empty() { break; }
                    seen.extend(r.cases);
                }
                prop_assert_eq!(seen.len(), specs.len(), "{:?} {:?}", field, order);
                let unique: HashSet<_> = seen.iter().map(|c| c.id.clone()).collect();
                prop_assert_eq!(unique.len(), specs.len());
                for w in seen.windows(2) {
                    let (a, b) = (key(&w[0], field), key(&w[1], field));
                    match order {
                        SortOrder::Asc => prop_assert!(a <= b, "{:?} asc: {:?} then {:?}", field, a, b),
                        SortOrder::Desc => prop_assert!(a >= b, "{:?} desc: {:?} then {:?}", field, a, b),
                    }
                }
                // Asking again gives the same order: ties are broken the same way every time.
                let again = book.find_cases(&FindQuery { sort_field: Some(field), sort_order: order, per_page: 100, ..Default::default() }).unwrap();
                prop_assert_eq!(again.cases.iter().map(|c| &c.id).collect::<Vec<_>>(), seen.iter().map(|c| &c.id).collect::<Vec<_>>());
            }
        }
    }
}

/// One step of a random history for the counter tests.
#[derive(Debug, Clone)]
enum Op {
    Create { tags: Vec<u8>, assignees: Vec<u8>, severity: u8 },
    Status { case: usize, status: u8 },
    Severity { case: usize, severity: u8 },
    Tags { case: usize, tags: Vec<u8> },
    Delete { case: usize },
    Advance { seconds: u16 },
}

fn op() -> impl Strategy<Value = Op> {
    let tags = || proptest::collection::vec(0u8..4, 0..3);
    prop_oneof![
        3 => (tags(), tags(), 0u8..4).prop_map(|(tags, assignees, severity)| Op::Create { tags, assignees, severity }),
        3 => (any::<usize>(), 0u8..3).prop_map(|(case, status)| Op::Status { case, status }),
        1 => (any::<usize>(), 0u8..4).prop_map(|(case, severity)| Op::Severity { case, severity }),
        2 => (any::<usize>(), tags()).prop_map(|(case, tags)| Op::Tags { case, tags }),
        1 => any::<usize>().prop_map(|case| Op::Delete { case }),
        1 => any::<u16>().prop_map(|seconds| Op::Advance { seconds }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The counts read from the trigger-kept totals, tag and assignee rows always equal a recount of the
    /// cases themselves (forced here by a created-at filter that excludes nothing).
    #[test]
    fn fast_counts_match_a_recount(ops in proptest::collection::vec(op(), 1..60)) {
        let (_d, book, now) = open();
        let tag = |t: &u8| format!("tag{t}");
        let user = |u: &u8| format!("user{u}");
        for u in 0..4 {
            book.add_user(&UserInput { username: user(&u), ..Default::default() }).unwrap();
        }
        let mut live: Vec<String> = Vec::new();
        for op in &ops {
            let pick = |i: &usize| (!live.is_empty()).then(|| live[i % live.len()].clone());
            match op {
                Op::Create { tags, assignees, severity } => {
                    let c = make(&book, "c", |c| {
                        c.tags = tags.iter().map(tag).collect();
                        c.assignees = assignees.iter().map(|u| Assignee { uid: user(u) }).collect();
                        c.severity = Some(Severity::ALL[*severity as usize]);
                    });
                    live.push(c.id);
                }
                Op::Status { case, status } => if let Some(id) = pick(case) {
                    let c = book.get_case(&id).unwrap();
                    book.update_case(&CasePatch { id, version: c.version, status: Some(Status::ALL[*status as usize]), ..Default::default() }).unwrap();
                },
                Op::Severity { case, severity } => if let Some(id) = pick(case) {
                    let c = book.get_case(&id).unwrap();
                    book.update_case(&CasePatch { id, version: c.version, severity: Some(Severity::ALL[*severity as usize]), ..Default::default() }).unwrap();
                },
                Op::Tags { case, tags } => if let Some(id) = pick(case) {
                    let c = book.get_case(&id).unwrap();
                    book.update_case(&CasePatch { id, version: c.version, tags: Some(tags.iter().map(tag).collect()), ..Default::default() }).unwrap();
                },
                Op::Delete { case } => if let Some(id) = pick(case) {
                    book.delete_cases(std::slice::from_ref(&id)).unwrap();
                    live.retain(|x| *x != id);
                },
                Op::Advance { seconds } => *now.lock().unwrap() += Duration::seconds(i64::from(*seconds)),
            }
        }
        let everything = Some(DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z").unwrap().with_timezone(&Utc));
        let close = |a: &CaseStats, b: &CaseStats| {
            (a.count_open_cases, a.count_in_progress_cases, a.count_closed_cases) == (b.count_open_cases, b.count_in_progress_cases, b.count_closed_cases)
                && a.mean_time_to_close.map(|x| (x * 1000.0).round()) == b.mean_time_to_close.map(|x| (x * 1000.0).round())
        };
        let fast = book.case_stats(&FindQuery::default()).unwrap();
        let slow = book.case_stats(&FindQuery { from: everything, ..Default::default() }).unwrap();
        prop_assert!(close(&fast, &slow), "space totals {:?} vs recount {:?}", fast, slow);
        prop_assert_eq!(fast.count_open_cases + fast.count_in_progress_cases + fast.count_closed_cases, live.len() as i64);
        let tag_sets: [&[u8]; 4] = [&[0], &[1], &[0, 1], &[2, 3]];
        for tags in tag_sets {
            for severity in [vec![], vec![Severity::Low, Severity::Critical]] {
                let by_tag = FindQuery { tags: tags.iter().map(tag).collect(), severity: severity.clone(), ..Default::default() };
                let by_user = FindQuery { assignees: tags.iter().map(user).collect(), severity: severity.clone(), ..Default::default() };
                for q in [by_tag, by_user] {
                    let fast = book.case_stats(&q).unwrap();
                    let slow = book.case_stats(&FindQuery { from: everything, ..q.clone() }).unwrap();
                    prop_assert!(close(&fast, &slow), "{:?} {:?} severity {:?}: {:?} vs {:?}", q.tags, q.assignees, severity, fast, slow);
                }
            }
        }
    }
}

/// What a search's counts are made of, for comparing two ways of counting.
fn counts_of(r: &FindResult) -> CaseStats {
    CaseStats {
        count_open_cases: r.count_open_cases,
        count_in_progress_cases: r.count_in_progress_cases,
        count_closed_cases: r.count_closed_cases,
        mean_time_to_close: r.mean_time_to_close,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// A search's counts read from `case_facts` (in one statement, or shared out in ranges
    /// between two connections) equal, to the last bit of the mean, a recount that reads the
    /// cases themselves (forced by a created-at filter that excludes nothing); cases of
    /// another space with the same words are not counted, and sharing the counts leaves the
    /// page as it was.
    #[test]
    fn search_counts_match_a_recount(
        cases in proptest::collection::vec((0u8..8, 0u8..8, 0u8..3, any::<bool>(), 0u16..5000, any::<bool>()), 1..40),
    ) {
        let (_d, book, now) = open();
        book.create_space("other").unwrap();
        let words = ["alpha", "beta", "gamma", "delta", "alphabet", "omega", "beta gamma", "gamma alpha"];
        for (i, (title, comment, status, other_space, seconds, delete)) in cases.iter().enumerate() {
            let input = CaseCreate {
                title: format!("case {i} {}", words[*title as usize]),
                description: "text".into(),
                ..Default::default()
            };
            let c = book.create_case(if *other_space { "other" } else { "default" }, &input).unwrap();
            if *comment < 4 {
                book.add_comment(&c.id, words[*comment as usize]).unwrap();
            }
            *now.lock().unwrap() += Duration::seconds(i64::from(*seconds));
            let c = book.get_case(&c.id).unwrap();
            let status = Status::ALL[*status as usize];
            if status != Status::Open {
                book.update_case(&CasePatch { id: c.id.clone(), version: c.version, status: Some(status), ..Default::default() }).unwrap();
            }
            if *delete && i % 3 == 0 {
                book.delete_cases(std::slice::from_ref(&c.id)).unwrap();
            }
        }
        let everything = Some(DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z").unwrap().with_timezone(&Utc));
        for search in ["alpha", "gamma", "beta gamma", "alph*", "\"gamma alpha\"", "case", "nothing"] {
            let q = FindQuery { search: Some(search.into()), per_page: 5, ..Default::default() };
            let recount = book.case_stats(&FindQuery { from: everything, ..q.clone() }).unwrap();
            prop_assert_eq!(&book.case_stats(&q).unwrap(), &recount, "{}", search);
            let found = book.find_cases(&q).unwrap();
            prop_assert_eq!(&counts_of(&found), &recount, "{}", search);
            let shared = book.find_cases_sharing_counts(&q).unwrap();
            prop_assert_eq!(&counts_of(&shared), &recount, "{} (shared)", search);
            prop_assert_eq!(shared.total, found.total);
            prop_assert_eq!(ids(&shared), ids(&found));
        }
    }
}

/// Shared between two connections, a search's counts never mix two states of the file: while
/// another thread keeps swapping the statuses of two cases far apart (so counted in different
/// ranges) in one transaction, every count shows one open case and one closed.
#[test]
fn shared_search_counts_see_one_state() {
    let (_d, book, _) = open();
    let mut made = Vec::new();
    for i in 0..64 {
        made.push(make(&book, &format!("swap {i}"), |_| {}));
    }
    // All closed but the first, open, and the last, closed too: then they trade.
    let close = |c: &Case| {
        let c = book.get_case(&c.id).unwrap();
        book.update_case(&CasePatch {
            id: c.id,
            version: c.version,
            status: Some(Status::Closed),
            ..Default::default()
        })
        .unwrap();
    };
    made[1..].iter().for_each(close);
    let (first, last) = (made[0].id.clone(), made[63].id.clone());
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut open_first = true;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (a, b) = (book.get_case(&first).unwrap(), book.get_case(&last).unwrap());
                let (sa, sb) = if open_first { (Status::Closed, Status::Open) } else { (Status::Open, Status::Closed) };
                book.update_cases(
                    "default",
                    &[
                        CasePatch { id: a.id, version: a.version, status: Some(sa), ..Default::default() },
                        CasePatch { id: b.id, version: b.version, status: Some(sb), ..Default::default() },
                    ],
                )
                .unwrap();
                open_first = !open_first;
            }
        });
        // Stops the writer however the reads end (a failed assertion too).
        struct Stop<'a>(&'a std::sync::atomic::AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let _stop = Stop(&stop);
        let q = FindQuery { search: Some("swap".into()), ..q() };
        for _ in 0..300 {
            let r = book.find_cases_sharing_counts(&q).unwrap();
            assert_eq!((r.count_open_cases, r.count_in_progress_cases, r.count_closed_cases), (1, 0, 63));
        }
    });
}

/// Migration 9 fills `case_facts` from the cases already there, and the triggers keep it.
#[test]
fn case_facts_are_filled_by_the_migration_then_kept() {
    let (d, book, now) = open();
    let mut made = Vec::new();
    for i in 0..6 {
        made.push(make(&book, &format!("kept {i}"), |_| {}));
    }
    *now.lock().unwrap() += Duration::seconds(90);
    for (c, status) in made.iter().zip([Status::Closed, Status::InProgress, Status::Closed]) {
        let c = book.get_case(&c.id).unwrap();
        book.update_case(&CasePatch { id: c.id, version: c.version, status: Some(status), ..Default::default() })
            .unwrap();
    }
    drop(book);
    let path = d.path().join("c.db");
    let facts = |conn: &rusqlite::Connection| -> Vec<(i64, i64, Option<i64>)> {
        conn.prepare("SELECT doc, status, duration FROM case_facts ORDER BY doc")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let expected = |conn: &rusqlite::Connection| -> Vec<(i64, i64, Option<i64>)> {
        conn.prepare("SELECT (space_id << 32) | id, status, duration FROM cases ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(facts(&conn), expected(&conn));
    assert_eq!(facts(&conn).iter().filter(|f| f.2 == Some(90)).count(), 2);
    // Back to schema 8 (the objects of migrations 11 to 13 go too, so they can run again).
    conn.execute_batch(casebook_core::store::BACK_TO_11).unwrap();
    conn.execute_batch(
        "DROP TABLE case_observables_left_out;
         ALTER TABLE case_observables DROP COLUMN auto; ALTER TABLE case_observables DROP COLUMN alerts;
         ALTER TABLE case_configure DROP COLUMN max_observables;
         ALTER TABLE case_configure DROP COLUMN observable_type_priority;
         DROP TRIGGER cases_facts_insert; DROP TRIGGER cases_facts_update; DROP TRIGGER cases_facts_delete;
         DROP TABLE case_facts;
         DELETE FROM schema_migrations WHERE version >= 9; PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(conn);
    let mut book = Casebook::open(&path).unwrap();
    let n = now.clone();
    book.set_clock(Arc::new(move || *n.lock().unwrap()));
    let q = FindQuery { search: Some("kept".into()), ..q() };
    let r = book.find_cases(&q).unwrap();
    assert_eq!((r.count_open_cases, r.count_in_progress_cases, r.count_closed_cases), (3, 1, 2));
    assert_eq!(r.mean_time_to_close, Some(90.0));
    // Reopened, deleted, created: the rows follow.
    let c = book.get_case(&made[0].id).unwrap();
    book.update_case(&CasePatch { id: c.id, version: c.version, status: Some(Status::Open), ..Default::default() })
        .unwrap();
    book.delete_cases(std::slice::from_ref(&made[2].id)).unwrap();
    make(&book, "kept 7", |_| {});
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(facts(&conn), expected(&conn));
    assert_eq!(facts(&conn).len(), 6);
    let r = book.find_cases(&q).unwrap();
    assert_eq!((r.count_open_cases, r.count_in_progress_cases, r.count_closed_cases), (5, 1, 0));
    assert_eq!(r.mean_time_to_close, None);
}
