//! End-to-end tests of the `casebook` binary: `case list` filters, search, sort and paging.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod support;

use std::collections::HashSet;

use serde_json::{Value, json};

use support::*;

// ---------------------------------------------------------------------------------------------
// List: filters, search, sort and paging
// ---------------------------------------------------------------------------------------------

#[test]
fn list_has_the_find_shape_and_counts() {
    let cb = Cb::new();
    let a = cb.create("Open one", &[]);
    let b = cb.create("In progress one", &[]);
    let c = cb.create("Closed one", &[]);
    cb.ok(&["case", "update", &id(&b), "--version", &version(&b), "--status", "in-progress"]);
    cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--status", "closed"]);
    let l = cb.list(&[]);
    for key in
        ["cases", "page", "per_page", "total", "count_open_cases", "count_in_progress_cases", "count_closed_cases"]
    {
        assert!(l.get(key).is_some(), "{key} missing from {l}");
    }
    assert_eq!(l["page"], 1);
    assert_eq!(l["per_page"], 20);
    assert_eq!(l["total"], 3);
    assert_eq!(l["count_open_cases"], 1);
    assert_eq!(l["count_in_progress_cases"], 1);
    assert_eq!(l["count_closed_cases"], 1);
    // Default order: newest first.
    assert_eq!(titles_of(&l), vec!["Closed one", "In progress one", "Open one"]);
    assert_eq!(l["cases"][2]["id"], a["id"]);
}

