//! The background service worker. Every piece of state lives in extension
//! storage, so the worker may be stopped between any two events; the
//! JavaScript loader registers the listeners synchronously and forwards
//! each event to the `#[wasm_bindgen]` functions here.

mod asset_capture;
mod chunk_parts;
mod commands;
mod frames;
mod injection;
mod mark_saves;
mod marking;
mod messages;
mod notifications;
mod recording;
mod screenshot;
mod thumbnail;
mod transfer;
mod upload;
