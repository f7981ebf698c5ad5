//! The few extension APIs a content script uses.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `chrome.runtime.sendMessage(message)`, a promise of the background's answer.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    pub fn send_message(message: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `chrome.runtime.onMessage.addListener(listener)`.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener)]
    pub fn add_message_listener(listener: &js_sys::Function);

    /// `chrome.runtime.onMessage.removeListener(listener)`.
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = removeListener)]
    pub fn remove_message_listener(listener: &js_sys::Function);
}

/// Build a plain object from `(key, value)` pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Read `object[key]`, or `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Send `message` to the background and wait for its answer.
pub async fn ask_background(message: &JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(send_message(message)?).await
}
