//! Handing chunks to the background: sealed every half second (see
//! `outbox`), sent, and forgotten once the background acknowledges them.

use js_sys::JsString;
use wasm_bindgen::JsValue;

use super::recorder::RecorderCell;
use super::tasks::next_task;
use crate::core::message_parts::{part_ranges, PART_UNITS};
use repro_extension_messages::web::js::object;
use repro_extension_messages::web::runtime::ask_background_raw;
use repro_extension_messages::web::wire::{answer_from_js, to_js_with_bulk};
use repro_extension_messages::{StoreAnswer, ToBackground, WindowSignal, WINDOW_SIGNAL_KEY};

/// How often the gathered events are sealed and sent, in milliseconds.
pub const FLUSH_INTERVAL_MS: i32 = 500;

/// Seal what was gathered and send everything unacknowledged, unless a send
/// is already on its way.
pub fn flush_now(cell: &RecorderCell) {
    let batch = cell
        .with(|recorder| {
            recorder.flush_pointer();
            recorder.outbox.begin_send()
        })
        .flatten();
    let Some((texts, last)) = batch else {
        return;
    };
    if let Some(frame) = cell.with(|recorder| recorder.frame).flatten() {
        announce_to_parent(frame);
    }
    let cell = cell.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let units: u32 = texts.iter().map(|text| text.length()).sum();
        let acknowledged = if units <= PART_UNITS {
            send_chunks(&texts).await
        } else {
            send_one_by_one(&texts).await
        };
        cell.with(|recorder| recorder.outbox.end_send(acknowledged, last));
    });
}

/// In a frame of another origin: tell the parent window's recorder which
/// frame this is, with each batch (the parent may have started after it;
/// the message's source tells it the frame element).
fn announce_to_parent(frame: i64) {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message = object(&[
        (WINDOW_SIGNAL_KEY, WindowSignal::FrameHere.name().into()),
        ("frame", (frame as f64).into()),
    ]);
    let _ = parent.post_message(&message, "*");
}

/// Hand `texts` to the background in one message; `true` once it stored them.
async fn send_chunks(texts: &[JsString]) -> bool {
    let list: js_sys::Array = texts.iter().collect();
    let message = to_js_with_bulk(&ToBackground::Chunks, "chunks", &list);
    stored(&message).await
}

/// Hand a large batch to the background a chunk at a time, and a long chunk
/// a part at a time, each in a task after the one that sealed it.
async fn send_one_by_one(texts: &[JsString]) -> bool {
    for text in texts {
        next_task().await;
        let parts = parts_of(text);
        if parts.len() == 1 {
            if !send_chunks(std::slice::from_ref(text)).await {
                return false;
            }
            continue;
        }
        let count = parts.len();
        // Each part after the first goes in the task that brings the
        // answer to the one before.
        for (index, (start, end)) in parts.into_iter().enumerate() {
            let request = ToBackground::ChunkPart {
                part: index as u32,
                parts: count as u32,
            };
            let message = to_js_with_bulk(&request, "text", &text.substring(start, end));
            let answer = ask_background_raw(&message).await;
            let taken = answer
                .and_then(|answer| answer_from_js::<StoreAnswer>(&answer))
                .is_ok_and(|answer| {
                    if index + 1 == count {
                        answer.stored
                    } else {
                        answer.held
                    }
                });
            if !taken {
                return false;
            }
        }
    }
    true
}

/// Did the background store what `message` carried?
async fn stored(message: &JsValue) -> bool {
    ask_background_raw(message)
        .await
        .and_then(|answer| answer_from_js::<StoreAnswer>(&answer))
        .is_ok_and(|answer| answer.stored)
}

/// Where to cut `text` into parts for the messaging layer.
fn parts_of(text: &JsString) -> Vec<(u32, u32)> {
    part_ranges(text.length(), PART_UNITS, |i| {
        (0xD800 as f64..=0xDBFF as f64).contains(&text.char_code_at(i))
    })
}
