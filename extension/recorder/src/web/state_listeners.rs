//! The states no attribute shows, as the page's events tell them: the
//! element the pointer is over (`:hover`), the one it presses (`:active`),
//! the one with focus (`:focus`, `:focus-visible`), and the one shown full
//! screen. Each is recorded as one of the recording's own marks moving
//! from element to element (`Recorder::push_state_change`), ids only.

use repro_manifest::{ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE, FULLSCREEN_ATTRIBUTE, HOVER_ATTRIBUTE};
use wasm_bindgen::prelude::*;
use web_sys::Event;

use super::dom_reads;
use super::event_targets::target_id;
use super::recorder::{Recorder, RecorderCell};

/// The pointer came over an element: it is `:hover` now (with its
/// ancestors, which the replay marks), the one before no longer.
pub fn on_pointer_over(cell: &RecorderCell, event: Event) {
    moved_to_target(cell, &event, HOVER_ATTRIBUTE, |recorder| {
        &mut recorder.hovered
    });
}

/// The pointer left the page (nothing under it now): nothing is `:hover`.
pub fn on_pointer_out(cell: &RecorderCell, event: Event) {
    left_to_nothing(cell, &event, HOVER_ATTRIBUTE, |recorder| {
        &mut recorder.hovered
    });
}

/// The pointer pressed an element: it is `:active` now (with its
/// ancestors, which the replay marks), until the pointer lets go.
pub fn on_pointer_down(cell: &RecorderCell, event: Event) {
    moved_to_target(cell, &event, ACTIVE_ATTRIBUTE, |recorder| {
        &mut recorder.pressed
    });
}

/// A state (`attribute`) moved to the recorded element `event` came from:
/// mark it, unmark the one `marked` held.
fn moved_to_target(
    cell: &RecorderCell,
    event: &Event,
    attribute: &str,
    marked: fn(&mut Recorder) -> &mut Option<u32>,
) {
    cell.with(|recorder| {
        let Some((id, _)) = target_id(recorder, event) else {
            return;
        };
        let before = marked(recorder).replace(id);
        recorder.push_state_change(attribute, before, Some((id, "")));
    });
}

/// The pointer let go (or the browser took it over): nothing is `:active`.
pub fn on_pointer_released(cell: &RecorderCell, _event: Event) {
    cell.with(|recorder| {
        let before = recorder.pressed.take();
        recorder.push_state_change(ACTIVE_ATTRIBUTE, before, None);
    });
}

/// An element went full screen, or the page left full screen: mark the
/// one shown full screen now (the page's document says which), unmark the
/// one before.
pub fn on_fullscreen_change(cell: &RecorderCell, _event: Event) {
    cell.with(|recorder| {
        let shown = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| dom_reads::fullscreen_element(&d))
            .and_then(|element| recorder.serializer.id_of(&element));
        let before = std::mem::replace(&mut recorder.fullscreen, shown);
        recorder.push_state_change(FULLSCREEN_ATTRIBUTE, before, shown.map(|id| (id, "")));
    });
}

/// An element gained focus: it is `:focus` now (its ancestors
/// `:focus-within`), the one before no longer.
pub fn on_focus_in(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        // Shown as `:focus-visible` (the keyboard's, a text field's), or not (a click's).
        let shown = dom_reads::as_element(&node)
            .is_some_and(|element| dom_reads::in_state(element, ":focus-visible"));
        let before = recorder.focused.replace(id);
        let value = if shown { "visible" } else { "" };
        recorder.push_state_change(FOCUS_ATTRIBUTE, before, Some((id, value)));
    });
}

/// Focus left to nothing (not to another element, whose `focusin` says so).
pub fn on_focus_out(cell: &RecorderCell, event: Event) {
    left_to_nothing(cell, &event, FOCUS_ATTRIBUTE, |recorder| {
        &mut recorder.focused
    });
}

/// A state (`attribute`) left its element for no other (`event` has no
/// `relatedTarget`): take it off the element `marked` holds.
fn left_to_nothing(
    cell: &RecorderCell,
    event: &Event,
    attribute: &str,
    marked: fn(&mut Recorder) -> &mut Option<u32>,
) {
    if related_target(event).is_some() {
        return;
    }
    cell.with(|recorder| {
        let before = marked(recorder).take();
        recorder.push_state_change(attribute, before, None);
    });
}

/// A pointer or focus event's `relatedTarget` (read by name: an event of a
/// frame is of the frame's realm).
fn related_target(event: &Event) -> Option<JsValue> {
    js_sys::Reflect::get(event, &JsValue::from_str("relatedTarget"))
        .ok()
        .filter(|target| !target.is_null() && !target.is_undefined())
}
