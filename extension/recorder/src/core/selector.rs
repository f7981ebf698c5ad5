//! Selectors for a marked element: a CSS selector verified to match exactly
//! that element, and an XPath.
//!
//! Stable hooks are preferred: a unique id that does not look generated, then
//! test and accessibility attributes (`data-testid`, `data-test`, `data-cy`,
//! `data-qa`, `name`, `aria-label`); failing those, a child path of
//! `:nth-of-type` steps from the nearest such anchor (or from `html`). Class
//! names are never used: build tools generate and rotate them.
//!
//! The generator is written against [`Tree`], so it runs over the real DOM in
//! the page and over a small in-memory tree in tests.

/// What the generator needs to know of a document.
pub trait Tree {
    /// An element handle.
    type Node: Clone + PartialEq;
    /// The parent element (`None` at the root of the document or shadow root).
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// The local name, as written (`div`, `linearGradient`).
    fn tag(&self, node: &Self::Node) -> String;
    /// An attribute's value.
    fn attribute(&self, node: &Self::Node, name: &str) -> Option<String>;
    /// The element children of a node, in order.
    fn children(&self, node: &Self::Node) -> Vec<Self::Node>;
    /// Every element of the node's root matching `selector`, at most `limit` of them.
    fn select(&self, selector: &Selector, limit: usize) -> Vec<Self::Node>;
}

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `#id`
    Id(String),
    /// `tag[name="value"]`
    Attribute {
        /// The element's tag.
        tag: String,
        /// Attribute name.
        name: String,
        /// Attribute value.
        value: String,
    },
    /// `tag` or `tag:nth-of-type(n)`, a child of the previous step.
    Child {
        /// The element's tag.
        tag: String,
        /// Position among siblings of the same tag, from 1, when there are several.
        nth: Option<usize>,
    },
}

/// A chain of steps: the first anywhere in the root, each next a child of the previous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector(pub Vec<Step>);

/// Attributes that make stable hooks, best first.
pub const STABLE_ATTRIBUTES: [&str; 6] = [
    "data-testid",
    "data-test",
    "data-cy",
    "data-qa",
    "name",
    "aria-label",
];

/// Escape `text` as a CSS identifier.
pub fn css_identifier(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let leading_digit = i == 0 && c.is_ascii_digit();
        if c.is_ascii_alphanumeric() && !leading_digit || c == '-' || c == '_' || !c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out
}

/// Escape `text` as a CSS string's content.
pub fn css_string(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_control() => format!("\\{:x} ", c as u32),
            c => c.to_string(),
        })
        .collect()
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" > ")?;
            }
            match step {
                Step::Id(id) => write!(f, "#{}", css_identifier(id))?,
                Step::Attribute { tag, name, value } => write!(
                    f,
                    "{}[{}=\"{}\"]",
                    css_identifier(tag),
                    name,
                    css_string(value)
                )?,
                Step::Child { tag, nth: None } => f.write_str(&css_identifier(tag))?,
                Step::Child { tag, nth: Some(n) } => {
                    write!(f, "{}:nth-of-type({n})", css_identifier(tag))?
                }
            }
        }
        Ok(())
    }
}

/// Does an id or attribute value look machine-made (and so likely to change)?
pub fn looks_generated(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let trailing_digits = value.chars().rev().take_while(char::is_ascii_digit).count();
    value.contains(':')
        || [
            "css-",
            "sc-",
            "jsx-",
            "emotion-",
            "ember",
            "react-",
            "mui-",
            "radix-",
            "headlessui-",
        ]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || trailing_digits >= 3
        || (value.len() >= 6 && digits * 3 >= value.len())
        || value.len() > 64
}

fn is_unique<T: Tree>(tree: &T, selector: &Selector, node: &T::Node) -> bool {
    let found = tree.select(selector, 2);
    found.len() == 1 && &found[0] == node
}

/// A stable one-step hook for `node` if it has one that is unique on its own.
fn anchor<T: Tree>(tree: &T, node: &T::Node) -> Option<Step> {
    if let Some(id) = tree
        .attribute(node, "id")
        .filter(|id| !id.is_empty() && !looks_generated(id))
    {
        let step = Step::Id(id);
        if is_unique(tree, &Selector(vec![step.clone()]), node) {
            return Some(step);
        }
    }
    let tag = tree.tag(node);
    STABLE_ATTRIBUTES.iter().find_map(|name| {
        let value = tree
            .attribute(node, name)
            .filter(|v| !v.is_empty() && v.len() <= 200 && !looks_generated(v))?;
        let step = Step::Attribute {
            tag: tag.clone(),
            name: name.to_string(),
            value,
        };
        is_unique(tree, &Selector(vec![step.clone()]), node).then_some(step)
    })
}

