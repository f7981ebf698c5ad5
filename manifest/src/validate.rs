//! Validation of a parsed bundle against the format's rules and [`Limits`].
//!
//! A validation error names the field path (`events[12].nodes[3].parent`) and
//! what is wrong, so that a refused upload says exactly why.

use std::fmt;

use crate::{
    Bundle, ConsoleEntry, DomEvent, EventRecord, Limits, Mark, NetworkEntry, NodeData, NodeRecord,
    FORMAT_VERSION,
};

mod images;
pub(crate) use images::validate_screenshot;
use images::validate_thumbnail;

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
        return fail(path, format!("more than the limit of {max} entries"));
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
        self.validate_head(limits)?;
        // In the order the server's entry-by-entry reading takes them
        // (crate::checked_copy), so that both refuse a bundle alike.
        let pages = self.pages.len() as u32;
        check_count(
            "screenshots",
            self.screenshots.len(),
            limits.max_screenshots,
        )?;
        for (i, shot) in self.screenshots.iter().enumerate() {
            validate_screenshot(i, shot, limits)?;
        }
        let shots = self.screenshots.len() as u32;
        for (i, mark) in self.marks.iter().enumerate() {
            validate_mark(i, mark, pages, shots, limits)?;
        }
        check_count("console", self.console.len(), limits.max_console)?;
        for (i, entry) in self.console.iter().enumerate() {
            validate_console_entry(i, entry, pages, limits)?;
        }
        check_count("network", self.network.len(), limits.max_network)?;
        for (i, entry) in self.network.iter().enumerate() {
            validate_network_entry(i, entry, pages, limits)?;
        }
        check_count("events", self.events.len(), limits.max_events)?;
        for (i, event) in self.events.iter().enumerate() {
            if let EventRecord::Known(event) = event {
                validate_event(i, event, pages, limits)?;
                if let Some(nodes) = event.node_list() {
                    let mut order = NodeOrder::of(event);
                    for (j, node) in nodes.iter().enumerate() {
                        order.check(i, j, node, limits)?;
                    }
                    order.finish(i)?;
                }
            }
        }
        Ok(())
    }

    /// Check everything but the entries of the lists (events, console,
    /// network, marks, screenshots) and their counts.
    pub(crate) fn validate_head(&self, limits: &Limits) -> Result<(), ValidationError> {
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
        if let Some(thumbnail) = &self.thumbnail {
            validate_thumbnail(thumbnail)?;
        }
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
        check_count("assets", self.assets.len(), limits.max_assets)?;
        for (i, asset) in self.assets.iter().enumerate() {
            check_bytes(
                || format!("assets[{i}].url"),
                &asset.url,
                limits.max_url_bytes,
            )?;
            if !crate::is_sha256_hex(&asset.sha256) {
                return fail(
                    format!("assets[{i}].sha256"),
                    "must be 64 lowercase hexadecimal digits",
                );
            }
            if !crate::is_asset_type(&asset.content_type) {
                return fail(
                    format!("assets[{i}].type"),
                    format!("`{}` is not a type an asset may have", asset.content_type),
                );
            }
            if asset.bytes > limits.max_asset_bytes as u64 {
                return fail(
                    format!("assets[{i}].bytes"),
                    format!("an asset may have at most {} bytes", limits.max_asset_bytes),
                );
            }
        }
        check_count(
            "skipped_assets",
            self.skipped_assets.len(),
            limits.max_assets,
        )?;
        for (i, skipped) in self.skipped_assets.iter().enumerate() {
            check_bytes(
                || format!("skipped_assets[{i}].url"),
                &skipped.url,
                limits.max_url_bytes,
            )?;
            check_bytes(
                || format!("skipped_assets[{i}].why"),
                &skipped.why,
                limits.max_label_bytes,
            )?;
        }
        Ok(())
    }
}

/// `page` is one of the bundle's `pages` pages.
fn check_page(path: impl Fn() -> String, page: u32, pages: u32) -> Result<(), ValidationError> {
    if page >= pages {
        return fail(
            path(),
            format!("page {page} does not exist ({pages} pages)"),
        );
    }
    Ok(())
}

/// Check console entry `i`.
pub(crate) fn validate_console_entry(
    i: usize,
    entry: &ConsoleEntry,
    pages: u32,
    limits: &Limits,
) -> Result<(), ValidationError> {
    check_page(|| format!("console[{i}].page"), entry.page, pages)?;
    for (j, arg) in entry.args.iter().enumerate() {
        check_string(|| format!("console[{i}].args[{j}]"), arg, limits)?;
    }
    Ok(())
}

/// Check network entry `i`.
pub(crate) fn validate_network_entry(
    i: usize,
    entry: &NetworkEntry,
    pages: u32,
    limits: &Limits,
) -> Result<(), ValidationError> {
    check_page(|| format!("network[{i}].page"), entry.page, pages)?;
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
    Ok(())
}

/// Check mark `i`, given how many screenshots the bundle holds.
pub(crate) fn validate_mark(
    i: usize,
    mark: &Mark,
    pages: u32,
    shots: u32,
    limits: &Limits,
) -> Result<(), ValidationError> {
    check_page(|| format!("marks[{i}].page"), mark.page, pages)?;
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
    Ok(())
}

/// The most positions in one `pointer` event (the recorder sends at most
/// a second's worth, a few dozen).
const MAX_POINTER_PATH: usize = 1_000;

