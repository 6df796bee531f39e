//! A small JQL: clauses on project, labels, summary, issuetype and key, combined with AND, OR,
//! NOT and parentheses, then ORDER BY. Errors carry Jira's messages.

use std::cmp::Ordering;

use serde_json::Value;

use super::{PRIORITIES, StoredIssue};

/// The text of a `~` operand: Lucene escapes and wildcards removed, lowercase.
pub(super) fn text_term(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '?' => {}
            c => out.push(c),
        }
    }
    out.trim().to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum JqlField {
    Project,
    Labels,
    Summary,
    IssueType,
    Key,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum JqlOp {
    Eq,
    NotEq,
    In,
    NotIn,
    Like,
    NotLike,
}

#[derive(Debug)]
pub(super) struct Clause {
    pub(super) field: JqlField,
    pub(super) op: JqlOp,
    pub(super) values: Vec<String>,
}

#[derive(Debug)]
pub(super) enum Expr {
    Clause(Clause),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum OrderField {
    Created,
    Updated,
    Key,
    Summary,
    Priority,
    Project,
}

impl OrderField {
    pub(super) fn compare(self, a: &StoredIssue, b: &StoredIssue) -> Ordering {
        let rank = |i: &StoredIssue| {
            let name = i.fields.get("priority").and_then(|p| p.get("name")).and_then(Value::as_str);
            PRIORITIES.iter().position(|(_, n)| Some(*n) == name)
        };
        match self {
            // Jira's timestamps in one zone sort as text.
            OrderField::Created => a.text("created").cmp(b.text("created")),
            OrderField::Updated => a.text("updated").cmp(b.text("updated")),
            OrderField::Key => a.id.cmp(&b.id),
            OrderField::Project => Ordering::Equal,
            OrderField::Summary => a.text("summary").cmp(b.text("summary")),
            // Highest first when ascending, as Jira sorts priorities by rank.
            OrderField::Priority => rank(a).cmp(&rank(b)),
        }
    }
}

pub(super) struct Jql {
    pub(super) expr: Option<Expr>,
    pub(super) order: Vec<(OrderField, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 1-based character position, as in Jira's messages.
    pos: usize,
    /// As written, for messages.
    text: String,
}

fn jql_error(message: &str, pos: usize) -> String {
    format!("Error in the JQL Query: {message} (line 1, character {pos})")
}

fn tokenize(jql: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = jql.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if let Some(op) = ["!=", "!~", "<=", ">="].into_iter().find(|o| *o == two) {
            tokens.push(Token { tok: Tok::Op(op), pos, text: two });
            i += 2;
            continue;
        }
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Op("="), 1),
            '~' => (Tok::Op("~"), 1),
            '<' => (Tok::Op("<"), 1),
            '>' => (Tok::Op(">"), 1),
            '!' => {
                let message = "The character '!' is a reserved JQL character. You must enclose it in a string or use \
                               the escape '\\u0021' instead.";
                return Err(jql_error(message, pos));
            }
            '"' | '\'' => {
                let (value, len) = quoted(&chars[i..], pos)?;
                (Tok::Str(value), len)
            }
            _ => {
                let len = chars[i..].iter().take_while(|c| !c.is_whitespace() && !"=!~<>(),\"'".contains(**c)).count();
                (Tok::Word(chars[i..i + len].iter().collect()), len)
            }
        };
        tokens.push(Token { tok, pos, text: chars[i..i + len].iter().collect() });
        i += len;
    }
    Ok(tokens)
}

