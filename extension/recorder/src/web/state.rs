//! The recorder of this document: its lifecycle from the background's
//! "hello" answer to the final chunk handed over at stop.

use std::cell::RefCell;

use repro_manifest::MaskPolicy;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::browser_dom;
use super::dom_reads;
use super::listeners::Listeners;
use super::outbox::Outbox;
use super::recorder::{Recorder, RecorderCell};
use super::snapshot_progress::SnapshotInProgress;
use super::tasks::sleep;
use crate::core::mask;
use repro_extension_messages::web::js::{message_of, object};
use repro_extension_messages::web::runtime::{self, ask_background};
use repro_extension_messages::web::wire::{answer_from_js, bulk, from_js, signal_message, to_js};
use repro_extension_messages::{
    CommitAnswer, Hello, HelloAnswer, PickAnswer, StoreAnswer, TabPixels, ToBackground, ToRecorder,
    WindowSignal,
};

thread_local! {
    /// This document's recorder, while it records: made here, the one root
    /// of the recorder's state, and handed to everything that needs it.
    static RECORDER: RecorderCell = RecorderCell::default();
    /// What the recorder installed in the page, while it records.
    static LISTENERS: RefCell<Option<Listeners>> = const { RefCell::new(None) };
    /// A start is between its first check and the recorder being in place
    /// (waiting for the document or the background's answer).
    static STARTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The loader's `forget`: it drops its hold on this instance.
    static FORGET: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Our `chrome.runtime.onMessage` listener, while installed.
    static MESSAGE_LISTENER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Marks a start in progress until dropped, so a second Start (the loader
/// run again while the first waits) does not begin a second recorder.
struct Starting;

impl Starting {
    fn begin() -> Option<Self> {
        if STARTING.with(|s| s.get()) || RECORDER.with(RecorderCell::is_recording) {
            return None;
        }
        STARTING.with(|s| s.set(true));
        Some(Starting)
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        STARTING.with(|s| s.set(false));
    }
}

fn window() -> Result<web_sys::Window, JsValue> {
    web_sys::window().ok_or_else(|| JsValue::from_str("no window"))
}

/// What this page tells the background when it starts: where it is and how it looks.
fn hello_message(
    window: &web_sys::Window,
    document: &web_sys::Document,
    build: &str,
) -> ToBackground {
    let navigator = window.navigator();
    // In the head only: asking the whole document took 7–8 ms on a
    // 100,000-node page (measured), in the same task as starting up.
    let release = dom_reads::head(document)
        .and_then(|head| {
            dom_reads::query_all_under(&head, "meta[name=release], meta[name=version]")
                .ok()?
                .get(0)
        })
        .and_then(|meta| dom_reads::get_attribute(meta.unchecked_ref(), "content"));
    let number =
        |value: Result<JsValue, JsValue>| value.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    ToBackground::Hello(Hello {
        build: build.into(),
        url: mask::free_text(repro_manifest::mask_url(&dom_reads::document_url(document))),
        title: mask::free_text(dom_reads::document_title(document)),
        width: number(window.inner_width()),
        height: number(window.inner_height()),
        dpr: window.device_pixel_ratio(),
        language: navigator.language().unwrap_or_default(),
        user_agent: navigator.user_agent().unwrap_or_default(),
        release,
    })
}

/// Ask the background whether to record, then snapshot and observe. Once
/// there is nothing to record (not asked to, or stopped meanwhile), let the
/// loader drop this instance.
pub async fn start(build: String, forget: Option<js_sys::Function>) -> Result<(), JsValue> {
    let Some(starting) = Starting::begin() else {
        return Ok(());
    };
    FORGET.with(|slot| *slot.borrow_mut() = forget);
    let cell = RECORDER.with(RecorderCell::clone);
    let outcome = record(&build, starting, &cell).await;
    if !cell.is_recording() {
        let_go();
    }
    outcome
}

/// Take nothing more from the page or the background, and tell the loader
/// this instance can be dropped: with no listener left anywhere, its wasm
/// memory and glue become garbage.
fn let_go() {
    if let Some(listener) = MESSAGE_LISTENER.with(|slot| slot.borrow_mut().take()) {
        runtime::remove_message_listener(&listener);
    }
    if let Some(forget) = FORGET.with(|slot| slot.borrow_mut().take()) {
        let _ = forget.call0(&JsValue::NULL);
    }
}

async fn record(build: &str, starting: Starting, cell: &RecorderCell) -> Result<(), JsValue> {
    let window = window()?;
    let document = window
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    wait_until_parsed(&document).await?;
    // A frame whose parent is of its own origin is recorded by the
    // parent's recorder, through its document.
    if is_frame_of_parents_origin(&window) {
        return Ok(());
    }
    install_message_listener(cell);
    let answer = ask_background(&hello_message(&window, &document, build)).await?;
    let answer: HelloAnswer = answer_from_js(&answer)?;
    if !answer.recording {
        return Ok(());
    }
    let session_start = answer.session_start as u64;
    let page = answer.page;
    let policy: MaskPolicy = serde_json::from_str(&answer.policy).unwrap_or_default();
    let mut recorder = Recorder {
        session_start,
        page,
        serializer: browser_dom::serializer(policy),
        outbox: Outbox::new(page),
        observer: None,
        limits: Default::default(),
        snapshot: None,
        roots: None,
        unobserved_changes: Vec::new(),
        last_address: None,
        frame: answer.frame,
        pre_roll: answer.pre_roll,
        frames: Default::default(),
        hovered: None,
        focused: None,
        pressed: None,
        fullscreen: None,
        selection: (None, None),
        labelled_fields: Default::default(),
        adopted_lists: Default::default(),
        pointer: Default::default(),
    };
    recorder.snapshot = Some(SnapshotInProgress::begin(
        &window,
        &document,
        recorder.now(),
    ));
    cell.install(recorder);
    drop(starting);
    // Listening starts before the walk, so that nothing the page does while
    // it is walked is missed.
    let listeners = Listeners::install(&window, &document, cell)?;
    cell.with(|r| {
        r.observer = Some(listeners.observer());
        r.roots = Some(listeners.root_watcher());
    });
    LISTENERS.with(|slot| *slot.borrow_mut() = Some(listeners));
    // The page hook holds what happened before now until it hears this.
    let _ = window.post_message(&signal_message(WindowSignal::RecorderReady), "*");
    super::snapshot::walk_in_slices(cell).await;
    super::transport::flush_now(cell);
    wasm_bindgen_futures::spawn_local(super::pixel_capture::sample_while_recording(cell.clone()));
    Ok(())
}

/// Is this window a frame whose parent can read it (same origin)?
fn is_frame_of_parents_origin(window: &web_sys::Window) -> bool {
    let top = window.top().ok().flatten().map(JsValue::from);
    if top.as_ref() == Some(&JsValue::from(window.clone())) {
        return false;
    }
    window.frame_element().ok().flatten().is_some()
}

async fn wait_until_parsed(document: &web_sys::Document) -> Result<(), JsValue> {
    if dom_reads::ready_state(document) != "loading" {
        return Ok(());
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        dom_reads::add_listener(document, "DOMContentLoaded", &resolve, &options);
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
}

/// Listen for the background's commands: stop (answer with the last
/// chunks), and mark mode (pick, commit, cancel).
fn install_message_listener(cell: &RecorderCell) {
    if MESSAGE_LISTENER.with(|listener| listener.borrow().is_some()) {
        return;
    }
    let cell = cell.clone();
    let listener = Closure::<dyn FnMut(JsValue, JsValue, js_sys::Function) -> JsValue>::new(
        move |message: JsValue, _sender: JsValue, reply: js_sys::Function| -> JsValue {
            let Ok(command) = from_js::<ToRecorder>(&message) else {
                return JsValue::FALSE;
            };
            match command {
                ToRecorder::Stop => {
                    let pixels = thumbnail_masks(&cell);
                    let chunks = stop(&cell);
                    let pixels = pixels.map(|p| to_js(&p)).unwrap_or(JsValue::NULL);
                    let answer = object(&[("chunks", chunks.into()), ("pixels", pixels)]);
                    let _ = reply.call1(&JsValue::NULL, &answer);
                    JsValue::FALSE
                }
                ToRecorder::Pick { form_url } => {
                    let answer = match super::marker::start(form_url) {
                        Ok(()) => PickAnswer {
                            ok: true,
                            error: None,
                        },
                        Err(e) => PickAnswer {
                            ok: false,
                            error: Some(message_of(&e)),
                        },
                    };
                    let _ = reply.call1(&JsValue::NULL, &to_js(&answer));
                    JsValue::FALSE
                }
                ToRecorder::MarkCommit => {
                    // Described with the recording's DOM, which knows the
                    // closed roots its screenshot must black out.
                    let capture = cell
                        .with(|r| {
                            let moment = (r.now(), r.page);
                            super::marker::commit(
                                r.serializer.policy(),
                                moment,
                                Some(r.serializer.dom()),
                            )
                        })
                        .unwrap_or_else(|| {
                            super::marker::commit(&MaskPolicy::default(), (0, 0), None)
                        });
                    wasm_bindgen_futures::spawn_local(async move {
                        // Let the page repaint without the overlay before the screenshot.
                        sleep(150).await;
                        let text = capture.and_then(|c| serde_json::to_string(&c).ok());
                        let answer = CommitAnswer {
                            error: text.is_none().then(|| "no element was chosen".into()),
                            capture: text,
                        };
                        let _ = reply.call1(&JsValue::NULL, &to_js(&answer));
                    });
                    JsValue::TRUE
                }
                ToRecorder::FrameChunks { frame, url } => {
                    let chunks = bulk(&message, "chunks");
                    let stored = cell
                        .with(|r| {
                            let (links, recording) = r.frame_recording();
                            let relayed = links.take_chunks(frame, &url, &chunks, recording);
                            r.take_relayed(relayed)
                        })
                        .unwrap_or(false);
                    let answer = StoreAnswer {
                        stored,
                        held: false,
                    };
                    let _ = reply.call1(&JsValue::NULL, &to_js(&answer));
                    JsValue::FALSE
                }
                ToRecorder::MarkCancel => {
                    super::marker::stop();
                    let answer = PickAnswer {
                        ok: true,
                        error: None,
                    };
                    let _ = reply.call1(&JsValue::NULL, &to_js(&answer));
                    JsValue::FALSE
                }
            }
        },
    );
    let function: js_sys::Function = listener
        .as_ref()
        .unchecked_ref::<js_sys::Function>()
        .clone();
    runtime::add_message_listener(&function);
    MESSAGE_LISTENER.with(|slot| *slot.borrow_mut() = Some(function));
    // Freed with the function once it is removed and collected.
    listener.forget();
}

/// What a picture of the tab taken at Stop (the report's thumbnail) must
/// black out: everything the policy hides, in the viewport, as the mark
/// screenshots do; nothing when this document is not recording, or is a
/// frame (the picture is of the top document, which enters its frames).
fn thumbnail_masks(cell: &RecorderCell) -> Option<TabPixels> {
    let window = web_sys::window()?;
    let top = window.top().ok().flatten()?;
    if JsValue::from(top) != JsValue::from(window.clone()) {
        return None;
    }
    let masks = cell
        .with(|r| super::mask_boxes::mask_rects(r.serializer.policy(), Some(r.serializer.dom())))?;
    Some(TabPixels {
        viewport_width: dom_reads::viewport(&window).w as f64,
        boxes: Vec::new(),
        masks: masks.into_iter().map(|m| [m.x, m.y, m.w, m.h]).collect(),
    })
}

/// Stop recording this document: take the last mutations, remove every
/// listener, and return every chunk not yet acknowledged, as JSON texts.
/// Then let the loader drop this instance.
pub fn stop(cell: &RecorderCell) -> js_sys::Array {
    let chunks = js_sys::Array::new();
    super::marker::stop();
    let listeners = LISTENERS.with(|slot| slot.borrow_mut().take());
    let Some(mut recorder) = cell.take() else {
        if !STARTING.with(|s| s.get()) {
            let_go();
        }
        return chunks;
    };
    super::snapshot::complete_now(&mut recorder);
    recorder.observer = None;
    if let Some(listeners) = listeners {
        listeners.remove(&mut recorder);
    }
    for text in recorder.outbox.drain_all() {
        chunks.push(&text);
    }
    // The page hook keeps the pre-roll again until the next Start.
    if let Some(window) = web_sys::window() {
        let _ = window.post_message(&signal_message(WindowSignal::RecorderStopped), "*");
    }
    let_go();
    chunks
}
