//! What the page's own Resource Timing says of a load (its document, its
//! scripts, styles, images, fonts, media, frames) as a network entry:
//! kind, status, timing. fetch, XHR and beacons come from the page hook
//! with their headers and bodies, so they are left out here: no request is
//! listed twice. (Repro read these loads from the browser's `webRequest`
//! observer before; holding that permission made every request of every
//! page in the browser slower, recorded or not.)

use repro_manifest::{mask_url, pii, NetworkEntry, NetworkKind};

/// How far before Start the loads of the page are kept when the pre-roll
/// is on (the page hook keeps its last minute the same way).
pub const PRE_ROLL_MS: f64 = 60_000.0;

/// One Resource Timing entry (a `resource` or the `navigation` one), as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimedLoad {
    /// The entry's `name`: the URL loaded.
    pub url: String,
    /// `resource` or `navigation`.
    pub entry_type: String,
    /// `initiatorType`: what asked for it (`script`, `link`, `img`, `css`, `fetch`, ...).
    pub initiator: String,
    /// When it started, in ms since the epoch (`timeOrigin + startTime`).
    pub start_wall: f64,
    /// `duration`, in ms.
    pub duration: f64,
    /// `responseStatus`: 0 when the browser does not tell (another origin
    /// without `Timing-Allow-Origin`, or no response).
    pub status: u16,
    /// `contentType`, where the browser gives it (else empty).
    pub content_type: String,
    /// The document is a frame's (its own load is its parent's to list).
    pub in_frame: bool,
}

/// What the entry's page tells about every load.
#[derive(Debug, Clone, Copy)]
pub struct LoadContext {
    /// When the recording started (ms since the epoch).
    pub session_start: u64,
    /// The page's index in the recording.
    pub page: u32,
    /// Loads of the minute before Start are kept (the pre-roll setting).
    pub pre_roll: bool,
}

/// The entry `load` becomes, or `None` when it is not kept: the page
/// hook's kinds, Repro's own files and inline data, the browser's guess
/// at the page's icon, a frame's own document (its parent lists it), and
/// loads that began before Start (more than
/// [`PRE_ROLL_MS`] before it with the pre-roll on).
pub fn to_entry(load: TimedLoad, context: &LoadContext) -> Option<NetworkEntry> {
    let resource_type = resource_type(&load)?;
    if is_own_or_inline(&load.url) || is_browsers_icon_guess(&load) {
        return None;
    }
    let session_start = context.session_start as f64;
    let earliest = if context.pre_roll {
        session_start - PRE_ROLL_MS
    } else {
        session_start
    };
    if !load.start_wall.is_finite() || load.start_wall < earliest {
        return None;
    }
    let before = session_start - load.start_wall;
    Some(NetworkEntry {
        t: (load.start_wall - session_start).max(0.0) as u64,
        page: context.page,
        kind: NetworkKind::Resource,
        method: "GET".into(),
        url: masked_url(&load.url),
        resource_type: resource_type.into(),
        status: (load.status > 0).then_some(load.status),
        duration_ms: (load.duration.is_finite() && load.duration >= 0.0)
            .then_some(load.duration as u64),
        error: None,
        request_headers: Vec::new(),
        response_headers: Vec::new(),
        request_body: None,
        response_body: None,
        before_start_ms: (before >= 1.0).then_some(before as u64),
    })
}

/// The longest URL kept, in characters.
const MAX_URL_CHARS: usize = 4096;

/// `url` masked and cut to [`MAX_URL_CHARS`], at a cost bounded whatever
/// its length (a page may load a URL of megabytes): only twice the kept
/// length is masked, so a secret that crosses the cut is whole in what is
/// masked, and what is kept ends before anything cut mid-secret.
fn masked_url(url: &str) -> String {
    let head: String = url.chars().take(2 * MAX_URL_CHARS).collect();
    pii::mask(&mask_url(&head))
        .chars()
        .take(MAX_URL_CHARS)
        .collect()
}

/// Repro's own files (the recorder loaded into the tab, the mark form) and
/// inline data are not the page's loads.
fn is_own_or_inline(url: &str) -> bool {
    [
        "chrome-extension:",
        "moz-extension:",
        "data:",
        "blob:",
        "about:",
    ]
    .iter()
    .any(|scheme| url.starts_with(scheme))
}

