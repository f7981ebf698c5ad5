//! The popup: Start and Stop for one tab, the upload's progress in words, and
//! the share link. `popup.html?tab=<id>` controls tab `<id>`; without it, the
//! active tab of the current window.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::page_elements::{by_id, document, on, set_text, show};
use crate::config::{Config, CONFIG_KEY};
use crate::session::{BudgetState, Report, UploadState};
use crate::web::reports::{all_reports, budget, tab_report};
use crate::web::storage::load;
use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::runtime::{ask_background, call};
use repro_extension_messages::web::wire::answer_from_js;
use repro_extension_messages::{StatusAnswer, ToBackground};

/// How many other reports the list shows.
const LISTED: usize = 20;

/// Wire the popup page.
#[wasm_bindgen]
pub async fn popup_main() -> Result<(), JsValue> {
    let tab = controlled_tab().await?;
    on("start", "click", move |_| {
        command(tab, ToBackground::Start { tab })
    })?;
    on("stop", "click", move |_| {
        command(tab, ToBackground::Stop { tab })
    })?;
    on("mark", "click", move |_| async move {
        command(tab, ToBackground::Mark { tab }).await;
        // A real popup closes so the tester can point at the page.
        if let Some(window) = web_sys::window() {
            if window.location().search().unwrap_or_default().is_empty() {
                let _ = window.close();
            }
        }
    })?;
    on("share", "click", move |_| {
        command(tab, ToBackground::Share { tab })
    })?;
    on("retry", "click", move |_| {
        command(tab, ToBackground::Share { tab })
    })?;
    on("discard", "click", move |_| {
        command(tab, ToBackground::Discard { tab })
    })?;
    by_id::<web_sys::HtmlAnchorElement>("review-link")?.set_href(&format!("review.html?tab={tab}"));
    on("copy", "click", |_| copy_link())?;
    on(
        "reports",
        "click",
        move |event: web_sys::Event| async move {
            let Some(button) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .filter(|e| e.local_name() == "button")
            else {
                return;
            };
            // The button carries its request as the wire form's JSON text.
            let Some(request) = button
                .get_attribute("data-request")
                .and_then(|text| serde_json::from_str::<ToBackground>(&text).ok())
            else {
                return;
            };
            command(tab, request).await;
        },
    )?;
    on("options", "click", |event: web_sys::Event| async move {
        event.prevent_default();
        let _ = call("chrome.runtime.openOptionsPage", &[]).await;
    })?;
    // The recording clock ticks each second while the popup is open.
    let tick = Closure::<dyn FnMut()>::new(tick_elapsed);
    if let Some(window) = web_sys::window() {
        window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            1000,
        )?;
    }
    tick.forget();
    let changed =
        Closure::<dyn FnMut()>::new(move || wasm_bindgen_futures::spawn_local(render(tab)));
    let on_changed = get(
        &get(&get(&js_sys::global().into(), "chrome"), "storage"),
        "onChanged",
    );
    let add: js_sys::Function = get(&on_changed, "addListener").dyn_into()?;
    add.call1(&on_changed, changed.as_ref())?;
    changed.forget();
    render(tab).await;
    Ok(())
}

async fn controlled_tab() -> Result<i64, JsValue> {
    let search = web_sys::window().ok_or("no window")?.location().search()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search)?;
    if let Some(tab) = params.get("tab").and_then(|t| t.parse().ok()) {
        return Ok(tab);
    }
    let query = object(&[("active", true.into()), ("currentWindow", true.into())]);
    let tabs = call("chrome.tabs.query", &[query]).await?;
    get(&js_sys::Array::from(&tabs).get(0), "id")
        .as_f64()
        .map(|id| id as i64)
        .ok_or_else(|| JsValue::from_str("no active tab"))
}

/// Send `request` to the background, show its error if any, and show `tab`'s state again.
async fn command(tab: i64, request: ToBackground) {
    if matches!(request, ToBackground::Stop { .. }) {
        set_text("upload", "Stopping…").ok();
    }
    set_text("error", "").ok();
    match ask_background(&request).await {
        Ok(answer) => {
            if let Some(error) = get(&answer, "error").as_string() {
                set_text("error", &error).ok();
            }
        }
        Err(error) => {
            set_text("error", &message_of(&error)).ok();
        }
    }
    render(tab).await;
}

async fn copy_link() {
    let Ok(link) = by_id::<web_sys::HtmlAnchorElement>("link") else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let copied = wasm_bindgen_futures::JsFuture::from(
        window.navigator().clipboard().write_text(&link.href()),
    )
    .await;
    set_text(
        "copied",
        if copied.is_ok() {
            "Copied."
        } else {
            "Select the link and copy it."
        },
    )
    .ok();
}

/// Show how long the recording has run (`#elapsed`'s `data-since`, Unix ms).
fn tick_elapsed() {
    let Ok(elapsed) = by_id::<web_sys::Element>("elapsed") else {
        return;
    };
    let since: f64 = elapsed
        .get_attribute("data-since")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    let ms = (js_sys::Date::now() - since).max(0.0) as u64;
    set_text("elapsed-time", &crate::session::elapsed_clock(ms)).ok();
}

/// Show the tab's state: recording or not, the last upload, the link.
async fn render(tab: i64) {
    if let Err(error) = try_render(tab).await {
        set_text("error", &message_of(&error)).ok();
    }
}

