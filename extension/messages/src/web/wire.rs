//! Typed messages to and from the plain objects that cross the extension's
//! messaging. Reading goes through `JSON.stringify` with the list of typed
//! fields, so bulk fields are skipped rather than copied; writing parses
//! the serde text and then sets the bulk fields, which stay JS strings.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{WindowSignal, TYPED_FIELDS, WINDOW_SIGNAL_KEY};

/// `value` as a plain JS object.
pub fn to_js(value: &impl Serialize) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// `value` as a plain JS object carrying `bulk` as its `field`.
pub fn to_js_with_bulk(value: &impl Serialize, field: &str, bulk: &JsValue) -> JsValue {
    let object = to_js(value);
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str(field), bulk);
    object
}

/// Read the typed fields of `value` as a `T`; an error says what was wrong.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, JsValue> {
    let allowed: js_sys::Array = TYPED_FIELDS.iter().map(|f| JsValue::from_str(f)).collect();
    let text = js_sys::JSON::stringify_with_replacer(value, &allowed)?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| JsValue::from_str(&format!("malformed message: {e}")))
}

/// Read an answer as `T`, or its `error` as the error.
pub fn answer_from_js<T: DeserializeOwned>(answer: &JsValue) -> Result<T, JsValue> {
    if let Some(error) = super::js::get(answer, "error").as_string() {
        return Err(JsValue::from_str(&error));
    }
    from_js(answer)
}

/// Read the bulk `field` of `value`.
pub fn bulk(value: &JsValue, field: &str) -> JsValue {
    debug_assert!(crate::BULK_FIELDS.contains(&field));
    super::js::get(value, field)
}

/// `signal` as the message posted on a page's window.
pub fn signal_message(signal: WindowSignal) -> JsValue {
    super::js::object(&[(WINDOW_SIGNAL_KEY, signal.name().into())])
}
