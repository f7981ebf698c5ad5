//! Mark mode: the tester points at the element that is wrong.
//!
//! A fixed, pointer-transparent overlay in a closed shadow root highlights
//! the element under the pointer with a label (tag, id, classes, size); the
//! wheel or the arrow keys climb to the parent and back; a click selects;
//! Esc leaves. The comment form is the extension's own page in a frame, so
//! the page's scripts cannot read what the tester types. The overlay never
//! changes the page's layout, and the recorder never records it.

use std::cell::RefCell;

use repro_manifest::{MarkCapture, MaskPolicy, Rect, Size};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement, Node};

use super::dom_walk::NodeSerializer;
use super::state::{viewport, with_recorder};
use crate::core::selector::{css_selector, xpath, Selector, Tree};
use crate::core::{html, mask};

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
    let host = document.create_element("repro-mark-overlay")?;
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Closed);
    let shadow = host.attach_shadow(&init)?;
    let style = document.create_element("style")?;
    style.set_text_content(Some(OVERLAY_CSS));
    shadow.append_child(&style)?;
    let highlight: HtmlElement = document.create_element("div")?.dyn_into()?;
    highlight.set_class_name("box");
    let label: HtmlElement = document.create_element("div")?.dyn_into()?;
    label.set_class_name("label");
    let glass: HtmlElement = document.create_element("div")?.dyn_into()?;
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
    document
        .document_element()
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
    target.add_event_listener_with_callback_and_add_event_listener_options(
        kind,
        handler.as_ref().unchecked_ref(),
        &options,
    )?;
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
        let _ = target.remove_event_listener_with_callback_and_bool(
            kind,
            handler.as_ref().unchecked_ref(),
            true,
        );
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
    let rect = element.get_bounding_client_rect();
    let mut label = element.local_name();
    if !element.id().is_empty() {
        label.push('#');
        label.push_str(&element.id());
    }
    for class in element.class_name().split_whitespace().take(3) {
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

// Elements of same-origin iframes belong to other realms, where `instanceof`
// against this world's classes fails: check tag names and cast instead.

/// The element under (x, y), looking inside same-origin iframes.
fn element_at(document: &Document, x: f64, y: f64) -> Option<Element> {
    let mut element = document.element_from_point(x as f32, y as f32)?;
    let (mut x, mut y) = (x, y);
    while element.local_name() == "iframe" || element.local_name() == "frame" {
        let frame: &web_sys::HtmlIFrameElement = element.unchecked_ref();
        let Some(inner) = frame.content_document() else {
            break;
        };
        let rect = element.get_bounding_client_rect();
        x -= rect.left() + element.client_left() as f64;
        y -= rect.top() + element.client_top() as f64;
        match inner.element_from_point(x as f32, y as f32) {
            Some(found) => element = found,
            None => break,
        }
    }
    Some(element)
}

/// The iframe elements holding `element`, innermost first.
fn frames_of(element: &Element) -> Vec<Element> {
    let mut frames = Vec::new();
    let mut document = element.owner_document();
    while let Some(frame) = document
        .as_ref()
        .and_then(|d| d.default_view())
        .and_then(|w| w.frame_element().ok().flatten())
    {
        document = frame.owner_document();
        frames.push(frame);
    }
    frames
}

/// Where `element`'s document starts in the top viewport.
fn frame_offset(element: &Element) -> (f64, f64) {
    frames_of(element).iter().fold((0.0, 0.0), |(x, y), frame| {
        let rect = frame.get_bounding_client_rect();
        (
            x + rect.left() + frame.client_left() as f64,
            y + rect.top() + frame.client_top() as f64,
        )
    })
}

/// `element`'s box in the top viewport.
fn top_rect(element: &Element) -> Rect {
    let (dx, dy) = frame_offset(element);
    let r = element.get_bounding_client_rect();
    Rect {
        x: r.left() + dx,
        y: r.top() + dy,
        w: r.width(),
        h: r.height(),
    }
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
            if let Some(parent) = current.parent_element() {
                picker.trail.push(current);
                point(picker, parent);
            }
        } else if let Some(child) = picker.trail.pop().or_else(|| current.first_element_child()) {
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
        let Ok(frame) = document.create_element("iframe") else {
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

/// One document of the page seen through the selector generator's eyes.
struct PageTree(Document);

impl Tree for PageTree {
    type Node = Element;
    fn parent(&self, node: &Element) -> Option<Element> {
        node.parent_element()
    }
    fn tag(&self, node: &Element) -> String {
        node.local_name()
    }
    fn attribute(&self, node: &Element, name: &str) -> Option<String> {
        node.get_attribute(name)
    }
    fn children(&self, node: &Element) -> Vec<Element> {
        let children = node.children();
        (0..children.length())
            .filter_map(|i| children.item(i))
            .collect()
    }
    fn select(&self, selector: &Selector, limit: usize) -> Vec<Element> {
        let Ok(found) = self.0.query_selector_all(&selector.to_string()) else {
            return Vec::new();
        };
        (0..found.length().min(limit as u32))
            .filter_map(|i| found.item(i).and_then(|n| n.dyn_into().ok()))
            .collect()
    }
}

const STYLES: [&str; 16] = [
    "display",
    "visibility",
    "position",
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "width",
    "height",
    "margin",
    "padding",
    "opacity",
    "z-index",
    "overflow",
];

/// The tester saved the form: describe the chosen element (masked), leave
/// mark mode, and return what the background needs for the mark.
pub fn commit(policy: &MaskPolicy) -> Option<MarkCapture> {
    let element = PICKER.with(|p| p.borrow().as_ref().and_then(|p| p.chosen.clone()))?;
    stop();
    let window = web_sys::window()?;
    let own_document = element.owner_document()?;
    let selector = css_selector(&PageTree(own_document.clone()), &element);
    let mut frames: Vec<String> = frames_of(&element)
        .iter()
        .filter_map(|frame| {
            Some(css_selector(&PageTree(frame.owner_document()?), frame).to_string())
        })
        .collect();
    frames.reverse();
    let mut records = Vec::new();
    let mut serializer = NodeSerializer::new(policy.clone());
    let masked = serializer.masks_text_under(element.parent_element().as_ref());
    serializer.subtree(&element, 0, None, masked, &mut records);
    let text_masked = masked || serializer.masks_text_under(Some(&element));
    let raw_text = element.text_content().unwrap_or_default();
    let raw_text: String = raw_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect();
    let text = if text_masked {
        super::dom_walk::mask_text(&raw_text)
    } else {
        mask::free_text(&raw_text)
    };
    let styles = window
        .get_computed_style(&element)
        .ok()
        .flatten()
        .map(|computed| {
            STYLES
                .iter()
                .map(|name| {
                    (
                        name.to_string(),
                        computed.get_property_value(name).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let (t, page) = with_recorder(|r| (r.now(), r.page)).unwrap_or((0, 0));
    Some(MarkCapture {
        t,
        page,
        selector: selector.to_string(),
        frames,
        xpath: xpath(&PageTree(own_document), &element),
        rect: top_rect(&element),
        viewport: viewport(&window),
        scroll: (
            window.scroll_x().unwrap_or(0.0) as i32,
            window.scroll_y().unwrap_or(0.0) as i32,
        ),
        text,
        html: html::render(&records, 2000),
        styles,
        mask_rects: mask_rects(policy),
    })
}

/// Boxes of everything the policy hides, in the viewport: form controls,
/// masked and blocked elements, and text holding secret shapes.
pub fn mask_rects(policy: &MaskPolicy) -> Vec<Rect> {
    let Some(document) = document() else {
        return Vec::new();
    };
    let size: Size = web_sys::window().map(|w| viewport(&w)).unwrap_or_default();
    let visible = |r: &Rect| {
        r.w > 0.0
            && r.h > 0.0
            && r.x < size.w as f64
            && r.y < size.h as f64
            && r.x + r.w > 0.0
            && r.y + r.h > 0.0
    };
    let mut rects = Vec::new();
    collect_mask_rects(&document, (0.0, 0.0), policy, &mut rects, 0);
    rects.retain(visible);
    rects
}

/// Elements of `document` (at `offset` in the top viewport) to black out,
/// descending into same-origin iframes; a cross-origin iframe, whose content
/// cannot be inspected, is blacked out whole.
fn collect_mask_rects(
    document: &Document,
    offset: (f64, f64),
    policy: &MaskPolicy,
    rects: &mut Vec<Rect>,
    depth: u32,
) {
    let shifted = |r: &web_sys::DomRect| Rect {
        x: r.left() + offset.0,
        y: r.top() + offset.1,
        w: r.width(),
        h: r.height(),
    };
    let elements = |selector: &str| -> Vec<Element> {
        let Ok(found) = document.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|i| found.item(i))
            .filter(|n| n.node_type() == Node::ELEMENT_NODE)
            .map(|n| n.unchecked_into())
            .collect()
    };
    let mut selectors = vec![policy.mask_selector.clone(), policy.block_selector.clone()];
    if policy.mask_all_inputs {
        selectors
            .push("input, textarea, select, [contenteditable]:not([contenteditable=false])".into());
    } else {
        selectors.push(
            "input[type=password], input[autocomplete*=cc-], input[autocomplete=one-time-code]"
                .into(),
        );
    }
    for selector in selectors {
        rects.extend(
            elements(&selector)
                .iter()
                .map(|e| shifted(&e.get_bounding_client_rect())),
        );
    }
    for frame in elements("iframe, frame") {
        let box_ = frame.get_bounding_client_rect();
        let inner = frame
            .unchecked_ref::<web_sys::HtmlIFrameElement>()
            .content_document();
        match inner {
            Some(inner) if depth < 8 => {
                let origin = (
                    offset.0 + box_.left() + frame.client_left() as f64,
                    offset.1 + box_.top() + frame.client_top() as f64,
                );
                collect_mask_rects(&inner, origin, policy, rects, depth + 1);
            }
            _ => rects.push(shifted(&box_)),
        }
    }
    let (Some(body), Ok(range)) = (document.body(), document.create_range()) else {
        return;
    };
    let Ok(walker) = document.create_tree_walker_with_what_to_show(&body, 4) else {
        return;
    };
    while let Ok(Some(node)) = walker.next_node() {
        let text = node.text_content().unwrap_or_default();
        let spans: Vec<(usize, usize)> = if policy.mask_all_text {
            vec![(0, text.len())]
        } else {
            repro_manifest::pii::find(&text)
                .iter()
                .map(|f| (f.start, f.end))
                .collect()
        };
        for (start, end) in spans {
            let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u32;
            if range.set_start(&node, utf16(start)).is_ok()
                && range.set_end(&node, utf16(end)).is_ok()
            {
                if let Some(list) = range.get_client_rects() {
                    rects.extend(
                        (0..list.length())
                            .filter_map(|i| list.get(i))
                            .map(|r| shifted(&r)),
                    );
                }
            }
        }
    }
}
