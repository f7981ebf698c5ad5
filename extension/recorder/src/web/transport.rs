//! Handing chunks to the background: sealed every half second, kept until the
//! background acknowledges them (it stores each under its page and sequence
//! number, so a chunk sent twice is stored once). A sealed chunk is kept as a
//! JS string, out of wasm memory, which never shrinks once grown.

use std::collections::VecDeque;

use js_sys::JsString;
use repro_manifest::Chunk;

use super::chrome::{ask_background, get, object};
use super::state::with_recorder;
use crate::core::written_json::around_leading_event;

/// How often the gathered events are sealed and sent, in milliseconds.
pub const FLUSH_INTERVAL_MS: i32 = 500;

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

    fn seal(&mut self) {
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

    /// Seal the gathered chunk and return every unacknowledged one.
    pub fn drain_all(&mut self) -> Vec<JsString> {
        self.seal();
        self.unsent.drain(..).map(|(_, text)| text).collect()
    }
}

/// A batch of chunks this large is sent in a task after the one that seals it.
const LARGE_BATCH_BYTES: usize = 1 << 20;

/// Seal what was gathered and send everything unacknowledged, unless a send
/// is already on its way.
pub fn flush_now() {
    let batch = with_recorder(|recorder| {
        let outbox = &mut recorder.outbox;
        outbox.seal();
        if outbox.in_flight || outbox.unsent.is_empty() {
            return None;
        }
        outbox.in_flight = true;
        let texts = js_sys::Array::new();
        let mut bytes = 0;
        for (_, text) in &outbox.unsent {
            texts.push(text);
            bytes += text.length() as usize;
        }
        let last = outbox.unsent.back().map(|(seq, _)| *seq).unwrap_or(0);
        Some((texts, last, bytes))
    })
    .flatten();
    let Some((texts, last, bytes)) = batch else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        // Handing a large batch to the messaging layer takes it tens of ms
        // (about 30 for the 3.5 MB snapshot of the 100k page, measured):
        // not in the same task as sealing and copying it out.
        if bytes > LARGE_BATCH_BYTES {
            super::snapshot::next_task().await;
        }
        let message = object(&[("kind", "chunks".into()), ("chunks", texts.into())]);
        let acknowledged = match ask_background(&message).await {
            Ok(answer) => get(&answer, "stored").as_bool() == Some(true),
            Err(_) => false,
        };
        with_recorder(|recorder| {
            let outbox = &mut recorder.outbox;
            outbox.in_flight = false;
            if acknowledged {
                outbox.unsent.retain(|(seq, _)| *seq > last);
            }
        });
    });
}
