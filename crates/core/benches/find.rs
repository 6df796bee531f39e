//! The case list at scale: 1 000 000 cases and about 3 000 000 comments, shaped like the data of
//! `shared/reference/sqlite-performance.md` (10 spaces, `default` holding 40%; status
//! 15/10/75% open/in-progress/closed; severity 45/30/17/8%; 1–5 Zipf tags from 300; Poisson(3)
//! comments per case; Zipf text over ~5 000 words; one `srvNNNNN` host token per description).
//!
//! The database is built once with bulk SQL on Casebook's own schema and cached in
//! `target/bench-data/`; later runs reuse it. `CASEBOOK_BENCH_CASES` scales it (default
//! 1 000 000; each size has its own file). Timings go through the public API only:
//! `Casebook::find_cases` and `Casebook::case_stats`.
//!
//! ```text
//! cargo bench -p casebook-core --bench find
//! CASEBOOK_BENCH_CASES=20000 cargo bench -p casebook-core --bench find
//! ```

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use casebook_core::Casebook;
use casebook_core::model::{
    Assignee, CaseConnector, CaseSettings, DEFAULT_OWNER, FindQuery, Severity, SortField, SortOrder, Status, User,
};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use rusqlite::{Connection, params};

/// Bump when the generator changes, so a cached database of the old shape is not reused.
const GENERATOR_VERSION: u32 = 3;
const SEED: u64 = 0x0CA5_EB00_C0FF_EE01;
const SPACES: usize = 10;
/// 2025-06-01T00:00:00Z: the newest case is created just before this.
const NOW_MS: i64 = 1_748_736_000_000;
/// Cases were created over the three years before `NOW_MS`.
const SPAN_MS: i64 = 3 * 365 * 24 * 3_600_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// SplitMix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn for_case(id: i64) -> Self {
        let mut r = Rng(SEED ^ (id as u64).wrapping_mul(0xD134_2543_DE82_EF95));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi] (inclusive).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Log-uniform in [lo, hi).
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }

    /// Poisson(λ) by Knuth's method (λ is small here).
    fn poisson(&mut self, lambda: f64) -> u32 {
        let l = (-lambda).exp();
        let mut k = 0;
        let mut p = 1.0;
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }

    fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        uuid::Builder::from_random_bytes(b).into_uuid().hyphenated().to_string()
    }
}

/// Zipf sampling in O(1): a quantized inverse CDF with 2^20 slots.
struct Zipf {
    table: Vec<u16>,
}

impl Zipf {
    const BITS: u32 = 20;

