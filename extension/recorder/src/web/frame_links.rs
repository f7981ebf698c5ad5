//! Frames of other origins, from the page's recorder: the recorder in such
//! a frame posts its frame id to this window (the message's source is the
//! frame's window, which tells the frame element), and the background
//! relays its chunks here. Their events are held until the frame element
//! is known and recorded, then taken into this recording by
//! `core::frame_relay`, masked when the frame element is in a masked region;
//! the recorder queues what comes out.

use std::collections::HashMap;

use repro_manifest::{Chunk, ConsoleEntry, DomEvent, EventRecord, NetworkEntry};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::browser_dom::Serializer;
use super::dom_reads;
use super::shadow_roots::RootWatcher;
use crate::core::frame_relay::RelayedFrame;

/// Events of frames not yet linked to their element, at most (past it, a
/// frame's held events are dropped whole: the replay shows that frame
/// empty until its recorder takes a snapshot again).
const MAX_HELD_EVENTS: usize = 20_000;

/// What the page's recording is, as the frames' events need it: its
/// serializer (ids), its watched roots (where frame elements may be) and
/// its page index.
pub struct Recording<'a> {
    pub serializer: &'a mut Serializer,
    pub roots: Option<&'a RootWatcher>,
    pub page: u32,
}

/// What a frame's chunks brought, for the page's recording.
#[derive(Default)]
pub struct Relayed {
    /// Whether they were taken (held or recorded).
    pub taken: bool,
    /// Events to record now, in the page's ids.
    pub events: Vec<DomEvent>,
    /// The frame's console and network entries.
    pub console: Vec<ConsoleEntry>,
    pub network: Vec<NetworkEntry>,
}

/// The frames of other origins this recorder heard of.
#[derive(Default)]
pub struct FrameLinks {
    /// Each frame's window, as its recorder announced it.
    windows: Vec<(i64, JsValue)>,
    /// Frames linked to their element.
    relayed: HashMap<i64, RelayedFrame>,
    /// Events of frames not linked yet, with the frame's URL.
    held: HashMap<i64, (String, Vec<DomEvent>)>,
}

impl FrameLinks {
    fn held_count(&self) -> usize {
        self.held.values().map(|(_, events)| events.len()).sum()
    }

    /// The recorder in frame `frame` says its window is `window`; the
    /// events to record now (those held for it, once its element is known).
    pub fn announced(
        &mut self,
        frame: i64,
        window: JsValue,
        recording: Recording,
    ) -> Vec<DomEvent> {
        match self.windows.iter_mut().find(|(id, _)| *id == frame) {
            Some(known) => known.1 = window,
            None => self.windows.push((frame, window)),
        }
        self.take_held(frame, recording)
    }

    /// Chunks of frame `frame` (at `url`, masked), as JSON texts: whether
    /// they were taken (held or recorded), the events to record now, and
    /// the frame's console and network entries (which need no element).
    pub fn take_chunks(
        &mut self,
        frame: i64,
        url: &str,
        chunks: &JsValue,
        recording: Recording,
    ) -> Relayed {
        let mut relayed = Relayed::default();
        if !js_sys::Array::is_array(chunks) {
            return relayed;
        }
        let mut events = Vec::new();
        for text in js_sys::Array::from(chunks).iter() {
            let Some(text) = text.as_string() else {
                continue;
            };
            let Ok(chunk) = serde_json::from_str::<Chunk>(&text) else {
                continue;
            };
            relayed.console.extend(chunk.console);
            relayed.network.extend(chunk.network);
            events.extend(chunk.events.into_iter().filter_map(|record| match record {
                EventRecord::Known(event) => Some(event),
                _ => None,
            }));
        }
        let held = self
            .held
            .entry(frame)
            .or_insert_with(|| (url.to_string(), Vec::new()));
        held.0 = url.to_string();
        held.1.extend(events);
        while self.held_count() > MAX_HELD_EVENTS {
            let Some(dropped) = self.held.keys().next().copied() else {
                break;
            };
            self.held.remove(&dropped);
        }
        relayed.taken = true;
        relayed.events = self.take_held(frame, recording);
        relayed
    }

    /// What frame `frame` sent, in the page's ids, once its element is
    /// known and recorded.
    fn take_held(&mut self, frame: i64, recording: Recording) -> Vec<DomEvent> {
        if !self.held.contains_key(&frame) {
            return Vec::new();
        }
        let Some(element) = self.link(frame, &recording) else {
            return Vec::new();
        };
        let (Some((url, events)), Some(relayed)) =
            (self.held.remove(&frame), self.relayed.get_mut(&frame))
        else {
            return Vec::new();
        };
        relayed.set_offset(dom_reads::frame_content_offset(element.unchecked_ref()));
        let serializer = recording.serializer;
        let mut new_id = || serializer.reserve_id();
        events
            .into_iter()
            .filter_map(|event| relayed.translate(event, &url, recording.page, &mut new_id))
            .collect()
    }

    /// Frame `frame`'s recorded element, linked now or before; `None`
    /// while it is not known or not recorded.
    fn link(&mut self, frame: i64, recording: &Recording) -> Option<Node> {
        let element = self.frame_element(frame, recording.roots)?;
        let id = recording.serializer.id_of(&element)?;
        // Still the element recorded (a frame moved elsewhere is linked anew).
        if self.relayed.get(&frame).is_some_and(|r| r.element() == id) {
            return Some(element);
        }
        let masked = recording.serializer.masks_text_under(Some(&element));
        self.relayed.insert(frame, RelayedFrame::new(id, masked));
        Some(element)
    }

    /// The iframe element whose window frame `frame` announced, in the
    /// page, a recorded shadow root or a recorded frame document.
    fn frame_element(&self, frame: i64, roots: Option<&RootWatcher>) -> Option<Node> {
        let window = self
            .windows
            .iter()
            .find(|(id, _)| *id == frame)
            .map(|(_, window)| window.clone())?;
        let document = web_sys::window()?.document()?;
        let mut frames = dom_reads::nodes_of(dom_reads::query_all(&document, "iframe").ok());
        for root in roots.into_iter().flat_map(RootWatcher::roots) {
            frames.extend(dom_reads::nodes_of(dom_reads::root_query_all(
                root, "iframe",
            )));
        }
        frames
            .into_iter()
            .find(|frame| dom_reads::iframe_window(frame.unchecked_ref::<Element>()) == window)
    }
}
