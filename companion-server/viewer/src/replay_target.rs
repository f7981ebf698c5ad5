//! The document a replay builds, as the replay needs it: the small DOM
//! trait ([`ReplayTarget`]) the replay is written over once. The viewer
//! implements it over the sandboxed iframe's document (`web::replay`); the
//! tests over the recorder's in-memory DOM (`tests/round_trip.rs`).

use crate::state_marks::StateTarget;

/// The document a replay builds, as the replay needs it.
pub trait ReplayTarget {
    /// A node handle.
    type Node: Clone + PartialEq;

    /// Empty the document, in standards mode or (`standards` false, a
    /// page without a doctype) in quirks mode; `false` if there is none.
    fn fresh_document(&mut self, standards: bool) -> bool;
    /// The document.
    fn document(&self) -> Option<Self::Node>;
    /// A new doctype.
    fn create_doctype(&mut self, name: &str) -> Option<Self::Node>;
    /// A new element (`svg`: in the SVG namespace).
    fn create_element(&mut self, tag: &str, svg: bool) -> Option<Self::Node>;
    /// A new text node.
    fn create_text(&mut self, text: &str) -> Option<Self::Node>;
    /// A new comment.
    fn create_comment(&mut self, text: &str) -> Option<Self::Node>;
    /// Attach an open shadow root to `host`; `None` when it cannot have one
    /// (it has one already, or its kind of element never does).
    fn attach_shadow(&mut self, host: &Self::Node) -> Option<Self::Node>;
    /// The document of the frame element `frame`, emptied, in standards
    /// mode or quirks mode; `None` when `frame` is no frame element.
    fn frame_document(&mut self, frame: &Self::Node, standards: bool) -> Option<Self::Node>;
    /// An element's local name; `None` for other nodes.
    fn local_name(&self, node: &Self::Node) -> Option<String>;
    /// A node's parent, or a shadow root's host; `None` at the top.
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// An element's attribute.
    fn attribute(&self, element: &Self::Node, name: &str) -> Option<String>;
    /// Set an attribute (already checked as replayable), in `namespace`
    /// when it has one (`xlink:href` is in XLink's).
    fn set_attribute(
        &mut self,
        element: &Self::Node,
        namespace: Option<&str>,
        name: &str,
        value: &str,
    );
    /// Remove an attribute (in `namespace`, by its local name, when it has one).
    fn remove_attribute(&mut self, element: &Self::Node, namespace: Option<&str>, name: &str);
    /// Put `node` under `parent`, before `before` or last; `false` if the
    /// document refused.
    fn insert(
        &mut self,
        parent: &Self::Node,
        node: &Self::Node,
        before: Option<&Self::Node>,
    ) -> bool;
    /// Take `node` out of its parent.
    fn remove(&mut self, node: &Self::Node);
    /// Set a node's text content.
    fn set_text(&mut self, node: &Self::Node, text: &str);
    /// Set an `<input>`'s or `<textarea>`'s current value, or choose a
    /// `<select>`'s option by value.
    fn set_value(&mut self, control: &Self::Node, value: &str);
    /// Set an `<input>`'s checkedness.
    fn set_checked(&mut self, input: &Self::Node, checked: bool);
    /// Open a `<dialog>` as a modal (`showModal()`: the top layer, the
    /// backdrop), closing it first if it is open otherwise.
    fn show_modal(&mut self, dialog: &Self::Node);
    /// Close a `<dialog>`.
    fn close_dialog(&mut self, dialog: &Self::Node);
    /// Show or hide a popover (`showPopover()`, `hidePopover()`).
    fn show_popover(&mut self, element: &Self::Node, open: bool);
    /// Scroll an element, or the document when `element` is `None`.
    fn scroll(&mut self, element: Option<&Self::Node>, x: i32, y: i32);
    /// Select from `anchor` to `focus` (each a node and an offset in it;
    /// an offset past a node's end taken as its end), or select nothing
    /// when either is `None`.
    fn select(&mut self, anchor: Option<(&Self::Node, u32)>, focus: Option<(&Self::Node, u32)>);
}

/// The namespace of an attribute written with a prefix, as the recorder
/// reads names (`xlink:href`, `xml:space`): set without it, an SVG `<use>`
/// would not see its `xlink:href` and draw nothing.
pub fn attribute_namespace(name: &str) -> Option<&'static str> {
    let (prefix, _) = name.split_once(':')?;
    match prefix.to_ascii_lowercase().as_str() {
        "xlink" => Some("http://www.w3.org/1999/xlink"),
        "xml" => Some("http://www.w3.org/XML/1998/namespace"),
        "xmlns" => Some("http://www.w3.org/2000/xmlns/"),
        _ => None,
    }
}

/// Every replay target can carry the recorded states' marks.
impl<T: ReplayTarget> StateTarget for T {
    type Node = T::Node;

    fn parent(&self, node: &T::Node) -> Option<T::Node> {
        ReplayTarget::parent(self, node)
    }

    fn is_element(&self, node: &T::Node) -> bool {
        self.local_name(node).is_some()
    }

    fn mark(&mut self, node: &T::Node, name: &str, value: &str) {
        self.set_attribute(node, None, name, value);
    }

    fn unmark(&mut self, node: &T::Node, name: &str) {
        self.remove_attribute(node, None, name);
    }
}

#[cfg(test)]
mod tests {
    use super::attribute_namespace;

    #[test]
    fn prefixed_attributes_go_to_their_namespace() {
        assert_eq!(
            attribute_namespace("xlink:href"),
            Some("http://www.w3.org/1999/xlink")
        );
        assert_eq!(
            attribute_namespace("xml:space"),
            Some("http://www.w3.org/XML/1998/namespace")
        );
        assert_eq!(attribute_namespace("href"), None);
        assert_eq!(attribute_namespace("data-x:y"), None);
    }
}
