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