/// The child step for `node` under its parent.
fn child_step<T: Tree>(tree: &T, node: &T::Node) -> Step {
    let tag = tree.tag(node);
    let nth = tree.parent(node).and_then(|parent| {
        let same: Vec<T::Node> = tree
            .children(&parent)
            .into_iter()
            .filter(|c| tree.tag(c) == tag)
            .collect();
        (same.len() > 1).then(|| same.iter().position(|c| c == node).map_or(1, |i| i + 1))
    });
    Step::Child { tag, nth }
}

/// A selector that matches exactly `node` in its root.
pub fn css_selector<T: Tree>(tree: &T, node: &T::Node) -> Selector {
    if let Some(step) = anchor(tree, node) {
        return Selector(vec![step]);
    }
    let mut steps = vec![child_step(tree, node)];
    let mut current = node.clone();
    while let Some(parent) = tree.parent(&current) {
        if let Some(step) = anchor(tree, &parent) {
            let mut candidate = vec![step];
            candidate.extend(steps.iter().cloned());
            let candidate = Selector(candidate);
            if is_unique(tree, &candidate, node) {
                return candidate;
            }
        }
        steps.insert(0, child_step(tree, &parent));
        current = parent;
    }
    // From the root element down: unique by construction.
    Selector(steps)
}

