//! A stopped recording, from review to the companion server.
//!
//! The session's chunks stay in extension storage until the server has
//! confirmed the report; a failed upload keeps them and is retried (by an
//! alarm, which also brings a stopped worker back to an interrupted upload),
//! and "Discard" deletes them without anything leaving the browser.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::notifications::notify_uploaded;
use super::transfer::send_bundle;
use crate::assemble::summarize;
use crate::config::{Config, CONFIG_KEY};
use crate::session::{
    chunk_prefix, finished_key, is_retryable, mark_prefix, retry_delay_ms, review_key, Report,
    SessionRecord, UploadState,
};
use crate::web::reports::{add_report, all_reports, forget, load_report, set_state};
use crate::web::storage::{load, load_prefixed, remove};
use crate::web::stored_recordings::stored_bundle;
use repro_extension_messages::web::js::{get, object};
use repro_extension_messages::web::runtime::call;

/// Stopped: add the report to the tester's list, then upload it at once if
/// the tester chose so, else wait for review.
pub async fn after_stop(
    session: &SessionRecord,
    stopped_at: u64,
    stop_reason: Option<String>,
) -> Result<(), JsValue> {
    let first_page = session.pages.first();
    let mut report = Report {
        session: session.id.clone(),
        tab: session.tab,
        title: first_page.map(|p| p.title.clone()).unwrap_or_default(),
        page: first_page.map(|p| p.url.clone()).unwrap_or_default(),
        stopped_at,
        state: UploadState::Preparing,
        stop_reason,
    };
    let auto = load::<Config>(CONFIG_KEY)
        .await?
        .is_some_and(|c| c.auto_upload);
    if auto {
        add_report(&report).await?;
        return upload_session(&session.id).await;
    }
    report.state = match stored_bundle(&session.id).await? {
        Ok((bundle, _)) => UploadState::Review {
            summary: summarize(&bundle),
        },
        Err(reason) => UploadState::Failed { reason },
    };
    add_report(&report).await
}

/// Delete what the browser keeps of session `session_id`'s recording.
async fn delete_local_copy(session_id: &str) -> Result<(), JsValue> {
    let mut keys: Vec<String> = Vec::new();
    for prefix in [chunk_prefix(session_id), mark_prefix(session_id)] {
        keys.extend(
            load_prefixed(&prefix)
                .await?
                .into_iter()
                .map(|(key, _)| key),
        );
    }
    keys.extend([finished_key(session_id), review_key(session_id)]);
    remove(&keys).await
}

/// Delete a stopped recording without sharing anything.
pub async fn discard(session_id: &str) -> Result<(), JsValue> {
    call("chrome.alarms.clear", &[retry_alarm(session_id).into()]).await?;
    delete_local_copy(session_id).await?;
    set_state(session_id, UploadState::Discarded).await
}

/// Take session `session_id` off the tester's list, with any local copy left.
pub async fn remove_from_list(session_id: &str) -> Result<(), JsValue> {
    if load_report(session_id)
        .await?
        .is_some_and(|r| r.state.is_pending())
    {
        return Err(JsValue::from_str(
            "this report has not reached the server: share or discard it first",
        ));
    }
    delete_local_copy(session_id).await?;
    forget(session_id).await
}

/// If the worker stops in the middle of an upload, this alarm brings it back
/// to try again; every part that arrives pushes it further out.
const WATCHDOG_MS: f64 = 90_000.0;

async fn arm_alarm(session_id: &str, in_ms: f64) -> Result<(), JsValue> {
    let when = js_sys::Date::now() + in_ms;
    call(
        "chrome.alarms.create",
        &[
            retry_alarm(session_id).into(),
            object(&[("when", when.into())]),
        ],
    )
    .await?;
    Ok(())
}

