//! The page events the recorder listens to (input, scroll, click, resize,
//! the states in `state_listeners`, the page hook's messages in
//! `hook_messages`), the page's loads (`resource_timing`), the mutation
//! observer and the flush timer, all
//! removed again at stop so a stopped recorder costs the page nothing.

use repro_manifest::{DomEvent, EventRecord, Size, INLINED_CSS_ATTRIBUTE, OPEN_POPOVER_ATTRIBUTE};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget, MouseEvent, MutationObserver, Node};

use super::dom_reads::{self, viewport};
use super::event_targets::{origin, target_id};
use super::hook_messages::on_hook_message;
use super::mutations;
use super::recorder::{Recorder, RecorderCell};
use super::resource_timing::{LoadSink, ResourceTimings};
use super::shadow_roots::RootWatcher;
use super::snapshot;
use super::state_listeners::{
    on_focus_in, on_focus_out, on_fullscreen_change, on_pointer_down, on_pointer_out,
    on_pointer_over, on_pointer_released,
};
use super::text_selection::on_selection_change;
use super::transport::{flush_now, FLUSH_INTERVAL_MS};
use crate::core::labels;
use crate::core::mutation_batch::DomChange;
use crate::core::page_dom::{NodeKind, PageDom};
use repro_extension_messages::{
    ADOPTED_SHEETS_CHANGED_EVENT, HISTORY_CHANGED_EVENT, SCRIPT_SET_VALUE_EVENT,
    SHADOW_ATTACHED_EVENT, STYLE_RULES_CHANGED_EVENT,
};

type Handler = Closure<dyn FnMut(Event)>;

/// Scroll and resize events closer than this to the previous one of the same
/// target are merged into it.
const COALESCE_MS: u64 = 50;

/// What the recorder installed in the page.
pub struct Listeners {
    window: web_sys::Window,
    /// The recorder the handlers hand events to.
    cell: RecorderCell,
    handlers: Vec<(EventTarget, &'static str, Handler)>,
    observer: MutationObserver,
    _observer_callback: Closure<dyn FnMut(js_sys::Array)>,
    interval: i32,
    _tick: Closure<dyn FnMut()>,
    /// The page's loads, from its Resource Timing.
    resources: Option<ResourceTimings>,
}

impl Listeners {
    /// Install every listener, the observer and the timer.
    pub fn install(
        window: &web_sys::Window,
        document: &web_sys::Document,
        cell: &RecorderCell,
    ) -> Result<Self, JsValue> {
        let observed = cell.clone();
        let observer_callback =
            Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
                observed.with(|recorder| match recorder.snapshot.as_mut() {
                    Some(snapshot) => snapshot.hold_records(&recorder.serializer, records),
                    None => mutations::record(recorder, &records),
                });
            });
        let observer = MutationObserver::new(observer_callback.as_ref().unchecked_ref())?;
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_attributes(true);
        init.set_character_data(true);
        init.set_subtree(true);
        observer.observe_with_options(document, &init)?;

