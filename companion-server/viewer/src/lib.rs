//! The share-link viewer: loads a bundle and replays it.
//!
//! The recorded page is rebuilt, node by node, inside an iframe whose sandbox
//! is `allow-same-origin` without `allow-scripts`; scripts, event-handler
//! attributes and `javascript:` URLs are dropped again here, whatever the
//! recorder did, because a bundle can be forged. Console and network entries
//! are rendered as text, never as HTML. Everything shares one timeline.
//!
//! [`timeline`], [`replay_rules`] (the replay's attribute filter) and
//! [`replay_core`] (the replay itself, over a DOM trait) are plain Rust and
//! test natively; the rest, the browser's side, is wasm32 only.

pub mod asset_notes;
pub mod canvas_boxes;
pub mod element_states;
pub mod head_rules;
pub mod issue_links;
pub mod panel_split;
pub mod pixel_frames;
pub mod playback;
pub mod pointer_track;
pub mod replay_core;
pub mod replay_rules;
pub mod replay_target;
pub mod state_marks;
pub mod stored_assets;
pub mod timeline;
#[cfg(target_arch = "wasm32")]
mod web;
