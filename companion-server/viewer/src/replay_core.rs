//! The replay, written once over a small DOM trait ([`ReplayTarget`],
//! in `replay_target`): rebuilding a snapshot, applying mutations, inputs
//! and scrolls. The
//! viewer implements the trait over the sandboxed iframe's document
//! (`web::replay`); the tests implement it over the recorder's in-memory
//! DOM, so a page can be walked, changed, replayed and compared with what
//! it became, natively (`tests/round_trip.rs`).
//!
//! Every attribute passes [`crate::replay_rules::replayable`] here,
//! whatever the recorder did, because a bundle can be forged; scripts come
//! back as inert comments that keep their ids.

use std::collections::HashMap;

use repro_manifest::markup::STAND_IN_TAG;
use repro_manifest::{
    DomEvent, NodeData, NodeRecord, ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE, HOVER_ATTRIBUTE,
    INLINED_CSS_ATTRIBUTE, MODAL_DIALOG_ATTRIBUTE, OPEN_POPOVER_ATTRIBUTE,
};

use crate::canvas_boxes::{CanvasBoxes, CANVAS_ID_ATTRIBUTE};
use crate::element_states::css_with_states;
use crate::head_rules::furnish_head;
use crate::pixel_frames::PixelFrames;
use crate::replay_rules::replayable;
pub use crate::replay_target::{attribute_namespace, ReplayTarget};
use crate::state_marks::StateMarks;
use crate::stored_assets::StoredAssets;

/// What the page around the replay must show for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The recorded viewport is this size.
    Viewport(u32, u32),
    /// A click landed here, in page pixels.
    Click(i32, i32),
}

/// A replay into a [`ReplayTarget`]: the node of every recorded id.
pub struct Replayer<T: ReplayTarget> {
    target: T,
    nodes: HashMap<u32, T::Node>,
    base_url: String,
    /// The replayed head, where the replay's own rules go.
    head: Option<T::Node>,
    /// A frame document's URL (what its relative URLs mean), by the id of
    /// the frame document and of its `html` element.
    frame_urls: HashMap<u32, String>,
    /// The replay's own rules for canvas boxes, once a canvas came.
    canvas_style: Option<T::Node>,
    /// Selects whose value comes once their options are in (end of a
    /// snapshot or of a batch).
    pending_selects: Vec<(T::Node, String)>,
    canvases: CanvasBoxes,
    /// The pixels each canvas and video shows now.
    pixels: PixelFrames,
    /// What holds the sheets each shadow root and the page's document
    /// adopted (by the root's or the document's id): a `<style>` inside the
    /// root, or last in the head; `None` until one is needed.
    adopted_styles: HashMap<u32, Option<T::Node>>,
    /// The page's document's id.
    document_id: Option<u32>,
    /// The elements the pointer and the focus are on, as marked.
    states: StateMarks<T::Node>,
    /// The page assets the report stores, when it stores them: the replay
    /// loads those from the server and nothing from anywhere else.
    assets: Option<StoredAssets>,
}

/// The form controls whose value a replay sets.
fn is_control(tag: &str) -> bool {
    matches!(tag, "input" | "textarea" | "select")
}

impl<T: ReplayTarget> Replayer<T> {
    /// A replay into `target`.
    pub fn new(target: T) -> Self {
        Replayer {
            target,
            nodes: HashMap::new(),
            base_url: String::new(),
            head: None,
            frame_urls: HashMap::new(),
            canvas_style: None,
            canvases: CanvasBoxes::default(),
            pixels: PixelFrames::default(),
            pending_selects: Vec::new(),
            adopted_styles: HashMap::new(),
            document_id: None,
            states: StateMarks::default(),
            assets: None,
        }
    }

    /// Load the page's assets from the server's copies in `assets`, and
    /// nothing from any other host.
    pub fn use_stored_assets(&mut self, assets: StoredAssets) {
        self.assets = Some(assets);
    }

    /// What relative URLs mean in a document at `frame_url` (a frame
    /// document's, when known), else in the page's.
    fn base<'a>(&'a self, frame_url: Option<&'a str>) -> &'a str {
        match frame_url {
            Some(url) if !url.is_empty() => url,
            _ => &self.base_url,
        }
    }

