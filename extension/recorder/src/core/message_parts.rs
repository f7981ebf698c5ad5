//! Where to cut a long chunk into parts for the messaging layer, which
//! copies each message in one go: the 3.5 MB snapshot of the 100k-node
//! page held the page's main thread for 38–57 ms in one task (traced),
//! while parts of 512 Ki UTF-16 units take 4–7 ms each, in tasks of their
//! own.

/// The most UTF-16 units in one part.
pub const PART_UNITS: u32 = 512 * 1024;

/// The `(start, end)` ranges that cut a text of `length` UTF-16 units into
/// parts of at most `max` units, in order. A cut never falls between the two
/// halves of a surrogate pair (`is_high_surrogate(i)` says whether unit `i`
/// opens one), so that each part is well-formed text on its own. (Chromium's
/// messaging keeps a lone half as it is, checked; a step that went through
/// UTF-8 would turn it into U+FFFD.)
pub fn part_ranges(
    length: u32,
    max: u32,
    is_high_surrogate: impl Fn(u32) -> bool,
) -> Vec<(u32, u32)> {
    let max = max.max(2);
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < length {
        let mut end = start.saturating_add(max).min(length);
        if end < length && is_high_surrogate(end - 1) {
            end -= 1;
        }
        ranges.push((start, end));
        start = end;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<u16> {
        text.encode_utf16().collect()
    }

    fn cut(text: &str, max: u32) -> Vec<String> {
        let units = units(text);
        part_ranges(units.len() as u32, max, |i| {
            (0xD800..=0xDBFF).contains(&units[i as usize])
        })
        .into_iter()
        .map(|(start, end)| {
            String::from_utf16(&units[start as usize..end as usize]).expect("no lone surrogate")
        })
        .collect()
    }

    #[test]
    fn a_short_text_is_one_part_and_an_empty_one_none() {
        assert_eq!(cut("abc", 10), ["abc"]);
        assert!(cut("", 10).is_empty());
    }

    #[test]
    fn a_long_text_is_cut_into_parts_of_at_most_max_units() {
        let parts = cut("abcdefghij", 4);
        assert_eq!(parts, ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_cut_never_splits_a_surrogate_pair() {
        // "a" then turtles (two units each): a cut after 4 units would fall
        // inside the second turtle.
        let text = "a🐢🐢🐢🐢";
        let parts = cut(text, 4);
        assert_eq!(parts, ["a🐢", "🐢🐢", "🐢"]);
        assert_eq!(parts.concat(), text);
        for max in 2..12 {
            assert_eq!(cut(text, max).concat(), text, "max {max}");
        }
    }

    #[test]
    fn a_tiny_limit_still_makes_progress() {
        assert_eq!(cut("🐢🐢", 1), ["🐢", "🐢"]);
    }
}
