//! The tags of a template and the variables they name. mustache2 keeps its parse tree to itself,
//! so this reads the tags as its lexer does (the same delimiters, triple mustaches and
//! set-delimiter tags) for two things it does not do: refuse a name that is no variable, which
//! Kibana would silently render as nothing, and refuse a tag holding a non-ASCII character or
//! left open, on which mustache2 1.0.7 panics (it slices tags byte by byte).

use super::vars::NAMES;

/// Names a section may open besides the variables: the groups they sit in.
const GROUPS: [&str; 3] = ["case", "external", "external.system"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Variable,
    Section,
    Inverted,
    Close,
    Partial,
    /// Comments and set-delimiter tags.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    pub kind: Kind,
    pub name: &'a str,
    /// Byte offset of the opening delimiter in the template.
    pub at: usize,
    /// The whole tag, delimiters included.
    pub text: &'a str,
}

/// A problem at a byte offset of the template, described for a person.
pub(super) type Problem = (usize, String);

/// Every tag, in order. Refuses what would make mustache2 panic.
pub(super) fn scan(src: &str) -> Result<Vec<Tag<'_>>, Problem> {
    let (mut open, mut close) = ("{{", "}}");
    let mut tags = Vec::new();
    let mut pos = 0;
    while let Some(found) = src[pos..].find(open) {
        let at = pos + found;
        let inner = at + open.len();
        let Some(end) = closing(src, inner, open, close) else {
            return Err((at, format!("`{open}` is never closed with `{close}`")));
        };
        let mut next = end + close.len();
        let mut content = &src[inner..end];
        let kind = match content.chars().next() {
            Some('{') => {
                if close == "}}" && src[next..].starts_with('}') {
                    next += 1;
                }
                content = content[1..].strip_suffix('}').unwrap_or(&content[1..]);
                Kind::Variable
            }
            Some('=') => {
                let spec = content[1..].strip_suffix('=').unwrap_or(&content[1..]).trim();
                if let Some((o, c)) = spec.split_once(' ')
                    && !o.trim().is_empty()
                    && !c.trim().is_empty()
                {
                    (open, close) = (o.trim(), c.trim());
                }
                Kind::Other
            }
            Some(sigil @ ('&' | '#' | '^' | '/' | '!' | '>' | '<' | '$')) => {
                content = &content[1..];
                match sigil {
                    '&' => Kind::Variable,
                    '#' => Kind::Section,
                    '^' => Kind::Inverted,
                    '/' => Kind::Close,
                    '!' => Kind::Other,
                    _ => Kind::Partial,
                }
            }
            _ => Kind::Variable,
        };
        let text = &src[at..next];
        if !text.is_ascii() {
            return Err((
                at,
                format!("`{}` holds a character beyond ASCII, which cannot stand inside a tag", clip(text)),
            ));
        }
        tags.push(Tag { kind, name: content.trim(), at, text });
        pos = next;
    }
    Ok(tags)
}

/// Where the tag opened before `from` closes, as mustache2 finds it: an `open` inside the tag
/// needs its own `close` first.
fn closing(src: &str, from: usize, open: &str, close: &str) -> Option<usize> {
    let mut layer = 0usize;
    let mut i = from;
    while let Some(rest) = src.get(i..).filter(|r| !r.is_empty()) {
        if rest.starts_with(close) {
            if layer == 0 {
                return Some(i);
            }
            layer -= 1;
        } else if rest.starts_with(open) {
            layer += 1;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// A variable the template fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Use<'a> {
    pub name: &'static str,
    pub tag: Tag<'a>,
    /// The sections around it: it is filled in only where they have a value.
    pub within: Vec<&'static str>,
}

/// The variables the template fills in (not those that only open a section). A name is looked
/// up as Mustache does: in the sections around it, innermost first, then at the top.
pub(super) fn used<'a>(tags: &[Tag<'a>]) -> Result<Vec<Use<'a>>, Problem> {
    // The sections around the current tag; `None` for an inverted one, which opens no scope.
    let mut scopes: Vec<Option<&'static str>> = Vec::new();
    let mut used = Vec::new();
    for tag in tags {
        match tag.kind {
            Kind::Variable if tag.name == "." => {
                if !scopes.iter().rev().flatten().next().is_some_and(|s| NAMES.contains(s)) {
                    return Err((
                        tag.at,
                        format!(
                            "`{}` stands for the value of the section around it, so it belongs inside a section over one variable, e.g. {{{{#case.tags}}}}…{{{{/case.tags}}}}",
                            tag.text
                        ),
                    ));
                }
            }
            Kind::Variable => match resolve(&scopes, tag.name) {
                Some(name) if NAMES.contains(&name) => {
                    used.push(Use { name, tag: *tag, within: scopes.iter().flatten().copied().collect() })
                }
                Some(group) => {
                    return Err((
                        tag.at,
                        format!("`{}` names the group `{group}`, not a value; {}", tag.text, valid_names()),
                    ));
                }
                None => return Err((tag.at, unknown(tag))),
            },
            Kind::Section => match resolve(&scopes, tag.name) {
                Some(name) => scopes.push(Some(name)),
                None => return Err((tag.at, unknown(tag))),
            },
            Kind::Inverted => match resolve(&scopes, tag.name) {
                Some(_) => scopes.push(None),
                None => return Err((tag.at, unknown(tag))),
            },
            Kind::Close => {
                scopes.pop();
            }
            Kind::Partial => {
                return Err((tag.at, format!("`{}`: partials and template inheritance are not supported", tag.text)));
            }
            Kind::Other => {}
        }
    }
    Ok(used)
}

