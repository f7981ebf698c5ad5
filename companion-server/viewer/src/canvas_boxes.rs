//! Canvases keep their box in the replay. The replay's document runs no
//! script, and there a `<canvas>` is not a drawing surface but its fallback
//! content: it would lose its size and show its children. The replay gives
//! each canvas the size its `width` and `height` attributes gave it live
//! (300 × 150 without them), through rules of zero specificity, so that
//! any rule of the page's own still wins wherever it is, and keeps the
//! aspect ratio when the page sets only a width. Its fallback content is
//! not rendered (`content-visibility: hidden`): it neither shows, nor
//! grows the box, nor moves its baseline (a box without lines sits on its
//! bottom edge, as a canvas does). Its pixels come as images
//! (`pixel_frames`).

use std::collections::BTreeMap;
use std::fmt::Write;

/// The attribute that ties a replayed canvas to its rule.
pub const CANVAS_ID_ATTRIBUTE: &str = "data-repro-canvas";

/// The size of every replayed canvas, by recorded id.
#[derive(Default)]
pub struct CanvasBoxes {
    sizes: BTreeMap<u32, (u32, u32)>,
}

/// A canvas dimension attribute as the browser reads it: a non-negative
/// integer, or the default.
fn dimension(value: Option<&str>, default: u32) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(default)
}

impl CanvasBoxes {
    /// Note canvas `id`'s `width` and `height` attributes; whether its box changed.
    pub fn note(&mut self, id: u32, width: Option<&str>, height: Option<&str>) -> bool {
        let size = (dimension(width, 300), dimension(height, 150));
        self.sizes.insert(id, size) != Some(size)
    }

    /// Forget canvas `id`.
    pub fn forget(&mut self, id: u32) {
        self.sizes.remove(&id);
    }

    /// Is `id` a replayed canvas?
    pub fn holds(&self, id: u32) -> bool {
        self.sizes.contains_key(&id)
    }

    /// The rules of every canvas's box.
    pub fn css(&self) -> String {
        let mut css = String::from(
            ":where(canvas) { display: inline-block; content-visibility: hidden !important; }\n:where(canvas) > * { display: none !important; }\n",
        );
        for (id, (width, height)) in &self.sizes {
            let _ = writeln!(
                css,
                ":where(canvas[{CANVAS_ID_ATTRIBUTE}=\"{id}\"]) {{ width: {width}px; aspect-ratio: {width} / {height}; }}"
            );
            if *height == 0 || *width == 0 {
                let _ = writeln!(
                    css,
                    ":where(canvas[{CANVAS_ID_ATTRIBUTE}=\"{id}\"]) {{ height: {height}px; }}"
                );
            }
        }
        css
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_canvas_gets_its_attributes_size_or_the_default() {
        let mut boxes = CanvasBoxes::default();
        assert!(boxes.note(4, Some("640"), Some("480")));
        assert!(boxes.note(9, None, Some("nonsense")));
        assert!(
            !boxes.note(4, Some(" 640 "), Some("480")),
            "the same size again changes nothing"
        );
        let css = boxes.css();
        assert!(css.contains(r#":where(canvas[data-repro-canvas="4"]) { width: 640px; aspect-ratio: 640 / 480; }"#), "{css}");
        assert!(css.contains(r#":where(canvas[data-repro-canvas="9"]) { width: 300px; aspect-ratio: 300 / 150; }"#), "{css}");
        boxes.forget(9);
        assert!(!boxes.css().contains("\"9\""));
    }
}
