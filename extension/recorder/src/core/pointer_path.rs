//! The pointer's path between clicks, as the tester moved it: sampled at
//! most every [`SAMPLE_MS`] (a move in between is left out, the last
//! position kept for the next sample), and sent in batches of up to
//! [`MAX_BATCH`] positions or [`BATCH_MS`] of moving, so that a minute of
//! moving costs a few hundred small events, not thousands. Plain Rust,
//! tested natively; the page's `pointermove` listener feeds it.
//!
//! A batch is handed over before any other event of the page (and at each
//! flush), so the recording stays in time order: its time is its first
//! position's, and nothing later was recorded before it.

use repro_manifest::DomEvent;

/// The shortest time between two samples, in ms (20 positions a second).
pub const SAMPLE_MS: u64 = 50;
/// The longest a batch spans, in ms.
const BATCH_MS: u64 = 1_000;
/// The most positions in a batch.
const MAX_BATCH: usize = 40;

/// A batch being filled.
#[derive(Debug)]
struct Batch {
    t: u64,
    page: u32,
    path: Vec<(u32, i32, i32)>,
}

/// The path being recorded.
#[derive(Debug, Default)]
pub struct PointerPath {
    batch: Option<Batch>,
    last_sample: Option<u64>,
}

impl PointerPath {
    /// Would a move at `t` be sampled (not too soon after the last)?
    pub fn due(&self, t: u64) -> bool {
        self.last_sample
            .is_none_or(|last| t >= last.saturating_add(SAMPLE_MS))
    }

    /// The pointer moved to (`x`, `y`) (viewport pixels) at `t` on `page`:
    /// a finished batch to record first, if this position starts a new one.
    pub fn moved(&mut self, t: u64, page: u32, x: i32, y: i32) -> Option<DomEvent> {
        if !self.due(t) {
            return None;
        }
        self.last_sample = Some(t);
        let fits = self.batch.as_ref().is_some_and(|b| {
            b.page == page && b.path.len() < MAX_BATCH && t.saturating_sub(b.t) <= BATCH_MS
        });
        let finished = if fits { None } else { self.take() };
        let batch = self.batch.get_or_insert_with(|| Batch {
            t,
            page,
            path: Vec::new(),
        });
        let dt = u32::try_from(t.saturating_sub(batch.t)).unwrap_or(u32::MAX);
        batch.path.push((dt, x, y));
        finished
    }

    /// The batch so far, as an event (before another event is recorded,
    /// and at each flush); `None` when the pointer did not move.
    pub fn take(&mut self) -> Option<DomEvent> {
        let batch = self.batch.take()?;
        Some(DomEvent::Pointer {
            t: batch.t,
            page: batch.page,
            path: batch.path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(event: Option<DomEvent>) -> (u64, Vec<(u32, i32, i32)>) {
        match event {
            Some(DomEvent::Pointer { t, path, .. }) => (t, path),
            other => panic!("not a pointer batch: {other:?}"),
        }
    }

    #[test]
    fn moves_are_sampled_and_batched() {
        let mut p = PointerPath::default();
        assert!(p.moved(100, 0, 1, 1).is_none());
        assert!(p.moved(120, 0, 2, 2).is_none(), "too soon: left out");
        assert!(p.moved(150, 0, 3, 3).is_none());
        assert_eq!(path(p.take()), (100, vec![(0, 1, 1), (50, 3, 3)]));
        assert!(p.take().is_none(), "nothing moved since");
    }

    #[test]
    fn a_batch_ends_after_a_second_or_on_another_page() {
        let mut p = PointerPath::default();
        p.moved(0, 0, 0, 0);
        p.moved(900, 0, 1, 1);
        let (t, finished) = path(p.moved(1_100, 0, 2, 2));
        assert_eq!((t, finished.len()), (0, 2));
        let (t, finished) = path(p.moved(1_200, 1, 3, 3));
        assert_eq!((t, finished), (1_100, vec![(0, 2, 2)]));
        assert_eq!(path(p.take()), (1_200, vec![(0, 3, 3)]));
    }

    #[test]
    fn a_long_move_is_many_small_batches() {
        let mut p = PointerPath::default();
        let batches = (0..1_000u64)
            .filter_map(|n| p.moved(n * 50, 0, n as i32, 0))
            .count();
        assert_eq!(
            batches, 47,
            "a second's worth (21 positions) each; the last batch still open"
        );
    }
}
