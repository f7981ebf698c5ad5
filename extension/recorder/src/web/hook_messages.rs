//! The page hook's messages on a window the recorder listens to (the
//! page's, or a recorded frame's of its origin): batches of console and
//! network entries, each parsed strictly, capped and masked; the hook's
//! "I have just started" (answered with "ready"); and a frame of another
//! origin telling which frame element shows it.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{Event, MessageEvent};

use super::recorder::RecorderCell;
use crate::core::hook::{to_entry, HookMessage, HOOK_CONSOLE, HOOK_TAG};
use repro_extension_messages::web::js::get;
use repro_extension_messages::web::wire::signal_message;
use repro_extension_messages::{WindowSignal, WINDOW_SIGNAL_KEY};

/// A batch of messages from the MAIN-world hook: only from the window
/// listened to (the page's, or a recorded frame's of its origin), only
/// tagged ones.
pub fn on_hook_message(cell: &RecorderCell, event: Event) {
    // (Not checked as ours: a frame's events are of the frame's realm.)
    if event.type_() != "message" {
        return;
    }
    let message = event.unchecked_ref::<MessageEvent>();
    let from_this_window = match (message.source(), event.current_target()) {
        (Some(source), Some(window)) => JsValue::from(source) == JsValue::from(window),
        _ => false,
    };
    let data = message.data();
    let signal = get(&data, WINDOW_SIGNAL_KEY)
        .as_string()
        .and_then(|name| WindowSignal::parse(&name));
    // A hook that started after this recorder said it listens there.
    if signal == Some(WindowSignal::HookHere) && from_this_window {
        if let Some(window) = message.source() {
            let window: &web_sys::Window = window.unchecked_ref();
            let _ = window.post_message(&signal_message(WindowSignal::RecorderReady), "*");
        }
        return;
    }
    if signal == Some(WindowSignal::FrameHere) && !from_this_window {
        let (Some(frame), Some(source)) = (get(&data, "frame").as_f64(), message.source()) else {
            return;
        };
        cell.with(|r| {
            let (links, recording) = r.frame_recording();
            for event in links.announced(frame as i64, source.into(), recording) {
                r.push(event);
            }
        });
        return;
    }
    if !from_this_window || signal != Some(WindowSignal::Hook) {
        return;
    }
    let batch = get(&data, "batch");
    if !js_sys::Array::is_array(&batch) {
        return;
    }
    for item in js_sys::Array::from(&batch).iter() {
        take_hook_entry(cell, &item);
    }
}

/// One entry of the hook: counted, parsed strictly, masked and kept.
fn take_hook_entry(cell: &RecorderCell, data: &JsValue) {
    // Past a page's limit an entry is only counted: spare a noisy page the parsing.
    let is_console = get(data, HOOK_TAG).as_string().as_deref() == Some(HOOK_CONSOLE);
    if cell.with(|recorder| recorder.limits.drop_if_over(is_console)) != Some(false) {
        return;
    }
    let Ok(text) = js_sys::JSON::stringify(data) else {
        return;
    };
    let Some(text) = text.as_string() else { return };
    let Ok(hook_message) = serde_json::from_str::<HookMessage>(&text) else {
        return;
    };
    cell.with(|recorder| {
        let entry = to_entry(hook_message, recorder.session_start, recorder.page);
        recorder.keep_entry(entry);
    });
}