/// Assemble session `session_id` and upload it, keeping its entry's state current.
pub async fn upload_session(session_id: &str) -> Result<(), JsValue> {
    let Some(report) = load_report(session_id).await? else {
        return Ok(());
    };
    if matches!(
        report.state,
        UploadState::Done { .. } | UploadState::Discarded
    ) {
        return Ok(());
    }
    // Tries so far, carried over from a previous wait.
    let attempt = match report.state {
        UploadState::Waiting { attempt, .. } => attempt,
        _ => 0,
    };
    arm_alarm(session_id, WATCHDOG_MS).await?;
    set_state(session_id, UploadState::Preparing).await?;
    let fail = |reason: String| UploadState::Failed { reason };
    let Some(config) = load::<Config>(CONFIG_KEY).await? else {
        call("chrome.alarms.clear", &[retry_alarm(session_id).into()]).await?;
        let words = "no server is set: open Options and enter the server URL and upload token";
        return set_state(session_id, fail(words.into())).await;
    };
    let (mut bundle, keys) = match stored_bundle(session_id).await? {
        Ok(found) => found,
        Err(reason) => {
            call("chrome.alarms.clear", &[retry_alarm(session_id).into()]).await?;
            return set_state(session_id, fail(reason)).await;
        }
    };
    // The page's images and fonts first: the report names them.
    if let Err(failure) = super::asset_capture::capture(&config, &mut bundle).await {
        return after_failure(session_id, attempt, failure).await;
    }
    let json = serde_json::to_string(&bundle).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let body = gzip(&json).await?;
    let bytes = body.length() as u64;
    set_state(session_id, UploadState::Uploading { bytes, sent: 0 }).await?;
    let progress = |sent: u64| async move {
        let _ = arm_alarm(session_id, WATCHDOG_MS).await;
        let _ = set_state(session_id, UploadState::Uploading { bytes, sent }).await;
    };
    match send_bundle(&config, session_id, &body, progress).await {
        Ok(link) => {
            call("chrome.alarms.clear", &[retry_alarm(session_id).into()]).await?;
            set_state(session_id, UploadState::Done { link }).await?;
            if !config.keep_local_copies {
                remove(&keys).await?;
            }
            if let Some(report) = load_report(session_id).await? {
                // A browser without notifications still has the link in the popup.
                let _ = notify_uploaded(&report).await;
            }
            Ok(())
        }
        Err(failure) => after_failure(session_id, attempt, failure).await,
    }
}

/// An upload try of session `session_id` failed (its `attempt`-th so far):
/// wait and try again when it may pass later, else say why it failed.
async fn after_failure(
    session_id: &str,
    attempt: u32,
    (reason, status): super::transfer::Failure,
) -> Result<(), JsValue> {
    if is_retryable(status) {
        let attempt = attempt + 1;
        let delay = retry_delay_ms(attempt, js_sys::Math::random());
        arm_alarm(session_id, delay as f64).await?;
        return set_state(session_id, UploadState::Waiting { reason, attempt }).await;
    }
    call("chrome.alarms.clear", &[retry_alarm(session_id).into()]).await?;
    set_state(session_id, UploadState::Failed { reason }).await
}

/// After a browser restart (alarms may not survive one) or an update: every
/// report that was on its way to the server goes on.
pub async fn resume_queue() -> Result<(), JsValue> {
    for report in all_reports().await? {
        let interrupted = matches!(
            report.state,
            UploadState::Preparing | UploadState::Uploading { .. } | UploadState::Waiting { .. }
        );
        if interrupted {
            upload_session(&report.session).await?;
        }
    }
    Ok(())
}

/// The name of the alarm that retries session `session_id`'s upload.
pub fn retry_alarm(session_id: &str) -> String {
    format!("retry:{session_id}")
}

/// Gzip `text` with the browser's own CompressionStream.
async fn gzip(text: &str) -> Result<js_sys::Uint8Array, JsValue> {
    let parts: js_sys::Array = std::iter::once(JsValue::from_str(text)).collect();
    let blob = web_sys::Blob::new_with_str_sequence(&parts)?;
    // CompressionStream is not in web-sys's stable API: reach it by name.
    let constructor: js_sys::Function =
        get(&js_sys::global().into(), "CompressionStream").dyn_into()?;
    let compressor = js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(&"gzip".into()))?;
    let stream = blob.stream();
    let pipe_through: js_sys::Function = get(&stream, "pipeThrough").dyn_into()?;
    let compressed: web_sys::ReadableStream =
        pipe_through.call1(&stream, &compressor)?.dyn_into()?;
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&compressed))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer))
}
