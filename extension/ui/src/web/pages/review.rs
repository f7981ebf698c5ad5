//! The review page (`review.html?tab=<id>`): everything a stopped recording
//! would share, with a checkbox to leave out each console entry, network
//! entry, screenshot and the thumbnail, each mark's screenshot to annotate
//! (`super::annotator`), and the Share and Discard buttons. Entries are
//! shown as text, never as HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use super::annotator::list_marks;
use super::page_elements::{by_id, document, on, set_text, show};
use crate::assemble::{apply_exclusions, summarize, Exclusions};
use crate::session::{review_key, UploadState};
use crate::web::reports::{set_state, tab_report};
use crate::web::storage::save;
use crate::web::stored_recordings::review_material;
use repro_extension_messages::web::js::message_of;
use repro_extension_messages::web::runtime::ask_background;
use repro_extension_messages::ToBackground;

/// Wire the review page.
#[wasm_bindgen]
pub async fn review_main() -> Result<(), JsValue> {
    let search = web_sys::window().ok_or("no window")?.location().search()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search)?;
    let tab: i64 = params
        .get("tab")
        .and_then(|t| t.parse().ok())
        .ok_or("review.html needs ?tab=<id>")?;
    let report = tab_report(tab).await?;
    let session = match report {
        Some(report)
            if matches!(
                report.state,
                UploadState::Review { .. }
                    | UploadState::Failed { .. }
                    | UploadState::Waiting { .. }
            ) =>
        {
            report.session
        }
        other => {
            let words = other
                .map(|r| r.state.describe())
                .unwrap_or_else(|| "There is no stopped recording to review.".into());
            set_text("summary", &words)?;
            return Ok(());
        }
    };
    let (bundle, exclusions, _) = match review_material(&session).await? {
        Ok(material) => material,
        Err(reason) => return set_text("summary", &reason),
    };
    let console: Vec<String> = bundle
        .console
        .iter()
        .map(|e| format!("{:?} {}", e.level, e.args.join(" ")).to_lowercase_first())
        .collect();
    let network: Vec<String> = bundle
        .network
        .iter()
        .map(|e| {
            let outcome = e
                .status
                .map(|s| s.to_string())
                .or_else(|| e.error.clone())
                .unwrap_or_default();
            format!("{} {} {}", e.method, e.url, outcome)
        })
        .collect();
    fill("console-list", "console", &console, &exclusions.console)?;
    fill("network-list", "network", &network, &exclusions.network)?;
    let shots: Vec<String> = bundle
        .screenshots
        .iter()
        .map(|s| format!("screenshot at {} ms", s.t))
        .collect();
    fill(
        "screenshot-list",
        "screenshot",
        &shots,
        &exclusions.screenshots,
    )?;
    show_thumbnail(&bundle, &exclusions)?;
    show_summary(&bundle, &exclusions)?;
    show_diagnosis(&bundle)?;
    list_marks(&session).await?;

    let changed_session = session.clone();
    let changed_bundle = bundle.clone();
    for list in [
        "console-list",
        "network-list",
        "screenshot-list",
        "thumbnail-area",
    ] {
        let (session, bundle) = (changed_session.clone(), changed_bundle.clone());
        on(list, "change", move |_| {
            let (session, bundle) = (session.clone(), bundle.clone());
            async move {
                let exclusions = read_exclusions();
                let _ = save(&review_key(&session), &exclusions).await;
                let mut shared = bundle;
                apply_exclusions(&mut shared, &exclusions);
                let state = UploadState::Review {
                    summary: summarize(&shared),
                };
                let _ = show_summary_of(&state);
                let _ = set_state(&session, state).await;
            }
        })?;
    }
    on("share", "click", move |_| {
        act(tab, ToBackground::Share { tab })
    })?;
    on("discard", "click", move |_| {
        act(tab, ToBackground::Discard { tab })
    })?;
    Ok(())
}

trait LowercaseFirst {
    fn to_lowercase_first(self) -> String;
}

impl LowercaseFirst for String {
    fn to_lowercase_first(self) -> String {
        let mut chars = self.chars();
        match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => self,
        }
    }
}

/// What the report will say went wrong (the same rules the viewer runs).
fn show_diagnosis(bundle: &repro_manifest::Bundle) -> Result<(), JsValue> {
    let document = document()?;
    let list: Element = by_id("diagnosis-list")?;
    let findings = repro_manifest::diagnose(bundle);
    for finding in &findings {
        let item = document.create_element("li")?;
        item.set_text_content(Some(&finding.text));
        list.append_child(&item)?;
    }
    if findings.is_empty() {
        let item = document.create_element("li")?;
        item.set_text_content(Some(
            "Nothing: no failed request, console error or dead click after a step.",
        ));
        list.append_child(&item)?;
    }
    Ok(())
}

