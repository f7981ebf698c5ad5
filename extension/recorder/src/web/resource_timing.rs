//! The page's loads while it is recorded, from its own Resource Timing: a
//! `PerformanceObserver` of `resource` and `navigation` entries (buffered,
//! so the loads before Start are there for the pre-roll), each made an
//! entry by `core::resource_loads` and kept under the page's limits.
//! Disconnected at stop, after the entries it still holds are taken.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{PerformanceObserver, PerformanceObserverEntryList, PerformanceObserverInit};

use super::recorder::{Recorder, RecorderCell};
use crate::core::hook::Entry;
use crate::core::resource_loads::{to_entry, LoadContext, TimedLoad};
use repro_extension_messages::web::js::{get, object};

type Callback = Closure<dyn FnMut(PerformanceObserverEntryList, PerformanceObserver)>;

/// The observer of this document's loads, while it records.
pub struct ResourceTimings {
    observer: PerformanceObserver,
    _callback: Callback,
    /// `performance.timeOrigin`: entry times are relative to it.
    time_origin: f64,
}

impl ResourceTimings {
    /// Observe `window`'s loads for `cell`'s recorder; `None` where the
    /// browser has no such observer.
    pub fn observe(window: &web_sys::Window, cell: &RecorderCell) -> Option<Self> {
        let time_origin = window.performance()?.time_origin();
        let observed = cell.clone();
        let callback: Callback = Closure::new(
            move |list: PerformanceObserverEntryList, _: PerformanceObserver| {
                observed.with(|recorder| take(recorder, &list.get_entries(), time_origin));
            },
        );
        let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        for kind in ["resource", "navigation"] {
            let init = object(&[("type", kind.into()), ("buffered", true.into())]);
            observer.observe(init.unchecked_ref::<PerformanceObserverInit>());
        }
        Some(ResourceTimings {
            observer,
            _callback: callback,
            time_origin,
        })
    }

    /// Take the entries not handed over yet, then stop observing.
    pub fn remove(self, recorder: &mut Recorder) {
        take(recorder, &self.observer.take_records(), self.time_origin);
        self.observer.disconnect();
    }
}

/// Keep `entries` (Resource Timing entries) as network entries of `recorder`.
fn take(recorder: &mut Recorder, entries: &js_sys::Array, time_origin: f64) {
    let context = LoadContext {
        session_start: recorder.session_start,
        page: recorder.page,
        in_frame: recorder.in_frame,
        pre_roll: recorder.pre_roll,
    };
    for entry in entries.iter() {
        let text = |key: &str| get(&entry, key).as_string().unwrap_or_default();
        let number = |key: &str| get(&entry, key).as_f64().unwrap_or(f64::NAN);
        let load = TimedLoad {
            url: text("name"),
            entry_type: text("entryType"),
            initiator: text("initiatorType"),
            start_wall: time_origin + number("startTime"),
            duration: number("duration"),
            status: get(&entry, "responseStatus").as_f64().unwrap_or(0.0) as u16,
            content_type: text("contentType"),
        };
        if let Some(network) = to_entry(load, &context) {
            recorder.keep_entry(Entry::Network(Box::new(network)));
        }
    }
}