/// The browser asks a page that names no icon for `/favicon.ico` itself
/// (Chromium lists it in the page's timeline, usually a 404): not the
/// page's request, and no lead to a bug.
fn is_browsers_icon_guess(load: &TimedLoad) -> bool {
    let path = load.url.split(['?', '#']).next().unwrap_or_default();
    load.initiator == "other"
        && path
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .is_some_and(|(_, path)| path == "favicon.ico")
}

/// What was loaded, named as the browser's network panels name it; `None`
/// for the kinds the page hook reports.
fn resource_type(load: &TimedLoad) -> Option<&'static str> {
    if load.entry_type == "navigation" {
        // A frame's document is in its parent's timeline already (an
        // `iframe` load): listed there, once.
        return (!load.in_frame).then_some("main_frame");
    }
    if is_the_hooks(&load.initiator) {
        return None;
    }
    let by_initiator = match load.initiator.as_str() {
        "script" => Some("script"),
        "img" | "image" | "input" | "icon" => Some("image"),
        "iframe" | "frame" => Some("sub_frame"),
        "video" | "audio" | "track" => Some("media"),
        "object" | "embed" => Some("object"),
        _ => None,
    };
    by_initiator
        .or_else(|| by_content_type(&load.content_type))
        .or_else(|| by_extension(&load.url))
        .or(match load.initiator.as_str() {
            "link" => Some("stylesheet"),
            "css" => Some("image"),
            _ => None,
        })
        .or(Some("other"))
}

/// Loads the page hook reports with their headers and bodies (by their
/// `initiatorType`): fetch, XHR and beacons.
pub fn is_the_hooks(initiator: &str) -> bool {
    matches!(initiator, "fetch" | "xmlhttprequest" | "beacon")
}

fn by_content_type(content_type: &str) -> Option<&'static str> {
    let mime = content_type.split(';').next()?.trim().to_ascii_lowercase();
    match mime.as_str() {
        "text/css" => Some("stylesheet"),
        "text/javascript" | "application/javascript" | "application/ecmascript" => Some("script"),
        m if m.starts_with("image/") => Some("image"),
        m if m.starts_with("font/") || m.contains("font") => Some("font"),
        m if m.starts_with("video/") || m.starts_with("audio/") => Some("media"),
        _ => None,
    }
}

