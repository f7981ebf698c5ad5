//! Every other request of a recorded tab (documents, scripts, styles,
//! images, fonts, media) from the browser's `webRequest` observer, with
//! status, timing and failures. fetch, XHR, beacons and WebSockets come from
//! the page hook instead, so they are skipped here: no request is listed twice.

use std::cell::RefCell;
use std::collections::HashMap;

use repro_manifest::{Chunk, NetworkEntry, NetworkKind};
use wasm_bindgen::prelude::*;

use crate::session::{chunk_key, session_key, SessionRecord};
use crate::web::storage::{load, store_text};
use repro_extension_messages::web::js::get;

/// Sequence numbers of the background's own chunks start here, apart from the recorder's.
const SEQ_BASE: u32 = 1_000_000_000;

thread_local! {
    /// Start times by request id. Only durations are lost if the worker stops meanwhile.
    static STARTS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
}

/// Repro's own files (the recorder loaded into the tab, the mark form) and
/// inline data are not the page's requests.
fn is_own_or_inline(url: &str) -> bool {
    ["chrome-extension:", "moz-extension:", "data:", "blob:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// Types the page hook reports itself.
fn from_the_hook(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "xmlhttprequest" | "ping" | "websocket" | "csp_report"
    )
}

/// A request started.
#[wasm_bindgen]
pub fn on_request_start(details: JsValue) {
    let (Some(id), Some(at)) = (
        get(&details, "requestId").as_string(),
        get(&details, "timeStamp").as_f64(),
    ) else {
        return;
    };
    if get(&details, "tabId").as_f64().unwrap_or(-1.0) < 0.0 {
        return;
    }
    STARTS.with(|starts| {
        let mut starts = starts.borrow_mut();
        if starts.len() > 10_000 {
            starts.clear();
        }
        starts.insert(id, at);
    });
}

/// A request completed or failed: record it if its tab is being recorded.
#[wasm_bindgen]
pub async fn on_request_done(details: JsValue) -> Result<(), JsValue> {
    let id = get(&details, "requestId").as_string().unwrap_or_default();
    let start = STARTS.with(|starts| starts.borrow_mut().remove(&id));
    let resource_type = get(&details, "type").as_string().unwrap_or_default();
    let Some(tab) = get(&details, "tabId")
        .as_f64()
        .filter(|t| *t >= 0.0)
        .map(|t| t as i64)
    else {
        return Ok(());
    };
    if from_the_hook(&resource_type) {
        return Ok(());
    }
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Ok(());
    };
    let end = get(&details, "timeStamp")
        .as_f64()
        .unwrap_or_else(js_sys::Date::now);
    let begun = start.unwrap_or(end);
    let t = (begun - session.started_at as f64).max(0.0) as u64;
    let page = session.pages.iter().rposition(|p| p.t <= t).unwrap_or(0) as u32;
    let status = get(&details, "statusCode")
        .as_f64()
        .map(|s| s as u16)
        .filter(|s| *s > 0);
    let url = get(&details, "url").as_string().unwrap_or_default();
    if is_own_or_inline(&url) {
        return Ok(());
    }
    let entry = NetworkEntry {
        t,
        page,
        kind: NetworkKind::Resource,
        method: get(&details, "method")
            .as_string()
            .unwrap_or_else(|| "GET".into()),
        url: repro_manifest::pii::mask(&repro_manifest::mask_url(&url)).into_owned(),
        resource_type,
        status,
        duration_ms: start.map(|s| (end - s).max(0.0) as u64),
        error: get(&details, "error").as_string(),
        request_headers: Vec::new(),
        response_headers: Vec::new(),
        request_body: None,
        response_body: None,
        before_start_ms: None,
    };
    let seq = SEQ_BASE + id.parse::<u32>().unwrap_or(0) % SEQ_BASE;
    let chunk = Chunk {
        page,
        seq,
        network: vec![entry],
        ..Chunk::default()
    };
    let text = serde_json::to_string(&chunk).map_err(|e| JsValue::from_str(&e.to_string()))?;
    store_text(&chunk_key(&session.id, page, seq), &text).await
}
