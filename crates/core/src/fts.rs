//! The full-text index: one document per case (title, description, all comments), and the
//! translation of what a user types into an FTS5 query.

use crate::Result;

/// Case ids stay below 2^32, so the space id fits above them in the FTS rowid.
const SPACE_SHIFT: u32 = 32;

pub(crate) fn doc_id(space_id: i64, case_id: i64) -> i64 {
    (space_id << SPACE_SHIFT) | case_id
}

/// The rowid range holding a space's documents.
pub(crate) fn space_range(space_id: i64) -> (i64, i64) {
    (space_id << SPACE_SHIFT, (space_id << SPACE_SHIFT) | 0xFFFF_FFFF)
}

/// Writes (or rewrites) the search document of a case from its current row and comments.
pub(crate) fn reindex(conn: &rusqlite::Connection, case_id: i64) -> Result<()> {
    let (space_id, title, description): (i64, String, String) = conn
        .prepare_cached("SELECT space_id, title, description FROM cases WHERE id = ?1")?
        .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let comments: String = conn
        .prepare_cached(
            "SELECT coalesce(group_concat(body, char(10)), '') FROM (SELECT body FROM comments WHERE case_id = ?1 ORDER BY created_at, id)",
        )?
        .query_row([case_id], |r| r.get(0))?;
    let id = doc_id(space_id, case_id);
    conn.prepare_cached("DELETE FROM cases_fts WHERE rowid = ?1")?.execute([id])?;
    conn.prepare_cached("INSERT INTO cases_fts (rowid, title, description, comments) VALUES (?1, ?2, ?3, ?4)")?
        .execute((id, title, description, comments))?;
    Ok(())
}

pub(crate) fn remove(conn: &rusqlite::Connection, space_id: i64, case_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM cases_fts WHERE rowid = ?1")?.execute([doc_id(space_id, case_id)])?;
    Ok(())
}

/// The search grammar's marks, shared with the UI through the bindings (its search hints parse
/// with the very same ones). Words are separated by Unicode white space (`char::is_whitespace`,
/// listed by [`whitespace_chars`]).
/// `#123` finds case number 123.
pub const CASE_NUMBER_PREFIX: char = '#';
/// `"lateral movement"`: the words must appear together.
pub const PHRASE_QUOTE: char = '"';
/// `cred*`: words starting with `cred` (a word of two characters or more).
pub const PREFIX_WILDCARD: char = '*';

/// Every character `char::is_whitespace` (and so `str::trim`) counts as white space: the word
/// separators of a search, and what the core trims off text before measuring it.
pub fn whitespace_chars() -> impl Iterator<Item = char> {
    (0..=0x3000u32).filter_map(char::from_u32).filter(|c| c.is_whitespace())
}

/// What a search box string asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedSearch {
    /// The whole string is a case UUID.
    pub uuid: Option<String>,
    /// `#123` tokens: case numbers.
    pub numbers: Vec<i64>,
    /// An FTS5 expression for the remaining words, all of which must match.
    pub fts: Option<String>,
}

/// Splits a search string: a UUID alone finds that case; `#N` finds case N; other words and
/// "quoted phrases" must all appear in the title, description or comments. A word ending in
/// `*` matches as a prefix. FTS5 syntax typed by the user is treated as plain text.
pub fn parse_search(input: &str) -> ParsedSearch {
    let input = input.trim();
    if let Ok(u) = uuid::Uuid::parse_str(input) {
        return ParsedSearch { uuid: Some(u.hyphenated().to_string()), ..Default::default() };
    }
    let mut out = ParsedSearch::default();
    let mut terms = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = String::new();
        let phrase = c == PHRASE_QUOTE;
        if phrase {
            chars.next();
            for c in chars.by_ref() {
                if c == PHRASE_QUOTE {
                    break;
                }
                token.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                token.push(c);
                chars.next();
            }
        }
        if !phrase
            && let Some(n) =
                token.strip_prefix(CASE_NUMBER_PREFIX).and_then(|n| n.parse::<i64>().ok()).filter(|n| *n > 0)
        {
            out.numbers.push(n);
            continue;
        }
        let prefix = !phrase && token.len() > 1 && token.ends_with(PREFIX_WILDCARD);
        let word = if prefix { &token[..token.len() - 1] } else { &token[..] };
        // A token with no letter or digit would be an empty FTS phrase: skip it.
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        let quoted = format!("\"{}\"", word.replace('"', "\"\""));
        terms.push(if prefix { format!("{quoted}*") } else { quoted });
    }
    if !terms.is_empty() {
        out.fts = Some(terms.join(" AND "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_alone_is_an_id_lookup() {
        let p = parse_search(" 3F2504E0-4F89-41D3-9A0C-0305E82C3301 ");
        assert_eq!(p.uuid.as_deref(), Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
        assert_eq!(p.fts, None);
    }

    #[test]
    fn numbers_and_words() {
        let p = parse_search("#42 phishing \"lateral movement\" cred*");
        assert_eq!(p.numbers, vec![42]);
        assert_eq!(p.fts.as_deref(), Some("\"phishing\" AND \"lateral movement\" AND \"cred\"*"));
    }

    #[test]
    fn whitespace_is_unicode_white_space() {
        let ws: String = whitespace_chars().collect();
        assert_eq!(ws.chars().count(), 25);
        assert!(ws.contains('\u{85}') && ws.contains('\u{3000}') && !ws.contains('\u{feff}'));
        // Nothing above U+3000 is white space.
        assert!(('\u{3001}'..=char::MAX).all(|c| !c.is_whitespace()));
    }

    #[test]
    fn fts_syntax_is_plain_text() {
        let p = parse_search("NEAR( a\" OR - * ^");
        assert_eq!(p.fts.as_deref(), Some("\"NEAR(\" AND \"a\"\"\" AND \"OR\""));
        assert_eq!(parse_search("   ").fts, None);
        assert_eq!(parse_search("#0 #x").fts.as_deref(), Some("\"#0\" AND \"#x\""));
    }
}
