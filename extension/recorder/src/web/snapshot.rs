//! The first snapshot of a page, walked in slices so that a large page never
//! freezes while it is recorded.
//!
//! Each slice walks for at most [`SLICE_MS`], then the walk yields to the
//! page; near a growth of the browser's table of the recorder's node
//! wrappers, slices walk one batch each (`core::slice_pacing`). What the
//! page changes meanwhile is held: listener events and mutation records
//! wait until the walk ends, then follow the snapshot in the order they
//! happened. The walk leaves every node the page added (or
//! moved) since it began to the records that added it, which place it
//! among its siblings; a record adding a node the walk did record where it
//! is now is dropped.

use repro_manifest::{DomEvent, Size};
use wasm_bindgen::prelude::*;
use web_sys::{Node, Performance};

use super::browser_dom::{added_nodes, PageWalk, Serializer};
use super::state::{with_recorder, Recorder};
use super::written_nodes::WrittenNodes;
use crate::core::slice_pacing::near_wrapper_table_growth;
use crate::core::written_json::around_nodes;

/// How long a slice walks and writes before it gives the page the main
/// thread back, in milliseconds; Chromium counts a task over 50 ms as long,
/// and a garbage collection may fall into any slice.
const SLICE_MS: f64 = 20.0;

/// The first slice's budget: its code runs cold (compiled on first use), and
/// measured 30–45 ms in traces when it had the whole budget.
const FIRST_SLICE_MS: f64 = 5.0;

/// A snapshot being walked, and what happened in the page since it began.
pub struct SnapshotInProgress {
    walk: PageWalk,
    /// The records walked so far, as JSON, out of wasm memory but for the
    /// last piece.
    written: WrittenNodes,
    places: WalkedPlaces,
    t: u64,
    viewport: Size,
    scroll: (i32, i32),
    busy_ms: f64,
    clock: Option<Performance>,
    held_events: Vec<DomEvent>,
    held_records: Vec<js_sys::Array>,
}

impl SnapshotInProgress {
    /// A walk of `document`, taken at `t` ms into the session.
    pub fn begin(window: &web_sys::Window, document: &web_sys::Document, t: u64) -> Self {
        SnapshotInProgress {
            walk: PageWalk::new(document.as_ref(), 0, None, false),
            written: WrittenNodes::new(),
            places: WalkedPlaces {
                first_id: 0,
                parents: Vec::new(),
            },
            t,
            viewport: super::state::viewport(window),
            scroll: (
                window.scroll_x().unwrap_or(0.0) as i32,
                window.scroll_y().unwrap_or(0.0) as i32,
            ),
            busy_ms: 0.0,
            clock: window.performance(),
            held_events: Vec::new(),
            held_records: Vec::new(),
        }
    }

    /// Keep an event of the page until the snapshot is queued.
    pub fn hold_event(&mut self, event: DomEvent) {
        self.held_events.push(event);
    }

    /// Keep a batch of mutation records until the walk ends. From now on
    /// the walk checks that each node is still where it was found.
    pub fn hold_records(&mut self, serializer: &Serializer, records: js_sys::Array) {
        self.walk
            .page_changed(serializer.dom(), added_nodes(&records));
        self.held_records.push(records);
    }

    fn now(&self) -> f64 {
        self.clock.as_ref().map(|c| c.now()).unwrap_or_default()
    }

    /// Write the records walked since the last call, and note where each went.
    fn write_walked(&mut self) {
        for record in self.walk.records.drain(..) {
            if self.places.parents.is_empty() {
                self.places.first_id = record.id;
            }
            self.places.parents.push(record.parent);
            self.written.append(&record);
        }
    }
}

/// Walk and write one slice of the snapshot; `true` once the walk is done.
fn walk_slice(recorder: &mut Recorder) -> bool {
    let Some(snapshot) = recorder.snapshot.as_mut() else {
        return true;
    };
    let began = snapshot.now();
    let budget = if snapshot.busy_ms == 0.0 {
        FIRST_SLICE_MS
    } else {
        SLICE_MS
    };
    // Near a growth of the wrapper table, a slice walks one batch.
    let growth = near_wrapper_table_growth(recorder.serializer.ids_given());
    let deadline = began + if growth { 0.0 } else { budget };
    // A batch of nodes at a time, walked then written, so that the clock
    // bounds both.
    let done = loop {
        let batch_done = recorder
            .serializer
            .walk_until(&mut snapshot.walk, &mut || true);
        snapshot.write_walked();
        if batch_done
            || snapshot.now() >= deadline
            || near_wrapper_table_growth(recorder.serializer.ids_given())
        {
            break batch_done;
        }
    };
    snapshot.written.move_out();
    snapshot.busy_ms += snapshot.now() - began;
    done
}

/// Walk what is left in one go (the recording stops or the page goes away).
pub fn complete_now(recorder: &mut Recorder) {
    let Some(snapshot) = recorder.snapshot.as_mut() else {
        return;
    };
    let began = snapshot.now();
    recorder
        .serializer
        .walk_until(&mut snapshot.walk, &mut || false);
    snapshot.write_walked();
    snapshot.busy_ms += snapshot.now() - began;
    queue_finished(recorder);
}

/// Walk the snapshot slice by slice, each in a task of its own with the
/// page's tasks in between, then queue it and what was held.
pub async fn walk_in_slices() {
    loop {
        next_task().await;
        if with_recorder(walk_slice) != Some(false) {
            break;
        }
    }
    next_task().await;
    with_recorder(queue_finished);
    // The caller sends it next, in a task of its own.
    next_task().await;
}

/// Is a snapshot being walked?
pub fn in_progress() -> bool {
    with_recorder(|recorder| recorder.snapshot.is_some()).unwrap_or(false)
}

/// Queue the finished snapshot, then the held events, then the held
/// mutations (minus what the walk already saw).
fn queue_finished(recorder: &mut Recorder) {
    let Some(snapshot) = recorder.snapshot.take() else {
        return;
    };
    let SnapshotInProgress {
        written,
        places,
        t,
        viewport,
        scroll,
        busy_ms,
        held_events,
        mut held_records,
        ..
    } = snapshot;
    let head = DomEvent::Snapshot {
        took_ms: Some(busy_ms),
        t,
        page: recorder.page,
        nodes: Vec::new(),
        viewport,
        scroll,
    };
    let (before, after) = around_nodes(&head);
    recorder
        .outbox
        .push_written_event(written.between(&before, &after));
    for event in held_events {
        recorder.push(event);
    }
    if let Some(listeners) = &recorder.listeners {
        held_records.push(listeners.take_records());
    }
    for records in held_records {
        super::mutations::record_after_walk(recorder, &records, &places);
    }
}

/// Where the walk put each node: the parent id of every id it gave (the
/// walk gives consecutive ids).
pub struct WalkedPlaces {
    first_id: u32,
    parents: Vec<u32>,
}

impl WalkedPlaces {
    /// Did the walk record `node` under the parent it has now? Then a record
    /// that added it there says nothing new.
    pub fn holds(&self, serializer: &Serializer, node: &Node) -> bool {
        let Some(id) = serializer.id_of(node) else {
            return false;
        };
        let Some(index) = id.checked_sub(self.first_id) else {
            return false;
        };
        let Some(&parent) = self.parents.get(index as usize) else {
            return false;
        };
        serializer.still_under(node, parent)
    }
}

/// Resolve after the page had a turn: a message to ourselves queues a task
/// without the 4 ms clamp that nested timers get.
pub(super) async fn next_task() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    if channel.port2().post_message(&JsValue::NULL).is_err() {
        return;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}
