//! The top of a bundle: identity, environment, pages, and the lists of what
//! was captured.

use serde::{Deserialize, Serialize};

use crate::{AssetRef, ConsoleEntry, EventRecord, MaskPolicy, NetworkEntry, SkippedAsset};

/// The format version this crate writes. Readers accept this version and
/// every older one they know.
///
/// - 1: the first.
/// - 2: node lists (`nodes`, `adds`) in the compact form of
///   [`crate::node_list`]; readers take both forms in either version.
/// - 3: shadow roots (`{"k": "shadow_root"}` records under their host)
///   and frame documents (`{"k": "frame_document"}` under their frame).
/// - 4: the page's assets are stored with the report (`assets`): a
///   replay loads them from the server and nothing else.
pub const FORMAT_VERSION: u32 = 4;

/// The first format version whose reports store their page's assets: a
/// replay of one loads nothing but those (what was not stored is not
/// shown), where an older one loads from the recorded site.
pub const ASSETS_STORED_SINCE: u32 = 4;

/// The largest width or height of a bundle's thumbnail, in pixels.
pub const THUMBNAIL_MAX_SIDE: u32 = 640;
/// The most base64 characters of a bundle's thumbnail (64 KiB of image).
pub const THUMBNAIL_MAX_BASE64: usize = 87_384;

/// One recorded session, as the extension uploads it and the server stores it.
///
/// Times inside a bundle are milliseconds from the session start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Format version the bundle was written with.
    pub format_version: u32,
    /// Client-chosen id, 32 lowercase hex digits; a retried upload carries the
    /// same id, which makes uploads idempotent.
    pub id: String,
    /// Short human title (defaults to the first page's title).
    #[serde(default)]
    pub title: String,
    /// Wall-clock start of the session, Unix milliseconds.
    pub started_at: u64,
    /// Length of the session in milliseconds.
    pub duration_ms: u64,
    /// Where the session was recorded.
    pub environment: Environment,
    /// The documents loaded during the session, in order.
    pub pages: Vec<Page>,
    /// DOM events: snapshots and incremental changes, in time order per page.
    #[serde(default)]
    pub events: Vec<EventRecord>,
    /// Console entries, masked.
    #[serde(default)]
    pub console: Vec<ConsoleEntry>,
    /// Network entries, masked.
    #[serde(default)]
    pub network: Vec<NetworkEntry>,
    /// The tester's marks on page elements.
    #[serde(default)]
    pub marks: Vec<Mark>,
    /// Screenshots, base64 attachments.
    #[serde(default)]
    pub screenshots: Vec<Screenshot>,
    /// The masking policy the recorder applied.
    pub mask_policy: MaskPolicy,
    /// A small picture of the tab when recording stopped, masked like every
    /// screenshot, for lists of reports (at most [`THUMBNAIL_MAX_SIDE`]
    /// pixels a side and [`THUMBNAIL_MAX_BASE64`] characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<Screenshot>,
    /// The page assets stored with the report, by URL (their bytes are
    /// uploaded apart, once per content).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<AssetRef>,
    /// The page assets the report does not store, and why (the replay
    /// shows empty space there).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_assets: Vec<SkippedAsset>,
}

/// A width and a height in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Size {
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

/// The browser and machine a session was recorded on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Environment {
    /// Browser name, e.g. `Chromium`.
    pub browser: String,
    /// Browser version.
    pub browser_version: String,
    /// Operating system, e.g. `Linux x86_64`.
    pub os: String,
    /// The raw user agent string.
    #[serde(default)]
    pub user_agent: String,
    /// Viewport size when recording started.
    pub viewport: Size,
    /// Device pixel ratio.
    pub device_pixel_ratio: f64,
    /// Preferred language, e.g. `en-US`.
    pub language: String,
    /// IANA time zone, e.g. `Europe/Paris`.
    pub time_zone: String,
    /// URL of the first page (masked like any URL).
    pub url: String,
    /// Version of the Repro extension that recorded.
    pub extension_version: String,
    /// Which build of the recorder ran on the first page: `wasm`, or `js`
    /// (the wasm2js build used where the page's CSP forbids WebAssembly).
    #[serde(default)]
    pub recorder_build: String,
    /// Release metadata the page exposes (e.g. a `<meta name="release">`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
}

/// One document loaded during the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// When the page's recording started, ms from the session start.
    pub t: u64,
    /// The page URL (masked).
    pub url: String,
    /// The page title (masked).
    #[serde(default)]
    pub title: String,
}

/// A rectangle in CSS pixels, relative to the viewport.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A tester's mark on a page element: "this, here, is wrong".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    /// Time on the session timeline.
    pub t: u64,
    /// Index into [`Bundle::pages`].
    pub page: u32,
    /// A CSS selector matching exactly the marked element in its own document.
    pub selector: String,
    /// When the element is inside (same-origin) iframes: the selectors of
    /// those iframes, outermost first, each in its parent's document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<String>,
    /// An absolute XPath of the element in its own document.
    #[serde(default)]
    pub xpath: String,
    /// The element's box in the viewport when it was marked.
    #[serde(default)]
    pub rect: Rect,
    /// The viewport size then.
    #[serde(default)]
    pub viewport: Size,
    /// The document's scroll position then.
    #[serde(default)]
    pub scroll: (i32, i32),
    /// The tester's comment.
    #[serde(default)]
    pub comment: String,
    /// `bug`, `visual`, `copy` or `suggestion`.
    #[serde(default)]
    pub kind: String,
    /// `low`, `medium`, `high` or `critical`.
    #[serde(default)]
    pub severity: String,
    /// The element's text (masked, capped).
    #[serde(default)]
    pub text: String,
    /// The element's outer HTML (masked, capped).
    #[serde(default)]
    pub html: String,
    /// A few computed styles useful for visual bugs.
    #[serde(default)]
    pub styles: Vec<(String, String)>,
    /// Index into [`Bundle::screenshots`] of the viewport with the element outlined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<u32>,
    /// Index into [`Bundle::screenshots`] of the element's crop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crop: Option<u32>,
}

/// A screenshot attached to the bundle. Masked and blocked elements were
/// blacked out in the image itself before it was stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screenshot {
    /// Time on the session timeline.
    pub t: u64,
    /// Width in image pixels.
    #[serde(default)]
    pub width: u32,
    /// Height in image pixels.
    #[serde(default)]
    pub height: u32,
    /// MIME type, `image/png` or `image/jpeg`.
    pub mime: String,
    /// The image, base64.
    pub data: String,
}
