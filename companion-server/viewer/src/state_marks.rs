//! Putting the recorded states on the replayed elements: the element the
//! pointer is over and its ancestors (`:hover` reaches them all), the one
//! it presses and its ancestors (`:active`, likewise), the
//! element that has focus (`:focus`, `visible` when the browser showed it)
//! and its ancestors (`:focus-within`). Each state moves as the recording
//! says; the stylesheets already say these marks where the page said the
//! states (`element_states`). Over [`StateTarget`], which every replay
//! target is.

use repro_manifest::{ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE, HOVER_ATTRIBUTE};

use crate::element_states::FOCUS_WITHIN_ATTRIBUTE;

/// What marking needs of a replayed document.
pub trait StateTarget {
    /// A node handle.
    type Node: Clone + PartialEq;
    /// The node's parent, if any.
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// Is `node` an element?
    fn is_element(&self, node: &Self::Node) -> bool;
    /// Set a mark.
    fn mark(&mut self, node: &Self::Node, name: &str, value: &str);
    /// Take a mark off.
    fn unmark(&mut self, node: &Self::Node, name: &str);
}

/// The elements each state is on, as marked: the one it is on first,
/// then its ancestors.
pub struct StateMarks<N> {
    hovered: Vec<N>,
    pressed: Vec<N>,
    focused: Vec<N>,
}

impl<N> Default for StateMarks<N> {
    fn default() -> Self {
        StateMarks {
            hovered: Vec::new(),
            pressed: Vec::new(),
            focused: Vec::new(),
        }
    }
}

impl<N: Clone + PartialEq> StateMarks<N> {
    /// Forget what was marked (a new document).
    pub fn clear(&mut self) {
        self.hovered.clear();
        self.pressed.clear();
        self.focused.clear();
    }

    /// `element` gained (`value` is some) or lost the state `state` (the
    /// recorder's attribute; `value` `visible` for a focus shown): mark it
    /// and the ancestors the state reaches, and unmark those marked before.
    pub fn change<T: StateTarget<Node = N>>(
        &mut self,
        target: &mut T,
        element: &N,
        state: &str,
        value: Option<&str>,
    ) {
        let on = value.is_some();
        // `:hover` and `:active` reach the element and its ancestors
        // alike; focus marks the element and `:focus-within` its chain.
        let (marked, chain_state) = match state {
            HOVER_ATTRIBUTE => (&mut self.hovered, Some(HOVER_ATTRIBUTE)),
            ACTIVE_ATTRIBUTE => (&mut self.pressed, Some(ACTIVE_ATTRIBUTE)),
            _ => (&mut self.focused, None),
        };
        // A leave for an element no longer marked (another came since) changes nothing.
        if !on && marked.first() != Some(element) {
            return;
        }
        for (i, node) in std::mem::take(marked).iter().enumerate() {
            match chain_state {
                Some(state) => target.unmark(node, state),
                None => {
                    if i == 0 {
                        target.unmark(node, FOCUS_ATTRIBUTE);
                    }
                    target.unmark(node, FOCUS_WITHIN_ATTRIBUTE);
                }
            }
        }
        if !on {
            return;
        }
        let mut chain = vec![element.clone()];
        while let Some(parent) = chain.last().and_then(|n| target.parent(n)) {
            if !target.is_element(&parent) || chain.len() > 4096 {
                break;
            }
            chain.push(parent);
        }
        for (i, node) in chain.iter().enumerate() {
            match chain_state {
                Some(state) => target.mark(node, state, ""),
                None => {
                    if i == 0 {
                        let shown = if value == Some("visible") {
                            "visible"
                        } else {
                            ""
                        };
                        target.mark(node, FOCUS_ATTRIBUTE, shown);
                    }
                    target.mark(node, FOCUS_WITHIN_ATTRIBUTE, "");
                }
            }
        }
        *marked = chain;
    }
}