/// An absolute XPath: `/html/body/div[2]/ul/li[5]`.
pub fn xpath<T: Tree>(tree: &T, node: &T::Node) -> String {
    let mut parts = Vec::new();
    let mut current = Some(node.clone());
    while let Some(n) = current {
        let step = match child_step(tree, &n) {
            Step::Child { tag, nth: Some(i) } => format!("{tag}[{i}]"),
            Step::Child { tag, nth: None } => tag,
            _ => tree.tag(&n),
        };
        // SVG and MathML elements need a namespace-agnostic test.
        let step = if step.chars().any(|c| c.is_ascii_uppercase())
            || tree.attribute(&n, "xmlns").is_some()
        {
            let (tag, index) = step
                .split_once('[')
                .map_or((step.as_str(), ""), |(t, i)| (t, i));
            let index = if index.is_empty() {
                String::new()
            } else {
                format!("[{index}")
            };
            format!("*[local-name()='{tag}']{index}")
        } else {
            step
        };
        parts.push(step);
        current = tree.parent(&n);
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny element tree: (tag, attributes, parent).
    /// (tag, attributes, parent)
    type Entry = (
        &'static str,
        Vec<(&'static str, &'static str)>,
        Option<usize>,
    );

    struct Doc(Vec<Entry>);

    impl Doc {
        fn step_matches(&self, node: usize, step: &Step) -> bool {
            let (tag, attrs, _) = &self.0[node];
            let attr = |name: &str| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
            match step {
                Step::Id(id) => attr("id") == Some(id.as_str()),
                Step::Attribute {
                    tag: t,
                    name,
                    value,
                } => t == tag && attr(name) == Some(value.as_str()),
                Step::Child { tag: t, nth } => {
                    t == tag
                        && nth.is_none_or(|n| {
                            let parent = self.0[node].2;
                            let same: Vec<usize> = (0..self.0.len())
                                .filter(|&i| self.0[i].2 == parent && self.0[i].0 == *tag)
                                .collect();
                            same.iter().position(|&i| i == node) == Some(n - 1)
                        })
                }
            }
        }

        fn matches(&self, node: usize, steps: &[Step]) -> bool {
            let Some((last, before)) = steps.split_last() else {
                return false;
            };
            if !self.step_matches(node, last) {
                return false;
            }
            match (before.is_empty(), self.0[node].2) {
                (true, _) => true,
                (false, Some(parent)) => self.matches(parent, before),
                (false, None) => false,
            }
        }
    }

    impl Tree for Doc {
        type Node = usize;
        fn parent(&self, node: &usize) -> Option<usize> {
            self.0[*node].2
        }
        fn tag(&self, node: &usize) -> String {
            self.0[*node].0.to_string()
        }
        fn attribute(&self, node: &usize, name: &str) -> Option<String> {
            self.0[*node]
                .1
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
        fn children(&self, node: &usize) -> Vec<usize> {
            (0..self.0.len())
                .filter(|&i| self.0[i].2 == Some(*node))
                .collect()
        }
        fn select(&self, selector: &Selector, limit: usize) -> Vec<usize> {
            (0..self.0.len())
                .filter(|&i| self.matches(i, &selector.0))
                .take(limit)
                .collect()
        }
    }

    fn page() -> Doc {
        Doc(vec![
            ("html", vec![], None),                                         // 0
            ("body", vec![], Some(0)),                                      // 1
            ("div", vec![("id", "dup")], Some(1)),                          // 2
            ("div", vec![("id", "dup"), ("class", "css-1x2y3z")], Some(1)), // 3
            ("button", vec![("class", "sc-bdVaJa kxGRsU")], Some(3)),       // 4
            ("form", vec![("id", "checkout")], Some(1)),                    // 5
            ("input", vec![("name", "email")], Some(5)),                    // 6
            ("input", vec![("name", "email")], Some(1)), // 7: same name elsewhere
            ("button", vec![("data-testid", "pay")], Some(5)), // 8
            ("ul", vec![("id", ":r7:")], Some(1)),       // 9: generated id
            ("li", vec![], Some(9)),                     // 10
            ("li", vec![], Some(9)),                     // 11
            ("li", vec![], Some(9)),                     // 12
            ("svg", vec![], Some(1)),                    // 13
            ("linearGradient", vec![("id", "grad1")], Some(13)), // 14
            ("rect", vec![], Some(13)),                  // 15
            ("my-widget", vec![], Some(1)),              // 16: a shadow host
            ("iframe", vec![("title", "Payment")], Some(1)), // 17
        ])
    }

    fn selector_of(doc: &Doc, node: usize) -> String {
        let selector = css_selector(doc, &node);
        assert_eq!(
            doc.select(&selector, 5),
            [node],
            "{selector} must match exactly node {node}"
        );
        selector.to_string()
    }

    #[test]
    fn stable_hooks_first() {
        let doc = page();
        assert_eq!(selector_of(&doc, 5), "#checkout");
        assert_eq!(selector_of(&doc, 8), "button[data-testid=\"pay\"]");
        assert_eq!(selector_of(&doc, 14), "#grad1");
    }

    #[test]
    fn duplicate_ids_and_names_fall_back_to_paths() {
        let doc = page();
        assert_eq!(selector_of(&doc, 3), "html > body > div:nth-of-type(2)");
        assert_eq!(selector_of(&doc, 6), "#checkout > input");
        assert_eq!(selector_of(&doc, 7), "html > body > input");
    }

    #[test]
    fn generated_ids_and_classes_are_never_used() {
        let doc = page();
        let button = selector_of(&doc, 4);
        assert!(
            !button.contains("sc-") && !button.contains("css-"),
            "{button}"
        );
        let item = selector_of(&doc, 11);
        assert_eq!(item, "html > body > ul > li:nth-of-type(2)");
        assert!(
            looks_generated(":r7:") && looks_generated("ember1234") && looks_generated("a1b2c3d4")
        );
        assert!(!looks_generated("checkout") && !looks_generated("step-2"));
    }

    #[test]
    fn svg_shadow_hosts_and_iframes() {
        let doc = page();
        assert_eq!(selector_of(&doc, 15), "html > body > svg > rect");
        assert_eq!(selector_of(&doc, 16), "html > body > my-widget");
        assert_eq!(selector_of(&doc, 17), "html > body > iframe");
        assert_eq!(xpath(&doc, &15), "/html/body/svg/rect");
        assert_eq!(
            xpath(&doc, &14),
            "/html/body/svg/*[local-name()='linearGradient']"
        );
        assert_eq!(xpath(&doc, &11), "/html/body/ul/li[2]");
    }

    #[test]
    fn selectors_inside_an_iframe_are_relative_to_its_document() {
        // The top page and a same-origin frame both have a #pay button.
        let top = Doc(vec![
            ("html", vec![], None),
            ("body", vec![], Some(0)),
            ("button", vec![("id", "pay")], Some(1)),
            ("iframe", vec![("name", "checkout")], Some(1)),
        ]);
        let frame = Doc(vec![
            ("html", vec![], None),
            ("body", vec![], Some(0)),
            ("button", vec![("id", "pay")], Some(1)),
        ]);
        assert_eq!(selector_of(&frame, 2), "#pay");
        assert_eq!(selector_of(&top, 3), "iframe[name=\"checkout\"]");
    }

    #[test]
    fn escaping() {
        assert_eq!(css_identifier("1st item"), "\\31 st\\20 item");
        assert_eq!(
            Selector(vec![Step::Attribute {
                tag: "input".into(),
                name: "aria-label".into(),
                value: "Say \"hi\"".into()
            }])
            .to_string(),
            "input[aria-label=\"Say \\\"hi\\\"\"]"
        );
    }
}
