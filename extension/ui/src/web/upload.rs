//! A stopped recording, from review to the companion server.
//!
//! The session's chunks stay in extension storage until the server has
//! confirmed the report; a failed upload keeps them and can be retried, and
//! "Discard" deletes them without anything leaving the browser.

use repro_manifest::{Bundle, Chunk};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::api::{call, get, load, load_prefixed, message_of, object, remove, save};
use crate::assemble::{apply_exclusions, assemble, summarize, Exclusions};
use crate::config::{Config, CONFIG_KEY};
use crate::session::{
    chunk_prefix, explain_refusal, finished_key, is_retryable, mark_prefix, retry_delay_ms,
    review_key, upload_key, SessionRecord, StoredMark, UploadState,
};

/// A stopped session as recorded, before the tester's exclusions, with those
/// exclusions and the storage keys holding it; or why it cannot be had.
pub type Material = Result<(Bundle, Exclusions, Vec<String>), String>;

/// Load the material of stopped session `session_id`.
pub async fn review_material(session_id: &str) -> Result<Material, JsValue> {
    let finished: Option<(SessionRecord, u64)> = load(&finished_key(session_id)).await?;
    let Some((session, stopped_at)) = finished else {
        return Ok(Err("the recording is no longer in this browser".into()));
    };
    if session.pages.is_empty() {
        return Ok(Err(
            "nothing was recorded: the page never started its recorder".into(),
        ));
    }
    let stored = load_prefixed(&chunk_prefix(session_id)).await?;
    let chunks: Vec<Chunk> = stored
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    let stored_marks = load_prefixed(&mark_prefix(session_id)).await?;
    let marks: Vec<StoredMark> = stored_marks
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    let bundle = assemble(&session, chunks, marks, stopped_at);
    let exclusions: Exclusions = load(&review_key(session_id)).await?.unwrap_or_default();
    let mut keys: Vec<String> = stored.into_iter().map(|(key, _)| key).collect();
    keys.extend(stored_marks.into_iter().map(|(key, _)| key));
    keys.push(finished_key(session_id));
    keys.push(review_key(session_id));
    Ok(Ok((bundle, exclusions, keys)))
}

/// The bundle of stopped session `session_id` as it would be shared (the
/// tester's exclusions applied), and the storage keys holding it.
pub async fn stored_bundle(
    session_id: &str,
) -> Result<Result<(Bundle, Vec<String>), String>, JsValue> {
    Ok(review_material(session_id)
        .await?
        .map(|(mut bundle, exclusions, keys)| {
            apply_exclusions(&mut bundle, &exclusions);
            (bundle, keys)
        }))
}

/// Stopped: upload at once if the tester chose so, else wait for review.
pub async fn after_stop(tab: i64, session_id: &str) -> Result<(), JsValue> {
    let auto = load::<Config>(CONFIG_KEY)
        .await?
        .is_some_and(|c| c.auto_upload);
    if auto {
        return upload_session(tab, session_id).await;
    }
    let state = match stored_bundle(session_id).await? {
        Ok((bundle, _)) => UploadState::Review {
            session: session_id.to_string(),
            summary: summarize(&bundle),
        },
        Err(reason) => UploadState::Failed {
            reason,
            session: session_id.to_string(),
        },
    };
    save(&upload_key(tab), &state).await
}

/// Delete a stopped recording without sharing anything.
pub async fn discard(tab: i64, session_id: &str) -> Result<(), JsValue> {
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
    remove(&keys).await?;
    save(&upload_key(tab), &UploadState::Discarded).await
}

/// Assemble session `session_id` and upload it, keeping the tab's upload state current.
pub async fn upload_session(tab: i64, session_id: &str) -> Result<(), JsValue> {
    let key = upload_key(tab);
    let fail = |reason: String| UploadState::Failed {
        reason,
        session: session_id.to_string(),
    };
    // Tries so far, carried over from a previous wait; a pending automatic retry is now moot.
    let attempt = match load::<UploadState>(&key).await? {
        Some(UploadState::Waiting { attempt, .. }) => attempt,
        _ => 0,
    };
    call("chrome.alarms.clear", &[retry_alarm(tab).into()]).await?;
    save(&key, &UploadState::Preparing).await?;
    let Some(config) = load::<Config>(CONFIG_KEY).await? else {
        return save(
            &key,
            &fail(
                "no server is set: open Options and enter the server URL and upload token".into(),
            ),
        )
        .await;
    };
    let (bundle, keys) = match stored_bundle(session_id).await? {
        Ok(found) => found,
        Err(reason) => {
            // A retry that lost a race with another one that already delivered it.
            if matches!(
                load::<UploadState>(&key).await?,
                Some(UploadState::Done { .. })
            ) {
                return Ok(());
            }
            return save(&key, &fail(reason)).await;
        }
    };
    let json = serde_json::to_string(&bundle).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let body = gzip(&json).await?;
    save(
        &key,
        &UploadState::Uploading {
            bytes: body.length() as u64,
        },
    )
    .await?;
    match post(&config, &body).await {
        Ok(link) => {
            save(&key, &UploadState::Done { link }).await?;
            remove(&keys).await
        }
        Err((reason, status)) if is_retryable(status) => {
            let attempt = attempt + 1;
            let delay = retry_delay_ms(attempt, js_sys::Math::random());
            let when = js_sys::Date::now() + delay as f64;
            call(
                "chrome.alarms.create",
                &[retry_alarm(tab).into(), object(&[("when", when.into())])],
            )
            .await?;
            save(
                &key,
                &UploadState::Waiting {
                    session: session_id.to_string(),
                    reason,
                    attempt,
                },
            )
            .await
        }
        Err((reason, _)) => save(&key, &fail(reason)).await,
    }
}

/// The name of the alarm that retries `tab`'s upload.
pub fn retry_alarm(tab: i64) -> String {
    format!("retry:{tab}")
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

/// POST the compressed bundle; the share link, or why it failed in words
/// with the HTTP status (none when the server could not be reached).
async fn post(config: &Config, body: &js_sys::Uint8Array) -> Result<String, (String, Option<u16>)> {
    let url = format!("{}/api/reports", config.server_url);
    let headers = object(&[
        ("Authorization", format!("Bearer {}", config.token).into()),
        ("Content-Type", "application/json".into()),
        ("Content-Encoding", "gzip".into()),
    ]);
    let init = object(&[
        ("method", "POST".into()),
        ("headers", headers),
        ("body", body.clone().into()),
    ]);
    let response = call("fetch", &[JsValue::from_str(&url), init])
        .await
        .map_err(|e| {
            let words = format!(
                "could not reach the server at {} ({})",
                config.server_url,
                message_of(&e)
            );
            (words, None)
        })?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| ("no response".to_string(), None))?;
    let status = response.status();
    let json = match response.json() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if response.ok() {
        return get(&json, "url").as_string().ok_or_else(|| {
            (
                "the server answered without a link".to_string(),
                Some(status),
            )
        });
    }
    Err((
        explain_refusal(status, get(&json, "error").as_string().as_deref()),
        Some(status),
    ))
}
