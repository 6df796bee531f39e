//! Cutting a connector's credential out of what its system says. A server, proxy or debug page
//! may echo the `Authorization` header, and not always as it was sent: base64 padded or not,
//! URL-safe, upper-cased, inside a JSON string (`\u003d`, `\/`), percent-encoded, or a layer of
//! these inside another. Whatever is shown or stored (error messages, the outbox's last error)
//! passes through [`Redactor::redact`] first.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::net::clip;

const REDACTED: &str = "[redacted]";

/// What replaces a text in which the credential is still found after every decoding round.
const WITHHELD: &str = "[the answer repeated the credential; it is not shown]";

/// How many layers of JSON escapes and percent-encoding are looked through.
const MAX_LAYERS: usize = 4;

/// Shortest run of base64 characters tried as an encoding of the credential.
const MIN_BASE64_RUN: usize = 8;

/// Base64 decoders that take padding or none.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

/// The credential of one connector and every form of it that must not be shown.
#[derive(Clone)]
pub(crate) struct Redactor {
    /// Every form searched for, in ASCII lower case (matched ignoring ASCII case), and whether
    /// it is base64 (whose padding goes with it).
    forms: Vec<(String, bool)>,
}

impl Redactor {
    /// For a Basic sign-in pass the user; for a Bearer token, `None`.
    pub fn new(secret: &str, user: Option<&str>) -> Redactor {
        // The credential as sent: the secret, and for Basic `user:secret`.
        let mut plain = Vec::new();
        if !secret.is_empty() {
            plain.push(secret.to_string());
            if let Some(user) = user {
                plain.push(format!("{user}:{secret}"));
            }
        }
        let mut forms = Vec::new();
        for p in &plain {
            forms.push((p.to_ascii_lowercase(), false));
            // The padding is left out of the form, so padded and unpadded both match.
            forms.push((STANDARD_NO_PAD.encode(p).to_ascii_lowercase(), true));
            forms.push((URL_SAFE_NO_PAD.encode(p).to_ascii_lowercase(), true));
        }
        // Longest first, so `user:secret` goes whole rather than leaving `user:`.
        forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        forms.dedup();
        Redactor { forms }
    }

    /// `text` as one clipped line without the credential in any form it was found in. Where it
    /// was hidden under escapes, the decoded text is shown (redacted); otherwise the text as the
    /// system wrote it.
    pub fn redact(&self, text: &str) -> String {
        let mut text = one_line(text);
        for _ in 0..MAX_LAYERS {
            let layers = layers(&text);
            // The deepest layer in which something was found: its redacted text shows what the
            // system said without any encoding of the credential left in it.
            match layers.iter().rposition(|layer| self.cut(layer) != *layer) {
                None => return clip(&text),
                Some(deepest) => text = one_line(&self.cut(&layers[deepest])),
            }
        }
        if self.leaks(&text) { WITHHELD.into() } else { clip(&text) }
    }

    /// Whether `text` holds the credential in any form [`Redactor::redact`] removes.
    pub fn leaks(&self, text: &str) -> bool {
        layers(&one_line(text)).iter().any(|layer| self.cut(layer) != *layer)
    }

    /// One layer: the forms (any case), base64 runs that decode to the credential, and whatever
    /// follows `Basic ` or `Bearer `. Text already cut is left alone, so cutting twice changes
    /// nothing (even for a secret that occurs in the word "redacted").
    fn cut(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (form, base64) in &self.forms {
            text =
                text.split(REDACTED).map(|piece| replace_ci(piece, form, *base64)).collect::<Vec<_>>().join(REDACTED);
        }
        let text = text.split(REDACTED).map(|piece| self.cut_decodable(piece)).collect::<Vec<_>>().join(REDACTED);
        redact_schemes(&text)
    }

    /// Runs of base64 characters that decode (standard or URL-safe, padded or not, from any of
    /// the four offsets) to bytes that hold the credential, in any of its forms.
    fn cut_decodable(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(is_base64) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(|c: char| !is_base64(c)).unwrap_or(rest.len());
            let run = &rest[..end];
            out.push_str(if self.decodes_to_credential(run, 2) { REDACTED } else { run });
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// Whether `run` is base64 of something holding the credential; `depth` more layers of
    /// base64 inside it are looked through (a header echoed in an encoded debug blob).
    fn decodes_to_credential(&self, run: &str, depth: usize) -> bool {
        let run = run.trim_end_matches('=');
        if run.len() < MIN_BASE64_RUN {
            return false;
        }
        (0..4).any(|skip| {
            let Some(part) = run.get(skip..) else { return false };
            // A length of 4n+1 is never valid base64: drop the last character.
            let part = if part.len() % 4 == 1 { &part[..part.len() - 1] } else { part };
            [STANDARD_LENIENT, URL_SAFE_LENIENT].iter().any(|engine| {
                engine.decode(part).is_ok_and(|bytes| self.holds_credential(&String::from_utf8_lossy(&bytes), depth))
            })
        })
    }

    fn holds_credential(&self, decoded: &str, depth: usize) -> bool {
        let lower = decoded.to_ascii_lowercase();
        if self.forms.iter().any(|(form, _)| lower.contains(form.as_str())) {
            return true;
        }
        depth > 0 && decoded.split(|c: char| !is_base64(c)).any(|run| self.decodes_to_credential(run, depth - 1))
    }
}

fn is_base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=')
}

/// `text`, then each decoding of the one before (JSON string escapes, percent-encoding), until
/// nothing changes or [`MAX_LAYERS`] deep.
fn layers(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    for _ in 0..MAX_LAYERS {
        let last = out.last().map(String::as_str).unwrap_or_default();
        let next = one_line(&percent_decode(&json_unescape(last)));
        if next == last {
            break;
        }
        out.push(next);
    }
    out
}

