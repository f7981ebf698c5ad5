//! Chunks a recorder hands over in parts: a long chunk (the snapshot of a
//! large page) is sent a part at a time, so that no task of the page spends
//! tens of ms handing one message to the messaging layer. The parts are
//! joined here, in the worker's memory, and the whole chunk is stored when
//! its last part comes. A part out of order (the worker was stopped between
//! two parts) drops what was held: the recorder sends the chunk again, since
//! it was never acknowledged.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::JsString;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Per tab and frame: the parts joined so far, and how many.
    static HELD: RefCell<HashMap<(i64, i64), (u32, JsString)>> = RefCell::new(HashMap::new());
}

/// What a part message does once taken.
pub enum Taken {
    /// Held; the recorder sends the next part.
    Held,
    /// The last part: the whole chunk, to be stored.
    Whole(JsString),
    /// Out of order or malformed: nothing is held for this tab.
    Refused,
}

/// Take part `part` of `parts` of a chunk from `tab`'s frame `frame`.
pub fn take(tab: i64, frame: i64, part: u32, parts: u32, text: &JsValue) -> Taken {
    let tab = (tab, frame);
    let text = text.clone().dyn_into::<JsString>().ok();
    HELD.with_borrow_mut(|held| {
        let Some(text) = text else {
            held.remove(&tab);
            return Taken::Refused;
        };
        let joined = if part == 0 {
            text
        } else {
            match held.remove(&tab) {
                Some((count, so_far)) if count == part => so_far.concat(&text),
                _ => return Taken::Refused,
            }
        };
        if part + 1 >= parts {
            Taken::Whole(joined)
        } else {
            held.insert(tab, (part + 1, joined));
            Taken::Held
        }
    })
}

/// Drop what is held for `tab` (its recording stopped).
pub fn forget(tab: i64) {
    HELD.with_borrow_mut(|held| held.retain(|(held_tab, _), _| *held_tab != tab));
}
