//! The rows of `sys_choice` (the choice lists of task, incident and sn_si_incident) and of
//! `sys_dictionary` the fake serves.

use serde_json::{Map, Value, json};

fn row(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()
}

/// `sys_choice` rows: `(table, element, value, label, dependent_value)`.
pub(super) fn choices() -> Vec<Map<String, Value>> {
    let data: &[(&str, &str, &str, &str, &str)] = &[
        ("task", "urgency", "1", "High", ""),
        ("task", "urgency", "2", "Medium", ""),
        ("task", "urgency", "3", "Low", ""),
        ("task", "impact", "1", "High", ""),
        ("task", "impact", "2", "Medium", ""),
        ("task", "impact", "3", "Low", ""),
        ("task", "priority", "1", "Critical", ""),
        ("task", "priority", "2", "High", ""),
        ("task", "priority", "3", "Moderate", ""),
        ("task", "priority", "4", "Low", ""),
        ("incident", "severity", "1", "High", ""),
        ("incident", "severity", "2", "Medium", ""),
        ("incident", "severity", "3", "Low", ""),
        ("incident", "category", "software", "Software", ""),
        ("incident", "category", "network", "Network", ""),
        ("incident", "category", "inquiry", "Inquiry / Help", ""),
        ("incident", "subcategory", "email", "Email", "software"),
        ("incident", "subcategory", "os", "Operating System", "software"),
        ("incident", "subcategory", "dns", "DNS", "network"),
        ("incident", "subcategory", "vpn", "VPN", "network"),
        ("incident", "subcategory", "antivirus", "Antivirus", "inquiry"),
        ("sn_si_incident", "category", "malware", "Malware", ""),
        ("sn_si_incident", "category", "phishing", "Phishing", ""),
        ("sn_si_incident", "subcategory", "ransomware", "Ransomware", "malware"),
        ("sn_si_incident", "subcategory", "trojan", "Trojan", "malware"),
        ("sn_si_incident", "subcategory", "spear_phishing", "Spear phishing", "phishing"),
    ];
    data.iter()
        .enumerate()
        .map(|(i, &(name, element, value, label, dependent))| {
            let sequence = (i % 5).to_string();
            let sys_id = format!("{:032x}", 0x00c0_ffee_0000_u64 + i as u64);
            row(&[
                ("sys_id", sys_id.as_str()),
                ("name", name),
                ("element", element),
                ("value", value),
                ("label", label),
                ("dependent_value", dependent),
                ("language", "en"),
                ("inactive", "false"),
                ("sequence", sequence.as_str()),
            ])
        })
        .collect()
}

/// `sys_dictionary` rows for the string columns Kibana lists.
pub(super) fn dictionary() -> Vec<Map<String, Value>> {
    let data: &[(&str, &str, &str, &str, &str)] = &[
        ("task", "short_description", "Short description", "160", "false"),
        ("task", "description", "Description", "4000", "false"),
        ("task", "correlation_id", "Correlation ID", "100", "false"),
        ("task", "correlation_display", "Correlation display", "100", "false"),
        ("incident", "close_notes", "Resolution notes", "4000", "false"),
        ("sn_si_incident", "close_notes", "Close notes", "4000", "false"),
    ];
    data.iter()
        .map(|&(name, element, label, max_length, mandatory)| {
            row(&[
                ("name", name),
                ("element", element),
                ("column_label", label),
                ("max_length", max_length),
                ("mandatory", mandatory),
                ("internal_type", "string"),
                ("active", "true"),
                ("array", "false"),
                ("read_only", "false"),
            ])
        })
        .collect()
}
