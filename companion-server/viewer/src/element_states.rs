//! States no attribute shows, replayed: the element the pointer was over
//! (`:hover`), the one it pressed (`:active`) and the one that had focus
//! (`:focus`, `:focus-visible`, `:focus-within`). The replay has no pointer and no focus of its own, so
//! the recorder marks those elements with attributes of its own
//! (`HOVER_ATTRIBUTE`, `FOCUS_ATTRIBUTE`), the replay puts them on the
//! element and, where the state reaches them, on its ancestors, and every
//! stylesheet the replay writes says those attributes where the page's
//! said the states.

/// The attribute the replay puts on a focused element's ancestors (and on
/// itself), for `:focus-within`.
pub const FOCUS_WITHIN_ATTRIBUTE: &str = "data-repro-focus-within";

/// The pseudo-classes rewritten, longest first (`:focus` is a prefix of
/// the others), with what they become.
const STATES: [(&str, &str); 6] = [
    (":focus-visible", "[data-repro-focus=visible]"),
    (":focus-within", "[data-repro-focus-within]"),
    (":focus", "[data-repro-focus]"),
    (":hover", "[data-repro-hover]"),
    (":active", "[data-repro-active]"),
    (":fullscreen", "[data-repro-fullscreen]"),
];

/// `css` with `:hover`, `:active` and the focus pseudo-classes said as the replay's
/// attributes; strings, comments and longer names (`:hover-x`) untouched.
pub fn css_with_states(css: &str) -> String {
    let bytes = css.as_bytes();
    let mut out = String::with_capacity(css.len() + 64);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
            }
            b':' if bytes.get(i + 1) != Some(&b':') && (i == 0 || bytes[i - 1] != b':') => {
                let found = STATES.iter().find(|(state, _)| {
                    css[i..].starts_with(state)
                        && !bytes
                            .get(i + state.len())
                            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                });
                match found {
                    Some((state, attribute)) => {
                        out.push_str(&css[copied..i]);
                        out.push_str(attribute);
                        i += state.len();
                        copied = i;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&css[copied.min(css.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_become_the_replays_attributes() {
        assert_eq!(
            css_with_states("a:hover, button:focus-visible > i { color: red }"),
            "a[data-repro-hover], button[data-repro-focus=visible] > i { color: red }"
        );
        assert_eq!(
            css_with_states("form:focus-within{outline:1px}input:focus{x:y}"),
            "form[data-repro-focus-within]{outline:1px}input[data-repro-focus]{x:y}"
        );
        assert_eq!(
            css_with_states(":is(a, b):hover:not(:focus) {}"),
            ":is(a, b)[data-repro-hover]:not([data-repro-focus]) {}"
        );
        assert_eq!(
            css_with_states("button:hover:active, a:active-x {}"),
            "button[data-repro-hover][data-repro-active], a:active-x {}"
        );
        assert_eq!(
            css_with_states("#stage:fullscreen {}"),
            "#stage[data-repro-fullscreen] {}"
        );
    }

    #[test]
    fn strings_comments_media_and_longer_names_stay() {
        let css =
            "a::after { content: \":hover\" } /* :focus */ @media (hover: hover) { b:hovered {} }";
        assert_eq!(css_with_states(css), css);
        assert_eq!(
            css_with_states("x { content: 'it\\'s :hover' }"),
            "x { content: 'it\\'s :hover' }"
        );
        assert_eq!(css_with_states("/* unclosed :hover"), "/* unclosed :hover");
    }
}
