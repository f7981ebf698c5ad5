//! Validation of a parsed bundle against the format's rules and [`Limits`].
//!
//! A validation error names the field path (`events[12].nodes[3].parent`) and
//! what is wrong, so that a refused upload says exactly why.

use std::collections::HashSet;
use std::fmt;

use crate::{Bundle, DomEvent, EventRecord, Limits, NodeData, NodeRecord, FORMAT_VERSION};

/// Why a bundle is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the offending field, e.g. `events[3].nodes[0]`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ValidationError {}

fn fail<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, ValidationError> {
    Err(ValidationError {
        path: path.into(),
        message: message.into(),
    })
}

fn check_count(path: &str, len: usize, max: usize) -> Result<(), ValidationError> {
    if len > max {
        return fail(path, format!("{len} entries, more than the limit of {max}"));
    }
    Ok(())
}

/// `s` is at most `max` bytes long.
fn check_bytes(path: impl Fn() -> String, s: &str, max: usize) -> Result<(), ValidationError> {
    if s.len() > max {
        return fail(
            path(),
            format!("{} bytes, longer than the limit of {max}", s.len()),
        );
    }
    Ok(())
}

fn check_string(
    path: impl Fn() -> String,
    s: &str,
    limits: &Limits,
) -> Result<(), ValidationError> {
    if s.len() > limits.max_string_bytes {
        return fail(
            path(),
            format!(
                "{} bytes, longer than the limit of {}",
                s.len(),
                limits.max_string_bytes
            ),
        );
    }
    Ok(())
}

/// Is `name` acceptable as a tag or attribute name? Conservative on purpose:
/// the viewer creates elements from these names.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        && name.as_bytes()[0].is_ascii_alphabetic()
}

impl Bundle {
    /// Check the bundle against the format's rules and `limits`.
    pub fn validate(&self, limits: &Limits) -> Result<(), ValidationError> {
        if self.format_version == 0 || self.format_version > FORMAT_VERSION {
            return fail(
                "format_version",
                format!(
                    "version {} is not supported (this side reads versions 1 to {FORMAT_VERSION})",
                    self.format_version
                ),
            );
        }
        if !crate::is_valid_bundle_id(&self.id) {
            return fail("id", "must be 32 lowercase hexadecimal digits");
        }
        if self.pages.is_empty() {
            return fail("pages", "a bundle needs at least one page");
        }
        check_count("pages", self.pages.len(), limits.max_pages)?;
        check_bytes(|| "title".into(), &self.title, limits.max_title_bytes)?;
        for (i, page) in self.pages.iter().enumerate() {
            check_bytes(
                || format!("pages[{i}].title"),
                &page.title,
                limits.max_title_bytes,
            )?;
            check_bytes(
                || format!("pages[{i}].url"),
                &page.url,
                limits.max_url_bytes,
            )?;
        }
        let env = &self.environment;
        check_bytes(|| "environment.url".into(), &env.url, limits.max_url_bytes)?;
        for (field, value) in [
            ("browser", &env.browser),
            ("browser_version", &env.browser_version),
            ("os", &env.os),
            ("user_agent", &env.user_agent),
            ("language", &env.language),
            ("time_zone", &env.time_zone),
            ("extension_version", &env.extension_version),
            ("recorder_build", &env.recorder_build),
        ] {
            check_bytes(
                || format!("environment.{field}"),
                value,
                limits.max_label_bytes,
            )?;
        }
        if let Some(release) = &env.release {
            check_bytes(
                || "environment.release".into(),
                release,
                limits.max_label_bytes,
            )?;
        }
        check_count("events", self.events.len(), limits.max_events)?;
        check_count("console", self.console.len(), limits.max_console)?;
        check_count("network", self.network.len(), limits.max_network)?;
        check_count(
            "screenshots",
            self.screenshots.len(),
            limits.max_screenshots,
        )?;
        let pages = self.pages.len() as u32;
        let page_check = |path: String, page: u32| {
            if page >= pages {
                return fail(path, format!("page {page} does not exist ({pages} pages)"));
            }
            Ok(())
        };
        for (i, event) in self.events.iter().enumerate() {
            if let EventRecord::Known(event) = event {
                page_check(format!("events[{i}].page"), event.page())?;
                validate_event(i, event, limits)?;
            }
        }
        for (i, entry) in self.console.iter().enumerate() {
            page_check(format!("console[{i}].page"), entry.page)?;
            for (j, arg) in entry.args.iter().enumerate() {
                check_string(|| format!("console[{i}].args[{j}]"), arg, limits)?;
            }
        }
        for (i, entry) in self.network.iter().enumerate() {
            page_check(format!("network[{i}].page"), entry.page)?;
            check_string(|| format!("network[{i}].url"), &entry.url, limits)?;
            let headers = entry.request_headers.iter().chain(&entry.response_headers);
            for (j, (name, value)) in headers.enumerate() {
                check_string(|| format!("network[{i}].headers[{j}]"), name, limits)?;
                check_string(|| format!("network[{i}].headers[{j}]"), value, limits)?;
            }
            for (which, body) in [
                ("request_body", &entry.request_body),
                ("response_body", &entry.response_body),
            ] {
                if let Some(text) = body.as_ref().and_then(|b| b.text.as_ref()) {
                    check_string(|| format!("network[{i}].{which}.text"), text, limits)?;
                }
            }
        }
        let shots = self.screenshots.len() as u32;
        for (i, mark) in self.marks.iter().enumerate() {
            page_check(format!("marks[{i}].page"), mark.page)?;
            for (field, index) in [("screenshot", mark.screenshot), ("crop", mark.crop)] {
                if index.is_some_and(|s| s >= shots) {
                    return fail(
                        format!("marks[{i}].{field}"),
                        format!("there are only {shots} screenshots"),
                    );
                }
            }
            for (field, text) in [
                ("comment", &mark.comment),
                ("html", &mark.html),
                ("text", &mark.text),
            ] {
                check_string(|| format!("marks[{i}].{field}"), text, limits)?;
            }
        }
        for (i, shot) in self.screenshots.iter().enumerate() {
            if shot.mime != "image/png" && shot.mime != "image/jpeg" {
                return fail(
                    format!("screenshots[{i}].mime"),
                    "must be image/png or image/jpeg",
                );
            }
            check_string(|| format!("screenshots[{i}].data"), &shot.data, limits)?;
            let base64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
            if !shot.data.bytes().all(base64) {
                return fail(format!("screenshots[{i}].data"), "must be base64");
            }
        }
        Ok(())
    }
}

