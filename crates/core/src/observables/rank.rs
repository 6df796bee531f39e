//! The order extracted values are kept in when a case cannot hold them all: the values the
//! most alerts carry first, then by the space's type priority, then by type key and value, so
//! the same alerts always give the same observables whatever order they were read in.

use std::cmp::Ordering;

use rusqlite::Connection;

use super::store::types_of_space;
use crate::{Result, settings};

/// An extracted value and how many of the case's alerts carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ranked {
    pub type_key: String,
    pub value: String,
    pub alerts: i64,
}

/// A space's order of types: the ones it lists first, then the rest as the space shows them.
pub(crate) struct Ranking {
    types: Vec<String>,
}

impl Ranking {
    pub(crate) fn of_space(conn: &Connection, space: &str) -> Result<Self> {
        let mut types = settings::load(conn, space)?.observable_type_priority;
        for t in types_of_space(conn, space)? {
            if !types.contains(&t.key) {
                types.push(t.key);
            }
        }
        Ok(Self { types })
    }

    fn type_rank(&self, key: &str) -> usize {
        self.types.iter().position(|k| k == key).unwrap_or(self.types.len())
    }

    pub(crate) fn cmp(&self, a: &Ranked, b: &Ranked) -> Ordering {
        b.alerts
            .cmp(&a.alerts)
            .then_with(|| self.type_rank(&a.type_key).cmp(&self.type_rank(&b.type_key)))
            .then_with(|| a.type_key.cmp(&b.type_key))
            .then_with(|| a.value.cmp(&b.value))
    }

    /// Best ranked first.
    pub(crate) fn sort(&self, values: &mut [Ranked]) {
        values.sort_by(|a, b| self.cmp(a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observables::types::{DOMAIN, HOSTNAME, IPV4};

    fn r(type_key: &str, value: &str, alerts: i64) -> Ranked {
        Ranked { type_key: type_key.into(), value: value.into(), alerts }
    }

    #[test]
    fn most_alerts_first_then_type_priority_then_key_and_value_whatever_the_input_order() {
        let ranking = Ranking { types: vec![DOMAIN.into(), IPV4.into(), HOSTNAME.into()] };
        let want = vec![
            r(IPV4, "192.0.2.9", 7),
            r(DOMAIN, "b.example.com", 3),
            r(IPV4, "192.0.2.1", 3),
            r(IPV4, "192.0.2.2", 3),
            r(HOSTNAME, "web-01", 3),
            r("unlisted-type", "x", 3),
            r(DOMAIN, "a.example.com", 1),
        ];
        let mut shuffled = want.clone();
        shuffled.reverse();
        shuffled.swap(1, 4);
        ranking.sort(&mut shuffled);
        assert_eq!(shuffled, want);
        let mut again = want.clone();
        again.rotate_left(3);
        ranking.sort(&mut again);
        assert_eq!(again, want);
    }
}
