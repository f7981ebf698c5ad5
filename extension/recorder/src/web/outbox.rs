//! The chunks a page's recorder gathers and keeps: the one being gathered,
//! and the sealed ones waiting for the background to acknowledge them
//! (it stores each under its page and sequence number, so a chunk sent
//! twice is stored once). A sealed chunk is kept as a JS string, out of
//! wasm memory, which never shrinks once grown.

use std::collections::VecDeque;

use js_sys::JsString;
use repro_manifest::Chunk;

use crate::core::written_json::around_leading_event;

/// Chunks waiting to be acknowledged, and the one being gathered.
pub struct Outbox {
    /// The chunk being gathered.
    pub chunk: Chunk,
    /// Events already written as JSON (the snapshot, written while it was
    /// walked, and mutations that added nodes), and the events gathered
    /// before each, written when it came: they go before the chunk's events.
    written_events: js_sys::Array,
    next_seq: u32,
    unsent: VecDeque<(u32, JsString)>,
    in_flight: bool,
}

impl Outbox {
    /// An empty outbox for page `page`.
    pub fn new(page: u32) -> Self {
        Outbox {
            chunk: Chunk {
                page,
                ..Chunk::default()
            },
            written_events: js_sys::Array::new(),
            next_seq: 0,
            unsent: VecDeque::new(),
            in_flight: false,
        }
    }

    /// Queue an event written as JSON, after the events gathered so far.
    pub fn push_written_event(&mut self, json: JsString) {
        if !self.chunk.events.is_empty() {
            let events = std::mem::take(&mut self.chunk.events);
            if let Ok(text) = serde_json::to_string(&events) {
                // The events without the array's brackets.
                let items = &text[1..text.len() - 1];
                self.written_events.push(&JsString::from(items));
            }
        }
        self.written_events.push(&json);
    }

    /// Take the gathered chunk (numbered), if it holds anything.
    fn take(&mut self) -> Option<Chunk> {
        if self.chunk.is_empty() && self.written_events.length() == 0 {
            return None;
        }
        let page = self.chunk.page;
        let mut chunk = std::mem::replace(
            &mut self.chunk,
            Chunk {
                page,
                ..Chunk::default()
            },
        );
        chunk.seq = self.next_seq;
        self.next_seq += 1;
        Some(chunk)
    }

    pub(super) fn seal(&mut self) {
        if let Some(chunk) = self.take() {
            if let Ok(text) = serde_json::to_string(&chunk) {
                let text = match self.written_events.length() {
                    0 => JsString::from(text),
                    _ => {
                        let written =
                            std::mem::replace(&mut self.written_events, js_sys::Array::new());
                        let (before, after) = around_leading_event(&text);
                        JsString::from(before)
                            .concat(&written.join(","))
                            .concat(&JsString::from(after))
                    }
                };
                self.unsent.push_back((chunk.seq, text));
            }
        }
    }

    /// Seal what was gathered and take every unacknowledged chunk to send,
    /// with the sequence number of the last; `None` while a send is on its
    /// way or nothing waits.
    pub fn begin_send(&mut self) -> Option<(Vec<JsString>, u32)> {
        self.seal();
        if self.in_flight || self.unsent.is_empty() {
            return None;
        }
        self.in_flight = true;
        let texts = self.unsent.iter().map(|(_, text)| text.clone()).collect();
        let last = self.unsent.back().map(|(seq, _)| *seq).unwrap_or(0);
        Some((texts, last))
    }

    /// The send that [`Self::begin_send`] began is over: forget the chunks up
    /// to `last` if the background stored them.
    pub fn end_send(&mut self, acknowledged: bool, last: u32) {
        self.in_flight = false;
        if acknowledged {
            self.unsent.retain(|(seq, _)| *seq > last);
        }
    }

    /// Seal the gathered chunk and return every unacknowledged one.
    pub fn drain_all(&mut self) -> Vec<JsString> {
        self.seal();
        self.unsent.drain(..).map(|(_, text)| text).collect()
    }
}
