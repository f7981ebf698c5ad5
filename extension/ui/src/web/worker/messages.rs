//! The runtime messages the background answers: from a page's recorder
//! (hello, chunks, failures), from the popup and review pages (start, stop,
//! share, discard) and from the mark form, each sent to the room that
//! handles it. The vocabulary is `repro_extension_messages::ToBackground`.

use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::wire::{bulk, from_js};
use repro_extension_messages::ToBackground;
use wasm_bindgen::prelude::*;

use super::marking;
use super::recording;
use super::upload::{discard, remove_from_list, upload_session};

/// Handle a runtime message from a recorder or the popup; the answer goes back to the sender.
#[wasm_bindgen]
pub async fn on_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let answer = match from_js::<ToBackground>(&message) {
        Ok(request) => {
            let sender_tab = get(&get(&sender, "tab"), "id").as_f64().map(|id| id as i64);
            answer(request, sender_tab, &message).await
        }
        Err(error) => Err(error),
    };
    answer.or_else(|error| Ok(object(&[("error", message_of(&error).into())])))
}

/// Answer `request`. Requests from a page's recorder and from the mark form
/// need the tab they were sent from; the popup's name theirs.
async fn answer(
    request: ToBackground,
    sender_tab: Option<i64>,
    message: &JsValue,
) -> Result<JsValue, JsValue> {
    use ToBackground as M;
    let from_tab =
        || sender_tab.ok_or_else(|| JsValue::from_str("this message must come from a tab"));
    match request {
        M::Hello(hello) => recording::hello(from_tab()?, hello).await,
        M::Chunks => recording::store_chunks(from_tab()?, &bulk(message, "chunks")).await,
        M::ChunkPart { part, parts } => {
            recording::store_chunk_part(from_tab()?, part, parts, &bulk(message, "text")).await
        }
        M::RecorderFailed { error } => recording::recorder_failed(from_tab()?, &error).await,
        M::RecorderJs => recording::inject(from_tab()?, &[recording::RECORDER_JS_FILE], false)
            .await
            .map(|_| JsValue::TRUE),
        M::Status { tab } => recording::status(tab).await,
        M::Start { tab } => recording::start(tab, false).await,
        M::Mark { tab } => marking::begin(tab).await,
        M::MarkSave(form) => marking::save(from_tab()?, form).await,
        M::MarkCancel => marking::cancel(from_tab()?).await,
        M::Stop { tab } => recording::stop(tab, None).await,
        M::Share { tab } | M::Retry { tab } => recording::share(tab).await,
        M::Discard { tab } => recording::discard_stopped(tab).await,
        M::RetryReport { session } => upload_session(&session).await.map(|_| JsValue::TRUE),
        M::DiscardReport { session } => discard(&session).await.map(|_| JsValue::TRUE),
        M::RemoveReport { session } => remove_from_list(&session).await.map(|_| JsValue::TRUE),
    }
}
