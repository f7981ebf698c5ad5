//! The runtime messages the background answers: from a page's recorder
//! (hello, chunks, failures), from the popup and review pages (start, stop,
//! share, discard) and from the mark form, each sent to the room that
//! handles it. The vocabulary is `repro_extension_messages::ToBackground`.

use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::wire::to_js;
use repro_extension_messages::web::wire::{bulk, from_js};
use repro_extension_messages::{TabPixelsAnswer, ToBackground};
use wasm_bindgen::prelude::*;

use super::frames;
use super::injection;
use super::marking;
use super::recording;
use super::screenshot;
use super::upload::{discard, remove_from_list, upload_session};

/// Handle a runtime message from a recorder or the popup; the answer goes back to the sender.
#[wasm_bindgen]
pub async fn on_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let answer = match from_js::<ToBackground>(&message) {
        Ok(request) => {
            let sender_tab = get(&get(&sender, "tab"), "id").as_f64().map(|id| id as i64);
            let frame = Frame {
                id: get(&sender, "frameId").as_f64().map_or(0, |id| id as i64),
                url: get(&sender, "url").as_string().unwrap_or_default(),
            };
            answer(request, sender_tab, frame, &message).await
        }
        Err(error) => Err(error),
    };
    answer.or_else(|error| Ok(object(&[("error", message_of(&error).into())])))
}

/// The frame a message came from: `0` is the tab's top frame.
struct Frame {
    id: i64,
    url: String,
}

/// Answer `request`. Requests from a page's recorder and from the mark form
/// need the tab they were sent from; the popup's name theirs. A recorder in
/// a frame of another origin is answered by `frames`: its chunks go to its
/// parent's recorder.
async fn answer(
    request: ToBackground,
    sender_tab: Option<i64>,
    frame: Frame,
    message: &JsValue,
) -> Result<JsValue, JsValue> {
    use ToBackground as M;
    let from_tab =
        || sender_tab.ok_or_else(|| JsValue::from_str("this message must come from a tab"));
    match request {
        M::Hello(_) if frame.id != 0 => frames::hello(from_tab()?, frame.id, &frame.url).await,
        M::Hello(hello) => recording::hello(from_tab()?, hello).await,
        M::Chunks if frame.id != 0 => {
            let chunks = bulk(message, "chunks");
            frames::relay(from_tab()?, frame.id, &frame.url, &chunks).await
        }
        M::Chunks => recording::store_chunks(from_tab()?, &bulk(message, "chunks")).await,
        M::ChunkPart { part, parts } => {
            let text = bulk(message, "text");
            recording::store_chunk_part(from_tab()?, frame.id, &frame.url, part, parts, &text).await
        }
        M::RecorderFailed { error } => recording::recorder_failed(from_tab()?, &error).await,
        M::RecorderJs if frame.id != 0 => {
            let files = [injection::RECORDER_JS_FILE];
            injection::inject_into_frames(from_tab()?, &[frame.id], &files, false)
                .await
                .map(|_| JsValue::TRUE)
        }
        M::RecorderJs => injection::inject(from_tab()?, &[injection::RECORDER_JS_FILE], false)
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
        // Only the top frame's recorder asks (its boxes are in the tab's
        // viewport), and only while its tab is recorded.
        M::TabPixels(request) => {
            let tab = from_tab()?;
            let images = match frame.id == 0 && recording::is_recording(tab).await? {
                true => screenshot::tab_pixels(tab, &request).await?,
                false => Vec::new(),
            };
            Ok(to_js(&TabPixelsAnswer { images }))
        }
    }
}
