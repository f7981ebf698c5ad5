//! The recorder's walk and mutation reconciliation, and the viewer's
//! replay, together and natively: an HTML fixture is read into the
//! recorder's in-memory DOM, walked into a snapshot, replayed into another
//! in-memory DOM, and compared with the page as HTML text; then the page
//! is changed the way scripts change pages, each batch of changes is
//! recorded as the browser's observer would report it, replayed, and the
//! replay compared with the page again. The browser tests check the same
//! through the real DOM; these run in milliseconds and say which change
//! broke.

use repro_manifest::markup::STAND_IN_TAG;
use repro_manifest::{DomEvent, MaskPolicy, NodeData, NodeRecord, Size};
use repro_recorder::core::native_dom::{self, mutation_event, NativeDom, NodeRef};
use repro_recorder::core::page_dom::{NodeKind, PageDom};
use repro_recorder::core::walk::NodeSerializer;
use repro_viewer::replay_core::{Effect, ReplayTarget, Replayer};
use repro_viewer::stored_assets::StoredAssets;

/// The replay's document: the recorder's in-memory DOM, built by the replay.
/// (And the selection the replay made, as node, offset, node, offset.)
struct NativeReplay(NativeDom, Option<(NodeRef, u32, NodeRef, u32)>);

impl ReplayTarget for NativeReplay {
    type Node = NodeRef;

    fn fresh_document(&mut self, _standards: bool) -> bool {
        self.0 = NativeDom::empty();
        true
    }
    fn document(&self) -> Option<NodeRef> {
        Some(self.0.document())
    }
    fn create_doctype(&mut self, name: &str) -> Option<NodeRef> {
        Some(self.0.create_doctype(name))
    }
    fn create_element(&mut self, tag: &str, svg: bool) -> Option<NodeRef> {
        Some(self.0.create_element(tag, svg))
    }
    fn create_text(&mut self, text: &str) -> Option<NodeRef> {
        Some(self.0.create_text(text))
    }
    fn create_comment(&mut self, text: &str) -> Option<NodeRef> {
        Some(self.0.create_comment(text))
    }
    fn attach_shadow(&mut self, host: &NodeRef) -> Option<NodeRef> {
        self.0.attach_shadow(*host)
    }
    fn frame_document(&mut self, frame: &NodeRef, standards: bool) -> Option<NodeRef> {
        Some(self.0.load_frame_document(*frame, !standards))
    }
    fn attribute(&self, element: &NodeRef, name: &str) -> Option<String> {
        PageDom::attribute(&self.0, element, name)
    }
    fn parent(&self, node: &NodeRef) -> Option<NodeRef> {
        self.0.parent(node)
    }
    fn local_name(&self, node: &NodeRef) -> Option<String> {
        (self.0.kind(node) == NodeKind::Element).then(|| self.0.element_name(node).0)
    }
    fn set_attribute(&mut self, element: &NodeRef, _: Option<&str>, name: &str, value: &str) {
        self.0.set_attribute(*element, name, value);
    }
    fn remove_attribute(&mut self, element: &NodeRef, _: Option<&str>, name: &str) {
        self.0.remove_attribute(*element, name);
    }
    fn insert(&mut self, parent: &NodeRef, node: &NodeRef, before: Option<&NodeRef>) -> bool {
        self.0.place(*parent, *node, before.copied());
        true
    }
    fn remove(&mut self, node: &NodeRef) {
        self.0.detach(*node);
    }
    fn set_text(&mut self, node: &NodeRef, text: &str) {
        match self.0.kind(node) {
            NodeKind::Element => {
                self.0.replace_children_with_text(*node, text);
            }
            _ => self.0.set_text(*node, text),
        }
    }
    fn set_value(&mut self, control: &NodeRef, value: &str) {
        self.0.set_value(*control, value);
    }
    fn set_checked(&mut self, input: &NodeRef, checked: bool) {
        self.0.set_checked(*input, checked);
    }
    fn show_modal(&mut self, dialog: &NodeRef) {
        self.0.set_modal(*dialog, true);
    }
    fn close_dialog(&mut self, dialog: &NodeRef) {
        self.0.set_modal(*dialog, false);
    }
    fn show_popover(&mut self, element: &NodeRef, open: bool) {
        self.0.set_popover_open(*element, open);
    }
    fn scroll(&mut self, _element: Option<&NodeRef>, _x: i32, _y: i32) {}
    fn select(&mut self, anchor: Option<(&NodeRef, u32)>, focus: Option<(&NodeRef, u32)>) {
        self.1 = anchor.zip(focus).map(|((a, ao), (f, fo))| (*a, ao, *f, fo));
    }
}

const PAGE_URL: &str = "https://shop.test/orders";
/// What the replay puts first in every head.
const NO_REFERRER: &str = "<meta name=\"referrer\" content=\"no-referrer\">";
fn head_style() -> String {
    format!("<style>{}</style>", repro_viewer::head_rules::HEAD_CSS)
}

/// A recorded page and its replay, side by side.
struct Session {
    page: NodeSerializer<NativeDom>,
    replay: Replayer<NativeReplay>,
    t: u64,
}

impl Session {
    /// Record `html` under `policy` and replay its snapshot.
    fn start(html: &str, policy: MaskPolicy) -> Session {
        let dom = NativeDom::parse(html).unwrap_or_else(|e| panic!("fixture: {e}"));
        Session::of(dom, policy)
    }

