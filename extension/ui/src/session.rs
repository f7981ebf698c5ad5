//! What the background keeps in extension storage: the tester's settings, a
//! tab's recording session, and the state of its upload. Each is stored as
//! JSON text under its own key, never only in service-worker memory.

use repro_manifest::{Environment, Mark, MaskPolicy, Page, Screenshot};
use serde::{Deserialize, Serialize};

/// Storage key of the session recorded in `tab`.
pub fn session_key(tab: i64) -> String {
    format!("session:{tab}")
}

/// What every chunk key starts with.
const CHUNK_KEY_START: &str = "chunk:";

/// Is `key` (or a prefix of keys) a chunk's?
pub fn is_chunk_key(key: &str) -> bool {
    key.starts_with(CHUNK_KEY_START)
}

/// Prefix of every chunk key of session `session_id`.
pub fn chunk_prefix(session_id: &str) -> String {
    format!("{CHUNK_KEY_START}{session_id}:")
}

/// Storage key of one chunk; zero-padded so that keys sort in recording order.
pub fn chunk_key(session_id: &str, page: u32, seq: u32) -> String {
    format!("{CHUNK_KEY_START}{session_id}:{page:06}:{seq:09}")
}

/// A tab's recording, from Start to Stop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Bundle id: 32 hex digits.
    pub id: String,
    /// The recorded tab.
    pub tab: i64,
    /// Unix ms when Start was pressed.
    pub started_at: u64,
    /// Pages seen so far.
    pub pages: Vec<Page>,
    /// Environment, from the first page.
    pub environment: Option<Environment>,
    /// The masking policy given to every page's recorder.
    pub policy: MaskPolicy,
    /// Match patterns of the sites this tab visited while recording; the page
    /// hook is registered at `document_start` for them, so that a new page's
    /// earliest console and network activity is not missed.
    #[serde(default)]
    pub hook_patterns: Vec<String>,
    /// Started by "Mark an element" without a recording: stops after the mark.
    #[serde(default)]
    pub mark_only: bool,
    /// A small picture of the tab taken at Stop, masked (for report lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<repro_manifest::Screenshot>,
}

