//! Where the snapshot walk ends a slice early: around the points where the
//! browser grows its table of a content script's node wrappers.
//!
//! A content script runs in an isolated world, and Chromium keeps that
//! world's wrapper of each DOM node in a hash table that doubles at powers
//! of two (the page's own world keeps them inside the nodes). The recorder
//! keeps a wrapper per node it gives an id, so the walk that gives the
//! 65,536th id pays for rehashing the whole table: a batch of 128 nodes that
//! takes about 2 ms took 20–63 ms there on the 100k-node page, in every
//! Start traced, and made the slice around it a long task. A plain script
//! walking the same page from an isolated world and keeping a reference per
//! node shows the same step at 65,536 nodes and a smaller one at 32,768;
//! from the main world, or keeping nothing, it does not. Near such a point
//! each slice walks one batch, so the growth is not added to a slice's
//! own time. Of 22 Starts on the 100k page (traced), 6 still had a
//! recorder task of 50 ms or more (50–56 ms, and one of 109 ms), each a
//! garbage collection inside a slice; without this, 11 of 15 did (50–90 ms).
//!
//! This leans on how Chromium sizes that table. Where it does not apply
//! (another browser, or wrappers made before the walk), the cost is a few
//! slices that end early.

/// How close to a growth, in ids, the walk ends its slice: two batches of
/// the walk, since the ids given lag the wrappers made by a few.
const MARGIN: u32 = 256;

/// The smallest table size whose growth was seen to matter.
const FIRST_GROWTH: u32 = 1 << 15;

/// Is the walk, having given `ids` ids, within [`MARGIN`] of a growth of
/// the wrapper table?
pub fn near_wrapper_table_growth(ids: u32) -> bool {
    let mut size = FIRST_GROWTH;
    loop {
        if ids.saturating_add(MARGIN) >= size && ids < size.saturating_add(MARGIN) {
            return true;
        }
        if size > ids {
            return false;
        }
        size = match size.checked_mul(2) {
            Some(next) => next,
            None => return false,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::near_wrapper_table_growth as near;

    #[test]
    fn near_each_power_of_two_from_32768_and_nowhere_else() {
        for size in [1u32 << 15, 1 << 16, 1 << 17, 1 << 20] {
            assert!(near(size - 256), "{size}");
            assert!(near(size - 1));
            assert!(near(size + 255));
            assert!(!near(size - 257));
            assert!(!near(size + 256));
        }
        assert!(!near(0));
        assert!(!near(16384));
        assert!(!near(50_000));
        assert!(!near(u32::MAX));
    }
}