async fn try_render(tab: i64) -> Result<(), JsValue> {
    let status: StatusAnswer =
        answer_from_js(&ask_background(&ToBackground::Status { tab }).await?)?;
    set_text(
        "status",
        match (status.recording, status.ready) {
            (true, true) => "Recording this tab.",
            (true, false) => "Starting the recorder on this page…",
            _ => "Not recording.",
        },
    )?;
    let recording = status.recording;
    // The clock below the state, ticking while the popup is open.
    let elapsed: web_sys::Element = by_id("elapsed")?;
    elapsed.set_attribute("data-since", &status.session_start.to_string())?;
    show("elapsed", recording && status.ready)?;
    tick_elapsed();
    let configured = load::<Config>(CONFIG_KEY).await?.is_some();
    show("setup", !configured)?;
    let report = if recording {
        None
    } else {
        tab_report(tab).await?
    };
    let stop_reason = report.as_ref().and_then(|r| r.stop_reason.clone());
    show("stop-reason", stop_reason.is_some())?;
    set_text("stop-reason", stop_reason.as_deref().unwrap_or_default())?;
    let upload: Option<UploadState> = report.as_ref().map(|r| r.state.clone());
    let reviewing = matches!(upload, Some(UploadState::Review { .. }));
    let failed = matches!(
        upload,
        Some(UploadState::Failed { .. }) | Some(UploadState::Waiting { .. })
    );
    // A stopped recording is shared or discarded before the next one starts.
    show("start", !recording && !reviewing && !failed)?;
    show("stop", recording)?;
    show("mark", !reviewing && !failed)?;
    set_text(
        "upload",
        &upload
            .as_ref()
            .map(UploadState::describe)
            .unwrap_or_default(),
    )?;
    // The upload's progress as a bar too, while it runs.
    let progress: web_sys::HtmlElement = by_id("upload-progress")?;
    match &upload {
        Some(UploadState::Uploading { bytes, sent }) => {
            let percent = (*sent * 100).checked_div(*bytes).unwrap_or(0).min(100);
            progress.set_attribute("value", &percent.to_string())?;
            progress.set_hidden(false);
        }
        Some(UploadState::Preparing) => {
            progress.remove_attribute("value")?;
            progress.set_hidden(false);
        }
        _ => progress.set_hidden(true),
    }
    show("pending", reviewing || failed)?;
    show("share", reviewing)?;
    show("retry", failed)?;
    let link = match &upload {
        Some(UploadState::Done { link }) => Some(link.clone()),
        _ => None,
    };
    show("share-link", link.is_some())?;
    if let Some(link) = link {
        let anchor: web_sys::HtmlAnchorElement = by_id("link")?;
        anchor.set_href(&link);
        anchor.set_text_content(Some(&link));
    }
    let warning = match budget().await? {
        BudgetState::Fine => None,
        BudgetState::Warning(words) | BudgetState::Full(words) => Some(words),
    };
    show("budget", warning.is_some())?;
    set_text("budget", warning.as_deref().unwrap_or_default())?;
    let shown = report.map(|r| r.session);
    let others: Vec<Report> = all_reports()
        .await?
        .into_iter()
        .filter(|r| Some(&r.session) != shown.as_ref() && r.state != UploadState::Discarded)
        .take(LISTED)
        .collect();
    show("history", !others.is_empty())?;
    list_reports(&others)
}

/// Fill the list of the tester's other reports, newest first (as text, never HTML).
fn list_reports(reports: &[Report]) -> Result<(), JsValue> {
    let document = document()?;
    let list = by_id::<web_sys::Element>("reports")?;
    list.set_text_content(None);
    let element = |tag: &str, text: &str| -> Result<web_sys::Element, JsValue> {
        let element = document.create_element(tag)?;
        element.set_text_content(Some(text));
        Ok(element)
    };
    for report in reports {
        let item = document.create_element("li")?;
        let name = if report.title.is_empty() {
            &report.page
        } else {
            &report.title
        };
        let strong = element("strong", name)?;
        item.append_child(&strong)?;
        let when = js_sys::Date::new(&(report.stopped_at as f64).into())
            .to_locale_string("default", &JsValue::UNDEFINED);
        let small = element("small", &format!(" {}", String::from(when)))?;
        item.append_child(&small)?;
        let line_break = document.create_element("br")?;
        item.append_child(&line_break)?;
        let state = element("span", &report.state.short())?;
        item.append_child(&state)?;
        let session = report.session.clone();
        let retry = ToBackground::RetryReport {
            session: session.clone(),
        };
        let discard = ToBackground::DiscardReport {
            session: session.clone(),
        };
        let buttons: Vec<(ToBackground, &str)> = match &report.state {
            UploadState::Done { link } => {
                let anchor = element("a", link)?;
                anchor.set_attribute("href", link)?;
                anchor.set_attribute("target", "_blank")?;
                anchor.set_attribute("rel", "noopener")?;
                item.append_child(&document.create_text_node(" "))?;
                item.append_child(&anchor)?;
                vec![(ToBackground::RemoveReport { session }, "Remove from list")]
            }
            UploadState::Review { .. } => vec![(retry, "Share"), (discard, "Discard")],
            UploadState::Waiting { .. } | UploadState::Failed { .. } => {
                vec![(retry, "Retry"), (discard, "Discard")]
            }
            _ => Vec::new(),
        };
        for (request, label) in buttons {
            let button = element("button", label)?;
            button.set_attribute("type", "button")?;
            let text = serde_json::to_string(&request).unwrap_or_default();
            button.set_attribute("data-request", &text)?;
            item.append_child(&document.create_text_node(" "))?;
            item.append_child(&button)?;
        }
        list.append_child(&item)?;
    }
    Ok(())
}
