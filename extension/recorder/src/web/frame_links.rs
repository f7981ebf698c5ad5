//! Frames of other origins, from the page's recorder: the recorder in such
//! a frame posts its frame id to this window (the message's source is the
//! frame's window, which tells the frame element), and the background
//! relays its chunks here. Their events are held until the frame element
//! is known and recorded, then taken into this recording by
//! `core::frame_relay`, masked when the frame element is in a masked region.

use std::collections::HashMap;

use repro_manifest::{Chunk, DomEvent, EventRecord};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::dom_reads;
use super::recorder::Recorder;
use crate::core::frame_relay::RelayedFrame;

/// Events of frames not yet linked to their element, at most (past it, a
/// frame's held events are dropped whole: the replay shows that frame
/// empty until its recorder takes a snapshot again).
const MAX_HELD_EVENTS: usize = 20_000;

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
}

/// The recorder in frame `frame` says its window is `window`.
pub fn announced(recorder: &mut Recorder, frame: i64, window: JsValue) {
    let links = &mut recorder.frames;
    match links.windows.iter_mut().find(|(id, _)| *id == frame) {
        Some(known) => known.1 = window,
        None => links.windows.push((frame, window)),
    }
    take_held(recorder, frame);
}

/// Chunks of frame `frame` (at `url`, masked), as JSON texts; whether they
/// were taken (held or recorded).
pub fn take_chunks(recorder: &mut Recorder, frame: i64, url: &str, chunks: &JsValue) -> bool {
    if !js_sys::Array::is_array(chunks) {
        return false;
    }
    let mut events = Vec::new();
    for text in js_sys::Array::from(chunks).iter() {
        let Some(text) = text.as_string() else {
            continue;
        };
        let Ok(chunk) = serde_json::from_str::<Chunk>(&text) else {
            continue;
        };
        events.extend(chunk.events.into_iter().filter_map(|record| match record {
            EventRecord::Known(event) => Some(event),
            _ => None,
        }));
    }
    let links = &mut recorder.frames;
    let held = links
        .held
        .entry(frame)
        .or_insert_with(|| (url.to_string(), Vec::new()));
    held.0 = url.to_string();
    held.1.extend(events);
    while links.held_count() > MAX_HELD_EVENTS {
        let Some(dropped) = links.held.keys().next().copied() else {
            break;
        };
        links.held.remove(&dropped);
    }
    take_held(recorder, frame);
    true
}

/// Record what frame `frame` sent, once its element is known and recorded.
fn take_held(recorder: &mut Recorder, frame: i64) {
    if !recorder.frames.held.contains_key(&frame) || !link(recorder, frame) {
        return;
    }
    let Some((url, events)) = recorder.frames.held.remove(&frame) else {
        return;
    };
    let Some(mut relayed) = recorder.frames.relayed.remove(&frame) else {
        return;
    };
    let page = recorder.page;
    let mut translated = Vec::with_capacity(events.len());
    for event in events {
        let serializer = &mut recorder.serializer;
        let mut new_id = || serializer.reserve_id();
        if let Some(event) = relayed.translate(event, &url, page, &mut new_id) {
            translated.push(event);
        }
    }
    recorder.frames.relayed.insert(frame, relayed);
    for event in translated {
        recorder.push(event);
    }
}

/// Is frame `frame` linked to its recorded element (now or before)?
fn link(recorder: &mut Recorder, frame: i64) -> bool {
    if let Some(relayed) = recorder.frames.relayed.get(&frame) {
        // Still the element recorded (a frame moved elsewhere is found again).
        let id = relayed.element();
        if frame_element(recorder, frame).is_some_and(|e| recorder.serializer.id_of(&e) == Some(id))
        {
            return true;
        }
        recorder.frames.relayed.remove(&frame);
    }
    let Some(element) = frame_element(recorder, frame) else {
        return false;
    };
    let Some(id) = recorder.serializer.id_of(&element) else {
        return false;
    };
    let masked = recorder.serializer.masks_text_under(Some(&element));
    recorder
        .frames
        .relayed
        .insert(frame, RelayedFrame::new(id, masked));
    true
}

/// The iframe element whose window frame `frame` announced, in the page,
/// a recorded shadow root or a recorded frame document.
fn frame_element(recorder: &Recorder, frame: i64) -> Option<Node> {
    let window = recorder
        .frames
        .windows
        .iter()
        .find(|(id, _)| *id == frame)
        .map(|(_, window)| window.clone())?;
    let document = web_sys::window()?.document()?;
    let mut frames = dom_reads::nodes_of(dom_reads::query_all(&document, "iframe").ok());
    if let Some(roots) = &recorder.roots {
        for root in roots.roots() {
            frames.extend(dom_reads::nodes_of(dom_reads::root_query_all(
                root, "iframe",
            )));
        }
    }
    frames
        .into_iter()
        .find(|frame| dom_reads::iframe_window(frame.unchecked_ref::<Element>()) == window)
}
