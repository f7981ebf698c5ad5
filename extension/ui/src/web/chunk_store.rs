//! Recorded chunks, kept in the extension's IndexedDB rather than in
//! `chrome.storage.local`.
//!
//! Chunks are nearly all of what a recording stores, and the first one holds
//! the whole page: 320 KB on a 10k-node page, megabytes on larger ones.
//! `chrome.storage.local` writes a value as JSON inside its own JSON, and
//! measured in the service worker it took 16–29 ms for a 650 KB chunk, where
//! an IndexedDB transaction took 4–7 ms (8 writes each, same worker). Every
//! other key (settings, sessions, reports, marks) stays in
//! `chrome.storage.local`.
//!
//! Each chunk's size goes in a second object store, written in the same
//! transaction, so that the storage budget can be summed without reading
//! the chunks. Chunks written by earlier versions into
//! `chrome.storage.local` are still read and deleted from there.

use std::cell::RefCell;
use std::future::Future;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use repro_extension_messages::web::js::get;

const DB_NAME: &str = "repro";
const DB_VERSION: u32 = 1;
const CHUNKS: &str = "chunks";
const SIZES: &str = "sizes";

thread_local! {
    /// The open database, for as long as the worker lives.
    static DATABASE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Call `target.name(args…)`.
fn invoke(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = get(target, name).dyn_into()?;
    function.apply(target, &args.iter().collect::<js_sys::Array>())
}

/// `request`'s result once it succeeds. Its handlers are set at once,
/// before anything is awaited: an event with no handler is not seen again.
fn finished(request: &JsValue) -> impl Future<Output = Result<JsValue, JsValue>> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = js_sys::Reflect::set(request, &"onsuccess".into(), &resolve);
        let _ = js_sys::Reflect::set(request, &"onerror".into(), &reject);
    });
    let request = request.clone();
    async move {
        match wasm_bindgen_futures::JsFuture::from(done).await {
            Ok(_) => Ok(get(&request, "result")),
            Err(_) => Err(failure(&request)),
        }
    }
}

/// Done once `transaction` is committed (handlers set at once, as for
/// [`finished`]).
fn committed(transaction: &JsValue) -> impl Future<Output = Result<(), JsValue>> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = js_sys::Reflect::set(transaction, &"oncomplete".into(), &resolve);
        let _ = js_sys::Reflect::set(transaction, &"onerror".into(), &reject);
        let _ = js_sys::Reflect::set(transaction, &"onabort".into(), &reject);
    });
    let transaction = transaction.clone();
    async move {
        wasm_bindgen_futures::JsFuture::from(done)
            .await
            .map(|_| ())
            .map_err(|_| failure(&transaction))
    }
}

/// What went wrong with a request or a transaction, in words.
fn failure(target: &JsValue) -> JsValue {
    let error = get(target, "error");
    let what = get(&error, "message")
        .as_string()
        .filter(|m| !m.is_empty())
        .or_else(|| get(&error, "name").as_string())
        .unwrap_or_else(|| "unknown error".into());
    JsValue::from_str(&format!("The browser's storage failed: {what}"))
}

async fn open() -> Result<JsValue, JsValue> {
    if let Some(database) = DATABASE.with_borrow(|d| d.clone()) {
        return Ok(database);
    }
    let factory = get(&js_sys::global(), "indexedDB");
    let request = invoke(&factory, "open", &[DB_NAME.into(), DB_VERSION.into()])?;
    let upgrade_target = request.clone();
    let upgrade = Closure::once_into_js(move || {
        let database = get(&upgrade_target, "result");
        for store in [CHUNKS, SIZES] {
            let _ = invoke(&database, "createObjectStore", &[store.into()]);
        }
    });
    js_sys::Reflect::set(&request, &"onupgradeneeded".into(), &upgrade)?;
    let database = finished(&request).await?;
    // Another version of the extension asking to upgrade: let it.
    let closing = database.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let _ = invoke(&closing, "close", &[]);
        DATABASE.with_borrow_mut(|d| *d = None);
    });
    js_sys::Reflect::set(&database, &"onversionchange".into(), on_change.as_ref())?;
    on_change.forget();
    DATABASE.with_borrow_mut(|d| *d = Some(database.clone()));
    Ok(database)
}

