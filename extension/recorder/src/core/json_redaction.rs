//! Masking a JSON body a token at a time, without building its tree.
//!
//! Secret-named fields lose their values (a nested object or array whole),
//! and every other string and bare token goes through the secret detectors.
//! Reading tokens rather than parsing the document means that a body cut at
//! the size limit, or nested deeper than a parser goes, is masked the same
//! way as a whole one. (A parsed tree was all or nothing: such a body fell
//! back to text masking, which knows no field names, and a `"password"` key
//! before the cut kept its value.) The text keeps its own layout.

use std::borrow::Cow;

use repro_manifest::pii;

use repro_manifest::{is_secret_field, MASKED};

/// `text` with secret fields and secret shapes masked, if it reads as JSON
/// (an object or an array, possibly cut short); `None` otherwise.
pub fn redact_json(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let bytes = text.as_bytes();
    let masked_value = format!("\"{MASKED}\"");
    let mut out = String::with_capacity(text.len());
    // The value about to come belongs to a secret-named field.
    let mut secret_value = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let end = string_end(bytes, at);
                let literal = &text[at..end];
                if bytes.get(skip_space(bytes, end)) == Some(&b':') {
                    secret_value = is_secret_field(&decoded(literal));
                    out.push_str(literal);
                } else if std::mem::take(&mut secret_value) {
                    out.push_str(&masked_value);
                } else {
                    out.push_str(&masked_string(literal));
                }
                at = end;
            }
            b'{' | b'[' if std::mem::take(&mut secret_value) => {
                out.push_str(&masked_value);
                at = nested_end(bytes, at);
            }
            byte @ (b'{' | b'[' | b'}' | b']' | b',') => {
                secret_value = false;
                out.push(byte as char);
                at += 1;
            }
            byte @ (b':' | b' ' | b'\t' | b'\n' | b'\r') => {
                out.push(byte as char);
                at += 1;
            }
            _ => {
                let end = token_end(bytes, at);
                let token = &text[at..end];
                if std::mem::take(&mut secret_value) && token != "null" {
                    out.push_str(&masked_value);
                } else {
                    match pii::mask(token) {
                        Cow::Borrowed(token) => out.push_str(token),
                        // A number that held a card number becomes a string.
                        Cow::Owned(masked) => out.push_str(&quoted(&masked)),
                    }
                }
                at = end;
            }
        }
    }
    Some(out)
}

/// The index after the string literal that starts at `start` (the end of
/// the text if it is cut short inside it).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The index after the object or array that starts at `start`, strings
/// inside it skipped whole (the end of the text if it is cut short).
fn nested_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                at = string_end(bytes, at);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// The index after the bare token (number, `true`, `false`, `null`, or
/// anything else that is not JSON) that starts at `start`.
fn token_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    while at < bytes.len()
        && !matches!(
            bytes[at],
            b'"' | b'{' | b'[' | b'}' | b']' | b',' | b':' | b' ' | b'\t' | b'\n' | b'\r'
        )
    {
        at += 1;
    }
    // A token ends on an ASCII byte or at the end: always a char boundary.
    at.max(start + 1).min(bytes.len())
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The text of a string literal, escapes read; a literal cut short is read
/// as if it were closed, and one that still does not read is taken as it is.
fn decoded(literal: &str) -> Cow<'_, str> {
    let closed = match literal.len() > 1 && literal.ends_with('"') {
        true => Cow::Borrowed(literal),
        false => Cow::Owned(format!("{literal}\"")),
    };
    match serde_json::from_str::<String>(&closed) {
        Ok(text) => Cow::Owned(text),
        Err(_) => Cow::Borrowed(literal.trim_start_matches('"')),
    }
}

/// A string literal with its text through the detectors; unchanged when
/// they find nothing.
fn masked_string(literal: &str) -> Cow<'_, str> {
    let text = decoded(literal);
    match pii::mask(&text) {
        Cow::Borrowed(_) => Cow::Borrowed(literal),
        Cow::Owned(masked) => Cow::Owned(quoted(&masked)),
    }
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{MASKED}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> serde_json::Value {
        serde_json::from_str(&redact_json(text).unwrap()).unwrap()
    }

    #[test]
    fn secret_fields_lose_their_values_and_strings_their_secrets() {
        let v = value(
            r#"{"user":"ada","password":"hunter2","nested":{"api_key":"k","note":"mail ada@example.com"},"items":[{"cvv":123}],"status_code":200,"token":null}"#,
        );
        assert_eq!(v["user"], "ada");
        assert_eq!(v["password"], MASKED);
        assert_eq!(v["nested"]["api_key"], MASKED);
        assert_eq!(v["nested"]["note"], "mail ***************");
        assert_eq!(v["items"][0]["cvv"], MASKED);
        assert_eq!(v["status_code"], 200, "a near miss stays readable");
        assert!(v["token"].is_null(), "an empty secret stays empty");
        assert!(redact_json("not json").is_none());
    }

    #[test]
    fn a_secret_fields_object_or_array_goes_whole() {
        let v = value(r#"{"credentials":{"user":"a","pin":[1,2,"x]}"]},"after":"kept"}"#);
        assert_eq!(v["credentials"], MASKED);
        assert_eq!(v["after"], "kept");
    }

    #[test]
    fn a_body_cut_short_keeps_nothing_secret() {
        let cut = r#"{"user":"ada","password":"hunter2","access_token":"abc.def","rows":[{"email":"ada@example.com","note":"we"#;
        let out = redact_json(cut).unwrap();
        for secret in ["hunter2", "abc.def", "ada@example.com"] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(out.contains(r#""user":"ada""#));
        let inside = redact_json(r#"{"secret":{"a":"hunter2","b":"#).unwrap();
        assert!(!inside.contains("hunter2"), "{inside}");
        let in_value = redact_json(r#"{"password":"hunt"#).unwrap();
        assert!(!in_value.contains("hunt"), "{in_value}");
    }

    #[test]
    fn nesting_deeper_than_a_parser_goes_is_masked_too() {
        let depth = 5_000;
        let text = format!(
            "{}{{\"password\":\"hunter2\"}}{}",
            "{\"level\":".repeat(depth),
            "}".repeat(depth)
        );
        let out = redact_json(&text).unwrap();
        assert!(!out.contains("hunter2"));
        assert!(out.contains(MASKED));
    }

    #[test]
    fn escapes_and_numbers_do_not_hide_secrets() {
        let v =
            value(r#"{"note":"ada\u0040example.com","card":4111111111111111,"pass\u0077ord":"x"}"#);
        assert_eq!(v["note"], "***************");
        assert_ne!(v["card"], serde_json::json!(4111111111111111u64));
        assert_eq!(v["password"], MASKED);
    }

    #[test]
    fn text_that_only_starts_like_json_still_goes_through_the_detectors() {
        let out = redact_json("[INFO] signed in as ada@example.com").unwrap();
        assert!(!out.contains("ada@example.com"), "{out}");
        assert!(out.starts_with("[INFO]"));
    }

    #[test]
    fn layout_and_untouched_strings_stay_as_they_were() {
        let text = "{\n  \"a\": \"caf\\u00e9\",\n  \"b\": [1, 2.5e3, true]\n}";
        assert_eq!(redact_json(text).unwrap(), text);
    }
}
