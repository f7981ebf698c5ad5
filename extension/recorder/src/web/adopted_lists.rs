//! Adopted-sheet lists changed in place. A script that assigns
//! `adoptedStyleSheets` is heard through the page hook (it wraps the
//! setter); one that calls `push` or `splice` on the list changes it
//! without a setter, an event or a mutation. So at each flush the
//! recorder compares each recorded root's list (the document's and every
//! watched shadow root's and frame document's) with the one noted here,
//! sheet by sheet (`Recorder::record_adopted_list_changes`), and records
//! the root's adopted rules again when it differs. Each root's list is
//! noted when its rules are recorded (the document's after the snapshot, a
//! shadow root's or frame document's when it is recorded, any root's when
//! the hook says it changed), so a change made before the next flush
//! counts.

use web_sys::{CssStyleSheet, Node};

use super::dom_reads;

/// The lists noted, by root.
#[derive(Default)]
pub struct AdoptedLists {
    seen: Vec<(Node, Vec<CssStyleSheet>)>,
}

impl AdoptedLists {
    /// Note `root`'s list as its rules were just recorded.
    pub fn note(&mut self, root: &Node) {
        let now = dom_reads::adopted_sheets(root);
        match self.seen.iter_mut().find(|(seen, _)| seen == root) {
            Some((_, before)) => *before = now,
            None => self.seen.push((root.clone(), now)),
        }
    }

    /// Does `root`'s list differ from the one noted? It is noted now
    /// either way (a root never noted is noted, and counts as unchanged).
    pub fn changed(&mut self, root: &Node) -> bool {
        let now = dom_reads::adopted_sheets(root);
        match self.seen.iter_mut().find(|(seen, _)| seen == root) {
            Some((_, before)) if *before == now => false,
            Some((_, before)) => {
                *before = now;
                true
            }
            None => {
                self.seen.push((root.clone(), now));
                false
            }
        }
    }

    /// Forget every root but `roots` (the others left the recording).
    pub fn keep_only(&mut self, roots: &[Node]) {
        self.seen.retain(|(root, _)| roots.contains(root));
    }
}
