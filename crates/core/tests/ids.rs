#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Case numbers: the numbering pass, what the schema refuses, and (property test) the numbers
//! after any interleaving of creates, deletes and passes.

use std::collections::HashMap;

use casebook_core::AssignReport;
use casebook_core::model::*;
use chrono::Duration;
use proptest::prelude::*;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::{Fixture, fixture};

impl Fixture {
    /// Creates a case; `tick` moves the clock first (0 makes a created_at tie).
    fn create(&self, space: &str, title: &str, tick: i64) -> Case {
        *self.now.lock().unwrap() += Duration::milliseconds(tick);
        self.book.create_case(space, &CaseCreate { title: title.into(), ..Default::default() }).unwrap()
    }
    fn number(&self, space: &str, id: &str) -> Option<i64> {
        self.book.resolve_case(space, id).unwrap().incremental_id
    }
    fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).unwrap()
    }
}

#[test]
fn a_pass_numbers_each_space_from_one_in_creation_order() {
    let f = fixture();
    f.book.create_space("red-team").unwrap();
    let a = f.create("default", "a", 10);
    let r1 = f.create("red-team", "r1", 10);
    let b = f.create("default", "b", 10);
    let c = f.create("default", "c", 10);
    let r2 = f.create("red-team", "r2", 10);
    assert_eq!(f.number("default", &a.id), None, "numbers come from the pass");

    assert_eq!(f.book.assign_ids().unwrap(), AssignReport { assigned: 5 });
    let numbers: Vec<_> = [&a, &b, &c].iter().map(|x| f.number("default", &x.id)).collect();
    assert_eq!(numbers, [Some(1), Some(2), Some(3)]);
    assert_eq!((f.number("red-team", &r1.id), f.number("red-team", &r2.id)), (Some(1), Some(2)));

    // Nothing to do: nothing changes.
    assert_eq!(f.book.assign_ids().unwrap(), AssignReport { assigned: 0 });
    // `#2` finds case b.
    assert_eq!(f.book.resolve_case("default", "#2").unwrap().id, b.id);
}