fn validate_event(i: usize, event: &DomEvent, limits: &Limits) -> Result<(), ValidationError> {
    match event {
        DomEvent::Snapshot { nodes, .. } => {
            check_count(
                &format!("events[{i}].nodes"),
                nodes.len(),
                limits.max_nodes_per_event,
            )?;
            match nodes.first() {
                Some(NodeRecord {
                    parent: 0,
                    data: NodeData::Document,
                    ..
                }) => {}
                _ => {
                    return fail(
                        format!("events[{i}].nodes[0]"),
                        "a snapshot starts with the document",
                    )
                }
            }
            let mut seen = HashSet::with_capacity(nodes.len());
            for (j, node) in nodes.iter().enumerate() {
                let path = || format!("events[{i}].nodes[{j}]");
                if j > 0 && !seen.contains(&node.parent) {
                    return fail(
                        format!("{}.p", path()),
                        format!("parent {} does not come before this node", node.parent),
                    );
                }
                validate_node(&path, node, limits)?;
                if !seen.insert(node.id) {
                    return fail(
                        format!("{}.id", path()),
                        format!("id {} is used twice", node.id),
                    );
                }
            }
        }
        DomEvent::Mutation {
            adds, attrs, texts, ..
        } => {
            check_count(
                &format!("events[{i}].adds"),
                adds.len(),
                limits.max_nodes_per_event,
            )?;
            for (j, node) in adds.iter().enumerate() {
                validate_node(&|| format!("events[{i}].adds[{j}]"), node, limits)?;
            }
            for (j, change) in attrs.iter().enumerate() {
                if !is_safe_name(&change.name) {
                    return fail(
                        format!("events[{i}].attrs[{j}].name"),
                        "not a valid attribute name",
                    );
                }
                if let Some(value) = &change.value {
                    check_string(|| format!("events[{i}].attrs[{j}].value"), value, limits)?;
                }
            }
            for (j, change) in texts.iter().enumerate() {
                check_string(
                    || format!("events[{i}].texts[{j}].text"),
                    &change.text,
                    limits,
                )?;
            }
        }
        DomEvent::Input {
            value: Some(value), ..
        } => {
            check_string(|| format!("events[{i}].value"), value, limits)?;
        }
        _ => {}
    }
    Ok(())
}

fn validate_node(
    path: &dyn Fn() -> String,
    node: &NodeRecord,
    limits: &Limits,
) -> Result<(), ValidationError> {
    if node.id == 0 {
        return fail(format!("{}.id", path()), "node ids start at 1");
    }
    match &node.data {
        NodeData::Element { tag, attrs, .. } => {
            if !is_safe_name(tag) {
                return fail(format!("{}.tag", path()), "not a valid tag name");
            }
            for (k, (name, value)) in attrs.iter().enumerate() {
                if !is_safe_name(name) {
                    return fail(
                        format!("{}.attrs[{k}]", path()),
                        "not a valid attribute name",
                    );
                }
                check_string(|| format!("{}.attrs[{k}]", path()), value, limits)?;
            }
        }
        NodeData::Text { text } | NodeData::Comment { text } => {
            check_string(|| format!("{}.text", path()), text, limits)?;
        }
        NodeData::Doctype { name } => check_string(|| format!("{}.name", path()), name, limits)?,
        NodeData::Document => {}
    }
    Ok(())
}
