//! What the replay puts first in every replayed head ([`furnish_head`]):
//! with the report's assets stored, a policy that lets the document load
//! from the server alone; a referrer policy that never names the share
//! link; a `<base>` for the recorded URLs; and the replay's own rules
//! ([`HEAD_CSS`]): what the live, scripted page showed that a document
//! without script would not, or would show otherwise.
//!
//! - A document that runs no script shows every `<video>`'s controls; the
//!   live page showed them only where the video asked for them.
//! - The element the page showed full screen (recorded as
//!   [`FULLSCREEN_ATTRIBUTE`](repro_manifest::FULLSCREEN_ATTRIBUTE)) fills
//!   the viewport above everything, as the browser's own rules for
//!   `:fullscreen` lay it out; the page's `:fullscreen` rules say the mark
//!   (`element_states`).
//! - A selection shows in the colours of a window that has focus (the
//!   tester's had; the replay's frame has not, and would grey it out).
//!   A page's own `::selection` rules come later and win.

use crate::replay_target::ReplayTarget;

/// The rules, as one stylesheet.
pub const HEAD_CSS: &str = "video:not([controls])::-webkit-media-controls { display: none !important; }\n\
[data-repro-fullscreen] { position: fixed !important; inset: 0 !important; width: 100% !important; \
height: 100% !important; margin: 0 !important; box-sizing: border-box !important; min-width: 0 !important; \
max-width: none !important; min-height: 0 !important; max-height: none !important; transform: none !important; \
object-fit: contain; z-index: 2147483647 !important; }\n\
::selection { background-color: Highlight; color: HighlightText; }\n";

/// Put the replay's own elements first in `head`, a head being replayed:
/// `policy`, the Content-Security-Policy of a report whose assets are
/// stored (inserted before anything that loads, it holds for the whole
/// document); the referrer policy; `base_url`, what the document's
/// relative URLs mean; the replay's rules.
pub fn furnish_head<T: ReplayTarget>(
    target: &mut T,
    head: &T::Node,
    policy: Option<&str>,
    base_url: &str,
) {
    let add = |target: &mut T, tag: &str, attributes: &[(&str, &str)], text: Option<&str>| {
        if let Some(element) = target.create_element(tag, false) {
            for (name, value) in attributes {
                target.set_attribute(&element, None, name, value);
            }
            if let Some(text) = text {
                target.set_text(&element, text);
            }
            target.insert(head, &element, None);
        }
    };
    if let Some(policy) = policy {
        add(
            target,
            "meta",
            &[
                ("http-equiv", "Content-Security-Policy"),
                ("content", policy),
            ],
            None,
        );
    }
    // No request of the replayed page names the viewer's URL (the share link).
    add(
        target,
        "meta",
        &[("name", "referrer"), ("content", "no-referrer")],
        None,
    );
    add(target, "base", &[("href", base_url)], None);
    add(target, "style", &[], Some(HEAD_CSS));
}
