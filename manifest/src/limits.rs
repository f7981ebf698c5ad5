//! The documented limits of a bundle. The recorder stays within them and the
//! server refuses a bundle that does not.

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
        }
    }
}
