//! Recorded text (a page's labels, console messages, URLs, the tester's
//! comments) written into Markdown that a forge renders: as text, never as
//! markup. A page cannot add a link, an image that a reader's browser
//! would fetch (telling someone the issue is being read), a mention that
//! notifies a person, or a heading; a code block cannot be ended early.

/// Characters Markdown (and GitHub's and GitLab's extensions) may read
/// as markup inside a line, escaped with a backslash.
const ACTIVE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '!', '|', '~', '@', '#', '$',
];

/// `text` on one line (its whitespace folded), at most `max_chars` long
/// (then `…`), with what Markdown would read as markup escaped.
pub fn inline(text: &str, max_chars: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len());
    for (n, c) in folded.chars().enumerate() {
        if n == max_chars {
            out.push('…');
            break;
        }
        if ACTIVE.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` as a fenced code block whose fence no line of it can close.
pub fn code_block(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}

/// `m:ss.s` for a moment in ms.
pub fn clock(ms: u64) -> String {
    format!("{}:{:02}.{}", ms / 60_000, ms / 1000 % 60, ms % 1000 / 100)
}

/// A link to moment `ms` of the replay at `link`: `[0:01.2](…#t=1.2)`.
pub fn moment(link: &str, ms: u64) -> String {
    format!(
        "[{}]({link}#t={}.{})",
        clock(ms),
        ms / 1000,
        ms % 1000 / 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_stays_text() {
        assert_eq!(
            inline("![x](https://t.test/p.png) @alice\n# Done <img>", 200),
            "\\!\\[x\\](https://t.test/p.png) \\@alice \\# Done \\<img\\>"
        );
        assert_eq!(inline("abcdef", 3), "abc…");
    }

    #[test]
    fn a_code_block_outlasts_its_text() {
        let block = code_block("a ``` b\n````");
        assert!(
            block.starts_with("`````text\n") && block.ends_with("\n`````\n"),
            "{block}"
        );
    }

    #[test]
    fn moments_link_into_the_replay() {
        assert_eq!(
            moment("http://s/r/1", 61_234),
            "[1:01.2](http://s/r/1#t=61.2)"
        );
    }
}
