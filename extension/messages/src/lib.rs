//! The extension's one vocabulary. Every message between the page hook,
//! the page's recorder, the background service worker and the extension
//! pages is a variant of a typed enum here ([`ToBackground`],
//! [`ToRecorder`], [`WindowSignal`]) with a typed answer, so that a
//! misspelt kind is a compile error on the Rust side and a failing test on
//! the loaders' side (`tests/loaders.rs` reads `extension/static/*.js`).
//!
//! The wire format is plain objects with a `kind` field and camelCase
//! fields, as the loaders write them. Bulk texts (sealed chunks, chunk
//! parts) never pass through serde: they travel as JS strings beside the
//! typed fields ([`BULK_FIELDS`]), so a megabyte of events is not copied
//! into wasm memory and back on its way to storage.
//!
//! [`web`] (WebAssembly only) is the one home of the extension's JS
//! interop: plain objects, the `chrome.*` call door, and the encoding of
//! these types to and from JS values.

mod answers;
mod fields;
mod to_background;
mod to_recorder;
mod window_signal;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use answers::{
    CommitAnswer, HelloAnswer, PickAnswer, StatusAnswer, StoreAnswer, TabPixelsAnswer,
};
pub use fields::{BULK_FIELDS, TYPED_FIELDS};
pub use to_background::{Hello, MarkSave, TabPixels, ToBackground};
pub use to_recorder::ToRecorder;
pub use window_signal::{
    WindowSignal, ADOPTED_SHEETS_CHANGED_EVENT, HISTORY_CHANGED_EVENT, SCRIPT_SET_VALUE_EVENT,
    SHADOW_ATTACHED_EVENT, SHEET_TEXTS_ASKED_EVENT, SHEET_TEXTS_EVENT, STYLE_RULES_CHANGED_EVENT,
    WINDOW_SIGNAL_KEY,
};
