//! Node records written as JSON while they are walked, and moved out of
//! wasm memory as JS strings a piece at a time.
//!
//! Wasm memory never shrinks: a 10k-node snapshot or append held whole in
//! it, as records and then as JSON, grew it by 1–9 MB (measured with heap
//! snapshots), which the page then kept for as long as it was open. Written
//! and moved out in pieces, a large list needs no more wasm memory than one
//! piece.

use js_sys::JsString;
use repro_manifest::node_list::Encoder;
use repro_manifest::NodeRecord;
use wasm_bindgen::JsValue;

use crate::core::written_json::append_node;

/// The JSON written is moved out of wasm memory when it reaches this size.
const PIECE_BYTES: usize = 64 * 1024;

/// A node list (the compact form) being written.
pub struct WrittenNodes {
    /// Written since the last move out (comma-separated items).
    json: Vec<u8>,
    encoder: Encoder,
    /// What was moved out so far: pieces to be joined, commas included.
    pieces: js_sys::Array,
    /// How many records were written.
    count: usize,
}

impl WrittenNodes {
    /// An empty list.
    pub fn new() -> Self {
        WrittenNodes {
            json: Vec::new(),
            encoder: Encoder::new(),
            pieces: js_sys::Array::new(),
            count: 0,
        }
    }

    /// Write `record` after those written so far.
    pub fn append(&mut self, record: &NodeRecord) {
        append_node(&mut self.json, &mut self.encoder, record);
        self.count += 1;
        if self.json.len() >= PIECE_BYTES {
            self.move_out();
        }
    }

    /// Was nothing written?
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Move what was written since the last call out of wasm memory.
    pub fn move_out(&mut self) {
        if self.json.is_empty() {
            return;
        }
        if self.pieces.length() > 0 {
            self.pieces.push(&JsValue::from_str(","));
        }
        // serde_json writes UTF-8 only.
        let text = std::str::from_utf8(&self.json).unwrap_or_default();
        self.pieces.push(&JsValue::from_str(text));
        self.json.clear();
    }

    /// The whole list between `before` and `after`, as one JS string.
    pub fn between(mut self, before: &str, after: &str) -> JsString {
        self.move_out();
        self.pieces.unshift(&JsValue::from_str(before));
        self.pieces.push(&JsValue::from_str(after));
        self.pieces.join("")
    }
}