        // While the snapshot is walked there is nothing to send yet.
        let ticking = cell.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            if !snapshot::in_progress(&ticking) {
                ticking.with(Recorder::record_adopted_list_changes);
                flush_now(&ticking);
            }
        });
        let interval = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            FLUSH_INTERVAL_MS,
        )?;

        let mut listeners = Listeners {
            window: window.clone(),
            cell: cell.clone(),
            handlers: Vec::new(),
            observer,
            _observer_callback: observer_callback,
            interval,
            _tick: tick,
            resources: ResourceTimings::observe(
                window,
                // A recorder of its own in a frame: one of another origin.
                cell.with(|r| r.frame.is_some()).unwrap_or(false),
                load_sink(cell),
            ),
        };
        let doc: &EventTarget = document.unchecked_ref();
        let win: &EventTarget = window.unchecked_ref();
        listeners.listen(doc, "input", on_input)?;
        listeners.listen(doc, "change", on_input)?;
        // Values set by the page's scripts, told by the page hook.
        listeners.listen(doc, SCRIPT_SET_VALUE_EVENT, on_input)?;
        // A popover shown or hidden changes no attribute: its toggle event says.
        listeners.listen(doc, "toggle", on_toggle)?;
        // Rules a script put in a <style>'s sheet, told by the page hook.
        listeners.listen(doc, STYLE_RULES_CHANGED_EVENT, on_style_rules)?;
        // A shadow root a script attached, told by the page hook.
        listeners.listen(doc, SHADOW_ATTACHED_EVENT, on_shadow_attached)?;
        // Sheets adopted by the document (or, listened on each, a root), told by the page hook.
        listeners.listen(doc, ADOPTED_SHEETS_CHANGED_EVENT, on_adopted_sheets)?;
        // A frame loaded a document (`load` does not bubble: caught on its way down).
        listeners.listen(doc, "load", on_frame_load)?;
        // A picture from a `blob:` URL loaded: its pixels, while the page has them.
        listeners.listen(doc, "load", on_blob_image_load)?;
        listeners.listen(doc, "scroll", on_scroll)?;
        listeners.listen(doc, "click", on_click)?;
        // States no attribute shows: what the pointer is over, what has focus.
        listeners.listen(doc, "pointerover", on_pointer_over)?;
        // The pointer's path between clicks (sampled a few times a second).
        listeners.listen(doc, "pointermove", on_pointer_move)?;
        listeners.listen(doc, "pointerout", on_pointer_out)?;
        listeners.listen(doc, "pointerdown", on_pointer_down)?;
        listeners.listen(doc, "pointerup", on_pointer_released)?;
        listeners.listen(doc, "pointercancel", on_pointer_released)?;
        listeners.listen(doc, "focusin", on_focus_in)?;
        listeners.listen(doc, "fullscreenchange", on_fullscreen_change)?;
        listeners.listen(doc, "selectionchange", on_selection_change)?;
        listeners.listen(doc, "focusout", on_focus_out)?;
        listeners.listen(win, "resize", on_resize)?;
        // The address changed without a new document.
        listeners.listen(doc, HISTORY_CHANGED_EVENT, |cell, _| {
            on_navigation(cell, "script")
        })?;
        listeners.listen(win, "popstate", |cell, _| on_navigation(cell, "history"))?;
        listeners.listen(win, "hashchange", |cell, _| on_navigation(cell, "hash"))?;
        listeners.listen(win, "message", on_hook_message)?;
        listeners.listen(win, "pagehide", |cell, _| {
            cell.with(snapshot::complete_now);
            flush_now(cell);
        })?;
        Ok(listeners)
    }

    fn listen(
        &mut self,
        target: &EventTarget,
        kind: &'static str,
        f: fn(&RecorderCell, Event),
    ) -> Result<(), JsValue> {
        let cell = self.cell.clone();
        let handler: Handler = Closure::new(move |event| f(&cell, event));
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        super::dom_reads::add_listener(target, kind, handler.as_ref().unchecked_ref(), &options);
        self.handlers.push((target.clone(), kind, handler));
        Ok(())
    }

    /// The mutation observer, for the records it has not handed over yet.
    pub fn observer(&self) -> MutationObserver {
        self.observer.clone()
    }

    /// A watcher of shadow roots with this observer and the document's
    /// handlers (kept alive here until [`Self::remove`]).
    pub fn root_watcher(&self) -> RootWatcher {
        let handlers = self
            .handlers
            .iter()
            .map(|(_, kind, handler)| {
                (
                    *kind,
                    handler.as_ref().unchecked_ref::<js_sys::Function>().clone(),
                )
            })
            .collect();
        RootWatcher::new(self.observer.clone(), handlers, load_sink(&self.cell))
    }

    /// Take the last mutations, then remove everything from the page.
    pub fn remove(mut self, recorder: &mut Recorder) {
        if let Some(resources) = self.resources.take() {
            recorder.keep_loads(resources.remove());
        }
        let pending = self.observer.take_records();
        mutations::record(recorder, &pending);
        if let Some(mut roots) = recorder.roots.take() {
            recorder.keep_loads(roots.unwatch_all());
        }
        self.observer.disconnect();
        self.window.clear_interval_with_handle(self.interval);
        for (target, kind, handler) in &self.handlers {
            super::dom_reads::remove_listener(target, kind, handler.as_ref().unchecked_ref(), true);
        }
    }
}

/// Where the observers of the page's loads hand them: to the recorder.
fn load_sink(cell: &RecorderCell) -> LoadSink {
    let cell = cell.clone();
    std::rc::Rc::new(move |loads| {
        cell.with(|recorder| recorder.keep_loads(loads));
    })
}

/// A script attached a shadow root to an element (the page hook says so):
/// when the element is recorded, its root comes in the next batch, now.
fn on_shadow_attached(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some(node) = origin(&event) else {
            return;
        };
        let Some(host) = dom_reads::as_element(&node).cloned() else {
            return;
        };
        let Some(root) = recorder.serializer.dom().reach_shadow_root(&host) else {
            return;
        };
        let host_recorded = recorder.serializer.id_of(host.unchecked_ref()).is_some();
        let pending = recorder.unobserved_changes.iter().any(
            |change| matches!(change, DomChange::Children { added, .. } if added.contains(&root)),
        );
        if !host_recorded || recorder.serializer.id_of(&root).is_some() || pending {
            return;
        }
        record_unobserved(
            recorder,
            DomChange::Children {
                added: vec![root],
                removed: Vec::new(),
            },
        );
    });
}

