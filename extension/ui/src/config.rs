//! The tester's settings from the options page: where to upload, and the
//! tester's own privacy rules (mask all text, extra selectors to mask or
//! block, sites never to record, upload without review).

use repro_manifest::MaskPolicy;
use serde::{Deserialize, Serialize};

/// Storage key of the settings.
pub const CONFIG_KEY: &str = "config";

/// The settings, as stored. Its `Debug` never shows the token.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Base URL of the companion server, without a trailing slash.
    pub server_url: String,
    /// Upload token.
    pub token: String,
    /// Upload as soon as a recording stops, without the review step.
    #[serde(default)]
    pub auto_upload: bool,
    /// Mask every text node, not only form values and secret shapes.
    #[serde(default)]
    pub mask_all_text: bool,
    /// Extra CSS selectors whose text is masked (comma-separated).
    #[serde(default)]
    pub mask_selectors: String,
    /// Extra CSS selectors replaced by placeholders (comma-separated).
    #[serde(default)]
    pub block_selectors: String,
    /// URL patterns (`*` matches anything) of sites never to record.
    #[serde(default)]
    pub skip_sites: Vec<String>,
    /// Keep the last minute of console and network in every page's memory,
    /// so that a recording (or a mark) starts with what led up to it.
    #[serde(default = "on")]
    pub pre_roll: bool,
    /// Keep a report's local copy after the server has confirmed it.
    #[serde(default)]
    pub keep_local_copies: bool,
    /// Most megabytes of recordings kept in the browser; at the budget,
    /// recording stops instead of dropping anything.
    #[serde(default = "default_budget_mb")]
    pub storage_budget_mb: f64,
    /// Share links end this many days after upload; 0 keeps them until revoked.
    #[serde(default)]
    pub link_expiry_days: u32,
    /// Store the page's images with a report (stylesheets and fonts are
    /// stored either way).
    #[serde(default = "on")]
    pub store_images: bool,
}

fn on() -> bool {
    true
}

/// The local storage budget unless the tester sets another: 500 MB.
pub const DEFAULT_BUDGET_MB: f64 = 500.0;

fn default_budget_mb() -> f64 {
    DEFAULT_BUDGET_MB
}

/// What the options form holds, before checking. Its `Debug` never shows
/// the token.
#[derive(Clone, Default)]
pub struct ConfigForm {
    /// "Server URL"
    pub server_url: String,
    /// "Upload token"
    pub token: String,
    /// "Upload without review"
    pub auto_upload: bool,
    /// "Mask all text"
    pub mask_all_text: bool,
    /// "Also mask" selectors
    pub mask_selectors: String,
    /// "Also block" selectors
    pub block_selectors: String,
    /// "Never record" patterns, one per line
    pub skip_sites: String,
    /// "Keep the last minute"
    pub pre_roll: bool,
    /// "Keep a local copy after upload"
    pub keep_local_copies: bool,
    /// "Local storage budget (MB)", as typed
    pub storage_budget_mb: String,
    /// "Share links expire after", in days (0: never)
    pub link_expiry_days: u32,
    /// "Store the page's images with the report"
    pub store_images: bool,
}

/// Whether the pre-roll is on under `config` (on until the tester turns it off).
pub fn pre_roll_on(config: Option<&Config>) -> bool {
    config.is_none_or(|c| c.pre_roll)
}

impl Config {
    /// Check and normalize the form; `is_selector` tells whether a CSS
    /// selector parses (the page asks the browser).
    pub fn from_form(
        form: &ConfigForm,
        is_selector: impl Fn(&str) -> bool,
    ) -> Result<Config, String> {
        let server_url = form.server_url.trim().trim_end_matches('/').to_string();
        if !(server_url.starts_with("http://") || server_url.starts_with("https://")) {
            return Err("The server URL must start with http:// or https://".into());
        }
        let token = form.token.trim().to_string();
        if token.is_empty() {
            return Err(
                "The upload token is empty: create one with `repro-server token create`".into(),
            );
        }
        for (label, selectors) in [
            ("Also mask", &form.mask_selectors),
            ("Also block", &form.block_selectors),
        ] {
            let selectors = selectors.trim();
            if !selectors.is_empty() && !is_selector(selectors) {
                return Err(format!(
                    "{label}: `{selectors}` is not a valid CSS selector list"
                ));
            }
        }
        let storage_budget_mb = match form.storage_budget_mb.trim() {
            "" => DEFAULT_BUDGET_MB,
            text => text
                .parse::<f64>()
                .ok()
                .filter(|mb| mb.is_finite() && *mb >= 0.1)
                .ok_or_else(|| {
                    format!("The local storage budget must be a number of megabytes, at least 0.1 (not `{text}`)")
                })?,
        };
        let skip_sites = form
            .skip_sites
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect();
        Ok(Config {
            server_url,
            token,
            auto_upload: form.auto_upload,
            mask_all_text: form.mask_all_text,
            mask_selectors: form.mask_selectors.trim().to_string(),
            block_selectors: form.block_selectors.trim().to_string(),
            skip_sites,
            pre_roll: form.pre_roll,
            keep_local_copies: form.keep_local_copies,
            storage_budget_mb,
            link_expiry_days: form.link_expiry_days.min(3650),
            store_images: form.store_images,
        })
    }

