//! Joining a session's stored chunks into one bundle.

use repro_manifest::{cut_to, Bundle, Chunk, Limits, FORMAT_VERSION};

use serde::{Deserialize, Serialize};

use crate::session::{SessionRecord, StoredMark, Summary};

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
    /// Leave out the thumbnail of the tab at Stop.
    #[serde(default)]
    pub thumbnail: bool,
}

/// Remove what the tester excluded; marks lose their references to dropped
/// screenshots and follow the others to their new positions.
pub fn apply_exclusions(bundle: &mut Bundle, exclusions: &Exclusions) {
    drop_positions(&mut bundle.console, &exclusions.console);
    drop_positions(&mut bundle.network, &exclusions.network);
    let remap = |index: Option<u32>| {
        let index = index? as usize;
        if exclusions.screenshots.contains(&index) {
            return None;
        }
        Some(
            (index
                - exclusions
                    .screenshots
                    .iter()
                    .filter(|&&d| d < index)
                    .count()) as u32,
        )
    };
    for mark in &mut bundle.marks {
        mark.screenshot = remap(mark.screenshot);
        mark.crop = remap(mark.crop);
    }
    drop_positions(&mut bundle.screenshots, &exclusions.screenshots);
    if exclusions.thumbnail {
        bundle.thumbnail = None;
    }
}

fn drop_positions<T>(list: &mut Vec<T>, positions: &[usize]) {
    let mut index = 0;
    list.retain(|_| {
        let keep = !positions.contains(&index);
        index += 1;
        keep
    });
}

/// Titles, URLs and the environment's fields cut to what the server takes
/// (a page chooses its title and URL: one of a megabyte must not cost the
/// tester the report).
fn within_limits(bundle: &mut Bundle, limits: &Limits) {
    bundle.title = cut_to(&bundle.title, limits.max_title_bytes);
    for page in &mut bundle.pages {
        page.title = cut_to(&page.title, limits.max_title_bytes);
        page.url = cut_to(&page.url, limits.max_url_bytes);
    }
    let env = &mut bundle.environment;
    env.url = cut_to(&env.url, limits.max_url_bytes);
    for field in [
        &mut env.browser,
        &mut env.browser_version,
        &mut env.os,
        &mut env.user_agent,
        &mut env.language,
        &mut env.time_zone,
        &mut env.extension_version,
        &mut env.recorder_build,
    ] {
        *field = cut_to(field, limits.max_label_bytes);
    }
    if let Some(release) = &mut env.release {
        *release = cut_to(release, limits.max_label_bytes);
    }
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
        problems: repro_manifest::capture_gaps(bundle),
    }
}

/// The sequence number of the chunk that notes a recorder's failure: after
/// every chunk the recorder itself may send for that page.
pub const RECORDER_FAILURE_SEQ: u32 = 999_999_999;

/// The start of the note a failed recorder leaves in the console list.
const RECORDER_FAILURE_NOTE: &str = "Repro's recorder failed on this page";

/// A chunk noting that the recorder of page `page` failed at `t` with
/// `error` (masked like any page text).
pub fn recorder_failure_chunk(page: u32, t: u64, error: &str) -> Chunk {
    let error = repro_manifest::pii::mask(error);
    Chunk {
        page,
        seq: RECORDER_FAILURE_SEQ,
        console: vec![repro_manifest::ConsoleEntry {
            t,
            page,
            level: repro_manifest::ConsoleLevel::Error,
            source: repro_manifest::ConsoleSource::Repro,
            args: vec![format!(
                "{RECORDER_FAILURE_NOTE}, so its replay is missing or incomplete: {error}"
            )],
            stack: None,
            before_start_ms: None,
        }],
        ..Chunk::default()
    }
}

