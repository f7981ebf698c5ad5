//! Which URLs of a recording are page assets (what the page drew and styled
//! with: images, icons, fonts and backgrounds), and how an attribute or a
//! stylesheet refers to them. The extension collects the assets of a
//! report from here; the viewer points the same references at the stored
//! copies. Both resolve a relative reference against the document it is
//! in: its page's URL, or a frame document's own.

use std::collections::{HashMap, HashSet};

use crate::css_urls::{self, resolve};
use crate::{Bundle, DomEvent, EventRecord, NodeData, NodeRecord, INLINED_CSS_ATTRIBUTE};

/// How an attribute's value refers to assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlValue {
    /// The value is one URL.
    Single,
    /// A `srcset`: comma-separated candidates, each a URL and a descriptor.
    SourceSet,
    /// CSS (a `style` attribute, copied rules): its `url()`s.
    Css,
}

/// How attribute `name` of an element `tag` (lower case) refers to assets,
/// if it does. (`<link>` is asked by [`is_icon_link`], which needs `rel`.)
pub fn url_attribute(tag: &str, name: &str) -> Option<UrlValue> {
    match (tag, name) {
        (_, "style") => Some(UrlValue::Css),
        (_, n) if n == INLINED_CSS_ATTRIBUTE => Some(UrlValue::Css),
        ("img" | "source", "srcset") | ("link", "imagesrcset") => Some(UrlValue::SourceSet),
        ("img" | "input", "src") | ("source", "src") => Some(UrlValue::Single),
        ("video", "poster") => Some(UrlValue::Single),
        ("image" | "use" | "feimage", "href" | "xlink:href") => Some(UrlValue::Single),
        ("body" | "table" | "td" | "th", "background") => Some(UrlValue::Single),
        _ => None,
    }
}

/// Is a `<link>` with this `rel` one whose `href` is a page asset (an icon)?
pub fn is_icon_link(rel: &str) -> bool {
    rel.split_ascii_whitespace().any(|word| {
        word.eq_ignore_ascii_case("icon") || word.eq_ignore_ascii_case("apple-touch-icon")
    })
}

