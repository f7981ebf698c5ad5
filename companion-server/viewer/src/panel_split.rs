//! How the viewer's width is shared between the replay and the panels
//! beside it: the replay's share of the width, in percent, moved by
//! dragging the divider or by its keys, and kept within bounds so that
//! neither side disappears.

/// The replay's share when the developer has not moved the divider.
pub const DEFAULT_SHARE: f64 = 60.0;
/// The smallest share the replay gets.
pub const MIN_SHARE: f64 = 30.0;
/// The largest share the replay gets (the panels keep the rest).
pub const MAX_SHARE: f64 = 80.0;
/// How far one arrow key moves the divider.
const KEY_STEP: f64 = 5.0;

/// `share` within bounds (a stored value may be anything).
pub fn bounded(share: f64) -> f64 {
    if share.is_finite() {
        share.clamp(MIN_SHARE, MAX_SHARE)
    } else {
        DEFAULT_SHARE
    }
}

/// The share after pressing `key` on the divider, if the key moves it:
/// the arrows by a step, Home and End to the ends.
pub fn after_key(share: f64, key: &str) -> Option<f64> {
    let moved = match key {
        "ArrowLeft" | "ArrowDown" => share - KEY_STEP,
        "ArrowRight" | "ArrowUp" => share + KEY_STEP,
        "Home" => MIN_SHARE,
        "End" => MAX_SHARE,
        _ => return None,
    };
    Some(bounded(moved))
}

/// The share when the divider is dragged to `x`, in a row that starts at
/// `left` and is `width` wide.
pub fn at_pointer(x: f64, left: f64, width: f64) -> f64 {
    if width <= 0.0 {
        return DEFAULT_SHARE;
    }
    bounded((x - left) / width * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_divider_stays_within_bounds() {
        assert_eq!(bounded(5.0), MIN_SHARE);
        assert_eq!(bounded(99.0), MAX_SHARE);
        assert_eq!(bounded(f64::NAN), DEFAULT_SHARE);
        assert_eq!(bounded(55.0), 55.0);
    }

    #[test]
    fn keys_move_the_divider_and_others_do_not() {
        assert_eq!(after_key(60.0, "ArrowLeft"), Some(55.0));
        assert_eq!(after_key(60.0, "ArrowRight"), Some(65.0));
        assert_eq!(after_key(78.0, "ArrowRight"), Some(MAX_SHARE));
        assert_eq!(after_key(60.0, "Home"), Some(MIN_SHARE));
        assert_eq!(after_key(60.0, "End"), Some(MAX_SHARE));
        assert_eq!(after_key(60.0, " "), None);
    }

    #[test]
    fn a_drag_sets_the_share_where_the_pointer_is() {
        assert_eq!(at_pointer(600.0, 100.0, 1000.0), 50.0);
        assert_eq!(at_pointer(0.0, 100.0, 1000.0), MIN_SHARE);
        assert_eq!(at_pointer(600.0, 100.0, 0.0), DEFAULT_SHARE);
    }
}
