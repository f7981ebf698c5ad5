//! Where the tester's pointer was at each moment: the recorded path (the
//! `pointer` events' positions) and the clicks, in time order, so that the
//! player draws the pointer where it was at any moment it seeks to, and a
//! ring where a click landed just before. Plain Rust, tested natively.

use repro_manifest::{Bundle, DomEvent, EventRecord};

/// How long a click's ring shows after it, in ms.
pub const CLICK_SHOWN_MS: u64 = 500;

/// One known position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    t: u64,
    page: u32,
    x: i32,
    y: i32,
    click: bool,
}

/// Where the pointer was, and whether it just clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointerAt {
    /// Viewport x.
    pub x: i32,
    /// Viewport y.
    pub y: i32,
    /// A click landed here within [`CLICK_SHOWN_MS`].
    pub clicked: bool,
}

/// The pointer's positions through a recording.
#[derive(Debug, Default)]
pub struct PointerTrack {
    positions: Vec<Position>,
}

impl PointerTrack {
    /// The track of `bundle`.
    pub fn of(bundle: &Bundle) -> PointerTrack {
        let mut positions = Vec::new();
        for record in &bundle.events {
            match record {
                EventRecord::Known(DomEvent::Pointer { t, page, path }) => {
                    positions.extend(path.iter().map(|(dt, x, y)| Position {
                        t: t.saturating_add(u64::from(*dt)),
                        page: *page,
                        x: *x,
                        y: *y,
                        click: false,
                    }));
                }
                EventRecord::Known(DomEvent::Click { t, page, x, y, .. }) => {
                    positions.push(Position {
                        t: *t,
                        page: *page,
                        x: *x,
                        y: *y,
                        click: true,
                    });
                }
                _ => {}
            }
        }
        positions.sort_by_key(|p| p.t);
        PointerTrack { positions }
    }

    /// Where the pointer was at `t` on `page`: its last known position
    /// there; `None` before the first.
    pub fn at(&self, t: u64, page: u32) -> Option<PointerAt> {
        let end = self.positions.partition_point(|p| p.t <= t);
        let last = self.positions[..end]
            .iter()
            .rev()
            .find(|p| p.page == page)?;
        Some(PointerAt {
            x: last.x,
            y: last.y,
            clicked: last.click && t - last.t < CLICK_SHOWN_MS,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(events: &str) -> Bundle {
        let mut value: serde_json::Value =
            serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap();
        value["events"] = serde_json::from_str(&format!("[{events}]")).unwrap();
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_pointer_is_where_it_was_last_and_rings_after_a_click() {
        let track = PointerTrack::of(&bundle(
            r#"{"type":"pointer","t":100,"page":0,"path":[[0,1,1],[50,2,2],[100,3,3]]},
               {"type":"click","t":400,"page":0,"id":5,"x":9,"y":9},
               {"type":"pointer","t":1000,"page":0,"path":[[0,4,4]]},
               {"type":"pointer","t":2000,"page":1,"path":[[0,7,7]]}"#,
        ));
        assert_eq!(track.at(99, 0), None, "not before it is known");
        let at = |t, page| track.at(t, page).map(|p| (p.x, p.y, p.clicked));
        assert_eq!(at(100, 0), Some((1, 1, false)));
        assert_eq!(
            at(170, 0),
            Some((2, 2, false)),
            "between samples: the last one"
        );
        assert_eq!(
            at(450, 0),
            Some((9, 9, true)),
            "just after a click: its ring"
        );
        assert_eq!(at(950, 0), Some((9, 9, false)), "the ring fades");
        assert_eq!(at(1500, 0), Some((4, 4, false)));
        assert_eq!(
            at(2500, 0),
            Some((4, 4, false)),
            "another page's moves are not this page's"
        );
        assert_eq!(at(2500, 1), Some((7, 7, false)));
    }
}
