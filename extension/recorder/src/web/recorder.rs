//! The recorder of this document, while it records: what it holds, and the
//! [`RecorderCell`] that holds it. The cell is made once per document by
//! `state` (which starts and stops the recorder) and handed to everything
//! that needs the recorder: each listener, the snapshot's slices, the
//! transport. No module reaches for it through a global.

use std::cell::RefCell;
use std::rc::Rc;

use repro_manifest::{AttributeChange, DomEvent, EventRecord, INLINED_CSS_ATTRIBUTE};

use crate::core::page_dom::PageDom;

use crate::core::hook::Entry;
use crate::core::page_limits::Admission;

use super::browser_dom::Serializer;
use super::outbox::Outbox;
use super::shadow_roots::RootWatcher;
use super::snapshot_progress::SnapshotInProgress;

/// A point of a text selection, as a recorded id and an offset.
pub type SelectionPoint = Option<(u32, u32)>;

/// A text selection as recorded: anchor and focus (both `None`: nothing).
pub type RecordedSelection = (SelectionPoint, SelectionPoint);

/// Everything one document's recording holds.
pub struct Recorder {
    pub session_start: u64,
    pub page: u32,
    pub serializer: Serializer,
    pub outbox: Outbox,
    /// The page's mutation observer, for the records it has not handed over.
    pub observer: Option<web_sys::MutationObserver>,
    pub limits: crate::core::page_limits::PageLimits,
    /// The first snapshot while it is being walked.
    pub snapshot: Option<SnapshotInProgress>,
    /// Watches the recorded shadow roots (once listening started).
    pub roots: Option<RootWatcher>,
    /// Changes no mutation record reports, for the next batch: shadow roots
    /// attached to recorded elements (the page hook's signal), documents a
    /// recorded frame loaded (its `load` event).
    pub unobserved_changes: Vec<crate::core::mutation_batch::DomChange<web_sys::Node>>,
    /// The address last recorded by an in-page navigation (masked).
    pub last_address: Option<String>,
    /// This recorder's frame id, when it runs in a frame of another origin
    /// than its parent's (its chunks go to the parent's recorder).
    pub frame: Option<i64>,
    /// The pre-roll is on: loads of the minute before Start are kept.
    pub pre_roll: bool,
    /// The frames of other origins inside this document.
    pub frames: super::frame_links::FrameLinks,
    /// The element the pointer is over, and the one that has focus, as
    /// recorded last.
    pub hovered: Option<u32>,
    pub focused: Option<u32>,
    /// The element the pointer presses (`:active`), as recorded last.
    pub pressed: Option<u32>,
    /// The element shown full screen, as recorded last.
    pub fullscreen: Option<u32>,
    /// The text selection (anchor, focus) as recorded last.
    pub selection: RecordedSelection,
    /// The fields whose label was recorded (with their first input).
    pub labelled_fields: std::collections::HashSet<u32>,
    /// The adopted-sheet lists seen last (for changes made in place).
    pub adopted_lists: super::adopted_lists::AdoptedLists,
    /// The pointer's path since its last batch.
    pub pointer: crate::core::pointer_path::PointerPath,
}

impl Recorder {
    /// Milliseconds since the session started.
    pub fn now(&self) -> u64 {
        (js_sys::Date::now() - self.session_start as f64).max(0.0) as u64
    }

    /// Observe and listen to the shadow roots and frame documents recorded
    /// since the last call.
    pub fn watch_new_shadow_roots(&mut self) {
        let roots = self.serializer.take_hosted_roots();
        let mut loads = Vec::new();
        if let Some(watcher) = self.roots.as_mut() {
            for root in &roots {
                // (A frame that navigated hands over its old document's last loads.)
                loads.extend(watcher.watch(root));
                // Its list as recorded: what a change in place is told from.
                self.adopted_lists.note(root);
            }
        }
        self.keep_loads(loads);
    }

