//! One recording session per tab, in the background: start, each page's
//! hello, its chunks, stop; and the tab and navigation events that inject
//! the recorder into a recorded tab's new pages.

use repro_manifest::{ChunkPlace, Environment, Page};
use wasm_bindgen::prelude::*;

use super::chunk_parts::{self, Taken};
use super::injection::{inject, PAGE_HOOK_FILE, RECORDER_FILES};
use super::upload::{after_stop, discard, resume_queue, upload_session};
use crate::config::{Config, CONFIG_KEY};
use crate::session::{
    chunk_key, finished_key, mark_prefix, session_key, site_pattern, tab_report_key, BudgetState,
    SessionRecord, StoredMark, UploadState,
};
use crate::user_agent;
use crate::web::reports::{budget, tab_report};
use crate::web::storage::{load, load_prefixed, remove, save, store_js_text};
use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::runtime::call;
use repro_extension_messages::web::wire::{bulk, from_js, to_js};
use repro_extension_messages::{
    Hello, HelloAnswer, StatusAnswer, StoreAnswer, TabPixels, ToRecorder,
};

/// A top-level navigation committed in a tab: if it is recorded, hook the new page early.
#[wasm_bindgen]
pub async fn on_navigation_committed(details: JsValue) -> Result<(), JsValue> {
    if let Some((tab, frame)) = recorded_subframe(&details).await? {
        super::frames::navigation_committed(tab, frame).await;
        return Ok(());
    }
    if let Some(tab) = recorded_top_frame(&details).await? {
        inject(tab, &[PAGE_HOOK_FILE], true).await?;
        if let (Some(mut session), Some(pattern)) = (
            load::<SessionRecord>(&session_key(tab)).await?,
            get(&details, "url")
                .as_string()
                .as_deref()
                .and_then(site_pattern),
        ) {
            if !session.hook_patterns.contains(&pattern) {
                session.hook_patterns.push(pattern);
                save(&session_key(tab), &session).await?;
                register_page_hook().await?;
            }
        }
    }
    Ok(())
}

/// The pre-roll setting (on unless the tester turned it off).
async fn pre_roll_on() -> Result<bool, JsValue> {
    Ok(crate::config::pre_roll_on(
        load::<Config>(CONFIG_KEY).await?.as_ref(),
    ))
}

const HOOK_SCRIPT_ID: &str = "repro-page-hook";

/// Register the page hook at `document_start`: on every page while pre-roll
/// is on (the default: each page keeps its last minute of console and
/// network in its own memory), else only on the sites of the tabs being
/// recorded, so that a newly loaded page's first console calls and requests
/// are seen. The hook only forwards to a recorder of its own document; a page
/// without one keeps at most a bounded buffer and sends nothing.
async fn register_page_hook() -> Result<(), JsValue> {
    let pre_roll = pre_roll_on().await?;
    let mut patterns: Vec<String> = Vec::new();
    if pre_roll {
        patterns.push("<all_urls>".into());
    }
    for (_, text) in load_prefixed("session:").await? {
        if let Ok(session) = serde_json::from_str::<SessionRecord>(&text) {
            patterns.extend(session.hook_patterns);
        }
    }
    patterns.sort();
    patterns.dedup();
    let ids: js_sys::Array = std::iter::once(JsValue::from_str(HOOK_SCRIPT_ID)).collect();
    let existing = call(
        "chrome.scripting.getRegisteredContentScripts",
        &[object(&[("ids", ids.clone().into())])],
    )
    .await?;
    let registered = js_sys::Array::from(&existing).length() > 0;
    if patterns.is_empty() {
        if registered {
            call(
                "chrome.scripting.unregisterContentScripts",
                &[object(&[("ids", ids.into())])],
            )
            .await?;
        }
        return Ok(());
    }
    let matches: js_sys::Array = patterns.iter().map(|p| JsValue::from_str(p)).collect();
    let files: js_sys::Array = std::iter::once(JsValue::from_str(PAGE_HOOK_FILE)).collect();
    let script = object(&[
        ("id", HOOK_SCRIPT_ID.into()),
        ("matches", matches.into()),
        ("js", files.into()),
        ("runAt", "document_start".into()),
        ("world", "MAIN".into()),
        ("persistAcrossSessions", false.into()),
    ]);
    let scripts: js_sys::Array = std::iter::once(script).collect();
    let method = if registered {
        "updateContentScripts"
    } else {
        "registerContentScripts"
    };
    call(&format!("chrome.scripting.{method}"), &[scripts.into()]).await?;
    Ok(())
}

