//! The page assets a report stores, and the replay pointed at them: every
//! reference to an asset the report holds (an image's `src`, a `srcset`
//! candidate, a `url()` in a style) is rewritten to the server's copy, and
//! each replayed document gets a Content-Security-Policy that lets it load
//! from the server alone. A reference the report did not store is left as
//! it was and blocked by that policy: no request of the replay reaches the
//! recorded site or anyone else.

use std::collections::HashMap;

use repro_manifest::asset_urls::{absolute, map_value, url_attribute, UrlValue};
use repro_manifest::AssetRef;

/// Where each stored asset of a report is served, by the URL it stands for.
pub struct StoredAssets {
    /// The server's copy of each asset, by its URL on the recorded page.
    served: HashMap<String, String>,
    /// The server's origin, which alone the replay may load from.
    origin: String,
}

impl StoredAssets {
    /// The assets `assets` of report `report_id`, served by the server at `origin`.
    pub fn new(assets: &[AssetRef], origin: &str, report_id: &str) -> Self {
        let served = assets
            .iter()
            .filter(|asset| repro_manifest::is_sha256_hex(&asset.sha256))
            .map(|asset| {
                (
                    asset.url.clone(),
                    format!("{origin}/r/{report_id}/assets/{}", asset.sha256),
                )
            })
            .collect();
        StoredAssets {
            served,
            origin: origin.to_string(),
        }
    }

    /// The server's copy of `reference` (relative to `base`), if stored.
    fn served(&self, base: &str, reference: &str) -> Option<String> {
        self.served.get(&absolute(base, reference)?).cloned()
    }

    /// Attribute `name`'s `value` on an element `tag` in a document at
    /// `base`, its stored assets pointed at the server.
    pub fn attribute(&self, tag: &str, name: &str, value: &str, base: &str) -> String {
        match url_attribute(tag, name) {
            Some(kind) => map_value(kind, value, |r| self.served(base, r)),
            None => value.to_string(),
        }
    }

    /// CSS text of a document at `base`, its stored assets pointed at the server.
    pub fn css(&self, css: &str, base: &str) -> String {
        map_value(UrlValue::Css, css, |r| self.served(base, r))
    }

    /// The policy of a replayed document: assets from the server (and
    /// `data:`/`blob:`) only; nothing runs, nothing else loads.
    pub fn policy(&self) -> String {
        let origin = &self.origin;
        format!(
            "default-src 'none'; img-src {origin} data: blob:; style-src {origin} 'unsafe-inline'; \
             font-src {origin} data:; media-src {origin} data: blob:; frame-src about:"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> StoredAssets {
        let asset = |url: &str, sha: char| AssetRef {
            url: url.into(),
            sha256: sha.to_string().repeat(64),
            content_type: "image/png".into(),
            bytes: 1,
        };
        StoredAssets::new(
            &[
                asset("https://app.test/img/logo.png", 'a'),
                asset("https://cdn.test/f.woff2", 'b'),
            ],
            "https://repro.test",
            "r1",
        )
    }

    #[test]
    fn stored_references_point_at_the_server_and_others_stay() {
        let assets = stored();
        let base = "https://app.test/shop/cart.html";
        assert_eq!(
            assets.attribute("img", "src", "../img/logo.png", base),
            format!("https://repro.test/r/r1/assets/{}", "a".repeat(64))
        );
        assert_eq!(
            assets.attribute("img", "src", "other.png", base),
            "other.png"
        );
        assert_eq!(
            assets.attribute("a", "href", "../img/logo.png", base),
            "../img/logo.png"
        );
        let css = assets.css(
            "@font-face { src: url(https://cdn.test/f.woff2) } a { background: url(x.png) }",
            base,
        );
        assert!(
            css.contains(&format!(
                "url(\"https://repro.test/r/r1/assets/{}\")",
                "b".repeat(64)
            )),
            "{css}"
        );
        assert!(css.contains("url(x.png)"), "{css}");
    }

    #[test]
    fn the_policy_lets_the_replay_load_from_the_server_alone() {
        let policy = stored().policy();
        assert!(policy.starts_with("default-src 'none';"));
        assert!(policy.contains("img-src https://repro.test data: blob:;"));
        assert!(
            !policy.contains("http:") && !policy.contains("https: "),
            "{policy}"
        );
        assert!(!policy.contains("script-src"));
    }
}
