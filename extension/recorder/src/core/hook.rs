//! Messages from the MAIN-world page hook, turned into masked bundle entries.
//!
//! The hook (a few lines of JavaScript in the page's own world) only wraps
//! `console`, error events, `fetch` and `XMLHttpRequest` and forwards what it
//! saw with `postMessage`. Everything it sends is untrusted page data: it is
//! parsed strictly here, capped, and masked before it joins a chunk.

use repro_manifest::{ConsoleEntry, ConsoleLevel, ConsoleSource, NetworkEntry, NetworkKind};
use serde::Deserialize;

use repro_manifest::mask_url;

/// The longest console argument kept, in characters.
pub const MAX_ARG_CHARS: usize = 10_000;
/// The most arguments kept per console call.
pub const MAX_ARGS: usize = 32;

/// The field that names a hook message's type.
pub const HOOK_TAG: &str = "type";
/// The type of a [`HookMessage::Console`] message, for a peek before parsing.
pub const HOOK_CONSOLE: &str = "console";

/// One message of the page hook.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HookMessage {
    /// A console call, an uncaught error or an unhandled rejection.
    Console {
        /// `log`, `info`, `warn`, `error`, `debug` or `trace`.
        level: ConsoleLevel,
        /// Where it came from.
        #[serde(default)]
        source: ConsoleSource,
        /// Arguments as text.
        #[serde(default)]
        args: Vec<String>,
        /// Stack trace, if any.
        #[serde(default)]
        stack: Option<String>,
        /// Wall-clock time, Unix ms.
        time: f64,
    },
    /// A finished (or failed) fetch or XHR.
    Network(Box<NetworkMessage>),
}

/// What the hook saw of one request.
#[derive(Debug, Deserialize)]
pub struct NetworkMessage {
    /// `fetch` or `xhr`.
    pub kind: NetworkKind,
    /// HTTP method.
    pub method: String,
    /// Request URL.
    pub url: String,
    /// HTTP status, absent on failure.
    #[serde(default)]
    pub status: Option<u16>,
    /// Wall-clock start, Unix ms.
    pub start: f64,
    /// Duration, ms.
    #[serde(default)]
    pub duration: Option<f64>,
    /// Failure reason.
    #[serde(default)]
    pub error: Option<String>,
    /// Request headers.
    #[serde(default)]
    pub request_headers: Vec<(String, String)>,
    /// Response headers.
    #[serde(default)]
    pub response_headers: Vec<(String, String)>,
    /// Request body.
    #[serde(default)]
    pub request_body: Option<HookBody>,
    /// Response body.
    #[serde(default)]
    pub response_body: Option<HookBody>,
}

/// A body as the hook forwards it.
#[derive(Debug, Deserialize)]
pub struct HookBody {
    /// Its text (textual bodies only, already cut to the hook's limit).
    #[serde(default)]
    text: Option<String>,
    /// Its full size.
    #[serde(default)]
    size: f64,
    /// Its MIME type.
    #[serde(default)]
    mime: Option<String>,
}

impl HookBody {
    fn masked(self) -> repro_manifest::Body {
        let mime = self.mime.unwrap_or_default();
        super::network::body(self.text, self.size.max(0.0) as u64, &mime)
    }
}

/// Cap `text` and mask the secrets in it.
fn cap(text: String) -> String {
    let capped = match text.char_indices().nth(MAX_ARG_CHARS) {
        Some((at, _)) => format!("{}… [truncated by Repro]", &text[..at]),
        None => text,
    };
    super::mask::free_text(capped)
}

fn session_time(wall: f64, session_start: u64) -> u64 {
    (wall - session_start as f64).max(0.0) as u64
}

/// For a moment before the session started (the pre-roll), how long before.
fn before_start(wall: f64, session_start: u64) -> Option<u64> {
    let before = session_start as f64 - wall;
    (before >= 1.0).then_some(before as u64)
}

/// What a hook message becomes in a chunk.
#[derive(Debug, PartialEq)]
pub enum Entry {
    /// A console entry.
    Console(ConsoleEntry),
    /// A network entry.
    Network(Box<NetworkEntry>),
}

