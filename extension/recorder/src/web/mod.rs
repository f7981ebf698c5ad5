//! The web-sys adapter: the recorder as it runs in a page (wasm32 only).
//!
//! `start()` is called by the content-script loader. It asks the background
//! which session and page this is, waits for the document to be parsed, takes
//! the snapshot, then observes until the background says stop.

mod adopted_lists;
mod attribute_reading;
mod browser_dom;
mod dom_reads;
mod event_targets;
mod frame_links;
mod hook_messages;
mod listeners;
mod mark_capture;
mod marker;
mod mask_boxes;
mod mutations;
mod outbox;
mod pixel_capture;
mod policy_selectors;
mod recorder;
mod resource_timing;
mod shadow_roots;
mod sheet_texts;
mod snapshot;
mod snapshot_progress;
mod state;
mod state_listeners;
mod tasks;
mod text_selection;
mod transport;
mod written_nodes;

use wasm_bindgen::prelude::*;

/// Start recording this document, if the background says the tab is being
/// recorded. `build` names the build that runs (`wasm` or `js`); `forget`
/// is the loader's, called once this instance has nothing left in the page
/// (it was not asked to record, or it stopped), so that it can be dropped.
#[wasm_bindgen]
pub async fn start(build: String, forget: Option<js_sys::Function>) -> Result<(), JsValue> {
    state::start(build, forget).await
}
