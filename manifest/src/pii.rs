//! Detectors for secrets and personal data in free text: email addresses,
//! card numbers that pass Luhn, JWTs, bearer tokens, common API-key shapes
//! and IBANs.
//!
//! The recorder masks what they find in every string it emits (text nodes,
//! attribute values, console arguments, URLs); the server runs the same
//! detectors over every string of an upload as a second line of defence.
//! They are hand-written scanners (no regex engine: the recorder ships as
//! wasm and as wasm2js JavaScript, where every kilobyte counts) and they lean
//! towards precision: a 16-digit order number that fails Luhn, or an
//! `icon@2x.png` in code, is left alone.

use std::borrow::Cow;
use std::fmt;

/// What kind of secret a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// An email address.
    Email,
    /// A payment card number (13–19 digits, a known first digit, Luhn-valid).
    CardNumber,
    /// A JSON Web Token.
    Jwt,
    /// The credential of an `Authorization: Bearer …` value.
    BearerToken,
    /// A key of a known API-key shape (AWS, GitHub, Stripe, Slack, Google, GitLab, OpenAI, Repro).
    ApiKey,
    /// An IBAN with a valid checksum.
    Iban,
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretKind::Email => "email address",
            SecretKind::CardNumber => "card number",
            SecretKind::Jwt => "JSON Web Token",
            SecretKind::BearerToken => "bearer token",
            SecretKind::ApiKey => "API key",
            SecretKind::Iban => "IBAN",
        })
    }
}

/// One secret found in a text: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// What it is.
    pub kind: SecretKind,
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
}

/// Every secret in `text`, in order, without overlaps.
pub fn find(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    if text.len() < 6 {
        return found;
    }
    let bytes = text.as_bytes();
    // Card numbers and IBANs hold digits, and addresses an `@`: a text
    // without them (most texts of a page) is not scanned for them at all.
    let digits = bytes.iter().any(u8::is_ascii_digit);
    let at_sign = bytes.contains(&b'@');
    let mut runs = RunEnds::default();
    let mut i = 0;
    while i < bytes.len() {
        let at_boundary = i == 0 || !is_word_byte(bytes[i - 1]);
        let hit = if at_boundary {
            let token = may_start_token(bytes[i]);
            digits
                .then(|| card_at(bytes, i))
                .flatten()
                .or_else(|| token.then(|| jwt_at(bytes, i, &mut runs)).flatten())
                .or_else(|| token.then(|| bearer_at(bytes, i)).flatten())
                .or_else(|| token.then(|| api_key_at(bytes, i, &mut runs)).flatten())
                .or_else(|| digits.then(|| iban_at(bytes, i)).flatten())
                .or_else(|| at_sign.then(|| email_at(bytes, i, &mut runs)).flatten())
        } else {
            None
        };
        match hit {
            Some(finding) => {
                i = finding.end;
                found.push(finding);
            }
            None => i += 1,
        }
    }
    found
}

/// The first secret in `text`, if any.
pub fn first(text: &str) -> Option<Finding> {
    find(text).into_iter().next()
}