/// `value` (of the kind `kind`) with each reference `map` gives a new one
/// for replaced; the references it keeps are left exactly as they were.
pub fn map_value(
    kind: UrlValue,
    value: &str,
    mut map: impl FnMut(&str) -> Option<String>,
) -> String {
    match kind {
        UrlValue::Single => map(value.trim()).unwrap_or_else(|| value.to_string()),
        UrlValue::Css => css_urls::map_references(value, map),
        UrlValue::SourceSet => value
            .split(',')
            .map(|candidate| {
                let candidate = candidate.trim();
                let (url, descriptor) = candidate
                    .split_once(char::is_whitespace)
                    .unwrap_or((candidate, ""));
                match map(url) {
                    Some(mapped) if descriptor.is_empty() => mapped,
                    Some(mapped) => format!("{mapped} {}", descriptor.trim()),
                    None => candidate.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `value` (of the kind `kind`) with no address of an asset left: what a
/// masked region's image attributes are recorded as.
pub fn without_assets(kind: UrlValue, value: &str) -> String {
    match kind {
        UrlValue::Single | UrlValue::SourceSet => String::new(),
        UrlValue::Css => css_urls::map_references(value, |_| Some(String::new())),
    }
}

/// The references in `value` (of the kind `kind`), in order.
pub fn references(kind: UrlValue, value: &str) -> Vec<String> {
    let mut found = Vec::new();
    map_value(kind, value, |reference| {
        found.push(reference.to_string());
        None
    });
    found
}

/// `reference` as an absolute `http(s)` URL against `base`, if it is one
/// an asset can be fetched from (not `data:`, `blob:`, a fragment, …).
pub fn absolute(base: &str, reference: &str) -> Option<String> {
    let reference = reference.trim();
    let url = resolve(base, reference).unwrap_or_else(|| reference.to_string());
    let lower = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// Every asset URL `bundle` refers to, absolute, in the order first met,
/// each once, at most `max`.
pub fn asset_urls(bundle: &Bundle, max: usize) -> Vec<String> {
    let mut collector = Collector {
        bundle,
        found: Vec::new(),
        seen: HashSet::new(),
        max,
        bases: Bases::default(),
        tags: HashMap::new(),
        style_elements: HashSet::new(),
        style_texts: HashSet::new(),
    };
    for event in &bundle.events {
        let EventRecord::Known(event) = event else {
            continue;
        };
        match event {
            DomEvent::Snapshot { page, nodes, .. } => collector.nodes(*page, nodes),
            DomEvent::Mutation {
                page,
                adds,
                attrs,
                texts,
                ..
            } => {
                collector.nodes(*page, adds);
                for change in attrs {
                    let Some(value) = &change.value else { continue };
                    let tag = collector.tags.get(&(*page, change.id)).cloned();
                    if let Some(kind) = tag
                        .as_deref()
                        .and_then(|tag| url_attribute(tag, &change.name))
                        .or_else(|| url_attribute("", &change.name))
                    {
                        collector.value(*page, change.id, kind, value);
                    }
                }
                for change in texts {
                    if collector.style_texts.contains(&(*page, change.id)) {
                        collector.value(*page, change.id, UrlValue::Css, &change.text);
                    }
                }
            }
            _ => {}
        }
        if collector.found.len() >= max {
            break;
        }
    }
    collector.found
}

/// Is an element with these attributes a stylesheet link whose rules the
/// recorder could not read (another origin's, without CORS)? Its `href`.
fn unread_stylesheet<'a>(tag: &str, attrs: &'a [(String, String)]) -> Option<&'a str> {
    let attr = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let stylesheet = attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|word| word.eq_ignore_ascii_case("stylesheet"))
    });
    (tag.eq_ignore_ascii_case("link") && stylesheet && attr(INLINED_CSS_ATTRIBUTE).is_none())
        .then(|| attr("href"))
        .flatten()
}

/// The absolute URLs of the stylesheet links in `bundle` whose rules the
/// recorder could not read, each once, at most `max`: the extension fetches
/// them (it may read any origin) and fills them in ([`fill_stylesheets`]).
pub fn unread_stylesheets(bundle: &Bundle, max: usize) -> Vec<String> {
    let mut bases = Bases::default();
    let mut found: Vec<String> = Vec::new();
    for (page, nodes) in node_lists(bundle) {
        for node in nodes {
            bases.note(page, node);
            if let NodeData::Element { tag, attrs, .. } = &node.data {
                let base = bases.of(bundle, page, node.id).to_string();
                if let Some(url) =
                    unread_stylesheet(tag, attrs).and_then(|href| absolute(&base, href))
                {
                    if !found.contains(&url) && found.len() < max {
                        found.push(url);
                    }
                }
            }
        }
    }
    found
}

/// Give each unread stylesheet link in `bundle` the rules `sheets` holds
/// for its URL, as the recorder gives a readable one (its `url()`s made
/// absolute against the sheet by the caller).
pub fn fill_stylesheets(bundle: &mut Bundle, sheets: &HashMap<String, String>) {
    let mut bases = Bases::default();
    let pages: Vec<String> = bundle.pages.iter().map(|p| p.url.clone()).collect();
    for event in &mut bundle.events {
        let EventRecord::Known(event) = event else {
            continue;
        };
        let (page, nodes) = match event {
            DomEvent::Snapshot { page, nodes, .. } => (*page, nodes),
            DomEvent::Mutation { page, adds, .. } => (*page, adds),
            _ => continue,
        };
        for node in nodes.iter_mut() {
            bases.note(page, node);
            let base = bases
                .frame(page, node.id)
                .map(str::to_string)
                .unwrap_or_else(|| pages.get(page as usize).cloned().unwrap_or_default());
            if let NodeData::Element { tag, attrs, .. } = &mut node.data {
                let css = unread_stylesheet(tag, attrs)
                    .and_then(|href| absolute(&base, href))
                    .and_then(|url| sheets.get(&url));
                if let Some(css) = css {
                    attrs.push((INLINED_CSS_ATTRIBUTE.to_string(), css.clone()));
                }
            }
        }
    }
}

/// Every node list of `bundle` (snapshots' and mutations'), with its page.
fn node_lists(bundle: &Bundle) -> impl Iterator<Item = (u32, &Vec<NodeRecord>)> {
    bundle.events.iter().filter_map(|event| match event {
        EventRecord::Known(DomEvent::Snapshot { page, nodes, .. }) => Some((*page, nodes)),
        EventRecord::Known(DomEvent::Mutation { page, adds, .. }) => Some((*page, adds)),
        _ => None,
    })
}

/// The base URL of the nodes inside frame documents, by (page, id): what
/// their relative URLs mean (elsewhere, their page's URL).
#[derive(Default)]
struct Bases {
    frames: HashMap<(u32, u32), String>,
}

impl Bases {
    /// Learn `node`'s base: a frame document's own URL, or its parent's.
    fn note(&mut self, page: u32, node: &NodeRecord) {
        let base = match &node.data {
            NodeData::FrameDocument { url, .. } if !url.is_empty() => Some(url.clone()),
            _ => self.frames.get(&(page, node.parent)).cloned(),
        };
        if let Some(base) = base {
            self.frames.insert((page, node.id), base);
        }
    }

    /// The frame document's URL node `id` is under, if any.
    fn frame(&self, page: u32, id: u32) -> Option<&str> {
        self.frames.get(&(page, id)).map(String::as_str)
    }

    /// What relative URLs of node `id` mean.
    fn of<'a>(&'a self, bundle: &'a Bundle, page: u32, id: u32) -> &'a str {
        self.frame(page, id).unwrap_or_else(|| {
            bundle
                .pages
                .get(page as usize)
                .map_or("", |p| p.url.as_str())
        })
    }
}

/// What [`asset_urls`] keeps while it reads the events.
struct Collector<'a> {
    bundle: &'a Bundle,
    found: Vec<String>,
    seen: HashSet<String>,
    max: usize,
    /// What relative URLs mean, node by node.
    bases: Bases,
    /// The tags of elements whose attributes may name assets.
    tags: HashMap<(u32, u32), String>,
    /// `<style>` elements, and the text nodes inside them.
    style_elements: HashSet<(u32, u32)>,
    style_texts: HashSet<(u32, u32)>,
}