/// One line without control characters, as messages show remote text. Done before looking for
/// the credential, so removing a control character later cannot join one back together.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().filter(|c| !c.is_control()).collect()
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// JSON string escapes (`\/`, `\u003d`, `\"`, surrogate pairs) decoded wherever they appear;
/// anything that is not a valid escape is kept as it is.
fn json_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let hex4 = |at: usize| {
        text.get(at..at + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let simple = match chars.peek().map(|&(_, n)| n) {
            Some('/') => Some('/'),
            Some('\\') => Some('\\'),
            Some('"') => Some('"'),
            Some('n') => Some('\n'),
            Some('r') => Some('\r'),
            Some('t') => Some('\t'),
            Some('b') => Some('\u{8}'),
            Some('f') => Some('\u{c}'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            chars.next();
            continue;
        }
        if chars.peek().map(|&(_, n)| n) == Some('u')
            && let Some(unit) = hex4(i + 2)
        {
            let (decoded, used) = match unit {
                0xD800..=0xDBFF if text.get(i + 6..i + 8) == Some("\\u") => match hex4(i + 8) {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        (char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), 12)
                    }
                    _ => (None, 6),
                },
                _ => (char::from_u32(unit), 6),
            };
            if let Some(d) = decoded {
                out.push(d);
                // `used` counts the backslash already taken; the rest are ASCII.
                for _ in 1..used {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// `text` with every occurrence of `form` (ASCII lower case) replaced, ignoring ASCII case; a
/// base64 form takes its `=` padding with it.
fn replace_ci(text: &str, form: &str, base64: bool) -> String {
    // ASCII lower-casing keeps byte offsets, so positions found in it hold in `text`.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (at, _) in lower.match_indices(form) {
        if at < from {
            continue; // inside the padding just taken
        }
        out.push_str(&text[from..at]);
        out.push_str(REDACTED);
        from = at + form.len();
        if base64 {
            from += text[from..].bytes().take_while(|&b| b == b'=').count();
        }
    }
    out.push_str(&text[from..]);
    out
}

/// `Basic <token>` and `Bearer <token>` (any case) with the token replaced.
fn redact_schemes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["basic ", "bearer "].iter().filter_map(|s| find_ci(rest, s).map(|i| (i, s.len()))).min() {
        let (i, len) = at;
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',').unwrap_or(rest.len());
        if end > 0 && !rest[..end].starts_with(REDACTED) {
            out.push_str(REDACTED);
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};

    use super::*;

    const USER: &str = "casey@example.com";
    // `/`, `+` and `=` in its base64 forms, so every encoding differs from the plain one.
    const SECRET: &str = "ATATT3x~?>>tok3n";

    fn basic() -> Redactor {
        Redactor::new(SECRET, Some(USER))
    }

    fn encodings() -> Vec<String> {
        let pair = format!("{USER}:{SECRET}");
        let std = STANDARD.encode(&pair);
        let json = std.replace('/', "\\/").replace('=', "\\u003d").replace('+', "\\u002B");
        vec![
            SECRET.to_string(),
            pair.clone(),
            std.clone(),
            STANDARD_NO_PAD.encode(&pair),
            URL_SAFE.encode(&pair),
            URL_SAFE_NO_PAD.encode(&pair),
            std.to_ascii_uppercase(),
            json.clone(),
            percent_encoding::utf8_percent_encode(&std, percent_encoding::NON_ALPHANUMERIC).to_string(),
            percent_encoding::utf8_percent_encode(&pair, percent_encoding::NON_ALPHANUMERIC).to_string(),
            // Escaped twice: a JSON body quoted inside another JSON string.
            json.replace('\\', "\\\\"),
            STANDARD.encode(format!("Authorization: Basic {std}")),
            STANDARD.encode(format!("x{pair}")),
        ]
    }

    #[test]
    fn every_encoding_of_the_credential_is_cut_out() {
        let r = basic();
        for e in encodings() {
            let said = format!("upstream said: header was <{e}> (rejected)");
            let shown = r.redact(&said);
            assert!(shown.starts_with("upstream said: header was <") && shown.ends_with("(rejected)"), "{shown}");
            assert!(shown.contains(REDACTED), "{e} → {shown}");
            assert!(!r.leaks(&shown), "{e} → {shown}");
            for form in encodings() {
                assert!(!shown.contains(&form), "{e} → {shown}");
            }
            // With the scheme in front too.
            let shown = r.redact(&format!("Authorization: Basic {e}"));
            assert!(!r.leaks(&shown) && !shown.contains(SECRET), "{e} → {shown}");
        }
    }

    #[test]
    fn a_bearer_token_is_cut_out_in_any_case() {
        let r = Redactor::new("pat-XyZ-123456", None);
        assert_eq!(r.redact("token PAT-XYZ-123456 refused"), "token [redacted] refused");
        assert_eq!(r.redact("Authorization: Bearer pat-XyZ-123456"), "Authorization: Bearer [redacted]");
        assert!(!r.leaks("nothing here"));
    }

    #[test]
    fn text_without_the_credential_is_kept_as_written() {
        let r = basic();
        let said = r#"Field 'priority' is invalid: \"Urgent\" (see https://x.example/a%20b)"#;
        assert_eq!(r.redact(said), said);
        assert_eq!(r.redact("line one\nline\ttwo"), "line one line two");
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            json_unescape(r#"a\/b\u003dc\u003D\"\\ \ud83d\ude00 \x \u12 \u+123"#),
            "a/b=c=\"\\ 😀 \\x \\u12 \\u+123"
        );
        assert_eq!(percent_decode("a%3Db%2F%zz"), "a=b/%zz");
    }
}
