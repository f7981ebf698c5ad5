//! The CSS selectors a masking policy uses, matched in the native DOM:
//! lists of compound selectors (`tag`, `*`, `#id`, `.class`, `[attr]`,
//! `[attr=value]` and its `~= ^= $= *=` forms, `:not(…)`) joined by the
//! descendant combinator. Anything else does not parse, as a selector the
//! browser rejects: the policy then fails closed.

use super::NativeDom;

/// A selector list, parsed.
#[derive(Debug, Clone)]
pub struct SelectorList(Vec<Complex>);

/// Compounds joined by descendant combinators, outermost first.
#[derive(Debug, Clone)]
struct Complex(Vec<Compound>);

/// One compound selector: every part must match.
#[derive(Debug, Clone, Default)]
struct Compound(Vec<Simple>);

#[derive(Debug, Clone)]
enum Simple {
    Tag(String),
    Id(String),
    Class(String),
    Attribute {
        name: String,
        test: Option<(Operator, String)>,
    },
    Not(Compound),
}

#[derive(Debug, Clone, Copy)]
enum Operator {
    Equals,
    Word,
    Prefix,
    Suffix,
    Contains,
}

impl SelectorList {
    /// `text` parsed, or `None` where it is not a selector this supports.
    pub fn parse(text: &str) -> Option<SelectorList> {
        let mut list = Vec::new();
        for part in split_top_level(text, ',') {
            let mut compounds = Vec::new();
            for word in part.split_whitespace() {
                compounds.push(Parser { rest: word }.compound(false)?);
            }
            if compounds.is_empty() {
                return None;
            }
            list.push(Complex(compounds));
        }
        Some(SelectorList(list))
    }

    /// Does the element at `index` of `dom` match?
    pub fn matches(&self, dom: &NativeDom, index: usize) -> bool {
        self.0.iter().any(|complex| complex.matches(dom, index))
    }
}

/// `text` split at `separator` outside parentheses and brackets.
fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            c if c == separator && depth == 0 => {
                parts.push(&text[start..at]);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

impl Complex {
    fn matches(&self, dom: &NativeDom, index: usize) -> bool {
        let Some((last, outer)) = self.0.split_last() else {
            return false;
        };
        if !last.matches(dom, index) {
            return false;
        }
        // Each outer compound matches some ancestor, innermost first.
        let mut at = dom.nodes[index].parent;
        for compound in outer.iter().rev() {
            loop {
                let Some(ancestor) = at else { return false };
                at = dom.nodes[ancestor].parent;
                if compound.matches(dom, ancestor) {
                    break;
                }
            }
        }
        true
    }
}

impl Compound {
    fn matches(&self, dom: &NativeDom, index: usize) -> bool {
        let node = &dom.nodes[index];
        if node.kind != crate::core::page_dom::NodeKind::Element {
            return false;
        }
        let attribute = |name: &str| {
            node.attrs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        self.0.iter().all(|simple| match simple {
            Simple::Tag(tag) => tag == "*" || node.name.eq_ignore_ascii_case(tag),
            Simple::Id(id) => attribute("id") == Some(id.as_str()),
            Simple::Class(class) => attribute("class")
                .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class)),
            Simple::Attribute { name, test } => match (attribute(name), test) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(value), Some((operator, expected))) => match operator {
                    Operator::Equals => value == expected,
                    Operator::Word => value.split_ascii_whitespace().any(|w| w == expected),
                    Operator::Prefix => {
                        !expected.is_empty() && value.starts_with(expected.as_str())
                    }
                    Operator::Suffix => !expected.is_empty() && value.ends_with(expected.as_str()),
                    Operator::Contains => !expected.is_empty() && value.contains(expected.as_str()),
                },
            },
            Simple::Not(inner) => !inner.matches(dom, index),
        })
    }
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    /// A compound selector; inside `:not(…)` it ends at the `)`.
    fn compound(&mut self, nested: bool) -> Option<Compound> {
        let mut parts = Vec::new();
        if self.rest.starts_with('*') {
            self.rest = &self.rest[1..];
            parts.push(Simple::Tag("*".into()));
        } else if let Some(tag) = self.identifier() {
            parts.push(Simple::Tag(tag));
        }
        while let Some(c) = self.rest.chars().next() {
            match c {
                '#' => {
                    self.rest = &self.rest[1..];
                    parts.push(Simple::Id(self.identifier()?));
                }
                '.' => {
                    self.rest = &self.rest[1..];
                    parts.push(Simple::Class(self.identifier()?));
                }
                '[' => {
                    self.rest = &self.rest[1..];
                    parts.push(self.attribute()?);
                }
                ':' if self.rest.starts_with(":not(") => {
                    self.rest = &self.rest[":not(".len()..];
                    let inner = self.compound(true)?;
                    self.rest = self.rest.strip_prefix(')')?;
                    parts.push(Simple::Not(inner));
                }
                ')' if nested => break,
                _ => return None,
            }
        }
        (!parts.is_empty()).then_some(Compound(parts))
    }

    fn identifier(&mut self) -> Option<String> {
        let end = self
            .rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || !c.is_ascii()))
            .map_or(self.rest.len(), |(at, _)| at);
        let identifier = &self.rest[..end];
        let starts_well = identifier
            .chars()
            .next()
            .is_some_and(|c| !c.is_ascii_digit());
        if !starts_well {
            return None;
        }
        self.rest = &self.rest[end..];
        Some(identifier.to_string())
    }

    /// After `[`: `name]` or `name OP value]`.
    fn attribute(&mut self) -> Option<Simple> {
        let name = self.identifier()?.to_ascii_lowercase();
        if let Some(rest) = self.rest.strip_prefix(']') {
            self.rest = rest;
            return Some(Simple::Attribute { name, test: None });
        }
        let operators = [
            ("~=", Operator::Word),
            ("^=", Operator::Prefix),
            ("$=", Operator::Suffix),
            ("*=", Operator::Contains),
            ("=", Operator::Equals),
        ];
        let (token, operator) = operators
            .into_iter()
            .find(|(token, _)| self.rest.starts_with(token))?;
        self.rest = &self.rest[token.len()..];
        let value = match self.rest.chars().next()? {
            quote @ ('"' | '\'') => {
                let end = self.rest[1..].find(quote)? + 1;
                let value = self.rest[1..end].to_string();
                self.rest = &self.rest[end + 1..];
                value
            }
            _ => self.identifier()?,
        };
        self.rest = self.rest.strip_prefix(']')?;
        Some(Simple::Attribute {
            name,
            test: Some((operator, value)),
        })
    }
}
