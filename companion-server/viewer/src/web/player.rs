//! The replay's clock and controls: play/pause, the seekable timeline, and
//! the console and network entries that follow (and drive) the replay.

use std::cell::RefCell;
use std::rc::Rc;

use repro_manifest::{Bundle, DomEvent};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlIFrameElement, HtmlInputElement};

use super::by_id;
use super::panels;
use super::replay::Replay;
use crate::playback::Playback;
use crate::pointer_track::PointerTrack;
use crate::timeline::{clock, ordered_events, snapshot_for};

/// The height the controls under the replay take, in CSS pixels.
const CONTROLS_HEIGHT: f64 = 110.0;
/// The replay is never shrunk below this height to fit the window.
const MIN_REPLAY_HEIGHT: f64 = 240.0;

/// Milliseconds between two steps of playback.
const TICK_MS: i32 = 50;

pub(super) struct Player {
    bundle: Bundle,
    events: Vec<DomEvent>,
    replay: Replay,
    next: usize,
    time: u64,
    interval: Option<i32>,
    entries: Vec<(u64, Element)>,
    /// Where the tester's pointer was, drawn over the replay.
    track: PointerTrack,
    pointer: HtmlElement,
    /// The replay's scale on the stage (it shrinks to fit).
    scale: Rc<std::cell::Cell<f64>>,
    /// The page the replay shows.
    page_shown: Option<u32>,
    /// Speed and inactivity for playing.
    pub(super) playback: Playback,
    pub(super) speed: u32,
    pub(super) skip_inactivity: bool,
}

/// The player, shared by the controls' event handlers.
pub(super) type Shared = Rc<RefCell<Player>>;

impl Player {
    fn page_url(&self, page: u32) -> String {
        self.bundle
            .pages
            .get(page as usize)
            .map(|p| p.url.clone())
            .unwrap_or_default()
    }

    /// Show moment `t`: rebuild from the right snapshot when going back or
    /// past a new page, else apply the events in between.
    pub(super) fn seek(&mut self, t: u64) {
        let Some(snapshot) = snapshot_for(&self.events, t) else {
            // Nothing to rebuild: the clock still runs, and the banner says why.
            self.time = t;
            self.show_time();
            show_no_snapshot();
            return;
        };
        let must_rebuild = self.next == 0 || t < self.time || snapshot >= self.next;
        if must_rebuild {
            let event = self.events[snapshot].clone();
            self.page_shown = Some(event.page());
            let url = self.page_url(event.page());
            self.replay.apply(&event, &url);
            self.next = snapshot + 1;
        }
        while let Some(event) = self.events.get(self.next) {
            if event.t() > t {
                break;
            }
            let event = event.clone();
            if matches!(event, DomEvent::Snapshot { .. }) {
                self.page_shown = Some(event.page());
            }
            let url = self.page_url(event.page());
            self.replay.apply(&event, &url);
            self.next += 1;
        }
        self.time = t;
        self.show_time();
        self.show_pointer();
    }

    /// Draw the pointer where it was (a ring just after a click), or hide it.
    fn show_pointer(&self) {
        let at = self
            .page_shown
            .and_then(|page| self.track.at(self.time, page));
        let Some(at) = at else {
            self.pointer.set_hidden(true);
            return;
        };
        let k = self.scale.get();
        let style = self.pointer.style();
        let _ = style.set_property("left", &format!("{}px", f64::from(at.x) * k));
        let _ = style.set_property("top", &format!("{}px", f64::from(at.y) * k));
        let _ = self
            .pointer
            .class_list()
            .toggle_with_force("clicked", at.clicked);
        self.pointer.set_hidden(false);
    }

    fn show_time(&self) {
        if let Ok(timeline) = by_id::<HtmlInputElement>("timeline") {
            timeline.set_value(&self.time.to_string());
        }
        if let Ok(label) = by_id::<Element>("clock") {
            label.set_text_content(Some(&format!(
                "{} / {}",
                clock(self.time),
                clock(self.bundle.duration_ms)
            )));
        }
        if let Ok(address) = by_id::<Element>("address") {
            let url = crate::timeline::address_at(&self.bundle, &self.events, self.time);
            address.set_text_content(Some(&url));
        }
        for (t, element) in &self.entries {
            let _ = element
                .class_list()
                .toggle_with_force("future", *t > self.time);
        }
    }
}