    /// Record `dom` (as a test set it up) under `policy` and replay its snapshot.
    fn of(dom: NativeDom, policy: MaskPolicy) -> Session {
        let mut page = native_dom::serializer(dom, policy);
        let document = page.dom().document();
        let nodes = page.subtree_records(&document, 0, None, false);
        let mut replay = Replayer::new(NativeReplay(NativeDom::empty(), None));
        let effect = replay.apply(&snapshot(nodes), PAGE_URL);
        assert_eq!(effect, Some(Effect::Viewport(1280, 800)));
        Session { page, replay, t: 0 }
    }

    fn dom(&mut self) -> &mut NativeDom {
        self.page.dom_mut()
    }

    fn by_id(&self, id: &str) -> NodeRef {
        self.page
            .dom()
            .by_id(id)
            .unwrap_or_else(|| panic!("no #{id} on the page"))
    }

    /// Record what changed since the last batch and replay it; the event.
    fn observe(&mut self) -> Option<DomEvent> {
        self.t += 100;
        let event = mutation_event(&mut self.page, self.t, 0)?;
        // Through the wire format, as the viewer gets it.
        let text = serde_json::to_string(&event).expect("serializable");
        let event: DomEvent = serde_json::from_str(&text).expect("readable");
        assert_eq!(self.replay.apply(&event, PAGE_URL), None);
        Some(event)
    }

    /// The replay, as HTML, without the `<meta>`, `<base>` and `<style>`
    /// the replay adds.
    fn replayed(&self) -> String {
        self.replay.target().0.html().replace(
            &format!("{NO_REFERRER}<base href=\"{PAGE_URL}\">{}", head_style()),
            "",
        )
    }

    /// The page, as HTML, with comments emptied: the recorder keeps a
    /// comment's place but never its text (it may hold anything).
    fn live(&self) -> String {
        without_comment_text(&self.page.dom().html())
    }

    #[track_caller]
    fn assert_replay_matches(&self, after: &str) {
        assert_eq!(self.replayed(), self.live(), "after {after}");
    }
}

fn without_comment_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start + 4]);
        rest = &rest[start + 4..];
        rest = rest.find("-->").map_or("", |end| &rest[end..]);
    }
    out.push_str(rest);
    out
}

fn snapshot(nodes: Vec<NodeRecord>) -> DomEvent {
    DomEvent::Snapshot {
        t: 0,
        page: 0,
        nodes,
        viewport: Size { w: 1280, h: 800 },
        scroll: (0, 0),
        took_ms: None,
    }
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_snapshot_replays_as_the_page_was() {
    let session = Session::start(&fixture("article.html"), MaskPolicy::default());
    session.assert_replay_matches("the snapshot");
    assert!(session
        .replayed()
        .contains("<linearGradient id=\"g\"></linearGradient>"));
    assert!(session
        .replayed()
        .contains("<pre id=\"code\">  two\n  lines  </pre>"));
}

#[test]
fn each_kind_of_change_replays_as_the_page_became() {
    let mut s = Session::start(&fixture("article.html"), MaskPolicy::default());

    // A subtree built apart, then inserted before a sibling.
    let list = s.by_id("list");
    let second = s.by_id("second");
    let item = s.dom().create_element("li", false);
    s.dom().set_attribute(item, "id", "new");
    let bold = s.dom().create_element("b", false);
    let text = s.dom().create_text("one and a half");
    s.dom().append(bold, text);
    s.dom().append(item, bold);
    s.dom().insert_before(list, item, second);
    let event = s.observe().expect("an insertion is recorded");
    assert!(matches!(&event, DomEvent::Mutation { adds, .. } if adds.len() == 3));
    s.assert_replay_matches("inserting a subtree before a sibling");

    // Attributes set, changed and removed.
    let status = s.by_id("status");
    s.dom().set_attribute(status, "data-state", "busy");
    s.dom().set_attribute(status, "aria-live", "polite");
    s.dom().remove_attribute(status, "data-state");
    s.observe().expect("attribute changes are recorded");
    s.assert_replay_matches("attribute changes");

    // Text changed in place, and replaced as `textContent = …` does.
    let third = s.by_id("third");
    let third_text = s.page.dom().first_child(&third).expect("its text");
    s.dom().set_text(third_text, "three!");
    s.dom().replace_children_with_text(status, "Saving…");
    s.observe().expect("text changes are recorded");
    s.assert_replay_matches("text changes");

    // A node moved, one removed.
    let first = s.by_id("first");
    s.dom().append(list, first);
    s.dom().detach(second);
    s.observe().expect("a move and a removal are recorded");
    s.assert_replay_matches("a move and a removal");

    // SVG grows a child, in its namespace and with its case.
    let chart = s.by_id("chart");
    let gradient = s.dom().create_element("radialGradient", true);
    s.dom().append(chart, gradient);
    s.observe().expect("an SVG insertion is recorded");
    s.assert_replay_matches("an SVG insertion");
    assert!(s.replayed().contains("<radialGradient></radialGradient>"));
}

#[test]
fn changes_within_one_batch_are_sent_once_in_their_final_state() {
    let mut s = Session::start(&fixture("article.html"), MaskPolicy::default());
    let main = s.by_id("main");
    let list = s.by_id("list");

    // Added then removed: nothing to send.
    let gone = s.dom().create_element("div", false);
    s.dom().append(main, gone);
    s.dom().detach(gone);
    assert_eq!(s.observe(), None, "a node added and removed is not sent");

    // Added then changed: one add, in its final state, no attribute change.
    let card = s.dom().create_element("section", false);
    s.dom().append(main, card);
    s.dom().set_attribute(card, "class", "first");
    s.dom().set_attribute(card, "class", "final");
    let Some(DomEvent::Mutation { adds, attrs, .. }) = s.observe() else {
        panic!("the section is recorded");
    };
    assert_eq!(adds.len(), 1);
    assert!(attrs.is_empty(), "its attribute rode with it: {attrs:?}");
    assert!(
        matches!(&adds[0].data, NodeData::Element { attrs, .. } if attrs == &[("class".into(), "final".into())])
    );
    s.assert_replay_matches("a node added then changed");

    // Several siblings added in one batch, in reverse order of insertion.
    let a = s.dom().create_element("li", false);
    let b = s.dom().create_element("li", false);
    let c = s.dom().create_element("li", false);
    s.dom().append(list, c);
    s.dom().insert_before(list, b, c);
    s.dom().insert_before(list, a, b);
    s.observe().expect("three items");
    s.assert_replay_matches("siblings inserted before each other");

    // One attribute changed many times: its last value, once.
    let status = s.by_id("status");
    for n in 0..5 {
        s.dom().set_attribute(status, "data-n", &n.to_string());
    }
    let Some(DomEvent::Mutation { attrs, .. }) = s.observe() else {
        panic!("the attribute is recorded");
    };
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0].value.as_deref(), Some("4"));
    s.assert_replay_matches("one attribute changed five times");
}