    /// Record the adopted rules of every recorded root whose list of
    /// adopted sheets changed in place since it was noted (see
    /// `adopted_lists`).
    pub fn record_adopted_list_changes(&mut self) {
        let mut roots: Vec<web_sys::Node> = Vec::new();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            roots.push(document.into());
        }
        if let Some(watcher) = self.roots.as_ref() {
            roots.extend(watcher.roots().cloned());
        }
        self.adopted_lists.keep_only(&roots);
        for root in roots {
            let Some(id) = self.serializer.id_of(&root) else {
                continue;
            };
            if self.adopted_lists.changed(&root) {
                self.push_adopted_css(id, &root);
            }
        }
    }

    /// Record the rules of the sheets root `id` (a shadow root, a frame's
    /// or the page's document) adopted, masked, as its inlined CSS.
    pub fn push_adopted_css(&mut self, id: u32, root: &web_sys::Node) {
        let css = crate::core::mask::free_text(self.serializer.dom().adopted_css(root));
        self.push_attribute_change(id, INLINED_CSS_ATTRIBUTE, Some(css));
    }

    /// Queue a DOM event (held until the snapshot, if one is being walked),
    /// after the pointer's path so far (which began before it).
    pub fn push(&mut self, event: DomEvent) {
        if let Some(path) = self.pointer.take() {
            self.push_in_order(path);
        }
        self.push_in_order(event);
    }

    /// The pointer moved: record its position (sampled, batched).
    pub fn pointer_moved(&mut self, x: i32, y: i32) {
        let t = self.now();
        if let Some(batch) = self.pointer.moved(t, self.page, x, y) {
            self.push_in_order(batch);
        }
    }

    /// Hand over the pointer's path so far (at each flush).
    pub fn flush_pointer(&mut self) {
        if let Some(path) = self.pointer.take() {
            self.push_in_order(path);
        }
    }

    fn push_in_order(&mut self, event: DomEvent) {
        match self.snapshot.as_mut() {
            Some(snapshot) => snapshot.hold_event(event),
            None => self.outbox.chunk.events.push(EventRecord::Known(event)),
        }
    }

    /// What the frames' events need of this recording.
    pub fn frame_recording(
        &mut self,
    ) -> (
        &mut super::frame_links::FrameLinks,
        super::frame_links::Recording<'_>,
    ) {
        (
            &mut self.frames,
            super::frame_links::Recording {
                serializer: &mut self.serializer,
                roots: self.roots.as_ref(),
                page: self.page,
            },
        )
    }

    /// Record what a frame of another origin relayed: its events, and its
    /// console and network entries under this page's limits; whether its
    /// chunks were taken.
    pub fn take_relayed(&mut self, relayed: super::frame_links::Relayed) -> bool {
        for event in relayed.events {
            self.push(event);
        }
        let console = relayed.console.into_iter().map(Entry::Console);
        let network = relayed
            .network
            .into_iter()
            .map(|e| Entry::Network(Box::new(e)));
        for mut entry in console.chain(network) {
            match &mut entry {
                Entry::Console(e) => e.page = self.page,
                Entry::Network(e) => e.page = self.page,
            }
            self.keep_entry(entry);
        }
        relayed.taken
    }

    /// Keep the page's `loads` (from its Resource Timing) as network
    /// entries, under this page's limits.
    pub fn keep_loads(&mut self, loads: Vec<crate::core::resource_loads::TimedLoad>) {
        let context = crate::core::resource_loads::LoadContext {
            session_start: self.session_start,
            page: self.page,
            pre_roll: self.pre_roll,
        };
        for load in loads {
            if let Some(entry) = crate::core::resource_loads::to_entry(load, &context) {
                self.keep_entry(Entry::Network(Box::new(entry)));
            }
        }
    }

    /// Keep a console or network entry, under this page's limits.
    pub fn keep_entry(&mut self, entry: Entry) {
        let t = self.now();
        match self.limits.admit(&entry, t, self.page) {
            Admission::Keep => match entry {
                Entry::Console(entry) => self.outbox.chunk.console.push(entry),
                Entry::Network(entry) => self.outbox.chunk.network.push(*entry),
            },
            Admission::DropWithNote(note) => self.outbox.chunk.console.push(note),
            Admission::Drop => {}
        }
    }

    /// The state `attribute` (`HOVER_ATTRIBUTE`, `ACTIVE_ATTRIBUTE`, `FOCUS_ATTRIBUTE`) moved
    /// from element `before` to element `now` (with its value): one batch
    /// taking it off the one and putting it on the other; nothing when
    /// neither changed.
    pub fn push_state_change(
        &mut self,
        attribute: &str,
        before: Option<u32>,
        now: Option<(u32, &str)>,
    ) {
        if before.is_some() && before == now.map(|(id, _)| id) {
            return;
        }
        let change = |id: u32, value: Option<&str>| AttributeChange {
            id,
            name: attribute.into(),
            value: value.map(str::to_string),
        };
        let attrs: Vec<AttributeChange> = before
            .map(|id| change(id, None))
            .into_iter()
            .chain(now.map(|(id, value)| change(id, Some(value))))
            .collect();
        if attrs.is_empty() {
            return;
        }
        let t = self.now();
        self.push(DomEvent::Mutation {
            t,
            page: self.page,
            removes: Vec::new(),
            adds: Vec::new(),
            attrs,
            texts: Vec::new(),
        });
    }

    /// Queue a change of one attribute (`None`: removed) of node `id`,
    /// as a batch of its own.
    pub fn push_attribute_change(&mut self, id: u32, name: &str, value: Option<String>) {
        let t = self.now();
        self.push(DomEvent::Mutation {
            t,
            page: self.page,
            removes: Vec::new(),
            adds: Vec::new(),
            attrs: vec![AttributeChange {
                id,
                name: name.into(),
                value,
            }],
            texts: Vec::new(),
        });
    }
}

/// Where this document's recorder is kept while it records: shared by the
/// listeners, the snapshot's slices and the transport (each holds a clone).
#[derive(Clone, Default)]
pub struct RecorderCell(Rc<RefCell<Option<Recorder>>>);

impl RecorderCell {
    /// Run `f` on the recorder, if this document is being recorded (and it
    /// is not already in use further up the stack: an event fired
    /// synchronously by the recorder's own work is not recorded).
    pub fn with<R>(&self, f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
        self.0.try_borrow_mut().ok()?.as_mut().map(f)
    }

    /// Is a recorder in the cell?
    pub fn is_recording(&self) -> bool {
        self.with(|_| ()).is_some()
    }

    /// Keep `recorder` as this document's recorder.
    pub fn install(&self, recorder: Recorder) {
        *self.0.borrow_mut() = Some(recorder);
    }

    /// Take this document's recorder away (it stops).
    pub fn take(&self) -> Option<Recorder> {
        self.0.borrow_mut().take()
    }
}
