//! The marks: a list, pins on the timeline, and for the chosen mark the
//! replay seeked to its moment with the element outlined, beside its comment,
//! selector (copyable), styles and screenshots. All of it as text or images,
//! never as HTML.

use repro_manifest::{Bundle, Mark};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlIFrameElement};

use super::player::{pause, Shared};
use super::{by_id, document};
use crate::timeline::clock;

fn text_element(tag: &str, text: &str) -> Result<web_sys::Node, JsValue> {
    let element = document()?.create_element(tag)?;
    element.set_text_content(Some(text));
    Ok(element.into())
}

/// `[bug · high] comment — at 0:12.3`
fn title(mark: &Mark) -> String {
    let comment = if mark.comment.is_empty() {
        "(no comment)"
    } else {
        &mark.comment
    };
    format!(
        "[{} · {}] {} — at {}",
        mark.kind,
        mark.severity,
        comment,
        clock(mark.t)
    )
}

/// Fill the list and the pins, and wire both to [`select`].
pub fn wire(player: &Shared, bundle: &Bundle) -> Result<(), JsValue> {
    let list: Element = by_id("marks")?;
    let pins: Element = by_id("pins")?;
    if bundle.marks.is_empty() {
        list.append_child(&text_element("li", "No marks.")?)?;
    }
    let duration = bundle.duration_ms.max(1) as f64;
    for (index, mark) in bundle.marks.iter().enumerate() {
        let item: Element = text_element("li", &title(mark))?.unchecked_into();
        item.set_attribute("data-mark", &index.to_string())?;
        list.append_child(&item)?;
        let pin: HtmlElement = document()?.create_element("button")?.dyn_into()?;
        pin.set_attribute("type", "button")?;
        pin.set_attribute("aria-label", &format!("Mark {}", index + 1))?;
        pin.set_title(&format!("Mark {}: {}", index + 1, title(mark)));
        pin.style()
            .set_property("left", &format!("{}%", mark.t as f64 / duration * 100.0))?;
        pins.append_child(&pin)?;
        for target in [
            item.unchecked_ref::<web_sys::EventTarget>().clone(),
            pin.unchecked_into(),
        ] {
            let player = player.clone();
            let mark = mark.clone();
            let shots = (
                mark.screenshot
                    .and_then(|i| bundle.screenshots.get(i as usize))
                    .map(|s| (s.mime.clone(), s.data.clone())),
                mark.crop
                    .and_then(|i| bundle.screenshots.get(i as usize))
                    .map(|s| (s.mime.clone(), s.data.clone())),
            );
            let closure = Closure::<dyn FnMut()>::new(move || {
                let _ = select(&player, index, &mark, &shots);
            });
            target.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref())?;
            closure.forget();
        }
    }
    Ok(())
}

type Shots = (Option<(String, String)>, Option<(String, String)>);

/// Show mark `index`: seek, outline, details.
fn select(player: &Shared, index: usize, mark: &Mark, shots: &Shots) -> Result<(), JsValue> {
    pause(player);
    player.borrow_mut().seek(mark.t);
    let items = document()?.query_selector_all("#marks li")?;
    for i in 0..items.length() {
        if let Some(item) = items.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            item.class_list().toggle_with_force(
                "selected",
                item.get_attribute("data-mark") == Some(index.to_string()),
            )?;
        }
    }
    // Iframe contents are not replayed: outline the outermost frame instead.
    outline(mark.frames.first().unwrap_or(&mark.selector))?;
    details(mark, shots)
}

/// Outline the element `selector` picks in the replayed page.
fn outline(selector: &str) -> Result<(), JsValue> {
    let box_: HtmlElement = by_id("mark-outline")?;
    let iframe: HtmlIFrameElement = by_id("replay")?;
    let found = iframe
        .content_document()
        .and_then(|d| d.query_selector(selector).ok().flatten());
    let Some(element) = found else {
        box_.set_hidden(true);
        return Ok(());
    };
    let rect = element.get_bounding_client_rect();
    // The replay's scale as drawn (it shrinks to fit the column and the window).
    let width = iframe.offset_width().max(1) as f64;
    let scale = iframe.get_bounding_client_rect().width() / width;
    let style = box_.style();
    style.set_property("left", &format!("{}px", rect.left() * scale))?;
    style.set_property("top", &format!("{}px", rect.top() * scale))?;
    style.set_property("width", &format!("{}px", rect.width() * scale))?;
    style.set_property("height", &format!("{}px", rect.height() * scale))?;
    box_.set_hidden(false);
    Ok(())
}

fn details(mark: &Mark, shots: &Shots) -> Result<(), JsValue> {
    let panel: HtmlElement = by_id("mark-detail")?;
    panel.set_text_content(None);
    let document = document()?;
    panel.append_child(&text_element(
        "h2",
        &format!("{} ({}, {})", mark.comment, mark.kind, mark.severity),
    )?)?;
    let selector_line = document.create_element("p")?;
    selector_line.append_child(&text_element("span", "Selector: ")?)?;
    selector_line.append_child(&text_element("code", &mark.selector)?)?;
    let copy: HtmlElement = document.create_element("button")?.dyn_into()?;
    copy.set_attribute("type", "button")?;
    copy.set_text_content(Some("Copy selector"));
    let selector = mark.selector.clone();
    let on_copy = Closure::<dyn FnMut()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&selector);
        }
    });
    copy.add_event_listener_with_callback("click", on_copy.as_ref().unchecked_ref())?;
    on_copy.forget();
    selector_line.append_child(&document.create_text_node(" "))?;
    selector_line.append_child(&copy)?;
    panel.append_child(&selector_line)?;
    if !mark.frames.is_empty() {
        panel.append_child(&text_element(
            "p",
            &format!("Inside iframe: {}", mark.frames.join(" → ")),
        )?)?;
    }
    panel.append_child(&text_element("p", &format!("XPath: {}", mark.xpath))?)?;
    panel.append_child(&text_element(
        "p",
        &format!(
            "Box: {:.0} × {:.0} at ({:.0}, {:.0}) in a {} × {} viewport",
            mark.rect.w, mark.rect.h, mark.rect.x, mark.rect.y, mark.viewport.w, mark.viewport.h
        ),
    )?)?;
    if !mark.text.is_empty() {
        panel.append_child(&text_element("p", &format!("Text: {}", mark.text))?)?;
    }
    let styles: Vec<String> = mark
        .styles
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    panel.append_child(&text_element("pre", &styles.join("\n"))?)?;
    for (label, shot) in [("Screenshot", &shots.0), ("Element", &shots.1)] {
        if let Some((mime, data)) = shot {
            let image = document.create_element("img")?;
            image.set_attribute("alt", &format!("{label} of mark"))?;
            image.set_attribute("src", &format!("data:{mime};base64,{data}"))?;
            panel.append_child(&image)?;
        }
    }
    if !mark.html.is_empty() {
        panel.append_child(&text_element("pre", &mark.html)?)?;
    }
    panel.set_hidden(false);
    Ok(())
}
