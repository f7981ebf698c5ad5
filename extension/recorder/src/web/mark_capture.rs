//! What a mark says of its element: selectors (with the chain of same-origin
//! iframes holding it), XPath, box in the top viewport, masked text and HTML,
//! computed styles, and the boxes a screenshot must black out
//! (`super::mask_boxes`). Everything is masked by the same rules as the
//! recording.
//!
//! Elements of same-origin iframes belong to other realms, where `instanceof`
//! against this world's classes fails: tag names are checked and nodes cast.

use repro_manifest::{MarkCapture, MaskPolicy, Rect};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use super::browser_dom;
use super::dom_reads;
use super::dom_reads::viewport;
use crate::core::selector::{css_selector, xpath, Selector, Tree};
use crate::core::walk::mask_text;
use crate::core::{mark_html, mask};

/// The iframe elements holding `element`, innermost first.
fn frames_of(element: &Element) -> Vec<Element> {
    let mut frames = Vec::new();
    let mut document = dom_reads::owner_document(element);
    while let Some(frame) = document
        .as_ref()
        .and_then(dom_reads::default_view)
        .and_then(|w| w.frame_element().ok().flatten())
    {
        document = dom_reads::owner_document(&frame);
        frames.push(frame);
    }
    frames
}

/// Where `element`'s document starts in the top viewport.
fn frame_offset(element: &Element) -> (f64, f64) {
    frames_of(element).iter().fold((0.0, 0.0), |(x, y), frame| {
        let rect = dom_reads::bounding_rect(frame);
        let (left, top) = dom_reads::client_offset(frame);
        (x + rect.left() + left, y + rect.top() + top)
    })
}

/// `element`'s box in the top viewport.
pub fn top_rect(element: &Element) -> Rect {
    let (dx, dy) = frame_offset(element);
    let r = dom_reads::bounding_rect(element);
    Rect {
        x: r.left() + dx,
        y: r.top() + dy,
        w: r.width(),
        h: r.height(),
    }
}

/// One document of the page seen through the selector generator's eyes.
struct PageTree(Document);

impl Tree for PageTree {
    type Node = Element;
    fn parent(&self, node: &Element) -> Option<Element> {
        dom_reads::parent_element(node)
    }
    fn tag(&self, node: &Element) -> String {
        dom_reads::local_name(node)
    }
    fn attribute(&self, node: &Element, name: &str) -> Option<String> {
        dom_reads::get_attribute(node, name)
    }
    fn children(&self, node: &Element) -> Vec<Element> {
        let children = dom_reads::children(node);
        (0..children.length())
            .filter_map(|i| children.item(i))
            .collect()
    }
    fn select(&self, selector: &Selector, limit: usize) -> Vec<Element> {
        let Ok(found) = dom_reads::query_all(&self.0, &selector.to_string()) else {
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

/// Describe `element` for its mark, masked under `policy`, marked at
/// `moment` (the recording's time and page, when one runs); `dom`, the
/// recording's DOM (for the shadow roots its screenshot must black out).
pub fn describe_marked(
    element: &Element,
    policy: &MaskPolicy,
    moment: (u64, u32),
    dom: Option<&super::browser_dom::BrowserDom>,
) -> Option<MarkCapture> {
    let window = web_sys::window()?;
    let own_document = dom_reads::owner_document(element)?;
    let selector = css_selector(&PageTree(own_document.clone()), element);
    let mut frames: Vec<String> = frames_of(element)
        .iter()
        .filter_map(|frame| {
            Some(css_selector(&PageTree(dom_reads::owner_document(frame)?), frame).to_string())
        })
        .collect();
    frames.reverse();
    let mut serializer = browser_dom::serializer(policy.clone());
    let parent = dom_reads::parent_element(element);
    let masked = serializer.masks_text_under(parent.as_ref().map(|parent| -> &Node { parent }));
    let records = serializer.subtree_records(element, 0, None, masked);
    let text_masked = masked || serializer.masks_text_under(Some(element));
    let raw_text = dom_reads::text_content(element).unwrap_or_default();
    let raw_text: String = raw_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect();
    let text = if text_masked {
        mask_text(&raw_text)
    } else {
        mask::free_text(raw_text)
    };
    let styles = window
        .get_computed_style(element)
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
    let (t, page) = moment;
    Some(MarkCapture {
        t,
        page,
        selector: selector.to_string(),
        frames,
        xpath: xpath(&PageTree(own_document), element),
        rect: top_rect(element),
        viewport: viewport(&window),
        scroll: (
            window.scroll_x().unwrap_or(0.0) as i32,
            window.scroll_y().unwrap_or(0.0) as i32,
        ),
        text,
        html: mark_html::render(&records, 2000),
        styles,
        mask_rects: super::mask_boxes::mask_rects(policy, dom),
    })
}
