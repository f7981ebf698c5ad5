//! What of a recorded element may come back in the replay: the format's
//! markup rules once more (a bundle can be forged and posted straight to a
//! server), plus what must never load or navigate in the viewer. Names and
//! tags are compared whatever their case, because the browser lower-cases
//! an HTML element's attribute names when they are set. Nothing may loosen
//! the replay's referrer policy either. No browser needed.

use repro_manifest::markup::{is_script_url, is_url_attribute, keep_attribute};
use repro_manifest::{INLINED_CSS_ATTRIBUTE, MODAL_DIALOG_ATTRIBUTE, OPEN_POPOVER_ATTRIBUTE};

/// Should `name=value` be set on a replayed `tag` element?
pub fn replayable(tag: &str, name: &str, value: &str) -> bool {
    // The recording's own markers are acted on, never set (see `replay_core`).
    if !keep_attribute(name, value)
        || name.eq_ignore_ascii_case(INLINED_CSS_ATTRIBUTE)
        || name.eq_ignore_ascii_case(MODAL_DIALOG_ATTRIBUTE)
        || name.eq_ignore_ascii_case(OPEN_POPOVER_ATTRIBUTE)
    {
        return false;
    }
    let tag_is = |names: &[&str]| names.iter().any(|t| t.eq_ignore_ascii_case(tag));
    let name_is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if tag_is(&["iframe", "frame", "object", "embed"]) && is_url_attribute(name) {
        return false;
    }
    if tag_is(&["meta"]) && name_is(&["http-equiv", "content"]) {
        return false;
    }
    if tag_is(&["base"]) && name_is(&["href"]) {
        return false;
    }
    // The replay's document says `no-referrer` (see `replay_core`): neither
    // an element nor a recorded `<meta name="referrer">` may say otherwise,
    // or the share link would go out as the `Referer` of its requests.
    if name_is(&["referrerpolicy"])
        || (tag_is(&["meta"])
            && name_is(&["name"])
            && value.trim().eq_ignore_ascii_case("referrer"))
    {
        return false;
    }
    !(is_url_attribute(name) && is_script_url(value))
}

#[cfg(test)]
mod tests {
    use super::replayable;

    #[test]
    fn what_would_run_load_or_navigate_is_dropped_whatever_its_case() {
        for (tag, name, value) in [
            ("img", "onerror", "alert(1)"),
            ("img", "ONERROR", "alert(1)"),
            ("iframe", "SRCDOC", "<script>alert(1)</script>"),
            ("a", "HREF", "javascript:alert(1)"),
            ("a", "href", " JaVaScRiPt:alert(1)"),
            ("iframe", "SRC", "https://elsewhere.test/"),
            ("IFRAME", "src", "https://elsewhere.test/"),
            ("object", "DATA", "/x.swf"),
            ("meta", "HTTP-EQUIV", "refresh"),
            ("meta", "Content", "0;url=https://elsewhere.test/"),
            ("base", "HREF", "https://elsewhere.test/"),
            ("img", "referrerpolicy", "unsafe-url"),
            ("LINK", "ReferrerPolicy", "no-referrer-when-downgrade"),
            ("meta", "name", " Referrer "),
            ("link", "data-repro-inlined-css", "body{}"),
            ("link", "DATA-REPRO-INLINED-CSS", "body{}"),
        ] {
            assert!(
                !replayable(tag, name, value),
                "<{tag} {name}={value:?}> was kept"
            );
        }
    }

    #[test]
    fn the_rest_of_the_page_is_kept() {
        for (tag, name, value) in [
            ("a", "href", "/next"),
            ("img", "src", "/logo.png"),
            ("svg", "viewBox", "0 0 10 10"),
            ("meta", "charset", "utf-8"),
            ("meta", "name", "viewport"),
            ("div", "title", "javascript: is fine as text"),
        ] {
            assert!(
                replayable(tag, name, value),
                "<{tag} {name}={value:?}> was dropped"
            );
        }
    }
}
