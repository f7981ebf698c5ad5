//! What the timeline shows under its track, beside the marks' pins: page
//! loads, console errors and failed requests as ticks of their own
//! colours, and the stretches playback skips as grey bands.

use repro_manifest::{Bundle, ConsoleLevel};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::by_id;
use crate::playback::Playback;

/// Draw the ticks and bands of `bundle` in `#pins`.
pub(super) fn draw(bundle: &Bundle, playback: &Playback) -> Result<(), JsValue> {
    let pins: Element = by_id("pins")?;
    let document = super::document()?;
    let duration = bundle.duration_ms.max(1) as f64;
    let at = |t: u64| t as f64 / duration * 100.0;
    let add = |class: &str, style: String, title: String| -> Result<(), JsValue> {
        let tick = document.create_element("span")?;
        tick.set_class_name(class);
        tick.set_attribute("style", &style)?;
        tick.set_attribute("title", &title)?;
        pins.append_child(&tick)?;
        Ok(())
    };
    for &(from, to) in playback.inactive_spans() {
        add(
            "idle-span",
            format!("left:{:.2}%;width:{:.2}%", at(from), at(to) - at(from)),
            format!("Nothing happened for {} s: skipped", (to - from) / 1000 + 1),
        )?;
    }
    for (n, page) in bundle.pages.iter().enumerate().skip(1) {
        add(
            "page-tick",
            format!("left:{:.2}%", at(page.t)),
            format!("Page {}: {}", n + 1, page.url),
        )?;
    }
    for entry in bundle
        .console
        .iter()
        .filter(|e| e.level == ConsoleLevel::Error)
    {
        add(
            "error-tick",
            format!("left:{:.2}%", at(entry.t)),
            format!(
                "Console error: {}",
                entry.args.join(" ").chars().take(120).collect::<String>()
            ),
        )?;
    }
    for request in bundle
        .network
        .iter()
        .filter(|r| r.status.is_some_and(|s| s >= 400) || r.error.is_some())
    {
        let outcome = request.status.map_or_else(
            || request.error.clone().unwrap_or_default(),
            |s| s.to_string(),
        );
        add(
            "failed-tick",
            format!("left:{:.2}%", at(request.t)),
            format!(
                "{} {}: {outcome}",
                request.method,
                request.url.chars().take(120).collect::<String>()
            ),
        )?;
    }
    Ok(())
}