/// The bundle of `session`, stopped at `stopped_at` (Unix ms), from its
/// chunks in any order. A chunk stored twice counts once.
pub fn assemble(
    session: &SessionRecord,
    mut chunks: Vec<Chunk>,
    marks: Vec<StoredMark>,
    stopped_at: u64,
) -> Bundle {
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
        thumbnail: session.thumbnail.clone(),
        assets: Vec::new(),
        skipped_assets: Vec::new(),
    };
    within_limits(&mut bundle, &Limits::default());
    let pages = bundle.pages.len() as u32;
    for chunk in chunks.into_iter().filter(|c| c.page < pages) {
        bundle.events.extend(chunk.events);
        bundle.console.extend(chunk.console);
        bundle.network.extend(chunk.network);
    }
    bundle.console.sort_by_key(|e| e.t);
    bundle.network.sort_by_key(|e| e.t);
    for stored in marks.into_iter().filter(|m| m.mark.page < pages) {
        let mut mark = stored.mark;
        let mut attach = |shot: Option<repro_manifest::Screenshot>| {
            shot.map(|shot| {
                bundle.screenshots.push(shot);
                (bundle.screenshots.len() - 1) as u32
            })
        };
        mark.screenshot = attach(stored.screenshot);
        mark.crop = attach(stored.crop);
        bundle.marks.push(mark);
    }
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;
    use repro_manifest::{ConsoleEntry, ConsoleLevel, ConsoleSource, MaskPolicy, Page};

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
            mark_only: false,
            thumbnail: None,
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
            before_start_ms: None,
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
        let bundle = assemble(&session(), vec![a.clone(), b, a, stray], Vec::new(), 5_000);
        assert_eq!(
            bundle.console.iter().map(|e| e.t).collect::<Vec<_>>(),
            [10, 20]
        );
        assert_eq!((bundle.duration_ms, bundle.title.as_str()), (4_000, "A"));
        bundle
            .validate(&Limits::default())
            .expect("assembled bundle is valid");
    }

    #[test]
    fn a_page_s_huge_title_and_url_are_cut_so_that_the_report_is_taken() {
        let mut long = session();
        long.pages[0].title = "t".repeat(1 << 20);
        long.pages[0].url = format!("http://a.test/?{}", "q".repeat(1 << 20));
        let bundle = assemble(&long, Vec::new(), Vec::new(), 5_000);
        assert!(bundle.title.len() <= 2048 && bundle.title.ends_with('…'));
        assert!(bundle.pages[0].url.starts_with("http://a.test/?q"));
        bundle
            .validate(&Limits::default())
            .expect("the server takes it");
        long.pages[0].title.clear();
        let untitled = assemble(&long, Vec::new(), Vec::new(), 5_000);
        untitled
            .validate(&Limits::default())
            .expect("a title taken from a long URL is cut too");
    }

    #[test]
    fn exclusions_drop_exactly_the_chosen_entries() {
        let chunk = Chunk {
            page: 0,
            seq: 0,
            console: vec![log(1), log(2), log(3)],
            ..Chunk::default()
        };
        let mut bundle = assemble(&session(), vec![chunk], Vec::new(), 5_000);
        apply_exclusions(
            &mut bundle,
            &Exclusions {
                console: vec![0, 2],
                ..Exclusions::default()
            },
        );
        assert_eq!(bundle.console.iter().map(|e| e.t).collect::<Vec<_>>(), [2]);
        assert_eq!(summarize(&bundle).console, 1);
    }

    #[test]
    fn a_failed_recorder_and_a_page_without_snapshot_are_named_in_the_summary() {
        let failure = recorder_failure_chunk(0, 40, "TypeError: boom at ada@example.com");
        let bundle = assemble(&session(), vec![failure], Vec::new(), 5_000);
        let problems = summarize(&bundle).problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("page 1: Repro's recorder failed on this page"));
        assert!(
            !problems[0].contains("ada@example.com"),
            "the error is masked like page text"
        );
        assert_eq!(
            problems[1],
            "page 1 (http://a.test/) has no snapshot, so its replay is empty"
        );
        bundle
            .validate(&Limits::default())
            .expect("a bundle with a failure note is valid");
    }

    #[test]
    fn a_page_with_its_snapshot_has_no_problem() {
        let snapshot = repro_manifest::DomEvent::Snapshot {
            took_ms: None,
            t: 0,
            page: 0,
            nodes: Vec::new(),
            viewport: Default::default(),
            scroll: (0, 0),
        };
        let chunk = Chunk {
            page: 0,
            seq: 0,
            events: vec![repro_manifest::EventRecord::Known(snapshot)],
            ..Chunk::default()
        };
        let bundle = assemble(&session(), vec![chunk], Vec::new(), 5_000);
        assert_eq!(summarize(&bundle).problems, Vec::<String>::new());
    }

    fn shot(t: u64) -> repro_manifest::Screenshot {
        repro_manifest::Screenshot {
            t,
            width: 1,
            height: 1,
            mime: "image/png".into(),
            data: "AA==".into(),
        }
    }

    fn stored_mark(t: u64) -> StoredMark {
        let mark = repro_manifest::Mark {
            t,
            page: 0,
            selector: "#x".into(),
            frames: Vec::new(),
            xpath: String::new(),
            rect: Default::default(),
            viewport: Default::default(),
            scroll: (0, 0),
            comment: format!("mark {t}"),
            kind: "bug".into(),
            severity: "high".into(),
            text: String::new(),
            html: String::new(),
            styles: Vec::new(),
            screenshot: None,
            crop: None,
        };
        StoredMark {
            mark,
            screenshot: Some(shot(t)),
            crop: Some(shot(t + 1)),
        }
    }

    #[test]
    fn the_thumbnail_comes_from_the_session_unless_left_out() {
        let mut session = session();
        session.thumbnail = Some(shot(9));
        let bundle = assemble(&session, Vec::new(), Vec::new(), 2_000);
        assert_eq!(bundle.thumbnail, Some(shot(9)));
        let mut shared = bundle.clone();
        apply_exclusions(&mut shared, &Exclusions::default());
        assert!(shared.thumbnail.is_some());
        let left_out = Exclusions {
            thumbnail: true,
            ..Exclusions::default()
        };
        apply_exclusions(&mut shared, &left_out);
        assert_eq!(shared.thumbnail, None);
    }

    #[test]
    fn marks_bring_their_screenshots_and_follow_exclusions() {
        let mut bundle = assemble(
            &session(),
            Vec::new(),
            vec![stored_mark(10), stored_mark(20)],
            5_000,
        );
        assert_eq!(bundle.screenshots.len(), 4);
        assert_eq!(
            (bundle.marks[1].screenshot, bundle.marks[1].crop),
            (Some(2), Some(3))
        );
        bundle
            .validate(&Limits::default())
            .expect("valid with marks");
        apply_exclusions(
            &mut bundle,
            &Exclusions {
                screenshots: vec![0, 3],
                ..Exclusions::default()
            },
        );
        assert_eq!(
            (bundle.marks[0].screenshot, bundle.marks[0].crop),
            (None, Some(0))
        );
        assert_eq!(
            (bundle.marks[1].screenshot, bundle.marks[1].crop),
            (Some(1), None)
        );
        assert_eq!(
            bundle.screenshots.iter().map(|s| s.t).collect::<Vec<_>>(),
            [11, 20]
        );
        bundle.validate(&Limits::default()).expect("still valid");
    }
}
