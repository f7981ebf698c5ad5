//! Handing chunks to the background: sealed every half second, kept until the
//! background acknowledges them (it stores each under its page and sequence
//! number, so a chunk sent twice is stored once). A sealed chunk is kept as a
//! JS string, out of wasm memory, which never shrinks once grown.

use std::collections::VecDeque;

use js_sys::JsString;
use repro_manifest::Chunk;
use wasm_bindgen::JsValue;

use super::chrome::{ask_background, get, object};
use super::state::with_recorder;
use crate::core::message_parts::{part_ranges, PART_UNITS};
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
        let texts: Vec<JsString> = outbox.unsent.iter().map(|(_, text)| text.clone()).collect();
        let last = outbox.unsent.back().map(|(seq, _)| *seq).unwrap_or(0);
        Some((texts, last))
    })
    .flatten();
    let Some((texts, last)) = batch else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let units: u32 = texts.iter().map(|text| text.length()).sum();
        let acknowledged = if units <= PART_UNITS {
            send_chunks(&texts).await
        } else {
            send_one_by_one(&texts).await
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

/// Hand `texts` to the background in one message; `true` once it stored them.
async fn send_chunks(texts: &[JsString]) -> bool {
    let list: js_sys::Array = texts.iter().collect();
    let message = object(&[("kind", "chunks".into()), ("chunks", list.into())]);
    stored(&message).await
}

/// Hand a large batch to the background a chunk at a time, and a long chunk
/// a part at a time, each in a task after the one that sealed it.
async fn send_one_by_one(texts: &[JsString]) -> bool {
    for text in texts {
        super::snapshot::next_task().await;
        let parts = parts_of(text);
        if parts.len() == 1 {
            if !send_chunks(std::slice::from_ref(text)).await {
                return false;
            }
            continue;
        }
        let count = parts.len();
        // Each part after the first goes in the task that brings the
        // answer to the one before.
        for (index, (start, end)) in parts.into_iter().enumerate() {
            let message = object(&[
                ("kind", "chunk-part".into()),
                ("part", (index as u32).into()),
                ("parts", (count as u32).into()),
                ("text", text.substring(start, end).into()),
            ]);
            let answer = ask_background(&message).await;
            let taken = answer.is_ok_and(|answer| {
                let key = if index + 1 == count { "stored" } else { "held" };
                get(&answer, key).as_bool() == Some(true)
            });
            if !taken {
                return false;
            }
        }
    }
    true
}

/// Did the background store what `message` carried?
async fn stored(message: &JsValue) -> bool {
    match ask_background(message).await {
        Ok(answer) => get(&answer, "stored").as_bool() == Some(true),
        Err(_) => false,
    }
}

/// Where to cut `text` into parts for the messaging layer.
fn parts_of(text: &JsString) -> Vec<(u32, u32)> {
    part_ranges(text.length(), PART_UNITS, |i| {
        (0xD800 as f64..=0xDBFF as f64).contains(&text.char_code_at(i))
    })
}