    /// The URL of the frame document node `id` is in, if it is in one
    /// (cloned only then: a frame's nodes are few).
    fn frame_url_of(&self, id: u32) -> Option<String> {
        self.frame_urls.get(&id).cloned()
    }

    /// A stylesheet's text as the replay uses it (in a document at
    /// `frame_url`, see [`Self::base`]): its stored assets from the server,
    /// its states as the replay marks them.
    fn replay_css(&self, css: &str, frame_url: Option<&str>) -> String {
        match &self.assets {
            Some(assets) => css_with_states(&assets.css(css, self.base(frame_url))),
            None => css_with_states(css),
        }
    }

    /// The document being built.
    pub fn target(&self) -> &T {
        &self.target
    }

    /// The node replayed for recorded id `id`.
    pub fn node(&self, id: u32) -> Option<&T::Node> {
        self.nodes.get(&id)
    }

    /// Apply one event of a page recorded at `page_url`.
    pub fn apply(&mut self, event: &DomEvent, page_url: &str) -> Option<Effect> {
        match event {
            DomEvent::Snapshot {
                nodes,
                viewport,
                scroll,
                ..
            } => {
                self.rebuild(nodes, page_url);
                self.choose_pending_options();
                self.target.scroll(None, scroll.0, scroll.1);
                Some(Effect::Viewport(viewport.w, viewport.h))
            }
            DomEvent::Mutation {
                removes,
                adds,
                attrs,
                texts,
                ..
            } => {
                for id in removes {
                    if let Some(node) = self.nodes.remove(id) {
                        self.target.remove(&node);
                    }
                    self.canvases.forget(*id);
                    self.pixels.forget(*id);
                }
                for record in adds {
                    self.insert(record);
                }
                for change in attrs {
                    // A shadow root's or the document's adopted sheets, changed.
                    if change.name == INLINED_CSS_ATTRIBUTE
                        && self.adopted_styles.contains_key(&change.id)
                    {
                        let css = change.value.as_deref().unwrap_or_default();
                        self.set_adopted_css(change.id, css);
                        continue;
                    }
                    let Some(element) = self.element(change.id) else {
                        continue;
                    };
                    if change.name == MODAL_DIALOG_ATTRIBUTE {
                        self.set_modal(&element, change.value.is_some());
                        continue;
                    }
                    if change.name == OPEN_POPOVER_ATTRIBUTE {
                        self.show_popover(&element, change.value.is_some());
                        continue;
                    }
                    if [HOVER_ATTRIBUTE, ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE]
                        .contains(&change.name.as_str())
                    {
                        self.states.change(
                            &mut self.target,
                            &element,
                            &change.name,
                            change.value.as_deref(),
                        );
                        continue;
                    }
                    // A scripted <style>'s rules, changed: its text, whole.
                    if change.name == INLINED_CSS_ATTRIBUTE {
                        if self.target.local_name(&element).as_deref() == Some("style") {
                            let css = change.value.as_deref().unwrap_or_default();
                            let css = self.replay_css(css, self.frame_url_of(change.id).as_deref());
                            self.target.set_text(&element, &css);
                        }
                        continue;
                    }
                    match &change.value {
                        Some(value) => {
                            let frame_url = self.frame_url_of(change.id);
                            self.set_attribute(&element, &change.name, value, frame_url.as_deref())
                        }
                        None => self.target.remove_attribute(
                            &element,
                            attribute_namespace(&change.name),
                            &change.name,
                        ),
                    }
                    if self.canvases.holds(change.id)
                        && matches!(change.name.as_str(), "width" | "height")
                    {
                        self.size_canvas(change.id, &element);
                    }
                    let value = change.value.as_deref().unwrap_or_default();
                    if let Some((name, value)) =
                        self.pixels.after_change(change.id, &change.name, value)
                    {
                        self.target.set_attribute(&element, None, name, &value);
                    }
                }
                for change in texts {
                    if let Some(node) = self.nodes.get(&change.id) {
                        match self.is_style_text(node) {
                            true => {
                                let frame_url = self.frame_url_of(change.id);
                                let css = self.replay_css(&change.text, frame_url.as_deref());
                                self.target.set_text(node, &css);
                            }
                            false => self.target.set_text(node, &change.text),
                        }
                    }
                }
                self.choose_pending_options();
                None
            }
            DomEvent::Input {
                id, value, checked, ..
            } => {
                let element = self.element(*id)?;
                let tag = self.target.local_name(&element)?;
                if let (true, Some(value)) = (is_control(&tag), value) {
                    self.target.set_value(&element, value);
                }
                if let (true, Some(checked)) = (tag == "input", checked) {
                    self.target.set_checked(&element, *checked);
                }
                None
            }
            DomEvent::Scroll { id, x, y, .. } => {
                let element = self.element(*id);
                self.target.scroll(element.as_ref(), *x, *y);
                None
            }
            DomEvent::Click { x, y, .. } => Some(Effect::Click(*x, *y)),
            // The address shows above the replay (`timeline::address_at`);
            // the pointer over it (`pointer_track`).
            DomEvent::Navigation { .. } | DomEvent::Pointer { .. } => None,
            DomEvent::Viewport { size, .. } => Some(Effect::Viewport(size.w, size.h)),
            DomEvent::Selection { anchor, focus, .. } => {
                // (A selection whose nodes are not replayed selects nothing.)
                let point = |p: &Option<(u32, u32)>| {
                    p.and_then(|(id, offset)| Some((self.nodes.get(&id)?.clone(), offset)))
                };
                let (anchor, focus) = (point(anchor), point(focus));
                self.target.select(
                    anchor.as_ref().map(|(node, offset)| (node, *offset)),
                    focus.as_ref().map(|(node, offset)| (node, *offset)),
                );
                None
            }
            DomEvent::Pixels { id, image, .. } => {
                let element = self.element(*id)?;
                let tag = self.target.local_name(&element)?;
                if !matches!(tag.as_str(), "canvas" | "video") {
                    return None;
                }
                let style = self.target.attribute(&element, "style");
                let video = tag == "video";
                if let Some((name, value)) = self.pixels.show(*id, image, video, style.as_deref()) {
                    self.target.set_attribute(&element, None, name, &value);
                }
                None
            }
        }
    }

