//! Requests the background answers: from a page's recorder and loader
//! (sent from that tab, so the tab is the sender's), and from the popup,
//! review and mark pages (which name the tab or the report).

use serde::{Deserialize, Serialize};

/// A request to the background service worker.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum ToBackground {
    /// A page's recorder starts: where the page is and how it looks.
    /// Answered with a [`crate::HelloAnswer`].
    Hello(Hello),
    /// Sealed chunks, as JSON texts in the bulk field `chunks`. Answered
    /// with a [`crate::StoreAnswer`].
    Chunks,
    /// Part `part` of `parts` of one long chunk, in the bulk field `text`.
    /// Answered with a [`crate::StoreAnswer`]: `held` until the last part,
    /// then `stored`.
    ChunkPart { part: u32, parts: u32 },
    /// The page's recorder failed to start or stopped with an error.
    RecorderFailed { error: String },
    /// The loader could not compile WebAssembly under the page's CSP: inject
    /// the wasm2js build of the recorder.
    RecorderJs,
    /// The recording state of `tab`. Answered with a [`crate::StatusAnswer`].
    Status { tab: i64 },
    /// Start recording `tab`.
    Start { tab: i64 },
    /// Enter mark mode in `tab` (starting a mark-only recording if needed).
    Mark { tab: i64 },
    /// The mark form was submitted (from the form's frame in the tab).
    MarkSave(MarkSave),
    /// The mark form was cancelled.
    MarkCancel,
    /// Stop recording `tab`.
    Stop { tab: i64 },
    /// Upload the stopped recording of `tab` and give it a share link.
    Share { tab: i64 },
    /// Upload again after a failure.
    Retry { tab: i64 },
    /// Throw away the stopped recording of `tab`.
    Discard { tab: i64 },
    /// Upload the report of `session` again (from the report list).
    RetryReport { session: String },
    /// Throw away the unsent report of `session`.
    DiscardReport { session: String },
    /// Take the report of `session` off the list.
    RemoveReport { session: String },
    /// The tab's own pixels at the boxes of drawings the page's recorder
    /// cannot read back (WebGL, canvases tainted by other origins'
    /// pictures, protected video), from the tab's top frame while it is
    /// recorded. Answered with a [`crate::TabPixelsAnswer`].
    TabPixels(TabPixels),
}

/// Where to crop the tab's pixels: boxes in the viewport, in CSS pixels
/// (`[x, y, width, height]`), and the boxes of masked and blocked content,
/// blacked out before anything is cropped.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct TabPixels {
    /// The viewport's width in CSS pixels (what the capture's size scales).
    pub viewport_width: f64,
    pub boxes: Vec<[f64; 4]>,
    pub masks: Vec<[f64; 4]>,
}

/// What a starting page tells the background. The URL and title are
/// masked by the recorder before they are sent.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Hello {
    /// Which build of the recorder runs: `wasm` or `js` (wasm2js).
    pub build: String,
    pub url: String,
    pub title: String,
    /// The window's inner size, in CSS pixels.
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
    pub language: String,
    pub user_agent: String,
    /// The page's `<meta name=release|version>`, if it has one.
    pub release: Option<String>,
}

/// The mark form's fields.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct MarkSave {
    pub comment: String,
    pub mark_kind: String,
    pub severity: String,
}

impl ToBackground {
    /// The tab a page request names, if it names one.
    pub fn named_tab(&self) -> Option<i64> {
        match self {
            ToBackground::Status { tab }
            | ToBackground::Start { tab }
            | ToBackground::Mark { tab }
            | ToBackground::Stop { tab }
            | ToBackground::Share { tab }
            | ToBackground::Retry { tab }
            | ToBackground::Discard { tab } => Some(*tab),
            _ => None,
        }
    }
}
