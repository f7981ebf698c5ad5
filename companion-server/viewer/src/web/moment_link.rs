//! Links to a moment of the replay: this page's address with `#t=12.3`,
//! which the address bar names once the replay is paused (without a new
//! history entry) and **Copy link to this moment** copies.

use wasm_bindgen::prelude::*;

/// This page's address at moment `t` (ms): `…/r/{id}#t=12.3`.
pub(super) fn moment_address(t: u64) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}#t={}.{}",
        location.origin().ok()?,
        location.pathname().ok()?,
        t / 1000,
        t % 1000 / 100
    ))
}

/// Name moment `t` in the address (without a new history entry).
pub(super) fn remember_moment(t: u64) {
    let (Some(window), Some(address)) = (web_sys::window(), moment_address(t)) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
    }
}
