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