    /// The masking policy these settings ask for, on top of the defaults.
    pub fn policy(&self) -> MaskPolicy {
        let mut policy = MaskPolicy::default();
        let add = |base: &mut String, extra: &str| {
            if !extra.is_empty() {
                base.push_str(", ");
                base.push_str(extra);
            }
        };
        add(&mut policy.mask_selector, &self.mask_selectors);
        add(&mut policy.block_selector, &self.block_selectors);
        if self.mask_all_text {
            policy.mask_all_text = true;
            policy.name = "mask all text".into();
        } else if !self.mask_selectors.is_empty() || !self.block_selectors.is_empty() {
            policy.name = "default + tester rules".into();
        }
        policy
    }

    /// Is `url` on the never-record list?
    pub fn skips(&self, url: &str) -> bool {
        self.skip_sites
            .iter()
            .any(|pattern| glob_match(pattern, url))
    }
}

/// Does `text` match `pattern`, where `*` matches any run of characters?
/// A pattern without `*` matches URLs that start with it.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains('*') {
        return text.starts_with(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("server_url", &self.server_url)
            .field("token", &"[redacted]")
            .field("auto_upload", &self.auto_upload)
            .field("mask_all_text", &self.mask_all_text)
            .field("mask_selectors", &self.mask_selectors)
            .field("block_selectors", &self.block_selectors)
            .field("skip_sites", &self.skip_sites)
            .field("pre_roll", &self.pre_roll)
            .field("keep_local_copies", &self.keep_local_copies)
            .field("storage_budget_mb", &self.storage_budget_mb)
            .field("link_expiry_days", &self.link_expiry_days)
            .field("store_images", &self.store_images)
            .finish()
    }
}

impl std::fmt::Debug for ConfigForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigForm")
            .field("server_url", &self.server_url)
            .field("token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ConfigForm {
        ConfigForm {
            server_url: " http://127.0.0.1:8080/ ".into(),
            token: " tok ".into(),
            ..ConfigForm::default()
        }
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let form = ConfigForm {
            token: "repro_secret-token-Zz9".into(),
            ..form()
        };
        let config = Config::from_form(&form, |_| true).expect("valid");
        for shown in [format!("{form:?}"), format!("{config:?}")] {
            assert!(!shown.contains("secret-token-Zz9"), "{shown}");
            assert!(shown.contains("[redacted]"));
        }
    }

    #[test]
    fn the_form_is_normalized_and_checked() {
        let c = Config::from_form(&form(), |_| true).unwrap();
        assert_eq!(
            (c.server_url.as_str(), c.token.as_str()),
            ("http://127.0.0.1:8080", "tok")
        );
        let bad_url = ConfigForm {
            server_url: "127.0.0.1:8080".into(),
            ..form()
        };
        assert!(Config::from_form(&bad_url, |_| true)
            .unwrap_err()
            .contains("http://"));
        let no_token = ConfigForm {
            token: "".into(),
            ..form()
        };
        assert!(Config::from_form(&no_token, |_| true)
            .unwrap_err()
            .contains("token create"));
        let bad_selector = ConfigForm {
            mask_selectors: ".price[".into(),
            ..form()
        };
        assert!(Config::from_form(&bad_selector, |_| false)
            .unwrap_err()
            .contains("Also mask"));
        assert_eq!(c.storage_budget_mb, DEFAULT_BUDGET_MB);
        let bad_budget = ConfigForm {
            storage_budget_mb: "lots".into(),
            ..form()
        };
        assert!(Config::from_form(&bad_budget, |_| true)
            .unwrap_err()
            .contains("at least 0.1 (not `lots`)"));
    }

    #[test]
    fn tester_rules_extend_the_default_policy() {
        let form = ConfigForm {
            mask_selectors: ".price".into(),
            block_selectors: "#chat".into(),
            ..form()
        };
        let policy = Config::from_form(&form, |_| true).unwrap().policy();
        assert_eq!(policy.mask_selector, "[data-repro-mask], .price");
        assert_eq!(policy.block_selector, "[data-repro-block], #chat");
        assert!(policy.mask_all_inputs && !policy.mask_all_text);
        let strict = Config {
            mask_all_text: true,
            ..Config::default()
        };
        assert!(strict.policy().mask_all_text);
    }

    #[test]
    fn never_record_patterns() {
        let form = ConfigForm {
            skip_sites: "https://bank.test/*\n\n *://*.internal.test/* \nhttps://exact.test".into(),
            ..form()
        };
        let c = Config::from_form(&form, |_| true).unwrap();
        assert!(c.skips("https://bank.test/accounts"));
        assert!(c.skips("http://hr.internal.test/people"));
        assert!(c.skips("https://exact.test/anything"));
        assert!(!c.skips("https://shop.test/"));
        assert!(glob_match("a*b*c", "aXXbYYc") && !glob_match("a*b*c", "aXXcYYb"));
    }
}
