//! Links to a moment of the replay: this page's address with `#t=12.3`,
//! which the address bar names once the replay is paused (without a new
//! history entry), **Copy link to this moment** copies, and each entry of
//! the panels (finding, step, console entry, request) copies for its own
//! moment with its link button.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The report's own address, `…/r/{id}` (this page's, without its `#`):
/// what its links and its exports (`/issue.md`, `/comments`) start with.
pub(super) fn report_address() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}",
        location.origin().ok()?,
        location.pathname().ok()?
    ))
}

/// This page's address at moment `t` (ms): `…/r/{id}#t=12.3`.
pub(super) fn moment_address(t: u64) -> Option<String> {
    Some(format!(
        "{}#t={}.{}",
        report_address()?,
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

/// Give `entry` (a list item or a table row) a button that copies a link
/// to moment `t`, without seeking (the entry's own click does that).
pub(super) fn add_copy_button(entry: &Element, t: u64) -> Result<(), JsValue> {
    let document = entry.owner_document().ok_or("no document")?;
    let button = document.create_element("button")?;
    button.set_class_name("moment-link");
    button.set_attribute("type", "button")?;
    let moment = crate::timeline::clock(t);
    button.set_attribute("aria-label", &format!("Copy link to {moment}"))?;
    button.set_attribute("title", &format!("Copy link to {moment}"))?;
    button.set_text_content(Some("\u{1f517}"));
    let copied = button.clone();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.stop_propagation();
        let (Some(window), Some(address)) = (web_sys::window(), moment_address(t)) else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&address);
        let button = copied.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            button.set_text_content(Some(if done { "Copied" } else { "\u{1f517}" }));
        });
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    on_click.forget();
    // A table row's button goes in its first cell.
    let holder = match entry.local_name().as_str() {
        "tr" => entry.first_element_child().unwrap_or_else(|| entry.clone()),
        _ => entry.clone(),
    };
    holder.append_child(&button)?;
    Ok(())
}
