//! What the stores check, checked at every build, and the listing they
//! need, written to `dist/store/`.
//!
//! The check refuses a package the Chrome Web Store or addons.mozilla.org
//! would refuse for reasons a build can see: a permission without a stated
//! reason, code loaded from elsewhere (a remote script, `eval`, a policy
//! allowing a remote source), an icon missing at one of the sizes, a name
//! or summary longer than the stores take. `web-ext lint` checks the Firefox
//! build further in the test command.

use std::fs;
use std::path::Path;

use serde_json::Value;

/// Why the extension asks for each permission (the stores' "permission
/// justification"); a permission missing here fails the build.
pub const JUSTIFICATIONS: &[(&str, &str)] = &[
    ("alarms", "Retries a report's upload while the tester's server cannot be reached, at growing intervals, until it arrives."),
    ("notifications", "Tells the tester that a report was shared, or that its upload waits for the server, while the popup is closed."),
    ("scripting", "Starts the recorder in the tab the tester chose to record, and the page hook that forwards that page's console and network entries to it."),
    ("storage", "Keeps the tester's settings, and each recording until the tester's server has it (through lost connections and browser restarts)."),
    ("unlimitedStorage", "A long recording can outgrow the default quota; the tester sets the budget Repro keeps to in the options."),
    ("tabs", "Knows which tab is being recorded, shows its state on the toolbar, and takes the picture of the visible tab that a mark's screenshot needs."),
    ("webNavigation", "Follows the recorded tab across its navigations and into its frames, so that every page and frame is recorded."),
    ("<all_urls>", "A tester records the site under test, whatever it is. Nothing is read from a tab until the tester starts recording it (with the pre-roll on, a page keeps its last minute of console and network in its own memory; nothing leaves the page unless the tester records)."),
];

/// The stores' longest name and summary.
const NAME_LIMIT: usize = 75;
const SUMMARY_LIMIT: usize = 132;

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Width and height of a PNG file's bytes.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Some((word(16), word(20)))
}

