//! The extension's storage, where every value is kept as JSON text:
//! chunks (keys that `crate::session::is_chunk_key` accepts) in IndexedDB
//! (`super::chunk_store`), everything else in `chrome.storage.local`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::chunk_store;
use crate::session::is_chunk_key;
use repro_extension_messages::web::js::{get, object};
use repro_extension_messages::web::runtime::call;

/// Read and parse the JSON text stored under `key`.
pub async fn load<T: DeserializeOwned>(key: &str) -> Result<Option<T>, JsValue> {
    let items = call("chrome.storage.local.get", &[JsValue::from_str(key)]).await?;
    Ok(get(&items, key)
        .as_string()
        .and_then(|text| serde_json::from_str(&text).ok()))
}

/// Store `value` as JSON text under `key`.
pub async fn save<T: Serialize>(key: &str, value: &T) -> Result<(), JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))?;
    store_text(key, &text).await
}

/// Store `text` under `key`.
pub async fn store_text(key: &str, text: &str) -> Result<(), JsValue> {
    store_js_text(key, &JsValue::from_str(text)).await
}

/// Store `text`, a JS string, under `key`.
pub async fn store_js_text(key: &str, text: &JsValue) -> Result<(), JsValue> {
    if is_chunk_key(key) {
        return chunk_store::put(key, text).await;
    }
    call(
        "chrome.storage.local.set",
        &[object(&[(key, text.clone())])],
    )
    .await?;
    Ok(())
}

/// Remove the given keys.
pub async fn remove(keys: &[String]) -> Result<(), JsValue> {
    let chunks: Vec<String> = keys.iter().filter(|k| is_chunk_key(k)).cloned().collect();
    chunk_store::remove(&chunks).await?;
    // Chunk keys too: earlier versions kept chunks in `chrome.storage.local`.
    let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    call("chrome.storage.local.remove", &[list.into()]).await?;
    Ok(())
}

/// Every `(key, text)` whose key starts with `prefix`, sorted by key.
pub async fn load_prefixed(prefix: &str) -> Result<Vec<(String, String)>, JsValue> {
    let mut out = load_prefixed_locally(prefix).await?;
    if is_chunk_key(prefix) {
        out.extend(chunk_store::load_prefixed(prefix).await?);
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
    }
    Ok(out)
}

/// [`load_prefixed`] from `chrome.storage.local` alone. Only those values
/// are read where the browser can list keys (Chrome 130+); older ones read
/// everything.
async fn load_prefixed_locally(prefix: &str) -> Result<Vec<(String, String)>, JsValue> {
    let query = match call("chrome.storage.local.getKeys", &[]).await {
        Ok(keys) => js_sys::Array::from(&keys)
            .iter()
            .filter(|key| key.as_string().is_some_and(|k| k.starts_with(prefix)))
            .collect::<js_sys::Array>()
            .into(),
        Err(_) => JsValue::NULL,
    };
    if !query.is_null() && js_sys::Array::from(&query).length() == 0 {
        return Ok(Vec::new());
    }
    let found = call("chrome.storage.local.get", &[query]).await?;
    let mut out = Vec::new();
    for key in js_sys::Object::keys(found.unchecked_ref::<js_sys::Object>()).iter() {
        let Some(key) = key.as_string() else { continue };
        if key.starts_with(prefix) {
            if let Some(text) = get(&found, &key).as_string() {
                out.push((key, text));
            }
        }
    }
    out.sort();
    Ok(out)
}
