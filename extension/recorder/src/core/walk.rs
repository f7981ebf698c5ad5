//! Serializing DOM nodes into flat, masked [`NodeRecord`]s, written once
//! over [`PageDom`]: the browser's DOM in the page, an in-memory tree in
//! tests.
//!
//! The walk is iterative (a page may nest thousands of levels deep) and masks
//! while it reads: a form value or a masked text never exists unmasked in a
//! record. It can stop after any batch of nodes and go on later (the
//! snapshot is walked in slices), and once the page has changed meanwhile it
//! checks each node is still where it was found.

use repro_manifest::asset_urls::{url_attribute, without_assets};
use repro_manifest::markup::{keep_attribute, recordable_tag, skip_children};
use repro_manifest::{
    MaskPolicy, NodeData, NodeRecord, INLINED_CSS_ATTRIBUTE, MODAL_DIALOG_ATTRIBUTE,
    OPEN_POPOVER_ATTRIBUTE,
};

use super::mask::{self, Control};
use super::page_dom::{NodeKind, PageDom, PolicySelector};

/// How many nodes a walk serializes between two looks at the clock.
const NODES_PER_CLOCK_CHECK: u32 = 128;

/// A node waiting for the walk.
struct Pending<N> {
    node: N,
    parent: u32,
    before: Option<u32>,
    masked: bool,
    in_shadow: bool,
}

/// Where a walk stands among the children of a recorded element.
enum Cursor<N> {
    /// Before the first child.
    Start,
    /// Inside the subtree of the child in the frame above.
    Descended,
    /// At this child, not walked yet (the walk stopped for time).
    At(N),
    /// Past this child.
    After(N),
    /// Past the element's shadow root or frame document: its own children
    /// come next.
    AfterHostedRoot,
}

/// A recorded element whose children the walk is going through, one at a
/// time: each child is read when the walk gets to it, so that no task reads
/// all the children of an element with tens of thousands of them (measured:
/// 30–50 ms in the first slice of the 100k page, when they were all read at
/// once).
struct Frame<N> {
    element: N,
    id: u32,
    /// Whether text under the element is masked.
    masked: bool,
    /// Whether the element is in a shadow tree or a frame's document (or
    /// is its root), where the walk's look at the whole subtree
    /// (`Unmatched`) did not reach.
    in_shadow: bool,
    /// What the frame's node is: an element (which may host a shadow
    /// root), a shadow root, or the document.
    hosts: Hosting,
    cursor: Cursor<N>,
}

/// What a frame's node is, as far as hosted roots (shadow roots, frame
/// documents) go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hosting {
    /// An element: its shadow root, if any, is walked before its children;
    /// `custom`: a custom element (its name has a hyphen).
    Element { custom: bool },
    /// An `<iframe>`: the document it shows is walked before its children.
    Frame,
    /// A shadow root or a frame's document: once walked, its host's
    /// children follow.
    HostedRoot,
    /// The document.
    Neither,
}

/// Which selectors no element of a walk's subtree matched when the walk
/// began: asked once of the whole subtree, which spares two matches per
/// element while the page has not changed since.
#[derive(Clone, Copy, Default)]
struct Unmatched {
    block: bool,
    mask: bool,
}

/// A walk over a subtree that can stop and go on later: the nodes still to
/// visit and the records made so far.
pub struct Walk<D: PageDom> {
    /// The root, until the walk has been to it.
    root: Option<Pending<D::Node>>,
    /// The recorded elements whose children are being walked, outermost first.
    frames: Vec<Frame<D::Node>>,
    /// Asked when the walk first runs.
    unmatched: Option<Unmatched>,
    /// Records made so far, in document order.
    pub records: Vec<NodeRecord>,
    /// Check that each node is still under the parent it was found under
    /// (set once the page changed while the walk was paused).
    pub verify_parents: bool,
    /// The nodes the page added since the walk began: left to the records
    /// that added them, which place them among their siblings.
    added_since: Option<D::NodeSet>,
}