/// A quoted string at the start of `chars` (the quote included): its value and length.
fn quoted(chars: &[char], pos: usize) -> Result<(String, usize), String> {
    let quote = chars[0];
    let mut value = String::new();
    let mut i = 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((value, i + 1)),
            '\\' => {
                let escape = chars.get(i + 1).copied();
                let decoded = match escape {
                    Some('"') => Some('"'),
                    Some('\'') => Some('\''),
                    Some('\\') => Some('\\'),
                    Some('n') => Some('\n'),
                    Some('r') => Some('\r'),
                    Some('t') => Some('\t'),
                    Some(' ') => Some(' '),
                    Some('u') => chars
                        .get(i + 2..i + 6)
                        .map(|h| h.iter().collect::<String>())
                        .and_then(|h| u32::from_str_radix(&h, 16).ok())
                        .and_then(char::from_u32),
                    _ => None,
                };
                let Some(decoded) = decoded else {
                    let seq: String = chars[i..chars.len().min(i + 2)].iter().collect();
                    let message = format!(
                        "'{seq}' is an illegal JQL escape sequence. The valid escape sequences are \\', \\\", \\t, \
                         \\n, \\r, \\\\, '\\ ' and \\uXXXX."
                    );
                    return Err(jql_error(&message, pos + i));
                };
                value.push(decoded);
                i += if escape == Some('u') { 6 } else { 2 };
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    let text: String = chars.iter().collect();
    Err(jql_error(&format!("The quoted string {text} has not been completed."), pos))
}

struct Parser {
    tokens: Vec<Token>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.i)
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.i).cloned();
        self.i += 1;
        t
    }

    /// "Expecting X but got 'Y'." at the next token, or "… before the end of the query.".
    fn expecting(&self, what: &str) -> String {
        match self.peek() {
            Some(t) => jql_error(&format!("Expecting {what} but got '{}'.", t.text), t.pos),
            None => format!("Error in the JQL Query: Expecting {what} before the end of the query."),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.and()?];
        while self.peek_word("OR") {
            self.i += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Or(parts) })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.unary()?];
        while self.peek_word("AND") {
            self.i += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_word("NOT") {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if matches!(self.peek(), Some(Token { tok: Tok::LParen, .. })) {
            self.i += 1;
            let inner = self.or()?;
            if !matches!(self.peek(), Some(Token { tok: Tok::RParen, .. })) {
                return Err(self.expecting("')'"));
            }
            self.i += 1;
            return Ok(inner);
        }
        self.clause()
    }

    fn field(&mut self) -> Result<(String, Token), String> {
        match self.next() {
            Some(t @ Token { tok: Tok::Word(_) | Tok::Str(_), .. }) => {
                let name = match &t.tok {
                    Tok::Word(w) | Tok::Str(w) => w.clone(),
                    _ => String::new(),
                };
                Ok((name, t))
            }
            _ => {
                self.i -= 1;
                Err(self.expecting("a field name"))
            }
        }
    }

    fn clause(&mut self) -> Result<Expr, String> {
        let (name, _) = self.field()?;
        let field = match name.to_ascii_lowercase().as_str() {
            "project" => JqlField::Project,
            "labels" => JqlField::Labels,
            "summary" => JqlField::Summary,
            "issuetype" | "type" => JqlField::IssueType,
            "key" | "issuekey" | "id" => JqlField::Key,
            _ => return Err(format!("Field '{name}' does not exist or you do not have permission to view it.")),
        };
        let operators = "operator but got '{}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', \
                         'IN', 'NOT IN', 'IS' and 'IS NOT'";
        let Some(op_token) = self.next() else {
            return Err("Error in the JQL Query: Expecting operator before the end of the query.".into());
        };
        let op_text = op_token.text.clone();
        let op = match &op_token.tok {
            Tok::Op("=") => Some(JqlOp::Eq),
            Tok::Op("!=") => Some(JqlOp::NotEq),
            Tok::Op("~") => Some(JqlOp::Like),
            Tok::Op("!~") => Some(JqlOp::NotLike),
            Tok::Op(_) => None,
            Tok::Word(w) if w.eq_ignore_ascii_case("IN") => Some(JqlOp::In),
            Tok::Word(w) if w.eq_ignore_ascii_case("NOT") && self.peek_word("IN") => {
                self.i += 1;
                Some(JqlOp::NotIn)
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("IS") => None,
            _ => {
                let message = format!("Expecting {}.", operators.replace("{}", &op_text));
                return Err(jql_error(&message, op_token.pos));
            }
        };
        let field_name = match field {
            JqlField::Project => "project",
            JqlField::Labels => "labels",
            JqlField::Summary => "summary",
            JqlField::IssueType => "issuetype",
            JqlField::Key => "key",
        };
        let text_field = field == JqlField::Summary;
        let op = match op {
            Some(op @ (JqlOp::Like | JqlOp::NotLike)) if text_field => op,
            Some(op @ (JqlOp::Eq | JqlOp::NotEq | JqlOp::In | JqlOp::NotIn)) if !text_field => op,
            _ => {
                let shown = if op == Some(JqlOp::NotIn) { "not in".to_string() } else { op_text.to_lowercase() };
                return Err(format!("The operator '{shown}' is not supported by the '{field_name}' field."));
            }
        };
        let values = if matches!(op, JqlOp::In | JqlOp::NotIn) {
            if !matches!(self.next(), Some(Token { tok: Tok::LParen, .. })) {
                self.i -= 1;
                return Err(self.expecting("'('"));
            }
            let mut values = vec![self.value()?];
            loop {
                match self.next() {
                    Some(Token { tok: Tok::Comma, .. }) => values.push(self.value()?),
                    Some(Token { tok: Tok::RParen, .. }) => break,
                    _ => {
                        self.i -= 1;
                        return Err(self.expecting("either ',' or ')'"));
                    }
                }
            }
            values
        } else {
            vec![self.value()?]
        };
        Ok(Expr::Clause(Clause { field, op, values }))
    }

    fn value(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token { tok: Tok::Str(s), .. }) => Ok(s),
            Some(Token { tok: Tok::Word(w), .. })
                if !["AND", "OR", "NOT", "ORDER", "IN", "IS"].iter().any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                Ok(w)
            }
            _ => {
                self.i -= 1;
                Err(self.expecting("either a value, list or function"))
            }
        }
    }

    fn order(&mut self) -> Result<Vec<(OrderField, bool)>, String> {
        self.i += 1; // ORDER
        if !self.peek_word("BY") {
            return Err(self.expecting("'by'"));
        }
        self.i += 1;
        let mut order = Vec::new();
        loop {
            let (name, _) = self.field()?;
            let field = match name.to_ascii_lowercase().as_str() {
                "created" | "createddate" => OrderField::Created,
                "updated" | "updateddate" => OrderField::Updated,
                "key" | "issuekey" | "id" => OrderField::Key,
                "summary" => OrderField::Summary,
                "priority" => OrderField::Priority,
                "project" => OrderField::Project,
                _ => return Err(format!("Field '{name}' does not exist or you do not have permission to view it.")),
            };
            let desc = if self.peek_word("DESC") {
                self.i += 1;
                true
            } else {
                if self.peek_word("ASC") {
                    self.i += 1;
                }
                false
            };
            order.push((field, desc));
            if matches!(self.peek(), Some(Token { tok: Tok::Comma, .. })) {
                self.i += 1;
            } else {
                return Ok(order);
            }
        }
    }
}