fn resolve(scopes: &[Option<&'static str>], name: &str) -> Option<&'static str> {
    let known = |path: &str| NAMES.iter().chain(&GROUPS).find(|n| **n == path).copied();
    scopes.iter().rev().flatten().find_map(|scope| known(&format!("{scope}.{name}"))).or_else(|| known(name))
}

fn unknown(tag: &Tag) -> String {
    format!("`{}` names no variable (`{}`); {}", tag.text, tag.name, valid_names())
}

pub(super) fn valid_names() -> String {
    format!("the variables are {}", NAMES.join(", "))
}

/// A tag short enough for a message.
pub(super) fn clip(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<(Kind, &str)> {
        scan(src).unwrap().iter().map(|t| (t.kind, t.name)).collect()
    }

    #[test]
    fn reads_every_kind_of_tag_and_changed_delimiters() {
        assert_eq!(
            names("{{a}} {{{ b }}} {{&c}} {{#d}}{{/d}} {{^e}}{{/e}} {{! note }} {{> p}} {{=<% %>=}}<% f %> <%{g}%>"),
            [
                (Kind::Variable, "a"),
                (Kind::Variable, "b"),
                (Kind::Variable, "c"),
                (Kind::Section, "d"),
                (Kind::Close, "d"),
                (Kind::Inverted, "e"),
                (Kind::Close, "e"),
                (Kind::Other, "note"),
                (Kind::Partial, "p"),
                (Kind::Other, "=<% %>="),
                (Kind::Variable, "f"),
                (Kind::Variable, "g"),
            ]
        );
    }

    #[test]
    fn refuses_what_mustache2_would_panic_on() {
        // Text beyond ASCII outside tags is fine; inside a tag, or after an unclosed one, not.
        assert!(scan("{\"t\": \"café\", \"x\": {{{case.title}}}}").is_ok());
        let (at, message) = scan("ok {{ café }}").unwrap_err();
        assert_eq!(at, 3);
        assert!(message.contains("beyond ASCII"), "{message}");
        let (at, message) = scan("{{{case.title} é").unwrap_err();
        assert_eq!(at, 0);
        assert!(message.contains("never closed"), "{message}");
    }

    #[test]
    fn looks_names_up_in_the_sections_around_them() {
        let used = |src: &str| used(&scan(src).unwrap()).map(|u| u.iter().map(|u| u.name).collect::<Vec<_>>());
        assert_eq!(used("{{#case}}{{title}}{{/case}}").unwrap(), ["case.title"]);
        assert_eq!(
            used("{{#external.system}}{{id}} {{case.id}}{{/external.system}}").unwrap(),
            ["external.system.id", "case.id"]
        );
        assert_eq!(used("{{#case.tags}}{{.}}{{/case.tags}}").unwrap(), Vec::<&str>::new());
        // An inverted section opens no scope.
        assert!(used("{{^case}}{{title}}{{/case}}").is_err());
        assert!(used("{{.}}").is_err());
        assert!(used("{{case}}").unwrap_err().1.contains("group `case`"));
        assert!(used("{{> header}}").unwrap_err().1.contains("partials"));
    }
}
