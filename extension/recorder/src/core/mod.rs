//! The recorder's pure-Rust core: decisions that need no browser, tested natively.

pub mod fast_hash;
pub mod frame_relay;
pub mod hook;
pub mod json_redaction;
pub mod labels;
pub mod last_change;
pub mod mark_html;
pub mod mask;
pub mod message_parts;
pub mod mutation_batch;
#[cfg(not(target_arch = "wasm32"))]
pub mod native_dom;
pub mod network;
pub mod page_dom;
pub mod page_limits;
pub mod pixel_pacing;
pub mod pointer_path;
pub mod resource_loads;
pub mod selector;
pub mod slice_pacing;
pub mod walk;
pub mod written_json;
pub mod xml_redaction;