/// Say that the report holds no page to replay (its recorder failed or
/// captured nothing), instead of an empty frame without a word.
fn show_no_snapshot() {
    if let Ok(banner) = by_id::<HtmlElement>("viewer-error") {
        banner.set_text_content(Some(
            "This report holds no recorded page to replay: the recorder captured no snapshot. \
             Repro's note in the console list says why, where it could tell.",
        ));
        banner.set_hidden(false);
    }
}

/// Lay out the panels, show the first moment, and wire the controls; the
/// player, for the marks to drive.
pub fn start(bundle: Bundle) -> Result<Shared, JsValue> {
    let iframe: HtmlIFrameElement = by_id("replay")?;
    let stage: HtmlElement = by_id("stage")?;
    let pointer: HtmlElement = by_id("pointer")?;
    let mut replay = Replay::new(iframe.clone());
    // A bundle from a recorder that stores the page's assets: the replay
    // loads those from this server, and nothing from anywhere else.
    if bundle.format_version >= repro_manifest::ASSETS_STORED_SINCE {
        let location = web_sys::window().ok_or("no window")?.location();
        let origin = location.origin()?;
        let path = location.pathname()?;
        let report = path
            .trim_start_matches("/r/")
            .split('/')
            .next()
            .unwrap_or("");
        replay.use_stored_assets(crate::stored_assets::StoredAssets::new(
            &bundle.assets,
            &origin,
            report,
        ));
    }
    let scale = Rc::new(std::cell::Cell::new(1.0f64));
    {
        let (iframe, stage, scale) = (iframe.clone(), stage.clone(), scale.clone());
        replay.on_viewport = Box::new(move |w, h| {
            let (w, h) = (w.max(1) as f64, h.max(1) as f64);
            // The replay fits the column and, with its controls below, the
            // window's height (at 1280 × 800 the whole player is in view).
            let room_below = web_sys::window()
                .and_then(|window| window.inner_height().ok()?.as_f64())
                .map(|height| height - stage.get_bounding_client_rect().top() - CONTROLS_HEIGHT)
                .unwrap_or(f64::MAX)
                .max(MIN_REPLAY_HEIGHT);
            let k = (stage.client_width() as f64 / w)
                .min(room_below / h)
                .min(1.0);
            scale.set(k);
            let style = iframe.style();
            let _ = style.set_property("width", &format!("{w}px"));
            let _ = style.set_property("height", &format!("{h}px"));
            let _ = style.set_property("transform", &format!("scale({k})"));
            let _ = stage
                .style()
                .set_property("height", &format!("{}px", h * k));
        });
    }

    let mut entries: Vec<(u64, Element)> = Vec::new();
    let findings = repro_manifest::diagnose(&bundle);
    let finding_items = panels::diagnosis(&findings)?;
    entries.extend(findings.iter().map(|f| f.t).zip(finding_items));
    let steps = repro_manifest::steps(&bundle);
    let step_items = panels::steps(&steps)?;
    entries.extend(steps.iter().map(|s| s.t).zip(step_items));
    let console = panels::console(&bundle.console)?;
    entries.extend(bundle.console.iter().map(|e| e.t).zip(console));
    let network = panels::network(&bundle.network, bundle.duration_ms)?;
    entries.extend(bundle.network.iter().map(|e| e.t).zip(network));

    let timeline: HtmlInputElement = by_id("timeline")?;
    timeline.set_max(&bundle.duration_ms.to_string());
    let events = ordered_events(&bundle);
    let track = PointerTrack::of(&bundle);
    let playback = Playback::of(&bundle, entries.iter().map(|(t, _)| *t));
    let player: Shared = Rc::new(RefCell::new(Player {
        bundle,
        events,
        replay,
        next: 0,
        time: 0,
        interval: None,
        entries,
        track,
        pointer,
        scale,
        page_shown: None,
        playback,
        speed: 1,
        skip_inactivity: true,
    }));
    // A link to a moment (`#t=12.3`, as the issue's steps link) opens there, paused.
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let start = crate::issue_links::moment_from_hash(&hash).unwrap_or(0);
    let start = start.min(player.borrow().bundle.duration_ms);
    player.borrow_mut().seek(start);

    wire_timeline(&player, &timeline)?;
    wire_play_button(&player)?;
    wire_entries(&player)?;
    wire_filters()?;
    super::timeline_ticks::draw(&player.borrow().bundle, &player.borrow().playback)?;
    Ok(player)
}

