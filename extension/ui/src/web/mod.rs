//! The extension's own contexts (wasm32 only), one folder each:
//! [`worker`] is the background service worker (sessions per tab, the
//! runtime messages, uploads), [`pages`] the extension's pages (popup,
//! options, review, mark form). Both reach the same extension storage
//! through [`storage`] (with [`chunk_store`] behind it for chunks), the
//! tester's report list through [`reports`], and a stopped recording
//! through [`stored_recordings`]. The page recorder is its own crate
//! (`repro-recorder`); the messages between all of them are
//! `repro-extension-messages`.

mod chunk_store;
mod pages;
mod reports;
mod storage;
mod stored_recordings;
mod worker;