#[test]
fn what_the_recorder_drops_the_replay_never_shows() {
    let html = "<html><head></head><body><p id=\"p\">text</p></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let p = s.by_id("p");
    s.dom().set_attribute(p, "onclick", "steal()");
    s.dom().set_attribute(p, "title", "fine");
    let link = s.dom().create_element("a", false);
    s.dom().set_attribute(link, "href", "javascript:steal()");
    s.dom().append(p, link);
    s.observe().expect("the title and the link");
    let replayed = s.replayed();
    assert!(!replayed.contains("steal"), "{replayed}");
    assert!(replayed.contains("title=\"fine\""), "{replayed}");
}

#[test]
fn a_forged_bundle_cannot_bring_back_what_the_recorder_drops() {
    let record = |id, parent, data| NodeRecord {
        id,
        parent,
        before: None,
        data,
    };
    let element = |tag: &str, attrs: &[(&str, &str)]| NodeData::Element {
        tag: tag.into(),
        attrs: attrs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        svg: false,
    };
    let nodes = vec![
        record(1, 0, NodeData::Document),
        record(2, 1, element("html", &[])),
        record(3, 2, element("head", &[])),
        record(
            4,
            3,
            element("base", &[("HREF", "https://elsewhere.test/")]),
        ),
        record(
            5,
            3,
            element(
                "meta",
                &[
                    ("http-equiv", "refresh"),
                    ("content", "0;url=https://elsewhere.test/"),
                ],
            ),
        ),
        record(6, 2, element("body", &[("ONLOAD", "steal()")])),
        record(
            7,
            6,
            element("script", &[("src", "https://elsewhere.test/x.js")]),
        ),
        record(
            8,
            7,
            NodeData::Text {
                text: "steal()".into(),
            },
        ),
        record(
            9,
            6,
            element(
                "iframe",
                &[
                    ("srcdoc", "<script>steal()</script>"),
                    ("src", "https://elsewhere.test/"),
                ],
            ),
        ),
        record(10, 6, element("a", &[("href", " JaVaScRiPt:steal()")])),
    ];
    let mut replay = Replayer::new(NativeReplay(NativeDom::empty(), None));
    replay.apply(&snapshot(nodes), PAGE_URL);
    let html = replay.target().0.html();
    for kept_out in ["steal", "elsewhere", "refresh", "<script"] {
        assert!(!html.contains(kept_out), "{kept_out} is in {html}");
    }
    assert!(
        html.contains("<!--script-->"),
        "a script stays an inert comment: {html}"
    );
}

#[test]
fn nothing_recorded_can_loosen_the_replays_referrer_policy() {
    let html = "<html><head><meta name=\"Referrer\" content=\"unsafe-url\"></head>\
        <body><img id=\"i\" src=\"https://a.test/x.png\" referrerpolicy=\"unsafe-url\"></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let image = s.by_id("i");
    s.dom().set_attribute(image, "referrerpolicy", "origin");
    s.observe();
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.starts_with(&format!("<html><head>{NO_REFERRER}")),
        "the replay's policy comes first: {replayed}"
    );
    assert!(
        !replayed.contains("unsafe-url") && !replayed.contains("\"origin\""),
        "{replayed}"
    );
    assert_eq!(
        replayed.matches("referrer").count(),
        2,
        "only the replay's own: {replayed}"
    );
}

#[test]
fn a_canvas_keeps_its_box_in_a_replay_that_runs_no_script() {
    let html = "<html><head></head><body><canvas id=\"c\" width=\"640\" height=\"480\"><p>fallback</p></canvas></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.contains(r#"<canvas id="c" width="640" height="480" data-repro-canvas="#),
        "{replayed}"
    );
    assert!(
        replayed.contains("width: 640px; aspect-ratio: 640 / 480;"),
        "{replayed}"
    );
    assert!(
        replayed.contains(":where(canvas) > * { display: none !important; }"),
        "{replayed}"
    );
    // Resized by the page: the box follows.
    let canvas = s.by_id("c");
    s.dom().set_attribute(canvas, "width", "800");
    s.observe();
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.contains("width: 800px; aspect-ratio: 800 / 480;"),
        "{replayed}"
    );
}

