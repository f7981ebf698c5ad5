//! Adopted-sheet lists changed in place. A script that assigns
//! `adoptedStyleSheets` is heard through the page hook (it wraps the
//! setter); one that calls `push` or `splice` on the list changes it
//! without a setter, an event or a mutation. So at each flush the
//! recorder compares each recorded root's list (the document's and every
//! watched shadow root's and frame document's) with the one it saw last,
//! sheet by sheet, and records the root's adopted rules again when it
//! differs. Each root's list is noted when its rules are recorded (the
//! document's after the snapshot, a shadow root's or frame document's
//! when it is recorded), so a change made before the first flush counts.

use repro_manifest::INLINED_CSS_ATTRIBUTE;
use web_sys::{CssStyleSheet, Node};

use super::dom_reads;
use super::recorder::Recorder;
use crate::core::page_dom::PageDom;

/// The lists seen last, by root.
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

    /// Record the adopted rules of every recorded root whose list changed
    /// since it was noted or last looked at (a root not noted yet is only
    /// noted).
    pub fn record_changes(recorder: &mut Recorder) {
        let mut roots: Vec<Node> = Vec::new();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            roots.push(document.into());
        }
        if let Some(watcher) = recorder.roots.as_ref() {
            roots.extend(watcher.roots().cloned());
        }
        let mut lists = std::mem::take(&mut recorder.adopted_lists);
        lists.seen.retain(|(root, _)| roots.contains(root));
        for root in roots {
            let Some(id) = recorder.serializer.id_of(&root) else {
                continue;
            };
            let now = dom_reads::adopted_sheets(&root);
            match lists.seen.iter_mut().find(|(seen, _)| *seen == root) {
                Some((_, before)) if *before == now => {}
                Some((_, before)) => {
                    *before = now;
                    let css = recorder.serializer.dom().adopted_css(&root);
                    let css = crate::core::mask::free_text(css);
                    recorder.push_attribute_change(id, INLINED_CSS_ATTRIBUTE, Some(css));
                }
                None => lists.seen.push((root, now)),
            }
        }
        recorder.adopted_lists = lists;
    }
}
