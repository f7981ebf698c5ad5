//! Link settings of the recorder's wasm module.
//!
//! Its stack is 256 KiB instead of Rust's 1 MiB default: the stack is part
//! of the wasm memory every recorded page holds for as long as it is open
//! (and in the wasm2js build an ArrayBuffer of the page's heap). The
//! recorder does not recurse over what a page gives it (the walk is
//! iterative, JSON bodies are read a token at a time; the privacy test sends
//! one nested 200 deep). The stack comes first in memory, so running past
//! its end traps rather than overwriting data.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=262144");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
