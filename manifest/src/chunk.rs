//! A chunk: the unit in which the recorder hands masked captures to the
//! extension's background, which persists chunks as they arrive and joins
//! them into a [`crate::Bundle`] when the recording stops.

use serde::{Deserialize, Serialize};

use crate::{ConsoleEntry, EventRecord, NetworkEntry};

/// What one page's recorder captured since its previous chunk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Chunk {
    /// Page index the chunk belongs to.
    pub page: u32,
    /// Sequence number within the page, from 0.
    pub seq: u32,
    /// DOM events.
    #[serde(default)]
    pub events: Vec<EventRecord>,
    /// Console entries.
    #[serde(default)]
    pub console: Vec<ConsoleEntry>,
    /// Network entries.
    #[serde(default)]
    pub network: Vec<NetworkEntry>,
}

impl Chunk {
    /// Does the chunk carry nothing?
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.console.is_empty() && self.network.is_empty()
    }
}

/// Where a chunk is kept: its page and sequence number, read without
/// building its events. The rest of the chunk is only checked to be JSON
/// (reading a whole 10k-node snapshot chunk into values, to learn two
/// numbers, held up storing it: measured).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ChunkPlace {
    /// Page index the chunk belongs to.
    pub page: u32,
    /// Sequence number within the page.
    pub seq: u32,
}

/// What the page-side recorder reports of a marked element, for the
/// background to turn into a [`crate::Mark`] with its screenshots.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MarkCapture {
    /// Time on the session timeline.
    pub t: u64,
    /// Page index.
    pub page: u32,
    /// CSS selector matching exactly the element in its own document.
    pub selector: String,
    /// Selectors of the iframes holding the element, outermost first.
    #[serde(default)]
    pub frames: Vec<String>,
    /// Absolute XPath.
    pub xpath: String,
    /// The element's box in the viewport.
    pub rect: crate::Rect,
    /// Viewport size.
    pub viewport: crate::Size,
    /// Document scroll.
    pub scroll: (i32, i32),
    /// The element's masked text, capped.
    pub text: String,
    /// The element's masked outer HTML, capped.
    pub html: String,
    /// Computed styles.
    pub styles: Vec<(String, String)>,
    /// Viewport boxes to black out in the screenshot (masked and blocked content).
    pub mask_rects: Vec<crate::Rect>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_place_is_read_past_any_events() {
        let text = r#"{"page":2,"seq":7,"events":[{"type":"snapshot","t":1,"nodes":[["p"],"x",1]}],"console":[],"network":[]}"#;
        let place: ChunkPlace = serde_json::from_str(text).unwrap();
        assert_eq!(place, ChunkPlace { page: 2, seq: 7 });
    }

    #[test]
    fn a_chunk_place_is_not_read_from_broken_json() {
        let cut = r#"{"page":2,"seq":7,"events":[{"type":"snap"#;
        assert!(serde_json::from_str::<ChunkPlace>(cut).is_err());
        assert!(serde_json::from_str::<ChunkPlace>(r#"{"seq":7,"events":[]}"#).is_err());
    }
}
