//! The extension's one door to JS (WebAssembly only): plain objects and
//! property reads ([`js`]), the typed messages to and from JS values
//! ([`wire`]), and the `chrome.*` APIs ([`runtime`]).

pub mod js;
pub mod runtime;
pub mod wire;