/// A transaction over both stores; a connection the browser closed is
/// opened again once.
async fn transaction(mode: &str) -> Result<JsValue, JsValue> {
    let stores: js_sys::Array = [CHUNKS, SIZES].iter().map(|s| JsValue::from(*s)).collect();
    let database = open().await?;
    match invoke(
        &database,
        "transaction",
        &[stores.clone().into(), mode.into()],
    ) {
        Ok(transaction) => Ok(transaction),
        Err(_) => {
            DATABASE.with_borrow_mut(|d| *d = None);
            let database = open().await?;
            invoke(&database, "transaction", &[stores.into(), mode.into()])
        }
    }
}

fn store(transaction: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    invoke(transaction, "objectStore", &[name.into()])
}

/// The keys from `prefix` up to the end of the keys that start with it.
fn prefix_range(prefix: &str) -> Result<JsValue, JsValue> {
    let key_range = get(&js_sys::global(), "IDBKeyRange");
    let end = format!("{prefix}\u{ffff}");
    invoke(&key_range, "bound", &[prefix.into(), end.into()])
}

/// Store `text` under `key`; done once it is committed.
pub async fn put(key: &str, text: &JsValue) -> Result<(), JsValue> {
    let transaction = transaction("readwrite").await?;
    let length = text.dyn_ref::<js_sys::JsString>().map_or(0, |t| t.length());
    let bytes = (key.len() + length as usize) as f64;
    invoke(
        &store(&transaction, CHUNKS)?,
        "put",
        &[text.clone(), key.into()],
    )?;
    invoke(
        &store(&transaction, SIZES)?,
        "put",
        &[bytes.into(), key.into()],
    )?;
    committed(&transaction).await
}

/// Every `(key, text)` whose key starts with `prefix`, sorted by key.
pub async fn load_prefixed(prefix: &str) -> Result<Vec<(String, String)>, JsValue> {
    let transaction = transaction("readonly").await?;
    let chunks = store(&transaction, CHUNKS)?;
    let keys = invoke(&chunks, "getAllKeys", &[prefix_range(prefix)?])?;
    let texts = invoke(&chunks, "getAll", &[prefix_range(prefix)?])?;
    let (keys, texts) = (finished(&keys), finished(&texts));
    let keys = js_sys::Array::from(&keys.await?);
    let texts = js_sys::Array::from(&texts.await?);
    let mut out: Vec<(String, String)> = keys
        .iter()
        .zip(texts.iter())
        .filter_map(|(key, text)| Some((key.as_string()?, text.as_string()?)))
        .collect();
    out.sort();
    Ok(out)
}

/// Delete the given keys; done once it is committed.
pub async fn remove(keys: &[String]) -> Result<(), JsValue> {
    if keys.is_empty() {
        return Ok(());
    }
    let transaction = transaction("readwrite").await?;
    for name in [CHUNKS, SIZES] {
        let store = store(&transaction, name)?;
        for key in keys {
            invoke(&store, "delete", &[key.into()])?;
        }
    }
    committed(&transaction).await
}

/// Bytes the chunks take (their keys and texts, as `chrome.storage.local`
/// counts them).
pub async fn bytes_used() -> Result<u64, JsValue> {
    let transaction = transaction("readonly").await?;
    let sizes = invoke(&store(&transaction, SIZES)?, "getAll", &[])?;
    let sizes = js_sys::Array::from(&finished(&sizes).await?);
    Ok(sizes.iter().filter_map(|s| s.as_f64()).sum::<f64>() as u64)
}
