//! The server's second line of defence, and its first look at an upload:
//! one streaming pass over the JSON text, before anything is built from it.
//! Every string (object keys included) is run through the same detectors
//! the recorder masks with: a bundle that still carries a secret shape was
//! not masked (a forged upload, or a recorder bug) and is refused, naming
//! where and what, never the secret itself. An object with the same key
//! twice is refused too, since readers disagree on which one counts.
//!
//! The pass holds only the path it is at (serde_json's nesting limit
//! bounds it), never the document: a body costs its own bytes here, not a
//! generic JSON tree many times its size.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use repro_manifest::pii::{self, SecretKind};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Where a secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFound {
    /// The field path, e.g. `console[2].args[0]`.
    pub path: String,
    /// What it looks like.
    pub kind: SecretKind,
}

/// Why a body was refused by the first pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON (serde_json's words, with line and column).
    NotJson(String),
    /// An object names the same key twice, at this path.
    DuplicateKey { path: String, key: String },
    /// A string shaped like a secret (only when scanning for secrets).
    Secret(SecretFound),
}

/// Read `json` once: refuse it if it is not JSON, if an object repeats a
/// key, or (with `secrets`) if any string is shaped like a secret.
/// Screenshot data is base64 of pixels, not text: the recorder blacks out
/// masked regions in the image itself, so it is not scanned as text.
pub fn check(json: &[u8], secrets: bool) -> Result<(), Refusal> {
    let found = RefCell::new(None);
    let mut path = String::new();
    let seed = Scan {
        path: &mut path,
        secrets,
        found: &found,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let outcome = seed
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    match (found.into_inner(), outcome) {
        (Some(refusal), _) => Err(refusal),
        (None, Err(error)) => Err(Refusal::NotJson(error.to_string())),
        (None, Ok(())) => Ok(()),
    }
}

/// Add `key` to `path`: `.key`, or `["key"]` when the key holds what a
/// path is made of, so that no key can pass for a path it is not (such as
/// a top-level key named `screenshots[0].data`).
fn push_key(path: &mut String, key: &str) {
    if key.is_empty() || key.contains(['.', '[', ']', '"']) {
        path.push_str("[\"");
        path.push_str(&key.replace('"', "\\\""));
        path.push_str("\"]");
    } else {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    }
}

fn is_screenshot_data(path: &str) -> bool {
    path.strip_prefix("screenshots[")
        .and_then(|rest| rest.split_once("].data"))
        .is_some_and(|(index, tail)| tail.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
}

/// One value to scan, at `path`; a refusal goes into `found` and stops the
/// pass with an error.
struct Scan<'a> {
    path: &'a mut String,
    secrets: bool,
    found: &'a RefCell<Option<Refusal>>,
}

impl Scan<'_> {
    fn text<E: serde::de::Error>(&self, text: &str) -> Result<(), E> {
        if !self.secrets || is_screenshot_data(self.path) {
            return Ok(());
        }
        match pii::first(text) {
            Some(finding) => self.refuse(Refusal::Secret(SecretFound {
                path: self.path.clone(),
                kind: finding.kind,
            })),
            None => Ok(()),
        }
    }

    fn refuse<E: serde::de::Error>(&self, refusal: Refusal) -> Result<(), E> {
        *self.found.borrow_mut() = Some(refusal);
        Err(E::custom("refused"))
    }

    fn child(&mut self) -> Scan<'_> {
        Scan {
            path: self.path,
            secrets: self.secrets,
            found: self.found,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        self.text(text)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let len = self.path.len();
            self.path.push('[');
            self.path.push_str(&index.to_string());
            self.path.push(']');
            let more = items.next_element_seed(self.child())?;
            self.path.truncate(len);
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut fields: A) -> Result<(), A::Error> {
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(key) = fields.next_key::<std::borrow::Cow<'de, str>>()? {
            let len = self.path.len();
            push_key(self.path, &key);
            if !seen.insert(key.clone().into_owned()) {
                let path = self.path[..len].to_string();
                return self.refuse(Refusal::DuplicateKey {
                    path,
                    key: key.into_owned(),
                });
            }
            self.text::<A::Error>(&key)?;
            fields.next_value_seed(self.child())?;
            self.path.truncate(len);
        }
        Ok(())
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Refusal::NotJson(words) => write!(f, "the body is not valid JSON: {words}"),
            Refusal::DuplicateKey { path, key } if path.is_empty() => {
                write!(f, "the key `{key}` appears twice in the bundle")
            }
            Refusal::DuplicateKey { path, key } => {
                write!(f, "the key `{key}` appears twice in `{path}`")
            }
            Refusal::Secret(found) => {
                write!(f, "a string at `{}` looks like {}", found.path, found.kind)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_at(json: &str) -> Option<(String, SecretKind)> {
        match check(json.as_bytes(), true) {
            Err(Refusal::Secret(found)) => Some((found.path, found.kind)),
            Ok(()) => None,
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn the_path_of_the_first_secret_is_reported() {
        assert_eq!(
            secret_at(r#"{"title":"ok","console":[{"args":["fine","mail ada@example.com"]}]}"#),
            Some(("console[0].args[1]".into(), SecretKind::Email))
        );
        assert_eq!(secret_at(&repro_manifest::example_bundle_json()), None);
        let key = "x/AIzaSyA1234567890abcdefghijklmnopqrstuvwxyz";
        let pixels = format!(r#"{{"screenshots":[{{"data":"{key}"}}]}}"#);
        assert_eq!(secret_at(&pixels), None, "image data is not text");
        let text = format!(r#"{{"title":"{key}"}}"#);
        assert_eq!(
            secret_at(&text).map(|(_, kind)| kind),
            Some(SecretKind::ApiKey),
            "the same bytes as text are a key"
        );
        let in_key = r#"{"headers":{"ada@example.com":"1"}}"#;
        assert_eq!(
            secret_at(in_key),
            Some(("headers[\"ada@example.com\"]".into(), SecretKind::Email)),
            "keys are text too"
        );
        let posing = r#"{"screenshots[0].data":"ada@example.com"}"#;
        assert_eq!(
            secret_at(posing).map(|(_, kind)| kind),
            Some(SecretKind::Email),
            "a key cannot pass for the screenshot data's path"
        );
        assert!(
            is_screenshot_data("screenshots[12].data")
                && !is_screenshot_data("screenshots[1].data.x")
        );
    }

    #[test]
    fn a_repeated_key_is_refused_wherever_it_is() {
        assert_eq!(
            check(br#"{"title":"ada@example.com","title":"ok"}"#, false),
            Err(Refusal::DuplicateKey {
                path: String::new(),
                key: "title".into()
            })
        );
        assert_eq!(
            check(br#"{"pages":[{"url":"a","url":"b"}]}"#, false),
            Err(Refusal::DuplicateKey {
                path: "pages[0]".into(),
                key: "url".into()
            })
        );
        assert_eq!(check(br#"{"a":{"x":1},"b":{"x":1}}"#, false), Ok(()));
    }

    #[test]
    fn what_is_not_json_is_refused_with_serde_words() {
        for bad in [&b"{"[..], b"[1,]", b"{} {}", b"\"\\ud800\""] {
            assert!(
                matches!(check(bad, true), Err(Refusal::NotJson(_))),
                "{bad:?}"
            );
        }
    }
}