/// A recorded tab's new document is parsed: start its recorder.
#[wasm_bindgen]
pub async fn on_dom_content_loaded(details: JsValue) -> Result<(), JsValue> {
    if let Some((tab, frame)) = recorded_subframe(&details).await? {
        super::frames::document_loaded(tab, frame).await;
        return Ok(());
    }
    if let Some(tab) = recorded_top_frame(&details).await? {
        let url = get(&details, "url").as_string().unwrap_or_default();
        if load::<Config>(CONFIG_KEY)
            .await?
            .is_some_and(|c| c.skips(&url))
        {
            return Ok(());
        }
        inject(tab, &[PAGE_HOOK_FILE], true).await?;
        inject(tab, &RECORDER_FILES, false).await?;
    }
    Ok(())
}

/// A frame (not the top one) of a recorded tab, as (tab, frame).
async fn recorded_subframe(details: &JsValue) -> Result<Option<(i64, i64)>, JsValue> {
    let Some(frame) = get(details, "frameId").as_f64().map(|f| f as i64) else {
        return Ok(None);
    };
    let Some(tab) = get(details, "tabId").as_f64().map(|t| t as i64) else {
        return Ok(None);
    };
    if frame == 0 || load::<SessionRecord>(&session_key(tab)).await?.is_none() {
        return Ok(None);
    }
    Ok(Some((tab, frame)))
}

async fn recorded_top_frame(details: &JsValue) -> Result<Option<i64>, JsValue> {
    if get(details, "frameId").as_f64() != Some(0.0) {
        return Ok(None);
    }
    let Some(tab) = get(details, "tabId").as_f64().map(|t| t as i64) else {
        return Ok(None);
    };
    let session: Option<SessionRecord> = load(&session_key(tab)).await?;
    Ok(session.map(|_| tab))
}

async fn set_badge(tab: i64, text: &str) -> Result<(), JsValue> {
    let tab_id = (tab as f64).into();
    call(
        "chrome.action.setBadgeText",
        &[object(&[("tabId", tab_id), ("text", text.into())])],
    )
    .await?;
    call(
        "chrome.action.setBadgeBackgroundColor",
        &[object(&[
            ("tabId", (tab as f64).into()),
            ("color", "#d93025".into()),
        ])],
    )
    .await?;
    Ok(())
}

fn random_id() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
        .collect()
}

/// Start recording `tab`; `mark_only` when it is only for one mark.
pub(super) async fn start(tab: i64, mark_only: bool) -> Result<JsValue, JsValue> {
    if load::<SessionRecord>(&session_key(tab)).await?.is_some() {
        return status(tab).await;
    }
    let tab_info = call("chrome.tabs.get", &[(tab as f64).into()]).await?;
    let url = get(&tab_info, "url").as_string().unwrap_or_default();
    let config: Option<Config> = load(CONFIG_KEY).await?;
    if config.as_ref().is_some_and(|c| c.skips(&url)) {
        return Err(JsValue::from_str(
            "This site is on your never-record list (see Options).",
        ));
    }
    if let BudgetState::Full(words) = budget().await? {
        return Err(JsValue::from_str(&words));
    }
    let session = SessionRecord {
        id: random_id(),
        tab,
        started_at: js_sys::Date::now() as u64,
        pages: Vec::new(),
        environment: None,
        policy: config.map(|c| c.policy()).unwrap_or_default(),
        hook_patterns: site_pattern(&url).into_iter().collect(),
        mark_only,
        thumbnail: None,
    };
    save(&session_key(tab), &session).await?;
    // The tab's last report stays in the list; the popup now shows the new recording.
    remove(&[tab_report_key(tab)]).await?;
    let injected = async {
        inject(tab, &[PAGE_HOOK_FILE], true).await?;
        inject(tab, &RECORDER_FILES, false).await
    };
    if let Err(error) = injected.await {
        remove(&[session_key(tab)]).await?;
        return Err(JsValue::from_str(&crate::session::cannot_record(
            &message_of(&error),
        )));
    }
    // Frames of other origins get recorders of their own.
    super::frames::start_in_subframes(tab).await;
    set_badge(tab, "REC").await?;
    register_page_hook().await?;
    status(tab).await
}

pub(super) async fn status(tab: i64) -> Result<JsValue, JsValue> {
    let session: Option<SessionRecord> = load(&session_key(tab)).await?;
    Ok(to_js(&StatusAnswer {
        recording: session.is_some(),
        ready: session.as_ref().is_some_and(|s| !s.pages.is_empty()),
        session_start: session.map(|s| s.started_at as f64).unwrap_or(0.0),
    }))
}

/// Is `tab` being recorded?
pub(super) async fn is_recording(tab: i64) -> Result<bool, JsValue> {
    Ok(load::<SessionRecord>(&session_key(tab)).await?.is_some())
}

