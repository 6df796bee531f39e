//! Building the database.

use std::path::{Path, PathBuf};
use std::time::Instant;

use casebook_core::Casebook;
use casebook_core::model::{Assignee, CaseConnector, CaseSettings, DEFAULT_OWNER};
use rusqlite::{Connection, params};

use super::generate::{Gen, space_name};
use super::{DAY_MS, GENERATOR_VERSION, NOW_MS, SPACES, SPAN_MS};

pub(crate) fn target_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => workspace.join(d),
        None => workspace.join("target"),
    }
}

/// `1m`, `20k`, or the plain number.
pub(crate) fn size_label(n: i64) -> String {
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
pub(crate) fn prepare(n: i64) -> (Casebook, Gen) {
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
    // A fresh checkout has no target/bench-data yet.
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the bench data folder");
    }
    let started = Instant::now();
    {
        let book = Casebook::open(&tmp).expect("create bench database");
        book.with_connection(|c| build(c, &gen_)).expect("build bench database");
    }
    std::fs::rename(&tmp, &path).expect("move the built database in place");
    println!("built {} in {:.1} s ({:.2} GB)", path.display(), started.elapsed().as_secs_f64(), file_gb(&path));
    let t = Instant::now();
    let book = Casebook::open(&path).expect("open built bench database");
    println!("  first open (fills the analytics roll-ups from the activity log): {:.1} s", t.elapsed().as_secs_f64());
    (book, gen_)
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
               AND tbl_name IN ('cases', 'case_tags', 'case_assignees', 'comments', 'user_actions') ORDER BY rowid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    // The roll-up triggers too: the log is loaded in case order, not time order, and the
    // roll-ups are filled from the whole log at the end, as `rebuild_analytics` does.
    let triggers: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'analytics_on_%' ORDER BY rowid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
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
        // The activity log as the core writes it: the creation, then in progress and closed at
        // the generated times (the roll-ups are filled from it once, below).
        let mut ins_action = tx.prepare(
            "INSERT INTO user_actions (uuid, case_uuid, action, type, payload, created_at, created_by, owner)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
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
            let severity = ["low", "medium", "high", "critical"][k.severity as usize];
            let created = serde_json::json!({ "status": "open", "severity": severity, "tags": tags }).to_string();
            let by =
                |u: Option<usize>| u.map_or(gen_.users_json[k.created_by].as_str(), |u| gen_.users_json[u].as_str());
            ins_action.execute((
                format!("{}-0", k.uuid),
                &k.uuid,
                "create",
                "create_case",
                created,
                k.created_at,
                &gen_.users_json[k.created_by],
                DEFAULT_OWNER,
            ))?;
            if let Some(at) = k.in_progress_at {
                let p = r#"{"status":"in-progress"}"#;
                ins_action.execute((
                    format!("{}-1", k.uuid),
                    &k.uuid,
                    "update",
                    "status",
                    p,
                    at,
                    by(k.updated_by),
                    DEFAULT_OWNER,
                ))?;
            }
            if let Some(at) = k.closed_at {
                let p = r#"{"status":"closed"}"#;
                ins_action.execute((
                    format!("{}-2", k.uuid),
                    &k.uuid,
                    "update",
                    "status",
                    p,
                    at,
                    by(k.closed_by),
                    DEFAULT_OWNER,
                ))?;
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
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    // Filled from the log by the next open, as an upgraded file is.
    tx.execute_batch("UPDATE analytics_meta SET filled = 0")?;

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
