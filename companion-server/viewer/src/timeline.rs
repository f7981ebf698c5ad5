//! Where the replay stands on the timeline: which snapshot to rebuild from and
//! which events to apply to reach a moment. No browser needed.

use repro_manifest::{Bundle, DomEvent, EventRecord};

/// The known DOM events of a bundle, in time order (stable for equal times).
pub fn ordered_events(bundle: &Bundle) -> Vec<DomEvent> {
    let mut events: Vec<DomEvent> = bundle
        .events
        .iter()
        .filter_map(|e| match e {
            EventRecord::Known(event) => Some(event.clone()),
            EventRecord::Unknown(_) => None,
        })
        .collect();
    events.sort_by_key(DomEvent::t);
    events
}

/// The index of the snapshot to rebuild from to show moment `t`: the last
/// snapshot at or before `t`, else the first snapshot. `None`: no snapshot.
pub fn snapshot_for(events: &[DomEvent], t: u64) -> Option<usize> {
    let is_snapshot = |e: &DomEvent| matches!(e, DomEvent::Snapshot { .. });
    events
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| is_snapshot(e) && e.t() <= t)
        .map(|(i, _)| i)
        .or_else(|| events.iter().position(is_snapshot))
}

/// The page's address at moment `t`: that of the page whose snapshot was
/// last taken by then (before the first, the first's, as the replay shows
/// it), or the address it navigated to since (in-page navigation:
/// `pushState`, back and forward, `#`). Empty without a snapshot.
pub fn address_at(bundle: &Bundle, events: &[DomEvent], t: u64) -> String {
    let page_url = |page: u32| {
        bundle
            .pages
            .get(page as usize)
            .map(|p| p.url.clone())
            .unwrap_or_default()
    };
    let mut address = match snapshot_for(events, t).map(|i| &events[i]) {
        Some(first) if first.t() > t => page_url(first.page()),
        _ => String::new(),
    };
    for event in events.iter().take_while(|e| e.t() <= t) {
        match event {
            DomEvent::Snapshot { page, .. } => address = page_url(*page),
            DomEvent::Navigation { url, .. } => address = url.clone(),
            _ => {}
        }
    }
    address
}

/// `m:ss.d` for a time in milliseconds.
pub fn clock(ms: u64) -> String {
    format!(
        "{}:{:02}.{}",
        ms / 60_000,
        (ms / 1000) % 60,
        (ms % 1000) / 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap()
    }

    #[test]
    fn events_are_ordered_and_unknown_ones_skipped() {
        let events = ordered_events(&bundle());
        assert_eq!(events.len(), 6);
        assert!(events.windows(2).all(|w| w[0].t() <= w[1].t()));
    }

    #[test]
    fn the_address_follows_snapshots_and_in_page_navigation() {
        let mut bundle = bundle();
        bundle.events.push(EventRecord::Known(DomEvent::Navigation {
            t: 1300,
            page: 0,
            url: "https://shop.test/checkout/step-2".into(),
            how: "script".into(),
        }));
        let events = ordered_events(&bundle);
        let first = bundle.pages[0].url.clone();
        assert_eq!(address_at(&bundle, &events, 0), first);
        // Before the first snapshot, the address it shows.
        if let EventRecord::Known(DomEvent::Snapshot { t, .. }) = &mut bundle.events[0] {
            *t = 50;
        }
        assert_eq!(address_at(&bundle, &ordered_events(&bundle), 10), first);
        assert_eq!(address_at(&bundle, &events, 1299), first);
        assert_eq!(
            address_at(&bundle, &events, 1300),
            "https://shop.test/checkout/step-2"
        );
        assert_eq!(
            address_at(&bundle, &events, 99_000),
            "https://shop.test/checkout/step-2"
        );
    }

    #[test]
    fn the_snapshot_to_rebuild_from() {
        let events = ordered_events(&bundle());
        assert_eq!(snapshot_for(&events, 0), Some(0));
        assert_eq!(snapshot_for(&events, 4000), Some(0));
        assert_eq!(snapshot_for(&[], 10), None);
    }

    #[test]
    fn clock_reads_minutes_seconds_tenths() {
        assert_eq!(clock(83_450), "1:23.4");
    }
}