/// The bundle being replayed.
/// Fit the replay to its stage again.
pub(super) fn refit(player: &Shared) {
    player.borrow().replay.refit();
}

pub(super) fn bundle(player: &Shared) -> Bundle {
    player.borrow().bundle.clone()
}

pub(super) fn listen(
    target: &web_sys::EventTarget,
    kind: &str,
    f: impl FnMut(web_sys::Event) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

fn wire_timeline(player: &Shared, timeline: &HtmlInputElement) -> Result<(), JsValue> {
    let player = player.clone();
    let input = timeline.clone();
    listen(timeline, "input", move |_| {
        if let Ok(t) = input.value().parse::<u64>() {
            seek_to(&player, t);
        }
    })
}

/// Stop playing; the address names the moment shown (`#t=`).
pub(super) fn pause(player: &Shared) {
    let interval = player.borrow_mut().interval.take();
    if let (Some(handle), Some(window)) = (interval, web_sys::window()) {
        window.clear_interval_with_handle(handle);
    }
    if let Ok(button) = by_id::<Element>("play") {
        button.set_text_content(Some("Play"));
    }
    super::moment_link::remember_moment(player.borrow().time);
}

/// Go to moment `t`, paused (a click on the timeline, an entry, a key).
pub(super) fn seek_to(player: &Shared, t: u64) {
    let t = t.min(player.borrow().bundle.duration_ms);
    player.borrow_mut().seek(t);
    pause(player);
}

/// The recording's length, in ms.
pub(super) fn duration(player: &Shared) -> u64 {
    player.borrow().bundle.duration_ms
}

/// The moment shown, in ms.
pub(super) fn time(player: &Shared) -> u64 {
    player.borrow().time
}

/// Playing or paused?
pub(super) fn is_playing(player: &Shared) -> bool {
    player.borrow().interval.is_some()
}

/// Play if paused, pause if playing.
pub(super) fn toggle(player: &Shared) {
    if is_playing(player) {
        pause(player);
    } else {
        let _ = play(player);
    }
}

fn play(player: &Shared) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    {
        let mut p = player.borrow_mut();
        if p.time >= p.bundle.duration_ms {
            p.seek(0);
        }
    }
    let ticking = player.clone();
    let tick = Closure::<dyn FnMut()>::new(move || {
        let done = {
            let mut p = ticking.borrow_mut();
            let t = p
                .playback
                .advance(p.time, TICK_MS as u64, p.speed, p.skip_inactivity);
            p.seek(t);
            t >= p.bundle.duration_ms
        };
        if done {
            pause(&ticking);
        }
    });
    let handle = window.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        TICK_MS,
    )?;
    tick.forget();
    player.borrow_mut().interval = Some(handle);
    by_id::<Element>("play")?.set_text_content(Some("Pause"));
    Ok(())
}

fn wire_play_button(player: &Shared) -> Result<(), JsValue> {
    let player = player.clone();
    listen(
        &by_id::<web_sys::EventTarget>("play")?,
        "click",
        move |_| toggle(&player),
    )
}

/// A click on a finding, a step, a console or a network entry seeks the
/// replay to its time; its link button copies a link to that moment.
fn wire_entries(player: &Shared) -> Result<(), JsValue> {
    let entries: Vec<(u64, Element)> = player.borrow().entries.clone();
    for (t, element) in entries {
        let player = player.clone();
        listen(&element, "click", move |_| seek_to(&player, t))?;
        super::moment_link::add_copy_button(&element, t)?;
    }
    Ok(())
}

/// The level/kind filters and search boxes of the console and network lists.
fn wire_filters() -> Result<(), JsValue> {
    for (list, kind, select, search) in [
        ("console", "console", "console-level", "console-search"),
        ("network", "network", "network-filter", "network-search"),
    ] {
        let refresh = move |_: web_sys::Event| {
            let filter = by_id::<web_sys::HtmlSelectElement>(select)
                .map(|s| s.value())
                .unwrap_or_default();
            let text = by_id::<HtmlInputElement>(search)
                .map(|s| s.value())
                .unwrap_or_default();
            let _ = panels::apply_filters(list, kind, &filter, &text);
        };
        listen(&by_id::<web_sys::EventTarget>(select)?, "change", refresh)?;
        listen(&by_id::<web_sys::EventTarget>(search)?, "input", refresh)?;
    }
    Ok(())
}
