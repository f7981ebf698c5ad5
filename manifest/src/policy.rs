//! The masking policy: what the recorder hides before anything leaves the page.
//!
//! The policy is data so that the bundle can say what was applied and the
//! viewer can show "masked by Repro" instead of a blank.

use serde::{Deserialize, Serialize};

/// The character a masked value is replaced with, one per original character
/// so that layouts hold.
pub const MASK_CHAR: char = '*';

/// What the recorder masks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaskPolicy {
    /// A name for this policy, e.g. `default`.
    pub name: String,
    /// Mask the value of every form control (passwords are masked whatever this says).
    pub mask_all_inputs: bool,
    /// Mask every text node too (for strict sites).
    pub mask_all_text: bool,
    /// Elements matching this selector have their text masked.
    pub mask_selector: String,
    /// Elements matching this selector are replaced by a same-size placeholder.
    pub block_selector: String,
    /// Form controls matching this selector are recorded unmasked (never passwords).
    pub unmask_selector: String,
}

impl Default for MaskPolicy {
    fn default() -> Self {
        MaskPolicy {
            name: "default".into(),
            mask_all_inputs: true,
            mask_all_text: false,
            mask_selector: "[data-repro-mask]".into(),
            block_selector: "[data-repro-block]".into(),
            unmask_selector: "[data-repro-unmask]".into(),
        }
    }
}

impl MaskPolicy {
    /// Mask `value` as a form control's value: same length, every character replaced.
    pub fn mask(value: &str) -> String {
        value.chars().map(|_| MASK_CHAR).collect()
    }
}

/// What a masked header value or body field is replaced with.
pub const MASKED: &str = "[masked by Repro]";

/// What a masked query-parameter value is replaced with in a URL (no
/// spaces, so the URL stays one token).
pub const MASKED_IN_URL: &str = "[masked]";

/// The attribute that carries a linked stylesheet's text in a recording,
/// which the viewer turns into a `<style>` (so the replay does not depend
/// on the live site), and which is never shown as markup.
pub const INLINED_CSS_ATTRIBUTE: &str = "data-repro-inlined-css";

/// The attribute a recording puts on a `<dialog>` opened with
/// `showModal()` (in the top layer, with its backdrop, the rest inert), so
/// that the viewer opens it the same way; never shown as markup.
pub const MODAL_DIALOG_ATTRIBUTE: &str = "data-repro-modal";

/// The attribute a recording puts on the element the pointer is over (and
/// takes off when it leaves): the replay shows it as `:hover`, on the
/// element and its ancestors; never shown as markup.
pub const HOVER_ATTRIBUTE: &str = "data-repro-hover";

/// The attribute a recording puts on the element the pointer is pressing
/// (from the pointer's press to its release): the replay shows it as
/// `:active`, on the element and its ancestors, as the browser does;
/// never shown as markup.
pub const ACTIVE_ATTRIBUTE: &str = "data-repro-active";

/// The attribute a recording puts on the element shown full screen
/// (`requestFullscreen()`, `:fullscreen`): the replay lays it over the
/// whole viewport, above the rest, as the browser did; never shown as
/// markup.
pub const FULLSCREEN_ATTRIBUTE: &str = "data-repro-fullscreen";

/// The attribute a recording puts on the element that has focus (valued
/// `visible` when the browser showed it as `:focus-visible`, as after the
/// keyboard or in a text field, not after a click on a button): the
/// replay shows it as `:focus` (and `:focus-visible`), and its ancestors
/// as `:focus-within`; never shown as markup.
pub const FOCUS_ATTRIBUTE: &str = "data-repro-focus";

/// The attribute a recording puts on a popover that is showing
/// (`:popover-open`, in the top layer), which no attribute of the page's
/// says; never shown as markup.
pub const OPEN_POPOVER_ATTRIBUTE: &str = "data-repro-popover-open";

/// Headers whose values are always secret.
const SECRET_HEADERS: [&str; 12] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-auth-token",
    "x-csrf-token",
    "x-xsrf-token",
    "x-forwarded-for",
    "x-real-ip",
    "x-amz-security-token",
    "x-goog-api-key",
];

/// Is a header secret, by its name?
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_HEADERS.contains(&name.as_str()) || is_secret_field(&name)
}

/// Parts of a body field's name (JSON key, form field, XML element or
/// attribute), letters and digits only, lower-case, that make it secret.
const SECRET_FIELD_PARTS: [&str; 14] = [
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "cardnumber",
    "cvc",
    "cvv",
    "ssn",
    "privatekey",
    "sessionid",
    "authorization",
    "signature",
];

/// Body field names that are secret when they are the whole name.
const SECRET_FIELD_NAMES: [&str; 8] = [
    "auth", "pin", "otp", "pwd", "card", "session", "key", "iban",
];

/// Is a body field (JSON key, form field, XML name) named like a secret?
pub fn is_secret_field(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    crate::substring::contains_any(&normalized, &SECRET_FIELD_PARTS)
        || SECRET_FIELD_NAMES.contains(&normalized.as_str())
}

/// Parts of a form control's name or id (compared lower-case) that make
/// its value secret whatever the policy says.
const SECRET_CONTROL_NAME_PARTS: [&str; 11] = [
    "password", "passwd", "secret", "token", "card", "cvc", "cvv", "iban", "ssn", "onetime",
    "one-time",
];

/// Is a form control named (its `name` and `id`) like a secret?
pub fn is_secret_control_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::substring::contains_any(&lower, &SECRET_CONTROL_NAME_PARTS)
}

/// Query parameter names whose values are secrets (compared lower-case, as substrings).
const SECRET_PARAM_PARTS: [&str; 9] = [
    "token",
    "secret",
    "password",
    "passwd",
    "auth",
    "key",
    "session",
    "signature",
    "code",
];

/// `url` with the values of token-like query parameters replaced by [`MASKED_IN_URL`].
pub fn mask_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let Some((base, query)) = before_fragment.split_once('?') else {
        return url.to_string();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() && is_secret_name(name) => {
                format!("{name}={MASKED_IN_URL}")
            }
            _ => pair.to_string(),
        })
        .collect();
    let mut out = format!("{base}?{}", masked.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Is a parameter or field named like a secret?
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    crate::substring::contains_any(&lower, &SECRET_PARAM_PARTS)
}

#[cfg(test)]
mod url_tests {
    use super::mask_url;

    #[test]
    fn token_parameters_are_masked_and_others_kept() {
        assert_eq!(
            mask_url("https://x.test/cb?code=123&state=ok#top"),
            "https://x.test/cb?code=[masked]&state=ok#top"
        );
        assert_eq!(
            mask_url("/a?API_KEY=k&q=shoes"),
            "/a?API_KEY=[masked]&q=shoes"
        );
        assert_eq!(mask_url("/plain/path"), "/plain/path");
    }
}
