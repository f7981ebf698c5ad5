//! Reading a bundle's text entry by entry, checking each entry and writing
//! it back out before the next is read: how the server takes an upload.
//!
//! Read whole into [`Bundle`], a text dense in small entries costs many
//! times its size (a one-character text node is three bytes of text and
//! about seventy as a record; a hostile upload of millions of them cost the
//! server 26 times its size). Here the head of the bundle (identity,
//! environment, pages) is read whole, and each list (screenshots, marks,
//! console, network, events, and inside a snapshot or a mutation its
//! nodes) one entry at a time: the entry is read, checked as
//! [`Bundle::validate`] checks it, and written in the bundle's own form to
//! the caller's writer (the server's gzip), so what is held is the text in
//! and one entry. The lists are written first and the head last (a JSON
//! object's keys may come in any order). What is written is what was
//! checked: unknown keys are dropped, and every value is written from its
//! typed form; when the reading fails, what was written is to be dropped.

use std::io::Write;

use serde::de::{self, DeserializeOwned, Deserializer as _, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::dom_reading::{EventFields, EventKind};
use crate::node_list::{self, CopyFailure};
use crate::validate::{
    validate_console_entry, validate_event, validate_mark, validate_network_entry,
    validate_screenshot, NodeOrder,
};
use crate::{
    AssetRef, Bundle, ConsoleEntry, Environment, Limits, Mark, MaskPolicy, NetworkEntry, Page,
    Screenshot, SkippedAsset, ValidationError,
};

/// The bundle's fields, its lists left as their text.
#[derive(Deserialize)]
struct Parts<'a> {
    format_version: u32,
    id: String,
    #[serde(default)]
    title: String,
    started_at: u64,
    duration_ms: u64,
    environment: Environment,
    pages: Vec<Page>,
    #[serde(borrow, default)]
    events: Option<&'a RawValue>,
    #[serde(borrow, default)]
    console: Option<&'a RawValue>,
    #[serde(borrow, default)]
    network: Option<&'a RawValue>,
    #[serde(borrow, default)]
    marks: Option<&'a RawValue>,
    #[serde(borrow, default)]
    screenshots: Option<&'a RawValue>,
    mask_policy: MaskPolicy,
    #[serde(default)]
    thumbnail: Option<Screenshot>,
    #[serde(default)]
    assets: Vec<AssetRef>,
    #[serde(default)]
    skipped_assets: Vec<SkippedAsset>,
}

/// Read `json` as a bundle, checking it against the format's rules and
/// `limits` entry by entry, and write it to `out` as checked (see the
/// module's documentation). The bundle's head (its lists left empty).
pub fn read_checked(
    json: &[u8],
    limits: &Limits,
    out: &mut impl Write,
) -> Result<Bundle, ValidationError> {
    let mut reader = serde_json::Deserializer::from_slice(json);
    let parts: Parts =
        serde_path_to_error::deserialize(&mut reader).map_err(|e| ValidationError {
            path: e.path().to_string(),
            message: format!("not a valid bundle: {}", e.into_inner()),
        })?;
    reader.end().map_err(|e| ValidationError {
        path: String::new(),
        message: format!("not a valid bundle: {e}"),
    })?;
    let head = Bundle {
        format_version: parts.format_version,
        id: parts.id,
        title: parts.title,
        started_at: parts.started_at,
        duration_ms: parts.duration_ms,
        environment: parts.environment,
        pages: parts.pages,
        events: Vec::new(),
        console: Vec::new(),
        network: Vec::new(),
        marks: Vec::new(),
        screenshots: Vec::new(),
        mask_policy: parts.mask_policy,
        thumbnail: parts.thumbnail,
        assets: parts.assets,
        skipped_assets: parts.skipped_assets,
    };
    head.validate_head(limits)?;
    let pages = head.pages.len() as u32;
    let mut out = Lists::open(out)?;
    let shots = out.list(
        "screenshots",
        parts.screenshots,
        limits.max_screenshots,
        copy_entry(|i, shot: &Screenshot| validate_screenshot(i, shot, limits)),
    )? as u32;
    out.list(
        "marks",
        parts.marks,
        usize::MAX,
        copy_entry(|i, mark: &Mark| validate_mark(i, mark, pages, shots, limits)),
    )?;
    out.list(
        "console",
        parts.console,
        limits.max_console,
        copy_entry(|i, entry: &ConsoleEntry| validate_console_entry(i, entry, pages, limits)),
    )?;
    out.list(
        "network",
        parts.network,
        limits.max_network,
        copy_entry(|i, entry: &NetworkEntry| validate_network_entry(i, entry, pages, limits)),
    )?;
    out.list("events", parts.events, limits.max_events, |i, text, out| {
        copy_event(i, text, pages, limits, out)
    })?;
    out.close(&head)?;
    Ok(head)
}

