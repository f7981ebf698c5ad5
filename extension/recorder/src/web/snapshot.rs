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

use repro_manifest::{DomEvent, INLINED_CSS_ATTRIBUTE};

use super::recorder::{Recorder, RecorderCell};
use super::snapshot_progress::SnapshotInProgress;
use super::tasks::next_task;
use crate::core::page_dom::PageDom;
use crate::core::slice_pacing::near_wrapper_table_growth;
use crate::core::written_json::around_nodes;

/// How long a slice walks and writes before it gives the page the main
/// thread back, in milliseconds; Chromium counts a task over 50 ms as long,
/// and a garbage collection may fall into any slice.
const SLICE_MS: f64 = 20.0;

/// The first slice's budget: its code runs cold (compiled on first use), and
/// measured 30–45 ms in traces when it had the whole budget.
const FIRST_SLICE_MS: f64 = 5.0;

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
    recorder.watch_new_shadow_roots();
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
    recorder.watch_new_shadow_roots();
    queue_finished(recorder);
}

/// Walk the snapshot slice by slice, each in a task of its own with the
/// page's tasks in between, then queue it and what was held.
pub async fn walk_in_slices(cell: &RecorderCell) {
    loop {
        next_task().await;
        if cell.with(walk_slice) != Some(false) {
            break;
        }
    }
    next_task().await;
    cell.with(queue_finished);
    // The caller sends it next, in a task of its own.
    next_task().await;
}

/// Is a snapshot being walked?
pub fn in_progress(cell: &RecorderCell) -> bool {
    cell.with(|recorder| recorder.snapshot.is_some())
        .unwrap_or(false)
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
    record_documents_adopted_sheets(recorder);
    for event in held_events {
        recorder.push(event);
    }
    if let Some(observer) = &recorder.observer {
        held_records.push(observer.take_records());
    }
    for records in held_records {
        super::mutations::record_after_walk(recorder, &records, &places);
    }
}

/// The sheets the document adopted (no node holds them): its inlined CSS,
/// right after the snapshot.
fn record_documents_adopted_sheets(recorder: &mut Recorder) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(id) = recorder.serializer.id_of(&document) else {
        return;
    };
    recorder.adopted_lists.note(&document);
    let css = recorder.serializer.dom().adopted_css(&document);
    if css.is_empty() {
        return;
    }
    let css = crate::core::mask::free_text(css);
    recorder.push_attribute_change(id, INLINED_CSS_ATTRIBUTE, Some(css));
}