fn by_extension(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "css" => Some("stylesheet"),
        "js" | "mjs" => Some("script"),
        "woff" | "woff2" | "ttf" | "otf" | "eot" => Some("font"),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "ico" => Some("image"),
        "mp4" | "webm" | "mp3" | "ogg" | "wav" | "m4a" => Some("media"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: u64 = 1_000_000;

    fn context() -> LoadContext {
        LoadContext {
            session_start: START,
            page: 2,
            pre_roll: true,
        }
    }

    fn load(initiator: &str, url: &str, at: f64) -> TimedLoad {
        TimedLoad {
            url: url.into(),
            entry_type: "resource".into(),
            initiator: initiator.into(),
            start_wall: at,
            duration: 12.7,
            status: 200,
            content_type: String::new(),
            in_frame: false,
        }
    }

    #[test]
    fn a_script_after_start_is_a_resource_with_its_status_and_time() {
        let entry = to_entry(
            load("script", "https://a.test/app.js", 1_000_250.0),
            &context(),
        )
        .unwrap();
        assert_eq!(entry.kind, NetworkKind::Resource);
        assert_eq!(entry.resource_type, "script");
        assert_eq!(
            (entry.t, entry.page, entry.status, entry.duration_ms),
            (250, 2, Some(200), Some(12))
        );
        assert_eq!(entry.before_start_ms, None);
        assert_eq!(entry.method, "GET");
    }

    #[test]
    fn the_document_is_the_main_frame_and_a_frames_own_is_left_to_its_parent() {
        let mut document = load("navigation", "https://a.test/", 1_000_001.0);
        document.entry_type = "navigation".into();
        let top = to_entry(document.clone(), &context()).unwrap();
        assert_eq!(top.resource_type, "main_frame");
        document.in_frame = true;
        assert_eq!(to_entry(document, &context()), None);
    }

    #[test]
    fn the_hooks_kinds_are_left_to_the_hook() {
        for initiator in ["fetch", "xmlhttprequest", "beacon"] {
            assert_eq!(
                to_entry(
                    load(initiator, "https://a.test/api", 1_000_100.0),
                    &context()
                ),
                None
            );
        }
    }

    #[test]
    fn repros_own_files_and_inline_data_are_not_the_pages() {
        for url in [
            "chrome-extension://x/recorder.js",
            "moz-extension://x/a.wasm",
            "data:image/png;base64,AA",
            "blob:https://a.test/1",
        ] {
            assert_eq!(
                to_entry(load("script", url, 1_000_100.0), &context()),
                None,
                "{url}"
            );
        }
    }

    #[test]
    fn loads_before_start_are_kept_for_a_minute_only_with_the_pre_roll() {
        let early = load("img", "https://a.test/logo.png", 1_000_000.0 - 5_000.0);
        let entry = to_entry(early.clone(), &context()).unwrap();
        assert_eq!((entry.t, entry.before_start_ms), (0, Some(5_000)));
        let off = LoadContext {
            pre_roll: false,
            ..context()
        };
        assert_eq!(to_entry(early, &off), None);
        let too_early = load("img", "https://a.test/logo.png", 1_000_000.0 - 61_000.0);
        assert_eq!(to_entry(too_early, &context()), None);
    }

    #[test]
    fn an_unknown_status_is_absent_and_the_url_is_masked() {
        let mut hidden = load(
            "img",
            "https://cdn.test/a.png?token=abc123secret&x=1",
            1_000_100.0,
        );
        hidden.status = 0;
        let entry = to_entry(hidden, &context()).unwrap();
        assert_eq!(entry.status, None);
        assert!(!entry.url.contains("abc123secret"), "{}", entry.url);
    }

    #[test]
    fn what_was_loaded_is_named_from_the_initiator_the_type_or_the_path() {
        let named = |initiator: &str, url: &str, content_type: &str| {
            let mut l = load(initiator, url, 1_000_100.0);
            l.content_type = content_type.into();
            to_entry(l, &context()).unwrap().resource_type
        };
        assert_eq!(named("link", "https://a.test/site.css", ""), "stylesheet");
        assert_eq!(named("link", "https://a.test/x", "text/css"), "stylesheet");
        assert_eq!(named("css", "https://a.test/f.woff2", ""), "font");
        assert_eq!(named("css", "https://a.test/bg", "image/png"), "image");
        assert_eq!(named("css", "https://a.test/bg", ""), "image");
        assert_eq!(named("img", "https://a.test/a", ""), "image");
        assert_eq!(named("iframe", "https://b.test/", ""), "sub_frame");
        assert_eq!(named("video", "https://a.test/v", ""), "media");
        assert_eq!(named("other", "https://a.test/manifest.json", ""), "other");
    }

    #[test]
    fn the_browsers_guess_at_an_icon_is_not_the_pages_load() {
        let mut guess = load("other", "https://a.test/favicon.ico", 1_000_100.0);
        guess.status = 404;
        assert_eq!(to_entry(guess, &context()), None);
        let declared = load("link", "https://a.test/favicon.ico", 1_000_100.0);
        assert_eq!(
            to_entry(declared, &context()).unwrap().resource_type,
            "image"
        );
        let deeper = load("other", "https://a.test/static/favicon.ico", 1_000_100.0);
        assert!(to_entry(deeper, &context()).is_some());
    }

    #[test]
    fn a_huge_url_is_cut_and_a_secret_across_the_cut_is_masked() {
        let secret = "4111111111111111";
        // The secret starts at character 4090: the cut at 4096 crosses it.
        let url = format!(
            "https://a.test/{}/{secret}/{}",
            "a".repeat(4074),
            "b".repeat(3_000_000)
        );
        assert_eq!(url.find(secret), Some(4090));
        let entry = to_entry(load("img", &url, 1_000_100.0), &context()).unwrap();
        assert_eq!(entry.url.chars().count(), 4096);
        assert!(!entry.url.contains("411111"), "{}", &entry.url[4080..]);
    }

    #[test]
    fn a_load_with_no_time_is_not_kept() {
        assert_eq!(
            to_entry(load("img", "https://a.test/a.png", f64::NAN), &context()),
            None
        );
    }
}
