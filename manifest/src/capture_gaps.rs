//! What a report lacks, in words: the report's own account of what it
//! could not capture, read from the bundle alone, so that the tester's
//! review and the developer's viewer say the same. Each note Repro left in
//! the console list (a recorder that failed on a page; a page past its
//! limit of console entries, requests or pixels), each page without a
//! snapshot (its replay is empty), and the page assets not stored.

use crate::{Bundle, ConsoleSource, DomEvent, EventRecord};

/// The gaps of `bundle`, one sentence each, page by page as they came.
pub fn capture_gaps(bundle: &Bundle) -> Vec<String> {
    let mut gaps: Vec<String> = bundle
        .console
        .iter()
        .filter(|e| e.source == ConsoleSource::Repro)
        .filter_map(|e| Some(format!("page {}: {}", e.page + 1, e.args.first()?)))
        .collect();
    // One pass over the events (a long session holds a million of them).
    let mut snapshotted = vec![false; bundle.pages.len()];
    for event in &bundle.events {
        if let EventRecord::Known(DomEvent::Snapshot { page, .. }) = event {
            if let Some(seen) = snapshotted.get_mut(*page as usize) {
                *seen = true;
            }
        }
    }
    for (index, page) in bundle.pages.iter().enumerate() {
        if !snapshotted[index] {
            gaps.push(format!(
                "page {} ({}) has no snapshot, so its replay is empty",
                index + 1,
                page.url
            ));
        }
    }
    if !bundle.skipped_assets.is_empty() {
        gaps.push(format!(
            "{} page asset{} not stored with the report (shown as empty space)",
            bundle.skipped_assets.len(),
            if bundle.skipped_assets.len() == 1 {
                " was"
            } else {
                "s were"
            }
        ));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConsoleEntry, ConsoleLevel, SkippedAsset};

    #[test]
    fn repros_notes_pages_without_snapshot_and_assets_not_stored_are_named() {
        let mut bundle: Bundle =
            serde_json::from_str(&crate::example_bundle_json()).expect("the example");
        assert_eq!(
            capture_gaps(&bundle),
            Vec::<String>::new(),
            "the example lacks nothing"
        );
        bundle.console.push(ConsoleEntry {
            t: 9,
            page: 0,
            level: ConsoleLevel::Warn,
            source: ConsoleSource::Repro,
            args: vec!["Repro keeps at most 5000 console entries per page; later ones on this page were dropped (truncated).".into()],
            stack: None,
            before_start_ms: None,
        });
        bundle.skipped_assets.push(SkippedAsset {
            url: "https://cdn.test/a.png".into(),
            why: "unreachable".into(),
        });
        bundle.events.clear();
        let gaps = capture_gaps(&bundle);
        assert_eq!(gaps.len(), 3, "{gaps:?}");
        assert!(gaps[0].starts_with("page 1: Repro keeps at most 5000 console entries"));
        assert!(
            gaps[1].starts_with("page 1 (")
                && gaps[1].ends_with("has no snapshot, so its replay is empty")
        );
        assert_eq!(
            gaps[2],
            "1 page asset was not stored with the report (shown as empty space)"
        );
    }
}
