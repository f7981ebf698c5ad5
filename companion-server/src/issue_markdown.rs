//! A report as an issue a developer files: a title, the steps to
//! reproduce, what the tester expected and saw (their marks), what went
//! wrong with its evidence (the diagnosis), the failed requests and the
//! console errors, the environment and the marks' screenshots, every
//! moment a link into the replay. Markdown, for GitHub, GitLab or any
//! tracker; every recorded text in it stays text (`markdown_text`).
//!
//! Lists are capped so that an issue fits a tracker's limit (GitHub takes
//! 65,536 characters); what is left out is counted and linked (HAR,
//! console text).

use repro_manifest::{diagnose, steps, Bundle, ConsoleLevel, Finding, Mark, NetworkKind};
use serde_json::{json, Value};

use crate::markdown_text::{code_block, inline, moment};

/// The most steps, findings, requests or console errors listed.
const MAX_LISTED: usize = 25;
/// The longest recorded text written, in characters.
const MAX_TEXT: usize = 300;

/// The issue's title: the tester's first comment, else the likeliest
/// finding, else the report's title (the page's, or the tester's).
pub fn issue_title(bundle: &Bundle) -> String {
    title_of(bundle, &diagnose(bundle))
}

/// The title, the findings being known.
fn title_of(bundle: &Bundle, findings: &[Finding]) -> String {
    let comment = bundle
        .marks
        .iter()
        .map(|m| m.comment.lines().next().unwrap_or_default().trim())
        .find(|c| !c.is_empty());
    let title = match comment {
        Some(comment) => comment.to_string(),
        None => match findings.first() {
            Some(finding) => finding.text.clone(),
            None if bundle.title.trim().is_empty() => "Repro report".to_string(),
            None => bundle.title.clone(),
        },
    };
    let folded = title.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &folded[..end]),
        None => folded,
    }
}

/// "and N more (see …)" when `total` is more than listed.
fn more(total: usize, whereto: &str) -> String {
    match total.checked_sub(MAX_LISTED) {
        Some(left) if left > 0 => format!("\n_…and {left} more: {whereto}._\n"),
        _ => String::new(),
    }
}

/// The tester's words in a mark: what they expected and what they saw,
/// when they wrote lines starting "Expected:" and "Actual:"; else all of
/// it is what they saw.
fn expected_actual(mark: &Mark) -> (Option<String>, String) {
    let mut expected = None;
    let mut actual = Vec::new();
    for line in mark.comment.lines() {
        let lower = line.trim_start().to_ascii_lowercase();
        if lower.starts_with("expected:") {
            expected = Some(line.trim_start()["expected:".len()..].trim().to_string());
        } else if lower.starts_with("actual:") {
            actual.push(line.trim_start()["actual:".len()..].trim().to_string());
        } else {
            actual.push(line.trim().to_string());
        }
    }
    (expected, actual.join(" "))
}

/// The report `bundle`, shared at `link`, as a Markdown issue.
pub fn issue_markdown(bundle: &Bundle, link: &str) -> String {
    let findings = diagnose(bundle);
    markdown_of(bundle, link, &title_of(bundle, &findings), &findings)
}

