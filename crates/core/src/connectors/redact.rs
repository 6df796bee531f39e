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

/// Shortest word after `Basic ` or `Bearer ` cut out as a credential of another kind.
const MIN_SCHEME_TOKEN: usize = 8;

/// How many bytes of a text are read. Only about 300 characters are shown (see [`clip`]), and
/// reading more costs time for nothing: a whole HTML page of a megabyte took seconds.
pub(crate) const MAX_INPUT: usize = 64 * 1024;

/// How far back from [`MAX_INPUT`] a long text is cut to the end of a word, so that a form of the
/// credential the bound splits is not read (and shown) in part.
const WORD_MARGIN: usize = 4 * 1024;

/// The base64 decoder for both alphabets (`-` and `_` are mapped to `+` and `/` first), padded
/// or not, with the last character's spare bits ignored (a run may go on past the encoding).
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const ANY_BASE64: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);

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
            // The text is searched with its whitespace made single spaces (see `one_line`), so
            // the secret is too: `pa  ss\tword` is found as `pa ss word`.
            forms.push((one_line(p).to_ascii_lowercase(), false));
            // The padding is left out of the form, so padded and unpadded both match.
            forms.push((STANDARD_NO_PAD.encode(p).to_ascii_lowercase(), true));
            forms.push((URL_SAFE_NO_PAD.encode(p).to_ascii_lowercase(), true));
        }
        Redactor { forms }.sorted()
    }

    /// One redactor for the credentials of both (an API key and the `id:key` it encodes).
    pub fn with(mut self, other: Redactor) -> Redactor {
        self.forms.extend(other.forms);
        self.sorted()
    }

    fn sorted(mut self) -> Redactor {
        // An empty form would match everywhere.
        self.forms.retain(|(f, _)| !f.is_empty());
        // Longest first, so `user:secret` goes whole rather than leaving `user:`.
        self.forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        self.forms.dedup();
        self
    }

    /// `text` as one clipped line without the credential in any form it was found in. Where it
    /// was hidden under escapes, the decoded text is shown (redacted); otherwise the text as the
    /// system wrote it. Only its first [`MAX_INPUT`] bytes are read; a longer text is shown
    /// ending in `…`, and nothing after them can be shown.
    pub fn redact(&self, text: &str) -> String {
        let (text, cut_short) = bounded(text);
        let mut shown = self.redact_all(text);
        if cut_short && !shown.ends_with('…') && shown != WITHHELD {
            shown.push('…');
        }
        shown
    }

    /// [`Redactor::redact`] for a body as it came: only the bytes read are turned into text.
    pub fn redact_bytes(&self, body: &[u8]) -> String {
        // One byte more than is read, so that `redact` sees that the body goes on.
        self.redact(&String::from_utf8_lossy(&body[..body.len().min(MAX_INPUT + 1)]))
    }

    fn redact_all(&self, text: &str) -> String {
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
        if self.found_in(&text) { WITHHELD.into() } else { clip(&text) }
    }

    /// Whether `text` holds the credential in any form [`Redactor::redact`] removes, or is too
    /// long to be read whole (more than [`MAX_INPUT`] bytes): either way it may be shown only
    /// through [`Redactor::redact`].
    pub fn leaks(&self, text: &str) -> bool {
        text.len() > MAX_INPUT || self.found_in(text)
    }

    fn found_in(&self, text: &str) -> bool {
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
    /// the four offsets) to bytes that hold the credential, in any of its forms. A run is taken
    /// apart at each `=` (padding ends an encoding, so one never goes on past it: `debug=<blob>`
    /// or `<blob>==&`), and only the parts that decode are cut, with their padding.
    fn cut_decodable(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(is_base64) {
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find(|c: char| !is_base64(c)).unwrap_or(rest.len());
            let mut kept = Vec::new();
            let mut cut = false;
            for part in rest[..end].split('=') {
                if cut && part.is_empty() {
                    continue; // the padding of the part just cut
                }
                cut = self.part_decodes_to_credential(part, 2);
                kept.push(if cut { REDACTED } else { part });
            }
            out.push_str(&kept.join("="));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// Whether some part of `run` between `=` signs is base64 of something holding the
    /// credential; `depth` more layers of base64 inside it are looked through (a header echoed
    /// in an encoded debug blob).
    fn decodes_to_credential(&self, run: &str, depth: usize) -> bool {
        run.split('=').any(|part| self.part_decodes_to_credential(part, depth))
    }

    /// [`Redactor::decodes_to_credential`] for a run without `=`. Either alphabet, or both mixed
    /// (`x-dump-<standard base64>`), decodes the same once `-` and `_` are `+` and `/`: what
    /// comes before the encoding decodes to some bytes of its own, and one of the four offsets
    /// puts the encoding itself in step.
    fn part_decodes_to_credential(&self, part: &str, depth: usize) -> bool {
        if part.len() < MIN_BASE64_RUN {
            return false;
        }
        let part: String = part
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        (0..4).any(|skip| {
            let Some(part) = part.get(skip..) else { return false };
            // A length of 4n+1 is never valid base64: drop the last character.
            let part = if part.len() % 4 == 1 { &part[..part.len() - 1] } else { part };
            ANY_BASE64.decode(part).is_ok_and(|bytes| self.holds_credential(&String::from_utf8_lossy(&bytes), depth))
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

/// `text`, or, when it is longer than [`MAX_INPUT`] bytes, its start up to the end of a word near
/// that bound; and whether it was cut short.
fn bounded(text: &str) -> (&str, bool) {
    if text.len() <= MAX_INPUT {
        return (text, false);
    }
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let end = floor(MAX_INPUT);
    let margin = floor(MAX_INPUT - WORD_MARGIN);
    // The word the bound splits is left out: a part of the credential in it would not be found.
    let end = text[margin..end].rfind(char::is_whitespace).map_or(margin, |at| margin + at);
    (&text[..end], true)
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

/// `Basic <token>` and `Bearer <token>` (any case) with the token replaced when it looks like
/// a credential rather than a word ("Basic authentication is deprecated" stays). One pass over
/// the text: each byte is looked at a bounded number of times.
fn redact_schemes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let scheme = ["basic ", "bearer "]
            .into_iter()
            .find(|s| bytes.get(at..at + s.len()).is_some_and(|w| w.eq_ignore_ascii_case(s.as_bytes())));
        let Some(scheme) = scheme else {
            at += 1;
            continue;
        };
        // An ASCII letter starts the scheme, so these are character boundaries.
        let start = at + scheme.len();
        let rest = &text[start..];
        let end = rest.find(|c: char| !is_token(c)).unwrap_or(rest.len());
        if looks_like_credential(&rest[..end]) {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            copied = start + end;
            at = start + end;
        } else {
            // The word may be a scheme itself (`Bearer basic <token>`): look on from it.
            at = start;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A character of a credential sent after `Basic ` or `Bearer ` (RFC 7235's token68: base64 of
/// either alphabet, a JWT's dots, `~`).
fn is_token(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '.' | '~' | '=')
}

/// A token of at least [`MIN_SCHEME_TOKEN`] characters that is not a word: letters (and `-`)
/// only, in lower case, capitalised or all upper case, before a full stop.
fn looks_like_credential(token: &str) -> bool {
    if token.len() < MIN_SCHEME_TOKEN {
        return false;
    }
    let word = token.trim_end_matches('.');
    let letters = word.chars().all(|c| c.is_alphabetic() || c == '-');
    let lower_after_first = word.chars().skip(1).all(|c| !c.is_uppercase());
    let all_upper = word.chars().all(|c| !c.is_lowercase());
    !(letters && (lower_after_first || all_upper))
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

    /// `Authorization: Basic <base64(user:secret)>` as a debug page would dump it, base64-encoded.
    fn dumped_header() -> String {
        STANDARD.encode(format!(
            ">>>???\r\nGET /x HTTP/1.1\r\nAuthorization: Basic {}\r\n",
            STANDARD.encode(format!("{USER}:{SECRET}"))
        ))
    }

    #[test]
    fn an_encoded_credential_right_after_a_key_or_a_dash_is_found() {
        let r = basic();
        let blob = dumped_header();
        assert!(blob.contains('+') && blob.contains('/'), "the test needs both alphabets: {blob}");
        for said in [
            format!("dump?debug={blob}"),
            format!("dump?debug={}", blob.trim_end_matches('=')),
            format!("x-dump-{blob}"),
            format!("x_dump_{}", URL_SAFE.encode(STANDARD.decode(&blob).unwrap())),
            format!("a=b={blob}==tail"),
            format!("{blob}{blob}"),
        ] {
            assert!(r.leaks(&said), "{said}");
            let shown = r.redact(&said);
            assert!(!r.leaks(&shown) && shown.contains(REDACTED), "{said} → {shown}");
        }
        assert_eq!(r.redact(&format!("dump?debug={blob}")), "dump?debug=[redacted]");
        // The key before the blob and the text after it are kept.
        assert_eq!(r.redact(&format!("k=v&x-dump-{blob}&y=z")), "k=v&[redacted]&y=z");
    }

    #[test]
    fn a_password_with_inner_whitespace_is_cut_out() {
        for secret in ["pa  ss\tword!", "pa ss\u{3000}word!", "pass\n\nword\r\n1"] {
            let r = Redactor::new(secret, Some(USER));
            for said in [format!("denied for {secret} here"), format!("denied for {USER}:{secret} here")] {
                let shown = r.redact(&said);
                assert_eq!(shown, "denied for [redacted] here", "{secret:?}");
                assert!(r.leaks(&said));
            }
        }
    }

    #[test]
    fn words_after_basic_or_bearer_are_kept() {
        let r = basic();
        for said in [
            "Basic authentication with passwords is deprecated.",
            "Bearer tokens are not supported; use Basic.",
            r#"WWW-Authenticate: Basic realm="Jira""#,
            "Basic Authentication is DISABLED. Bearer PREFERRED",
        ] {
            assert_eq!(r.redact(said), said);
            assert!(!r.leaks(said), "{said}");
        }
        assert_eq!(r.redact("Authorization: Bearer eyJhbGciOi.J9x.sig"), "Authorization: Bearer [redacted]");
        assert_eq!(r.redact("Basic dXNlcjpwYXNz, then"), "Basic [redacted], then");
    }

    #[test]
    fn only_a_bounded_prefix_of_a_long_text_is_read() {
        let r = basic();
        // 2 MB of the words the scheme rule looks at, then the credential.
        let hostile = "basic Xx12345678 bearer ".repeat(2 * 1024 * 1024 / 24);
        let shown = r.redact(&format!("{hostile}{SECRET}"));
        assert!(shown.starts_with("basic [redacted] bearer basic [redacted] bearer"), "{shown}");
        assert!(shown.ends_with('…') && !shown.contains(SECRET));
        // What is shown depends on the first MAX_INPUT bytes only: whatever follows them (even
        // after text that collapses to nothing) cannot reach the message.
        let blank = " ".repeat(MAX_INPUT);
        for tail in [format!("{USER} said {SECRET}"), "visible tail".into(), hostile.clone()] {
            let shown = r.redact(&format!("head{blank}{tail}"));
            assert_eq!(shown, "head…", "{}", &tail[..20]);
        }
        // A long text counts as leaking, so callers that check first still redact it.
        assert!(r.leaks(&"x ".repeat(MAX_INPUT)));
        assert!(!r.leaks(&"x ".repeat(MAX_INPUT / 2)));
        // The scheme rule alone is linear: every token of the 2 MB is cut.
        let cut = redact_schemes(&hostile);
        assert_eq!(cut.matches(REDACTED).count(), hostile.matches("basic ").count());
    }

    #[test]
    fn a_body_given_as_bytes_is_read_up_to_the_bound() {
        let r = basic();
        let mut body = b"head".to_vec();
        body.extend(std::iter::repeat_n(b' ', MAX_INPUT));
        body.extend(format!("é{SECRET}").as_bytes());
        assert_eq!(r.redact_bytes(&body), "head…");
        assert_eq!(r.redact_bytes(b"short \xff body"), "short \u{fffd} body");
    }
}
