//! The Repro bundle format, shared by the extension and the companion server.
//!
//! A *bundle* is one recorded session: the environment it ran in, the pages it
//! visited, the DOM events that let a viewer rebuild those pages, the console
//! and network entries, the tester's marks and screenshots, and the masking
//! policy that was applied before anything left the browser.
//!
//! This crate is the one place where a field of the format is defined. It has
//! no web-sys and no tokio: it compiles for `wasm32-unknown-unknown` and for
//! native targets alike.
//!
//! ```
//! use repro_manifest::{Bundle, Limits};
//! let json = repro_manifest::example_bundle_json();
//! let bundle: Bundle = serde_json::from_str(&json).unwrap();
//! bundle.validate(&Limits::default()).unwrap();
//! ```
#![deny(missing_docs)]

pub mod asset_urls;
mod assets;
mod bundle;
mod capture_gaps;
mod checked_copy;
mod chunk;
mod console_network;
pub mod css_urls;
mod diagnosis;
mod dom;
mod dom_reading;
mod example;
mod limits;
pub mod locators;
pub mod markup;
pub mod node_list;
mod page_html;
mod page_model;
pub mod pii;
mod policy;
mod steps;
pub mod substring;
mod validate;

pub use assets::{
    asset_type, is_asset_type, is_sha256_hex, AssetRef, SkippedAsset, ASSET_TYPES, SKIP_REASONS,
};
pub use bundle::{
    Bundle, Environment, Mark, Page, Rect, Screenshot, Size, ASSETS_STORED_SINCE, FORMAT_VERSION,
    THUMBNAIL_MAX_BASE64, THUMBNAIL_MAX_SIDE,
};
pub use capture_gaps::capture_gaps;
pub use checked_copy::read_checked;
pub use chunk::{Chunk, ChunkPlace, MarkCapture};
pub use console_network::{
    Body, ConsoleEntry, ConsoleLevel, ConsoleSource, NetworkEntry, NetworkKind,
};
pub use diagnosis::{diagnose, Finding};
pub use dom::{
    is_pixel_image, AttributeChange, DomEvent, EventRecord, NodeData, NodeRecord, TextChange,
    UnknownEvent, PIXEL_IMAGE_PREFIXES,
};
pub use example::example_bundle_json;
pub use limits::{cut_to, Limits, MAX_ATTRIBUTES_PER_ELEMENT};
pub use page_html::page_html;
pub use page_model::{ModelNode, PageCursor, PageModel};
pub use policy::{
    is_secret_control_name, is_secret_field, is_secret_header, is_secret_name, mask_url,
    MaskPolicy, ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE, FULLSCREEN_ATTRIBUTE, HOVER_ATTRIBUTE,
    INLINED_CSS_ATTRIBUTE, MASKED, MASKED_IN_URL, MASK_CHAR, MODAL_DIALOG_ATTRIBUTE,
    OPEN_POPOVER_ATTRIBUTE,
};
pub use steps::{steps, Action, Step};
pub use validate::{is_safe_name, ValidationError};

/// Is `id` a well-formed bundle id: 32 lowercase hexadecimal digits (128 bits)?
pub fn is_valid_bundle_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