    /// The element replayed for `id`, if it is one.
    fn element(&self, id: u32) -> Option<T::Node> {
        let node = self.nodes.get(&id)?;
        self.target.local_name(node).map(|_| node.clone())
    }

    fn rebuild(&mut self, nodes: &[NodeRecord], page_url: &str) {
        self.nodes.clear();
        self.head = None;
        self.canvas_style = None;
        self.canvases = CanvasBoxes::default();
        self.pixels = PixelFrames::default();
        self.adopted_styles.clear();
        self.document_id = None;
        self.states.clear();
        self.base_url = page_url.to_string();
        // A page without a doctype lays out in quirks mode: so does its replay.
        let standards = nodes
            .iter()
            .any(|record| matches!(record.data, NodeData::Doctype { .. }));
        if !self.target.fresh_document(standards) {
            return;
        }
        for record in nodes {
            self.insert(record);
        }
    }

    /// Set attribute `name` of `element` (in a document at `base`), if
    /// the replay allows it, its stored assets pointed at the server.
    fn set_attribute(
        &mut self,
        element: &T::Node,
        name: &str,
        value: &str,
        frame_url: Option<&str>,
    ) {
        let Some(tag) = self.target.local_name(element) else {
            return;
        };
        if !replayable(&tag, name, value) {
            return;
        }
        let mapped = self
            .assets
            .as_ref()
            .map(|assets| assets.attribute(&tag, name, value, self.base(frame_url)));
        let value = mapped.as_deref().unwrap_or(value);
        self.target
            .set_attribute(element, attribute_namespace(name), name, value);
        match (name, tag.as_str()) {
            // A select's options come after it: its choice waits for them.
            ("value", "select") => self
                .pending_selects
                .push((element.clone(), value.to_string())),
            ("value", tag) if is_control(tag) => self.target.set_value(element, value),
            ("checked", "input") => self.target.set_checked(element, true),
            _ => {}
        }
    }