#[test]
fn ties_on_created_at_are_broken_by_creation_order() {
    let f = fixture();
    let cases: Vec<Case> = (0..5).map(|i| f.create("default", &format!("same ms {i}"), 0)).collect();
    f.book.assign_ids().unwrap();
    let numbers: Vec<_> = cases.iter().map(|c| f.number("default", &c.id).unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[test]
fn numbering_is_not_an_edit() {
    let f = fixture();
    let a = f.create("default", "a", 10);
    f.book.assign_ids().unwrap();
    let after = f.book.resolve_case("default", &a.id).unwrap();
    // An analyst editing the case since before the pass does not get a conflict.
    assert_eq!((after.version.as_str(), after.updated_at), (a.version.as_str(), a.updated_at));
    let patch =
        CasePatch { id: a.id.clone(), version: a.version.clone(), title: Some("renamed".into()), ..Default::default() };
    assert_eq!(f.book.update_cases("default", &[patch]).unwrap()[0].incremental_id, Some(1));
}

#[test]
fn a_deleted_cases_number_is_never_given_again() {
    let f = fixture();
    let a = f.create("default", "a", 10);
    let b = f.create("default", "b", 10);
    f.book.assign_ids().unwrap();
    f.book.delete_cases(std::slice::from_ref(&b.id)).unwrap();
    let c = f.create("default", "c", 10);
    f.book.assign_ids().unwrap();
    assert_eq!((f.number("default", &a.id), f.number("default", &c.id)), (Some(1), Some(3)));
    assert!(f.book.resolve_case("default", "#2").is_err(), "#2 is gone with its case");
}

#[test]
fn more_cases_than_one_batch_are_numbered_in_one_pass() {
    let f = fixture();
    let batch = 40;
    let n = batch * 2 + 7;
    let inputs: Vec<CaseCreate> =
        (0..n).map(|i| CaseCreate { title: format!("bulk {i}"), ..Default::default() }).collect();
    let mut created = Vec::new();
    for chunk in inputs.chunks(100) {
        created.extend(f.book.create_cases("default", chunk).unwrap());
    }
    assert_eq!(f.book.assign_ids_in_batches(batch as i64).unwrap().assigned, n as u64);
    let first = f.number("default", &created[0].id);
    let last = f.number("default", &created[n - 1].id);
    assert_eq!((first, last), (Some(1), Some(n as i64)));
}

#[test]
fn the_schema_refuses_a_duplicate_a_changed_number_and_a_number_not_from_the_counter() {
    let f = fixture();
    let a = f.create("default", "a", 10);
    f.create("default", "b", 10);
    f.book.assign_ids().unwrap();
    let d = f.create("default", "d", 10);
    let db = f.raw();
    let row =
        |uuid: &str| -> i64 { db.query_row("SELECT id FROM cases WHERE uuid = ?1", [uuid], |r| r.get(0)).unwrap() };
    let changed = db.execute("UPDATE case_numbers SET number = 9 WHERE case_id = ?1", [row(&a.id)]).unwrap_err();
    assert!(changed.to_string().contains("never changes"), "{changed}");
    let dup = db.execute("INSERT INTO case_numbers (case_id, space_id, number) VALUES (?1, 1, 1)", [row(&d.id)]);
    assert!(dup.unwrap_err().to_string().contains("UNIQUE"));
    // A number the counter has not reached cannot be written by hand.
    let e = db.execute("INSERT INTO case_numbers (case_id, space_id, number) VALUES (?1, 1, 3)", [row(&d.id)]);
    assert!(e.unwrap_err().to_string().contains("counter"));
    drop(db);
    f.book.assign_ids().unwrap();
    assert_eq!(f.number("default", &d.id), Some(3));
}

#[test]
fn the_interval_setting_is_checked_and_kept() {
    let f = fixture();
    assert_eq!(f.book.id_interval_minutes().unwrap(), 10);
    assert_eq!(f.book.set_id_interval_minutes(3).unwrap(), 3);
    assert_eq!(f.book.id_interval_minutes().unwrap(), 3);
    for bad in [0, 61] {
        let e = f.book.set_id_interval_minutes(bad).unwrap_err();
        assert_eq!(e.code(), "validation");
        assert!(e.to_string().contains("interval: between 1 and 60 minutes"), "{e}");
    }
    assert_eq!(f.book.id_interval_minutes().unwrap(), 3, "a refused value changes nothing");
}

#[derive(Debug, Clone)]
enum Op {
    Create { space: usize, tick: i64 },
    Delete { pick: usize },
    Pass,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..2usize, 0..3i64).prop_map(|(space, tick)| Op::Create { space, tick }),
        2 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
        2 => Just(Op::Pass),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever the interleaving, each space's numbers are 1..n in creation order, never
    /// reused, and a number once given never changes.
    #[test]
    fn numbers_are_one_to_n_in_creation_order(ops in proptest::collection::vec(op(), 1..50)) {
        let f = fixture();
        f.book.create_space("blue").unwrap();
        let spaces = ["default", "blue"];
        // The model: every case ever created, in creation order, with the number it must get.
        let mut created: Vec<(usize, String, bool)> = Vec::new(); // (space, id, alive)
        let mut expected: HashMap<String, i64> = HashMap::new();
        let mut next = [1i64, 1];
        let run_pass = |created: &Vec<(usize, String, bool)>, expected: &mut HashMap<String, i64>, next: &mut [i64; 2]| {
            for (space, id, alive) in created {
                if *alive && !expected.contains_key(id) {
                    expected.insert(id.clone(), next[*space]);
                    next[*space] += 1;
                }
            }
        };
        for op in ops {
            match op {
                Op::Create { space, tick } => {
                    let c = f.create(spaces[space], "case", tick);
                    created.push((space, c.id, true));
                }
                Op::Delete { pick } => {
                    let alive: Vec<usize> = (0..created.len()).filter(|&i| created[i].2).collect();
                    if let Some(&i) = alive.get(pick % alive.len().max(1)) {
                        f.book.delete_cases(&[created[i].1.clone()]).unwrap();
                        created[i].2 = false;
                    }
                }
                Op::Pass => {
                    f.book.assign_ids().unwrap();
                    run_pass(&created, &mut expected, &mut next);
                }
            }
            // After every step, every living case has exactly the number the model says.
            for (space, id, alive) in &created {
                if *alive {
                    prop_assert_eq!(f.number(spaces[*space], id), expected.get(id).copied());
                }
            }
        }
        f.book.assign_ids().unwrap();
        run_pass(&created, &mut expected, &mut next);
        for (space, id, alive) in &created {
            if *alive {
                prop_assert_eq!(f.number(spaces[*space], id), expected.get(id).copied());
            }
        }
    }
}

#[test]
fn a_case_written_with_its_number_raises_the_counter() {
    let f = fixture();
    let a = f.create("default", "a", 10);
    // As a restored backup or the benchmark's generator would write it.
    const COLS: &str = "title, description, tags, severity, status, assignees, category, custom_fields, settings, owner, connector, external_service, created_at, created_by, reporter, updated_at, updated_by, closed_at, closed_by, in_progress_at, duration, time_to_acknowledge, time_to_investigate, time_to_resolve, total_comment, total_alerts, version";
    f.raw()
        .execute(
            &format!(
                "INSERT INTO cases (id, uuid, space_id, incremental_id, {COLS})
                 SELECT id + 100, 'restored-' || uuid, space_id, 7, {COLS} FROM cases WHERE uuid = ?1"
            ),
            [&a.id],
        )
        .unwrap();
    f.book.assign_ids().unwrap();
    assert_eq!(f.number("default", &a.id), Some(8), "7 is taken");
}

#[test]
fn a_read_only_casebook_refuses_a_numbering_pass_naming_the_file() {
    let f = fixture();
    let a = f.create("default", "a", 10);
    let ro = casebook_core::Casebook::open_read_only(&f.path).unwrap().expect("an up-to-date file opens read-only");
    let e = ro.assign_ids().unwrap_err();
    assert_eq!(e.code(), "storage", "{e}");
    assert!(e.to_string().contains(&f.path.display().to_string()) && e.to_string().contains("read-only"), "{e}");
    assert_eq!(f.number("default", &a.id), None, "nothing was numbered");
}
