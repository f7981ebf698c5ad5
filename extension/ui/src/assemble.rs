//! Joining a session's stored chunks into one bundle.

use repro_manifest::{Bundle, Chunk, FORMAT_VERSION};

use serde::{Deserialize, Serialize};

use crate::session::{SessionRecord, Summary};

/// What the tester chose to leave out, by position in the assembled lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exclusions {
    /// Console entries to drop.
    #[serde(default)]
    pub console: Vec<usize>,
    /// Network entries to drop.
    #[serde(default)]
    pub network: Vec<usize>,
    /// Screenshots to drop.
    #[serde(default)]
    pub screenshots: Vec<usize>,
}

fn drop_positions<T>(list: &mut Vec<T>, positions: &[usize]) {
    let mut index = 0;
    list.retain(|_| {
        let keep = !positions.contains(&index);
        index += 1;
        keep
    });
}

/// Remove what the tester excluded.
pub fn apply_exclusions(bundle: &mut Bundle, exclusions: &Exclusions) {
    drop_positions(&mut bundle.console, &exclusions.console);
    drop_positions(&mut bundle.network, &exclusions.network);
    drop_positions(&mut bundle.screenshots, &exclusions.screenshots);
}

/// What a bundle holds, for the review step.
pub fn summarize(bundle: &Bundle) -> Summary {
    Summary {
        duration_ms: bundle.duration_ms,
        pages: bundle.pages.len(),
        events: bundle.events.len(),
        console: bundle.console.len(),
        network: bundle.network.len(),
        screenshots: bundle.screenshots.len(),
    }
}

/// The bundle of `session`, stopped at `stopped_at` (Unix ms), from its
/// chunks in any order. A chunk stored twice counts once.
pub fn assemble(session: &SessionRecord, mut chunks: Vec<Chunk>, stopped_at: u64) -> Bundle {
    chunks.sort_by_key(|c| (c.page, c.seq));
    chunks.dedup_by_key(|c| (c.page, c.seq));
    let mut bundle = Bundle {
        format_version: FORMAT_VERSION,
        id: session.id.clone(),
        title: session
            .pages
            .first()
            .map(|p| {
                if p.title.is_empty() {
                    p.url.clone()
                } else {
                    p.title.clone()
                }
            })
            .unwrap_or_default(),
        started_at: session.started_at,
        duration_ms: stopped_at.saturating_sub(session.started_at),
        environment: session.environment.clone().unwrap_or_default(),
        pages: session.pages.clone(),
        events: Vec::new(),
        console: Vec::new(),
        network: Vec::new(),
        marks: Vec::new(),
        screenshots: Vec::new(),
        mask_policy: session.policy.clone(),
    };
    let pages = bundle.pages.len() as u32;
    for chunk in chunks.into_iter().filter(|c| c.page < pages) {
        bundle.events.extend(chunk.events);
        bundle.console.extend(chunk.console);
        bundle.network.extend(chunk.network);
    }
    bundle.console.sort_by_key(|e| e.t);
    bundle.network.sort_by_key(|e| e.t);
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;
    use repro_manifest::{ConsoleEntry, ConsoleLevel, ConsoleSource, Limits, MaskPolicy, Page};

    fn session() -> SessionRecord {
        SessionRecord {
            id: "0123456789abcdef0123456789abcdef".into(),
            tab: 7,
            started_at: 1_000,
            pages: vec![Page {
                t: 0,
                url: "http://a.test/".into(),
                title: "A".into(),
            }],
            environment: None,
            policy: MaskPolicy::default(),
            hook_patterns: Vec::new(),
        }
    }

    fn log(t: u64) -> ConsoleEntry {
        ConsoleEntry {
            t,
            page: 0,
            level: ConsoleLevel::Log,
            source: ConsoleSource::Console,
            args: vec![],
            stack: None,
        }
    }

    #[test]
    fn chunks_join_in_order_once_each() {
        let a = Chunk {
            page: 0,
            seq: 1,
            console: vec![log(20)],
            ..Chunk::default()
        };
        let b = Chunk {
            page: 0,
            seq: 0,
            console: vec![log(10)],
            ..Chunk::default()
        };
        let stray = Chunk {
            page: 9,
            seq: 0,
            console: vec![log(5)],
            ..Chunk::default()
        };
        let bundle = assemble(&session(), vec![a.clone(), b, a, stray], 5_000);
        assert_eq!(
            bundle.console.iter().map(|e| e.t).collect::<Vec<_>>(),
            [10, 20]
        );
        assert_eq!((bundle.duration_ms, bundle.title.as_str()), (4_000, "A"));
        bundle
            .validate(&Limits::default())
            .expect("assembled bundle is valid");
    }
}
