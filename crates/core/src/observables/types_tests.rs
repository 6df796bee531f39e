use super::*;

fn ok(key: &str, v: &str) -> String {
    validate_value(key, v).unwrap_or_else(|e| panic!("{key} {v:?} refused: {e}"))
}

fn refused(key: &str, v: &str) -> String {
    match validate_value(key, v) {
        Err(e) => {
            assert_eq!(e.code(), "validation");
            e.to_string()
        }
        Ok(n) => panic!("{key} {v:?} accepted as {n:?}"),
    }
}

#[test]
fn ip_addresses_are_checked_and_written_canonically() {
    assert_eq!(ok(IPV4, " 192.0.2.10 "), "192.0.2.10");
    for bad in ["192.0.2", "192.0.2.256", "2001:db8::1", "host-1", "192.0.2.1/24"] {
        assert!(refused(IPV4, bad).contains("is not an IPv4 address"));
    }
    assert_eq!(ok(IPV6, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
    for bad in ["192.0.2.1", "2001:db8:::1", "fe80::1%eth0x"] {
        refused(IPV6, bad);
    }
    assert_eq!(ip_type("198.51.100.7"), Some(IPV4));
    assert_eq!(ip_type("2001:db8::7"), Some(IPV6));
    assert_eq!(ip_type("example.com"), None);
}

#[test]
fn urls_need_a_scheme_and_a_host() {
    assert_eq!(ok(URL, "https://example.com/a?b=c"), "https://example.com/a?b=c");
    ok(URL, "http://198.51.100.7:8080/payload.bin");
    for bad in ["example.com/a", "mailto:a@example.com", "https://", "not a url"] {
        assert!(refused(URL, bad).contains("is not a URL"), "{bad}");
    }
}

#[test]
fn host_names_and_domains() {
    assert_eq!(ok(HOSTNAME, "WEB-01.corp.example.com."), "web-01.corp.example.com");
    ok(HOSTNAME, "DESKTOP_7QX");
    for bad in ["-web", "web-", "a b", "web..corp", "we$b"] {
        refused(HOSTNAME, bad);
    }
    assert_eq!(ok(DOMAIN, "Login.Example.COM"), "login.example.com");
    for bad in ["localhost", "example.c", "example.123", "-x.example.com", "exa mple.com"] {
        assert!(refused(DOMAIN, bad).contains("is not a domain"), "{bad}");
    }
}

#[test]
fn emails() {
    assert_eq!(ok(EMAIL, "Analyst.One@Example.COM"), "Analyst.One@example.com");
    for bad in ["analyst", "@example.com", "a@localhost", "a b@example.com", ".a@example.com"] {
        refused(EMAIL, bad);
    }
}

#[test]
fn file_hashes_of_every_common_algorithm() {
    let md5 = "D41D8CD98F00B204E9800998ECF8427E";
    assert_eq!(ok(FILE_HASH, md5), md5.to_ascii_lowercase());
    ok(FILE_HASH, &"a".repeat(40));
    ok(FILE_HASH, &"0".repeat(64));
    ok(FILE_HASH, &"f".repeat(96));
    ok(FILE_HASH, &"9".repeat(128));
    ok(FILE_HASH, "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C");
    ok(FILE_HASH, &format!("T1{}", "a".repeat(70)));
    for bad in ["abc", &"g".repeat(64), &"a".repeat(63), "3:abc"] {
        assert!(refused(FILE_HASH, bad).contains("is not a file hash"), "{bad}");
    }
}

#[test]
fn paths_and_custom_types_take_any_single_line() {
    assert_eq!(ok(FILE_PATH, r"C:\Program Files\Evil\a.exe"), r"C:\Program Files\Evil\a.exe");
    ok(FILE_PATH, "/tmp/.x/payload");
    ok("ticket-ref", "INC 0042 / phishing wave");
    assert!(refused(FILE_PATH, "a\nb").contains("single line"));
    assert!(refused(FILE_PATH, "   ").contains("empty"));
    assert!(refused(FILE_PATH, &"a".repeat(MAX_OBSERVABLE_VALUE_LENGTH + 1)).contains("at most 2048"));
}

#[test]
fn custom_type_lists_follow_kibanas_rules() {
    let t = |k: &str, l: &str| ObservableType { key: k.into(), label: l.into() };
    let good = validate_custom_types(&[t("ticket-ref", " Ticket "), t("mac_addr", "MAC")]).unwrap();
    assert_eq!(good[0].label, "Ticket");
    let err = |types: &[ObservableType]| validate_custom_types(types).unwrap_err().to_string();
    assert!(err(&[t("Bad Key", "x")]).contains("observable_types[0].key"));
    assert!(err(&[t("a", "x"), t("a", "y")]).contains("already used"));
    assert!(err(&[t(IPV4, "x")]).contains("already used"));
    assert!(err(&[t("a", "ipv4")]).contains("observable_types[0].label"));
    assert!(err(&[t("a", &"x".repeat(51))]).contains("at most 50"));
    let eleven: Vec<_> = (0..11).map(|i| t(&format!("k{i}"), &format!("L{i}"))).collect();
    assert!(err(&eleven).contains("at most 10 custom observable types"));
}
