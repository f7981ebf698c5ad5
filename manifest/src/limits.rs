//! The documented limits of a bundle. The recorder stays within them and the
//! server refuses a bundle that does not.

/// The most attributes one element may carry. Pages do not come near it
/// (a few dozen at most); a bundle past it is refused while it is read,
/// before the element's attributes are all in memory, and the recorder
/// keeps the first ones only.
pub const MAX_ATTRIBUTES_PER_ELEMENT: usize = 1_000;

/// Upper bounds on a bundle's size and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest compressed upload, in bytes.
    pub max_compressed_bytes: usize,
    /// Largest decompressed bundle, in bytes.
    pub max_bundle_bytes: usize,
    /// Most pages in one session.
    pub max_pages: usize,
    /// Most DOM events in one session.
    pub max_events: usize,
    /// Most nodes in one snapshot or one mutation.
    pub max_nodes_per_event: usize,
    /// Most console entries.
    pub max_console: usize,
    /// Most network entries.
    pub max_network: usize,
    /// Most screenshots.
    pub max_screenshots: usize,
    /// Longest single string (text node, attribute, console argument), in bytes.
    pub max_string_bytes: usize,
    /// Longest title (the report's and each page's), in bytes: titles are
    /// shown in every list of reports.
    pub max_title_bytes: usize,
    /// Longest page URL (each page's and the environment's), in bytes.
    pub max_url_bytes: usize,
    /// Most assets one report may list.
    pub max_assets: usize,
    /// Largest single asset, in bytes.
    pub max_asset_bytes: usize,
    /// Longest short field of the environment (browser, version, OS, user
    /// agent, language, time zone, versions, release), in bytes.
    pub max_label_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_compressed_bytes: 32 * 1024 * 1024,
            max_bundle_bytes: 256 * 1024 * 1024,
            max_pages: 1_000,
            max_events: 1_000_000,
            max_nodes_per_event: 1_000_000,
            max_console: 100_000,
            max_network: 50_000,
            max_screenshots: 200,
            max_string_bytes: 4 * 1024 * 1024,
            max_title_bytes: 2 * 1024,
            max_url_bytes: 8 * 1024,
            max_label_bytes: 1024,
            max_assets: 2_000,
            max_asset_bytes: 8 * 1024 * 1024,
        }
    }
}

/// `text` cut to at most `max_bytes` bytes at a character boundary, with
/// `…` at the end when anything was cut: what the recorder does to a title
/// or URL longer than the limits allow, so that the report is still taken.
pub fn cut_to(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    const ELLIPSIS: &str = "…";
    let mut end = max_bytes.saturating_sub(ELLIPSIS.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ELLIPSIS}", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::cut_to;

    #[test]
    fn long_texts_are_cut_at_a_character_boundary_within_the_limit() {
        assert_eq!(cut_to("short", 10), "short");
        let cut = cut_to(&"é".repeat(100), 11);
        assert!(cut.len() <= 11 && cut.ends_with('…'), "{cut}");
        assert_eq!(cut, "éééé…");
    }
}
