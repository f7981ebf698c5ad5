//! Marks, from the background's side: enter mark mode in a tab (starting a
//! one-mark recording when the tab is not being recorded), and when the
//! tester saves the form, take the element's description from the page, the
//! masked screenshots, and store the mark with the session.

use repro_manifest::{Mark, MarkCapture};
use wasm_bindgen::prelude::*;

use super::mark_saves::{sleep, SaveInProgress};
use super::recording::{discard_stopped, start, status, stop};
use super::screenshot;
use crate::session::{mark_key, mark_prefix, session_key, SessionRecord, StoredMark};
use crate::web::storage::{load, load_prefixed, save as store};
use repro_extension_messages::web::js::object;
use repro_extension_messages::web::runtime::call;
use repro_extension_messages::web::wire::{from_js, to_js};
use repro_extension_messages::{CommitAnswer, MarkSave, PickAnswer, StatusAnswer, ToRecorder};

fn top_frame() -> JsValue {
    object(&[("frameId", 0.into())])
}

async fn activate(tab: i64) -> Result<(), JsValue> {
    call(
        "chrome.tabs.update",
        &[(tab as f64).into(), object(&[("active", true.into())])],
    )
    .await?;
    Ok(())
}

/// "Mark an element": enter mark mode in `tab`.
pub async fn begin(tab: i64) -> Result<JsValue, JsValue> {
    if load::<SessionRecord>(&session_key(tab)).await?.is_none() {
        let started = start(tab, true).await?;
        if !from_js::<StatusAnswer>(&started)?.recording {
            return Ok(started);
        }
    }
    activate(tab).await?;
    let form_url = call("chrome.runtime.getURL", &["mark.html".into()]).await?;
    let message = to_js(&ToRecorder::Pick {
        form_url: form_url.as_string().unwrap_or_default(),
    });
    // The recorder may still be loading in a page that just started recording.
    let mut answer = Err(JsValue::from_str("the page did not answer"));
    for _ in 0..20 {
        answer = call(
            "chrome.tabs.sendMessage",
            &[(tab as f64).into(), message.clone(), top_frame()],
        )
        .await;
        if answer
            .as_ref()
            .is_ok_and(|a| from_js::<PickAnswer>(a).is_ok_and(|a| a.ok))
        {
            break;
        }
        sleep(100).await;
    }
    answer?;
    status(tab).await
}

/// The tester saved the mark form in `tab`.
pub async fn save(tab: i64, form: MarkSave) -> Result<JsValue, JsValue> {
    let saving = SaveInProgress::begin(tab);
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Err(JsValue::from_str("this tab is no longer being recorded"));
    };
    activate(tab).await?;
    let answer = call(
        "chrome.tabs.sendMessage",
        &[
            (tab as f64).into(),
            to_js(&ToRecorder::MarkCommit),
            top_frame(),
        ],
    )
    .await?;
    let answer: CommitAnswer = from_js(&answer)?;
    let text = answer
        .capture
        .ok_or_else(|| JsValue::from_str(&answer.error.unwrap_or_default()))?;
    let capture: MarkCapture =
        serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let (shot, crop) = screenshot::capture(tab, &capture).await?;
    let mark = Mark {
        t: capture.t,
        page: capture.page,
        selector: capture.selector,
        frames: capture.frames,
        xpath: capture.xpath,
        rect: capture.rect,
        viewport: capture.viewport,
        scroll: capture.scroll,
        comment: repro_manifest::pii::mask(&form.comment).into_owned(),
        kind: form.mark_kind,
        severity: form.severity,
        text: capture.text,
        html: capture.html,
        styles: capture.styles,
        screenshot: None,
        crop: None,
    };
    let count = load_prefixed(&mark_prefix(&session.id)).await?.len();
    store(
        &mark_key(&session.id, count),
        &StoredMark {
            mark,
            screenshot: Some(shot),
            crop,
        },
    )
    .await?;
    if session.mark_only {
        drop(saving);
        stop(tab, None).await?;
    }
    Ok(object(&[("ok", true.into())]))
}

/// The tester cancelled the form.
pub async fn cancel(tab: i64) -> Result<JsValue, JsValue> {
    let _ = call(
        "chrome.tabs.sendMessage",
        &[
            (tab as f64).into(),
            to_js(&ToRecorder::MarkCancel),
            top_frame(),
        ],
    )
    .await;
    if let Some(session) = load::<SessionRecord>(&session_key(tab)).await? {
        if session.mark_only && load_prefixed(&mark_prefix(&session.id)).await?.is_empty() {
            stop(tab, None).await?;
            return discard_stopped(tab).await;
        }
    }
    status(tab).await
}
