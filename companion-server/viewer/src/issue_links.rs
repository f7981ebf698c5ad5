//! Links in and out of the viewer: a moment of the replay named in the
//! address (`#t=12.3`, as the Markdown issue links every step), and a
//! forge's prefilled "new issue" page for the report (GitHub, GitLab,
//! github.com and gitlab.com by `owner/name`, a self-hosted forge by its
//! repository's address). Plain Rust, tested natively.

/// The forges the viewer opens a new issue on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// GitHub (github.com, or GitHub Enterprise by address).
    GitHub,
    /// GitLab (gitlab.com, or a self-hosted GitLab by address).
    GitLab,
}

/// The most characters of the issue's Markdown put in the link (forges
/// and browsers refuse addresses much past 8 KB once encoded).
const MAX_BODY_CHARS: usize = 5_000;

/// The moment `#t=12.3` names, in ms; `None` when the address names none.
pub fn moment_from_hash(hash: &str) -> Option<u64> {
    let value = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("t="))?;
    let seconds: f64 = value.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| (seconds * 1000.0).round() as u64)
}

/// `text` percent-encoded for a query value (all but unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The repository's address: `owner/name` on the forge's public site, or
/// the address given. An error in words when it is neither.
fn repository_address(forge: Forge, repository: &str) -> Result<String, String> {
    let repository = repository.trim().trim_end_matches('/');
    if repository.starts_with("https://") || repository.starts_with("http://") {
        return Ok(repository.to_string());
    }
    let parts: Vec<&str> = repository.split('/').collect();
    let fits = parts.len() >= 2
        && (forge == Forge::GitLab || parts.len() == 2)
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        });
    if !fits {
        return Err(format!(
            "\u{201c}{}\u{201d} is not a repository: type owner/name, or the repository's address",
            repository.chars().take(60).collect::<String>()
        ));
    }
    Ok(match forge {
        Forge::GitHub => format!("https://github.com/{repository}"),
        Forge::GitLab => format!("https://gitlab.com/{repository}"),
    })
}

/// The issue's Markdown cut to fit a link, on a line's end, saying where
/// the whole issue is.
fn body_for_link(markdown: &str, whole_issue: &str) -> String {
    if markdown.chars().count() <= MAX_BODY_CHARS {
        return markdown.to_string();
    }
    let end = markdown
        .char_indices()
        .nth(MAX_BODY_CHARS)
        .map_or(markdown.len(), |(i, _)| i);
    let cut = markdown[..end]
        .rfind('\n')
        .map_or(&markdown[..end], |i| &markdown[..i]);
    format!("{cut}\n\n_…cut to fit a link: the whole issue is at {whole_issue}_\n")
}

/// The forge's "new issue" page for `repository`, prefilled with `title`
/// and the issue's `markdown` (whose whole text is at `whole_issue`).
pub fn new_issue_url(
    forge: Forge,
    repository: &str,
    title: &str,
    markdown: &str,
    whole_issue: &str,
) -> Result<String, String> {
    let base = repository_address(forge, repository)?;
    let body = encode(&body_for_link(markdown, whole_issue));
    let title = encode(title);
    Ok(match forge {
        Forge::GitHub => format!("{base}/issues/new?title={title}&body={body}"),
        Forge::GitLab => {
            format!("{base}/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}")
        }
    })
}

/// The issue's title: its Markdown's first heading, unescaped.
pub fn title_of(markdown: &str) -> String {
    let heading = markdown
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .unwrap_or("Repro report");
    let mut out = String::new();
    let mut escaped = false;
    for c in heading.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_in_the_address() {
        assert_eq!(moment_from_hash("#t=12.3"), Some(12_300));
        assert_eq!(moment_from_hash("#x=1&t=0"), Some(0));
        assert_eq!(moment_from_hash("#t=-1"), None);
        assert_eq!(moment_from_hash("#t=NaN"), None);
        assert_eq!(moment_from_hash(""), None);
    }

    #[test]
    fn new_issue_pages_prefilled() {
        let url = new_issue_url(Forge::GitHub, "acme/shop", "Save & go", "# A\nb", "x").unwrap();
        assert_eq!(
            url,
            "https://github.com/acme/shop/issues/new?title=Save%20%26%20go&body=%23%20A%0Ab"
        );
        let url = new_issue_url(
            Forge::GitLab,
            "https://git.acme.test/team/shop/",
            "T",
            "b",
            "x",
        )
        .unwrap();
        assert_eq!(url, "https://git.acme.test/team/shop/-/issues/new?issue%5Btitle%5D=T&issue%5Bdescription%5D=b");
        assert_eq!(
            new_issue_url(Forge::GitLab, "group/sub/project", "T", "b", "x").unwrap(),
            "https://gitlab.com/group/sub/project/-/issues/new?issue%5Btitle%5D=T&issue%5Bdescription%5D=b"
        );
        assert!(new_issue_url(Forge::GitHub, "javascript:alert(1)", "T", "b", "x").is_err());
        assert!(new_issue_url(Forge::GitHub, "a/b/c", "T", "b", "x").is_err());
    }

    #[test]
    fn a_long_issue_is_cut_saying_where_the_rest_is() {
        let markdown = "line\n".repeat(2_000);
        let body = body_for_link(&markdown, "http://s/r/1/issue.md");
        assert!(body.chars().count() < MAX_BODY_CHARS + 100);
        assert!(
            body.ends_with("the whole issue is at http://s/r/1/issue.md_\n"),
            "{body}"
        );
    }

    #[test]
    fn the_title_is_the_first_heading_unescaped() {
        assert_eq!(
            title_of("# POST /a answered 403 \\@x\n\nrest"),
            "POST /a answered 403 @x"
        );
        assert_eq!(title_of("no heading"), "Repro report");
    }
}