#[test]
fn a_dialog_opened_as_a_modal_replays_as_a_modal() {
    let html = "<html><head></head><body><dialog id=\"d\"><p>Sure?</p></dialog></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let dialog = s.by_id("d");
    s.dom().set_modal(dialog, true);
    let Some(DomEvent::Mutation { attrs, .. }) = s.observe() else {
        panic!("opening the dialog is recorded");
    };
    let names: Vec<&str> = attrs.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["open", repro_manifest::MODAL_DIALOG_ATTRIBUTE]);
    let replayed = s.replay.node(attrs[0].id).copied().expect("the dialog");
    assert!(
        PageDom::is_modal(&s.replay.target().0, &replayed),
        "the replay opened it as a modal"
    );
    s.assert_replay_matches("opening a modal dialog");
    s.dom().set_modal(dialog, false);
    s.observe();
    assert!(!PageDom::is_modal(&s.replay.target().0, &replayed));
    s.assert_replay_matches("closing it");

    // Open from the start: the snapshot says so.
    let html =
        "<html><head></head><body><dialog id=\"d\" open=\"\"><p>Sure?</p></dialog></body></html>";
    let mut dom = NativeDom::parse(html).unwrap();
    let d = dom.by_id("d").unwrap();
    dom.set_modal(d, true);
    let Session { replay, .. } = Session::of(dom, MaskPolicy::default());
    let d = replay.target().0.by_id("d").expect("the dialog");
    assert!(PageDom::is_modal(&replay.target().0, &d));
    assert!(
        !replay.target().0.html().contains("data-repro-modal"),
        "the marker is never markup"
    );
}

#[test]
fn rules_a_script_put_in_a_style_sheet_replay() {
    // CSS-in-JS: an empty <style> whose sheet a script filled with insertRule.
    let html = "<html><head><style id=\"css-in-js\"></style></head><body><p class=\"a\">styled</p></body></html>";
    let mut dom = NativeDom::parse(html).unwrap();
    let style = dom.by_id("css-in-js").unwrap();
    dom.set_stylesheet(style, ".a { color: teal; }\n");
    let Session {
        page, mut replay, ..
    } = Session::of(dom, MaskPolicy::default());
    let html = replay.target().0.html();
    assert!(
        html.contains("<style id=\"css-in-js\">.a { color: teal; }\n</style>"),
        "{html}"
    );
    // The page adds a rule: the recorder sends the rules whole again.
    let id = page.id_of(&page.dom().by_id("css-in-js").unwrap()).unwrap();
    let change = DomEvent::Mutation {
        t: 1,
        page: 0,
        removes: vec![],
        adds: vec![],
        attrs: vec![repro_manifest::AttributeChange {
            id,
            name: repro_manifest::INLINED_CSS_ATTRIBUTE.into(),
            value: Some(".a { color: teal; }\n.b { margin: 0px; }\n".into()),
        }],
        texts: vec![],
    };
    replay.apply(&change, PAGE_URL);
    let html = replay.target().0.html();
    assert!(
        html.contains("<style id=\"css-in-js\">.a { color: teal; }\n.b { margin: 0px; }\n</style>"),
        "{html}"
    );
    assert!(!html.contains("data-repro-inlined-css"), "{html}");
}

#[test]
fn a_popover_showing_when_recorded_shows_in_the_replay() {
    let html = "<html><head></head><body><div id=\"tip\" popover=\"\">Saved</div></body></html>";
    let mut dom = NativeDom::parse(html).unwrap();
    let tip = dom.by_id("tip").unwrap();
    dom.set_popover_open(tip, true);
    let Session {
        page, mut replay, ..
    } = Session::of(dom, MaskPolicy::default());
    let tip = replay.target().0.by_id("tip").expect("the popover");
    assert!(PageDom::is_popover_open(&replay.target().0, &tip));
    assert!(!replay.target().0.html().contains("data-repro-popover-open"));
    let id = page.id_of(&page.dom().by_id("tip").unwrap()).unwrap();
    let hidden = DomEvent::Mutation {
        t: 1,
        page: 0,
        removes: vec![],
        adds: vec![],
        attrs: vec![repro_manifest::AttributeChange {
            id,
            name: repro_manifest::OPEN_POPOVER_ATTRIBUTE.into(),
            value: None,
        }],
        texts: vec![],
    };
    replay.apply(&hidden, PAGE_URL);
    assert!(!PageDom::is_popover_open(&replay.target().0, &tip));
}

#[test]
fn an_unmasked_selects_choice_replays_once_its_options_are_in() {
    let html = "<html><head></head><body><select id=\"country\" data-repro-unmask=\"\">\
        <option value=\"fr\">France</option><option value=\"de\">Germany</option></select></body></html>";
    let mut dom = NativeDom::parse(html).unwrap();
    let select = dom.by_id("country").unwrap();
    dom.set_value(select, "de");
    let Session { replay, .. } = Session::of(dom, MaskPolicy::default());
    let select = replay.target().0.by_id("country").expect("the select");
    let (_, chosen) = replay.target().0.control_state(&select, "select");
    assert_eq!(
        chosen, "de",
        "the option chosen live is chosen in the replay"
    );
}

/// A page of web components: declarative shadow roots (open and closed),
/// one inside another, slotted light children.
const COMPONENTS: &str = r#"<!DOCTYPE html><html><head><title>Parts</title></head><body>
<x-card id="card"><template shadowrootmode="open"><style>h2 { color: teal }</style><h2 id="card-title">Order 42</h2><slot name="body"></slot><x-badge id="badge"><template shadowrootmode="closed"><span id="badge-text">new</span></template></x-badge></template><p slot="body" id="light">Shipped today</p></x-card>
<div id="plain">Plain</div>
</body></html>"#;

