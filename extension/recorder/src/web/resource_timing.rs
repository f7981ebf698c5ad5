//! The page's loads while it is recorded, from its own Resource Timing: a
//! `PerformanceObserver` of `resource` and `navigation` entries (buffered,
//! so the loads before Start are there for the pre-roll), read into
//! `core::resource_loads::TimedLoad`s and handed to a sink (the recorder
//! makes them entries under the page's limits). One observes the
//! recorder's document, one each frame document of its origin that it
//! records (a frame's loads are in the frame's own timeline). At stop the
//! entries an observer still holds are taken before it disconnects.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{PerformanceObserver, PerformanceObserverEntryList, PerformanceObserverInit};

use crate::core::resource_loads::{is_the_hooks, TimedLoad};
use repro_extension_messages::web::js::{get, object};

/// Where the loads an observer reads go.
pub type LoadSink = Rc<dyn Fn(Vec<TimedLoad>)>;

type Callback = Closure<dyn FnMut(PerformanceObserverEntryList, PerformanceObserver)>;

/// The observer of one document's loads, while it records.
pub struct ResourceTimings {
    observer: PerformanceObserver,
    _callback: Callback,
    /// `performance.timeOrigin` of the document: entry times are relative to it.
    time_origin: f64,
    /// The document is a frame's (its own load is its parent's to list).
    in_frame: bool,
}

impl ResourceTimings {
    /// Observe the loads of `window`'s document (`in_frame`: a frame's),
    /// handing them to `sink`; `None` where the browser has no such
    /// observer. The observer is made by `window`'s own constructor: one
    /// sees only the timeline of the window it was made in.
    pub fn observe(window: &web_sys::Window, in_frame: bool, sink: LoadSink) -> Option<Self> {
        let time_origin = get(&get(window, "performance"), "timeOrigin").as_f64()?;
        let callback: Callback = Closure::new(
            move |list: PerformanceObserverEntryList, _: PerformanceObserver| {
                sink(read(&list.get_entries(), time_origin, in_frame));
            },
        );
        let constructor: js_sys::Function = get(window, "PerformanceObserver").dyn_into().ok()?;
        let observer: PerformanceObserver =
            js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(callback.as_ref()))
                .ok()?
                .unchecked_into();
        for kind in ["resource", "navigation"] {
            let init = object(&[("type", kind.into()), ("buffered", true.into())]);
            observer.observe(init.unchecked_ref::<PerformanceObserverInit>());
        }
        Some(ResourceTimings {
            observer,
            _callback: callback,
            time_origin,
            in_frame,
        })
    }

    /// Stop observing; the loads not handed over yet.
    pub fn remove(self) -> Vec<TimedLoad> {
        let pending = read(
            &self.observer.take_records(),
            self.time_origin,
            self.in_frame,
        );
        self.observer.disconnect();
        pending
    }
}

/// `entries` (Resource Timing entries of a document whose time origin is
/// `time_origin`) as loads; the page hook's kinds (a busy page's many
/// fetches) are skipped before the rest of the entry is read.
fn read(entries: &js_sys::Array, time_origin: f64, in_frame: bool) -> Vec<TimedLoad> {
    entries
        .iter()
        .filter_map(|entry| {
            let text = |key: &str| get(&entry, key).as_string().unwrap_or_default();
            let initiator = text("initiatorType");
            if is_the_hooks(&initiator) {
                return None;
            }
            Some(TimedLoad {
                url: text("name"),
                entry_type: text("entryType"),
                initiator,
                start_wall: time_origin + get(&entry, "startTime").as_f64().unwrap_or(f64::NAN),
                duration: get(&entry, "duration").as_f64().unwrap_or(f64::NAN),
                status: get(&entry, "responseStatus").as_f64().unwrap_or(0.0) as u16,
                content_type: text("contentType"),
                in_frame,
            })
        })
        .collect()
}