/// `text` with every secret masked: each character but spaces becomes the
/// mask character, so that layouts hold. Borrowed when nothing was found.
pub fn mask(text: &str) -> Cow<'_, str> {
    let findings = find(text);
    if findings.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for finding in findings {
        out.push_str(&text[copied..finding.start]);
        out.extend(text[finding.start..finding.end].chars().map(|c| {
            if c == ' ' {
                ' '
            } else {
                crate::MASK_CHAR
            }
        }));
        copied = finding.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Can a JWT, a bearer credential or a known API key start with `b`? Most
/// words of a page cannot, and are not looked at for them.
fn may_start_token(b: u8) -> bool {
    matches!(b, b'e' | b'b' | b'B' | b'A' | b'g' | b's' | b'r' | b'x')
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Where the runs the detectors measure end, remembered. A detector looks
/// from a word start to the end of a run (a key's characters, an address's
/// local part), and a run holds as many word starts as it likes (`a.a.a.…`,
/// `sk-sk-sk-…`): measured again from each, a run cost the square of its
/// length. Each memo knows one run; every start inside it reads its end.
#[derive(Default)]
struct RunEnds {
    /// Base64url runs of key bodies, with where their last digit and
    /// letter are (whether a body mixes both).
    key: KeyRun,
    /// Base64url runs of a JWT's header, payload and signature.
    jwt_header: RunMemo,
    jwt_payload: RunMemo,
    jwt_signature: RunMemo,
    /// An address's local part.
    local: RunMemo,
    /// The outcome of the domain after an `@` at this offset: where the
    /// address ends, or `None` when it is not a domain.
    domain: Option<(usize, Option<usize>)>,
}

/// One run's start and end: for any offset from `from` to `end`, the run
/// of accepted bytes ends at `end`.
#[derive(Default, Clone, Copy)]
struct RunMemo {
    from: usize,
    end: usize,
    known: bool,
}

impl RunMemo {
    /// The end of the run of `accept`ed bytes from `from`.
    fn end(&mut self, bytes: &[u8], from: usize, accept: impl Fn(u8) -> bool) -> usize {
        if self.known && (self.from..=self.end).contains(&from) {
            return self.end;
        }
        let end = from + run_len(bytes, from, accept);
        *self = RunMemo {
            from,
            end,
            known: true,
        };
        end
    }
}

/// A base64url run, with the offsets of its last digit and last letter.
#[derive(Default, Clone, Copy)]
struct KeyRun {
    run: RunMemo,
    last_digit: Option<usize>,
    last_letter: Option<usize>,
}

impl KeyRun {
    /// The end of the base64url run from `from`, and whether the bytes from
    /// `from` to it hold a digit and a letter.
    fn end_and_mix(&mut self, bytes: &[u8], from: usize) -> (usize, bool) {
        let known = self.run.known && (self.run.from..=self.run.end).contains(&from);
        if !known {
            let end = self.run.end(bytes, from, is_base64url);
            let body = &bytes[from..end];
            self.last_digit = body.iter().rposition(u8::is_ascii_digit).map(|i| from + i);
            self.last_letter = body
                .iter()
                .rposition(u8::is_ascii_alphabetic)
                .map(|i| from + i);
        }
        let mixed = self.last_digit.is_some_and(|i| i >= from)
            && self.last_letter.is_some_and(|i| i >= from);
        (self.run.end, mixed)
    }
}

fn run_len(bytes: &[u8], from: usize, accept: impl Fn(u8) -> bool) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .take_while(|&&b| accept(b))
        .count()
}

fn ends_at_boundary(bytes: &[u8], end: usize) -> bool {
    end >= bytes.len() || !is_word_byte(bytes[end])
}

/// Digits with single spaces or dashes between groups: `4111 1111-1111 1111`.
fn card_at(bytes: &[u8], start: usize) -> Option<Finding> {
    if !matches!(bytes[start], b'2'..=b'6') {
        return None;
    }
    let mut digits = [0u8; 20];
    let mut count = 0;
    let mut i = start;
    let mut end = start;
    while i < bytes.len() && count < digits.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits[count] = b - b'0';
            count += 1;
            i += 1;
            end = i;
        } else if (b == b' ' || b == b'-')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && i > start
        {
            i += 1;
        } else {
            break;
        }
    }
    if !(13..=19).contains(&count) || !ends_at_boundary(bytes, end) || !luhn(&digits[..count]) {
        return None;
    }
    Some(Finding {
        kind: SecretKind::CardNumber,
        start,
        end,
    })
}

/// The Luhn checksum over decimal digits.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = d as u32;
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// `eyJ…` `.` `eyJ…` `.` signature.
fn jwt_at(bytes: &[u8], start: usize, runs: &mut RunEnds) -> Option<Finding> {
    if !bytes[start..].starts_with(b"eyJ") {
        return None;
    }
    let dot1 = runs.jwt_header.end(bytes, start, is_base64url);
    let header = dot1 - start;
    if header < 10 || bytes.get(dot1) != Some(&b'.') || !bytes[dot1 + 1..].starts_with(b"eyJ") {
        return None;
    }
    let dot2 = runs.jwt_payload.end(bytes, dot1 + 1, is_base64url);
    let payload = dot2 - (dot1 + 1);
    if payload < 10 || bytes.get(dot2) != Some(&b'.') {
        return None;
    }
    let end = runs.jwt_signature.end(bytes, dot2 + 1, is_base64url);
    Some(Finding {
        kind: SecretKind::Jwt,
        start,
        end,
    })
}