/// A recorded frame loaded a document (it navigated, or its first document
/// came after the walk): the new document replaces the one recorded.
fn on_frame_load(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some(node) = event.target().and_then(|t| dom_reads::as_node(t.as_ref())) else {
            return;
        };
        let Some(frame) = dom_reads::as_element(&node).cloned() else {
            return;
        };
        if dom_reads::local_name(&frame) != "iframe" || recorder.serializer.id_of(&frame).is_none()
        {
            return;
        }
        let dom = recorder.serializer.dom();
        let recorded = dom.recorded_frame_document(&frame);
        let Some(document) = dom.frame_document(frame.unchecked_ref()) else {
            return;
        };
        if recorded.as_ref() == Some(&document) || recorder.serializer.id_of(&document).is_some() {
            return;
        }
        record_unobserved(
            recorder,
            DomChange::Children {
                added: vec![document],
                removed: recorded.into_iter().collect(),
            },
        );
    });
}

/// A recorded `<img>` showing a `blob:` URL loaded: record its pixels as
/// its `src` (a `data:` URL), unless it is in a masked region.
fn on_blob_image_load(cell: &RecorderCell, event: Event) {
    let Some(image) = event.target().and_then(|t| dom_reads::as_node(t.as_ref())) else {
        return;
    };
    cell.with(|recorder| {
        let Some(id) = recorder.serializer.id_of(&image) else {
            return;
        };
        let Some(data) = dom_reads::blob_image_data(&image) else {
            return;
        };
        let parent = dom_reads::parent_node(&image);
        let text_masked = recorder.serializer.masks_text_under(parent.as_ref());
        if recorder.serializer.masks_images_of(&image, text_masked) {
            return;
        }
        recorder.push_attribute_change(id, "src", Some(data));
    });
}

/// Record `change`, which no mutation record reports, in the next batch:
/// now, with the records the observer holds, unless the snapshot is being
/// walked (then with the records held meanwhile).
fn record_unobserved(recorder: &mut Recorder, change: DomChange<Node>) {
    recorder.unobserved_changes.push(change);
    if recorder.snapshot.is_none() {
        let records = match &recorder.observer {
            Some(observer) => observer.take_records(),
            None => js_sys::Array::new(),
        };
        mutations::record(recorder, &records);
    }
}

fn on_input(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        let Some(element) = dom_reads::as_element(&node) else {
            return;
        };
        let value = recorder.serializer.control_value(element);
        // Told by name, not `instanceof`: a frame's input is of its realm.
        let checked = (dom_reads::local_name(element) == "input")
            .then_some(element)
            .and_then(|input| {
                let kind = super::dom_reads::input_type(input);
                (kind == "checkbox" || kind == "radio")
                    .then(|| super::dom_reads::input_checked(input))
            });
        if value.is_none() && checked.is_none() {
            return;
        }
        // The field's label, with its first input only (the steps need it once).
        let label = recorder
            .labelled_fields
            .insert(id)
            .then(|| labels::label_of(&recorder.serializer, &node))
            .filter(|label| !label.is_empty());
        let t = recorder.now();
        recorder.push(DomEvent::Input {
            t,
            page: recorder.page,
            id,
            value,
            checked,
            label,
        });
    });
}

/// A `<style>`'s rules changed through the CSS object model: record them
/// whole, masked, as the element's copied rules.
fn on_style_rules(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        let css = recorder
            .serializer
            .dom()
            .scripted_style_rules(&node)
            .unwrap_or_default();
        let css = crate::core::mask::free_text(css);
        recorder.push_attribute_change(id, INLINED_CSS_ATTRIBUTE, Some(css));
    });
}

/// A popover was shown or hidden (a `<details>` too, whose `open`
/// attribute the mutations already carry): record whether it shows.
fn on_toggle(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        let dom = recorder.serializer.dom();
        if dom.attribute(&node, "popover").is_none() {
            return;
        }
        let open = dom.is_popover_open(&node).then(String::new);
        recorder.push_attribute_change(id, OPEN_POPOVER_ATTRIBUTE, open);
    });
}

/// Record one attribute change of the recorded node `id` (one of the
/// recording's own markers, which no mutation record reports).
/// The sheets a shadow root or the document adopted changed (the page hook
/// says so, on it): the root's rules, whole, as its inlined CSS.
fn on_adopted_sheets(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some(root) = event.target().and_then(|t| dom_reads::as_node(t.as_ref())) else {
            return;
        };
        let Some(id) = recorder.serializer.id_of(&root) else {
            return;
        };
        recorder.adopted_lists.note(&root);
        recorder.push_adopted_css(id, &root);
    });
}