/// The match pattern covering `url`'s site (any port), for http and https only.
pub fn site_pattern(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next()?
    } else {
        host_port.split(':').next()?
    };
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{host}/*"))
}

/// Prefix of the marks of session `session_id`.
pub fn mark_prefix(session_id: &str) -> String {
    format!("mark:{session_id}:")
}

/// Storage key of mark number `n` of a session; zero-padded to sort.
pub fn mark_key(session_id: &str, n: usize) -> String {
    format!("mark:{session_id}:{n:06}")
}

/// A mark as kept until the bundle is assembled, with its images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMark {
    /// The mark (its screenshot indices are set at assembly).
    pub mark: Mark,
    /// The viewport with the element outlined, masked regions blacked out.
    pub screenshot: Option<Screenshot>,
    /// The element alone, masked regions blacked out.
    pub crop: Option<Screenshot>,
}

/// Storage key of the tester's exclusions for a stopped session.
pub fn review_key(session_id: &str) -> String {
    format!("review:{session_id}")
}

/// Storage key of a stopped session waiting for review or upload.
pub fn finished_key(session_id: &str) -> String {
    format!("finished:{session_id}")
}

/// What a stopped recording holds, shown before it is shared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Pages loaded.
    pub pages: usize,
    /// DOM events.
    pub events: usize,
    /// Console entries.
    pub console: usize,
    /// Network entries.
    pub network: usize,
    /// Screenshots.
    pub screenshots: usize,
    /// What the report lacks (a page whose recorder failed, a page without
    /// a snapshot), in words.
    #[serde(default)]
    pub problems: Vec<String>,
}

impl Summary {
    /// The summary in words.
    pub fn describe(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let counts = format!(
            "{:.1} s, {}, {}, {}, {}, {}.",
            self.duration_ms as f64 / 1000.0,
            plural(self.pages, "page", "pages"),
            plural(self.events, "page event", "page events"),
            plural(self.console, "console entry", "console entries"),
            plural(self.network, "network request", "network requests"),
            plural(self.screenshots, "screenshot", "screenshots"),
        );
        match self.problems.is_empty() {
            true => counts,
            false => format!("{counts} Not captured: {}.", self.problems.join("; ")),
        }
    }
}

/// Storage key of a stopped recording's entry in the tester's report list
/// (the upload queue and the history are these entries).
pub fn report_key(session_id: &str) -> String {
    format!("report:{session_id}")
}

/// Prefix of every report entry.
pub const REPORT_PREFIX: &str = "report:";

/// Storage key naming the report a tab's popup shows (its last stopped recording).
pub fn tab_report_key(tab: i64) -> String {
    format!("upload:{tab}")
}

/// A stopped recording in the tester's list: from review to the link. It is
/// keyed by session, not by tab, so it outlives its tab and the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The recording session (its bundle id).
    pub session: String,
    /// The tab it was recorded in (tab ids do not survive a browser restart).
    pub tab: i64,
    /// Title of the first page.
    pub title: String,
    /// URL of the first page (masked like the recording).
    pub page: String,
    /// Unix ms when it was stopped.
    pub stopped_at: u64,
    /// Where it is on its way to the server.
    pub state: UploadState,
    /// Why the recording stopped, when it was not the tester's Stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
}

/// Where a stopped recording is on its way to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UploadState {
    /// Stopped; the tester reviews what will be shared before anything leaves.
    Review {
        /// What it holds.
        summary: Summary,
    },
    /// The tester discarded the recording.
    Discarded,
    /// Chunks are being joined into a bundle.
    Preparing,
    /// The bundle is being sent, in parts.
    Uploading {
        /// Compressed size in bytes.
        bytes: u64,
        /// Bytes the server has so far.
        #[serde(default)]
        sent: u64,
    },
    /// The server stored it.
    Done {
        /// The share link.
        link: String,
    },
    /// The server could not be reached or was busy: Repro tries again by
    /// itself (with backoff), and the tester can retry now or discard.
    Waiting {
        /// What went wrong last time, in words.
        reason: String,
        /// How many tries failed so far.
        attempt: u32,
    },
    /// It failed in a way retrying cannot fix; the recording is kept.
    Failed {
        /// Why, in words.
        reason: String,
    },
}

impl UploadState {
    /// The state in words, for the popup.
    pub fn describe(&self) -> String {
        match self {
            UploadState::Review { summary } => {
                format!("Review before sharing: {}", summary.describe())
            }
            UploadState::Discarded => "The recording was discarded; nothing was shared.".into(),
            UploadState::Preparing => "Preparing the report…".into(),
            UploadState::Uploading { bytes, sent } => format!(
                "Uploading {} % of {}…",
                (*sent * 100).checked_div(*bytes).unwrap_or(0).min(100),
                human_bytes(*bytes)
            ),
            UploadState::Done { .. } => "Uploaded. Share this link:".into(),
            UploadState::Waiting { reason, attempt } => format!(
                "Waiting for the server: {reason}. Repro tries again by itself (tried {attempt} {}).",
                if *attempt == 1 { "time" } else { "times" }
            ),
            UploadState::Failed { reason } => format!("Upload failed: {reason}"),
        }
    }

    /// The state in a few words, for a line of the report list.
    pub fn short(&self) -> String {
        match self {
            UploadState::Review { .. } => "waiting for your review".into(),
            UploadState::Discarded => "discarded".into(),
            UploadState::Preparing => "preparing".into(),
            UploadState::Uploading { bytes, sent } => format!(
                "uploading {} %",
                (*sent * 100).checked_div(*bytes).unwrap_or(0).min(100)
            ),
            UploadState::Done { .. } => "uploaded".into(),
            UploadState::Waiting { reason, attempt } => {
                format!("waiting for the server (tried {attempt}×): {reason}")
            }
            UploadState::Failed { reason } => format!("failed: {reason}"),
        }
    }

    /// Still on its way: the recording is kept and may be retried or discarded.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            UploadState::Review { .. }
                | UploadState::Preparing
                | UploadState::Uploading { .. }
                | UploadState::Waiting { .. }
                | UploadState::Failed { .. }
        )
    }
}

/// How full the local storage budget is, in the tester's words.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetState {
    /// Plenty of room.
    Fine,
    /// 80 % or more used: say so before anything has to stop.
    Warning(String),
    /// Used up: no new recording starts, a running one stops; nothing kept is dropped.
    Full(String),
}

/// Judge `used` bytes against a budget of `budget_mb` megabytes.
pub fn budget_state(used: u64, budget_mb: f64) -> BudgetState {
    let budget = (budget_mb * 1024.0 * 1024.0).max(1.0);
    let share = used as f64 / budget;
    let words = format!(
        "Repro keeps {} of recordings in this browser, {:.0} % of its {} budget",
        human_bytes(used),
        share * 100.0,
        human_bytes(budget as u64)
    );
    if share >= 1.0 {
        BudgetState::Full(format!(
            "{words}. Recording is paused until you share or discard reports, or raise the budget in Options; nothing already recorded is dropped."
        ))
    } else if share >= 0.8 {
        BudgetState::Warning(format!(
            "{words}. At the budget, recording stops (nothing recorded is dropped): share or discard waiting reports."
        ))
    } else {
        BudgetState::Fine
    }
}

/// How long to wait before try number `attempt + 1` after `attempt` failed
/// tries: doubling from 2 s up to 5 min, spread by ±20 % with `jitter` in 0..1
/// so that many browsers do not come back at the same moment.
pub fn retry_delay_ms(attempt: u32, jitter: f64) -> u64 {
    let base = 2_000u64
        .saturating_mul(1u64 << attempt.saturating_sub(1).min(20))
        .min(300_000);
    (base as f64 * (0.8 + 0.4 * jitter.clamp(0.0, 1.0))) as u64
}

/// Can retrying fix a failure with this HTTP status (or none: unreachable)?
pub fn is_retryable(status: Option<u16>) -> bool {
    match status {
        None => true,
        // 409: parts missing or mismatched; the next try asks what arrived.
        Some(status) => status == 408 || status == 409 || status == 429 || status >= 500,
    }
}

/// `1536` → `1.5 KB`.
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Turn a server refusal into words a tester can act on.
pub fn explain_refusal(status: u16, server_message: Option<&str>) -> String {
    let hint = match status {
        401 => "the server did not accept the upload token; check it in Options",
        409 => "the upload's parts did not fit together; Repro sends them again",
        403 => "this upload token may not upload",
        413 => "the recording is larger than the server accepts",
        429 => "the server is busy; try again in a moment",
        s if s >= 500 => "the server had a problem",
        _ => "the server refused the report",
    };
    match server_message {
        Some(message) if !message.is_empty() => format!("{hint} ({status}: {message})"),
        _ => format!("{hint} ({status})"),
    }
}

/// Why a page cannot be recorded, from what the browser answered when the
/// recorder was started there, in words a tester can act on.
pub fn cannot_record(browser_said: &str) -> String {
    let lowered = browser_said.to_ascii_lowercase();
    let advice = if lowered.contains("missing host permission") {
        // Firefox, when the tester withdrew Repro's access to the site.
        Some("Repro may not read this site. Allow it in Firefox: about:addons → Repro → Permissions → \"Access your data for all websites\", then start again.")
    } else if lowered.contains("must request permission to access") {
        Some("Repro may not read this site. Allow it in Chromium: the extension's Details → \"Site access\" → \"On all sites\", then start again.")
    } else if lowered.contains("cannot be scripted")
        || lowered.contains("chrome://")
        || lowered.contains("about:")
        || lowered.contains("extension")
    {
        Some("Browsers let no extension record their own pages, other extensions' pages or the extension stores.")
    } else {
        None
    };
    match advice {
        Some(advice) => format!("This page cannot be recorded. {advice} ({browser_said})"),
        None => format!("This page cannot be recorded: {browser_said}"),
    }
}

/// How long a recording has run, for the popup: `0:42`, `12:05`, `1:02:09`.
pub fn elapsed_clock(ms: u64) -> String {
    let seconds = ms / 1000;
    match seconds / 3600 {
        0 => format!("{}:{:02}", seconds / 60, seconds % 60),
        hours => format!("{hours}:{:02}:{:02}", seconds / 60 % 60, seconds % 60),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_that_cannot_be_recorded_says_what_to_do() {
        let firefox = super::cannot_record("Missing host permission for the tab");
        assert!(
            firefox.contains("about:addons → Repro → Permissions"),
            "{firefox}"
        );
        assert!(firefox.ends_with("(Missing host permission for the tab)"));
        let chromium = super::cannot_record(
            "Cannot access contents of the page. Extension manifest must request permission to access the respective host.",
        );
        assert!(chromium.contains("Site access"), "{chromium}");
        let store = super::cannot_record("The extensions gallery cannot be scripted.");
        assert!(store.contains("extension stores"), "{store}");
        assert_eq!(
            super::cannot_record("something else"),
            "This page cannot be recorded: something else"
        );
    }

    use super::*;

    #[test]
    fn chunk_keys_sort_in_recording_order() {
        let mut keys = [
            chunk_key("s", 1, 0),
            chunk_key("s", 0, 10),
            chunk_key("s", 0, 9),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                chunk_key("s", 0, 9),
                chunk_key("s", 0, 10),
                chunk_key("s", 1, 0)
            ]
        );
    }

    #[test]
    fn site_patterns_cover_the_host_on_any_port() {
        assert_eq!(
            site_pattern("http://127.0.0.1:4500/a?b#c").as_deref(),
            Some("http://127.0.0.1/*")
        );
        assert_eq!(
            site_pattern("https://user@shop.test/x").as_deref(),
            Some("https://shop.test/*")
        );
        assert_eq!(
            site_pattern("https://[::1]:8080/").as_deref(),
            Some("https://[::1]/*")
        );
        assert_eq!(site_pattern("chrome://extensions"), None);
        assert_eq!(site_pattern("file:///tmp/x.html"), None);
    }

    #[test]
    fn summaries_read_as_words() {
        let summary = Summary {
            duration_ms: 12_345,
            pages: 1,
            events: 40,
            console: 3,
            network: 1,
            screenshots: 0,
            problems: Vec::new(),
        };
        assert_eq!(
            summary.describe(),
            "12.3 s, 1 page, 40 page events, 3 console entries, 1 network request, 0 screenshots."
        );
        let failed = Summary {
            problems: vec![
                "page 1 (http://a.test/) has no snapshot, so its replay is empty".into(),
            ],
            ..summary
        };
        assert!(failed.describe().ends_with(
            " Not captured: page 1 (http://a.test/) has no snapshot, so its replay is empty."
        ));
    }

    #[test]
    fn retries_back_off_with_jitter_and_a_ceiling() {
        assert_eq!(retry_delay_ms(1, 0.5), 2_000);
        assert_eq!(retry_delay_ms(2, 0.5), 4_000);
        assert_eq!(retry_delay_ms(3, 0.0), 6_400);
        assert_eq!(retry_delay_ms(30, 0.5), 300_000);
        assert_eq!(retry_delay_ms(1, 1.0), 2_400);
        assert!(is_retryable(None) && is_retryable(Some(503)) && is_retryable(Some(429)));
        assert!(!is_retryable(Some(401)) && !is_retryable(Some(413)) && !is_retryable(Some(422)));
    }

    #[test]
    fn progress_and_budgets_read_as_words() {
        let uploading = UploadState::Uploading {
            bytes: 2 * 1024 * 1024,
            sent: 820 * 1024,
        };
        assert_eq!(uploading.describe(), "Uploading 40 % of 2.0 MB…");
        assert_eq!(budget_state(10, 1.0), BudgetState::Fine);
        let BudgetState::Warning(words) = budget_state(900 * 1024, 1.0) else {
            panic!("90 % warns");
        };
        assert!(
            words.starts_with(
                "Repro keeps 900.0 KB of recordings in this browser, 88 % of its 1.0 MB budget."
            ),
            "{words}"
        );
        assert!(matches!(
            budget_state(2 * 1024 * 1024, 1.0),
            BudgetState::Full(_)
        ));
    }

    #[test]
    fn refusals_are_explained() {
        assert!(explain_refusal(401, Some("unknown token"))
            .contains("check it in Options (401: unknown token)"));
        assert_eq!(human_bytes(1536), "1.5 KB");
    }

    #[test]
    fn the_recording_time_reads_as_a_clock() {
        assert_eq!(super::elapsed_clock(0), "0:00");
        assert_eq!(super::elapsed_clock(42_900), "0:42");
        assert_eq!(super::elapsed_clock(725_000), "12:05");
        assert_eq!(super::elapsed_clock(3_729_000), "1:02:09");
    }
}