/// `Bearer <credential>`: the credential is the finding.
fn bearer_at(bytes: &[u8], start: usize) -> Option<Finding> {
    let word = bytes.get(start..start + 7)?;
    if !word.eq_ignore_ascii_case(b"bearer ") {
        return None;
    }
    let from = start + 7 + run_len(bytes, start + 7, |b| b == b' ');
    let len = run_len(bytes, from, |b| {
        is_base64url(b) || matches!(b, b'.' | b'~' | b'+' | b'/' | b'=')
    });
    if len < 16 {
        return None;
    }
    Some(Finding {
        kind: SecretKind::BearerToken,
        start: from,
        end: from + len,
    })
}

/// Known key prefixes and the least number of key characters after them.
const KEY_SHAPES: [(&[u8], usize); 16] = [
    (b"AKIA", 16),
    (b"ASIA", 16),
    (b"ghp_", 36),
    (b"gho_", 36),
    (b"ghu_", 36),
    (b"ghs_", 36),
    (b"ghr_", 36),
    (b"github_pat_", 22),
    (b"sk_live_", 16),
    (b"sk_test_", 16),
    (b"rk_live_", 16),
    (b"xoxb-", 10),
    (b"xoxp-", 10),
    (b"AIza", 35),
    (b"glpat-", 20),
    (b"repro_", 32),
];

fn api_key_at(bytes: &[u8], start: usize, runs: &mut RunEnds) -> Option<Finding> {
    let rest = &bytes[start..];
    let shaped = KEY_SHAPES.iter().find_map(|(prefix, min)| {
        if !rest.starts_with(prefix) {
            return None;
        }
        let from = start + prefix.len();
        let (end, _) = runs.key.end_and_mix(bytes, from);
        let len = end - from;
        (len >= *min).then_some(prefix.len() + len)
    });
    // OpenAI-style `sk-…` keys: long, and mixing letters and digits.
    let mut openai = || {
        if !rest.starts_with(b"sk-") {
            return None;
        }
        let (end, mixed) = runs.key.end_and_mix(bytes, start + 3);
        let body = end - (start + 3);
        (body >= 32 && mixed).then_some(3 + body)
    };
    let len = shaped.or_else(&mut openai)?;
    ends_at_boundary(bytes, start + len).then_some(Finding {
        kind: SecretKind::ApiKey,
        start,
        end: start + len,
    })
}

/// `DE89 3704 0044 0532 0130 00` or `DE89370400440532013000`, checksum-valid.
fn iban_at(bytes: &[u8], start: usize) -> Option<Finding> {
    let head = bytes.get(start..start + 4)?;
    if !(head[0].is_ascii_uppercase()
        && head[1].is_ascii_uppercase()
        && head[2].is_ascii_digit()
        && head[3].is_ascii_digit())
    {
        return None;
    }
    let mut chars = Vec::with_capacity(34);
    let mut i = start;
    let mut end = start;
    while i < bytes.len() && chars.len() <= 34 {
        let b = bytes[i];
        if b.is_ascii_digit() || b.is_ascii_uppercase() {
            chars.push(b);
            i += 1;
            end = i;
        } else if b == b' '
            && bytes.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric())
            && (i - start) % 5 == 4
        {
            i += 1;
        } else {
            break;
        }
    }
    if !(15..=34).contains(&chars.len()) || !ends_at_boundary(bytes, end) {
        return None;
    }
    // Move the first four characters to the end, read letters as 10..35, mod 97.
    let mut remainder = 0u32;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        let value = if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32 + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    (remainder == 1).then_some(Finding {
        kind: SecretKind::Iban,
        start,
        end,
    })
}

/// File extensions that make `name@2x.png` look like an address but are not.
const NOT_TLDS: [&str; 12] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "css", "js", "mjs", "map", "ico",
];

/// `local@domain.tld`, starting at the local part.
fn email_at(bytes: &[u8], start: usize, runs: &mut RunEnds) -> Option<Finding> {
    let at = runs.local.end(bytes, start, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
    });
    if at == start || bytes.get(at) != Some(&b'@') || bytes[start] == b'.' {
        return None;
    }
    // Every start in the same local part reaches the same `@`.
    let end = match runs.domain {
        Some((known, end)) if known == at => end,
        _ => {
            let end = domain_end(bytes, at);
            runs.domain = Some((at, end));
            end
        }
    }?;
    Some(Finding {
        kind: SecretKind::Email,
        start,
        end,
    })
}

