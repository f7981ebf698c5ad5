//! The `chrome.*` extension APIs: typed bindings for the messaging a
//! content script uses on every chunk, and a promise-aware door by path
//! for everything else.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::wire::to_js;
use crate::ToBackground;

#[wasm_bindgen]
extern "C" {
    /// `chrome.runtime.sendMessage(message)`, a promise of the background's answer.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    fn send_message(message: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.runtime.onMessage.addListener(listener)`.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener)]
    pub fn add_message_listener(listener: &js_sys::Function);

    /// `chrome.runtime.onMessage.removeListener(listener)`.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = removeListener)]
    pub fn remove_message_listener(listener: &js_sys::Function);
}

/// Send `message` (already a JS value, bulk fields included) to the
/// background and wait for its answer.
pub async fn ask_background_raw(message: &JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(send_message(message)?).await
}

/// Send `request` to the background and wait for its answer.
pub async fn ask_background(request: &ToBackground) -> Result<JsValue, JsValue> {
    ask_background_raw(&to_js(request)).await
}

/// Call the extension API at `path` (e.g. `chrome.tabs.sendMessage`) with
/// `args`, awaiting its promise if it returns one.
pub async fn call(path: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let mut this: JsValue = js_sys::global().into();
    let mut target = this.clone();
    for part in path.split('.') {
        this = target;
        target = js_sys::Reflect::get(&this, &JsValue::from_str(part))?;
        if target.is_undefined() {
            return Err(JsValue::from_str(&format!("{path} is not available")));
        }
    }
    let function: js_sys::Function = target.dyn_into()?;
    let result = function.apply(&this, &args.iter().collect::<js_sys::Array>())?;
    match result.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await,
        Err(value) => Ok(value),
    }
}