/// Code from elsewhere in a page or script's text, if any: what the stores
/// call remote code.
fn remote_code(text: &str) -> Option<&'static str> {
    const SIGNS: [(&str, &str); 8] = [
        ("eval(", "eval"),
        ("new Function(", "new Function"),
        ("importScripts(\"http", "a remote importScripts"),
        ("importScripts('http", "a remote importScripts"),
        ("import(\"http", "a remote import"),
        ("import('http", "a remote import"),
        ("from \"http", "a remote import"),
        ("from 'http", "a remote import"),
    ];
    let lowered = text.to_ascii_lowercase();
    let remote_script = lowered.match_indices("<script").any(|(at, _)| {
        let tag = &lowered[at..lowered[at..]
            .find('>')
            .map_or(lowered.len(), |end| at + end)];
        tag.contains("src=\"http") || tag.contains("src=\"//") || tag.contains("src='http")
    });
    if remote_script {
        return Some("a remote <script>");
    }
    SIGNS
        .iter()
        .find(|(sign, _)| text.contains(sign))
        .map(|(_, what)| *what)
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files_under(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Check the unpacked extension at `dir` as the stores would; every problem, in words.
pub fn problems(dir: &Path) -> Result<Vec<String>, String> {
    let manifest = read_json(&dir.join("manifest.json"))?;
    let mut found = Vec::new();
    let text = |key: &str| manifest[key].as_str().unwrap_or_default().to_owned();
    if text("name").is_empty() || text("name").chars().count() > NAME_LIMIT {
        found.push(format!("the name must be 1 to {NAME_LIMIT} characters"));
    }
    if text("description").is_empty() || text("description").chars().count() > SUMMARY_LIMIT {
        found.push(format!(
            "the description must be 1 to {SUMMARY_LIMIT} characters"
        ));
    }
    let mut asked = strings(&manifest["permissions"]);
    asked.extend(strings(&manifest["host_permissions"]));
    for permission in asked {
        if !JUSTIFICATIONS.iter().any(|(name, _)| *name == permission) {
            found.push(format!(
                "permission {permission:?} has no stated reason (xtask/src/store.rs)"
            ));
        }
    }
    for size in crate::icons::SIZES {
        let Some(file) = manifest["icons"][size.to_string()].as_str() else {
            found.push(format!("no {size}-pixel icon in the manifest"));
            continue;
        };
        match fs::read(dir.join(file)).ok().as_deref().and_then(png_size) {
            Some(dims) if dims == (size, size) => {}
            Some((w, h)) => found.push(format!("{file} is {w} × {h}, not {size} × {size}")),
            None => found.push(format!("{file} is not a PNG in the package")),
        }
    }
    let policy = manifest["content_security_policy"]["extension_pages"]
        .as_str()
        .unwrap_or_default();
    if policy.contains("http") || policy.contains("'unsafe-eval'") || policy.contains(" *") {
        found.push(format!(
            "the pages' policy allows code from elsewhere: {policy}"
        ));
    }
    let mut files = Vec::new();
    files_under(dir, &mut files)?;
    for path in files {
        let is_code = path
            .extension()
            .is_some_and(|e| e == "js" || e == "html" || e == "mjs");
        if !is_code {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(what) = remote_code(&text) {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .display()
                .to_string();
            found.push(format!("{name} holds {what}"));
        }
    }
    Ok(found)
}

/// The long description of both listings.
const DESCRIPTION: &str = "Repro records the tab you test as a replayable session: the page itself (rebuilt, not a video), its console and its network, masked in your browser before anything leaves it. Mark what is wrong on the page, annotate the screenshot, and share a link from your own Repro server. Developers open the link and see what you saw, on one timeline, with the steps, the likeliest cause, a Markdown issue and a Playwright test that fails while the bug is there.\n\nPrivacy by default: form fields, passwords, card numbers, e-mail addresses and tokens are masked in the page; recordings go only to the server you set; you review everything before it is shared.";

/// Check both builds, and write `dist/store/` (listing text, permission
/// reasons, screenshots from `docs/screenshots/`).
pub fn check_and_list() -> Result<(), String> {
    let root = crate::root();
    let dist = root.join("dist");
    for browser in ["chromium", "firefox"] {
        let found = problems(&dist.join(browser))?;
        if !found.is_empty() {
            return Err(format!(
                "dist/{browser} would be refused by the stores:\n- {}",
                found.join("\n- ")
            ));
        }
    }
    let store = dist.join("store");
    let _ = fs::remove_dir_all(&store);
    let shots = store.join("screenshots");
    fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let manifest = read_json(&dist.join("chromium/manifest.json"))?;
    let mut listing = format!(
        "# Store listing: {}\n\nGenerated by `cargo xtask build` (xtask/src/store.rs); the same text for the Chrome Web Store and addons.mozilla.org.\n\n## Summary\n\n{}\n\n## Description\n\n{DESCRIPTION}\n\n## Category\n\nDeveloper Tools\n\n## Single purpose\n\nRecord a browser tab as a replayable bug report (page, console, network), masked in the browser, and share it through the tester's own server.\n\n## Data\n\nWebsite content and activity of the tabs the tester records, masked in the browser, sent only to the server the tester sets in the options; nothing is sent to the extension's authors. Firefox: declared as `websiteContent` and `websiteActivity` in `data_collection_permissions`.\n\n## Why each permission\n\n",
        manifest["name"].as_str().unwrap_or_default(),
        manifest["description"].as_str().unwrap_or_default(),
    );
    for (permission, why) in JUSTIFICATIONS {
        listing.push_str(&format!("- `{permission}`: {why}\n"));
    }
    listing.push_str("\n## Screenshots (1280 × 800)\n\n");
    let source = root.join("docs/screenshots");
    for name in [
        "viewer-light",
        "review-light",
        "annotate-light",
        "reports-light",
        "viewer-dark",
    ] {
        let from = source.join(format!("{name}.png"));
        let bytes = fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        if png_size(&bytes) != Some((1280, 800)) {
            return Err(format!("{} is not 1280 × 800", from.display()));
        }
        fs::write(shots.join(format!("{name}.png")), bytes).map_err(|e| e.to_string())?;
        listing.push_str(&format!("- `screenshots/{name}.png`\n"));
    }
    fs::write(store.join("listing.md"), listing).map_err(|e| e.to_string())?;
    println!(
        "Checked both packages for the stores; wrote {}",
        store.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_code_is_named() {
        assert_eq!(remote_code("let x = eval('1')"), Some("eval"));
        assert_eq!(
            remote_code("<SCRIPT src=\"https://cdn.example/x.js\"></script>"),
            Some("a remote <script>")
        );
        assert_eq!(
            remote_code("import x from 'https://cdn.example/x.js'"),
            Some("a remote import")
        );
        assert_eq!(
            remote_code("<script type=\"module\" src=\"popup.js\"></script>"),
            None
        );
        assert_eq!(remote_code("// https://developer.mozilla.org/"), None);
    }

    #[test]
    fn a_package_the_stores_would_refuse_is_refused_with_reasons() {
        let dir = std::env::temp_dir().join(format!("repro-store-check-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("manifest.json"),
            r#"{"name": "Repro", "description": "Records tabs.",
                "permissions": ["storage", "history"], "host_permissions": ["<all_urls>"],
                "icons": {"16": "icon-16.png", "32": "icon-32.png", "48": "icon-48.png", "128": "icon-128.png"},
                "content_security_policy": {"extension_pages": "script-src 'self' https://cdn.example"}}"#,
        )
        .unwrap();
        crate::icons::write_icons(&dir).unwrap();
        fs::write(
            dir.join("icon-48.png"),
            crate::icons::png(16, 16, &crate::icons::pixels(16)).unwrap(),
        )
        .unwrap();
        fs::write(
            dir.join("page.html"),
            "<script src=\"https://cdn.example/x.js\"></script>",
        )
        .unwrap();
        let found = problems(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.contains("\"history\" has no stated reason")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("icon-48.png is 16 × 16")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("policy allows code from elsewhere")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("page.html holds a remote <script>")),
            "{found:?}"
        );
        assert_eq!(found.len(), 4, "{found:?}");
    }

    #[test]
    fn png_sizes_are_read_from_the_header() {
        let file = crate::icons::png(48, 48, &crate::icons::pixels(48)).unwrap();
        assert_eq!(png_size(&file), Some((48, 48)));
        assert_eq!(png_size(b"GIF89a"), None);
    }
}