/// A page of a recorded tab introduces itself: give it its page index.
pub(super) async fn hello(tab: i64, hello: Hello) -> Result<JsValue, JsValue> {
    let Some(mut session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Ok(to_js(&HelloAnswer::default()));
    };
    let now = js_sys::Date::now() as u64;
    let page = session.pages.len() as u32;
    let url = repro_manifest::mask_url(&hello.url);
    session.pages.push(Page {
        t: now.saturating_sub(session.started_at),
        url: url.clone(),
        title: hello.title,
    });
    if session.environment.is_none() {
        let (browser, browser_version, os) = user_agent::parse(&hello.user_agent);
        let manifest = call("chrome.runtime.getManifest", &[]).await?;
        session.environment = Some(Environment {
            browser,
            browser_version,
            os,
            user_agent: hello.user_agent,
            viewport: repro_manifest::Size {
                w: hello.width as u32,
                h: hello.height as u32,
            },
            device_pixel_ratio: hello.dpr,
            language: hello.language,
            // The browser's zone, read here: creating a DateTimeFormat in the
            // page costs the page's main thread tens of milliseconds.
            time_zone: get(
                &js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                    .resolved_options(),
                "timeZone",
            )
            .as_string()
            .unwrap_or_default(),
            url,
            extension_version: get(&manifest, "version").as_string().unwrap_or_default(),
            recorder_build: hello.build,
            release: hello.release,
        });
    }
    save(&session_key(tab), &session).await?;
    let policy = serde_json::to_string(&session.policy).unwrap_or_default();
    Ok(to_js(&HelloAnswer {
        recording: true,
        session_start: session.started_at as f64,
        page,
        policy,
        frame: None,
        pre_roll: pre_roll_on().await?,
    }))
}

/// The recorder of the tab's current page failed (`error` says how): the
/// report keeps a note of it in its console list, from Repro, so that the
/// review step and the replay say this page is missing or incomplete
/// rather than showing an empty replay without a word.
pub(super) async fn recorder_failed(tab: i64, error: &str) -> Result<JsValue, JsValue> {
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Ok(to_js(&StoreAnswer::default()));
    };
    let page = session.pages.len().saturating_sub(1) as u32;
    let t = (js_sys::Date::now() as u64).saturating_sub(session.started_at);
    let chunk = crate::assemble::recorder_failure_chunk(page, t, error);
    let text = serde_json::to_string(&chunk).map_err(|e| JsValue::from_str(&e.to_string()))?;
    store_js_text(&chunk_key(&session.id, chunk.page, chunk.seq), &text.into()).await?;
    Ok(stored(true))
}

/// Persist chunks under their page and sequence number (storing one twice
/// is harmless). When the local storage budget is used up, the recording
/// stops, keeping everything recorded so far.
pub(super) async fn store_chunks(tab: i64, chunks: &JsValue) -> Result<JsValue, JsValue> {
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return Ok(stored(false));
    };
    persist_chunks(&session.id, chunks).await?;
    if let BudgetState::Full(words) = budget().await? {
        // Not awaited here: stopping asks this same page for its last chunks.
        wasm_bindgen_futures::spawn_local(async move {
            // A tab that went away meanwhile was stopped by its own event.
            let _ = stop(tab, Some(format!("Recording stopped by itself. {words}"))).await;
        });
    }
    Ok(stored(true))
}

/// The answer to chunks: whether they were stored.
fn stored(stored: bool) -> JsValue {
    to_js(&StoreAnswer {
        stored,
        held: false,
    })
}

/// Hold a part of a long chunk, and store the chunk once its last part came.
pub(super) async fn store_chunk_part(
    tab: i64,
    frame: i64,
    url: &str,
    part: u32,
    parts: u32,
    text: &JsValue,
) -> Result<JsValue, JsValue> {
    match chunk_parts::take(tab, frame, part, parts, text) {
        Taken::Held => Ok(to_js(&StoreAnswer {
            stored: false,
            held: true,
        })),
        Taken::Refused => Ok(stored(false)),
        Taken::Whole(text) if frame != 0 => {
            super::frames::relay(tab, frame, url, &js_sys::Array::of1(&text)).await
        }
        Taken::Whole(text) => store_chunks(tab, &js_sys::Array::of1(&text)).await,
    }
}

async fn persist_chunks(session_id: &str, chunks: &JsValue) -> Result<(), JsValue> {
    let Ok(list) = chunks.clone().dyn_into::<js_sys::Array>() else {
        return Ok(());
    };
    for value in list.iter() {
        let Some(text) = value.as_string() else {
            continue;
        };
        // The recorder's own output: a chunk that does not parse is a bug, not input to keep.
        let Ok(chunk) = serde_json::from_str::<ChunkPlace>(&text) else {
            continue;
        };
        store_js_text(&chunk_key(session_id, chunk.page, chunk.seq), &value).await?;
    }
    Ok(())
}

