//! The viewer's layout: the divider between the replay and the panels
//! (dragged, or moved with the arrow keys, Home and End, and remembered in
//! this browser), full screen for the replay with its controls (the **Full
//! screen** button or `F`), and the replay fitted again whenever its room
//! changes (the window, the divider, full screen).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, PointerEvent};

use super::player::{listen, refit, Shared};
use super::{by_id, document};
use crate::panel_split::{after_key, at_pointer, bounded, DEFAULT_SHARE};

/// Where the replay's share of the width is remembered (`localStorage`).
const SHARE_KEY: &str = "repro.replay-share";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Give the replay `share` percent of the width.
fn apply(layout: &HtmlElement, divider: &HtmlElement, share: f64) {
    let _ = layout
        .style()
        .set_property("--replay-share", &format!("{share:.1}"));
    let _ = divider.set_attribute("aria-valuenow", &format!("{}", share.round()));
}

fn remember(share: f64) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(SHARE_KEY, &format!("{share:.1}"));
    }
}

/// Wire the divider, full screen, and refitting.
pub(super) fn wire(player: &Shared) -> Result<(), JsValue> {
    let layout: HtmlElement = by_id("layout")?;
    let divider: HtmlElement = by_id("divider")?;
    let stored = storage()
        .and_then(|s| s.get_item(SHARE_KEY).ok().flatten())
        .and_then(|text| text.parse::<f64>().ok());
    let share = Rc::new(Cell::new(stored.map_or(DEFAULT_SHARE, bounded)));
    apply(&layout, &divider, share.get());
    {
        let (layout, divider2, share, player) = (
            layout.clone(),
            divider.clone(),
            share.clone(),
            player.clone(),
        );
        listen(&divider, "keydown", move |event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if let Some(moved) = after_key(share.get(), &key.key()) {
                // The player's own keys (the arrows seek) do not act here.
                event.prevent_default();
                event.stop_propagation();
                share.set(moved);
                apply(&layout, &divider2, moved);
                remember(moved);
                refit(&player);
            }
        })?;
    }
    let dragging = Rc::new(Cell::new(false));
    {
        let (divider2, dragging) = (divider.clone(), dragging.clone());
        listen(&divider, "pointerdown", move |event| {
            if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
                let _ = divider2.set_pointer_capture(pointer.pointer_id());
                dragging.set(true);
                event.prevent_default();
            }
        })?;
    }
    {
        let (layout, divider2, share, player, dragging) = (
            layout.clone(),
            divider.clone(),
            share.clone(),
            player.clone(),
            dragging.clone(),
        );
        listen(&divider, "pointermove", move |event| {
            let Some(pointer) = event.dyn_ref::<PointerEvent>() else {
                return;
            };
            if !dragging.get() {
                return;
            }
            let row = layout.get_bounding_client_rect();
            let moved = at_pointer(pointer.client_x() as f64, row.left(), row.width());
            share.set(moved);
            apply(&layout, &divider2, moved);
            refit(&player);
        })?;
    }
    listen(&divider, "pointerup", move |_| {
        dragging.set(false);
        remember(share.get());
    })?;
    listen(&by_id("fullscreen")?, "click", |_| toggle_full_screen())?;
    {
        let player = player.clone();
        listen(&document()?.into(), "fullscreenchange", move |_| {
            let full = document()
                .ok()
                .and_then(|d| d.fullscreen_element())
                .is_some();
            if let Ok(button) = by_id::<HtmlElement>("fullscreen") {
                button.set_text_content(Some(if full {
                    "Leave full screen"
                } else {
                    "Full screen"
                }));
            }
            refit(&player);
        })?;
    }
    let window: web_sys::EventTarget = web_sys::window().ok_or("no window")?.into();
    let player = player.clone();
    listen(&window, "resize", move |_| refit(&player))
}

/// Show the replay and its controls on the whole screen, or leave.
pub(super) fn toggle_full_screen() {
    let Ok(document) = document() else { return };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else if let Ok(column) = by_id::<HtmlElement>("player-column") {
        let _ = column.request_fullscreen();
    }
}