    /// The node `data` describes; `frame_url`: it goes into a frame's
    /// document, whose URL that is (empty when unknown).
    fn create(&mut self, data: &NodeData, frame_url: Option<&str>) -> Option<T::Node> {
        let node = match data {
            NodeData::Document => self.target.document()?,
            NodeData::Doctype { name } => self.target.create_doctype(name)?,
            NodeData::Text { text } => self.target.create_text(text)?,
            NodeData::Comment { text } => self.target.create_comment(text)?,
            // Attached to its host or frame, never created apart (see `insert`).
            NodeData::ShadowRoot { .. } | NodeData::FrameDocument { .. } => return None,
            NodeData::Element { tag, attrs, svg } => {
                // Scripts never come back to life: an inert comment keeps the id.
                if tag.eq_ignore_ascii_case("script") {
                    return self.target.create_comment("script");
                }
                let inlined = attrs
                    .iter()
                    .find(|(n, _)| n == INLINED_CSS_ATTRIBUTE)
                    .map(|(_, v)| v.clone());
                // A linked sheet's or a scripted <style>'s rules, copied:
                // a <style> holding them.
                if let (Some(css), "link" | "style") = (&inlined, tag.as_str()) {
                    let style = self.target.create_element("style", false)?;
                    // A <style> keeps its attributes; of a link's, only its media apply.
                    for (name, value) in attrs {
                        if tag == "style" || name == "media" {
                            self.set_attribute(&style, name, value, frame_url);
                        }
                    }
                    let css = self.replay_css(css, frame_url);
                    self.target.set_text(&style, &css);
                    return Some(style);
                }
                // A name this browser will not create still keeps its content.
                let element = self
                    .target
                    .create_element(tag, *svg)
                    .or_else(|| self.target.create_element(STAND_IN_TAG, *svg))?;
                for (name, value) in attrs {
                    self.set_attribute(&element, name, value, frame_url);
                }
                if tag == "head" {
                    // Relative URLs resolve against the recorded page (or
                    // frame document).
                    let base_url = match frame_url {
                        Some(url) if !url.is_empty() => url,
                        _ => self.base_url.as_str(),
                    };
                    let policy = self.assets.as_ref().map(StoredAssets::policy);
                    furnish_head(&mut self.target, &element, policy.as_deref(), base_url);
                    // The page's own head (not a frame's) holds the replay's rules.
                    if frame_url.is_none() {
                        self.head = Some(element.clone());
                    }
                }
                element
            }
        };
        Some(node)
    }

    fn insert(&mut self, record: &NodeRecord) {
        if let NodeData::ShadowRoot { css } = &record.data {
            self.attach_shadow(record.id, record.parent, css);
            return;
        }
        if let NodeData::FrameDocument { quirks, url } = &record.data {
            let frame = self.nodes.get(&record.parent).cloned();
            if let Some(document) = frame.and_then(|f| self.target.frame_document(&f, !quirks)) {
                self.nodes.insert(record.id, document);
                self.frame_urls.insert(record.id, url.clone());
            }
            return;
        }
        let frame_url = self.frame_urls.get(&record.parent).cloned();
        // A stylesheet's text says the states as the replay marks them.
        let created = match &record.data {
            NodeData::Text { text } if self.is_style(record.parent) => {
                let css = self.replay_css(text, frame_url.as_deref());
                self.target.create_text(&css)
            }
            data => self.create(data, frame_url.as_deref()),
        };
        let Some(node) = created else {
            return;
        };
        // Every node of a frame's document knows the document's URL.
        if let Some(url) = frame_url {
            self.frame_urls.insert(record.id, url);
        }
        if matches!(record.data, NodeData::Document) {
            self.document_id = Some(record.id);
            self.adopted_styles.insert(record.id, None);
        } else {
            let Some(parent) = self.nodes.get(&record.parent) else {
                return;
            };
            let before = record.before.and_then(|id| self.nodes.get(&id));
            if !self.target.insert(parent, &node, before) {
                return;
            }
        }
        // A modal dialog opens once it is in the document.
        if let NodeData::Element { tag, attrs, .. } = &record.data {
            if tag == "dialog" && attrs.iter().any(|(n, _)| n == MODAL_DIALOG_ATTRIBUTE) {
                self.set_modal(&node, true);
            }
            if attrs.iter().any(|(n, _)| n == OPEN_POPOVER_ATTRIBUTE) {
                self.show_popover(&node, true);
            }
        }
        if matches!(&record.data, NodeData::Element { tag, svg: false, .. } if tag == "canvas") {
            self.target
                .set_attribute(&node, None, CANVAS_ID_ATTRIBUTE, &record.id.to_string());
            self.size_canvas(record.id, &node);
        }
        self.nodes.insert(record.id, node);
    }