/// Writes the bundle's object: `{`, each list followed by a comma (every
/// list, `[]` when the text had none), then the head's other fields and `}`.
struct Lists<'w, W> {
    out: &'w mut W,
}

/// The lists of a bundle, which [`Lists`] writes apart from its head.
const LIST_FIELDS: [&str; 5] = ["screenshots", "marks", "console", "network", "events"];

impl<'w, W: Write> Lists<'w, W> {
    fn open(out: &'w mut W) -> Result<Self, ValidationError> {
        out.write_all(b"{").map_err(|e| unwritable("", e))?;
        Ok(Lists { out })
    }

    /// Read, check and write the list `name` (its text `raw`), at most
    /// `max` entries, each written by `copy`. How many entries it held.
    fn list(
        &mut self,
        name: &'static str,
        raw: Option<&RawValue>,
        max: usize,
        copy: impl FnMut(usize, &str, &mut W) -> Result<(), ValidationError>,
    ) -> Result<usize, ValidationError> {
        write!(self.out, "\"{name}\":").map_err(|e| unwritable(name, e))?;
        let count = match raw {
            Some(raw) => each_entry(name, raw, max, copy, self.out)?,
            None => {
                self.out.write_all(b"[]").map_err(|e| unwritable(name, e))?;
                0
            }
        };
        self.out.write_all(b",").map_err(|e| unwritable(name, e))?;
        Ok(count)
    }

    /// Write the head's fields (its empty lists left out: they were
    /// written) and close the object.
    fn close(self, head: &Bundle) -> Result<(), ValidationError> {
        // The head is small (identity, environment, pages): as a map.
        let mut fields = match serde_json::to_value(head) {
            Ok(serde_json::Value::Object(fields)) => fields,
            Ok(_) => return Err(unwritable("", "the head is not an object")),
            Err(e) => return Err(unwritable("", e)),
        };
        for list in LIST_FIELDS {
            fields.remove(list);
        }
        let text = serde_json::to_vec(&fields).map_err(|e| unwritable("", e))?;
        let inside = text.strip_prefix(b"{").unwrap_or(&text);
        self.out.write_all(inside).map_err(|e| unwritable("", e))
    }
}

/// Copy one entry of a list as `T`: read, `check`ed, written.
fn copy_entry<T: DeserializeOwned + Serialize, W: Write>(
    mut check: impl FnMut(usize, &T) -> Result<(), ValidationError>,
) -> impl FnMut(usize, &str, &mut W) -> Result<(), ValidationError> {
    move |i, text, out| {
        let entry: T = read_entry(i, text)?;
        check(i, &entry)?;
        serde_json::to_writer(out, &entry).map_err(|e| unwritable(&format!("[{i}]"), e))
    }
}

/// Copy event `i`: a known one read, checked and written, its node list
/// one node at a time; one of a newer version kept as it came.
fn copy_event(
    i: usize,
    text: &str,
    pages: u32,
    limits: &Limits,
    out: &mut impl Write,
) -> Result<(), ValidationError> {
    let path = || format!("events[{i}]");
    let kind: EventKind = read_entry(i, text).map_err(|e| in_list("events", e))?;
    if !kind.is_known() {
        // A newer version's event, kept as it came (as a reader keeps it).
        return out
            .write_all(text.as_bytes())
            .map_err(|e| unwritable(&path(), e));
    }
    let fields: EventFields<&RawValue> = read_entry(i, text).map_err(|e| in_list("events", e))?;
    let (event, list) = fields
        .split::<serde_json::Error>()
        .map_err(|e| ValidationError {
            path: path(),
            message: format!("not a valid entry: {e}"),
        })?;
    validate_event(i, &event, pages, limits)?;
    let around = event.json_around_node_list();
    let (Some(list), Some((before, after))) = (list, around) else {
        return serde_json::to_writer(&mut *out, &event).map_err(|e| unwritable(&path(), e));
    };
    out.write_all(before.as_bytes())
        .map_err(|e| unwritable(&path(), e))?;
    let mut order = NodeOrder::of(&event);
    let copied =
        node_list::copy_checked(list.get(), |j, node| order.check(i, j, node, limits), out);
    match copied {
        Ok(_) => {}
        Err(CopyFailure::Refused(refused)) => return Err(refused),
        Err(CopyFailure::Unreadable(problem)) => {
            return Err(ValidationError {
                path: format!("{}.{}", path(), order.field()),
                message: problem,
            })
        }
    }
    order.finish(i)?;
    out.write_all(after.as_bytes())
        .map_err(|e| unwritable(&path(), e))
}