fn on_scroll(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        let (x, y) = match dom_reads::as_element(&node) {
            Some(element) => super::dom_reads::scroll_position(element),
            // A frame's document: its own window's scroll.
            None if recorder.serializer.dom().kind(&node) == NodeKind::FrameDocument => {
                dom_reads::document_scroll(&node).unwrap_or_default()
            }
            None => {
                let Some(window) = web_sys::window() else {
                    return;
                };
                (
                    window.scroll_x().unwrap_or(0.0) as i32,
                    window.scroll_y().unwrap_or(0.0) as i32,
                )
            }
        };
        let t = recorder.now();
        let page = recorder.page;
        if let Some(EventRecord::Known(DomEvent::Scroll {
            t: last_t,
            id: last_id,
            x: lx,
            y: ly,
            ..
        })) = recorder.outbox.chunk.events.last_mut()
        {
            if *last_id == id && t.saturating_sub(*last_t) < COALESCE_MS {
                (*lx, *ly) = (x, y);
                return;
            }
        }
        recorder.push(DomEvent::Scroll { t, page, id, x, y });
    });
}

fn on_pointer_move(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        // Most moves are not sampled: decided before the event is read.
        // Not while the first snapshot is walked either. (In a frame of
        // another origin, the page's recorder moves the path into its
        // viewport, as it does clicks.)
        if recorder.snapshot.is_some() || !recorder.pointer.due(recorder.now()) {
            return;
        }
        // (Not `instanceof`: a move in a frame is of the frame's realm.)
        if !js_sys::Reflect::has(&event, &JsValue::from_str("clientX")).unwrap_or(false) {
            return;
        }
        let mouse = event.unchecked_ref::<MouseEvent>();
        // A move in a frame is in the frame's viewport: moved to the page's.
        let (dx, dy) = event
            .target()
            .filter(|target| target.is_object())
            .map(|target| dom_reads::offset_of_frame_holding(target.unchecked_ref()))
            .unwrap_or((0, 0));
        recorder.pointer_moved(
            mouse.client_x().saturating_add(dx),
            mouse.client_y().saturating_add(dy),
        );
    });
}

fn on_click(cell: &RecorderCell, event: Event) {
    cell.with(|recorder| {
        let Some((id, node)) = target_id(recorder, &event) else {
            return;
        };
        // (Not `instanceof`: a click in a frame is of the frame's realm.)
        if !js_sys::Reflect::has(&event, &JsValue::from_str("clientX")).unwrap_or(false) {
            return;
        }
        let mouse = event.unchecked_ref::<MouseEvent>();
        // A click in a frame is in the frame's viewport: moved to the page's.
        let (dx, dy) = dom_reads::offset_of_frame_holding(&node);
        let control = labels::acted_on(recorder.serializer.dom(), &node);
        let label = Some(labels::label_of(&recorder.serializer, &control))
            .filter(|label| !label.is_empty());
        let t = recorder.now();
        recorder.push(DomEvent::Click {
            t,
            page: recorder.page,
            id,
            x: mouse.client_x().saturating_add(dx),
            y: mouse.client_y().saturating_add(dy),
            label,
        });
    });
}

/// The page's address changed in place (`how` says by what): record it,
/// masked, unless it is the address recorded last (going back between two
/// `#` entries fires both `popstate` and `hashchange`).
fn on_navigation(cell: &RecorderCell, how: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let url = crate::core::mask::free_text(repro_manifest::mask_url(&dom_reads::document_url(
        &document,
    )));
    let url = repro_manifest::cut_to(&url, repro_manifest::Limits::default().max_url_bytes);
    cell.with(|recorder| {
        if recorder.last_address.as_deref() == Some(url.as_str()) {
            return;
        }
        recorder.last_address = Some(url.clone());
        let t = recorder.now();
        let page = recorder.page;
        recorder.push(DomEvent::Navigation {
            t,
            page,
            url,
            how: how.into(),
        });
    });
}

fn on_resize(cell: &RecorderCell, _event: Event) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let size: Size = viewport(&window);
    cell.with(|recorder| {
        let t = recorder.now();
        let page = recorder.page;
        if let Some(EventRecord::Known(DomEvent::Viewport {
            t: last_t,
            size: last,
            ..
        })) = recorder.outbox.chunk.events.last_mut()
        {
            if t.saturating_sub(*last_t) < COALESCE_MS {
                *last = size;
                return;
            }
        }
        recorder.push(DomEvent::Viewport { t, page, size });
    });
}
