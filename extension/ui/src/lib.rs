//! The extension's own pages and background: the service worker that owns
//! recording sessions (one per tab), persists chunks, assembles and uploads
//! bundles; the popup that starts and stops a tab's recording and shows the
//! share link; and the options page where the tester sets the server.
//!
//! Nothing here reads a page: the recorder did, and masked what it sent.
//! The pure parts ([`session`], [`assemble`], [`annotation`], [`user_agent`]) test natively;
//! the `web` module (wasm32 only) binds them to the extension APIs.

pub mod annotation;
pub mod assemble;
pub mod config;
pub mod session;
pub mod user_agent;
#[cfg(target_arch = "wasm32")]
mod web;