/// `refusal` of an entry, its path put under the list `name`.
fn in_list(name: &str, refusal: ValidationError) -> ValidationError {
    ValidationError {
        path: format!("{name}{}", refusal.path),
        ..refusal
    }
}

/// Entry `i` of a list, read from its text as `T`; a refusal's path
/// starts at the entry (`[i].field`), the list's name to be put before.
fn read_entry<'a, T: Deserialize<'a>>(i: usize, text: &'a str) -> Result<T, ValidationError> {
    let mut reader = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            format!("[{i}]")
        } else {
            format!("[{i}].{inner}")
        };
        ValidationError {
            path,
            message: format!("not a valid entry: {}", without_position(e.into_inner())),
        }
    })
}

/// What `e` says, without its line and column: they count in the entry's
/// own text, not the body's, and the path says where the entry is.
fn without_position(e: serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) if e.line() > 0 => text[..at].to_string(),
        _ => text,
    }
}

fn unwritable(path: &str, e: impl std::fmt::Display) -> ValidationError {
    ValidationError {
        path: path.to_string(),
        message: format!("could not be written back: {e}"),
    }
}

/// Call `copy` on the text of each entry of the list `name` (its text
/// `raw`), which writes it to `out`; at most `max` entries. How many there
/// were.
fn each_entry<W: Write>(
    name: &'static str,
    raw: &RawValue,
    max: usize,
    copy: impl FnMut(usize, &str, &mut W) -> Result<(), ValidationError>,
    out: &mut W,
) -> Result<usize, ValidationError> {
    let mut refused = None;
    let mut reader = serde_json::Deserializer::from_str(raw.get());
    let read = reader
        .deserialize_seq(Entries {
            name,
            max,
            copy,
            out,
            refused: &mut refused,
        })
        .and_then(|count| reader.end().map(|()| count));
    match (read, refused) {
        (_, Some(refused)) => Err(refused),
        (Ok(count), None) => Ok(count),
        (Err(e), None) => Err(ValidationError {
            path: name.to_string(),
            message: format!("not a list of entries: {e}"),
        }),
    }
}

/// The visitor of [`each_entry`]: a refusal is kept in `refused` (its path
/// under the list's name) and stops the reading.
struct Entries<'o, C, W> {
    name: &'static str,
    max: usize,
    copy: C,
    out: &'o mut W,
    refused: &'o mut Option<ValidationError>,
}

impl<'de, C: FnMut(usize, &str, &mut W) -> Result<(), ValidationError>, W: Write> Visitor<'de>
    for Entries<'_, C, W>
{
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a list of {}", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<usize, A::Error> {
        let mut count = 0;
        let mut done = self.write(b"[");
        while done.is_ok() {
            let Some(entry) = seq.next_element::<&'de RawValue>()? else {
                break;
            };
            done = self.copy_one(count, entry.get());
            count += 1;
        }
        match done.and_then(|()| self.write(b"]")) {
            Ok(()) => Ok(count),
            Err(refused) => {
                *self.refused = Some(refused);
                Err(de::Error::custom("an entry was refused"))
            }
        }
    }
}

impl<C: FnMut(usize, &str, &mut W) -> Result<(), ValidationError>, W: Write> Entries<'_, C, W> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), ValidationError> {
        self.out
            .write_all(bytes)
            .map_err(|e| unwritable(self.name, e))
    }

    /// Entry `i`, its text `text`: counted, copied, its refusal's path put
    /// under the list's name.
    fn copy_one(&mut self, i: usize, text: &str) -> Result<(), ValidationError> {
        if i == self.max {
            return Err(ValidationError {
                path: self.name.to_string(),
                message: format!("more than the limit of {} entries", self.max),
            });
        }
        if i > 0 {
            self.write(b",")?;
        }
        (self.copy)(i, text, self.out).map_err(|refusal| {
            if refusal.path.starts_with('[') {
                in_list(self.name, refusal)
            } else {
                refusal
            }
        })
    }
}
