use proptest::prelude::*;
use serde_json::json;

use super::*;

fn field_of(e: Error) -> (String, String) {
    match e {
        Error::Validation { field, message } => (field, message),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn title_is_trimmed_then_measured() {
    assert_eq!(title("  Phish  ").unwrap(), "Phish");
    let exact = "x".repeat(160);
    assert_eq!(title(&format!("  {exact}  ")).unwrap(), exact, "surrounding spaces do not count");
    let (f, m) = field_of(title(&"x".repeat(161)).unwrap_err());
    assert_eq!(f, "title");
    assert!(m.contains("160") && m.contains("161"), "{m}");
    let (f, m) = field_of(title(" \t\n").unwrap_err());
    assert_eq!(f, "title");
    assert!(m.contains("empty"), "{m}");
}

#[test]
fn limits_count_characters_not_bytes() {
    let emoji_title = "🔥".repeat(160);
    assert!(title(&emoji_title).is_ok(), "160 four-byte characters are 160 characters");
    assert!(title(&"é".repeat(161)).is_err());
}

#[test]
fn description_and_comment_limits() {
    assert!(description("").is_ok(), "a case may have no description");
    assert!(description(&"d".repeat(30_000)).is_ok());
    assert_eq!(field_of(description(&"d".repeat(30_001)).unwrap_err()).0, "description");
    assert_eq!(field_of(comment("   ").unwrap_err()).0, "comment");
    assert_eq!(field_of(comment(&"c".repeat(30_001)).unwrap_err()).0, "comment");
}

#[test]
fn tags_are_trimmed_deduplicated_and_capped() {
    let t = tags(&[" a ".into(), "b".into(), "a".into()]).unwrap();
    assert_eq!(t, vec!["a", "b"]);
    let many: Vec<String> = (0..201).map(|i| format!("t{i}")).collect();
    let (f, m) = field_of(tags(&many).unwrap_err());
    assert_eq!(f, "tags");
    assert!(m.contains("200"), "{m}");
    assert!(tags(&many[..200]).is_ok());
    assert_eq!(field_of(tags(&["x".repeat(257)]).unwrap_err()).0, "tags[0]");
    assert_eq!(field_of(tags(&["ok".into(), "  ".into()]).unwrap_err()).0, "tags[1]");
}

#[test]
fn category_blank_is_none_and_long_is_refused() {
    assert_eq!(category(Some("  ")).unwrap(), None);
    assert_eq!(category(Some(" Malware ")).unwrap().as_deref(), Some("Malware"));
    let (f, m) = field_of(category(Some(&"c".repeat(51))).unwrap_err());
    assert_eq!(f, "category");
    assert!(m.contains("50"));
}

#[test]
fn assignees_capped_at_ten() {
    let many: Vec<Assignee> = (0..11).map(|i| Assignee { uid: format!("u{i}") }).collect();
    let (f, m) = field_of(assignees(&many).unwrap_err());
    assert_eq!(f, "assignees");
    assert!(m.contains("10"));
    let dup = vec![Assignee { uid: "a".into() }, Assignee { uid: " a".into() }];
    assert_eq!(assignees(&dup).unwrap().len(), 1);
}

#[test]
fn keys_follow_kibana_regex() {
    assert!(key("k", "risk_score-2", 36).is_ok());
    for bad in ["Risk", "has space", "ünï", "a.b"] {
        assert!(key("k", bad, 36).is_err(), "{bad} should be refused");
    }
    assert!(key("k", &"a".repeat(37), 36).is_err());
}

#[test]
fn safe_integers_only() {
    assert_eq!(safe_integer("n", &json!(MAX_SAFE_INTEGER)).unwrap(), MAX_SAFE_INTEGER);
    assert_eq!(safe_integer("n", &json!(-MAX_SAFE_INTEGER)).unwrap(), -MAX_SAFE_INTEGER);
    assert!(safe_integer("n", &json!(MAX_SAFE_INTEGER + 1)).is_err());
    assert!(safe_integer("n", &json!(1.5)).is_err());
    assert!(safe_integer("n", &json!("7")).is_err());
}

fn defs() -> Vec<CustomFieldDefinition> {
    vec![
        CustomFieldDefinition {
            key: "escalated".into(),
            label: "Escalated".into(),
            field_type: CustomFieldType::Toggle,
            required: false,
            default_value: Some(json!(false)),
        },
        CustomFieldDefinition {
            key: "ticket".into(),
            label: "Ticket".into(),
            field_type: CustomFieldType::Text,
            required: true,
            default_value: None,
        },
        CustomFieldDefinition {
            key: "hosts".into(),
            label: "Hosts".into(),
            field_type: CustomFieldType::Number,
            required: false,
            default_value: None,
        },
    ]
}

fn cf(key: &str, t: CustomFieldType, value: serde_json::Value) -> CustomFieldValue {
    CustomFieldValue { key: key.into(), field_type: t, value }
}

#[test]
fn custom_fields_fill_defaults_and_enforce_required() {
    let out = custom_fields(&[cf("ticket", CustomFieldType::Text, json!("INC-1"))], &defs(), true).unwrap();
    assert_eq!(out.len(), 3);
    assert_eq!(out.iter().find(|c| c.key == "escalated").unwrap().value, json!(false));
    assert_eq!(out.iter().find(|c| c.key == "hosts").unwrap().value, json!(null));
    let (f, m) = field_of(custom_fields(&[], &defs(), true).unwrap_err());
    assert_eq!((f.as_str(), m.as_str()), ("custom_fields.ticket", "is required"));
}

#[test]
fn custom_fields_check_type_and_key() {
    let e = custom_fields(&[cf("nope", CustomFieldType::Text, json!("x"))], &defs(), false).unwrap_err();
    assert_eq!(field_of(e).0, "custom_fields.nope");
    let e = custom_fields(&[cf("hosts", CustomFieldType::Text, json!("x"))], &defs(), false).unwrap_err();
    assert_eq!(field_of(e).0, "custom_fields.hosts");
    let e = custom_fields(&[cf("ticket", CustomFieldType::Text, json!("t".repeat(161)))], &defs(), false).unwrap_err();
    assert!(field_of(e).1.contains("160"));
    let e = custom_fields(&[cf("hosts", CustomFieldType::Number, json!(9_007_199_254_740_992_i64))], &defs(), false)
        .unwrap_err();
    assert_eq!(field_of(e).0, "custom_fields.hosts");
    let eleven: Vec<_> = (0..11).map(|i| cf(&format!("k{i}"), CustomFieldType::Text, json!("x"))).collect();
    assert!(field_of(custom_fields(&eleven, &defs(), false).unwrap_err()).1.contains("10"));
}

#[test]
fn definitions_and_templates_limits() {
    let eleven: Vec<_> = (0..11)
        .map(|i| CustomFieldDefinition {
            key: format!("k{i}"),
            label: "L".into(),
            field_type: CustomFieldType::Toggle,
            required: false,
            default_value: None,
        })
        .collect();
    assert_eq!(field_of(custom_field_definitions(&eleven).unwrap_err()).0, "custom_fields");
    let mut d = eleven[0].clone();
    d.label = "l".repeat(51);
    assert_eq!(field_of(custom_field_definitions(&[d]).unwrap_err()).0, "custom_fields[0].label");

    let t = |k: &str| Template {
        key: k.into(),
        name: "Phishing".into(),
        description: None,
        tags: vec![],
        case_fields: TemplateCaseFields::default(),
    };
    let many: Vec<_> = (0..11).map(|i| t(&format!("t{i}"))).collect();
    assert_eq!(field_of(templates(&many, &[]).unwrap_err()).0, "templates");
    let mut long = t("a");
    long.name = "n".repeat(51);
    assert_eq!(field_of(templates(&[long], &[]).unwrap_err()).0, "templates[0].name");
    let mut tagged = t("a");
    tagged.tags = (0..11).map(|i| i.to_string()).collect();
    assert_eq!(field_of(templates(&[tagged], &[]).unwrap_err()).0, "templates[0].tags");
    assert_eq!(field_of(templates(&[t("a"), t("a")], &[]).unwrap_err()).0, "templates[1].key");

    // A case field of a template is named under the template, whichever rule refuses it.
    let with = |c: TemplateCaseFields| Template { case_fields: c, ..t("a") };
    let refused = |c: TemplateCaseFields| field_of(templates(&[t("z"), with(c)], &[]).unwrap_err()).0;
    let none = TemplateCaseFields::default;
    assert_eq!(
        refused(TemplateCaseFields { title: Some("x".repeat(161)), ..none() }),
        "templates[1].case_fields.title"
    );
    assert_eq!(
        refused(TemplateCaseFields { description: Some("x".repeat(30_001)), ..none() }),
        "templates[1].case_fields.description"
    );
    assert_eq!(
        refused(TemplateCaseFields { tags: Some(vec!["ok".into(), " ".into()]), ..none() }),
        "templates[1].case_fields.tags[1]"
    );
    assert_eq!(
        refused(TemplateCaseFields { category: Some("c".repeat(51)), ..none() }),
        "templates[1].case_fields.category"
    );
    assert_eq!(
        refused(TemplateCaseFields { assignees: Some(vec![Assignee { uid: " ".into() }]), ..none() }),
        "templates[1].case_fields.assignees[0].uid"
    );
    let unknown = CustomFieldValue { key: "risk".into(), field_type: CustomFieldType::Number, value: json!(1) };
    assert_eq!(
        refused(TemplateCaseFields { custom_fields: Some(vec![unknown]), ..none() }),
        "templates[1].case_fields.custom_fields.risk"
    );
}

#[test]
fn paging_caps() {
    assert!(paging(1, 100, 100).is_ok());
    assert_eq!(field_of(paging(1, 101, 100).unwrap_err()).0, "per_page");
    assert_eq!(field_of(paging(0, 10, 100).unwrap_err()).0, "page");
    assert_eq!(field_of(paging(101, 100, 100).unwrap_err()).0, "page", "page × per_page over 10 000");
}

proptest! {
    /// Any title either passes trimmed and within the limit, or fails naming `title`: empty,
    /// too long, or holding a line separator (`\\PC` has no other unsafe character).
    #[test]
    fn title_accepts_exactly_the_valid_ones(s in "\\PC{0,200}") {
        let trimmed = s.trim();
        match title(&s) {
            Ok(t) => {
                prop_assert_eq!(t.as_str(), trimmed);
                prop_assert!(!t.is_empty() && t.chars().count() <= MAX_TITLE_LENGTH);
            }
            Err(e) => {
                let (f, _) = field_of(e);
                prop_assert_eq!(f, "title");
                prop_assert!(
                    trimmed.is_empty()
                        || trimmed.chars().count() > MAX_TITLE_LENGTH
                        || trimmed.chars().any(is_unsafe_char)
                );
            }
        }
    }

    #[test]
    fn tags_never_exceed_limits(list in proptest::collection::vec("[a-c ]{0,4}", 0..260)) {
        if let Ok(t) = tags(&list) {
            prop_assert!(t.len() <= MAX_TAGS_PER_CASE);
            let mut u = t.clone();
            u.sort();
            u.dedup();
            prop_assert_eq!(u.len(), t.len(), "no duplicates");
            prop_assert!(t.iter().all(|x| !x.is_empty() && x.trim() == x));
        }
    }
}

/// One sample of each class of character a terminal acts on (issue 13: ESC sequences, an OSC 52
/// clipboard write, CR, NUL, BEL, C1, DEL, the bidi overrides and isolates, line separators).
const UNSAFE: &[(&str, &str)] = &[
    ("ESC", "a\u{1b}[31mred"),
    ("OSC 52", "a\u{1b}]52;c;ZWNobyBoaQ==\u{7}"),
    ("CR", "ok\rstatus closed"),
    ("LF", "ok\nstatus closed"),
    ("NUL", "a\0b"),
    ("BEL", "a\u{7}b"),
    ("C1 CSI", "a\u{9b}31mb"),
    ("DEL", "a\u{7f}b"),
    ("RLO", "invoice\u{202e}fdp.exe"),
    ("LRI", "a\u{2066}b\u{2069}"),
    ("LINE SEPARATOR", "a\u{2028}b"),
    ("TAB", "a\tb"),
];

#[test]
fn single_line_fields_refuse_every_control_character() {
    for (class, v) in UNSAFE {
        let results: [(&str, Result<()>); 5] = [
            ("title", title(v).map(drop)),
            ("tags[0]", tags(&[v.to_string()]).map(drop)),
            ("category", category(Some(v)).map(drop)),
            ("name", text("name", v, 1, 256).map(drop)),
            ("full_name", optional_text("full_name", Some(v), 256).map(drop)),
        ];
        for (field, result) in results {
            let (f, m) = field_of(result.expect_err(&format!("{class} in {field} must be refused")));
            assert_eq!(f, field, "{class}");
            assert!(m.contains("control characters"), "{class} in {field}: {m}");
        }
    }
}

#[test]
fn multi_line_fields_keep_line_breaks_and_tabs_only() {
    assert_eq!(description("line 1\n\tline 2").unwrap(), "line 1\n\tline 2");
    assert_eq!(comment("a\r\nb\rc").unwrap(), "a\nb\nc", "Windows and old Mac line ends become \\n");
    for (class, v) in UNSAFE.iter().filter(|(c, _)| !matches!(*c, "LF" | "TAB" | "CR")) {
        for (field, result) in [("description", description(v)), ("comment", comment(v))] {
            let (f, m) = field_of(result.expect_err(&format!("{class} in {field} must be refused")));
            assert_eq!(f, field);
            assert!(m.contains("only line breaks and tabs"), "{class}: {m}");
        }
    }
}

#[test]
fn text_made_only_of_invisible_characters_is_empty() {
    for v in ["\u{200b}", "\u{200b}\u{200d}\u{feff}", "\0", " \u{2060} ", "\u{ad}"] {
        let (f, m) = field_of(title(v).unwrap_err());
        assert_eq!(f, "title");
        assert!(m.contains("empty"), "{v:?}: {m}");
        assert!(comment(v).is_err());
    }
    assert_eq!(title("a\u{200d}b").unwrap(), "a\u{200d}b", "a joiner inside visible text is kept (emoji sequences)");
    assert_eq!(title("👩\u{200d}💻 on call").unwrap(), "👩\u{200d}💻 on call");
}
