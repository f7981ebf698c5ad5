//! A snapshot while it is walked: the walk, the records written so far,
//! where each node went, and what the page did meanwhile (held until the
//! walk ends). The slicing itself is `snapshot`'s.

use repro_manifest::{DomEvent, Size};
use web_sys::{Node, Performance};

use super::browser_dom::{added_nodes, PageWalk, Serializer};
use super::written_nodes::WrittenNodes;

/// A snapshot being walked, and what happened in the page since it began.
pub struct SnapshotInProgress {
    pub(super) walk: PageWalk,
    /// The records walked so far, as JSON, out of wasm memory but for the
    /// last piece.
    pub(super) written: WrittenNodes,
    pub(super) places: WalkedPlaces,
    pub(super) t: u64,
    pub(super) viewport: Size,
    pub(super) scroll: (i32, i32),
    pub(super) busy_ms: f64,
    pub(super) clock: Option<Performance>,
    pub(super) held_events: Vec<DomEvent>,
    pub(super) held_records: Vec<js_sys::Array>,
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
            viewport: super::dom_reads::viewport(window),
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

    pub(super) fn now(&self) -> f64 {
        self.clock.as_ref().map(|c| c.now()).unwrap_or_default()
    }

    /// Write the records walked since the last call, and note where each went.
    pub(super) fn write_walked(&mut self) {
        for record in self.walk.records.drain(..) {
            if self.places.parents.is_empty() {
                self.places.first_id = record.id;
            }
            self.places.parents.push(record.parent);
            self.written.append(&record);
        }
    }
}

/// Where the walk put each node: the parent id of every id it gave (the
/// walk gives consecutive ids).
pub struct WalkedPlaces {
    pub(super) first_id: u32,
    pub(super) parents: Vec<u32>,
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
