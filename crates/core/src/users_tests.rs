use crate::{Casebook, UserInput};

fn book() -> (tempfile::TempDir, Casebook) {
    let dir = tempfile::tempdir().unwrap();
    let book = Casebook::open(dir.path().join("c.db")).unwrap();
    (dir, book)
}

#[test]
fn a_new_profile_comes_from_the_os_account_and_is_not_confirmed() {
    let (_dir, book) = book();
    let status = book.profile_status().unwrap();
    assert!(!status.confirmed);
    assert_eq!(status.profile, book.profile().unwrap());
    assert!(!status.profile.username.is_empty());
}

#[test]
fn saving_the_profile_confirms_it_for_every_later_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let book = Casebook::open(&path).unwrap();
    let me = book.profile().unwrap();
    book.set_profile(&UserInput {
        username: me.username.clone(),
        full_name: Some("Ana Lytic".into()),
        email: Some("ana@example.org".into()),
    })
    .unwrap();
    drop(book);

    let status = Casebook::open(&path).unwrap().profile_status().unwrap();
    assert!(status.confirmed);
    assert_eq!(status.profile.full_name.as_deref(), Some("Ana Lytic"));
    assert_eq!(status.profile.email.as_deref(), Some("ana@example.org"));
}

#[test]
fn saving_it_unchanged_confirms_it_too() {
    let (_dir, book) = book();
    let me = book.profile().unwrap();
    book.set_profile(&UserInput {
        username: me.username.clone(),
        full_name: me.full_name.clone(),
        email: me.email.clone(),
    })
    .unwrap();
    let status = book.profile_status().unwrap();
    assert!(status.confirmed);
    assert_eq!(status.profile, me);
}

#[test]
fn a_refused_save_does_not_confirm() {
    let (_dir, book) = book();
    let me = book.profile().unwrap();
    let e = book
        .set_profile(&UserInput { username: me.username, full_name: None, email: Some("not an address".into()) })
        .unwrap_err();
    assert!(e.to_string().contains("email"), "{e}");
    assert!(!book.profile_status().unwrap().confirmed);
}
