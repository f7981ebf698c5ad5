//! The page-side recorder of the Repro extension.
//!
//! It runs as a content script in the recorded tab (wasm, or the same code
//! turned into plain JavaScript by wasm2js on strict-CSP pages). It takes a
//! full snapshot of the page, then records mutations, input, scroll, clicks
//! and viewport changes, receives console and network entries from the
//! MAIN-world page hook, masks everything while it serializes, and hands
//! chunks to the background.
//!
//! It must never let an unmasked form value, a script body or an event
//! handler attribute out of the page.
//!
//! [`core`] is plain Rust and tests natively; `web` (wasm32 only) is the thin
//! adapter over web-sys.

pub mod core;
#[cfg(target_arch = "wasm32")]
mod web;
