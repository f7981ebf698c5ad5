//! Commands the background sends to the recorder of a tab's top frame (and
//! of frames of other origins).

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
    /// The recorder of frame `frame` (a frame of another origin inside
    /// this document, at `url`, masked) handed over chunks, relayed in the
    /// bulk field `chunks`: take their events in at its frame element.
    /// Answered with a [`crate::StoreAnswer`].
    FrameChunks { frame: i64, url: String },
}