impl<D: PageDom> Walk<D> {
    /// A walk of `root` and its subtree; `root` goes under `parent` before
    /// `before`, and `masked` says whether text under `root`'s parent is masked.
    pub fn new(root: &D::Node, parent: u32, before: Option<u32>, masked: bool) -> Self {
        Walk {
            root: Some(Pending {
                node: root.clone(),
                parent,
                before,
                masked,
                in_shadow: false,
            }),
            frames: Vec::new(),
            records: Vec::new(),
            unmatched: None,
            verify_parents: false,
            added_since: None,
        }
    }

    /// The page changed while the walk waited, adding `added`: from now on
    /// each node is checked, and the added nodes are left to the records
    /// that added them.
    pub fn page_changed(&mut self, dom: &D, added: impl IntoIterator<Item = D::Node>) {
        self.verify_parents = true;
        let set = self.added_since.get_or_insert_with(|| dom.new_set());
        for node in added {
            dom.add_to_set(set, &node);
        }
    }
}

/// Gives nodes their ids and serializes them under a masking policy.
pub struct NodeSerializer<D: PageDom> {
    dom: D,
    next_id: u32,
    policy: MaskPolicy,
    /// The shadow roots and frame documents recorded since the last
    /// [`Self::take_hosted_roots`]: the browser observes each for changes.
    hosted_roots: Vec<D::Node>,
}

impl<D: PageDom> NodeSerializer<D> {
    /// A serializer over `dom` whose first node (the document) gets id 1.
    pub fn new(dom: D, policy: MaskPolicy) -> Self {
        NodeSerializer {
            dom,
            next_id: 1,
            policy,
            hosted_roots: Vec::new(),
        }
    }

    /// The shadow roots and frame documents recorded since the last call.
    pub fn take_hosted_roots(&mut self) -> Vec<D::Node> {
        std::mem::take(&mut self.hosted_roots)
    }

    /// The DOM it reads.
    pub fn dom(&self) -> &D {
        &self.dom
    }

    /// The DOM it reads, to change (tests change an in-memory page between
    /// two slices of a walk, as a page's scripts do).
    pub fn dom_mut(&mut self) -> &mut D {
        &mut self.dom
    }

    /// The policy this serializer masks with.
    pub fn policy(&self) -> &MaskPolicy {
        &self.policy
    }

    /// The id of a recorded node.
    pub fn id_of(&self, node: &D::Node) -> Option<u32> {
        self.dom.id_of(node)
    }

    /// Forget a node (it left the document); a re-added node gets a new id.
    pub fn forget(&self, node: &D::Node) {
        self.dom.forget_id(node);
    }

    /// How many ids were given so far.
    pub fn ids_given(&self) -> u32 {
        self.next_id - 1
    }

