//! Link settings of the recorder's wasm module.
//!
//! Its stack is 256 KiB instead of Rust's 1 MiB default: the stack is part
//! of the wasm memory every recorded page holds for as long as it is open
//! (and in the wasm2js build an ArrayBuffer of the page's heap), and the
//! recorder's deepest use of it, a network body of JSON nested as deep as
//! serde_json reads (128 levels), is checked by a browser test. The stack
//! comes first in memory, so running past its end traps rather than
//! overwriting data.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=262144");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