fn show_summary(bundle: &repro_manifest::Bundle, exclusions: &Exclusions) -> Result<(), JsValue> {
    let mut shared = bundle.clone();
    apply_exclusions(&mut shared, exclusions);
    set_text(
        "summary",
        &format!("This report will share: {}", summarize(&shared).describe()),
    )
}

fn show_summary_of(state: &UploadState) -> Result<(), JsValue> {
    if let UploadState::Review { summary, .. } = state {
        set_text(
            "summary",
            &format!("This report will share: {}", summary.describe()),
        )?;
    }
    Ok(())
}

/// The thumbnail of the tab at Stop (what the team's list of reports
/// shows), with its "Include" checkbox; or a line saying there is none.
fn show_thumbnail(bundle: &repro_manifest::Bundle, exclusions: &Exclusions) -> Result<(), JsValue> {
    let document = document()?;
    let area: Element = by_id("thumbnail-area")?;
    let Some(shot) = &bundle.thumbnail else {
        area.set_text_content(Some(
            "None: the tab was not in view when recording stopped.",
        ));
        return Ok(());
    };
    let label = document.create_element("label")?;
    let checkbox: HtmlInputElement = document.create_element("input")?.dyn_into()?;
    checkbox.set_type("checkbox");
    checkbox.set_checked(!exclusions.thumbnail);
    checkbox.set_attribute("data-kind", "thumbnail")?;
    checkbox.set_attribute("data-index", "0")?;
    let image: web_sys::HtmlImageElement = document.create_element("img")?.dyn_into()?;
    image.set_src(&format!("data:{};base64,{}", shot.mime, shot.data));
    image.set_alt("The tab when recording stopped");
    label.append_child(&checkbox)?;
    label.append_child(&document.create_text_node(" Include the thumbnail "))?;
    area.append_child(&label)?;
    area.append_child(&image)?;
    Ok(())
}

/// One list item per entry, with an "Include" checkbox (unchecked if excluded).
fn fill(list_id: &str, kind: &str, entries: &[String], excluded: &[usize]) -> Result<(), JsValue> {
    let document = document()?;
    let list: Element = by_id(list_id)?;
    for (index, text) in entries.iter().enumerate() {
        let item = document.create_element("li")?;
        let label = document.create_element("label")?;
        let checkbox: HtmlInputElement = document.create_element("input")?.dyn_into()?;
        checkbox.set_type("checkbox");
        checkbox.set_checked(!excluded.contains(&index));
        checkbox.set_attribute("data-kind", kind)?;
        checkbox.set_attribute("data-index", &index.to_string())?;
        checkbox.set_attribute("aria-label", &format!("Include {kind} {}", index + 1))?;
        label.append_child(&checkbox)?;
        label.append_child(&document.create_text_node(&format!(" {text}")))?;
        item.append_child(&label)?;
        list.append_child(&item)?;
    }
    if entries.is_empty() {
        let item = document.create_element("li")?;
        item.set_text_content(Some("None."));
        list.append_child(&item)?;
    }
    Ok(())
}

/// The unchecked boxes, as exclusions.
fn read_exclusions() -> Exclusions {
    let mut exclusions = Exclusions::default();
    let Ok(document) = document() else {
        return exclusions;
    };
    let Ok(boxes) = document.query_selector_all("input[type=checkbox][data-kind]") else {
        return exclusions;
    };
    for i in 0..boxes.length() {
        let Some(node) = boxes.get(i) else { continue };
        let Ok(checkbox) = node.dyn_into::<HtmlInputElement>() else {
            continue;
        };
        if checkbox.checked() {
            continue;
        }
        let index = checkbox
            .get_attribute("data-index")
            .and_then(|i| i.parse().ok());
        match (checkbox.get_attribute("data-kind").as_deref(), index) {
            (Some("console"), Some(i)) => exclusions.console.push(i),
            (Some("network"), Some(i)) => exclusions.network.push(i),
            (Some("screenshot"), Some(i)) => exclusions.screenshots.push(i),
            (Some("thumbnail"), _) => exclusions.thumbnail = true,
            _ => {}
        }
    }
    exclusions
}

async fn act(tab: i64, request: ToBackground) {
    set_text(
        "result",
        if matches!(request, ToBackground::Share { .. }) {
            "Uploading…"
        } else {
            "Discarding…"
        },
    )
    .ok();
    if let Err(error) = ask_background(&request).await {
        set_text("result", &message_of(&error)).ok();
        return;
    }
    let state: Option<UploadState> = tab_report(tab).await.ok().flatten().map(|r| r.state);
    let words = state
        .as_ref()
        .map(UploadState::describe)
        .unwrap_or_default();
    set_text("result", &words).ok();
    if let Some(UploadState::Done { link }) = &state {
        if let Ok(anchor) = by_id::<web_sys::HtmlAnchorElement>("link") {
            anchor.set_href(link);
            anchor.set_text_content(Some(link));
        }
    }
    let finished = !matches!(
        state,
        Some(UploadState::Review { .. }) | Some(UploadState::Failed { .. })
    );
    show("actions", !finished).ok();
}
