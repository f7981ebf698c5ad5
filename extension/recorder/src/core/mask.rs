//! Which form values are masked, and how.
//!
//! Every control value is masked by default. Passwords, payment fields and
//! one-time codes are masked whatever the policy or the page says.

use repro_manifest::MaskPolicy;

/// `autocomplete` tokens that mark a value as always sensitive.
const SENSITIVE_AUTOCOMPLETE: [&str; 9] = [
    "current-password",
    "new-password",
    "one-time-code",
    "cc-number",
    "cc-csc",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-name",
];

/// What the recorder knows about a form control when it reads its value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Control<'a> {
    /// The `type` attribute, lower-case (`text` for textarea and select).
    pub input_type: &'a str,
    /// The `autocomplete` attribute.
    pub autocomplete: &'a str,
    /// The site or tester marked it as safe to record (`data-repro-unmask`).
    pub unmasked: bool,
}

/// Is this control's value sensitive whatever the policy says?
pub fn always_masked(control: &Control) -> bool {
    control.input_type.eq_ignore_ascii_case("password")
        || control.input_type.eq_ignore_ascii_case("hidden")
        || control
            .autocomplete
            .split_ascii_whitespace()
            .any(|token| SENSITIVE_AUTOCOMPLETE.iter().any(|s| token.eq_ignore_ascii_case(s)))
}

/// The value to record for `control` holding `value` under `policy`.
pub fn control_value(policy: &MaskPolicy, control: &Control, value: &str) -> String {
    let mask = always_masked(control) || (policy.mask_all_inputs && !control.unmasked);
    if mask {
        MaskPolicy::mask(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> MaskPolicy {
        MaskPolicy::default()
    }

    #[test]
    fn every_input_is_masked_by_default_keeping_its_length() {
        let c = Control { input_type: "text", ..Control::default() };
        assert_eq!(control_value(&policy(), &c, "hello"), "*****");
        assert_eq!(control_value(&policy(), &c, "héllo"), "*****");
    }

    #[test]
    fn unmask_allows_ordinary_fields_only() {
        let c = Control { input_type: "search", unmasked: true, ..Control::default() };
        assert_eq!(control_value(&policy(), &c, "shoes"), "shoes");
        let p = Control { input_type: "password", unmasked: true, ..Control::default() };
        assert_eq!(control_value(&policy(), &p, "hunter2"), "*******");
        let card = Control { input_type: "text", autocomplete: "billing cc-number", unmasked: true };
        assert_eq!(control_value(&policy(), &card, "4111"), "****");
    }

    #[test]
    fn passwords_stay_masked_when_the_policy_masks_nothing() {
        let open = MaskPolicy { mask_all_inputs: false, ..MaskPolicy::default() };
        let p = Control { input_type: "PASSWORD", ..Control::default() };
        assert_eq!(control_value(&open, &p, "secret"), "******");
        let h = Control { input_type: "hidden", ..Control::default() };
        assert_eq!(control_value(&open, &h, "csrf"), "****");
        let t = Control { input_type: "text", ..Control::default() };
        assert_eq!(control_value(&open, &t, "visible"), "visible");
    }
}

/// Query parameter names whose values are secrets (compared lower-case, as substrings).
const SECRET_PARAM_PARTS: [&str; 9] =
    ["token", "secret", "password", "passwd", "auth", "key", "session", "signature", "code"];

/// `url` with the values of token-like query parameters replaced by `[masked]`.
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
                format!("{name}=[masked]")
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
    SECRET_PARAM_PARTS.iter().any(|part| lower.contains(part))
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
        assert_eq!(mask_url("/a?API_KEY=k&q=shoes"), "/a?API_KEY=[masked]&q=shoes");
        assert_eq!(mask_url("/plain/path"), "/plain/path");
    }
}