    /// Attach the shadow root `id` to the host `host`, its adopted
    /// stylesheets' rules in a `<style>` first in it.
    fn attach_shadow(&mut self, id: u32, host: u32, css: &str) {
        let Some(host) = self.nodes.get(&host).cloned() else {
            return;
        };
        let Some(root) = self.target.attach_shadow(&host) else {
            return;
        };
        self.nodes.insert(id, root);
        self.adopted_styles.insert(id, None);
        if !css.is_empty() {
            self.set_adopted_css(id, css);
        }
    }

    /// The sheets root `id` (a shadow root, or the page's document) adopted
    /// are now `css`.
    fn set_adopted_css(&mut self, id: u32, css: &str) {
        if let Some(Some(style)) = self.adopted_styles.get(&id) {
            let css = self.replay_css(css, self.frame_url_of(id).as_deref());
            self.target.set_text(style, &css);
            return;
        }
        let parent = match self.head.clone() {
            Some(head) if self.document_id == Some(id) => head,
            _ => match self.nodes.get(&id) {
                Some(root) if self.document_id != Some(id) => root.clone(),
                _ => return,
            },
        };
        let Some(style) = self.target.create_element("style", false) else {
            return;
        };
        let css = self.replay_css(css, self.frame_url_of(id).as_deref());
        self.target.set_text(&style, &css);
        self.target.insert(&parent, &style, None);
        self.adopted_styles.insert(id, Some(style));
    }

    /// Is `node` the text of a `<style>`?
    fn is_style_text(&self, node: &T::Node) -> bool {
        self.target.local_name(node).is_none()
            && self
                .target
                .parent(node)
                .is_some_and(|p| self.target.local_name(&p).as_deref() == Some("style"))
    }

    /// Is node `id` a `<style>`?
    fn is_style(&self, id: u32) -> bool {
        self.nodes
            .get(&id)
            .is_some_and(|node| self.target.local_name(node).as_deref() == Some("style"))
    }

    /// Choose the recorded option of the selects whose options came since.
    fn choose_pending_options(&mut self) {
        for (select, value) in std::mem::take(&mut self.pending_selects) {
            self.target.set_value(&select, &value);
        }
    }

    /// Open or close `dialog` as a modal, as the recording says.
    fn set_modal(&mut self, dialog: &T::Node, modal: bool) {
        if self.target.local_name(dialog).as_deref() != Some("dialog") {
            return;
        }
        if modal {
            self.target.show_modal(dialog);
        } else {
            self.target.close_dialog(dialog);
        }
    }

    /// Show or hide `element` as the popover it is.
    fn show_popover(&mut self, element: &T::Node, open: bool) {
        if self.target.attribute(element, "popover").is_some() {
            self.target.show_popover(element, open);
        }
    }

    /// Give canvas `id` its recorded box (see `canvas_boxes`).
    fn size_canvas(&mut self, id: u32, canvas: &T::Node) {
        let width = self.target.attribute(canvas, "width");
        let height = self.target.attribute(canvas, "height");
        if !self.canvases.note(id, width.as_deref(), height.as_deref()) {
            return;
        }
        if self.canvas_style.is_none() {
            let Some(head) = self.head.clone() else {
                return;
            };
            let Some(style) = self.target.create_element("style", false) else {
                return;
            };
            // Its rules have zero specificity: the page's own win wherever they are.
            self.target.insert(&head, &style, None);
            self.canvas_style = Some(style);
        }
        if let Some(style) = &self.canvas_style {
            let css = self.canvases.css();
            self.target.set_text(style, &css);
        }
    }
}