/// The issue's Markdown, its title and findings being known (the rules
/// run once per issue).
fn markdown_of(bundle: &Bundle, link: &str, title: &str, findings: &[Finding]) -> String {
    let env = &bundle.environment;
    let mut out = format!(
        "# {}\n\n**Report:** {link} (recorded {} UTC, {} s)\n\n",
        inline(title, 200),
        crate::dates::utc_minute(bundle.started_at as i64),
        bundle.duration_ms / 1000,
    );

    let steps = steps(bundle);
    out.push_str("## Steps to reproduce\n\n");
    for (n, step) in steps.iter().take(MAX_LISTED).enumerate() {
        out.push_str(&format!(
            "{}. {} {}\n",
            n + 1,
            moment(link, step.t),
            inline(&step.line(), MAX_TEXT)
        ));
    }
    out.push_str(&more(steps.len(), "see the replay"));

    let worded: Vec<(&Mark, Option<String>, String)> = bundle
        .marks
        .iter()
        .filter(|m| !m.comment.trim().is_empty())
        .map(|m| {
            let (expected, actual) = expected_actual(m);
            (m, expected, actual)
        })
        .collect();
    if !worded.is_empty() {
        out.push_str("\n## Expected and actual\n\n");
        for (mark, expected, actual) in worded.iter().take(MAX_LISTED) {
            if let Some(expected) = expected {
                out.push_str(&format!("- **Expected:** {}\n", inline(expected, MAX_TEXT)));
            }
            out.push_str(&format!(
                "- **Actual** ({}): {}\n",
                moment(link, mark.t),
                inline(actual, MAX_TEXT)
            ));
        }
    }

    out.push_str("\n## What went wrong\n\n");
    if findings.is_empty() {
        out.push_str("_The recording shows no failed request, console error or ignored click._\n");
    }
    for finding in findings.iter().take(MAX_LISTED) {
        out.push_str(&format!(
            "- {} {}\n",
            moment(link, finding.t),
            inline(&finding.text, MAX_TEXT)
        ));
    }
    out.push_str(&more(findings.len(), "see the replay"));

    let failed: Vec<_> = bundle
        .network
        .iter()
        .filter(|r| r.kind != NetworkKind::Resource || r.error.is_some())
        .filter(|r| r.status.is_some_and(|s| s >= 400) || r.error.is_some())
        .collect();
    if !failed.is_empty() {
        out.push_str(
            "\n## Failed requests\n\n| When | Request | Outcome | Took |\n|---|---|---|---|\n",
        );
        for request in failed.iter().take(MAX_LISTED) {
            let outcome = match (request.status, &request.error) {
                (Some(status), _) => status.to_string(),
                (None, Some(error)) => inline(error, 80),
                (None, None) => "failed".into(),
            };
            out.push_str(&format!(
                "| {} | {} {} | {outcome} | {} ms |\n",
                moment(link, request.t),
                inline(&request.method, 10),
                inline(&request.url, 200),
                request.duration_ms.unwrap_or(0)
            ));
        }
        out.push_str(&more(failed.len(), &format!("the HAR at {link}/har")));
    }

    let errors: Vec<_> = bundle
        .console
        .iter()
        .filter(|e| e.level == ConsoleLevel::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str("\n## Console errors\n\n");
        let mut text = String::new();
        for entry in errors.iter().take(MAX_LISTED) {
            let message: String = entry.args.join(" ").chars().take(MAX_TEXT * 2).collect();
            text.push_str(&format!(
                "[{}] {message}\n",
                crate::markdown_text::clock(entry.t)
            ));
            if let Some(stack) = &entry.stack {
                // The page's frames: not the recorder's own (an extension's),
                // nor the bare "Error" a stack taken by the console hook starts with.
                let frames = stack
                    .lines()
                    .map(str::trim)
                    .filter(|l| l.starts_with("at ") && !l.contains("-extension://"));
                for line in frames.take(6) {
                    text.push_str(&format!("    {line}\n"));
                }
            }
        }
        out.push_str(&code_block(&text));
        out.push_str(&more(errors.len(), &format!("{link}/console.txt")));
    }

    if !bundle.marks.is_empty() {
        out.push_str("\n## Marks\n\n");
        for mark in bundle.marks.iter().take(MAX_LISTED) {
            let shot = mark
                .screenshot
                .filter(|i| (*i as usize) < bundle.screenshots.len())
                .map(|i| format!(" ([screenshot]({link}/screenshots/{i}))"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- {} {} {}: {} on `{}`{shot}\n",
                moment(link, mark.t),
                inline(&mark.kind, 20),
                inline(&mark.severity, 20),
                inline(&mark.comment, MAX_TEXT),
                mark.selector
                    .replace('`', "'")
                    .chars()
                    .take(200)
                    .collect::<String>(),
            ));
        }
    }

    out.push_str(&format!(
        "\n## Environment\n\n- Page: {}\n- Browser: {} {} on {}\n- Viewport: {} × {} at {}×\n- Language and time zone: {}, {}\n",
        inline(&env.url, 300),
        inline(&env.browser, 40),
        inline(&env.browser_version, 40),
        inline(&env.os, 60),
        env.viewport.w,
        env.viewport.h,
        env.device_pixel_ratio,
        inline(&env.language, 20),
        inline(&env.time_zone, 60),
    ));
    if let Some(release) = &env.release {
        out.push_str(&format!("- Release: {}\n", inline(release, 100)));
    }
    out.push_str(&format!(
        "\n---\nRecorded with Repro {}. Replay: {link} · Network (HAR): {link}/har · Console: {link}/console.txt · Playwright test: {link}/playwright.spec.ts\n",
        inline(&env.extension_version, 20)
    ));
    out
}

/// `text` for Slack's message format: its three markup characters as
/// entities (a page's `<@U123>` would mention someone), on one line.
fn slack_text(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The issue of report `id` (its share id) as JSON, for webhooks: title, Markdown, the link,
/// and `text` (Slack's and compatible receivers' message field).
pub fn issue_json(id: &str, bundle: &Bundle, link: &str) -> Value {
    let findings = diagnose(bundle);
    let title = title_of(bundle, &findings);
    json!({
        "id": id,
        "title": title,
        "link": link,
        "markdown": markdown_of(bundle, link, &title, &findings),
        "text": format!("New Repro report: {} <{link}>", slack_text(&title)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        serde_json::from_str(&repro_manifest::example_bundle_json()).unwrap()
    }

    #[test]
    fn the_example_as_an_issue() {
        let md = issue_markdown(&bundle(), "http://s.test/r/abc");
        println!("{md}");
        for part in [
            "## Steps to reproduce\n\n1. [0:00.0](http://s.test/r/abc#t=0.0) Opened ",
            "## What went wrong\n\n",
            "## Failed requests\n\n| When | Request | Outcome | Took |",
            "## Console errors\n\n```text\n[0:01.1] TypeError: x is undefined\n    at pay",
            "## Environment\n\n- Page: ",
            "Replay: http://s.test/r/abc · ",
        ] {
            assert!(md.contains(part), "{part} in:\n{md}");
        }
    }

    #[test]
    fn a_slack_message_cannot_mention_anyone() {
        let mut b = bundle();
        b.marks.clear();
        b.title = "x".into();
        b.network.clear();
        b.console.clear();
        let text = issue_json("1", &b, "http://s/r/1")["text"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(text, "New Repro report: x <http://s/r/1>");
        assert_eq!(
            slack_text("<@U1> & <!here>"),
            "&lt;@U1&gt; &amp; &lt;!here&gt;"
        );
    }
}
