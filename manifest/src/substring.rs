//! Substring tests for the short name lists masking checks names against
//! (`password`, `token`, …), run for every form control, URL parameter and
//! header a recording meets.
//!
//! `str::contains` with a `&str` builds a two-way searcher on every call,
//! which costs more than the search itself for needles this short, and works
//! on 64-bit words that the strict-CSP (wasm2js) build of the recorder
//! lowers to pairs of 32-bit numbers (measured: about 10 ms of that build's
//! snapshot of a page with 600 form controls).

/// Does `haystack` hold any of `needles`? Bytes are compared as they are:
/// lower-case both sides first for a case-blind test.
pub fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| contains(haystack, needle))
}

/// Does `haystack` hold `needle`?
pub fn contains(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    haystack
        .windows(needle.len())
        .any(|window| window[0] == first && &window[1..] == rest)
}

#[cfg(test)]
mod tests {
    use super::{contains, contains_any};

    #[test]
    fn agrees_with_str_contains() {
        let haystacks = [
            "",
            "a",
            "token",
            "x_token_y",
            "tok",
            "ttoken",
            "passwd1",
            "é-token",
        ];
        let needles = ["", "t", "token", "oke", "passwd", "é", "-t", "tokens"];
        for haystack in haystacks {
            for needle in needles {
                assert_eq!(
                    contains(haystack, needle),
                    haystack.contains(needle),
                    "{haystack:?} {needle:?}"
                );
            }
        }
    }

    #[test]
    fn any_of_a_list() {
        assert!(contains_any("user_password", &["token", "password"]));
        assert!(!contains_any("username", &["token", "password"]));
        assert!(!contains_any("username", &[]));
    }
}
