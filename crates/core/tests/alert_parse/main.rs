#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Reading alert exports: which alerts come out of each kind of file, with which ids, indices,
//! summaries and fields, and which lines or documents are reported as unreadable.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use casebook_core::alerts::fields::texts;
use casebook_core::alerts::*;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

const ALERTS_INDEX: &str = ".internal.alerts-security.alerts-default-000001";
const SSH_RULE: &str = "3f6a2c1e-8b4d-4e2a-9c71-5d0e8f2b7a10";
const POWERSHELL_RULE: &str = "7c0e9d4b-2a6f-4b1e-8d35-0f9a7c2e6b41";
const INTEL_RULE: &str = "b51d8e27-4c9a-4f0d-a6e3-92c7d1f05e8b";
const MODERN_IDS: [&str; 6] = [
    "e3b1f0a2-7c4d-4f8e-9a61-2b5c8d0e1f01",
    "e3b1f0a2-7c4d-4f8e-9a61-2b5c8d0e1f02",
    "5a9e2c7d-0b14-4e6f-8a3d-c1f2e4b6d803",
    "5a9e2c7d-0b14-4e6f-8a3d-c1f2e4b6d804",
    "c07d4e1b-93a2-4b8f-a5e6-7f1d2c3b4a05",
    "c07d4e1b-93a2-4b8f-a5e6-7f1d2c3b4a06",
];

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alerts").join(name)
}

/// Everything one read produced.
#[derive(Debug, Default)]
struct Outcome {
    alerts: Vec<ParsedAlert>,
    issues: Vec<ParseIssue>,
    finished: bool,
    progress: Vec<u64>,
}

impl Outcome {
    fn ids(&self) -> Vec<&str> {
        self.alerts.iter().map(|a| a.alert_id.as_str()).collect()
    }
    fn issue_lines(&self) -> Vec<Option<u64>> {
        self.issues.iter().map(|i| i.line).collect()
    }
}

fn read_bytes(bytes: &[u8], format: AlertFileFormat) -> casebook_core::Result<Outcome> {
    let mut out = Outcome::default();
    let mut progress = Vec::new();
    let finished = read_alerts(
        bytes,
        format,
        &mut |item| {
            match item {
                Ok(alert) => out.alerts.push(alert),
                Err(issue) => out.issues.push(issue),
            }
            ControlFlow::Continue(())
        },
        &mut |consumed| {
            progress.push(consumed);
            ControlFlow::Continue(())
        },
    )?;
    out.finished = finished;
    out.progress = progress;
    Ok(out)
}

/// Reads a fixture the way the app does: format from the name and the first bytes.
fn read_fixture(name: &str) -> Outcome {
    let bytes = std::fs::read(path(name)).unwrap();
    let format = detect_format(&path(name), &bytes[..bytes.len().min(4096)]);
    let out = read_bytes(&bytes, format).unwrap();
    assert!(out.finished, "{name} was not read to the end");
    assert_eq!(out.progress.last(), Some(&(bytes.len() as u64)), "{name}: progress ends at the file size");
    out
}

