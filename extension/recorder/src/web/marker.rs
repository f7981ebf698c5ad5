//! Mark mode: the tester points at the element that is wrong.
//!
//! A fixed, pointer-transparent overlay in a closed shadow root highlights
//! the element under the pointer with a label (tag, id, classes, size); the
//! wheel or the arrow keys climb to the parent and back; a click selects;
//! Esc leaves. The comment form is the extension's own page in a frame, so
//! the page's scripts cannot read what the tester types. The overlay never
//! changes the page's layout, and the recorder never records it.

use std::cell::RefCell;

use repro_manifest::{MarkCapture, MaskPolicy, Rect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, Node};

use super::dom_reads;
use super::dom_reads::viewport;
use super::mark_capture::{describe_marked, top_rect};

type Handler = Closure<dyn FnMut(Event)>;

struct Picker {
    host: Element,
    shadow: web_sys::ShadowRoot,
    /// A transparent pane over the page: mouse events over iframes reach us too.
    glass: HtmlElement,
    highlight: HtmlElement,
    label: HtmlElement,
    frame: Option<HtmlElement>,
    current: Option<Element>,
    chosen: Option<Element>,
    /// Elements we climbed from, to climb back down.
    trail: Vec<Element>,
    handlers: Vec<(EventTarget, &'static str, Handler)>,
    form_url: String,
}

thread_local! {
    static PICKER: RefCell<Option<Picker>> = const { RefCell::new(None) };
}

/// Is `node` the picker's overlay (which the recorder must never record)?
pub fn is_overlay(node: &Node) -> bool {
    PICKER.with(|p| {
        p.borrow()
            .as_ref()
            .is_some_and(|p| p.host.is_same_node(Some(node)))
    })
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

const OVERLAY_CSS: &str = "
:host { all: initial; }
.box { position: fixed; pointer-events: none; border: 2px solid #d93025; background: rgba(217,48,37,.12);
  box-sizing: border-box; z-index: 2147483647; display: none; }
.glass { position: fixed; inset: 0; pointer-events: auto; cursor: crosshair; background: transparent;
  z-index: 2147483646; }
.label { position: fixed; pointer-events: none; font: 12px/1.4 system-ui, sans-serif; color: #fff;
  background: #d93025; padding: 1px 6px; border-radius: 3px; z-index: 2147483647; display: none; white-space: nowrap; }
iframe { position: fixed; width: 340px; height: 300px; border: 1px solid #888; border-radius: 6px;
  background: #fff; box-shadow: 0 4px 16px rgba(0,0,0,.25); z-index: 2147483647; pointer-events: auto; }
";

/// Enter mark mode. `form_url` is the extension's mark form.
pub fn start(form_url: String) -> Result<(), JsValue> {
    if PICKER.with(|p| p.borrow().is_some()) {
        return Ok(());
    }
    let document = document().ok_or("no document")?;
    let host = dom_reads::create_element(&document, "repro-mark-overlay")?;
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Closed);
    let shadow = host.attach_shadow(&init)?;
    let style = dom_reads::create_element(&document, "style")?;
    style.set_text_content(Some(OVERLAY_CSS));
    shadow.append_child(&style)?;
    let highlight: HtmlElement = dom_reads::create_element(&document, "div")?.dyn_into()?;
    highlight.set_class_name("box");
    let label: HtmlElement = dom_reads::create_element(&document, "div")?.dyn_into()?;
    label.set_class_name("label");
    let glass: HtmlElement = dom_reads::create_element(&document, "div")?.dyn_into()?;
    glass.set_class_name("glass");
    shadow.append_child(&glass)?;
    shadow.append_child(&highlight)?;
    shadow.append_child(&label)?;
    PICKER.with(|p| {
        *p.borrow_mut() = Some(Picker {
            host: host.clone(),
            shadow,
            glass,
            highlight,
            label,
            frame: None,
            current: None,
            chosen: None,
            trail: Vec::new(),
            handlers: Vec::new(),
            form_url,
        })
    });
    // Appended to <html>, outside <body>: fixed and pointer-transparent, it takes no room.
    dom_reads::document_element(&document)
        .ok_or("no root element")?
        .append_child(&host)?;
    let window: EventTarget = web_sys::window().ok_or("no window")?.unchecked_into();
    listen(&window, "mousemove", on_move)?;
    listen(&window, "click", on_click)?;
    for swallowed in [
        "mousedown",
        "mouseup",
        "pointerdown",
        "pointerup",
        "dblclick",
        "contextmenu",
    ] {
        listen(&window, swallowed, swallow)?;
    }
    listen(&window, "wheel", on_wheel)?;
    listen(&window, "keydown", on_key)?;
    Ok(())
}

fn listen(target: &EventTarget, kind: &'static str, f: fn(Event)) -> Result<(), JsValue> {
    let handler: Handler = Closure::new(f);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_capture(true);
    options.set_passive(false);
    dom_reads::add_listener(target, kind, handler.as_ref().unchecked_ref(), &options);
    PICKER.with(|p| {
        if let Some(picker) = p.borrow_mut().as_mut() {
            picker.handlers.push((target.clone(), kind, handler));
        }
    });
    Ok(())
}

/// Leave mark mode and remove everything from the page.
pub fn stop() {
    let Some(picker) = PICKER.with(|p| p.borrow_mut().take()) else {
        return;
    };
    for (target, kind, handler) in &picker.handlers {
        dom_reads::remove_listener(target, kind, handler.as_ref().unchecked_ref(), true);
    }
    picker.host.remove();
}

/// Events the page must not see while the tester picks (the form's own frame excepted).
fn swallow(event: Event) {
    if PICKER.with(|p| p.borrow().as_ref().is_some_and(|p| p.chosen.is_none())) {
        event.prevent_default();
        event.stop_immediate_propagation();
    }
}

fn describe(element: &Element) -> String {
    let rect = dom_reads::bounding_rect(element);
    let mut label = dom_reads::local_name(element);
    let id = dom_reads::id(element);
    if !id.is_empty() {
        label.push('#');
        label.push_str(&id);
    }
    for class in dom_reads::class_name(element).split_whitespace().take(3) {
        label.push('.');
        label.push_str(class);
    }
    format!(
        "{label}  {} × {}",
        rect.width().round(),
        rect.height().round()
    )
}

fn show(picker: &Picker, element: &Element) {
    let Rect { x, y, w, h } = top_rect(element);
    let style = picker.highlight.style();
    let _ = style.set_property("display", "block");
    let _ = style.set_property("left", &format!("{x}px"));
    let _ = style.set_property("top", &format!("{y}px"));
    let _ = style.set_property("width", &format!("{w}px"));
    let _ = style.set_property("height", &format!("{h}px"));
    picker.label.set_text_content(Some(&describe(element)));
    let label = picker.label.style();
    let _ = label.set_property("display", "block");
    let _ = label.set_property("left", &format!("{}px", x.max(0.0)));
    let top = if y > 22.0 { y - 22.0 } else { y + h + 2.0 };
    let _ = label.set_property("top", &format!("{top}px"));
}

fn point(picker: &mut Picker, element: Element) {
    show(picker, &element);
    picker.current = Some(element);
}

/// The element under (x, y), looking inside same-origin iframes (whose
/// elements belong to other realms: tag names are checked, then cast).
fn element_at(document: &Document, x: f64, y: f64) -> Option<Element> {
    let mut element = dom_reads::element_at_point(document, x, y)?;
    let (mut x, mut y) = (x, y);
    while matches!(dom_reads::local_name(&element).as_str(), "iframe" | "frame") {
        let frame: &web_sys::HtmlIFrameElement = element.unchecked_ref();
        let Some(inner) = frame.content_document() else {
            break;
        };
        let rect = dom_reads::bounding_rect(&element);
        let (left, top) = dom_reads::client_offset(&element);
        x -= rect.left() + left;
        y -= rect.top() + top;
        match dom_reads::element_at_point(&inner, x, y) {
            Some(found) => element = found,
            None => break,
        }
    }
    Some(element)
}

fn on_move(event: Event) {
    let Some(mouse) = event.dyn_ref::<web_sys::MouseEvent>() else {
        return;
    };
    let Some(document) = document() else { return };
    PICKER.with(|p| {
        let mut p = p.borrow_mut();
        let Some(picker) = p.as_mut() else { return };
        if picker.chosen.is_some() {
            return;
        }
        // Look through the glass pane for a moment.
        let style = picker.glass.style();
        let _ = style.set_property("pointer-events", "none");
        let found = element_at(&document, mouse.client_x() as f64, mouse.client_y() as f64);
        let _ = style.set_property("pointer-events", "auto");
        if let Some(element) = found {
            if !picker.host.is_same_node(Some(&element))
                && picker.current.as_ref() != Some(&element)
            {
                picker.trail.clear();
                point(picker, element);
            }
        }
    });
}

fn climb(up: bool) {
    PICKER.with(|p| {
        let mut p = p.borrow_mut();
        let Some(picker) = p.as_mut() else { return };
        let Some(current) = picker.current.clone() else {
            return;
        };
        if up {
            if let Some(parent) = dom_reads::parent_element(&current) {
                picker.trail.push(current);
                point(picker, parent);
            }
        } else if let Some(child) = picker
            .trail
            .pop()
            .or_else(|| dom_reads::first_element_child(&current))
        {
            point(picker, child);
        }
    });
}

fn on_wheel(event: Event) {
    let Some(wheel) = event.dyn_ref::<web_sys::WheelEvent>() else {
        return;
    };
    if PICKER.with(|p| p.borrow().as_ref().is_none_or(|p| p.chosen.is_some())) {
        return;
    }
    event.prevent_default();
    event.stop_immediate_propagation();
    climb(wheel.delta_y() < 0.0);
}

fn on_key(event: Event) {
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
        return;
    };
    match key.key().as_str() {
        "Escape" => {
            event.prevent_default();
            stop();
        }
        "ArrowUp" | "ArrowDown"
            if PICKER.with(|p| p.borrow().as_ref().is_some_and(|p| p.chosen.is_none())) =>
        {
            event.prevent_default();
            event.stop_immediate_propagation();
            climb(key.key() == "ArrowUp");
        }
        "Enter" => choose(),
        _ => {}
    }
}

fn on_click(event: Event) {
    if PICKER.with(|p| p.borrow().as_ref().is_none_or(|p| p.chosen.is_some())) {
        return;
    }
    event.prevent_default();
    event.stop_immediate_propagation();
    choose();
}

/// Select the highlighted element and open the comment form beside it.
fn choose() {
    let Some(document) = document() else { return };
    PICKER.with(|p| {
        let mut p = p.borrow_mut();
        let Some(picker) = p.as_mut() else { return };
        let Some(element) = picker.current.clone() else {
            return;
        };
        let Ok(frame) = dom_reads::create_element(&document, "iframe") else {
            return;
        };
        let _ = frame.set_attribute("src", &picker.form_url);
        let _ = frame.set_attribute("title", "Repro mark");
        let Ok(frame) = frame.dyn_into::<HtmlElement>() else {
            return;
        };
        let rect = top_rect(&element);
        let size = web_sys::window().map(|w| viewport(&w)).unwrap_or_default();
        let left = (rect.x + rect.w + 8.0).min(size.w as f64 - 350.0).max(4.0);
        let top = rect.y.max(4.0).min(size.h as f64 - 310.0).max(4.0);
        let _ = frame.style().set_property("left", &format!("{left}px"));
        let _ = frame.style().set_property("top", &format!("{top}px"));
        let _ = picker.shadow.append_child(&frame);
        picker.frame = Some(frame);
        picker.chosen = Some(element);
    });
}

/// The tester saved the form: leave mark mode and describe the chosen
/// element (masked) for the background, marked at `moment`.
pub fn commit(
    policy: &MaskPolicy,
    moment: (u64, u32),
    dom: Option<&super::browser_dom::BrowserDom>,
) -> Option<MarkCapture> {
    let element = PICKER.with(|p| p.borrow().as_ref().and_then(|p| p.chosen.clone()))?;
    stop();
    describe_marked(&element, policy, moment, dom)
}