pub(super) fn parse_jql(jql: &str) -> Result<Jql, String> {
    let mut parser = Parser { tokens: tokenize(jql)?, i: 0 };
    let expr = if parser.peek().is_none() || parser.peek_word("ORDER") { None } else { Some(parser.or()?) };
    let order = if parser.peek_word("ORDER") { parser.order()? } else { Vec::new() };
    if parser.peek().is_some() {
        return Err(parser.expecting("either 'OR' or 'AND'"));
    }
    Ok(Jql { expr, order })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_prefix_of_a_query_makes_the_parser_panic() {
        let queries = [
            r#"project = "SEC" AND (labels in ("a", 'b') OR NOT summary !~ "x\\- y\u00e9") ORDER BY created DESC, key"#,
            "issuetype not in (Sub-task, Bug) and key != SEC-1 order by priority asc",
            "labels = é! ~ <= >= \"unterminated \\",
        ];
        for query in queries {
            for (end, _) in query.char_indices() {
                let _ = parse_jql(&query[..end]);
            }
        }
    }

    #[test]
    fn jql_parses_kibanas_queries_and_rejects_bad_ones() {
        let q = parse_jql(r#"project="SEC" and summary ~"disk \\- full" ORDER BY created DESC"#).unwrap();
        assert!(matches!(q.expr, Some(Expr::And(ref parts)) if parts.len() == 2));
        assert!(matches!(q.order.as_slice(), [(OrderField::Created, true)]));
        assert_eq!(text_term(r"disk \- full*"), "disk - full");
        let q = parse_jql(r#"labels in ("a", b) AND issuetype != Sub-task OR NOT (key = SEC-1)"#).unwrap();
        assert!(matches!(q.expr, Some(Expr::Or(_))));
        assert!(parse_jql("").unwrap().expr.is_none());
        for (bad, wanted) in [
            ("project SEC", "Expecting operator but got 'SEC'"),
            ("project = ", "Expecting either a value, list or function before the end"),
            ("summary = x", "The operator '=' is not supported by the 'summary' field."),
            ("colour = red", "Field 'colour' does not exist"),
            (r#"summary ~ "a \- b""#, "is an illegal JQL escape sequence"),
            ("summary ~ \"open", "has not been completed"),
            ("project = SEC labels = x", "Expecting either 'OR' or 'AND' but got 'labels'"),
            ("labels in (a, b", "Expecting either ',' or ')' before the end"),
        ] {
            let e = parse_jql(bad).err().unwrap_or_default();
            assert!(e.contains(wanted), "{bad}: {e}");
        }
    }
}
