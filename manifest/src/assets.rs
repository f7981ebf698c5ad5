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

/// An asset the page used that the report does not store, and why: what
/// a developer needs to know when the replay shows empty space there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedAsset {
    /// The absolute URL the page loaded it from (masked like any URL).
    pub url: String,
    /// Why: one of [`SKIP_REASONS`] (a newer version may add others).
    pub why: String,
}

/// Why an asset was not stored: it could not be fetched (an error, a
/// timeout, an error status); it was larger than an asset may be; it was
/// not a kind of file an asset may be (an HTML error page, a script); the
/// report already held as many bytes of assets as it may; the tester keeps
/// images out ("Store the page's images" off).
pub const SKIP_REASONS: [&str; 5] = [
    "unreachable",
    "too_large",
    "not_an_asset",
    "report_full",
    "images_off",
];

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

/// The type an asset is stored with: the response's `declared` type when
/// it is one an asset may have (common aliases taken), else what its first
/// bytes (`head`) show; `None` for anything else (HTML, scripts, JSON).
pub fn asset_type(declared: &str, head: &[u8]) -> Option<&'static str> {
    let essence = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let alias = match essence.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        "image/x-png" => "image/png",
        "application/font-woff" | "application/x-font-woff" => "font/woff",
        "application/font-woff2" | "font/x-woff2" => "font/woff2",
        "application/x-font-ttf" | "application/x-font-truetype" | "font/sfnt" => "font/ttf",
        "application/x-font-opentype" => "font/otf",
        other => other,
    };
    if let Some(known) = ASSET_TYPES
        .iter()
        .find(|t| **t == alias && **t != "application/octet-stream")
    {
        return Some(known);
    }
    sniffed_type(head)
}

/// What the first bytes of an asset show it is.
fn sniffed_type(head: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        Some("image/webp")
    } else if starts(b"wOF2") {
        Some("font/woff2")
    } else if starts(b"wOFF") {
        Some("font/woff")
    } else if starts(b"\x00\x01\x00\x00") || starts(b"true") {
        Some("font/ttf")
    } else if starts(b"OTTO") {
        Some("font/otf")
    } else if starts(b"\x00\x00\x01\x00") {
        Some("image/x-icon")
    } else if starts(b"BM") {
        Some("image/bmp")
    } else if is_svg(head) {
        Some("image/svg+xml")
    } else {
        None
    }
}

/// Does `head` start an SVG document (after a BOM, spaces, an XML
/// declaration or comments)?
fn is_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(1024)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<!--") || text.starts_with("<svg"))
        && text.contains("<svg")
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
    fn a_type_is_taken_from_the_header_or_else_the_bytes() {
        assert_eq!(asset_type("image/png", b""), Some("image/png"));
        assert_eq!(asset_type("Image/JPG; q=1", b""), Some("image/jpeg"));
        assert_eq!(
            asset_type("application/x-font-woff", b""),
            Some("font/woff")
        );
        assert_eq!(
            asset_type("application/octet-stream", b"wOF2...."),
            Some("font/woff2")
        );
        assert_eq!(asset_type("", b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(
            asset_type("text/plain", b"<?xml version=\"1.0\"?><svg xmlns="),
            Some("image/svg+xml")
        );
        assert_eq!(asset_type("text/html", b"<!doctype html><p>"), None);
        assert_eq!(asset_type("application/javascript", b"alert(1)"), None);
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
