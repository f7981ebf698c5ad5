//! Canvas and video pixels in the replay. The DOM does not hold what a
//! `<canvas>` drew or a `<video>` played, so the recorder sends it as
//! images ([`DomEvent::Pixels`](repro_manifest::DomEvent::Pixels)), and
//! the replay shows the latest one:
//!
//! - a canvas's as its background, through its `style` attribute with
//!   `!important` (no rule of the page's can hide it, and it reaches into
//!   shadow trees, where a rule in the head would not); a replayed canvas
//!   shows no bitmap of its own (`canvas_boxes`), so the background is what
//!   is seen. The declarations go after the page's own style, behind a
//!   marker comment;
//! - a video's as its `poster`, which a video without a film shows where
//!   and as the film would be (its `object-fit` and `object-position`).
//!
//! Either is put back whenever the recording changes that attribute.

use std::collections::HashMap;

use repro_manifest::is_pixel_image;

/// The replay's rule for videos, first in each replayed head: a document
/// that runs no script shows every video's controls, which the live page
/// showed only where the video asked for them.
pub const VIDEO_CSS: &str =
    "video:not([controls])::-webkit-media-controls { display: none !important; }";

/// Where the replay's own declarations start in a `style` attribute.
const MARKER: &str = "/*repro-pixels*/";

/// The image each replayed canvas or video shows now, by recorded id.
#[derive(Default)]
pub struct PixelFrames {
    shown: HashMap<u32, Frame>,
}

struct Frame {
    image: String,
    video: bool,
}

/// A style attribute's text without the replay's declarations.
pub fn page_style(style: &str) -> &str {
    style.split(MARKER).next().unwrap_or_default()
}

/// `style` (the page's own) with the declarations that show `image` as a
/// canvas's pixels: stretched over its content box, as its bitmap is.
fn styled(style: &str, image: &str) -> String {
    let mut out = page_style(style).trim_end().to_string();
    if !out.is_empty() && !out.ends_with(';') {
        out.push(';');
    }
    out.push_str(MARKER);
    out.push_str(&format!(
        "background-image:url(\"{image}\") !important;background-size:100% 100% !important;\
background-position:0 0 !important;background-repeat:no-repeat !important;\
background-origin:content-box !important"
    ));
    out
}

impl PixelFrames {
    /// Element `id` (a canvas, or a video when `video`) shows `image` from
    /// now: the attribute to set on it and its value (`current`: the
    /// element's style now, for a canvas). `None` when the image is not
    /// one a replay draws (a forged bundle's).
    pub fn show(
        &mut self,
        id: u32,
        image: &str,
        video: bool,
        current: Option<&str>,
    ) -> Option<(&'static str, String)> {
        if !is_pixel_image(image) {
            return None;
        }
        self.shown.insert(
            id,
            Frame {
                image: image.to_string(),
                video,
            },
        );
        self.attribute(id, current.unwrap_or_default())
    }

    /// The recording set attribute `name` of element `id` to `value`
    /// (`""`: removed): the attribute to set again, when it is the one
    /// that shows the element's pixels.
    pub fn after_change(&self, id: u32, name: &str, value: &str) -> Option<(&'static str, String)> {
        let frame = self.shown.get(&id)?;
        match (frame.video, name) {
            (true, "poster") | (false, "style") => self.attribute(id, value),
            _ => None,
        }
    }

    fn attribute(&self, id: u32, style: &str) -> Option<(&'static str, String)> {
        let frame = self.shown.get(&id)?;
        Some(match frame.video {
            true => ("poster", frame.image.clone()),
            false => ("style", styled(style, &frame.image)),
        })
    }

    /// Forget element `id` (it left the replay).
    pub fn forget(&mut self, id: u32) {
        self.shown.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IMAGE: &str = "data:image/webp;base64,UklGRg==";

    #[test]
    fn a_canvas_shows_them_after_its_page_style_and_keeps_them_through_changes() {
        let mut frames = PixelFrames::default();
        let (name, first) = frames.show(3, IMAGE, false, Some("width: 10px")).unwrap();
        assert_eq!(name, "style");
        assert!(first.starts_with("width: 10px;/*repro-pixels*/background-image:url(\"data:image/webp;base64,UklGRg==\") !important;"), "{first}");
        let next = "data:image/png;base64,iVBORw==";
        let (_, second) = frames.show(3, next, false, Some(&first)).unwrap();
        assert_eq!(page_style(&second), "width: 10px;");
        assert!(second.contains(next) && !second.contains(IMAGE), "{second}");
        let (_, restyled) = frames.after_change(3, "style", "color: red").unwrap();
        assert!(restyled.starts_with("color: red;/*repro-pixels*/") && restyled.contains(next));
        assert!(frames.after_change(3, "class", "x").is_none());
        frames.forget(3);
        assert!(frames.after_change(3, "style", "").is_none());
    }

    #[test]
    fn a_video_shows_them_as_its_poster_and_a_forged_image_is_refused() {
        let mut frames = PixelFrames::default();
        assert_eq!(
            frames.show(4, IMAGE, true, Some("width: 5px")),
            Some(("poster", IMAGE.to_string()))
        );
        assert_eq!(
            frames.after_change(4, "poster", "/recorded-poster.png"),
            Some(("poster", IMAGE.to_string()))
        );
        assert!(frames.after_change(4, "style", "").is_none());
        for forged in [
            "https://tracker.example/x.png",
            "data:image/png;base64,\") ; background:url(https://x.example/",
        ] {
            assert!(frames.show(5, forged, false, None).is_none(), "{forged}");
        }
    }
}