    fn new(n: usize, s: f64) -> Self {
        let weights: Vec<f64> = (1..=n).map(|r| 1.0 / (r as f64).powf(s)).collect();
        let total: f64 = weights.iter().sum();
        let slots = 1usize << Self::BITS;
        let mut table = Vec::with_capacity(slots);
        let (mut rank, mut cdf) = (0usize, weights[0] / total);
        for i in 0..slots {
            let u = (i as f64 + 0.5) / slots as f64;
            while u > cdf && rank + 1 < n {
                rank += 1;
                cdf += weights[rank] / total;
            }
            table.push(rank as u16);
        }
        Zipf { table }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        usize::from(self.table[(rng.next() >> (64 - Self::BITS)) as usize])
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary, tags, people

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
fn vocabulary() -> Vec<String> {
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
fn tag_names() -> Vec<String> {
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

const CATEGORIES: [&str; 10] = [
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

fn teammates() -> Vec<User> {
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

// ---------------------------------------------------------------------------------------------
// One generated case

struct Gen {
    words: Vec<String>,
    word_zipf: Zipf,
    tags: Vec<String>,
    tag_zipf: Zipf,
    users: Vec<User>,
    users_json: Vec<String>,
    n: i64,
}

struct GenComment {
    uuid: String,
    body: String,
    created_at: i64,
    created_by: usize,
}

struct GenCase {
    uuid: String,
    space: usize,
    title: String,
    description: String,
    host: String,
    tags: Vec<usize>,
    severity: i64,
    status: i64,
    assignees: Vec<usize>,
    category: Option<&'static str>,
    created_at: i64,
    created_by: usize,
    updated_at: Option<i64>,
    updated_by: Option<usize>,
    closed_at: Option<i64>,
    closed_by: Option<usize>,
    in_progress_at: Option<i64>,
    duration: Option<i64>,
    time_to_acknowledge: Option<i64>,
    time_to_investigate: Option<i64>,
    time_to_resolve: Option<i64>,
    version: i64,
    comments: Vec<GenComment>,
}

impl Gen {
    fn new(n: i64) -> Self {
        let words = vocabulary();
        let tags = tag_names();
        let users = teammates();
        let users_json = users.iter().map(|u| serde_json::to_string(u).expect("user json")).collect();
        Gen {
            word_zipf: Zipf::new(words.len(), 1.0),
            words,
            tag_zipf: Zipf::new(tags.len(), 1.0),
            tags,
            users,
            users_json,
            n,
        }
    }

    fn text(&self, rng: &mut Rng, out: &mut String, words: u64, capitalize: bool) {
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            let w = &self.words[self.word_zipf.sample(rng)];
            if i == 0 && capitalize {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push_str(w);
            }
        }
    }

    /// The whole case with id `id` (1-based). Deterministic: the same id gives the same case.
    fn case(&self, id: i64) -> GenCase {
        let mut rng = Rng::for_case(id);
        let space = if rng.unit() < 0.4 { 0 } else { 1 + rng.below(SPACES as u64 - 1) as usize };
        let u = rng.unit();
        let status = if u < 0.15 {
            0
        } else if u < 0.25 {
            1
        } else {
            2
        };
        let u = rng.unit();
        let severity = if u < 0.45 {
            0
        } else if u < 0.75 {
            1
        } else if u < 0.92 {
            2
        } else {
            3
        };
        let ntags = rng.range(1, 5) as usize;
        let mut tags = Vec::with_capacity(ntags);
        while tags.len() < ntags {
            let t = self.tag_zipf.sample(&mut rng);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let category =
            if rng.unit() < 0.4 { Some(CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize]) } else { None };
        let nassign = [0, 1, 1, 1, 2][rng.below(5) as usize];
        let mut assignees = Vec::new();
        while assignees.len() < nassign {
            let a = rng.below(self.users.len() as u64) as usize;
            if !assignees.contains(&a) {
                assignees.push(a);
            }
        }
        let created_by = rng.below(self.users.len() as u64) as usize;

        // Cases arrive at a steady rate over three years, in id order.
        let step = SPAN_MS / self.n.max(1);
        let created_at = NOW_MS - SPAN_MS + (id - 1) * step + rng.below(step.max(1) as u64) as i64;
        let age = NOW_MS - created_at;
        let (mut closed_at, mut duration, mut in_progress_at) = (None, None, None);
        let (mut tta, mut tti, mut ttr) = (None, None, None);
        // The last moment something happened to the case.
        let active_until = match status {
            2 => {
                let d = (rng.log_uniform(300_000.0, 60.0 * DAY_MS as f64) as i64).min(age.max(2) - 1);
                let closed = created_at + d.max(1);
                if rng.unit() < 0.6 {
                    let ip = created_at + ((closed - created_at) as f64 * rng.unit() * 0.5) as i64;
                    in_progress_at = Some(ip);
                    tta = Some((ip - created_at) / 1000);
                    tti = Some((closed - ip) / 1000);
                } else {
                    tta = Some((closed - created_at) / 1000);
                    tti = Some(0);
                }
                closed_at = Some(closed);
                duration = Some((closed - created_at) / 1000);
                ttr = duration;
                closed
            }
            1 => {
                let ip = created_at + (rng.log_uniform(60_000.0, 3.0 * DAY_MS as f64) as i64).min(age / 2);
                in_progress_at = Some(ip);
                tta = Some((ip - created_at) / 1000);
                (ip + rng.log_uniform(HOUR_MS as f64, 30.0 * DAY_MS as f64) as i64).min(NOW_MS - 1)
            }
            _ => (created_at + rng.log_uniform(HOUR_MS as f64, 30.0 * DAY_MS as f64) as i64).min(NOW_MS - 1),
        };
        let active_until = active_until.max(created_at + 1);

        let mut title = String::with_capacity(80);
        let title_words = rng.range(5, 11);
        self.text(&mut rng, &mut title, title_words, true);
        let host = format!("srv{:05}", rng.below(100_000));
        let mut description = String::with_capacity(600);
        let desc_words = rng.range(30, 90);
        let host_at = rng.below(desc_words);
        for i in 0..desc_words {
            if i > 0 {
                description.push(' ');
            }
            if i == host_at {
                description.push_str(&host);
                description.push(' ');
            }
            self.text(&mut rng, &mut description, 1, i == 0);
        }
        description.push('.');

        let ncomments = rng.poisson(3.0);
        let mut times: Vec<i64> =
            (0..ncomments).map(|_| created_at + rng.below((active_until - created_at) as u64) as i64).collect();
        times.sort_unstable();
        let mut comments = Vec::with_capacity(times.len());
        for t in times {
            let mut body = String::with_capacity(300);
            let n = rng.range(10, 50);
            self.text(&mut rng, &mut body, n, true);
            body.push('.');
            comments.push(GenComment {
                uuid: rng.uuid(),
                body,
                created_at: t,
                created_by: rng.below(self.users.len() as u64) as usize,
            });
        }

        // Updated by the last comment, status change or edit; some untouched open cases never were.
        let mut updated_at =
            [comments.last().map(|c| c.created_at), closed_at, in_progress_at].into_iter().flatten().max();
        if updated_at.is_none() && rng.unit() < 0.5 {
            updated_at = Some(created_at + rng.below((active_until - created_at) as u64) as i64);
        }
        let updated_by = updated_at.map(|_| rng.below(self.users.len() as u64) as usize);
        let closed_by = closed_at.map(|_| rng.below(self.users.len() as u64) as usize);
        let version = 1 + i64::from(in_progress_at.is_some()) + i64::from(closed_at.is_some()) + rng.below(3) as i64;
        GenCase {
            uuid: rng.uuid(),
            space,
            title,
            description,
            host,
            tags,
            severity,
            status,
            assignees,
            category,
            created_at,
            created_by,
            updated_at,
            updated_by,
            closed_at,
            closed_by,
            in_progress_at,
            duration,
            time_to_acknowledge: tta,
            time_to_investigate: tti,
            time_to_resolve: ttr,
            version,
            comments,
        }
    }
}

fn space_name(i: usize) -> String {
    if i == 0 { "default".into() } else { format!("space-{i}") }
}

// ---------------------------------------------------------------------------------------------
// Building the database

fn target_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => workspace.join(d),
        None => workspace.join("target"),
    }
}

/// `1m`, `20k`, or the plain number.
fn size_label(n: i64) -> String {
    match n {
        n if n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

fn db_path(n: i64) -> PathBuf {
    target_dir().join("bench-data").join(format!("cases-{}-v{GENERATOR_VERSION}.db", size_label(n)))
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Opens the cached database if it is complete, else builds it.
fn prepare(n: i64) -> (Casebook, Gen) {
    let gen_ = Gen::new(n);
    let path = db_path(n);
    if path.exists() {
        let book = Casebook::open(&path).expect("open cached bench database");
        let (cases, comments, total): (i64, i64, i64) = book.with_connection(|c| {
            c.query_row("SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM comments), (SELECT sum(total_comment) FROM cases)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?.unwrap_or(0)))
            })
            .expect("count rows")
        });
        if cases == n && comments == total {
            println!("reusing {} ({cases} cases, {comments} comments, {:.2} GB)", path.display(), file_gb(&path));
            return (book, gen_);
        }
        println!("{} is incomplete ({cases} cases): rebuilding", path.display());
        drop(book);
        remove_db(&path);
    }
    let tmp = path.with_extension("db.partial");
    remove_db(&tmp);
    let started = Instant::now();
    {
        let book = Casebook::open(&tmp).expect("create bench database");
        book.with_connection(|c| build(c, &gen_)).expect("build bench database");
    }
    std::fs::rename(&tmp, &path).expect("move the built database in place");
    println!("built {} in {:.1} s ({:.2} GB)", path.display(), started.elapsed().as_secs_f64(), file_gb(&path));
    (Casebook::open(&path).expect("open built bench database"), gen_)
}

fn file_gb(p: &Path) -> f64 {
    std::fs::metadata(p).map(|m| m.len() as f64 / 1e9).unwrap_or(0.0)
}

fn phase(name: &str, t: &mut Instant) {
    println!("  {name}: {:.1} s", t.elapsed().as_secs_f64());
    *t = Instant::now();
}

/// Bulk-loads `gen_.n` cases into a freshly migrated database, keeping every table consistent:
/// cases (JSON columns as the core writes them), case_tags, case_assignees, comments
/// (total_comment matches), cases_fts (one document per case), spaces and users.
fn build(c: &mut Connection, gen_: &Gen) -> rusqlite::Result<()> {
    let n = gen_.n;
    // Bulk-load settings: no journal (a failed build leaves only the `.partial` file), big cache.
    c.execute_batch(
        "PRAGMA foreign_keys = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA cache_size = -2000000;
         PRAGMA temp_store = MEMORY;
         PRAGMA threads = 2;",
    )?;
    let mode: String = c.query_row("PRAGMA journal_mode = OFF", [], |r| r.get(0))?;
    assert_eq!(mode, "off");
    let mut t = Instant::now();
    let tx = c.transaction()?;

    // Indexes go now and come back after the load, from the migration's own SQL text.
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ('cases', 'case_tags', 'case_assignees', 'comments') ORDER BY rowid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }

    for i in 1..SPACES {
        tx.execute(
            "INSERT INTO spaces (name, created_at) VALUES (?1, ?2)",
            (space_name(i), NOW_MS - SPAN_MS - DAY_MS),
        )?;
    }
    let space_ids: Vec<i64> = (0..SPACES)
        .map(|i| tx.query_row("SELECT id FROM spaces WHERE name = ?1", [space_name(i)], |r| r.get(0)))
        .collect::<rusqlite::Result<_>>()?;
    for u in &gen_.users {
        tx.execute(
            "INSERT OR IGNORE INTO users (username, full_name, email, created_at) VALUES (?1, ?2, ?3, ?4)",
            (&u.username, &u.full_name, &u.email, NOW_MS - SPAN_MS - DAY_MS),
        )?;
    }

    let settings = serde_json::to_string(&CaseSettings::default()).expect("settings json");
    let connector = serde_json::to_string(&CaseConnector::default()).expect("connector json");
    let mut next_number = [0i64; SPACES];
    let mut case_space: Vec<u8> = vec![0; n as usize + 1];
    let mut comment_rows = 0u64;
    {
        let mut ins_case = tx.prepare(
            "INSERT INTO cases (id, uuid, space_id, incremental_id, title, description, tags, severity, status, assignees,
                category, custom_fields, settings, owner, connector, external_service, created_at, created_by, reporter,
                updated_at, updated_by, closed_at, closed_by, in_progress_at, duration, time_to_acknowledge,
                time_to_investigate, time_to_resolve, total_comment, total_alerts, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '[]', ?12, ?13, ?14, NULL, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, 0, ?28)",
        )?;
        let mut ins_tag = tx.prepare(
            "INSERT INTO case_tags (case_id, tag, space_id, status, severity, duration) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut ins_assignee = tx.prepare(
            "INSERT INTO case_assignees (case_id, uid, space_id, status, severity, duration) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut ins_comment = tx.prepare(
            "INSERT INTO comments (uuid, case_id, body, owner, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for id in 1..=n {
            let k = gen_.case(id);
            case_space[id as usize] = k.space as u8;
            next_number[k.space] += 1;
            let tags: Vec<&str> = k.tags.iter().map(|&t| gen_.tags[t].as_str()).collect();
            let assignees: Vec<Assignee> =
                k.assignees.iter().map(|&a| Assignee { uid: gen_.users[a].username.clone() }).collect();
            let user_json = |u: Option<usize>| u.map(|u| gen_.users_json[u].as_str());
            ins_case.execute(params![
                id,
                k.uuid,
                space_ids[k.space],
                next_number[k.space],
                k.title,
                k.description,
                serde_json::to_string(&tags).expect("tags json"),
                k.severity,
                k.status,
                serde_json::to_string(&assignees).expect("assignees json"),
                k.category,
                settings,
                DEFAULT_OWNER,
                connector,
                k.created_at,
                gen_.users_json[k.created_by],
                gen_.users[k.created_by].username,
                k.updated_at,
                user_json(k.updated_by),
                k.closed_at,
                user_json(k.closed_by),
                k.in_progress_at,
                k.duration,
                k.time_to_acknowledge,
                k.time_to_investigate,
                k.time_to_resolve,
                k.comments.len() as i64,
                k.version,
            ])?;
            for t in &tags {
                ins_tag.execute((id, t, space_ids[k.space], k.status, k.severity, k.duration))?;
            }
            for a in &assignees {
                ins_assignee.execute((id, &a.uid, space_ids[k.space], k.status, k.severity, k.duration))?;
            }
            for m in &k.comments {
                ins_comment.execute((
                    &m.uuid,
                    id,
                    &m.body,
                    DEFAULT_OWNER,
                    m.created_at,
                    &gen_.users_json[m.created_by],
                ))?;
                comment_rows += 1;
            }
        }
    }
    phase(&format!("insert {n} cases, their tags and assignees, {comment_rows} comments"), &mut t);

    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    phase(&format!("recreate {} indexes", indexes.len()), &mut t);

    // FTS5 wants rowids in ascending order within a transaction (a smaller rowid flushes its
    // pending terms), so documents go in space by space, each in case id order.
    {
        let mut ins_fts =
            tx.prepare("INSERT INTO cases_fts (rowid, title, description, comments) VALUES (?1, ?2, ?3, ?4)")?;
        let mut comments = String::new();
        for (s, &sid) in space_ids.iter().enumerate() {
            for id in 1..=n {
                if usize::from(case_space[id as usize]) != s {
                    continue;
                }
                let k = gen_.case(id);
                comments.clear();
                for (i, m) in k.comments.iter().enumerate() {
                    if i > 0 {
                        comments.push('\n');
                    }
                    comments.push_str(&m.body);
                }
                ins_fts.execute(((sid << 32) | id, &k.title, &k.description, &comments))?;
            }
        }
    }
    phase("build cases_fts", &mut t);
    tx.commit()?;
    phase("commit", &mut t);

    c.execute_batch("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")?;
    phase("optimize cases_fts", &mut t);
    c.execute_batch("ANALYZE")?;
    phase("ANALYZE", &mut t);
    if n <= 100_000 {
        let bad: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        assert_eq!(bad, 0, "foreign key violations in the generated data");
    }
    // Back to what Casebook expects; the next open turns WAL on again.
    let _: String = c.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    c.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The measurements

fn query(f: impl FnOnce(&mut FindQuery)) -> FindQuery {
    let mut q = FindQuery { per_page: 50, ..FindQuery::default() };
    f(&mut q);
    q
}

fn show_plan(book: &Casebook, name: &str, q: &FindQuery) {
    println!("\n== {name}");
    match book.explain_find(q) {
        Ok(plan) => {
            for step in plan {
                println!("   {step}");
            }
        }
        Err(e) => println!("   (no plan: {e})"),
    }
}

fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    // `cargo test --benches` runs this binary with `--test`: keep that quick.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let n: i64 = match std::env::var("CASEBOOK_BENCH_CASES") {
        Ok(v) => v.trim().replace('_', "").parse().expect("CASEBOOK_BENCH_CASES must be a number"),
        Err(_) if quick => 2_000,
        Err(_) => 1_000_000,
    };
    assert!(n > 0 && n < 1 << 31, "CASEBOOK_BENCH_CASES out of range");
    let (book, gen_) = prepare(n);

    // A host token that is surely in `default`: the one of a case in the middle of the space.
    let host = (n / 2..=n)
        .chain(1..n / 2)
        .map(|id| gen_.case(id))
        .find(|k| k.space == 0)
        .map(|k| k.host)
        .expect("a case in default");
    let top_tag = gen_.tags[0].clone();

    let page_filtered = query(|q| {
        q.status = vec![Status::Open];
        q.severity = vec![Severity::High, Severity::Critical];
        q.tags = vec![top_tag.clone()];
        q.sort_field = Some(SortField::UpdatedAt);
        q.sort_order = SortOrder::Desc;
    });
    // "My open cases": one analyst's assignments, newest activity first.
    let analyst = gen_.users[1].username.clone();
    let page_assignee = query(|q| {
        q.status = vec![Status::Open, Status::InProgress];
        q.assignees = vec![analyst.clone()];
        q.sort_field = Some(SortField::UpdatedAt);
        q.sort_order = SortOrder::Desc;
    });
    let page_created = query(|q| {
        q.sort_field = Some(SortField::CreatedAt);
        q.sort_order = SortOrder::Desc;
    });
    let page_title = query(|q| {
        q.sort_field = Some(SortField::Title);
        q.sort_order = SortOrder::Asc;
    });
    let search_host = query(|q| q.search = Some(host.clone()));
    let search_term = query(|q| q.search = Some("login".into()));
    let search_two = query(|q| q.search = Some("suspicious activity".into()));
    let counts_space = query(|_| {});
    let counts_tag = query(|q| q.tags = vec![top_tag.clone()]);

    let pages: [(&str, &FindQuery); 4] = [
        ("filtered: open, high|critical, tag phishing, by updated_at desc", &page_filtered),
        ("assignee: open|in-progress, one analyst's cases, by updated_at desc", &page_assignee),
        ("plain: page 1 by created_at desc", &page_created),
        ("title: page 1 by title asc", &page_title),
    ];
    let searches: [(&str, &FindQuery); 3] = [
        ("host token", &search_host),
        ("common term `login`", &search_term),
        ("two words `suspicious activity`", &search_two),
    ];
    let counts: [(&str, &FindQuery); 2] = [("whole default space", &counts_space), ("tag phishing", &counts_tag)];

    println!("\nQuery plans of the page queries (Casebook::explain_find):");
    for (name, q) in pages.iter().chain(searches.iter()).chain(counts.iter()) {
        show_plan(&book, &format!("{name}  {:?}", q.search.as_deref().unwrap_or("")), q);
    }

    println!("\nFirst (cold-ish) run of each query:");
    for (name, q) in pages.iter().chain(searches.iter()) {
        let t = Instant::now();
        let r = book.find_cases(q).expect("find_cases");
        println!(
            "  {:>9.2} ms  {name}: total {} (open {}, in progress {}, closed {}), page of {}",
            ms_since(t),
            r.total,
            r.count_open_cases,
            r.count_in_progress_cases,
            r.count_closed_cases,
            r.cases.len()
        );
        assert!(!r.cases.is_empty(), "{name}: no cases");
    }
    for (name, q) in &counts {
        let t = Instant::now();
        let s = book.case_stats(q).expect("case_stats");
        println!(
            "  {:>9.2} ms  counts, {name}: open {}, in progress {}, closed {}, mean time to close {:.0} s",
            ms_since(t),
            s.count_open_cases,
            s.count_in_progress_cases,
            s.count_closed_cases,
            s.mean_time_to_close.unwrap_or(0.0)
        );
    }
    println!("search terms: host token {host:?}, common term \"login\", two words \"suspicious activity\"\n");

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    // The size is the benchmark parameter, so runs at different sizes keep separate baselines.
    let size = size_label(n);
    let mut g = c.benchmark_group("page");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["filtered", "assignee", "created", "title"].into_iter().zip(pages) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.find_cases(q).expect("find_cases")));
    }
    g.finish();

    let mut g = c.benchmark_group("search");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["host", "login", "suspicious_activity"].into_iter().zip(searches) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.find_cases(q).expect("find_cases")));
    }
    g.finish();

    let mut g = c.benchmark_group("counts");
    g.sampling_mode(SamplingMode::Flat);
    for (id, (_, q)) in ["space", "tag"].into_iter().zip(counts) {
        g.bench_with_input(BenchmarkId::new(id, &size), q, |b, q| b.iter(|| book.case_stats(q).expect("case_stats")));
    }
    g.finish();

    c.final_summary();
    print_medians(&size);
}

/// Criterion prints means; the medians it estimated are in its `estimates.json` files.
fn print_medians(size: &str) {
    let root = std::env::var_os("CRITERION_HOME").map(PathBuf::from).unwrap_or_else(|| target_dir().join("criterion"));
    let mut lines = String::new();
    for (group, ids) in [
        ("page", &["filtered", "assignee", "created", "title"][..]),
        ("search", &["host", "login", "suspicious_activity"][..]),
        ("counts", &["space", "tag"][..]),
    ] {
        for id in ids {
            let path = root.join(group).join(id).join(size).join("new").join("estimates.json");
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            if let Some(ns) = v["median"]["point_estimate"].as_f64() {
                let _ = writeln!(lines, "  {group}/{id}/{size}: {:.3} ms", ns / 1e6);
            }
        }
    }
    if !lines.is_empty() {
        println!("\nMedians (ms):\n{lines}");
    }
}
