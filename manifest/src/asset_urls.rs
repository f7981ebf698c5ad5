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
        frame_bases: HashMap::new(),
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

/// What [`asset_urls`] keeps while it reads the events.
struct Collector<'a> {
    bundle: &'a Bundle,
    found: Vec<String>,
    seen: HashSet<String>,
    max: usize,
    /// The base URL of the nodes inside frame documents, by (page, id).
    frame_bases: HashMap<(u32, u32), String>,
    /// The tags of elements whose attributes may name assets.
    tags: HashMap<(u32, u32), String>,
    /// `<style>` elements, and the text nodes inside them.
    style_elements: HashSet<(u32, u32)>,
    style_texts: HashSet<(u32, u32)>,
}

impl Collector<'_> {
    fn base(&self, page: u32, id: u32) -> &str {
        match self.frame_bases.get(&(page, id)) {
            Some(base) => base,
            None => self
                .bundle
                .pages
                .get(page as usize)
                .map_or("", |p| p.url.as_str()),
        }
    }

    fn nodes(&mut self, page: u32, nodes: &[NodeRecord]) {
        for node in nodes {
            // A frame document starts a base of its own; inside one, a
            // node has its parent's.
            let base = match &node.data {
                NodeData::FrameDocument { url, .. } if !url.is_empty() => Some(url.clone()),
                _ => self.frame_bases.get(&(page, node.parent)).cloned(),
            };
            if let Some(base) = base {
                self.frame_bases.insert((page, node.id), base);
            }
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
