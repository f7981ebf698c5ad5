//! Console and network entries, as the recorder captured them (masked).

use serde::{Deserialize, Serialize};

/// A console level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleLevel {
    /// `console.log`
    Log,
    /// `console.info`
    Info,
    /// `console.warn`
    Warn,
    /// `console.error`, uncaught errors and rejections
    Error,
    /// `console.debug`
    Debug,
    /// `console.trace`
    Trace,
}

/// Where a console entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleSource {
    /// A call to a `console` method.
    #[default]
    Console,
    /// An uncaught exception.
    Uncaught,
    /// An unhandled promise rejection.
    Rejection,
    /// A Content-Security-Policy violation.
    Csp,
    /// An image, script, style or other resource that failed to load.
    Resource,
    /// A note from Repro itself, such as a limit reached.
    Repro,
}

/// One console entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleEntry {
    /// Time.
    pub t: u64,
    /// Page index.
    pub page: u32,
    /// Level.
    pub level: ConsoleLevel,
    /// Where it came from.
    #[serde(default)]
    pub source: ConsoleSource,
    /// The arguments, each rendered as text (masked).
    pub args: Vec<String>,
    /// A stack trace, when there is one (masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// For entries of the pre-roll (before recording started, `t` is 0):
    /// how many milliseconds before the start they happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_start_ms: Option<u64>,
}

/// How a request was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkKind {
    /// `fetch()`
    Fetch,
    /// `XMLHttpRequest`
    Xhr,
    /// `navigator.sendBeacon`
    Beacon,
    /// A WebSocket event: `method` is `OPEN`, `SEND`, `RECEIVE`, `CLOSE` or
    /// `ERROR`; a message's text is its request (sent) or response (received) body.
    Websocket,
    /// Any other request of the page (documents, scripts, images, ...).
    Resource,
}

/// One network request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkEntry {
    /// Start time.
    pub t: u64,
    /// Page index.
    pub page: u32,
    /// How it was made.
    pub kind: NetworkKind,
    /// HTTP method.
    pub method: String,
    /// URL (masked).
    pub url: String,
    /// For page resources: what was loaded (`main_frame`, `script`,
    /// `stylesheet`, `image`, `font`, ...), as the browser names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_type: String,
    /// HTTP status; absent when no response arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Duration in milliseconds, when the request finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Why the request failed (network error, CORS, aborted), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Request headers (secret ones kept by name only, values masked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_headers: Vec<(String, String)>,
    /// Response headers (secret ones kept by name only, values masked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_headers: Vec<(String, String)>,
    /// The request body, if one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<Body>,
    /// The response body, if one arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<Body>,
    /// For requests of the pre-roll (started before recording, `t` is 0):
    /// how many milliseconds before the start they began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_start_ms: Option<u64>,
}

/// A request or response body: its text when it is textual (capped and
/// masked), else only its size and type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Body {
    /// The text, masked; absent for binary bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Size of the whole body in characters (text) or bytes (binary); 0 when unknown.
    #[serde(default)]
    pub size: u64,
    /// MIME type, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mime: String,
    /// True when `text` is only the beginning of the body.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}
