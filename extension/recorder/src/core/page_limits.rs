//! Per-page limits on console and network entries, so that a noisy page
//! (thousands of logs a second) neither freezes nor bloats the recording.
//! When a limit is first reached, Repro says so in the console list itself.

use repro_manifest::{ConsoleEntry, ConsoleLevel, ConsoleSource};

use super::hook::Entry;

/// Most console entries kept per page.
pub const MAX_CONSOLE_PER_PAGE: u32 = 5_000;
/// Most network entries kept per page.
pub const MAX_NETWORK_PER_PAGE: u32 = 2_000;

/// Counts of one page's entries.
#[derive(Debug, Default)]
pub struct PageLimits {
    console: u32,
    network: u32,
    /// Entries dropped so far, console and network.
    pub dropped: u32,
}

/// What to do with an entry.
#[derive(Debug, PartialEq)]
pub enum Admission {
    /// Keep it.
    Keep,
    /// Drop it, and add this note (the first time a limit is reached).
    DropWithNote(ConsoleEntry),
    /// Drop it.
    Drop,
}

fn note(t: u64, page: u32, what: &str, limit: u32) -> ConsoleEntry {
    ConsoleEntry {
        t,
        page,
        level: ConsoleLevel::Warn,
        source: ConsoleSource::Repro,
        args: vec![format!(
            "Repro keeps at most {limit} {what} per page; later ones on this page were dropped (truncated)."
        )],
        stack: None,
        before_start_ms: None,
    }
}

impl PageLimits {
    /// Count and drop an entry without looking at it when its kind is already
    /// past the limit (its note was given); `false` when it must be admitted.
    pub fn drop_if_over(&mut self, console: bool) -> bool {
        let (count, limit) = if console {
            (&mut self.console, MAX_CONSOLE_PER_PAGE)
        } else {
            (&mut self.network, MAX_NETWORK_PER_PAGE)
        };
        if *count <= limit {
            return false;
        }
        *count += 1;
        self.dropped += 1;
        true
    }

    /// Decide about `entry`, seen at time `t` on page `page`.
    pub fn admit(&mut self, entry: &Entry, t: u64, page: u32) -> Admission {
        let (count, limit, what) = match entry {
            Entry::Console(_) => (&mut self.console, MAX_CONSOLE_PER_PAGE, "console entries"),
            Entry::Network(_) => (&mut self.network, MAX_NETWORK_PER_PAGE, "network requests"),
        };
        *count += 1;
        if *count <= limit {
            return Admission::Keep;
        }
        self.dropped += 1;
        if *count == limit + 1 {
            Admission::DropWithNote(note(t, page, what, limit))
        } else {
            Admission::Drop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn console() -> Entry {
        Entry::Console(note(0, 0, "x", 0))
    }

    #[test]
    fn a_note_once_then_silence() {
        let mut caps = PageLimits::default();
        for _ in 0..MAX_CONSOLE_PER_PAGE {
            assert_eq!(caps.admit(&console(), 1, 0), Admission::Keep);
        }
        let Admission::DropWithNote(note) = caps.admit(&console(), 7, 0) else {
            panic!("a note")
        };
        assert_eq!((note.t, note.source), (7, ConsoleSource::Repro));
        assert!(note.args[0].contains("5000 console entries"));
        assert_eq!(caps.admit(&console(), 8, 0), Admission::Drop);
        assert_eq!(caps.dropped, 2);
        assert!(caps.drop_if_over(true), "past the limit: dropped unread");
        assert!(!caps.drop_if_over(false), "network has its own limit");
        assert_eq!(caps.dropped, 3);
    }
}
