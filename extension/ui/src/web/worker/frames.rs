//! Frames of other origins in a recorded tab, from the background's side.
//! The page's recorder cannot read them, so each gets a recorder of its own
//! (injected at Start and whenever such a frame loads a document); its hello
//! is answered here without a page of its own, and its chunks are relayed to
//! the recorder of the frame's parent, which takes them into the page's
//! recording at the frame element (`recorder::core::frame_relay`). A frame
//! whose parent is of its own origin is recorded by the parent through its
//! document, and its recorder stops at once. Each frame gets the page hook
//! too, so a frame's console and network come with its chunks. At Stop, the frames hand over
//! their last chunks, the deepest first, before the page does.

use wasm_bindgen::prelude::*;

use super::injection::{inject_into_frames, PAGE_HOOK_FILE, RECORDER_FILES};
use crate::config::{Config, CONFIG_KEY};
use crate::session::{session_key, SessionRecord};
use crate::web::storage::load;
use repro_extension_messages::web::js::{get, object};
use repro_extension_messages::web::runtime::call;
use repro_extension_messages::web::wire::{bulk, to_js, to_js_with_bulk};
use repro_extension_messages::{HelloAnswer, StoreAnswer, ToRecorder};

/// The frame `frame` of `tab`, at `url`, introduces its recorder.
pub async fn hello(tab: i64, frame: i64, url: &str) -> Result<JsValue, JsValue> {
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Ok(to_js(&HelloAnswer::default()));
    };
    // A frame of a never-record site stays out of the recording (its
    // frame element replays empty).
    let config = load::<Config>(CONFIG_KEY).await?;
    if config.as_ref().is_some_and(|c| c.skips(url)) {
        return Ok(to_js(&HelloAnswer::default()));
    }
    let policy = serde_json::to_string(&session.policy).unwrap_or_default();
    Ok(to_js(&HelloAnswer {
        recording: true,
        session_start: session.started_at as f64,
        page: 0,
        policy,
        frame: Some(frame),
        pre_roll: crate::config::pre_roll_on(config.as_ref()),
    }))
}

/// Relay `chunks` (texts) from the recorder of frame `frame` of `tab`, at
/// `url`, to its parent's recorder; the parent's answer is the frame's.
pub async fn relay(tab: i64, frame: i64, url: &str, chunks: &JsValue) -> Result<JsValue, JsValue> {
    let not_taken = || {
        to_js(&StoreAnswer {
            stored: false,
            held: false,
        })
    };
    let message = to_js_with_bulk(
        &ToRecorder::FrameChunks {
            frame,
            url: repro_manifest::mask_url(url),
        },
        "chunks",
        chunks,
    );
    Ok(to_nearest_recorder(tab, frame, &message)
        .await
        .unwrap_or_else(not_taken))
}

/// Send `message` to the recorder nearest above frame `frame`: its parent's,
/// or, where the parent has none (a frame of its parent's origin, recorded
/// through its document), the next one up. Its answer, if one answered.
async fn to_nearest_recorder(tab: i64, frame: i64, message: &JsValue) -> Option<JsValue> {
    let mut below = frame;
    for _ in 0..16 {
        let above = parent_of(tab, below).await?;
        let answer = call(
            "chrome.tabs.sendMessage",
            &[
                (tab as f64).into(),
                message.clone(),
                object(&[("frameId", (above as f64).into())]),
            ],
        )
        .await;
        if let Ok(answer) = answer {
            return Some(answer);
        }
        if above == 0 {
            return None;
        }
        below = above;
    }
    None
}

/// The frame that holds frame `frame` of `tab`.
async fn parent_of(tab: i64, frame: i64) -> Option<i64> {
    let details = object(&[
        ("tabId", (tab as f64).into()),
        ("frameId", (frame as f64).into()),
    ]);
    let info = call("chrome.webNavigation.getFrame", &[details])
        .await
        .ok()?;
    get(&info, "parentFrameId")
        .as_f64()
        .map(|id| id as i64)
        .filter(|id| *id >= 0)
}

/// Every frame of `tab` but the top one, as (frame, parent), the deepest first.
async fn subframes(tab: i64) -> Vec<(i64, i64)> {
    let Ok(frames) = call(
        "chrome.webNavigation.getAllFrames",
        &[object(&[("tabId", (tab as f64).into())])],
    )
    .await
    else {
        return Vec::new();
    };
    let frames: Vec<(i64, i64)> = js_sys::Array::from(&frames)
        .iter()
        .filter_map(|f| {
            let id = get(&f, "frameId").as_f64()? as i64;
            let parent = get(&f, "parentFrameId").as_f64()? as i64;
            Some((id, parent))
        })
        .filter(|(id, _)| *id != 0)
        .collect();
    let depth = |mut frame: i64| {
        let mut depth = 0;
        while let Some((_, parent)) = frames.iter().find(|(id, _)| *id == frame) {
            frame = *parent;
            depth += 1;
            if depth > 64 {
                break;
            }
        }
        depth
    };
    let mut ordered = frames.clone();
    ordered.sort_by_key(|(id, _)| std::cmp::Reverse(depth(*id)));
    ordered
}

/// Start a recorder in every frame of `tab` but the top one (each decides
/// whether it is needed); frames that cannot take one are left.
pub async fn start_in_subframes(tab: i64) {
    let frames: Vec<i64> = subframes(tab).await.into_iter().map(|(id, _)| id).collect();
    if !frames.is_empty() {
        let _ = inject_into_frames(tab, &frames, &[PAGE_HOOK_FILE], true).await;
        let _ = inject_into_frames(tab, &frames, &RECORDER_FILES, false).await;
    }
}

/// Frame `frame` of a recorded `tab` committed to a new document: hook its
/// console and network from the start (its recorder, if it needs one,
/// comes once the document is parsed).
pub async fn navigation_committed(tab: i64, frame: i64) {
    let _ = inject_into_frames(tab, &[frame], &[PAGE_HOOK_FILE], true).await;
}

/// Frame `frame` of a recorded `tab` loaded a document: start its recorder.
pub async fn document_loaded(tab: i64, frame: i64) {
    let _ = inject_into_frames(tab, &[frame], &RECORDER_FILES, false).await;
}

/// Stop the frames' recorders, the deepest first, relaying their last
/// chunks to their parents before those stop.
pub async fn stop_subframes(tab: i64) {
    for (frame, _) in subframes(tab).await {
        let Ok(answer) = call(
            "chrome.tabs.sendMessage",
            &[
                (tab as f64).into(),
                to_js(&ToRecorder::Stop),
                object(&[("frameId", (frame as f64).into())]),
            ],
        )
        .await
        else {
            continue;
        };
        let chunks = bulk(&answer, "chunks");
        if js_sys::Array::is_array(&chunks) && js_sys::Array::from(&chunks).length() > 0 {
            let url = frame_url(tab, frame).await;
            let message =
                to_js_with_bulk(&ToRecorder::FrameChunks { frame, url }, "chunks", &chunks);
            let _ = to_nearest_recorder(tab, frame, &message).await;
        }
    }
}

/// The masked URL of frame `frame` of `tab`.
async fn frame_url(tab: i64, frame: i64) -> String {
    let details = object(&[
        ("tabId", (tab as f64).into()),
        ("frameId", (frame as f64).into()),
    ]);
    let url = call("chrome.webNavigation.getFrame", &[details])
        .await
        .map(|info| get(&info, "url").as_string().unwrap_or_default())
        .unwrap_or_default();
    repro_manifest::mask_url(&url)
}