    /// An id for a node this serializer does not read itself (one of a
    /// frame of another origin, relayed: `frame_relay`).
    pub fn reserve_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn assign(&mut self, node: &D::Node) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        self.dom.set_id(node, id);
        id
    }

    /// Is `text` a `<style>`'s? A stylesheet is the page's design, not
    /// its content: masked regions and "mask all text" keep it (free text
    /// masking still hides what looks like a secret), or the replay would
    /// lose the region's styles.
    fn is_style_text(&self, text: &D::Node) -> bool {
        self.dom
            .parent(text)
            .is_some_and(|parent| self.is_style(&parent))
    }

    fn is_style(&self, node: &D::Node) -> bool {
        self.dom.kind(node) == NodeKind::Element && self.dom.element_name(node).0 == "style"
    }

    /// Are the images of `element` hidden: is it in a masked region (or
    /// masked itself)? `text_masked`: whether text under its parent is
    /// masked, which outside "mask all text" says the region's part.
    /// Such images' addresses are not recorded, so neither is the image
    /// stored with the report.
    pub fn masks_images_of(&self, element: &D::Node, text_masked: bool) -> bool {
        if self.policy.mask_all_text {
            // All text is masked, images are not: only a masked region's.
            return self
                .dom
                .inside_or_fails_closed(element, PolicySelector::Mask);
        }
        text_masked
            || self
                .dom
                .matches_or_fails_closed(element, PolicySelector::Mask)
    }

    /// Is text under `parent` masked (by the policy, a mask selector, or
    /// as editable content)? Under a shadow root or a frame's document, as
    /// under its host or frame element. Never a `<style>`'s text.
    pub fn masks_text_under(&self, parent: Option<&D::Node>) -> bool {
        let masks = self.masks_text_under_any(parent);
        masks && !parent.is_some_and(|p| self.is_style(p))
    }

    fn masks_text_under_any(&self, parent: Option<&D::Node>) -> bool {
        if self.policy.mask_all_text {
            return true;
        }
        let Some(parent) = parent else { return false };
        let host;
        let element = match self.dom.kind(parent) {
            NodeKind::Element => parent,
            NodeKind::ShadowRoot | NodeKind::FrameDocument => match self.dom.parent(parent) {
                Some(found) => {
                    host = found;
                    &host
                }
                None => return false,
            },
            _ => return false,
        };
        // A list fails to parse when either part does: closed, as either would.
        let selector = match self.policy.mask_all_inputs {
            true => PolicySelector::MaskOrEditable,
            false => PolicySelector::Mask,
        };
        self.dom.inside_or_fails_closed(element, selector)
    }

    /// Serialize `root` and its subtree into records, in document order;
    /// `root` goes under `parent` before `before`, and `masked` says whether
    /// text under `root`'s parent is masked.
    pub fn subtree_records(
        &mut self,
        root: &D::Node,
        parent: u32,
        before: Option<u32>,
        masked: bool,
    ) -> Vec<NodeRecord> {
        let mut walk = Walk::new(root, parent, before, masked);
        self.walk_until(&mut walk, &mut || false);
        walk.records
    }

    /// Go on with `walk` until it is done (`true`) or `out_of_time` says to
    /// stop (`false`); `out_of_time` is asked every [`NODES_PER_CLOCK_CHECK`]
    /// nodes, so `|| true` walks one batch of that many.
    pub fn walk_until(
        &mut self,
        walk: &mut Walk<D>,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        if walk.unmatched.is_none() {
            walk.unmatched = walk.root.as_ref().map(|root| Unmatched {
                block: self.dom.none_under(&root.node, PolicySelector::Block),
                mask: self.dom.none_under(&root.node, PolicySelector::Mask),
            });
        }
        // Once the page has changed, an element may match that did not.
        let unmatched = match walk.verify_parents {
            true => Unmatched::default(),
            false => walk.unmatched.unwrap_or_default(),
        };
        if let Some(root) = walk.root.take() {
            // A root the page moved away from its parent while the walk
            // waited is left to the mutation records of the move.
            if !(walk.verify_parents
                && root.parent != 0
                && !self.still_under(&root.node, root.parent))
            {
                self.visit(walk, root, unmatched);
            }
        }
        let mut since_check = 0;
        while let Some(frame) = walk.frames.last_mut() {
            let cursor = std::mem::replace(&mut frame.cursor, Cursor::Descended);
            // A child the page moved away while the walk waited leaves no
            // way on from it: go through the children again from the first,
            // passing those recorded or added since.
            let next = match cursor {
                Cursor::At(child) | Cursor::After(child)
                    if walk.verify_parents && !self.still_under(&child, frame.id) =>
                {
                    self.first_walked_child(&frame.element, frame.hosts)
                }
                Cursor::Start => self.first_walked_child(&frame.element, frame.hosts),
                Cursor::At(child) => Some(child),
                // A host's shadow root comes first, then its own children.
                Cursor::AfterHostedRoot => self.dom.first_child(&frame.element),
                Cursor::After(child)
                    if walk.verify_parents
                        && matches!(
                            self.dom.kind(&child),
                            NodeKind::ShadowRoot | NodeKind::FrameDocument
                        ) =>
                {
                    self.dom.first_child(&frame.element)
                }
                Cursor::After(child) => self.dom.next_sibling(&child),
                Cursor::Descended => {
                    unreachable!("a frame's cursor is reset when the frame above it closes")
                }
            };
            let Some(node) = next else {
                let done = walk.frames.pop();
                if let (Some(outer), Some(done)) = (walk.frames.last_mut(), done) {
                    outer.cursor = match done.hosts {
                        Hosting::HostedRoot => Cursor::AfterHostedRoot,
                        _ => Cursor::After(done.element),
                    };
                }
                continue;
            };
            since_check += 1;
            if since_check == NODES_PER_CLOCK_CHECK {
                since_check = 0;
                if out_of_time() {
                    frame.cursor = Cursor::At(node);
                    return false;
                }
            }
            // A node recorded already (moved here from a part the walk had
            // passed), or one the page added since the walk began, is left
            // to the records of the page's changes.
            if walk.verify_parents
                && (self.id_of(&node).is_some()
                    || walk
                        .added_since
                        .as_ref()
                        .is_some_and(|added| self.dom.set_has(added, &node)))
            {
                frame.cursor = Cursor::After(node);
                continue;
            }
            let pending = Pending {
                node,
                parent: frame.id,
                before: None,
                masked: frame.masked,
                in_shadow: frame.in_shadow,
            };
            self.visit(walk, pending, unmatched);
        }
        true
    }

    /// The first node the walk goes to under `node`: an element's shadow
    /// root or a frame's document, else its first child.
    fn first_walked_child(&self, node: &D::Node, hosts: Hosting) -> Option<D::Node> {
        match hosts {
            Hosting::Element { custom } => self.dom.shadow_root(node, custom),
            Hosting::Frame => self.dom.frame_document(node),
            _ => None,
        }
        .or_else(|| self.dom.first_child(node))
    }

    /// Record `pending`'s node, and open a frame for its children if they
    /// are walked; otherwise the walk goes on past it.
    fn visit(&mut self, walk: &mut Walk<D>, pending: Pending<D::Node>, unmatched: Unmatched) {
        let Pending {
            node,
            parent,
            before,
            masked,
            in_shadow,
        } = pending;
        let kind = self.dom.kind(&node);
        let hosted_root = matches!(kind, NodeKind::ShadowRoot | NodeKind::FrameDocument);
        let in_shadow = in_shadow || hosted_root;
        // A selector's absence from the subtree was asked of the document's
        // tree only: in a shadow tree each element is matched.
        let unmatched = match in_shadow {
            true => Unmatched::default(),
            false => unmatched,
        };
        let described = self.describe(&node, kind, masked, unmatched);
        let Some((data, children_masked, walk_children)) = described else {
            if let Some(frame) = walk.frames.last_mut() {
                frame.cursor = Cursor::After(node);
            }
            return;
        };
        let id = self.assign(&node);
        if hosted_root {
            self.hosted_roots.push(node.clone());
        }
        walk.records.push(NodeRecord {
            id,
            parent,
            before,
            data,
        });
        if walk_children {
            let hosts = match &walk.records[walk.records.len() - 1].data {
                NodeData::Element {
                    tag, svg: false, ..
                } if tag == "iframe" => Hosting::Frame,
                NodeData::Element { tag, .. } => Hosting::Element {
                    custom: tag.contains('-'),
                },
                NodeData::ShadowRoot { .. } | NodeData::FrameDocument { .. } => Hosting::HostedRoot,
                _ => Hosting::Neither,
            };
            walk.frames.push(Frame {
                element: node,
                id,
                masked: children_masked,
                in_shadow,
                hosts,
                cursor: Cursor::Start,
            });
        } else if let Some(frame) = walk.frames.last_mut() {
            frame.cursor = Cursor::After(node);
        }
    }

    /// Is `node` still a child of the recorded node `parent`?
    pub fn still_under(&self, node: &D::Node, parent: u32) -> bool {
        self.dom
            .parent(node)
            .and_then(|actual| self.id_of(&actual))
            .is_some_and(|actual| actual == parent)
    }

    /// What `node` (of `kind`) is: its record data, whether its children's text is masked,
    /// and whether its children are recorded at all. `None`: not recorded.
    fn describe(
        &self,
        node: &D::Node,
        kind: NodeKind,
        masked: bool,
        unmatched: Unmatched,
    ) -> Option<(NodeData, bool, bool)> {
        match kind {
            NodeKind::Element => Some(self.describe_element(node, masked, unmatched)),
            NodeKind::Text => {
                let text = self.dom.text(node);
                let text = if (masked || self.policy.mask_all_text) && !self.is_style_text(node) {
                    mask_text(&text)
                } else {
                    mask::free_text(text)
                };
                Some((NodeData::Text { text }, masked, false))
            }
            NodeKind::Comment => Some((
                NodeData::Comment {
                    text: String::new(),
                },
                masked,
                false,
            )),
            NodeKind::Doctype => Some((
                NodeData::Doctype {
                    name: self.dom.doctype_name(node),
                },
                masked,
                false,
            )),
            NodeKind::Document => Some((NodeData::Document, masked, true)),
            NodeKind::ShadowRoot => {
                let css = self.dom.adopted_css(node);
                let css = match css.is_empty() {
                    true => css,
                    false => mask::free_text(css),
                };
                Some((NodeData::ShadowRoot { css }, masked, true))
            }
            // A document in design mode is one editable region: its text is
            // masked with the inputs.
            NodeKind::FrameDocument => Some((
                NodeData::FrameDocument {
                    quirks: self.dom.quirks_mode(node),
                    url: mask::free_text(repro_manifest::mask_url(&self.dom.document_url(node))),
                },
                masked || (self.policy.mask_all_inputs && self.dom.design_mode(node)),
                true,
            )),
            NodeKind::Other => None,
        }
    }

    fn describe_element(
        &self,
        element: &D::Node,
        masked: bool,
        unmatched: Unmatched,
    ) -> (NodeData, bool, bool) {
        let (tag, svg) = self.dom.element_name(element);
        let tag = recordable_tag(tag);
        // Selectors that do not parse fail closed: blocked, masked.
        if !unmatched.block
            && self
                .dom
                .matches_or_fails_closed(element, PolicySelector::Block)
        {
            return (self.blocked_placeholder(element, tag, svg), masked, false);
        }
        let mut attrs = Vec::new();
        // Editable as `[contenteditable]:not([contenteditable=false])` says,
        // told from the names read here rather than one more match.
        let mut editable = false;
        let mut popover = false;
        // Names, then values by name: reading attribute objects costs the
        // browser's walk more than anything else (measured).
        let names = self.dom.attribute_names(element);
        let names = names.split(' ').filter(|name| !name.is_empty());
        // Asked once, of an element with an image's address only.
        let mut hides_images: Option<bool> = None;
        for name in names.take(repro_manifest::MAX_ATTRIBUTES_PER_ELEMENT) {
            // A control's current value is read below (an option's,
            // a progress bar's or a button's `value` is markup: kept).
            if name == "value" && matches!(tag.as_str(), "input" | "textarea" | "select") {
                continue;
            }
            let value = self.dom.attribute(element, name).unwrap_or_default();
            editable |= name == "contenteditable" && value != "false";
            popover |= name == "popover";
            if !keep_attribute(name, &value) {
                continue;
            }
            let value = mask::attribute_value(name, value);
            let value = match url_attribute(&tag, name) {
                Some(kind)
                    if *hides_images
                        .get_or_insert_with(|| self.masks_images_of(element, masked)) =>
                {
                    without_assets(kind, &value)
                }
                // A picture from a `blob:` URL: its pixels, while the page has them.
                // (Unless its base64 has, by chance, a secret's shape, which
                // the server would refuse the report for.)
                Some(_) if name == "src" && value.starts_with("blob:") => self
                    .dom
                    .blob_image_data(element)
                    .filter(|data| repro_manifest::pii::first(data).is_none())
                    .unwrap_or(value),
                _ => value,
            };
            attrs.push((name.to_string(), value));
        }
        if let Some(value) = self.value_of_control(element, &tag) {
            attrs.push(("value".into(), value));
        }
        if tag == "input" {
            attrs.retain(|(name, _)| name != "checked");
            if self.dom.is_checked(element) {
                attrs.push(("checked".into(), String::new()));
            }
        }
        if tag == "style" {
            if let Some(css) = self.dom.scripted_style_rules(element) {
                attrs.push((INLINED_CSS_ATTRIBUTE.into(), mask::free_text(css)));
            }
        }
        // A drawing or a film: its pixels, unless its region hides images.
        if matches!(tag.as_str(), "canvas" | "video")
            && !svg
            && !*hides_images.get_or_insert_with(|| self.masks_images_of(element, masked))
        {
            self.dom.note_pixel_source(element);
        }
        if tag == "dialog" && self.dom.is_modal(element) {
            attrs.push((MODAL_DIALOG_ATTRIBUTE.into(), String::new()));
        }
        if popover && self.dom.is_popover_open(element) {
            attrs.push((OPEN_POPOVER_ATTRIBUTE.into(), String::new()));
        }
        if tag == "link" && is_stylesheet_link(self.dom.attribute(element, "rel")) {
            if let Some((css, url)) = self.dom.linked_stylesheet(element) {
                // Its `url()`s mean "next to the stylesheet", not next to
                // the page the copy is replayed in.
                let css = match url {
                    Some(url) => repro_manifest::css_urls::absolutize(&css, &url),
                    None => css,
                };
                attrs.push((INLINED_CSS_ATTRIBUTE.into(), mask::free_text(css)));
            }
        }
        let children_masked = masked
            || self.policy.mask_all_text
            || (!unmatched.mask
                && self
                    .dom
                    .matches_or_fails_closed(element, PolicySelector::Mask))
            || (self.policy.mask_all_inputs && (tag == "textarea" || editable));
        let walk = !skip_children(&tag);
        (NodeData::Element { tag, attrs, svg }, children_masked, walk)
    }

    /// The value of `element`'s attribute `name` (unmasked).
    pub fn attribute(&self, element: &D::Node, name: &str) -> Option<String> {
        self.dom.attribute(element, name)
    }

    /// The masked current value of a form control, `None` for other elements.
    pub fn control_value(&self, element: &D::Node) -> Option<String> {
        let (tag, _) = self.dom.element_name(element);
        self.value_of_control(element, &tag)
    }

    /// [`Self::control_value`] of an element whose local name is `tag`
    /// (elements are told apart by name, which also holds across frames).
    fn value_of_control(&self, element: &D::Node, tag: &str) -> Option<String> {
        if !matches!(tag, "input" | "textarea" | "select") {
            return None;
        }
        let autocomplete = self
            .dom
            .attribute(element, "autocomplete")
            .unwrap_or_default();
        // Joined without `format!`, whose machinery showed in profiles of
        // the walk (a page may have hundreds of controls).
        let mut name = self.dom.attribute(element, "name").unwrap_or_default();
        name.push(' ');
        name.push_str(&self.dom.element_id(element));
        let unmasked = self.dom.matches(element, PolicySelector::Unmask);
        let (input_type, value) = self.dom.control_state(element, tag);
        let control = Control {
            input_type: &input_type,
            autocomplete: &autocomplete,
            name: &name,
            unmasked,
        };
        Some(mask::control_value(&self.policy, &control, &value))
    }

    fn blocked_placeholder(&self, element: &D::Node, tag: String, svg: bool) -> NodeData {
        let (width, height) = self.dom.size(element);
        let style = format!(
            "width:{}px;height:{}px;background:#d0d0d0;display:inline-block",
            width.round(),
            height.round()
        );
        NodeData::Element {
            tag,
            attrs: vec![
                ("style".into(), style),
                ("data-repro-blocked".into(), String::new()),
            ],
            svg,
        }
    }
}

/// Does a `<link>`'s `rel` name a stylesheet?
fn is_stylesheet_link(rel: Option<String>) -> bool {
    rel.is_some_and(|rel| {
        rel.to_ascii_lowercase()
            .split_ascii_whitespace()
            .any(|r| r == "stylesheet")
    })
}

/// Mask text keeping whitespace, so that line breaks and layout hold.
pub fn mask_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_whitespace() {
                c
            } else {
                repro_manifest::MASK_CHAR
            }
        })
        .collect()
}