#[test]
fn shadow_trees_replay_inside_their_hosts_and_follow_their_changes() {
    let mut s = Session::start(COMPONENTS, MaskPolicy::default());
    s.assert_replay_matches("the snapshot");
    assert!(s.replayed().contains(
        "<x-card id=\"card\"><template shadowrootmode=\"open\"><style>h2 { color: teal }</style><h2 id=\"card-title\">Order 42</h2>"
    ));

    // Changes inside a shadow tree, and inside one nested in it.
    let title = s.by_id("card-title");
    let title_text = s.page.dom().first_child(&title).expect("its text");
    s.dom().set_text(title_text, "Order 43");
    let badge_text = s.by_id("badge-text");
    s.dom().set_attribute(badge_text, "class", "hot");
    let extra = s.dom().create_element("em", false);
    let words = s.dom().create_text("priority");
    s.dom().append(extra, words);
    let card_root = s.page.dom().parent(&title).expect("the card's shadow root");
    s.dom().append(card_root, extra);
    s.observe().expect("changes in shadow trees are recorded");
    s.assert_replay_matches("changes inside shadow trees");

    // A script attaches a root to an element already recorded, and fills it.
    let plain = s.by_id("plain");
    let root = s.dom().attach_shadow(plain).expect("a div can host a root");
    let inside = s.dom().create_element("b", false);
    s.dom().append(root, inside);
    s.observe().expect("an attached root is recorded");
    s.assert_replay_matches("a root attached later");
    let late = s.dom().create_text("filled later");
    s.dom().append(inside, late);
    s.observe().expect("a change in the new root is recorded");
    s.assert_replay_matches("a change in a root attached later");

    // A new host comes with its root already attached (a custom element
    // built before it is inserted).
    let host = s.dom().create_element("x-note", false);
    let note_root = s.dom().attach_shadow(host).expect("a root");
    let note = s.dom().create_text("built apart");
    s.dom().append(note_root, note);
    let body = s.page.dom().parent(&plain).expect("the body");
    s.dom().append(body, host);
    s.observe().expect("a host with its root is recorded");
    s.assert_replay_matches("a host inserted with its root");

    // A host leaves, its shadow tree with it.
    let card = s.by_id("card");
    s.dom().detach(card);
    s.observe().expect("a removal is recorded");
    s.assert_replay_matches("a host removed");
}

