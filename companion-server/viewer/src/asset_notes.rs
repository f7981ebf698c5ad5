//! What the environment panel says of a report's page assets: how many it
//! stores, and each one it does not, with why, so that a developer who
//! sees empty space in the replay knows what was there and why it is not.

use repro_manifest::{AssetRef, SkippedAsset};

/// Why an asset was not stored, as a developer reads it.
fn reason(why: &str) -> &str {
    match why {
        "unreachable" => "could not be fetched",
        "too_large" => "larger than an asset may be (8 MiB)",
        "not_an_asset" => "not an image, font or stylesheet",
        "report_full" => "past the report's 64 MiB of assets",
        "images_off" => "images are not stored (the tester's setting)",
        other => other,
    }
}

fn kilobytes(bytes: u64) -> String {
    match bytes {
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// The panel's lines: one for what is stored, then each asset not stored
/// (at most `max`, then how many more), its URL and why.
pub fn asset_lines(stored: &[AssetRef], skipped: &[SkippedAsset], max: usize) -> Vec<String> {
    let bytes: u64 = stored.iter().map(|a| a.bytes).sum();
    let mut lines = vec![match (stored.len(), skipped.len()) {
        (0, 0) => "none used or none stored (a report from before format 4 loads them from the recorded site)".to_string(),
        (n, 0) => format!("{n} stored with the report ({})", kilobytes(bytes)),
        (n, m) => format!(
            "{n} stored with the report ({}); {m} not stored, shown as empty space:",
            kilobytes(bytes)
        ),
    }];
    lines.extend(
        skipped
            .iter()
            .take(max)
            .map(|s| format!("{} — {}", s.url, reason(&s.why))),
    );
    if skipped.len() > max {
        lines.push(format!("and {} more", skipped.len() - max));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped(url: &str, why: &str) -> SkippedAsset {
        SkippedAsset {
            url: url.into(),
            why: why.into(),
        }
    }

    #[test]
    fn each_asset_not_stored_is_named_with_why() {
        let stored = [AssetRef {
            url: "https://app.test/logo.png".into(),
            sha256: "a".repeat(64),
            content_type: "image/png".into(),
            bytes: 2048,
        }];
        let lines = asset_lines(
            &stored,
            &[
                skipped("https://cdn.test/gone.png", "unreachable"),
                skipped("https://cdn.test/huge.jpg", "too_large"),
                skipped("https://cdn.test/x", "from_the_future"),
            ],
            2,
        );
        assert_eq!(
            lines,
            vec![
                "1 stored with the report (2.0 KB); 3 not stored, shown as empty space:",
                "https://cdn.test/gone.png — could not be fetched",
                "https://cdn.test/huge.jpg — larger than an asset may be (8 MiB)",
                "and 1 more",
            ]
        );
        assert_eq!(
            asset_lines(&stored, &[], 5),
            vec!["1 stored with the report (2.0 KB)"]
        );
    }
}
