//! Vocabulary, tags, people.

use std::collections::HashSet;

use casebook_core::model::User;

use super::SEED;
use super::random::Rng;

const FUNCTION_WORDS: &str = "the of and to a in is that for it was on with as be by this at from or an are have has not \
    were been but which they their will can its all there more also when one about after into over had would what no \
    other some such than then these only may could should out up our we he she his her them who did do does new before \
    under between during while where because through each any both same very most just";

/// Security terms in rank order: the first ones are among the most frequent words.
/// `suspicious`, `login` and `activity` land at Zipf ranks ~58–64 (each in roughly a quarter of
/// the case documents), as in the reference data.
const SECURITY_TERMS: &str = "alert user host account email server network endpoint malware process password file \
    access detected suspicious login blocked activity attempt domain traffic incident connection phishing credential \
    session token attack threat failed source destination address review analyst investigation observed outbound \
    inbound request response policy rule detection signature anomaly baseline indicator compromise hash attachment link \
    url download dropper trojan worm virus backdoor rootkit keylogger spyware botnet ddos scan port ssh rdp vpn smb dns \
    http https tls certificate cookie mfa okta azure aws gcp cloud bucket storage registry powershell script macro binary \
    executable dll injection memory kernel driver service scheduled task cron shell bash cmd mimikatz cobalt strike \
    empire metasploit sliver implant c2 ioc ttp mitre tactic technique sigma yara snort suricata zeek splunk elastic siem \
    edr xdr soc triage containment eradication recovery remediation isolation quarantine allowlist denylist packet flow \
    proxy gateway router switch subnet ip geolocation tor anonymizer spoofing impersonation bec invoice wire transfer \
    fraud insider leak disclosure breach encryption decryption key ransom ransomware note extortion backup snapshot \
    restore wiper destructive supply chain dependency package update patch cve zero day misconfiguration exposure public \
    s3 iam role permission admin root sudo escalated elevated guest anonymous enumeration kerberos kerberoasting ntlm \
    relay ticket golden silver controller directory ldap group membership logon logoff success lockout reset mailbox \
    forwarding oauth consent grant application tenant subscription workload container kubernetes pod docker image node \
    cluster namespace secret vault api webhook lambda function serverless database sql xss csrf deserialization rce lfi \
    traversal upload webshell apache nginx iis tomcat jenkins gitlab github repository commit pipeline build artifact \
    laptop workstation mobile android ios usb removable media printer camera iot scada plc ics firmware bios uefi bootkit \
    tamper disable antivirus defender sysmon audit retention forensic timeline dump disk evidence custody escalation \
    handoff severity priority sla playbook runbook automation soar enrichment reputation virustotal sandbox detonation \
    verdict benign malicious false positive lateral movement privilege exploit vulnerability payload beacon command \
    control exfiltration persistence execution discovery reconnaissance brute force attacker actor";

const WORDS: usize = 5_000;

/// 5 000 words in Zipf rank order: 30 function words, then security terms alternating with
/// the other function words, then security terms every third rank among pseudo-words.
pub(crate) fn vocabulary() -> Vec<String> {
    let func: Vec<&str> = FUNCTION_WORDS.split_whitespace().collect();
    let mut seen: HashSet<String> = HashSet::new();
    let sec: Vec<&str> =
        SECURITY_TERMS.split_whitespace().filter(|w| !func.contains(w) && seen.insert((*w).to_string())).collect();
    let mut seen: HashSet<String> = func.iter().chain(sec.iter()).map(|w| (*w).to_string()).collect();
    let mut rng = Rng(SEED ^ 0x005E_ED0F_57AB);
    let onsets = [
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "st", "gr", "tr",
        "pl", "ch", "sh", "qu", "br", "cr", "dr", "fl", "sn",
    ];
    let vowels = ["a", "e", "i", "o", "u", "ou", "ia", "ee", "oa", "ai", "io", "y"];
    let codas = ["", "", "", "n", "r", "s", "ck", "t", "l", "m", "x", "nd"];
    let mut pseudo = Vec::new();
    while pseudo.len() < WORDS - func.len() - sec.len() {
        let syllables = rng.range(2, 3);
        let mut w = String::new();
        for _ in 0..syllables {
            w.push_str(onsets[rng.below(onsets.len() as u64) as usize]);
            w.push_str(vowels[rng.below(vowels.len() as u64) as usize]);
            w.push_str(codas[rng.below(codas.len() as u64) as usize]);
        }
        if !w.starts_with("srv") && seen.insert(w.clone()) {
            pseudo.push(w);
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(WORDS);
    let (mut f, mut s, mut p) = (func.iter(), sec.iter(), pseudo.into_iter());
    out.extend(f.by_ref().take(30).map(|w| (*w).to_string()));
    loop {
        match (s.next(), f.next()) {
            (Some(a), Some(b)) => {
                out.push((*a).to_string());
                out.push((*b).to_string());
            }
            (Some(a), None) => {
                out.push((*a).to_string());
                break;
            }
            (None, Some(b)) => out.push((*b).to_string()),
            (None, None) => break,
        }
    }
    for a in s {
        out.push((*a).to_string());
        out.extend(p.by_ref().take(2));
    }
    out.extend(p);
    assert_eq!(out.len(), WORDS);
    out
}

/// 300 tags in Zipf rank order: `phishing` first (on ~40% of cases), `okta` 11th (~4.5%).
pub(crate) fn tag_names() -> Vec<String> {
    let named = "phishing malware credential-access suspicious-login endpoint lateral-movement ransomware \
        data-exfiltration insider-threat privilege-escalation okta aws azure gcp o365 bec brute-force c2 dns \
        persistence powershell vpn mfa-fatigue supply-chain web-attack vulnerability false-positive needs-triage \
        escalated customer-impact pci hipaa gdpr vip executive after-hours threat-intel ioc sigma yara";
    let mut out: Vec<String> = named.split_whitespace().map(str::to_string).collect();
    let mut n = 1001;
    while out.len() < 300 {
        out.push(format!("mitre-t{n}"));
        n += 7;
    }
    out
}

pub(crate) const CATEGORIES: [&str; 10] = [
    "Malware",
    "Phishing",
    "Account compromise",
    "Data loss",
    "Denial of service",
    "Insider",
    "Vulnerability",
    "Policy violation",
    "Cloud",
    "Network",
];

pub(crate) fn teammates() -> Vec<User> {
    let first =
        ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Robin", "Drew"];
    let last = ["Kim", "Novak", "Okafor", "Silva", "Berg", "Tanaka", "Moreau", "Haddad", "Kowalski", "Reyes"];
    (0..24)
        .map(|i| {
            let username = format!("analyst{:02}", i + 1);
            User {
                email: Some(format!("{username}@example.com")),
                full_name: Some(format!("{} {}", first[i % first.len()], last[(i * 7) % last.len()])),
                username,
                profile_uid: None,
            }
        })
        .collect()
}