#[test]
fn masking_and_blocking_reach_into_shadow_trees() {
    let html = r#"<!DOCTYPE html><html><head></head><body>
<x-account id="account" data-repro-mask=""><template shadowrootmode="closed"><span id="owner">Ada Lovelace</span></template></x-account>
<x-profile id="profile"><template shadowrootmode="open"><p id="card" data-repro-block="">4111 1111 1111 1111</p><i id="open-text">visible</i></template></x-profile>
</body></html>"#;
    let mut s = Session::start(html, MaskPolicy::default());
    let replayed = s.replayed();
    assert!(!replayed.contains("Ada"), "{replayed}");
    assert!(!replayed.contains("4111"), "{replayed}");
    assert!(replayed.contains("data-repro-blocked"), "{replayed}");
    assert!(replayed.contains("visible"), "{replayed}");

    // Text that comes later, straight under a masked host's root and
    // deeper, is masked too.
    let owner = s.by_id("owner");
    let root = s.page.dom().parent(&owner).expect("the account's root");
    let direct = s.dom().create_text("Grace Hopper");
    s.dom().append(root, direct);
    let owner_text = s.page.dom().first_child(&owner).expect("its text");
    s.dom().set_text(owner_text, "Alan Turing");
    let event = s.observe().expect("recorded");
    let text = serde_json::to_string(&event).unwrap();
    for secret in ["Grace", "Alan", "Ada"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(!s.replayed().contains("Grace"));
}

#[test]
fn a_roots_adopted_stylesheets_replay_inside_it() {
    let mut dom = NativeDom::parse(COMPONENTS).unwrap();
    let title = dom.by_id("card-title").unwrap();
    let root = dom.parent(&title).unwrap();
    dom.set_adopted_css(root, ":host { display: block; border: 1px solid red }");
    let s = Session::of(dom, MaskPolicy::default());
    assert!(s.replayed().contains(
        "<template shadowrootmode=\"open\"><style>:host { display: block; border: 1px solid red }</style><style>h2"
    ), "{}", s.replayed());
}

#[test]
fn adopted_stylesheets_changed_later_replay_in_their_root_and_in_the_document() {
    let dom = NativeDom::parse(COMPONENTS).unwrap();
    let title = dom.by_id("card-title").unwrap();
    let root = dom.parent(&title).unwrap();
    let mut s = Session::of(dom, MaskPolicy::default());
    let root_id = s.page.id_of(&root).expect("the root is recorded");
    let document = s.page.dom().document();
    let document_id = s.page.id_of(&document).expect("the document is recorded");
    let adopted = |id: u32, css: &str| DomEvent::Mutation {
        t: 1,
        page: 0,
        removes: Vec::new(),
        adds: Vec::new(),
        attrs: vec![repro_manifest::AttributeChange {
            id,
            name: repro_manifest::INLINED_CSS_ATTRIBUTE.into(),
            value: Some(css.into()),
        }],
        texts: Vec::new(),
    };
    // The recorder sends a root's or the document's adopted sheets, whole,
    // whenever the page hook says they changed.
    s.replay
        .apply(&adopted(root_id, "h2 { color: green }"), PAGE_URL);
    s.replay
        .apply(&adopted(document_id, "body { margin: 0 }"), PAGE_URL);
    let replayed = s.replayed();
    assert!(
        replayed.contains("<template shadowrootmode=\"open\"><style>h2"),
        "{replayed}"
    );
    assert!(
        replayed.contains("<style>h2 { color: green }</style></template>"),
        "{replayed}"
    );
    assert!(
        replayed.contains("<style>body { margin: 0 }</style></head>"),
        "{replayed}"
    );
    // Changed again: the same <style>, new text.
    s.replay
        .apply(&adopted(root_id, "h2 { color: blue }"), PAGE_URL);
    let replayed = s.replayed();
    assert!(replayed.contains("<style>h2 { color: blue }</style></template>"));
    assert!(!replayed.contains("green"), "{replayed}");
}

/// A page with same-origin frames, written in the fixtures' notation for a
/// frame's document (`<template framedocument>` inside the frame element).
const FRAMES: &str = r#"<!DOCTYPE html><html><head></head><body>
<iframe id="pay" title="Payment"><template framedocument><!DOCTYPE html><html><head><style>p { color: red }</style></head><body><p id="holder">Card holder</p></body></html></template></iframe>
<iframe id="legacy"><template framedocument quirks><html><head></head><body><p id="old">No doctype here</p></body></html></template></iframe>
</body></html>"#;

#[test]
fn frame_documents_replay_inside_their_frames_and_follow_their_changes() {
    let mut s = Session::start(FRAMES, MaskPolicy::default());
    s.assert_replay_matches("the snapshot");
    assert!(s.replayed().contains("<template framedocument quirks>"));

    // Changes inside a frame's document.
    let holder = s.by_id("holder");
    let holder_text = s.page.dom().first_child(&holder).expect("its text");
    s.dom().set_text(holder_text, "Name on card");
    s.dom().set_attribute(holder, "class", "label");
    let hint = s.dom().create_element("small", false);
    let body = s.page.dom().parent(&holder).expect("the frame's body");
    s.dom().append(body, hint);
    s.observe().expect("changes in a frame are recorded");
    s.assert_replay_matches("changes inside a frame");

    // The frame loads another document, which the page then fills.
    let pay = s.by_id("pay");
    let document = s.dom().load_frame_document(pay, false);
    let html = s.dom().create_element("html", false);
    let next_body = s.dom().create_element("body", false);
    let done = s.dom().create_text("Paid");
    s.dom().append(next_body, done);
    s.dom().append(html, next_body);
    s.dom().append(document, html);
    s.observe().expect("a frame's new document is recorded");
    s.assert_replay_matches("a frame that loaded another document");

    // A frame leaves.
    let legacy = s.by_id("legacy");
    s.dom().detach(legacy);
    s.observe().expect("a removal is recorded");
    s.assert_replay_matches("a frame removed");
}

#[test]
fn masking_and_blocking_reach_into_frames() {
    let html = r#"<!DOCTYPE html><html><head></head><body>
<div data-repro-mask=""><iframe id="private"><template framedocument><html><body><p id="name">Ada Lovelace</p></body></html></template></iframe></div>
<iframe id="open"><template framedocument><html><body><p data-repro-block="">4111 1111 1111 1111</p><p id="visible">visible</p></body></html></template></iframe>
<iframe id="editor"><template framedocument designmode="on"><html><body id="editor-body">Dear Alan Turing</body></html></template></iframe>
</body></html>"#;
    let mut s = Session::start(html, MaskPolicy::default());
    let replayed = s.replayed();
    assert!(!replayed.contains("Ada"), "{replayed}");
    assert!(!replayed.contains("4111"), "{replayed}");
    assert!(replayed.contains("data-repro-blocked"), "{replayed}");
    assert!(replayed.contains("visible"), "{replayed}");
    let name = s.by_id("name");
    let body = s.page.dom().parent(&name).expect("the frame's body");
    let later = s.dom().create_text("Grace Hopper");
    s.dom().append(body, later);
    let event = s.observe().expect("recorded");
    assert!(!serde_json::to_string(&event).unwrap().contains("Grace"));

    // A document in design mode (an editor's frame) is masked as editable
    // text is, what was there and what is typed.
    assert!(!s.replayed().contains("Alan"), "{}", s.replayed());
    let editor = s.by_id("editor-body");
    let typed = s.dom().create_text("Charles Babbage");
    s.dom().append(editor, typed);
    let event = s.observe().expect("recorded");
    assert!(!serde_json::to_string(&event).unwrap().contains("Babbage"));
}

#[test]
fn a_frames_relative_urls_mean_what_they_meant_in_its_document() {
    let html = r#"<html><head></head><body><iframe id="f"><template framedocument url="https://shop.test/embed/pay.html?token=abc"><html><head></head><body><img src="logo.png"></body></html></template></iframe><canvas id="c" width="64" height="48"></canvas></body></html>"#;
    let s = Session::start(html, MaskPolicy::default());
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.contains(&format!(r#"<template framedocument><html><head><meta name="referrer" content="no-referrer"><base href="https://shop.test/embed/pay.html?token=[masked]">{}</head>"#, head_style())),
        "the frame's head has the frame's URL, masked like any: {replayed}"
    );
    let (page_head, _) = replayed.split_once("<body>").unwrap();
    assert!(
        page_head.contains(":where(canvas)"),
        "the replay's own rules stay in the page's head: {replayed}"
    );
}

#[test]
fn an_element_whose_name_the_format_refuses_replays_as_the_stand_in_with_its_content() {
    // The HTML parser makes elements of names like `alt=""`: recorded as
    // they were, the bundle would be refused by the server and the whole
    // report lost; the viewer could not create them either.
    let mut dom =
        NativeDom::parse("<html><head></head><body id=\"body\"><p>before</p></body></html>")
            .expect("fixture");
    let body = dom.by_id("body").expect("body");
    let odd = dom.create_element("alt=\"\"", false);
    let text = dom.create_text("Text inside an odd element");
    dom.append(odd, text);
    dom.append(body, odd);
    let mut s = Session::of(dom, MaskPolicy::default());
    let expected = format!("<{STAND_IN_TAG}>Text inside an odd element</{STAND_IN_TAG}>");
    assert!(s.replayed().contains(&expected), "{}", s.replayed());

    // One added later, too.
    let later = s.dom().create_element("d123-_+!@#$%^&*()", false);
    let text = s.dom().create_text("added later");
    s.dom().append(later, text);
    s.dom().append(body, later);
    let event = s.observe().expect("an insertion is recorded");
    let DomEvent::Mutation { adds, .. } = &event else {
        panic!("a mutation: {event:?}");
    };
    assert!(adds.iter().all(|record| match &record.data {
        NodeData::Element { tag, .. } => repro_manifest::is_safe_name(tag),
        _ => true,
    }));
    assert!(s
        .replayed()
        .contains(&format!("<{STAND_IN_TAG}>added later</{STAND_IN_TAG}>")));
}

#[test]
fn a_stylesheet_in_a_masked_region_keeps_its_rules_while_the_text_is_masked() {
    let html = "<html><head></head><body><div data-repro-mask id=\"box\"><style>p { color: red }</style><p>Jane Doe</p></div></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let replayed = s.replayed();
    assert!(
        replayed.contains("<style>p { color: red }</style>"),
        "{replayed}"
    );
    assert!(!replayed.contains("Jane"), "{replayed}");
    // A stylesheet changed later, and one added, keep theirs too.
    let region = s.by_id("box");
    let style = s.dom().create_element("style", false);
    let rules = s.dom().create_text("b { color: blue }");
    s.dom().append(style, rules);
    s.dom().append(region, style);
    s.observe();
    assert!(s.replayed().contains("<style>b { color: blue }</style>"));
    // And under "mask all text".
    let all = MaskPolicy {
        mask_all_text: true,
        ..MaskPolicy::default()
    };
    let s = Session::start(html, all);
    assert!(s.replayed().contains("<style>p { color: red }</style>"));
}

#[test]
fn the_pointer_and_focus_replay_as_the_states_the_stylesheets_name() {
    let html = "<html><head><style>button:hover { color: red } input:focus-visible { outline: 2px solid } form:focus-within { background: #eee }</style></head><body><form id=\"f\"><input id=\"name\"><button id=\"go\">Go</button></form></body></html>";
    let mut s = Session::start(html, MaskPolicy::default());
    let replayed = s.replayed();
    assert!(
        replayed.contains("button[data-repro-hover] { color: red } input[data-repro-focus=visible] { outline: 2px solid } form[data-repro-focus-within]"),
        "{replayed}"
    );
    let id = |s: &Session, html_id: &str| s.page.id_of(&s.by_id(html_id)).expect("recorded");
    let (go, name) = (id(&s, "go"), id(&s, "name"));
    let mark = |id: u32, name: &str, on: bool| DomEvent::Mutation {
        t: 1,
        page: 0,
        removes: Vec::new(),
        adds: Vec::new(),
        attrs: vec![repro_manifest::AttributeChange {
            id,
            name: name.into(),
            value: on.then(|| "visible".to_string()),
        }],
        texts: Vec::new(),
    };
    s.replay
        .apply(&mark(go, repro_manifest::HOVER_ATTRIBUTE, true), PAGE_URL);
    s.replay
        .apply(&mark(name, repro_manifest::FOCUS_ATTRIBUTE, true), PAGE_URL);
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.contains("<button id=\"go\" data-repro-hover=\"\">"),
        "{replayed}"
    );
    assert!(
        replayed.contains("<form id=\"f\" data-repro-hover=\"\" data-repro-focus-within=\"\">"),
        "{replayed}"
    );
    assert!(
        replayed.contains(
            "<input id=\"name\" value=\"\" data-repro-focus=\"visible\" data-repro-focus-within=\"\">"
        ),
        "{replayed}"
    );
    // The pointer presses the button: it and its ancestors are `:active`
    // until it lets go, the hover staying.
    s.replay
        .apply(&mark(go, repro_manifest::ACTIVE_ATTRIBUTE, true), PAGE_URL);
    let replayed = s.replay.target().0.html();
    assert!(
        replayed.contains("<button id=\"go\" data-repro-hover=\"\" data-repro-active=\"\">")
            && replayed.contains("data-repro-focus-within=\"\" data-repro-active=\"\">"),
        "{replayed}"
    );
    s.replay
        .apply(&mark(go, repro_manifest::ACTIVE_ATTRIBUTE, false), PAGE_URL);
    let replayed = s.replay.target().0.html();
    assert!(
        !replayed.contains("data-repro-active") && replayed.contains("data-repro-hover"),
        "{replayed}"
    );
    // The pointer moves on; focus leaves: the marks go.
    s.replay
        .apply(&mark(go, repro_manifest::HOVER_ATTRIBUTE, false), PAGE_URL);
    s.replay.apply(
        &mark(name, repro_manifest::FOCUS_ATTRIBUTE, false),
        PAGE_URL,
    );
    let replayed = s.replay.target().0.html();
    assert!(
        !replayed.contains("data-repro-hover=\"")
            && !replayed.contains("data-repro-focus=\"")
            && !replayed.contains("data-repro-focus-within=\""),
        "{replayed}"
    );
    // A stylesheet changed later says the states too.
    let style_text = s
        .page
        .dom()
        .first_child(
            &s.page
                .dom()
                .descendants(s.page.dom().document())
                .find(|n| {
                    s.page.dom().kind(n) == repro_recorder::core::page_dom::NodeKind::Element
                        && s.page.dom().element_name(n).0 == "style"
                })
                .unwrap(),
        )
        .unwrap();
    s.dom().set_text(style_text, "a:hover { color: blue }");
    s.observe();
    assert!(
        s.replayed()
            .contains("<style>a[data-repro-hover] { color: blue }</style>"),
        "{}",
        s.replayed()
    );
}

/// A report that stores its page's assets replays them from the server,
/// changes included, and its documents may load from nowhere else.
#[test]
fn stored_assets_replay_from_the_server_and_nothing_else_loads() {
    let html = "<html><head><style>.b { background: url(img/bg.png) }</style></head>\
        <body><img id=\"i\" src=\"img/logo.png\" srcset=\"img/logo.png 1x, img/big.png 2x\">\
        <div id=\"d\" style=\"background: url('/img/bg.png')\">x</div></body></html>";
    let dom = NativeDom::parse(html).unwrap_or_else(|e| panic!("fixture: {e}"));
    let mut page = native_dom::serializer(dom, MaskPolicy::default());
    let document = page.dom().document();
    let nodes = page.subtree_records(&document, 0, None, false);
    let asset = |path: &str, sha: char| repro_manifest::AssetRef {
        url: format!("http://app.test{path}"),
        sha256: sha.to_string().repeat(64),
        content_type: "image/png".into(),
        bytes: 1,
    };
    // (The same bytes may stand for two URLs.)
    let stored = [
        asset("/shop/img/logo.png", 'a'),
        asset("/shop/img/bg.png", 'b'),
        asset("/img/bg.png", 'b'),
        asset("/img/dark.png", 'c'),
    ];
    let mut replay = Replayer::new(NativeReplay(NativeDom::empty(), None));
    replay.use_stored_assets(StoredAssets::new(&stored, "http://repro.test", "r1"));
    replay.apply(&snapshot(nodes), "http://app.test/shop/index.html");
    let served = |sha: char| {
        format!(
            "http://repro.test/r/r1/assets/{}",
            sha.to_string().repeat(64)
        )
    };
    let replayed = replay.target().0.html();
    assert!(
        replayed.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src http://repro.test data: blob:;"),
        "{replayed}"
    );
    assert!(
        replayed.contains(&format!("src=\"{}\"", served('a'))),
        "{replayed}"
    );
    assert!(
        replayed.contains(&format!("srcset=\"{} 1x, img/big.png 2x\"", served('a'))),
        "not stored: left, and blocked: {replayed}"
    );
    assert_eq!(
        replayed.matches(&served('b')).count(),
        2,
        "the style's and the attribute's: {replayed}"
    );

    let image = page.dom().by_id("i").unwrap_or_else(|| panic!("no image"));
    page.dom_mut().set_attribute(image, "src", "/img/dark.png");
    let event = mutation_event(&mut page, 100, 0).unwrap_or_else(|| panic!("a change"));
    replay.apply(&event, "http://app.test/shop/index.html");
    assert!(replay
        .target()
        .0
        .html()
        .contains(&format!("src=\"{}\"", served('c'))));
}

/// A canvas's and a video's recorded pixels show in the replay (the
/// canvas's as its background, the video's as its poster), stay through
/// the page's later changes of those attributes, and never land on any
/// other element or come from a forged image.
#[test]
fn canvas_and_video_pixels_replay_through_the_pages_changes() {
    let html = r#"<html><head></head><body><canvas id="c" style="width: 50px"></canvas><video id="v" poster="/first.png"></video><p id="p">text</p></body></html>"#;
    let mut s = Session::start(html, MaskPolicy::default());
    let id = |s: &Session, name: &str| s.page.id_of(&s.by_id(name)).expect("recorded");
    let (canvas, video, paragraph) = (id(&s, "c"), id(&s, "v"), id(&s, "p"));
    let frame = "data:image/webp;base64,UklGRg==";
    let pixels = |id: u32, image: &str| DomEvent::Pixels {
        t: 1,
        page: 0,
        id,
        image: image.into(),
    };
    for id in [canvas, video, paragraph] {
        assert_eq!(s.replay.apply(&pixels(id, frame), PAGE_URL), None);
    }
    s.replay
        .apply(&pixels(canvas, "https://tracker.test/x.png"), PAGE_URL);
    let attribute = |s: &Session, id: u32, name: &str| {
        let node = s.replay.node(id).expect("replayed");
        s.replay.target().attribute(node, name).unwrap_or_default()
    };
    let style = attribute(&s, canvas, "style");
    assert!(
        style.starts_with("width: 50px;")
            && style.contains(&format!("url(\"{frame}\") !important")),
        "{style}"
    );
    assert_eq!(attribute(&s, video, "poster"), frame);
    assert_eq!(attribute(&s, paragraph, "style"), "");

    let (c, v) = (s.by_id("c"), s.by_id("v"));
    s.dom().set_attribute(c, "style", "width: 60px");
    s.dom().set_attribute(v, "poster", "/second.png");
    s.observe().expect("recorded");
    let style = attribute(&s, canvas, "style");
    assert!(
        style.starts_with("width: 60px;") && style.contains(frame),
        "{style}"
    );
    assert_eq!(attribute(&s, video, "poster"), frame);
}
