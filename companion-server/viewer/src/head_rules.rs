//! The replay's own rules, first in every replayed head: what the live,
//! scripted page showed that a document without script would not, or
//! would show otherwise.
//!
//! - A document that runs no script shows every `<video>`'s controls; the
//!   live page showed them only where the video asked for them.
//! - The element the page showed full screen (recorded as
//!   [`FULLSCREEN_ATTRIBUTE`](repro_manifest::FULLSCREEN_ATTRIBUTE)) fills
//!   the viewport above everything, as the browser's own rules for
//!   `:fullscreen` lay it out; the page's `:fullscreen` rules say the mark
//!   (`element_states`).
//! - A selection shows in the colours of a window that has focus (the
//!   tester's had; the replay's frame has not, and would grey it out).
//!   A page's own `::selection` rules come later and win.

/// The rules, as one stylesheet.
pub const HEAD_CSS: &str = "video:not([controls])::-webkit-media-controls { display: none !important; }\n\
[data-repro-fullscreen] { position: fixed !important; inset: 0 !important; width: 100% !important; \
height: 100% !important; margin: 0 !important; box-sizing: border-box !important; min-width: 0 !important; \
max-width: none !important; min-height: 0 !important; max-height: none !important; transform: none !important; \
object-fit: contain; z-index: 2147483647 !important; }\n\
::selection { background-color: Highlight; color: HighlightText; }\n";
