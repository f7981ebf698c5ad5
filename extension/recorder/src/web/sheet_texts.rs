//! The texts scripts gave constructed stylesheets, asked of the page hook.
//! Chromium writes some rules back wrong: a shorthand holding `var()` whose
//! longhand is then set apart (`border: solid var(--w); border-top-width:
//! 3px`, as web-component libraries write) serializes its other longhands
//! empty (`border-right-width: ;`), and the replay would draw no border.
//! The hook keeps each sheet's text from `replace`/`replaceSync`; the
//! recorder asks for a root's texts only when its rules came out broken,
//! once per sheet.

use std::cell::RefCell;
use std::rc::Rc;

use repro_extension_messages::{SHEET_TEXTS_ASKED_EVENT, SHEET_TEXTS_EVENT};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Node};

use super::dom_reads;

/// The longest answer taken from the hook (the page could send any).
const MAX_ANSWER_BYTES: usize = 8 << 20;

/// Does a sheet's serialized text hold a value Chromium could not write back?
pub fn looks_broken(rules: &str) -> bool {
    rules.contains(": ;")
}

/// What the hook told of each sheet met so far: its text, or `null`.
pub struct SheetTexts {
    known: js_sys::WeakMap,
}

impl SheetTexts {
    pub fn new() -> SheetTexts {
        SheetTexts {
            known: js_sys::WeakMap::new(),
        }
    }

    /// The text a script gave `sheet`, one of `root`'s adopted sheets, if
    /// the hook kept it and no rule was added or removed since.
    pub fn given_text(&self, root: &Node, sheet: &CssStyleSheet) -> Option<String> {
        if !self.known.has(sheet) {
            let texts = ask_hook(root);
            for (index, each) in dom_reads::adopted_sheets(root).iter().enumerate() {
                let text = texts.get(index).cloned().flatten();
                let value = text.map_or(JsValue::NULL, |t| JsValue::from_str(&t));
                self.known.set(each, &value);
            }
            if !self.known.has(sheet) {
                self.known.set(sheet, &JsValue::NULL);
            }
        }
        self.known.get(sheet).as_string()
    }
}

/// Ask the hook on `root` (it answers at once, on the same root); nothing
/// when no hook listens there (a frame, or a root attached before the hook).
fn ask_hook(root: &Node) -> Vec<Option<String>> {
    let answer: Rc<RefCell<Option<String>>> = Rc::default();
    let heard = answer.clone();
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let detail = js_sys::Reflect::get(&event, &JsValue::from_str("detail"))
            .ok()
            .and_then(|d| d.as_string());
        *heard.borrow_mut() = detail;
    });
    let function: &js_sys::Function = listener.as_ref().unchecked_ref();
    let target: &web_sys::EventTarget = root.unchecked_ref();
    if target
        .add_event_listener_with_callback(SHEET_TEXTS_EVENT, function)
        .is_err()
    {
        return Vec::new();
    }
    if let Ok(question) = web_sys::Event::new(SHEET_TEXTS_ASKED_EVENT) {
        let _ = target.dispatch_event(&question);
    }
    let _ = target.remove_event_listener_with_callback(SHEET_TEXTS_EVENT, function);
    let text = answer.borrow_mut().take();
    text.filter(|t| t.len() <= MAX_ANSWER_BYTES)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}
