//! The runtime messages the background answers: from a page's recorder
//! (hello, chunks, failures), from the popup and review pages (start, stop,
//! share, discard) and from the mark form, each sent to the room that
//! handles it.

use wasm_bindgen::prelude::*;

use super::api::{get, message_of, object};
use super::background;
use super::marks;
use super::upload::{discard, remove_from_list, upload_session};

/// Handle a runtime message from a recorder or the popup; the answer goes back to the sender.
#[wasm_bindgen]
pub async fn on_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let kind = get(&message, "kind").as_string().unwrap_or_default();
    let sender_tab = get(&get(&sender, "tab"), "id").as_f64().map(|id| id as i64);
    let named_tab = get(&message, "tab").as_f64().map(|id| id as i64);
    let session = get(&message, "session").as_string().unwrap_or_default();
    let answer = match (kind.as_str(), sender_tab, named_tab) {
        ("hello", Some(tab), _) => background::hello(tab, &message).await,
        ("chunks", Some(tab), _) => background::store_chunks(tab, &get(&message, "chunks")).await,
        ("chunk-part", Some(tab), _) => background::store_chunk_part(tab, &message).await,
        ("recorder-failed", Some(tab), _) => background::recorder_failed(tab, &message).await,
        ("recorder-js", Some(tab), _) => {
            background::inject(tab, &[background::RECORDER_JS_FILE], false)
                .await
                .map(|_| JsValue::TRUE)
        }
        ("status", _, Some(tab)) => background::status(tab).await,
        ("start", _, Some(tab)) => background::start(tab, false).await,
        ("mark", _, Some(tab)) => marks::begin(tab).await,
        ("mark-save", Some(tab), _) => marks::save(tab, &message).await,
        ("mark-cancel", Some(tab), _) => marks::cancel(tab).await,
        ("stop", _, Some(tab)) => background::stop(tab, None).await,
        ("share" | "retry", _, Some(tab)) => background::share(tab).await,
        ("discard", _, Some(tab)) => background::discard_stopped(tab).await,
        ("retry-report", _, _) => upload_session(&session).await.map(|_| JsValue::TRUE),
        ("discard-report", _, _) => discard(&session).await.map(|_| JsValue::TRUE),
        ("remove-report", _, _) => remove_from_list(&session).await.map(|_| JsValue::TRUE),
        _ => Err(JsValue::from_str("unknown message")),
    };
    answer.or_else(|error| Ok(object(&[("error", message_of(&error).into())])))
}
