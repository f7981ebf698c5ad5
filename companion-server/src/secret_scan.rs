//! The server's second line of defence: every string of an upload is run
//! through the same detectors the recorder masks with. A bundle that still
//! carries a secret shape was not masked (a forged upload, or a recorder bug)
//! and is refused, naming where and what, never the secret itself.

use repro_manifest::pii::{self, SecretKind};
use serde_json::Value;

/// Where a secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFound {
    /// The field path, e.g. `console[2].args[0]`.
    pub path: String,
    /// What it looks like.
    pub kind: SecretKind,
}

/// The first secret in any string of `value` (object keys included).
/// Screenshot data is base64 of pixels, not text: the recorder blacks out
/// masked regions in the image itself, so it is not scanned as text.
pub fn scan(value: &Value) -> Option<SecretFound> {
    let mut path = String::new();
    walk(value, &mut path)
}

fn is_screenshot_data(path: &str) -> bool {
    path.strip_prefix("screenshots[")
        .and_then(|rest| rest.split_once("].data"))
        .is_some_and(|(index, tail)| tail.is_empty() && index.bytes().all(|b| b.is_ascii_digit()))
}

fn walk(value: &Value, path: &mut String) -> Option<SecretFound> {
    match value {
        Value::String(_) if is_screenshot_data(path) => None,
        Value::String(text) => pii::first(text).map(|finding| SecretFound {
            path: path.clone(),
            kind: finding.kind,
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = walk(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            let found = pii::first(key)
                .map(|finding| SecretFound {
                    path: path.clone(),
                    kind: finding.kind,
                })
                .or_else(|| walk(item, path));
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_the_first_secret_is_reported() {
        let value = serde_json::json!({
            "title": "ok",
            "console": [{"args": ["fine", "mail ada@example.com"]}],
        });
        assert_eq!(
            scan(&value),
            Some(SecretFound {
                path: "console[0].args[1]".into(),
                kind: SecretKind::Email
            })
        );
        let clean = serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
        assert_eq!(scan(&clean), None);
        let pixels = serde_json::json!({"screenshots": [{"data": "x/AIzaSyA1234567890abcdefghijklmnopqrstuvwxyz"}]});
        assert_eq!(scan(&pixels), None, "image data is not text");
        let text = serde_json::json!({"title": "x/AIzaSyA1234567890abcdefghijklmnopqrstuvwxyz"});
        assert_eq!(
            scan(&text).map(|f| f.kind),
            Some(SecretKind::ApiKey),
            "the same bytes as text are a key"
        );
        assert!(
            is_screenshot_data("screenshots[12].data")
                && !is_screenshot_data("screenshots[1].data.x")
        );
    }
}