/// Stop recording `tab` and take it to review (or upload); `reason` when
/// it was not the tester's Stop.
pub(super) async fn stop(tab: i64, reason: Option<String>) -> Result<JsValue, JsValue> {
    let Some(session) = load::<SessionRecord>(&session_key(tab)).await? else {
        return status(tab).await;
    };
    let stopped_at = js_sys::Date::now() as u64;
    chunk_parts::forget(tab);
    super::mark_saves::saves_done(tab).await;
    // Frames of other origins hand their last chunks to their parents
    // first; then the page hands over what it has not yet sent. A tab that
    // is gone or between pages answers nothing, and the stored chunks are
    // what we have.
    super::frames::stop_subframes(tab).await;
    let mut session = session;
    if let Ok(answer) = call(
        "chrome.tabs.sendMessage",
        &[
            (tab as f64).into(),
            to_js(&ToRecorder::Stop),
            object(&[("frameId", 0.into())]),
        ],
    )
    .await
    {
        persist_chunks(&session.id, &bulk(&answer, "chunks")).await?;
        // The page said what to black out: a small picture of it for lists.
        if let Ok(pixels) = from_js::<TabPixels>(&get(&answer, "pixels")) {
            session.thumbnail = super::thumbnail::of_tab(tab, &pixels).await.ok().flatten();
        }
    }
    if session.thumbnail.is_none() {
        session.thumbnail = first_mark_thumbnail(&session.id).await;
    }
    save(&finished_key(&session.id), &(session.clone(), stopped_at)).await?;
    remove(&[session_key(tab)]).await?;
    register_page_hook().await?;
    // The tab may be gone already; its badge went with it.
    let _ = set_badge(tab, "").await;
    after_stop(&session, stopped_at, reason).await?;
    status(tab).await
}

/// A thumbnail made from the first mark's screenshot of session
/// `session_id`, for a recording stopped with its tab out of view.
async fn first_mark_thumbnail(session_id: &str) -> Option<repro_manifest::Screenshot> {
    let marks = load_prefixed(&mark_prefix(session_id)).await.ok()?;
    let shot = marks
        .iter()
        .filter_map(|(_, text)| serde_json::from_str::<StoredMark>(text).ok())
        .find_map(|mark| mark.screenshot)?;
    super::thumbnail::of_mark(&shot).await.ok().flatten()
}

/// The stopped session of `tab` still waiting for the tester or the server, if any.
async fn stopped_session(tab: i64) -> Result<Option<String>, JsValue> {
    Ok(tab_report(tab).await?.and_then(|report| {
        matches!(
            report.state,
            UploadState::Review { .. } | UploadState::Failed { .. } | UploadState::Waiting { .. }
        )
        .then_some(report.session)
    }))
}

/// The tester shares (or retries sharing) the stopped recording.
pub(super) async fn share(tab: i64) -> Result<JsValue, JsValue> {
    if let Some(session) = stopped_session(tab).await? {
        upload_session(&session).await?;
    }
    status(tab).await
}

/// The tester throws the stopped recording away.
pub(super) async fn discard_stopped(tab: i64) -> Result<JsValue, JsValue> {
    if let Some(session) = stopped_session(tab).await? {
        discard(&session).await?;
    }
    status(tab).await
}

/// The tab was closed: stop its recording and upload what was captured.
#[wasm_bindgen]
pub async fn on_tab_removed(tab: f64) -> Result<(), JsValue> {
    let tab = tab as i64;
    if load::<SessionRecord>(&session_key(tab)).await?.is_some() {
        stop(tab, None).await?;
    }
    Ok(())
}

/// The extension was installed, updated, or the browser started: register
/// the page hook as the settings say, and send on every report that was on
/// its way to the server.
#[wasm_bindgen]
pub async fn on_startup() -> Result<(), JsValue> {
    register_page_hook().await?;
    resume_queue().await
}

/// Extension storage changed: follow a change of settings.
#[wasm_bindgen]
pub async fn on_storage_changed(changes: JsValue) -> Result<(), JsValue> {
    if !get(&changes, CONFIG_KEY).is_undefined() {
        register_page_hook().await?;
    }
    Ok(())
}

/// An alarm rang: retry a waiting upload, or one the worker was stopped in the middle of.
#[wasm_bindgen]
pub async fn on_alarm(alarm: JsValue) -> Result<(), JsValue> {
    let name = get(&alarm, "name").as_string().unwrap_or_default();
    if let Some(session) = name.strip_prefix("retry:") {
        upload_session(session).await?;
    }
    Ok(())
}
