//! The extension APIs, bound for the background, the popup and the options page (wasm32 only).

mod background;
mod chunk_parts;
mod chunk_store;
mod html;
mod mark_form;
mod mark_saves;
mod marks;
mod messages;
mod options;
mod popup;
mod reports;
mod resources;
mod review;
mod screenshot;
mod storage;
mod transfer;
mod upload;
