//! Which form values are masked, and how.
//!
//! Every control value is masked by default. Passwords, payment fields and
//! one-time codes are masked whatever the policy or the page says.

use std::borrow::Cow;

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
    /// The control's `name` and `id`, joined.
    pub name: &'a str,
    /// The site or tester marked it as safe to record (`data-repro-unmask`).
    pub unmasked: bool,
}

/// Is this control's value sensitive whatever the policy says?
pub fn always_masked(control: &Control) -> bool {
    repro_manifest::is_secret_control_name(control.name)
        || control.input_type.eq_ignore_ascii_case("password")
        || control.input_type.eq_ignore_ascii_case("hidden")
        || control.autocomplete.split_ascii_whitespace().any(|token| {
            SENSITIVE_AUTOCOMPLETE
                .iter()
                .any(|s| token.eq_ignore_ascii_case(s))
        })
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
        let c = Control {
            input_type: "text",
            ..Control::default()
        };
        assert_eq!(control_value(&policy(), &c, "hello"), "*****");
        assert_eq!(control_value(&policy(), &c, "héllo"), "*****");
    }

    #[test]
    fn unmask_allows_ordinary_fields_only() {
        let c = Control {
            input_type: "search",
            unmasked: true,
            ..Control::default()
        };
        assert_eq!(control_value(&policy(), &c, "shoes"), "shoes");
        let p = Control {
            input_type: "password",
            unmasked: true,
            ..Control::default()
        };
        assert_eq!(control_value(&policy(), &p, "hunter2"), "*******");
        let card = Control {
            input_type: "text",
            autocomplete: "billing cc-number",
            unmasked: true,
            name: "",
        };
        assert_eq!(control_value(&policy(), &card, "4111"), "****");
        let cvc = Control {
            input_type: "text",
            unmasked: true,
            name: "checkout-cvc",
            ..Control::default()
        };
        assert_eq!(control_value(&policy(), &cvc, "123"), "***");
        let city = Control {
            input_type: "text",
            unmasked: true,
            name: "shipping-city",
            ..Control::default()
        };
        assert_eq!(control_value(&policy(), &city, "Paris"), "Paris");
    }

    #[test]
    fn passwords_stay_masked_when_the_policy_masks_nothing() {
        let open = MaskPolicy {
            mask_all_inputs: false,
            ..MaskPolicy::default()
        };
        let p = Control {
            input_type: "PASSWORD",
            ..Control::default()
        };
        assert_eq!(control_value(&open, &p, "secret"), "******");
        let h = Control {
            input_type: "hidden",
            ..Control::default()
        };
        assert_eq!(control_value(&open, &h, "csrf"), "****");
        let t = Control {
            input_type: "text",
            ..Control::default()
        };
        assert_eq!(control_value(&open, &t, "visible"), "visible");
    }
}

/// An attribute's value as recorded: URLs lose their token parameters, and
/// any secret shape in the value is masked.
pub fn attribute_value(name: &str, value: String) -> String {
    if repro_manifest::markup::is_url_attribute(name) {
        free_text(repro_manifest::mask_url(&value))
    } else {
        free_text(value)
    }
}

/// Free text (a text node, a console argument, a title) as recorded: `text`
/// itself when it holds no secret (most texts of a page), so that it is not
/// copied once more.
pub fn free_text(text: String) -> String {
    let masked = match repro_manifest::pii::mask(&text) {
        Cow::Owned(masked) => Some(masked),
        Cow::Borrowed(_) => None,
    };
    masked.unwrap_or(text)
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn attributes_and_text_lose_their_secrets() {
        assert_eq!(
            attribute_value("title", "Mail ada@example.com".into()),
            "Mail ***************"
        );
        assert_eq!(
            attribute_value("href", "/reset?token=abc&x=1".into()),
            "/reset?token=[masked]&x=1"
        );
        assert_eq!(
            free_text("card 4111111111111111".into()),
            "card ****************"
        );
        assert_eq!(free_text("plain words".into()), "plain words");
    }
}
