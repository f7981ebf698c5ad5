//! The recorder's pure-Rust core: decisions that need no browser, tested natively.

pub mod caps;
pub mod fast_hash;
pub mod hook;
pub mod html;
pub mod json_redaction;
pub mod last_change;
pub mod mask;
pub mod message_parts;
pub mod network;
pub mod selector;
pub mod slice_pacing;
pub mod written_json;
pub mod xml_redaction;
