//! Watching the shadow roots and frame documents the recording holds: the
//! page's mutation observer sees nothing inside a shadow root or another
//! document unless it observes it, some events never leave a shadow root
//! (`scroll`, the page hook's restyle signal), events from inside a closed
//! root reach the document as if its host sent them, and no event of a
//! frame's document reaches the page's. So each recorded root is observed,
//! and listened to for what would not reach the document as itself.
//!
//! A frame's document is recorded by the page's recorder, not by one of
//! its own: so the page hook in the frame's window (which forwards the
//! frame's console and requests to a recorder of its own window) is told
//! that a recorder listens there, and its messages are heard on that window;
//! the frame's loads are read from its own Resource Timing.

use repro_extension_messages::web::wire::signal_message;
use repro_extension_messages::{
    WindowSignal, ADOPTED_SHEETS_CHANGED_EVENT, SCRIPT_SET_VALUE_EVENT, SHADOW_ATTACHED_EVENT,
    STYLE_RULES_CHANGED_EVENT,
};
use wasm_bindgen::JsCast;
use web_sys::{MutationObserver, Node};

use super::dom_reads;
use super::resource_timing::{LoadSink, ResourceTimings};
use crate::core::resource_loads::TimedLoad;
use repro_extension_messages::web::js::get;

/// Events that never leave a shadow root: listened to on every root.
const EVENTS_KEPT_INSIDE: [&str; 3] = [
    "scroll",
    STYLE_RULES_CHANGED_EVENT,
    ADOPTED_SHEETS_CHANGED_EVENT,
];

/// Events that reach the document retargeted to a closed root's host:
/// listened to on closed roots (an open root's reach the document with
/// their origin in `composedPath()`).
const EVENTS_HIDDEN_BY_CLOSED_ROOTS: [&str; 4] = [
    "input",
    "change",
    SCRIPT_SET_VALUE_EVENT,
    SHADOW_ATTACHED_EVENT,
];

/// Events of a frame's document: every one the recorder listens for.
const EVENTS_OF_A_FRAME: [&str; 17] = [
    "input",
    "change",
    "scroll",
    "click",
    "pointerover",
    "pointermove",
    "pointerout",
    "pointerdown",
    "pointerup",
    "pointercancel",
    "focusin",
    "focusout",
    "toggle",
    "load",
    SCRIPT_SET_VALUE_EVENT,
    STYLE_RULES_CHANGED_EVENT,
    SHADOW_ATTACHED_EVENT,
];

