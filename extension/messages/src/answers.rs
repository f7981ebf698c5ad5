//! The answers to requests that carry more than an error. Any answer may
//! instead be `{ error }`, which the pages show as it is.

use serde::{Deserialize, Serialize};

/// The background's answer to a [`crate::ToBackground::Hello`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct HelloAnswer {
    /// Whether the tab is being recorded; nothing else is set when not.
    pub recording: bool,
    /// When the recording started (ms since the epoch).
    pub session_start: f64,
    /// This page's index in the recording.
    pub page: u32,
    /// The recording's privacy policy, as JSON text.
    pub policy: String,
    /// The frame's id, when this recorder runs in a frame of another
    /// origin than its parent's: its chunks are relayed to the parent's
    /// recorder, which takes them in at the frame element.
    pub frame: Option<i64>,
    /// The pre-roll is on: what the page did in the minute before Start
    /// (its loads, as its own Resource Timing holds them) is kept.
    pub pre_roll: bool,
}

/// The answer to [`crate::ToBackground::Status`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusAnswer {
    pub recording: bool,
    /// The page's recorder has said hello: from here its events are recorded.
    pub ready: bool,
    pub session_start: f64,
}

/// The answer to chunks and chunk parts: stored, or (a part) held.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(default)]
pub struct StoreAnswer {
    pub stored: bool,
    pub held: bool,
}

/// The recorder's answer to [`crate::ToRecorder::Pick`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(default)]
pub struct PickAnswer {
    pub ok: bool,
    pub error: Option<String>,
}

/// The recorder's answer to [`crate::ToRecorder::MarkCommit`]: the picked
/// element's description as JSON text (a `MarkCapture`), or why not.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(default)]
pub struct CommitAnswer {
    pub capture: Option<String>,
    pub error: Option<String>,
}

/// The answer to [`crate::ToBackground::TabPixels`]: for each box, its
/// pixels as a WebP `data:` URL, or nothing (the tab was not the one shown,
/// the box was out of view).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(default)]
pub struct TabPixelsAnswer {
    pub images: Vec<Option<String>>,
}
