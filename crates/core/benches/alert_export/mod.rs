//! The synthetic Elastic Security alert export shared by the `alerts` and `busy` benchmarks:
//! seeded, ~1 KB an alert, modern documents mixing dotted `kibana.alert.*` keys with nested
//! ECS, written once to `<dir>/alerts-<n>-v1.ndjson`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

#[path = "../../tests/support/rng.rs"]
#[allow(dead_code)] // only the generator is used here
mod rng;

const RULES: &[&str] = &[
    "Brute force login attempts",
    "Suspicious PowerShell execution",
    "Malware detected - file quarantined",
    "Outbound connection to known C2",
    "Credential dumping via LSASS access",
    "Unusual parent-child process",
    "DNS tunneling",
    "New admin account created",
];

/// The cached export of `n` alerts.
pub fn export(n: u64, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("bench-data folder");
    let path = dir.join(format!("alerts-{n}-v1.ndjson"));
    if path.exists() {
        return path;
    }
    let tmp = path.with_extension("partial");
    let mut out = BufWriter::new(std::fs::File::create(&tmp).expect("create the export"));
    let mut r = rng::Rng(0xA1E27);
    for i in 0..n {
        let rule = RULES[r.below(RULES.len() as u64) as usize];
        let severity = ["low", "medium", "high", "critical"][r.below(4) as usize];
        let host = format!("host-{:04}", r.below(500));
        let user = format!("user{:03}", r.below(300));
        let minute = r.below(60 * 24 * 30);
        let time =
            chrono::DateTime::from_timestamp(1_772_000_000 + minute as i64 * 60, 0).unwrap_or_default().to_rfc3339();
        let doc = json!({
            "@timestamp": time,
            "kibana.alert.uuid": format!("{:016x}{:016x}", r.next(), i),
            "kibana.alert.rule.name": rule,
            "kibana.alert.rule.uuid": format!("rule-{}", rule.len()),
            "kibana.alert.rule.rule_id": format!("rule-{}", rule.len()),
            "kibana.alert.severity": severity,
            "kibana.alert.risk_score": r.below(100),
            "kibana.alert.workflow_status": "open",
            "kibana.alert.status": "active",
            "kibana.alert.original_time": time,
            "kibana.alert.reason": format!("process event with process powershell.exe, by {user} on {host} created {severity} alert {rule}."),
            "kibana.space_ids": ["default"],
            "event": { "kind": "signal", "category": ["process"], "type": ["start"], "action": "exec" },
            "host": { "name": host, "os": { "family": "windows", "version": "10.0" }, "ip": [format!("10.{}.{}.{}", r.below(255), r.below(255), r.below(255))] },
            "user": { "name": user, "domain": "CORP" },
            "source": { "ip": format!("198.51.100.{}", r.below(255)), "port": r.below(65535) },
            "destination": { "ip": format!("203.0.113.{}", r.below(255)), "port": 443 },
            "process": { "name": "powershell.exe", "pid": r.below(60000), "command_line": "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA", "hash": { "sha256": format!("{:016x}{:016x}{:016x}{:016x}", r.next(), r.next(), r.next(), r.next()) } },
            "agent": { "type": "endpoint", "version": "9.2.0" },
        });
        writeln!(out, "{doc}").expect("write the export");
    }
    out.flush().expect("flush the export");
    drop(out);
    std::fs::rename(&tmp, &path).expect("move the export in place");
    path
}
