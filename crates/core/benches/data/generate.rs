//! One generated case.

use casebook_core::model::User;

use super::random::{Rng, Zipf};
use super::vocabulary::{CATEGORIES, tag_names, teammates, vocabulary};
use super::{DAY_MS, HOUR_MS, NOW_MS, SPACES, SPAN_MS};

pub(crate) struct Gen {
    words: Vec<String>,
    word_zipf: Zipf,
    pub(crate) tags: Vec<String>,
    tag_zipf: Zipf,
    pub(crate) users: Vec<User>,
    pub(crate) users_json: Vec<String>,
    pub(crate) n: i64,
}

pub(crate) struct GenComment {
    pub(crate) uuid: String,
    pub(crate) body: String,
    pub(crate) created_at: i64,
    pub(crate) created_by: usize,
}

pub(crate) struct GenCase {
    pub(crate) uuid: String,
    pub(crate) space: usize,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) host: String,
    pub(crate) tags: Vec<usize>,
    pub(crate) severity: i64,
    pub(crate) status: i64,
    pub(crate) assignees: Vec<usize>,
    pub(crate) category: Option<&'static str>,
    pub(crate) created_at: i64,
    pub(crate) created_by: usize,
    pub(crate) updated_at: Option<i64>,
    pub(crate) updated_by: Option<usize>,
    pub(crate) closed_at: Option<i64>,
    pub(crate) closed_by: Option<usize>,
    pub(crate) in_progress_at: Option<i64>,
    pub(crate) duration: Option<i64>,
    pub(crate) time_to_acknowledge: Option<i64>,
    pub(crate) time_to_investigate: Option<i64>,
    pub(crate) time_to_resolve: Option<i64>,
    pub(crate) version: i64,
    pub(crate) comments: Vec<GenComment>,
}

impl Gen {
    pub(crate) fn new(n: i64) -> Self {
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
    pub(crate) fn case(&self, id: i64) -> GenCase {
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

pub(crate) fn space_name(i: usize) -> String {
    if i == 0 { "default".into() } else { format!("space-{i}") }
}