/// Where the address whose `@` is at `at` ends, if a domain follows it.
fn domain_end(bytes: &[u8], at: usize) -> Option<usize> {
    let domain_len = run_len(bytes, at + 1, |b| {
        b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
    });
    let mut domain = &bytes[at + 1..at + 1 + domain_len];
    while domain.last() == Some(&b'.') {
        domain = &domain[..domain.len() - 1];
    }
    let tld = domain.rsplit(|&b| b == b'.').next()?;
    let labels_ok = domain.split(|&b| b == b'.').all(|label| !label.is_empty());
    if !domain.contains(&b'.')
        || !labels_ok
        || !(2..=24).contains(&tld.len())
        || !tld.iter().all(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let tld = std::str::from_utf8(tld).ok()?.to_ascii_lowercase();
    if NOT_TLDS.contains(&tld.as_str()) {
        return None;
    }
    Some(at + 1 + domain.len())
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_token_shape_starts_with_a_byte_looked_at() {
        for (prefix, _) in super::KEY_SHAPES {
            assert!(super::may_start_token(prefix[0]), "{prefix:?}");
        }
        for first in [b'e', b'b', b'B', b's'] {
            // `eyJ` (JWT), `bearer`/`Bearer`, `sk-`
            assert!(super::may_start_token(first));
        }
        assert!(!super::may_start_token(b'h'));
    }

    use super::*;

    fn kinds(text: &str) -> Vec<SecretKind> {
        find(text).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn emails_are_found_and_file_names_are_not() {
        assert_eq!(
            mask("Contact ada.lovelace+qa@example.co.uk today"),
            "Contact ***************************** today"
        );
        assert_eq!(kinds("icon@2x.png and logo@3x.webp"), []);
        assert_eq!(kinds("user@localhost"), []);
        assert_eq!(kinds("a@b.c"), []);
        assert_eq!(kinds("@handle on x.com"), []);
    }

    #[test]
    fn card_numbers_must_pass_luhn() {
        assert_eq!(
            mask("card 4111 1111 1111 1111 ok"),
            "card **** **** **** **** ok"
        );
        assert_eq!(kinds("4111-1111-1111-1111"), [SecretKind::CardNumber]);
        assert_eq!(kinds("5500005555555559"), [SecretKind::CardNumber]);
        // A 16-digit order number that fails Luhn, a timestamp, a long id inside a word.
        assert_eq!(kinds("order 4111111111111112"), []);
        assert_eq!(kinds("at 1795000000000"), []);
        assert_eq!(kinds("id_4111111111111111x"), []);
    }

    #[test]
    fn tokens_and_keys() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(kinds(&format!("token={jwt}")), [SecretKind::Jwt]);
        assert_eq!(
            mask("Authorization: Bearer abcdef0123456789XYZ"),
            "Authorization: Bearer *******************"
        );
        assert_eq!(kinds("Bearer short"), []);
        assert_eq!(kinds("key AKIAIOSFODNN7EXAMPLE here"), [SecretKind::ApiKey]);
        assert_eq!(
            kinds("ghp_0123456789abcdefghijABCDEFGHIJ012345"),
            [SecretKind::ApiKey]
        );
        assert_eq!(kinds("sk_live_51Habcdefghijklmnop"), [SecretKind::ApiKey]);
        assert_eq!(
            kinds("repro_0123456789abcdef0123456789abcdef"),
            [SecretKind::ApiKey]
        );
        assert_eq!(
            kinds("sk-proj-abc123def456ghi789jkl012mno345pqr"),
            [SecretKind::ApiKey]
        );
        // Near misses: a CSS class, a short prefix, an ordinary word.
        assert_eq!(kinds("class=sk-button-primary-large-rounded-corners"), []);
        assert_eq!(kinds("AKIA is a prefix"), []);
        assert_eq!(kinds("eyJust kidding.eyJnot a token"), []);
    }

    #[test]
    fn ibans_need_a_valid_checksum() {
        assert_eq!(
            kinds("IBAN DE89 3704 0044 0532 0130 00."),
            [SecretKind::Iban]
        );
        assert_eq!(kinds("GB82WEST12345698765432"), [SecretKind::Iban]);
        assert!(!kinds("DE89 3704 0044 0532 0130 01").contains(&SecretKind::Iban));
        assert_eq!(kinds("ISO8601 and AB12 words"), []);
    }

    #[test]
    fn masking_keeps_everything_else() {
        let text = "Hi Ada, order #1234 ships to ada@example.com — call 555-0100.";
        assert_eq!(
            mask(text),
            "Hi Ada, order #1234 ships to *************** — call 555-0100."
        );
        assert!(matches!(mask("nothing to see"), Cow::Borrowed(_)));
        assert_eq!(mask("é ada@example.com é"), "é *************** é");
    }
}