fn text_values<'a>(alert: &'a ParsedAlert, path: &str) -> Vec<std::borrow::Cow<'a, str>> {
    texts(&alert.fields, path).collect()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn modern_ndjson_export_gives_every_alert_with_its_summary() {
    let out = read_fixture("modern.ndjson");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(out.ids(), MODERN_IDS);
    assert_eq!(out.alerts.iter().map(|a| a.line).collect::<Vec<_>>(), (1..=6).map(Some).collect::<Vec<_>>());
    assert_eq!(out.alerts.iter().map(|a| a.document_number).collect::<Vec<_>>(), (1..=6).collect::<Vec<_>>());
    // The last two lines are search hits and say their index; bare documents do not.
    let indices: Vec<Option<&str>> = out.alerts.iter().map(|a| a.index.as_deref()).collect();
    assert_eq!(indices, [None, None, None, None, Some(ALERTS_INDEX), Some(ALERTS_INDEX)]);
    let rules: Vec<&str> = out.alerts.iter().map(|a| a.summary.rule_id.as_deref().unwrap()).collect();
    assert_eq!(rules, [SSH_RULE, SSH_RULE, POWERSHELL_RULE, POWERSHELL_RULE, INTEL_RULE, INTEL_RULE]);

    let ssh = &out.alerts[0];
    assert_eq!(
        ssh.summary,
        AlertSummary {
            rule_id: Some(SSH_RULE.into()),
            rule_name: Some("Potential SSH Brute Force Detected".into()),
            severity: Some("medium".into()),
            risk_score: Some(47.0),
            reason: Some(
                "authentication event with source 203.0.113.45 by root on web-01 created medium alert Potential SSH \
                 Brute Force Detected."
                    .into()
            ),
            host: Some("web-01".into()),
            user: Some("root".into()),
            original_time: Some(utc("2025-03-03T14:20:55Z")),
            timestamp: Some(utc("2025-03-03T14:21:07.512Z")),
            workflow_status: Some("open".into()),
        }
    );
    assert_eq!(text_values(ssh, "host.ip"), ["192.0.2.10", "2001:db8::a"]);
    assert_eq!(text_values(ssh, "source.ip"), ["203.0.113.45"]);
    assert_eq!(text_values(ssh, "destination.ip"), ["2001:db8::10"]);
    assert_eq!(text_values(ssh, "kibana.alert.rule.threat.technique.subtechnique.id"), ["T1110.001"]);

    // Literal dotted ECS keys (host.name) and nested ones (user) read alike.
    let powershell = &out.alerts[2];
    assert_eq!(powershell.summary.host.as_deref(), Some("WS-FIN-07"));
    assert_eq!(powershell.summary.workflow_status.as_deref(), Some("acknowledged"));
    assert_eq!(text_values(powershell, "user.email"), ["alice@example.com"]);
    assert_eq!(text_values(powershell, "process.args").len(), 4);
    assert_eq!(text_values(powershell, "process.hash.md5")[0].len(), 32);
    assert_eq!(text_values(powershell, "file.hash.sha256")[0].len(), 64);
    assert_eq!(text_values(powershell, "dll.hash.sha1")[0].len(), 40);
    let fully_dotted = &out.alerts[3];
    assert_eq!(fully_dotted.summary.user.as_deref(), Some("bob"));
    assert_eq!(text_values(fully_dotted, "process.hash.md5")[0].len(), 32);

    let intel = &out.alerts[4];
    assert_eq!(intel.summary.severity.as_deref(), Some("critical"));
    assert_eq!(intel.summary.risk_score, Some(99.0));
    assert_eq!(text_values(intel, "dns.question.name"), ["malware-c2.example.org"]);
    assert_eq!(text_values(intel, "url.full"), ["https://malware-c2.example.org/payload.bin"]);
    assert_eq!(text_values(intel, "destination.ip"), ["2001:db8:85a3::8a2e:370:7334"]);
    // A hit's document is its _source, unchanged: no _id or _index added.
    assert!(intel.document.get("_id").is_none() && intel.document.get("_source").is_none());
    assert_eq!(intel.document["host"]["name"], json!("WS-FIN-07"));
    // original_time may be epoch milliseconds.
    assert_eq!(out.alerts[5].summary.original_time, Some(utc("2025-03-05T02:09:10Z")));
}