#[test]
fn list_filters_by_status_severity_tag_category() {
    let cb = Cb::new();
    let a =
        cb.create("Alpha", &["--severity", "critical", "--tag", "apt", "--tag", "lateral", "--category", "Intrusion"]);
    cb.create("Bravo", &["--severity", "high", "--tag", "phishing", "--category", "Phishing"]);
    let c = cb.create("Charlie", &["--severity", "low", "--tag", "apt"]);
    cb.create("Delta", &["--severity", "medium"]);
    cb.ok(&["case", "update", &id(&a), "--version", &version(&a), "--status", "in-progress"]);
    cb.ok(&["case", "update", &id(&c), "--version", &version(&c), "--status", "closed"]);

    assert_eq!(cb.titles(&["--status", "open"]), sorted(&["Bravo", "Delta"]));
    assert_eq!(cb.titles(&["--status", "in-progress"]), sorted(&["Alpha"]));
    assert_eq!(cb.titles(&["--status", "open", "--status", "closed"]), sorted(&["Bravo", "Charlie", "Delta"]));
    assert_eq!(cb.titles(&["--severity", "critical"]), sorted(&["Alpha"]));
    assert_eq!(cb.titles(&["--severity", "high", "--severity", "medium"]), sorted(&["Bravo", "Delta"]));
    assert_eq!(cb.titles(&["--tag", "apt"]), sorted(&["Alpha", "Charlie"]));
    assert_eq!(cb.titles(&["--tag", "lateral", "--tag", "phishing"]), sorted(&["Alpha", "Bravo"]));
    assert_eq!(cb.titles(&["--tag", "nothing-has-this"]), Vec::<String>::new());
    assert_eq!(cb.titles(&["--category", "Phishing"]), sorted(&["Bravo"]));
    // Filters combine with AND.
    assert_eq!(cb.titles(&["--tag", "apt", "--status", "closed"]), sorted(&["Charlie"]));
    assert_eq!(cb.titles(&["--tag", "apt", "--severity", "high"]), Vec::<String>::new());

    let l = cb.list(&["--tag", "apt"]);
    assert_eq!(l["total"], 2);
    assert_eq!(l["count_in_progress_cases"], 1);
    assert_eq!(l["count_closed_cases"], 1);
    assert_eq!(l["count_open_cases"], 0);

    // Bad filter values are validation errors naming the allowed values.
    let (code, msg) = cb.fails(&["case", "list", "--status", "bogus"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("status") && msg.contains("in-progress"), "{msg}");
    let (code, msg) = cb.fails(&["case", "list", "--severity", "urgent"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("severity") && msg.contains("critical"), "{msg}");
}

#[test]
fn list_filters_by_assignee_none_and_reporter() {
    let cb = Cb::new();
    let me = cb.me();
    let alice = cb.ok(&["user", "add", "alice", "--full-name", "Alice Analyst", "--email", "alice@example.com"]);
    assert_eq!(alice["username"], "alice");
    assert_eq!(alice["full_name"], "Alice Analyst");
    cb.ok(&["user", "add", "bob"]);
    let users: Vec<String> = cb
        .ok(&["user", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    assert!(
        users.contains(&"alice".to_string()) && users.contains(&"bob".to_string()) && users.contains(&me),
        "{users:?}"
    );

    cb.create("For alice", &["--assignee", "alice"]);
    cb.create("For alice and bob", &["--assignee", "alice", "--assignee", "bob"]);
    cb.create("For me", &["--assignee", &me]);
    cb.create("Nobody's", &[]);

    assert_eq!(cb.titles(&["--assignee", "alice"]), sorted(&["For alice", "For alice and bob"]));
    assert_eq!(cb.titles(&["--assignee", "bob"]), sorted(&["For alice and bob"]));
    assert_eq!(cb.titles(&["--assignee", "none"]), sorted(&["Nobody's"]));
    assert_eq!(cb.titles(&["--assignee", "none", "--assignee", &me]), sorted(&["Nobody's", "For me"]));

    // Reporter: switch the profile and create one more.
    cb.ok(&["user", "me", "--username", "carol"]);
    assert_eq!(cb.me(), "carol");
    let by_carol = cb.create("Reported by carol", &[]);
    assert_eq!(by_carol["created_by"]["username"], "carol");
    assert_eq!(cb.titles(&["--reporter", "carol"]), sorted(&["Reported by carol"]));
    assert_eq!(cb.titles(&["--reporter", &me]).len(), 4);
    assert_eq!(cb.titles(&["--reporter", "alice"]), Vec::<String>::new());
    let reporters = strs(&cb.ok(&["reporters"]));
    assert!(reporters.contains(&"carol".to_string()) && reporters.contains(&me), "{reporters:?}");
}

#[test]
fn list_search_free_text_and_uuid() {
    let cb = Cb::new();
    let r = cb.create("Ransomware on host-42", &["--description", "Encrypted files on the finance share"]);
    let other = cb.create("Suspicious login", &["--description", "Impossible travel for a VPN account"]);
    cb.create("Unrelated noise", &[]);
    cb.ok(&["comment", "add", &id(&other), "--body", "Looks like credential stuffing from a botnet"]);

    assert_eq!(cb.titles(&["--search", "ransomware"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "RANSOMWARE"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "finance"]), sorted(&["Ransomware on host-42"]), "description is searched");
    assert_eq!(cb.titles(&["--search", "host-42"]), sorted(&["Ransomware on host-42"]));
    assert_eq!(cb.titles(&["--search", "botnet"]), sorted(&["Suspicious login"]), "comments are searched");
    assert_eq!(cb.titles(&["--search", "zebra"]), Vec::<String>::new());
    // Operators and quotes in the search box are text, not errors.
    assert_eq!(cb.titles(&["--search", "AND OR ("]), Vec::<String>::new());

    // A UUID finds exactly that case.
    let l = cb.list(&["--search", &id(&r)]);
    assert_eq!(l["total"], 1);
    assert_eq!(l["cases"][0]["id"], r["id"]);
    assert_eq!(cb.titles(&["--search", MISSING_ID]), Vec::<String>::new());

    // Search combines with the filters.
    assert_eq!(cb.titles(&["--search", "ransomware", "--status", "closed"]), Vec::<String>::new());
}

#[test]
fn list_sort_order_and_paging_are_stable() {
    let cb = Cb::new();
    // Created in one transaction: all twelve share created_at, so only a tie-breaker keeps
    // paging stable.
    let bodies: Vec<Value> = (0..12)
        .map(|i| {
            let severity = ["low", "medium", "high", "critical"][i % 4];
            json!({ "title": format!("Case {i:02}"), "severity": severity })
        })
        .collect();
    cb.ok_stdin(&["case", "create", "--from-json", "-"], &Value::Array(bodies).to_string());
    let all: HashSet<String> = cb.titles(&["--per-page", "100"]).into_iter().collect();
    assert_eq!(all.len(), 12);

    for sort in ["created", "updated", "title", "severity", "status", "category", "closed"] {
        for order in ["asc", "desc"] {
            let mut seen = Vec::new();
            for page in 1..=4 {
                let p = page.to_string();
                let l = cb.list(&["--sort", sort, "--order", order, "--per-page", "5", "--page", &p]);
                assert_eq!(l["total"], 12);
                assert_eq!(l["page"], page);
                assert_eq!(l["per_page"], 5);
                let expect = match page {
                    1 | 2 => 5,
                    3 => 2,
                    _ => 0,
                };
                assert_eq!(l["cases"].as_array().unwrap().len(), expect, "page {page} of {sort} {order}");
                seen.extend(titles_of(&l));
            }
            let unique: HashSet<String> = seen.iter().cloned().collect();
            assert_eq!(seen.len(), 12, "{sort} {order}: {seen:?}");
            assert_eq!(unique, all, "{sort} {order} repeats or skips cases: {seen:?}");
            // The same query twice gives the same order.
            let again: Vec<String> = (1..=3)
                .flat_map(|p| {
                    titles_of(&cb.list(&[
                        "--sort",
                        sort,
                        "--order",
                        order,
                        "--per-page",
                        "5",
                        "--page",
                        &p.to_string(),
                    ]))
                })
                .collect();
            assert_eq!(again, seen, "{sort} {order} is not deterministic");
        }
    }

    let by_title = titles_of(&cb.list(&["--sort", "title", "--order", "asc", "--per-page", "100"]));
    let mut expected: Vec<String> = all.iter().cloned().collect();
    expected.sort();
    assert_eq!(by_title, expected);
    let by_title_desc = titles_of(&cb.list(&["--sort", "title", "--order", "desc", "--per-page", "100"]));
    expected.reverse();
    assert_eq!(by_title_desc, expected);

    let rank = |s: &str| ["low", "medium", "high", "critical"].iter().position(|x| *x == s).unwrap();
    let sev: Vec<usize> = cb.list(&["--sort", "severity", "--order", "desc", "--per-page", "100"])["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| rank(c["severity"].as_str().unwrap()))
        .collect();
    assert!(sev.windows(2).all(|w| w[0] >= w[1]), "severity desc: {sev:?}");
    let sev: Vec<usize> = cb.list(&["--sort", "severity", "--order", "asc", "--per-page", "100"])["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| rank(c["severity"].as_str().unwrap()))
        .collect();
    assert!(sev.windows(2).all(|w| w[0] <= w[1]), "severity asc: {sev:?}");

    // Past the last page: empty, with the total.
    let far = cb.list(&["--per-page", "5", "--page", "9"]);
    assert_eq!(far["cases"], json!([]));
    assert_eq!(far["total"], 12);

    // Paging and sort mistakes.
    for (args, field) in [
        (vec!["case", "list", "--page", "0"], "page"),
        (vec!["case", "list", "--per-page", "0"], "per_page"),
        (vec!["case", "list", "--per-page", "1000"], "per_page"),
        (vec!["case", "list", "--sort", "bogus"], "sort"),
        (vec!["case", "list", "--order", "up"], "order"),
    ] {
        let (code, msg) = cb.fails(&args);
        assert_eq!(code, "validation", "{args:?}");
        assert!(msg.contains(field), "{args:?}: {msg}");
    }
}

#[test]
fn list_sorts_by_creation_time_across_separate_commands() {
    let cb = Cb::new();
    for t in ["first", "second", "third"] {
        cb.create(t, &[]);
        // created_at has millisecond precision; keep the three apart.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(titles_of(&cb.list(&[])), vec!["third", "second", "first"]);
    assert_eq!(titles_of(&cb.list(&["--order", "asc"])), vec!["first", "second", "third"]);
    assert_eq!(titles_of(&cb.list(&["--sort", "created", "--order", "asc"])), vec!["first", "second", "third"]);
}

#[test]
fn list_date_range_on_created_or_updated() {
    let cb = Cb::new();
    let a = cb.create("Alpha", &[]);
    cb.create("Bravo", &[]);
    // Both were created now; then only Alpha is edited.
    let far = "2999-01-01";
    assert_eq!(cb.titles(&["--from", "2000-01-01"]), sorted(&["Alpha", "Bravo"]));
    assert_eq!(cb.titles(&["--from", far]), Vec::<String>::new());
    assert_eq!(cb.titles(&["--from", far, "--date-field", "updated"]), Vec::<String>::new());
    cb.ok(&["case", "update", &id(&a), "--version", &version(&a), "--title", "Alpha edited"]);
    let updated = cb.get(&id(&a))["updated_at"].as_str().unwrap().to_string();
    assert_eq!(cb.titles(&["--from", &updated, "--date-field", "updated"]), sorted(&["Alpha edited"]));
    assert_eq!(cb.titles(&["--from", &updated, "--date-field", "created"]), Vec::<String>::new());
    let (code, msg) = cb.fails(&["case", "list", "--date-field", "closed"]);
    assert_eq!(code, "validation");
    assert!(msg.contains("date_field") && msg.contains("created or updated"), "{msg}");
}

#[test]
fn tags_lists_each_tag_with_its_number_of_cases() {
    let cb = Cb::new();
    cb.create("Alpha", &["--tag", "apt", "--tag", "phishing"]);
    cb.create("Bravo", &["--tag", "phishing"]);
    assert_eq!(cb.ok(&["tags"]), json!([{ "tag": "phishing", "cases": 2 }, { "tag": "apt", "cases": 1 }]));
    let text = cb.run(&["tags"]);
    assert_eq!(text.stdout, "2  phishing\n1  apt\n");
}
