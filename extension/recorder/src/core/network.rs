//! Masking what the page hook saw of a request: secret headers keep only
//! their names, bodies lose the values of secret-named fields (JSON and
//! form-encoded), and every remaining text goes through the secret detectors.
//! JSON bodies are read by `json_redaction`, XML ones by `xml_redaction`.

use repro_manifest::{is_secret_field, is_secret_header, pii, Body, MASKED};

use super::json_redaction::redact_json;
use super::xml_redaction::redact_xml;

/// The longest body text kept, in characters.
pub const MAX_BODY_CHARS: usize = 65_536;

/// Headers as recorded: secret ones by name only, others with secret shapes masked.
pub fn headers(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .take(100)
        .map(|(name, value)| {
            let value = if is_secret_header(&name) {
                MASKED.to_string()
            } else {
                pii::mask(&value).into_owned()
            };
            (name.chars().take(256).collect(), value)
        })
        .collect()
}

/// A body as recorded. `text` is `None` for binary bodies.
pub fn body(text: Option<String>, size: u64, mime: &str) -> Body {
    let Some(text) = text else {
        return Body {
            text: None,
            size,
            mime: mime.to_string(),
            truncated: false,
        };
    };
    let (text, cut) = match text.char_indices().nth(MAX_BODY_CHARS) {
        Some((at, _)) => (text[..at].to_string(), true),
        None => (text, false),
    };
    let truncated = cut || size > text.chars().count() as u64;
    let masked = if let Some(json) = redact_json(&text) {
        json
    } else if let Some(xml) = redact_xml(&text) {
        xml
    } else if mime.contains("x-www-form-urlencoded") || looks_form_encoded(&text) {
        redact_form(&text)
    } else {
        pii::mask(&text).into_owned()
    };
    Body {
        text: Some(masked),
        size,
        mime: mime.to_string(),
        truncated,
    }
}

fn looks_form_encoded(text: &str) -> bool {
    !text.is_empty()
        && !text.contains(char::is_whitespace)
        && text
            .split('&')
            .all(|pair| pair.split_once('=').is_some_and(|(k, _)| !k.is_empty()))
}

/// `a=1&password=x` → `a=1&password=[masked by Repro]`, other values through the detectors.
pub fn redact_form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_field(name) => format!("{name}={MASKED}"),
            Some((name, value)) => format!("{name}={}", pii::mask(value)),
            None => pii::mask(pair).into_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_headers_keep_only_their_names() {
        let out = headers(vec![
            ("Authorization".into(), "Bearer abc".into()),
            ("x-session-token".into(), "t".into()),
            ("content-type".into(), "application/json".into()),
            ("x-user".into(), "ada@example.com".into()),
        ]);
        assert_eq!(out[0], ("Authorization".into(), MASKED.into()));
        assert_eq!(out[1].1, MASKED);
        assert_eq!(out[2].1, "application/json");
        assert_eq!(out[3].1, "***************");
    }

    #[test]
    fn a_json_body_cut_at_the_limit_keeps_no_secret_field() {
        let text = format!(
            r#"{{"password":"hunter2","rows":"{}"}}"#,
            "x".repeat(MAX_BODY_CHARS)
        );
        let b = body(Some(text.clone()), text.len() as u64, "application/json");
        assert!(b.truncated);
        let kept = b.text.unwrap();
        assert!(!kept.contains("hunter2"));
        assert!(kept.starts_with(&format!(r#"{{"password":"{MASKED}","rows":"xxx"#)));
    }

    #[test]
    fn form_bodies_and_text() {
        assert_eq!(
            redact_form("user=ada&password=x&pin=1234&city=Paris"),
            format!("user=ada&password={MASKED}&pin={MASKED}&city=Paris")
        );
        let b = body(Some("user=ada&password=x".into()), 19, "");
        assert_eq!(
            b.text.as_deref(),
            Some(format!("user=ada&password={MASKED}").as_str())
        );
        let t = body(Some("hello ada@example.com".into()), 21, "text/plain");
        assert_eq!(t.text.as_deref(), Some("hello ***************"));
        let cut = body(Some("abc".into()), 10, "text/plain");
        assert!(cut.truncated);
        let binary = body(None, 2048, "image/png");
        assert_eq!((binary.text, binary.size), (None, 2048));
    }
}
