//! Reading an element's attributes with few crossings between wasm and JS:
//! the names in one string, each value by a name kept as a JS string.

use std::cell::RefCell;

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::core::fast_hash::FastHashMap;

#[wasm_bindgen]
extern "C" {
    /// An element, seen only for its attributes: the names in one array,
    /// and each value by a name already in JS (see [`AttributeNames`]).
    /// The methods are `Element.prototype`'s, whatever the page's forms
    /// name their fields (see `dom_reads`).
    #[wasm_bindgen(js_name = Element)]
    pub(super) type Attributed;
    #[wasm_bindgen(method, final, js_name = getAttributeNames)]
    fn attribute_names(this: &Attributed) -> NameList;
    #[wasm_bindgen(method, final, js_name = getAttribute)]
    fn get_attribute_by(this: &Attributed, name: &JsString) -> Option<String>;

    /// The array `getAttributeNames` gives, read as one string: names joined
    /// by a space, which no attribute name holds. One crossing for all the
    /// names, where reading the array took three per name.
    type NameList;
    #[wasm_bindgen(method, js_name = join)]
    fn join(this: &NameList, separator: &JsString) -> String;
}

/// Attribute names met so far, each as a JS string made once: a page uses
/// few names many times, and sending a name from wasm to JS decodes it
/// (measured: a hot spot when done per attribute).
pub(super) struct AttributeNames {
    known: RefCell<FastHashMap<String, JsString>>,
    separator: JsString,
}

impl AttributeNames {
    pub(super) fn new() -> Self {
        AttributeNames {
            known: RefCell::default(),
            separator: JsString::from(" "),
        }
    }

    /// The names of `element`'s attributes, space-separated.
    pub(super) fn of(&self, element: &Attributed) -> String {
        element.attribute_names().join(&self.separator)
    }

    /// Names beyond this many are converted each time they are met.
    const MAX: usize = 4096;

    /// The value of the attribute `name` of `element`.
    pub(super) fn value(&self, element: &Attributed, name: &str) -> Option<String> {
        let mut names = self.known.borrow_mut();
        if let Some(js_name) = names.get(name) {
            return element.get_attribute_by(js_name);
        }
        let js_name = JsString::from(name);
        let value = element.get_attribute_by(&js_name);
        if names.len() < Self::MAX {
            names.insert(name.to_string(), js_name);
        }
        value
    }
}
