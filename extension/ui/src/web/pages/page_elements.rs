//! Small helpers for the extension's own pages, whose markup is static HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The page's document.
pub fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// The element with `id`, as `T`.
pub fn by_id<T: JsCast>(id: &str) -> Result<T, JsValue> {
    document()?
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("#{id} is missing")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("#{id} has the wrong type")))
}

/// Show or hide the element with `id`.
pub fn show(id: &str, visible: bool) -> Result<(), JsValue> {
    by_id::<web_sys::HtmlElement>(id)?.set_hidden(!visible);
    Ok(())
}

/// Set the text of the element with `id` (as text, never as HTML).
pub fn set_text(id: &str, text: &str) -> Result<(), JsValue> {
    by_id::<web_sys::HtmlElement>(id)?.set_text_content(Some(text));
    Ok(())
}

/// Run `handler` whenever `event` fires on the element with `id`.
fn listen(
    id: &str,
    event: &str,
    handler: impl FnMut(web_sys::Event) + 'static,
) -> Result<(), JsValue> {
    let handler = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    by_id::<web_sys::EventTarget>(id)?
        .add_event_listener_with_callback(event, handler.as_ref().unchecked_ref())?;
    handler.forget();
    Ok(())
}

/// Run `action` (async) whenever `event` fires on the element with `id`.
pub fn on<F, Fut>(id: &str, event: &str, action: F) -> Result<(), JsValue>
where
    F: Fn(web_sys::Event) -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    listen(id, event, move |e| {
        wasm_bindgen_futures::spawn_local(action(e))
    })
}

/// Run `action` (async) when the form with `id` is submitted, the browser's
/// own submission prevented first, while the event is dispatched: an async
/// action runs later, when a script-dispatched submit (Firefox's WebDriver
/// clicks, a page's `requestSubmit`) would already have sent the form and
/// reloaded the page.
pub fn on_submit<F, Fut>(id: &str, action: F) -> Result<(), JsValue>
where
    F: Fn() -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    listen(id, "submit", move |e| {
        e.prevent_default();
        wasm_bindgen_futures::spawn_local(action());
    })
}