#[test]
fn documents_are_kept_exactly_as_given() {
    let bytes = std::fs::read(path("modern.ndjson")).unwrap();
    let out = read_bytes(&bytes, AlertFileFormat::Ndjson).unwrap();
    let first_line: Value = serde_json::from_slice(bytes.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(out.alerts[0].document, first_line);
    assert_eq!(out.alerts[0].fields, flatten(&first_line));
}

#[test]
fn dotted_fields_form_and_nested_source_give_the_same_alert() {
    let nested = read_fixture("modern.ndjson").alerts.remove(0);
    let flyout = read_fixture("flyout-fields.json");
    assert_eq!(flyout.ids(), [MODERN_IDS[0]]);
    let flyout = &flyout.alerts[0];
    assert_eq!(flyout.line, None);
    assert_eq!(flyout.document_number, 1);
    // The fields form adds the signal.* aliases of 8.x; everything else is the same field by field.
    let without_aliases: FieldMap =
        flyout.fields.clone().into_iter().filter(|(k, _)| !k.starts_with("signal.")).collect();
    assert_eq!(without_aliases, nested.fields);
    assert_eq!(flyout.summary, nested.summary);

    // Fields-form search hits (`"fields": ["*"]`) meet the nested _source too.
    let hits = read_fixture("search-fields.json");
    assert_eq!(hits.ids(), [MODERN_IDS[0], MODERN_IDS[5]]);
    assert_eq!(hits.alerts[0].fields, nested.fields);
    assert_eq!(hits.alerts[0].index.as_deref(), Some(ALERTS_INDEX));
    assert_eq!(hits.alerts[1].summary.original_time, Some(utc("2025-03-05T02:09:10Z")));
}

#[test]
fn legacy_siem_signals_are_identified_by_their_id() {
    let out = read_fixture("legacy-signals.ndjson");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(out.alerts.len(), 3);
    for alert in &out.alerts {
        assert_eq!(alert.alert_id.len(), 64, "the _id of a .siem-signals document");
        assert_eq!(alert.index.as_deref(), Some(".siem-signals-default-000001"));
        assert!(alert.document.get("signal").is_some());
    }
    let [office, rundll, whoami] = &out.alerts[..] else { unreachable!() };
    assert_eq!(office.summary.rule_id.as_deref(), Some("6b4a1e0f-2d3c-4b5a-8e9f-0a1b2c3d4e5f"));
    assert_eq!(office.summary.rule_name.as_deref(), Some("Suspicious Process Spawned by Office"));
    assert_eq!(office.summary.severity.as_deref(), Some("high"), "severity is lowercased");
    assert_eq!(office.summary.risk_score, Some(73.0));
    assert_eq!(office.summary.workflow_status.as_deref(), Some("open"));
    assert_eq!(office.summary.original_time, Some(utc("2021-04-08T22:13:58Z")));
    assert_eq!(
        office.summary.reason.as_deref(),
        Some("process event by dave on LAPTOP-7Q2 created High alert Suspicious Process Spawned by Office.")
    );
    assert_eq!(text_values(office, "process.args"), ["cmd.exe", "/c", "whoami"]);
    assert_eq!(rundll.summary.workflow_status.as_deref(), Some("in-progress"));
    assert_eq!(rundll.summary.original_time, Some(utc("2021-04-08T22:31:30Z")), "epoch milliseconds");
    assert_eq!(whoami.summary.host.as_deref(), Some("SRV-DB-01"), "host.hostname when host.name is missing");
    assert_eq!(whoami.summary.severity.as_deref(), Some("low"));
    assert_eq!(whoami.summary.reason, None);
}

#[test]
fn search_response_hits_are_read_one_by_one() {
    let out = read_fixture("search-source.json");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(out.ids(), [MODERN_IDS[2], MODERN_IDS[3], MODERN_IDS[4]]);
    assert_eq!(out.alerts.iter().map(|a| a.document_number).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(out.alerts.iter().all(|a| a.line.is_none()));
    assert_eq!(out.alerts[2].index.as_deref(), Some(".internal.alerts-security.alerts-default-000002"));
    assert_eq!(out.alerts[0].summary.user.as_deref(), Some("alice"));
}

#[test]
fn json_arrays_single_documents_and_es_archiver_files() {
    let array = read_fixture("array.json");
    assert!(array.issues.is_empty(), "{:?}", array.issues);
    assert_eq!(array.ids(), [MODERN_IDS[1], MODERN_IDS[3], MODERN_IDS[5]]);
    assert!(array.alerts.iter().all(|a| a.index.is_none()));

    let single = read_fixture("single.json");
    assert_eq!(single.ids(), [MODERN_IDS[4]]);
    assert_eq!(single.alerts[0].summary.rule_name.as_deref(), Some("Threat Intel Indicator Match"));

    let archive = read_fixture("es-archiver.json");
    assert!(archive.issues.is_empty(), "{:?}", archive.issues);
    assert_eq!(archive.ids()[..2], [MODERN_IDS[0], MODERN_IDS[2]]);
    assert_eq!(archive.alerts[2].alert_id.len(), 64, "a legacy signal takes the record's id");
    let indices: Vec<_> = archive.alerts.iter().map(|a| a.index.as_deref().unwrap()).collect();
    assert_eq!(indices, [ALERTS_INDEX, ALERTS_INDEX, ".siem-signals-default-000001"]);
    assert_eq!(archive.alerts[0].fields, read_fixture("modern.ndjson").alerts[0].fields);
}

#[test]
fn discover_csv_is_turned_back_into_fields() {
    let out = read_fixture("discover.csv");
    assert!(out.issues.is_empty(), "{:?}", out.issues);
    assert_eq!(out.ids(), [MODERN_IDS[0], MODERN_IDS[2], "9d2f7a10-4e3b-4c6d-b8a9-0e1f2a3b4c07", MODERN_IDS[4]]);
    // The third record spans two lines (a quoted newline), so the fourth starts on line 6.
    assert_eq!(out.alerts.iter().map(|a| a.line).collect::<Vec<_>>(), [Some(2), Some(3), Some(4), Some(6)]);
    assert_eq!(out.alerts[3].index.as_deref(), Some(".internal.alerts-security.alerts-default-000002"));

    let ssh = &out.alerts[0];
    assert_eq!(ssh.summary.timestamp, Some(utc("2025-03-03T14:21:07.512Z")));
    assert_eq!(ssh.summary.original_time, Some(utc("2025-03-03T14:20:55Z")));
    assert_eq!(ssh.summary.risk_score, Some(47.0));
    assert_eq!(ssh.summary.rule_id.as_deref(), Some(SSH_RULE));
    assert_eq!(text_values(ssh, "host.ip"), ["192.0.2.10", "2001:db8::a"]);
    // The JSON-stringified threat object becomes fields again.
    assert_eq!(text_values(ssh, "kibana.alert.rule.threat.technique.id"), ["T1110"]);
    // `-` cells are missing values, left out of the document.
    assert!(ssh.document.get("process.command_line").is_none());
    assert_eq!(ssh.document["_id"], json!(MODERN_IDS[0]));

    let powershell = &out.alerts[1];
    assert_eq!(
        powershell.summary.reason.as_deref(),
        Some(
            "process event with process powershell.exe, parent process winword.exe, by alice on WS-FIN-07 created high \
             alert Suspicious PowerShell Encoded Command."
        )
    );
    assert_eq!(text_values(powershell, "process.args").len(), 4);
    assert_eq!(text_values(powershell, "kibana.alert.rule.threat.technique.subtechnique.id"), ["T1059.001"]);
    assert!(!powershell.fields.contains_key("source.ip"));

    let dde = &out.alerts[2];
    assert_eq!(dde.document["process.command_line"], json!("=cmd|' /C powershell -nop -w hidden'!A0"));
    assert_eq!(text_values(dde, "process.args"), ["cmd.exe", "/c", "powershell", "-nop", "-w", "hidden"]);
    assert!(
        dde.summary.reason.as_deref().unwrap().ends_with("\nThe command line was written as a spreadsheet formula.")
    );

    // No original time in the export: no event time (the alert's own time is not passed off as one).
    let intel = &out.alerts[3];
    assert_eq!(intel.summary.timestamp, Some(utc("2025-03-05T02:03:44.870Z")));
    assert_eq!(intel.summary.original_time, None);
    assert_eq!(intel.summary.user, None);
    assert_eq!(text_values(intel, "destination.ip"), ["2001:db8:85a3::8a2e:370:7334"]);
}

#[test]
fn bad_ndjson_lines_are_reported_and_the_rest_is_read() {
    let out = read_fixture("broken-lines.ndjson");
    assert_eq!(out.ids(), [MODERN_IDS[0], MODERN_IDS[4]]);
    assert_eq!(out.alerts.iter().map(|a| a.line).collect::<Vec<_>>(), [Some(1), Some(6)]);
    assert_eq!(out.issue_lines(), [Some(2), Some(3), Some(5), Some(7)]);
    let reasons: Vec<&str> = out.issues.iter().map(|i| i.reason.as_str()).collect();
    assert_eq!(reasons[0], "not valid JSON: expected `,` or `}` at column 58");
    assert_eq!(reasons[1], "not a JSON object but an array");
    assert_eq!(reasons[2], "no kibana.alert.uuid or _id");
    assert!(reasons[3].starts_with("not valid JSON: EOF while parsing"), "{}", reasons[3]);
    assert!(out.issues.iter().all(|i| i.document.is_none() && i.reason.len() < 100));
}

#[test]
fn a_truncated_json_array_keeps_the_documents_before_the_break() {
    let bytes = std::fs::read(path("truncated-array.json")).unwrap();
    let lines = bytes.split(|&b| b == b'\n').count() as u64;
    let out = read_fixture("truncated-array.json");
    assert_eq!(out.ids(), [MODERN_IDS[1], MODERN_IDS[3]]);
    assert_eq!(out.issues.len(), 1);
    let issue = &out.issues[0];
    assert_eq!((issue.line, issue.document), (Some(lines), Some(3)));
    assert!(issue.reason.starts_with("not valid JSON: EOF while parsing"), "{}", issue.reason);
}

#[test]
fn json_elements_that_are_not_alerts_are_reported_by_document_number() {
    let text = br#"[{"_id": "a"}, 42, {"host": {"name": "h"}}, {"_id": "b", "_index": "i", "_source": {"x": 1}},
        {"type": "index", "value": {"index": "i"}}, {"type": "doc", "value": {"id": "c", "index": "i", "source": {}}}]"#;
    let out = read_bytes(text, AlertFileFormat::Json).unwrap();
    assert_eq!(out.ids(), ["a", "b", "c"]);
    assert_eq!(out.alerts.iter().map(|a| a.document_number).collect::<Vec<_>>(), [1, 4, 6]);
    let issues: Vec<_> = out.issues.iter().map(|i| (i.line, i.document, i.reason.as_str())).collect();
    assert_eq!(
        issues,
        [
            (None, Some(2), "not a JSON object but a number"),
            (None, Some(3), "no kibana.alert.uuid or _id"),
            (None, Some(5), "an es_archiver \"index\" record, not an alert document"),
        ]
    );

    // A syntax error inside an array stops reading there, with serde's position.
    let out =
        read_bytes(b"[\n{\"_id\": \"a\"},\n{\"_id\": \"b\" \"x\": 1},\n{\"_id\": \"c\"}\n]", AlertFileFormat::Json)
            .unwrap();
    assert!(out.finished);
    assert_eq!(out.ids(), ["a"]);
    assert_eq!(out.issues.len(), 1);
    assert_eq!((out.issues[0].line, out.issues[0].document), (Some(3), Some(2)));
    assert_eq!(out.issues[0].reason, "not valid JSON: expected `,` or `}` at line 3 column 13");

    // Concatenated documents (NDJSON given as .json) are read as a stream.
    let out = read_bytes(b"{\"_id\": \"a\"}\n{\"_id\": \"b\"}\n", AlertFileFormat::Json).unwrap();
    assert_eq!(out.ids(), ["a", "b"]);
    // An empty file holds no alerts and nothing wrong.
    let out = read_bytes(b" \n", AlertFileFormat::Json).unwrap();
    assert!(out.finished && out.alerts.is_empty() && out.issues.is_empty());
}

#[test]
fn ndjson_line_numbers_count_blank_lines_crlf_and_a_bom() {
    let text = b"\xEF\xBB\xBF{\"_id\": \"a\"}\r\n\r\n   \r\n{\"kibana.alert.uuid\": \"b\", \"_id\": \"ignored\"}\r\n\"text\"\r\n";
    let out = read_bytes(text, AlertFileFormat::Ndjson).unwrap();
    assert_eq!(out.ids(), ["a", "b"]);
    assert_eq!(
        out.alerts.iter().map(|a| (a.line, a.document_number)).collect::<Vec<_>>(),
        [(Some(1), 1), (Some(4), 2)]
    );
    assert_eq!(out.issue_lines(), [Some(5)]);
    assert_eq!(out.issues[0].reason, "not a JSON object but a string");
}

#[test]
fn ragged_csv_rows_are_reported_by_line() {
    let out = read_fixture("ragged.csv");
    assert_eq!(out.ids(), ["e3b1f0a2-7c4d-4f8e-9a61-2b5c8d0e1f01", "5a9e2c7d-0b14-4e6f-8a3d-c1f2e4b6d804"]);
    assert_eq!(out.alerts.iter().map(|a| a.line).collect::<Vec<_>>(), [Some(2), Some(5)]);
    assert_eq!(out.issue_lines(), [Some(3), Some(4)]);
    assert_eq!(out.issues[0].reason, "has 3 cells but the header has 4 columns");
    assert_eq!(out.issues[1].reason, "has 5 cells but the header has 4 columns");
}

#[test]
fn a_csv_without_an_id_column_is_refused_as_a_whole() {
    let bytes = std::fs::read(path("no-id-column.csv")).unwrap();
    let mut items = 0;
    let error = read_alerts(
        &bytes[..],
        AlertFileFormat::Csv,
        &mut |_| {
            items += 1;
            ControlFlow::Continue(())
        },
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap_err();
    assert_eq!(items, 0);
    assert_eq!(error.code(), "validation");
    let message = error.to_string();
    assert!(message.starts_with("file: ") && message.contains("add the _id field") && message.contains("Discover"));
}

#[test]
fn unreadable_input_is_an_error_not_an_issue() {
    /// Fails after the first bytes, as a file on a vanished network share would.
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("connection reset"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(b' ');
            self.0 -= n;
            Ok(n)
        }
    }
    for format in [AlertFileFormat::Ndjson, AlertFileFormat::Json, AlertFileFormat::Csv] {
        let error =
            read_alerts(Failing(10), format, &mut |_| ControlFlow::Continue(()), &mut |_| ControlFlow::Continue(()))
                .unwrap_err();
        assert_eq!(error.code(), "storage", "{format:?}");
        assert!(error.to_string().contains("connection reset"), "{format:?}: {error}");
    }

    // A compressed file read as CSV is refused as a whole rather than as rows without an id.
    let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xfe,\x00\n";
    let error = read_bytes(gzip, detect_format(Path::new("data.json.gz"), gzip)).unwrap_err();
    assert_eq!(error.code(), "validation");
    assert!(error.to_string().contains("not a CSV text file"), "{error}");
}

/// A realistic ~1 KB alert as one line of JSON, varied by `n`. Written with `format!` rather than
/// `json!`, which is slow in debug builds.
fn generated_alert(n: usize) -> String {
    let (rule, rule_name) = [
        (SSH_RULE, "Potential SSH Brute Force Detected"),
        (POWERSHELL_RULE, "Suspicious PowerShell Encoded Command"),
        (INTEL_RULE, "Threat Intel Indicator Match"),
    ][n % 3];
    let severity = ["low", "medium", "high", "critical"][n % 4];
    let (day, host, octet) = (1 + n % 28, n % 500, n % 250);
    format!(
        r#"{{"@timestamp":"2025-03-{day:02}T{:02}:{:02}:{:02}.{:03}Z","kibana.alert.uuid":"00000000-0000-4000-8000-{n:012}","#,
        n % 24,
        n % 60,
        (n / 60) % 60,
        n % 1000
    ) + &format!(
        r#""kibana.alert.rule.uuid":"{rule}","kibana.alert.rule.name":"{rule_name}","kibana.alert.severity":"{severity}","kibana.alert.risk_score":{}.5,"kibana.alert.workflow_status":"open","kibana.alert.reason":"process event with process powershell.exe, by user{n} on host-{host} created an alert.","kibana.alert.original_time":"2025-03-{day:02}T00:00:00.000Z","kibana.alert.ancestors":[{{"id":"evt-{n}","type":"event","index":"logs-endpoint.events.process-default","depth":0}}],"kibana.space_ids":["default"],"event.kind":"signal","host":{{"name":"host-{host}","ip":["192.0.2.{octet}","2001:db8::1"],"os":{{"family":"windows"}}}},"user":{{"name":"user{n}","domain":"CORP"}},"source":{{"ip":"198.51.100.{octet}","port":{}}},"destination":{{"ip":"2001:db8::10","port":443}},"process":{{"name":"powershell.exe","pid":{n},"args":["powershell.exe","-enc","SQBFAFgA"],"hash":{{"md5":"{n:032x}","sha256":"{n:064x}"}}}}}}"#,
        n % 100,
        40_000 + n % 20_000
    )
}

fn generated_ndjson(count: usize) -> Vec<u8> {
    (0..count).map(|n| generated_alert(n) + "\n").collect::<String>().into_bytes()
}

fn generated_array(count: usize) -> Vec<u8> {
    format!("[{}]", (0..count).map(generated_alert).collect::<Vec<_>>().join(",\n")).into_bytes()
}

fn generated_csv(count: usize) -> Vec<u8> {
    let mut out = b"_id,@timestamp,kibana.alert.rule.name,host.name,source.ip\n".to_vec();
    for n in 0..count {
        out.extend(
            format!("id-{n},\"Mar 3, 2025 @ 14:21:07.512\",Some rule,host-{n},\"192.0.2.1, 192.0.2.2\"\n").bytes(),
        );
    }
    out
}

#[test]
fn a_generated_five_thousand_alert_stream_parses() {
    let bytes = generated_ndjson(5_000);
    let out = read_bytes(&bytes, AlertFileFormat::Ndjson).unwrap();
    assert!(out.finished && out.issues.is_empty());
    assert_eq!(out.alerts.len(), 5_000);
    assert_eq!(out.alerts[4_999].alert_id, "00000000-0000-4000-8000-000000004999");
    assert_eq!(out.alerts[4_999].summary.host.as_deref(), Some("host-499"));
    let ids: std::collections::HashSet<_> = out.ids().into_iter().collect();
    assert_eq!(ids.len(), 5_000);
    // Progress is reported about every megabyte and ends at the total.
    assert!(out.progress.len() >= (bytes.len() / 1_100_000), "{:?}", out.progress);
    assert!(out.progress.windows(2).all(|w| w[0] <= w[1] && w[1] - w[0] <= 1_100_000), "{:?}", out.progress);
    assert_eq!(out.progress.last(), Some(&(bytes.len() as u64)));

    let array = generated_array(2_000);
    let out = read_bytes(&array, AlertFileFormat::Json).unwrap();
    assert!(out.finished && out.issues.is_empty());
    assert_eq!(out.alerts.len(), 2_000);
    assert_eq!(out.alerts[1_999].document_number, 2_000);
    assert_eq!(out.alerts[1_999].summary.risk_score, Some(99.5));
    assert!(out.progress.windows(2).all(|w| w[1] - w[0] <= 1_100_000), "{:?}", out.progress);
    assert_eq!(out.progress.last(), Some(&(array.len() as u64)));
}

/// Counts the items a read delivers before it stops.
fn read_until(bytes: &[u8], format: AlertFileFormat, item_limit: usize, progress_limit: usize) -> (bool, usize) {
    let (mut items, mut reports) = (0, 0);
    let finished = read_alerts(
        bytes,
        format,
        &mut |_| {
            items += 1;
            if items >= item_limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        },
        &mut |_| {
            reports += 1;
            if reports >= progress_limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        },
    )
    .unwrap();
    (finished, items)
}

#[test]
fn cancelling_stops_reading_and_says_so() {
    let inputs = [
        (generated_ndjson(2_000), AlertFileFormat::Ndjson, 2_000),
        (generated_array(2_000), AlertFileFormat::Json, 2_000),
        (generated_csv(30_000), AlertFileFormat::Csv, 30_000),
    ];
    for (bytes, format, total) in &inputs {
        assert!(bytes.len() > 2_000_000, "{format:?} input is big enough to report progress mid-way");
        // Break from the first progress report (after about a megabyte).
        let (finished, items) = read_until(bytes, *format, usize::MAX, 1);
        assert!(!finished, "{format:?}");
        assert!(items > 0 && items < total / 2, "{format:?}: {items} items before the cancel");
        // Break from an item.
        assert_eq!(read_until(bytes, *format, 3, usize::MAX), (false, 3), "{format:?}");
    }
}

#[test]
fn progress_is_reported_for_slow_readers_too() {
    /// Hands out at most 7 bytes per read, as a pipe might.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    for name in ["modern.ndjson", "search-source.json", "discover.csv"] {
        let bytes = std::fs::read(path(name)).unwrap();
        let format = detect_format(&path(name), &bytes);
        let (mut alerts, mut last) = (0, 0);
        let finished = read_alerts(
            Trickle(&bytes),
            format,
            &mut |item| {
                alerts += usize::from(item.is_ok());
                ControlFlow::Continue(())
            },
            &mut |consumed| {
                last = consumed;
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert!(finished);
        assert_eq!(alerts, read_fixture(name).alerts.len(), "{name}");
        assert_eq!(last, bytes.len() as u64, "{name}");
    }
}

#[test]
fn every_fixture_is_recognised_without_its_extension() {
    let cases = [
        ("modern.ndjson", AlertFileFormat::Ndjson),
        ("legacy-signals.ndjson", AlertFileFormat::Ndjson),
        ("broken-lines.ndjson", AlertFileFormat::Ndjson),
        ("flyout-fields.json", AlertFileFormat::Json),
        ("search-source.json", AlertFileFormat::Json),
        ("search-fields.json", AlertFileFormat::Json),
        ("array.json", AlertFileFormat::Json),
        ("single.json", AlertFileFormat::Json),
        ("es-archiver.json", AlertFileFormat::Json),
        ("discover.csv", AlertFileFormat::Csv),
    ];
    for (name, format) in cases {
        let bytes = std::fs::read(path(name)).unwrap();
        let head = &bytes[..bytes.len().min(4096)];
        assert_eq!(detect_format(Path::new("download"), head), format, "{name}");
        assert_eq!(detect_format(&path(name), head), format, "{name}");
    }
}

/// This thread's CPU time where Linux tells it, so a timing on a busy machine still means something.
fn thread_cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(std::time::Duration::from_nanos(stat.split_whitespace().next()?.parse().ok()?))
}

/// Release-mode throughput: `cargo test --release -p casebook-core --test alert_parse -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run by hand in release mode"]
fn throughput_of_one_hundred_thousand_alerts() {
    let ndjson = generated_ndjson(100_000);
    let array = generated_array(100_000);
    for (bytes, format) in [(&ndjson, AlertFileFormat::Ndjson), (&array, AlertFileFormat::Json)] {
        let (start, cpu_start) = (std::time::Instant::now(), thread_cpu_time());
        let mut count = 0;
        read_alerts(
            &bytes[..],
            format,
            &mut |item| {
                count += usize::from(item.is_ok());
                ControlFlow::Continue(())
            },
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap();
        let elapsed = start.elapsed();
        let cpu =
            thread_cpu_time().zip(cpu_start).map_or("unknown".into(), |(end, start)| format!("{:.2?}", end - start));
        assert_eq!(count, 100_000);
        println!(
            "{format:?}: {count} alerts, {:.1} MB in {elapsed:.2?} ({:.0} MB/s), CPU {cpu}",
            bytes.len() as f64 / 1e6,
            bytes.len() as f64 / 1e6 / elapsed.as_secs_f64()
        );
    }
}

// Genuine Kibana exports (../shared/fixtures/real): real.rs.
mod real;
