//! Commands the background sends to the recorder of a tab's top frame.

use serde::{Deserialize, Serialize};

/// A command to a page's recorder.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum ToRecorder {
    /// Stop recording; answered with the last chunks in the bulk field
    /// `chunks`.
    Stop,
    /// Let the tester pick an element; the mark form is at `form_url`.
    /// Answered with a [`crate::PickAnswer`].
    Pick { form_url: String },
    /// The form was saved: describe the picked element. Answered with a
    /// [`crate::CommitAnswer`].
    MarkCommit,
    /// Leave mark mode.
    MarkCancel,
}