/// Check event `i`, all but its node list (see [`NodeOrder`]).
pub(crate) fn validate_event(
    i: usize,
    event: &DomEvent,
    pages: u32,
    limits: &Limits,
) -> Result<(), ValidationError> {
    check_page(|| format!("events[{i}].page"), event.page(), pages)?;
    match event {
        DomEvent::Mutation { attrs, texts, .. } => {
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
        DomEvent::Input { value, label, .. } => {
            if let Some(value) = value {
                check_string(|| format!("events[{i}].value"), value, limits)?;
            }
            if let Some(label) = label {
                check_bytes(
                    || format!("events[{i}].label"),
                    label,
                    limits.max_label_bytes,
                )?;
            }
        }
        DomEvent::Click {
            label: Some(label), ..
        } => {
            check_bytes(
                || format!("events[{i}].label"),
                label,
                limits.max_label_bytes,
            )?;
        }
        DomEvent::Navigation { url, how, .. } => {
            check_bytes(|| format!("events[{i}].url"), url, limits.max_url_bytes)?;
            check_bytes(|| format!("events[{i}].how"), how, limits.max_label_bytes)?;
        }
        DomEvent::Pointer { path, .. } => {
            if path.is_empty() || path.len() > MAX_POINTER_PATH {
                return fail(
                    format!("events[{i}].path"),
                    format!("must hold 1 to {MAX_POINTER_PATH} positions"),
                );
            }
            if path.windows(2).any(|w| w[1].0 < w[0].0) {
                return fail(format!("events[{i}].path"), "must be in time order");
            }
        }
        DomEvent::Pixels { image, .. } => {
            check_string(|| format!("events[{i}].image"), image, limits)?;
            if !crate::dom::is_pixel_image(image) {
                return fail(
                    format!("events[{i}].image"),
                    "must be a base64 data: URL of a WebP, PNG or JPEG image",
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// The checks on an event's node list, one record at a time, so that a
/// list can be checked while it is read without being held: each node on
/// its own, how many there are, and for a snapshot, that it starts with the
/// document, every parent comes before its children and no id repeats.
pub(crate) struct NodeOrder {
    field: &'static str,
    snapshot: bool,
    count: usize,
    seen: IdSet,
}

impl NodeOrder {
    /// The checks for `event`'s node list.
    pub(crate) fn of(event: &DomEvent) -> Self {
        let snapshot = matches!(event, DomEvent::Snapshot { .. });
        NodeOrder {
            field: if snapshot { "nodes" } else { "adds" },
            snapshot,
            count: 0,
            seen: IdSet::default(),
        }
    }

    /// The list's field: `nodes` or `adds`.
    pub(crate) fn field(&self) -> &'static str {
        self.field
    }

    /// Check record `j` of event `i`'s list.
    pub(crate) fn check(
        &mut self,
        i: usize,
        j: usize,
        node: &NodeRecord,
        limits: &Limits,
    ) -> Result<(), ValidationError> {
        let field = self.field;
        self.count += 1;
        if self.count > limits.max_nodes_per_event {
            return fail(
                format!("events[{i}].{field}"),
                format!(
                    "more than the limit of {} entries",
                    limits.max_nodes_per_event
                ),
            );
        }
        let path = || format!("events[{i}].{field}[{j}]");
        if self.snapshot {
            if j == 0 && !(node.parent == 0 && node.data == NodeData::Document) {
                return fail(path(), "a snapshot starts with the document");
            }
            if j > 0 && !self.seen.contains(node.parent) {
                return fail(
                    format!("{}.p", path()),
                    format!("parent {} does not come before this node", node.parent),
                );
            }
        }
        validate_node(&path, node, limits)?;
        if self.snapshot && !self.seen.insert(node.id) {
            return fail(
                format!("{}.id", path()),
                format!("id {} is used twice", node.id),
            );
        }
        Ok(())
    }

    /// Check the list once all of it was seen.
    pub(crate) fn finish(&self, i: usize) -> Result<(), ValidationError> {
        if self.snapshot && self.count == 0 {
            return fail(
                format!("events[{i}].nodes[0]"),
                "a snapshot starts with the document",
            );
        }
        Ok(())
    }
}

/// A set of node ids kept as runs of consecutive ids: a page's ids mostly
/// come one after the other, so a snapshot of a million nodes is a handful
/// of runs, and ids that do not run cost about as much here as the text
/// that names them.
#[derive(Default)]
struct IdSet {
    /// First id of each run, to one past its last.
    runs: std::collections::BTreeMap<u32, u64>,
}

impl IdSet {
    fn contains(&self, id: u32) -> bool {
        self.runs
            .range(..=id)
            .next_back()
            .is_some_and(|(_, &end)| u64::from(id) < end)
    }

    /// Add `id`; false when it was there already.
    fn insert(&mut self, id: u32) -> bool {
        if self.contains(id) {
            return false;
        }
        let end = u64::from(id) + 1;
        let joins_before = self
            .runs
            .range(..id)
            .next_back()
            .filter(|(_, &run_end)| run_end == u64::from(id))
            .map(|(&start, _)| start);
        let joins_after = u32::try_from(end)
            .ok()
            .and_then(|next| self.runs.remove(&next));
        let new_end = joins_after.unwrap_or(end);
        match joins_before {
            Some(start) => {
                self.runs.insert(start, new_end);
            }
            None => {
                self.runs.insert(id, new_end);
            }
        }
        true
    }
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
        NodeData::ShadowRoot { css } => check_string(|| format!("{}.css", path()), css, limits)?,
        NodeData::FrameDocument { url, .. } => {
            check_bytes(|| format!("{}.url", path()), url, limits.max_url_bytes)?
        }
        NodeData::Document => {}
    }
    Ok(())
}