/// A stack without the frames of an extension's own code (the page hook's
/// console wrappers first): the page's frames are what a developer reads.
fn page_frames(stack: &str) -> String {
    stack
        .lines()
        .filter(|line| !line.contains("-extension://"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Turn a hook message into a masked, capped entry.
pub fn to_entry(message: HookMessage, session_start: u64, page: u32) -> Entry {
    match message {
        HookMessage::Console {
            level,
            source,
            args,
            stack,
            time,
        } => Entry::Console(ConsoleEntry {
            t: session_time(time, session_start),
            before_start_ms: before_start(time, session_start),
            page,
            level,
            source,
            args: args.into_iter().take(MAX_ARGS).map(cap).collect(),
            stack: stack.map(|stack| cap(page_frames(&stack))),
        }),
        HookMessage::Network(message) => {
            let NetworkMessage {
                kind,
                method,
                url,
                status,
                start,
                duration,
                error,
                request_headers,
                response_headers,
                request_body,
                response_body,
            } = *message;
            Entry::Network(Box::new(NetworkEntry {
                t: session_time(start, session_start),
                before_start_ms: before_start(start, session_start),
                page,
                kind,
                method: method.chars().take(16).collect(),
                url: cap(mask_url(&url)),
                resource_type: String::new(),
                status,
                duration_ms: duration.map(|d| d.max(0.0) as u64),
                error: error.map(cap),
                request_headers: super::network::headers(request_headers),
                response_headers: super::network::headers(response_headers),
                request_body: request_body.map(HookBody::masked),
                response_body: response_body.map(HookBody::masked),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_message_becomes_a_capped_entry() {
        let json = r#"{"type":"console","level":"warn","args":["a","b"],"time":1500}"#;
        let message: HookMessage = serde_json::from_str(json).unwrap();
        let Entry::Console(entry) = to_entry(message, 1000, 2) else {
            panic!("console")
        };
        assert_eq!(
            (entry.t, entry.page, entry.level),
            (500, 2, ConsoleLevel::Warn)
        );
        assert_eq!(entry.args, ["a", "b"]);
        let long = "x".repeat(MAX_ARG_CHARS + 5);
        assert!(cap(long).ends_with("[truncated by Repro]"));
    }

    #[test]
    fn network_urls_lose_their_tokens() {
        let json = r#"{"type":"network","kind":"fetch","method":"GET","url":"https://a.test/x?access_token=abc&page=2","status":200,"start":2000,"duration":12.5}"#;
        let message: HookMessage = serde_json::from_str(json).unwrap();
        let Entry::Network(entry) = to_entry(message, 1000, 0) else {
            panic!("network")
        };
        assert_eq!(entry.url, "https://a.test/x?access_token=[masked]&page=2");
        assert_eq!(
            (entry.t, entry.status, entry.duration_ms),
            (1000, Some(200), Some(12))
        );
    }

    #[test]
    fn console_text_loses_its_secrets() {
        let json = r#"{"type":"console","level":"error","args":["user ada@example.com failed"],"stack":"Error: for ada@example.com\n    at chrome-extension://abc/page-hook.js:70:95\n    at moz-extension://d/page-hook.js:1:2","time":1}"#;
        let Entry::Console(entry) = to_entry(serde_json::from_str(json).unwrap(), 0, 0) else {
            panic!("console")
        };
        assert_eq!(entry.args, ["user *************** failed"]);
        assert_eq!(entry.stack.as_deref(), Some("Error: for ***************"));
    }

    #[test]
    fn network_headers_and_bodies_are_masked() {
        let json = r#"{"type":"network","kind":"fetch","method":"POST","url":"/login","status":200,"start":1,
            "request_headers":[["authorization","Bearer abcdefghijklmnopqrstu"],["content-type","application/json"]],
            "request_body":{"text":"{\"user\":\"ada\",\"password\":\"hunter2\"}","size":34,"mime":"application/json"},
            "response_headers":[["set-cookie","sid=1"]],
            "response_body":{"size":2048,"mime":"image/png"}}"#;
        let Entry::Network(entry) = to_entry(serde_json::from_str(json).unwrap(), 0, 0) else {
            panic!("network")
        };
        assert_eq!(entry.request_headers[0].1, repro_manifest::MASKED);
        assert_eq!(entry.response_headers[0].1, repro_manifest::MASKED);
        let body = entry.request_body.unwrap().text.unwrap();
        assert!(
            body.contains("\"user\":\"ada\"") && !body.contains("hunter2"),
            "{body}"
        );
        assert_eq!(entry.response_body.unwrap().text, None);
    }

    #[test]
    fn pre_roll_entries_say_how_long_before_the_start() {
        let json = r#"{"type":"console","level":"log","args":["early"],"time":400}"#;
        let Entry::Console(entry) = to_entry(serde_json::from_str(json).unwrap(), 1000, 0) else {
            panic!("console")
        };
        assert_eq!((entry.t, entry.before_start_ms), (0, Some(600)));
        let json = r#"{"type":"console","level":"log","args":["late"],"time":1500}"#;
        let Entry::Console(entry) = to_entry(serde_json::from_str(json).unwrap(), 1000, 0) else {
            panic!("console")
        };
        assert_eq!((entry.t, entry.before_start_ms), (500, None));
    }

    #[test]
    fn unknown_levels_are_refused() {
        let json = r#"{"type":"console","level":"shout","args":[],"time":1}"#;
        assert!(serde_json::from_str::<HookMessage>(json).is_err());
    }

    #[test]
    fn the_console_peek_names_the_console_variant() {
        let json = format!(r#"{{"{HOOK_TAG}":"{HOOK_CONSOLE}","level":"log","time":1}}"#);
        assert!(matches!(
            serde_json::from_str::<HookMessage>(&json),
            Ok(HookMessage::Console { .. })
        ));
    }
}