/// The roots watched, and how.
pub struct RootWatcher {
    observer: MutationObserver,
    /// The recorder's handler of each event kind it listens for.
    handlers: Vec<(&'static str, js_sys::Function)>,
    watched: Vec<(Node, Vec<&'static str>)>,
    /// The frames heard: each window (whose page hook's messages are
    /// heard), the document heard in it and the observer of its loads. A
    /// frame that navigates keeps its window object but not the listeners
    /// and observers of its old document: its new document is heard anew.
    frames_heard: Vec<FrameHeard>,
    /// Where the frame documents' loads go.
    load_sink: LoadSink,
}

/// A frame whose document the recorder hears.
struct FrameHeard {
    window: web_sys::Window,
    document: Node,
    /// The window's `performance`: one per window global. A frame's first
    /// document (the initial `about:blank`) hands its global over to the
    /// document it navigates to, so only a new `performance` means new
    /// listeners and a new timeline.
    performance: wasm_bindgen::JsValue,
    loads: Option<ResourceTimings>,
}

/// The page hook's messages: the kind of the listener that hears them.
const HOOK_MESSAGES: &str = "message";

/// Tell the page hook of `window` that a recorder listens (or no longer
/// does). (The hook takes these signals from its own window and from its
/// parent's, where the recorder of a frame of the page's origin runs.)
fn signal_hook(window: &web_sys::Window, signal: WindowSignal) {
    let _ = window.post_message(&signal_message(signal), "*");
}

impl RootWatcher {
    /// Watch roots with `observer` and the recorder's `handlers` (by event
    /// kind; the caller keeps them alive until [`Self::unwatch_all`]).
    pub fn new(
        observer: MutationObserver,
        handlers: Vec<(&'static str, js_sys::Function)>,
        load_sink: LoadSink,
    ) -> Self {
        RootWatcher {
            observer,
            handlers,
            watched: Vec::new(),
            frames_heard: Vec::new(),
            load_sink,
        }
    }

    /// Observe `root` and listen to it; the last loads of the document a
    /// frame showed before `root`, if it navigated.
    pub fn watch(&mut self, root: &Node) -> Vec<TimedLoad> {
        let init = web_sys::MutationObserverInit::new();
        init.set_child_list(true);
        init.set_attributes(true);
        init.set_character_data(true);
        init.set_subtree(true);
        if self.observer.observe_with_options(root, &init).is_err() {
            return Vec::new();
        }
        let kinds: Vec<&'static str> = if dom_reads::node_type(root) == Node::DOCUMENT_NODE {
            EVENTS_OF_A_FRAME.to_vec()
        } else {
            let host = dom_reads::shadow_host(root);
            let closed = dom_reads::open_shadow_root(host.unchecked_ref()).as_ref() != Some(root);
            let mut kinds = EVENTS_KEPT_INSIDE.to_vec();
            if closed {
                kinds.extend(EVENTS_HIDDEN_BY_CLOSED_ROOTS);
            }
            kinds
        };
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        for kind in &kinds {
            if let Some((_, handler)) = self.handlers.iter().find(|(k, _)| k == kind) {
                dom_reads::add_listener(root.unchecked_ref(), kind, handler, &options);
            }
        }
        self.watched.push((root.clone(), kinds));
        if dom_reads::node_type(root) == Node::DOCUMENT_NODE {
            return self.hear_frame(root);
        }
        Vec::new()
    }

    /// Hear the page hook of frame document `document`'s window, and tell
    /// it to send what it holds and what comes; observe its loads. Returns
    /// the last loads of the document the frame showed before, if any.
    fn hear_frame(&mut self, document: &Node) -> Vec<TimedLoad> {
        // (A frame's document is of the frame's realm: not checked as ours.)
        let Some(window) = dom_reads::default_view(document.unchecked_ref()) else {
            return Vec::new();
        };
        if self.frames_heard.iter().any(|f| f.document == *document) {
            return Vec::new();
        }
        let performance = get(&window, "performance");
        if let Some(same_global) = self
            .frames_heard
            .iter_mut()
            .find(|f| f.window == window && f.performance == performance)
        {
            same_global.document = document.clone();
            signal_hook(&window, WindowSignal::RecorderReady);
            return Vec::new();
        }
        let Some((_, handler)) = self.handlers.iter().find(|(k, _)| *k == HOOK_MESSAGES) else {
            return Vec::new();
        };
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        options.set_passive(true);
        dom_reads::add_listener(window.unchecked_ref(), HOOK_MESSAGES, handler, &options);
        signal_hook(&window, WindowSignal::RecorderReady);
        let loads = ResourceTimings::observe(&window, true, self.load_sink.clone());
        let heard = FrameHeard {
            window,
            document: document.clone(),
            performance,
            loads,
        };
        // A frame that navigated: the new document in the old one's place,
        // whose last loads go back to the recorder.
        match self
            .frames_heard
            .iter_mut()
            .find(|f| f.window == heard.window)
        {
            Some(before) => std::mem::replace(before, heard)
                .loads
                .map(ResourceTimings::remove)
                .unwrap_or_default(),
            None => {
                self.frames_heard.push(heard);
                Vec::new()
            }
        }
    }

    /// The roots watched.
    pub fn roots(&self) -> impl Iterator<Item = &Node> {
        self.watched.iter().map(|(root, _)| root)
    }

    /// Stop listening to every root (the observer is disconnected apart);
    /// the frames' loads not handed over yet.
    pub fn unwatch_all(&mut self) -> Vec<TimedLoad> {
        let mut pending = Vec::new();
        let handler = self.handlers.iter().find(|(k, _)| *k == HOOK_MESSAGES);
        for FrameHeard { window, loads, .. } in self.frames_heard.drain(..) {
            pending.extend(loads.map(ResourceTimings::remove).unwrap_or_default());
            if let Some((_, handler)) = handler {
                dom_reads::remove_listener(window.unchecked_ref(), HOOK_MESSAGES, handler, true);
            }
            // The frame's hook keeps its pre-roll again.
            signal_hook(&window, WindowSignal::RecorderStopped);
        }
        for (root, kinds) in self.watched.drain(..) {
            for kind in kinds {
                if let Some((_, handler)) = self.handlers.iter().find(|(k, _)| *k == kind) {
                    dom_reads::remove_listener(root.unchecked_ref(), kind, handler, true);
                }
            }
        }
        pending
    }
}
