//! The text the tester selects. At each `selectionchange` the document's
//! selection is read (through the prototype: a page may shadow
//! `getSelection` by name) and recorded as its anchor and focus, each a
//! recorded node and an offset, when it selects something, or as nothing
//! once it no longer does. A drag that changes it many times a second is
//! coalesced: a change within [`COALESCE_MS`] of the last one recorded,
//! with nothing recorded between, replaces it. Only ids and offsets are
//! kept: the text itself is in the recording already, masked as it is.
//!
//! A selection inside a shadow root reaches the document retargeted (its
//! anchor and focus both the host's place, with text selected): then the
//! points are asked of `getComposedRanges`, given the recorded roots (open
//! and closed alike), which names the nodes inside them.

use repro_manifest::{DomEvent, EventRecord};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Node;

use super::recorder::{RecordedSelection, Recorder, RecorderCell};

/// Changes closer than this to the last recorded one replace it.
const COALESCE_MS: u64 = 100;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Document)]
    type ProtoDocument;
    #[wasm_bindgen(method, final, js_name = getSelection)]
    fn get_selection(this: &ProtoDocument) -> Option<web_sys::Selection>;
}

/// The selection of this document now: anchor and focus, or nothing
/// (none, collapsed to a caret, or in nodes not recorded).
fn selection_now(recorder: &Recorder) -> RecordedSelection {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return (None, None);
    };
    let Some(selection) = document.unchecked_ref::<ProtoDocument>().get_selection() else {
        return (None, None);
    };
    // (Its type, not `isCollapsed`: a selection inside a shadow root reads
    // as collapsed at its host's place, of type "Range".)
    if selection.type_() != "Range" || selection.range_count() == 0 {
        return (None, None);
    }
    let point =
        |node: Option<Node>, offset: u32| Some((recorder.serializer.id_of(&node?)?, offset));
    let retargeted = selection.anchor_node() == selection.focus_node()
        && selection.anchor_offset() == selection.focus_offset();
    if retargeted {
        let Some(((start, start_offset), (end, end_offset))) = composed_range(recorder, &selection)
        else {
            return (None, None);
        };
        return match (
            point(Some(start), start_offset),
            point(Some(end), end_offset),
        ) {
            (Some(anchor), Some(focus)) => (Some(anchor), Some(focus)),
            _ => (None, None),
        };
    }
    let anchor = point(selection.anchor_node(), selection.anchor_offset());
    let focus = point(selection.focus_node(), selection.focus_offset());
    match (anchor, focus) {
        (Some(anchor), Some(focus)) => (Some(anchor), Some(focus)),
        _ => (None, None),
    }
}

/// The selection's range through the recorded shadow roots
/// (`getComposedRanges({shadowRoots})`, Chromium 137 and later): its start
/// and end, each a node and an offset; `None` where the browser has no
/// such call or the range is empty.
fn composed_range(
    recorder: &Recorder,
    selection: &web_sys::Selection,
) -> Option<((Node, u32), (Node, u32))> {
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let function = get(selection, "getComposedRanges")
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let roots = js_sys::Array::new();
    for root in recorder.roots.as_ref()?.roots() {
        if root.node_type() == Node::DOCUMENT_FRAGMENT_NODE {
            roots.push(root);
        }
    }
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &JsValue::from_str("shadowRoots"), &roots).ok()?;
    let ranges = function.call1(selection, &options).ok()?;
    let range = js_sys::Array::from(&ranges).get(0);
    if !range.is_object() || get(&range, "collapsed").as_bool().unwrap_or(true) {
        return None;
    }
    // (Not `dyn_into`: a node of a frame is of the frame's realm.)
    let point = |container: &str, offset: &str| {
        let node = Some(get(&range, container))
            .filter(JsValue::is_object)?
            .unchecked_into::<Node>();
        Some((node, get(&range, offset).as_f64()? as u32))
    };
    Some((
        point("startContainer", "startOffset")?,
        point("endContainer", "endOffset")?,
    ))
}

/// The selection changed: record it, unless it is what was recorded last.
pub fn on_selection_change(cell: &RecorderCell, _event: web_sys::Event) {
    cell.with(|recorder| {
        let (anchor, focus) = selection_now(recorder);
        if recorder.selection == (anchor, focus) {
            return;
        }
        recorder.selection = (anchor, focus);
        let t = recorder.now();
        if let Some(EventRecord::Known(DomEvent::Selection {
            t: last_t,
            anchor: last_anchor,
            focus: last_focus,
            ..
        })) = recorder.outbox.chunk.events.last_mut()
        {
            if t.saturating_sub(*last_t) < COALESCE_MS {
                *last_anchor = anchor;
                *last_focus = focus;
                return;
            }
        }
        let page = recorder.page;
        recorder.push(DomEvent::Selection {
            t,
            page,
            anchor,
            focus,
        });
    });
}
