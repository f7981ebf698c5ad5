//! How often and how much of a page's canvas and video pixels are
//! recorded: each element is looked at every [`SAMPLE_EVERY_MS`], a frame
//! is kept only when it differs from the element's last one, and a page
//! keeps at most [`PAGE_PIXEL_BYTES`] of frames, then says so once in the
//! console list. A frame larger than [`MAX_FRAME_BYTES`] is skipped.

use std::collections::HashMap;
use std::hash::Hasher;

use repro_manifest::{ConsoleEntry, ConsoleLevel, ConsoleSource};

use super::fast_hash::FastHasher;

/// How often each canvas and video is looked at, in milliseconds.
pub const SAMPLE_EVERY_MS: i32 = 500;
/// How often, at most, the tab's own pixels are asked for (drawings the
/// page cannot read back, such as WebGL's): the browser allows two
/// captures a second to the whole extension, and marks need theirs.
pub const TAB_PIXELS_EVERY_MS: f64 = 1_000.0;
/// How rarely, at most, they are asked for while they show nothing new:
/// the wait doubles after each capture that changed nothing (a still
/// scene, an empty canvas), and is back to [`TAB_PIXELS_EVERY_MS`] after
/// one that did. (Each capture also finds the boxes of masked content.)
pub const TAB_PIXELS_AT_MOST_EVERY_MS: f64 = 8_000.0;
/// The most frame bytes (as `data:` URLs) kept per page.
pub const PAGE_PIXEL_BYTES: usize = 16 * 1024 * 1024;
/// The largest frame kept, as a `data:` URL.
pub const MAX_FRAME_BYTES: usize = 2 * 1024 * 1024;
/// The WebP quality frames are encoded with.
pub const FRAME_QUALITY: f64 = 0.8;

/// What to do with a frame.
#[derive(Debug, PartialEq)]
pub enum FrameVerdict {
    /// Record it.
    Keep,
    /// The element shows what it showed last: nothing to record.
    Unchanged,
    /// Too large on its own: skipped.
    TooLarge,
    /// The page's budget is spent; with a note the first time.
    OverBudget(Option<ConsoleEntry>),
}

/// The wait before the next capture of the tab's pixels, after one that
/// waited `wait` and recorded `changed` frames.
pub fn next_tab_pixels_wait(wait: f64, changed: bool) -> f64 {
    match changed {
        true => TAB_PIXELS_EVERY_MS,
        false => (wait * 2.0).min(TAB_PIXELS_AT_MOST_EVERY_MS),
    }
}

/// The pixels recorded so far on one page.
#[derive(Debug, Default)]
pub struct PixelPacing {
    /// The hash of each element's last frame, by id.
    last: HashMap<u32, u64>,
    spent: usize,
    noted: bool,
}

fn hash(image: &str) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(image.as_bytes());
    hasher.finish() ^ (image.len() as u64) << 32
}

impl PixelPacing {
    /// Decide about `image`, element `id`'s pixels at time `t` on `page`.
    pub fn admit(&mut self, id: u32, image: &str, t: u64, page: u32) -> FrameVerdict {
        let hash = hash(image);
        if self.last.get(&id) == Some(&hash) {
            return FrameVerdict::Unchanged;
        }
        if image.len() > MAX_FRAME_BYTES {
            return FrameVerdict::TooLarge;
        }
        if self.spent + image.len() > PAGE_PIXEL_BYTES {
            let note = (!self.noted).then(|| note(t, page));
            self.noted = true;
            return FrameVerdict::OverBudget(note);
        }
        self.spent += image.len();
        self.last.insert(id, hash);
        FrameVerdict::Keep
    }

    /// Is the page's budget spent?
    pub fn spent(&self) -> bool {
        self.noted
    }

    /// Forget element `id` (it left the page).
    pub fn forget(&mut self, id: u32) {
        self.last.remove(&id);
    }
}

fn note(t: u64, page: u32) -> ConsoleEntry {
    ConsoleEntry {
        t,
        page,
        level: ConsoleLevel::Warn,
        source: ConsoleSource::Repro,
        args: vec![format!(
            "Repro keeps at most {} MiB of canvas and video pixels per page; later frames on this page were not recorded.",
            PAGE_PIXEL_BYTES / (1024 * 1024)
        )],
        stack: None,
        before_start_ms: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_kept_when_it_changed() {
        let mut pacing = PixelPacing::default();
        assert_eq!(pacing.admit(1, "data:a", 0, 0), FrameVerdict::Keep);
        assert_eq!(pacing.admit(1, "data:a", 1, 0), FrameVerdict::Unchanged);
        assert_eq!(pacing.admit(2, "data:a", 1, 0), FrameVerdict::Keep);
        assert_eq!(pacing.admit(1, "data:b", 2, 0), FrameVerdict::Keep);
        pacing.forget(1);
        assert_eq!(pacing.admit(1, "data:b", 3, 0), FrameVerdict::Keep);
    }

    #[test]
    fn the_tabs_pixels_are_asked_for_less_while_they_change_nothing() {
        let mut wait = TAB_PIXELS_EVERY_MS;
        let mut waits = Vec::new();
        for _ in 0..5 {
            wait = next_tab_pixels_wait(wait, false);
            waits.push(wait);
        }
        assert_eq!(waits, vec![2_000.0, 4_000.0, 8_000.0, 8_000.0, 8_000.0]);
        assert_eq!(next_tab_pixels_wait(wait, true), TAB_PIXELS_EVERY_MS);
    }

    #[test]
    fn the_budget_is_kept_and_said_once() {
        let mut pacing = PixelPacing::default();
        let big = "x".repeat(MAX_FRAME_BYTES + 1);
        assert_eq!(pacing.admit(1, &big, 0, 0), FrameVerdict::TooLarge);
        let frame = |n: usize| format!("{n:08}{}", "x".repeat(MAX_FRAME_BYTES - 8));
        let fits = PAGE_PIXEL_BYTES / MAX_FRAME_BYTES;
        for n in 0..fits {
            assert_eq!(pacing.admit(1, &frame(n), 0, 0), FrameVerdict::Keep);
        }
        let FrameVerdict::OverBudget(Some(note)) = pacing.admit(1, &frame(fits), 5, 2) else {
            panic!("a note the first time")
        };
        assert_eq!(
            (note.t, note.page, note.source),
            (5, 2, ConsoleSource::Repro)
        );
        assert!(note.args[0].contains("16 MiB"), "{:?}", note.args);
        assert_eq!(
            pacing.admit(1, &frame(fits + 1), 6, 2),
            FrameVerdict::OverBudget(None)
        );
        assert!(pacing.spent());
    }
}
