//! How playback moves through a recording: at a speed (1×, 2×, 4×, 8×),
//! skipping the stretches where nothing happened (**Skip inactivity**, on
//! by default: shown on the timeline), and where the moments worth seeing
//! before and after now are (the keyboard's `[` and `]`). Plain Rust,
//! tested natively.

use repro_manifest::{Bundle, EventRecord};

/// The speeds offered.
pub const SPEEDS: [u32; 4] = [1, 2, 4, 8];
/// A stretch without anything happening this long or longer is inactivity.
pub const INACTIVE_MS: u64 = 3_000;
/// A skip stops this long before the next thing happens (and starts this
/// long after the last), so the change is seen coming.
const LEAD_MS: u64 = 500;

/// The moments of a recording, for playing it.
#[derive(Debug, Clone, Default)]
pub struct Playback {
    /// When anything happened (any event, console entry, request, mark), sorted.
    activity: Vec<u64>,
    /// The moments a person would step between (steps, console entries,
    /// requests, marks, pages), sorted, without repeats.
    moments: Vec<u64>,
    duration: u64,
    /// The stretches playback skips (see [`Playback::inactive_spans`]),
    /// found once: playing asks at every tick.
    spans: Vec<(u64, u64)>,
}

impl Playback {
    /// The moments of `bundle`; `moments` are those worth stepping between
    /// (the panels' entries, which the player knows).
    pub fn of(bundle: &Bundle, moments: impl IntoIterator<Item = u64>) -> Playback {
        let mut activity: Vec<u64> = bundle
            .events
            .iter()
            .filter_map(|e| match e {
                EventRecord::Known(event) => Some(event.t()),
                EventRecord::Unknown(_) => None,
            })
            .chain(bundle.console.iter().map(|e| e.t))
            .chain(
                bundle
                    .network
                    .iter()
                    .flat_map(|r| [r.t, r.t.saturating_add(r.duration_ms.unwrap_or(0))]),
            )
            .chain(bundle.marks.iter().map(|m| m.t))
            .chain(bundle.pages.iter().map(|p| p.t))
            .collect();
        activity.sort_unstable();
        activity.dedup();
        let mut moments: Vec<u64> = moments
            .into_iter()
            .chain(bundle.pages.iter().map(|p| p.t))
            .chain(bundle.marks.iter().map(|m| m.t))
            .filter(|t| *t <= bundle.duration_ms)
            .collect();
        moments.sort_unstable();
        moments.dedup();
        let mut playback = Playback {
            activity,
            moments,
            duration: bundle.duration_ms,
            spans: Vec::new(),
        };
        playback.spans = playback.find_inactive_spans();
        playback
    }

    /// The stretches playback skips: from shortly after something happened
    /// to shortly before the next thing does (or the end), where the two
    /// are at least [`INACTIVE_MS`] apart.
    pub fn inactive_spans(&self) -> &[(u64, u64)] {
        &self.spans
    }

    fn find_inactive_spans(&self) -> Vec<(u64, u64)> {
        let mut spans = Vec::new();
        let mut last = 0;
        for &t in self.activity.iter().chain(std::iter::once(&self.duration)) {
            if t.saturating_sub(last) >= INACTIVE_MS {
                spans.push((last + LEAD_MS, t - LEAD_MS));
            }
            last = last.max(t);
        }
        spans
    }

    /// Where playback is after `elapsed_ms` of real time from `now`, at
    /// `speed`, skipping inactivity when `skip`; never past the end.
    pub fn advance(&self, now: u64, elapsed_ms: u64, speed: u32, skip: bool) -> u64 {
        let mut t = now
            .saturating_add(elapsed_ms.saturating_mul(u64::from(speed.max(1))))
            .min(self.duration);
        if skip {
            if let Some((_, end)) = self.spans.iter().find(|(from, end)| t >= *from && t < *end) {
                t = *end;
            }
        }
        t
    }

    /// The last moment worth seeing before `now` (by more than a tenth of
    /// a second, so that pressing again goes further back).
    pub fn previous(&self, now: u64) -> Option<u64> {
        self.moments.iter().rev().find(|t| **t + 100 < now).copied()
    }

    /// The first moment worth seeing after `now`.
    pub fn next(&self, now: u64) -> Option<u64> {
        self.moments.iter().find(|t| **t > now).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(duration: u64, event_times: &[u64]) -> Bundle {
        let mut value: serde_json::Value =
            serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
        value["duration_ms"] = duration.into();
        value["events"] = event_times
            .iter()
            .map(|t| serde_json::json!({"type":"scroll","t":t,"page":0,"id":1,"x":0,"y":0}))
            .collect();
        value["console"] = serde_json::json!([]);
        value["network"] = serde_json::json!([]);
        value["marks"] = serde_json::json!([]);
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn long_quiet_stretches_are_skipped_short_ones_played() {
        let p = Playback::of(&bundle(20_000, &[0, 1_000, 2_000, 12_000]), []);
        assert_eq!(p.inactive_spans(), [(2_500, 11_500), (12_500, 19_500)]);
        assert_eq!(
            p.advance(1_000, 50, 1, true),
            1_050,
            "activity plays at its speed"
        );
        assert_eq!(
            p.advance(2_480, 50, 1, true),
            11_500,
            "a quiet stretch is jumped"
        );
        assert_eq!(
            p.advance(2_480, 50, 1, false),
            2_530,
            "unless skipping is off"
        );
        assert_eq!(p.advance(1_000, 50, 8, false), 1_400, "8×");
        assert_eq!(
            p.advance(19_990, 50, 1, false),
            20_000,
            "never past the end"
        );
    }

    #[test]
    fn steps_between_moments() {
        let p = Playback::of(&bundle(10_000, &[0]), [1_000, 4_000, 4_000, 7_000]);
        assert_eq!(p.next(0), Some(1_000));
        assert_eq!(p.next(4_000), Some(7_000));
        assert_eq!(
            p.previous(4_050),
            Some(1_000),
            "just after one: the one before"
        );
        assert_eq!(p.previous(4_500), Some(4_000));
        assert_eq!(p.previous(900), Some(0), "the first page");
        assert_eq!(p.next(7_000), None);
    }
}
