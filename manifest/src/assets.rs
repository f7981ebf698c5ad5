//! The page assets a report carries: images, fonts and stylesheets the
//! recorded page used, fetched by the extension and stored by the server
//! once per content (named by the SHA-256 of their bytes). The bundle lists
//! which URL each stored asset stands for; the viewer serves them from the
//! server instead of asking the recorded site.

use serde::{Deserialize, Serialize};

/// One asset of a report: the URL the page used and the stored bytes it
/// stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRef {
    /// The absolute URL the page loaded it from (masked like any URL).
    pub url: String,
    /// SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// Its media type, one of [`ASSET_TYPES`].
    #[serde(rename = "type")]
    pub content_type: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The media types an asset may have: what a page draws or styles with.
/// (Served back with this type, `nosniff` and a policy that runs nothing.)
pub const ASSET_TYPES: [&str; 15] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
    "image/bmp",
    "font/woff2",
    "font/woff",
    "font/ttf",
    "font/otf",
    "text/css",
    "application/octet-stream",
];

/// Is `content_type` one an asset may be stored with?
pub fn is_asset_type(content_type: &str) -> bool {
    ASSET_TYPES.contains(&content_type)
}

/// Is `text` a SHA-256 written as 64 lowercase hexadecimal digits?
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_64_lowercase_hex_digits() {
        assert!(is_sha256_hex(&"a1".repeat(32)));
        assert!(!is_sha256_hex(&"A1".repeat(32)));
        assert!(!is_sha256_hex(&"a1".repeat(31)));
        assert!(!is_sha256_hex(&format!("{}/x", "a".repeat(62))));
    }

    #[test]
    fn only_drawing_and_styling_types_are_assets() {
        assert!(is_asset_type("image/png"));
        assert!(is_asset_type("font/woff2"));
        assert!(!is_asset_type("text/html"));
        assert!(!is_asset_type("application/javascript"));
        assert!(!is_asset_type("image/png; charset=x"));
    }

    #[test]
    fn an_asset_is_written_with_its_type_as_type() {
        let asset = AssetRef {
            url: "https://cdn.example/logo.png".into(),
            sha256: "ab".repeat(32),
            content_type: "image/png".into(),
            bytes: 42,
        };
        let json = serde_json::to_string(&asset).unwrap_or_default();
        assert!(json.contains("\"type\":\"image/png\""), "{json}");
    }
}