impl Collector<'_> {
    fn base(&self, page: u32, id: u32) -> &str {
        self.bases.of(self.bundle, page, id)
    }

    fn nodes(&mut self, page: u32, nodes: &[NodeRecord]) {
        for node in nodes {
            self.bases.note(page, node);
            match &node.data {
                NodeData::Element { tag, attrs, .. } => {
                    let tag = tag.to_ascii_lowercase();
                    if tag == "style" {
                        self.style_elements.insert((page, node.id));
                    }
                    let icon = tag == "link"
                        && attrs
                            .iter()
                            .any(|(name, value)| name == "rel" && is_icon_link(value));
                    for (name, value) in attrs {
                        let kind = if icon && name == "href" {
                            Some(UrlValue::Single)
                        } else {
                            url_attribute(&tag, name)
                        };
                        if let Some(kind) = kind {
                            self.value(page, node.id, kind, value);
                        }
                    }
                    if url_attribute(&tag, "src").is_some()
                        || url_attribute(&tag, "href").is_some()
                        || tag == "video"
                    {
                        self.tags.insert((page, node.id), tag);
                    }
                }
                NodeData::Text { text } if self.style_elements.contains(&(page, node.parent)) => {
                    self.style_texts.insert((page, node.id));
                    self.value(page, node.id, UrlValue::Css, text);
                }
                _ => {}
            }
        }
    }

    fn value(&mut self, page: u32, id: u32, kind: UrlValue, value: &str) {
        let base = self.base(page, id).to_string();
        for reference in references(kind, value) {
            if self.found.len() >= self.max {
                return;
            }
            if let Some(url) = absolute(&base, &reference) {
                if self.seen.insert(url.clone()) {
                    self.found.push(url);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcsets_are_listed_and_mapped_candidate_by_candidate() {
        let set = "a.png 1x, b.png 2x,c.png";
        assert_eq!(
            references(UrlValue::SourceSet, set),
            vec!["a.png", "b.png", "c.png"]
        );
        let mapped = map_value(UrlValue::SourceSet, set, |r| {
            (r == "b.png").then(|| "/s/b".into())
        });
        assert_eq!(mapped, "a.png 1x, /s/b 2x, c.png");
    }

    fn element(id: u32, parent: u32, tag: &str, attrs: &[(&str, &str)]) -> NodeRecord {
        NodeRecord {
            id,
            parent,
            before: None,
            data: NodeData::Element {
                tag: tag.into(),
                attrs: attrs
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                svg: false,
            },
        }
    }

    #[test]
    fn a_recordings_assets_are_found_in_its_documents_frames_styles_and_changes() {
        let mut bundle: Bundle =
            serde_json::from_str(&crate::example_bundle_json()).unwrap_or_else(|e| panic!("{e}"));
        bundle.pages[0].url = "https://app.test/shop/cart.html".into();
        let nodes = vec![
            element(
                10,
                1,
                "img",
                &[
                    ("src", "logo.png"),
                    ("srcset", "logo.png 1x, logo@2x.png 2x"),
                ],
            ),
            element(11, 1, "div", &[("style", "background: url('/bg.jpg')")]),
            element(12, 1, "a", &[("href", "next.html")]),
            element(13, 1, "link", &[("rel", "icon"), ("href", "/favicon.ico")]),
            element(
                14,
                1,
                "link",
                &[
                    ("rel", "stylesheet"),
                    ("href", "site.css"),
                    (
                        INLINED_CSS_ATTRIBUTE,
                        "@font-face { src: url(\"https://cdn.test/f.woff2\") }",
                    ),
                ],
            ),
            element(15, 1, "style", &[]),
            NodeRecord {
                id: 16,
                parent: 15,
                before: None,
                data: NodeData::Text {
                    text: ".x { background: url(x.svg) }".into(),
                },
            },
            element(17, 1, "iframe", &[]),
            NodeRecord {
                id: 18,
                parent: 17,
                before: None,
                data: NodeData::FrameDocument {
                    quirks: false,
                    url: "https://pay.test/form/".into(),
                },
            },
            element(
                19,
                18,
                "img",
                &[("src", "card.png"), ("alt", "data:image/png;base64,AA")],
            ),
            element(20, 1, "img", &[("src", "data:image/png;base64,AA")]),
        ];
        bundle.events = vec![
            EventRecord::Known(DomEvent::Snapshot {
                t: 0,
                page: 0,
                nodes,
                viewport: Default::default(),
                scroll: (0, 0),
                took_ms: None,
            }),
            EventRecord::Known(DomEvent::Mutation {
                t: 1,
                page: 0,
                removes: Vec::new(),
                adds: Vec::new(),
                attrs: vec![crate::AttributeChange {
                    id: 10,
                    name: "src".into(),
                    value: Some("logo-dark.png".into()),
                }],
                texts: vec![crate::TextChange {
                    id: 16,
                    text: ".y { background: url(y.svg) }".into(),
                }],
            }),
        ];
        assert_eq!(
            asset_urls(&bundle, 100),
            vec![
                "https://app.test/shop/logo.png",
                "https://app.test/shop/logo@2x.png",
                "https://app.test/bg.jpg",
                "https://app.test/favicon.ico",
                "https://cdn.test/f.woff2",
                "https://app.test/shop/x.svg",
                "https://pay.test/form/card.png",
                "https://app.test/shop/logo-dark.png",
                "https://app.test/shop/y.svg",
            ]
        );
        assert_eq!(asset_urls(&bundle, 2).len(), 2, "at most max");
    }

    #[test]
    fn stylesheets_the_recorder_could_not_read_are_listed_and_filled_in() {
        let mut bundle: Bundle =
            serde_json::from_str(&crate::example_bundle_json()).unwrap_or_else(|e| panic!("{e}"));
        bundle.pages[0].url = "https://app.test/shop/".into();
        let nodes = vec![
            element(
                10,
                1,
                "link",
                &[("rel", "stylesheet"), ("href", "https://cdn.test/ui.css")],
            ),
            element(
                11,
                1,
                "link",
                &[
                    ("rel", "stylesheet"),
                    ("href", "own.css"),
                    (INLINED_CSS_ATTRIBUTE, "a{}"),
                ],
            ),
            element(
                12,
                1,
                "link",
                &[("rel", "preload"), ("href", "https://cdn.test/x.css")],
            ),
        ];
        bundle.events = vec![EventRecord::Known(DomEvent::Snapshot {
            t: 0,
            page: 0,
            nodes,
            viewport: Default::default(),
            scroll: (0, 0),
            took_ms: None,
        })];
        assert_eq!(
            unread_stylesheets(&bundle, 10),
            vec!["https://cdn.test/ui.css"]
        );
        let sheets = HashMap::from([(
            "https://cdn.test/ui.css".to_string(),
            ".b { background: url(\"https://cdn.test/b.png\") }".to_string(),
        )]);
        fill_stylesheets(&mut bundle, &sheets);
        assert!(unread_stylesheets(&bundle, 10).is_empty(), "filled in");
        assert_eq!(
            asset_urls(&bundle, 10),
            vec!["https://cdn.test/b.png"],
            "its url()s are assets now"
        );
    }

    #[test]
    fn only_fetchable_urls_are_assets() {
        let base = "https://app.test/dir/page.html?q=1";
        assert_eq!(
            absolute(base, "img/a.png").as_deref(),
            Some("https://app.test/dir/img/a.png")
        );
        assert_eq!(
            absolute(base, "HTTPS://cdn.test/x.png").as_deref(),
            Some("HTTPS://cdn.test/x.png")
        );
        for not_asset in [
            "data:image/png;base64,AA",
            "blob:https://app.test/1",
            "#frag",
            "javascript:x",
            "",
        ] {
            assert_eq!(absolute(base, not_asset), None, "{not_asset}");
        }
    }

    #[test]
    fn attributes_that_draw_are_assets_and_links_only_when_they_go_elsewhere() {
        assert_eq!(url_attribute("img", "src"), Some(UrlValue::Single));
        assert_eq!(url_attribute("div", "style"), Some(UrlValue::Css));
        assert_eq!(url_attribute("a", "href"), None);
        assert_eq!(url_attribute("script", "src"), None);
        assert_eq!(url_attribute("iframe", "src"), None);
        assert!(is_icon_link("shortcut icon"));
        assert!(!is_icon_link("stylesheet"));
    }
}
