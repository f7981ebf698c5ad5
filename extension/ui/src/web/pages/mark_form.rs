//! The mark form, shown in an extension-origin frame beside the chosen
//! element: the page's own scripts cannot read what the tester types here.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};

use super::page_elements::{by_id, on, on_submit, set_text};
use repro_extension_messages::web::js::{get, message_of};
use repro_extension_messages::web::runtime::ask_background;
use repro_extension_messages::{MarkSave, ToBackground};

/// Wire the mark form.
#[wasm_bindgen]
pub async fn mark_form_main() -> Result<(), JsValue> {
    if let Ok(comment) = by_id::<HtmlTextAreaElement>("comment") {
        let _ = comment.focus();
    }
    on_submit("form", || async move {
        let value = |id: &str| {
            by_id::<HtmlSelectElement>(id)
                .map(|s| s.value())
                .unwrap_or_default()
        };
        let comment = by_id::<HtmlTextAreaElement>("comment")
            .map(|c| c.value())
            .unwrap_or_default();
        let request = ToBackground::MarkSave(MarkSave {
            comment,
            mark_kind: value("kind"),
            severity: value("severity"),
        });
        set_text("result", "Saving…").ok();
        let words = match ask_background(&request).await {
            Ok(answer) => get(&answer, "error")
                .as_string()
                .map(|e| format!("Could not save: {e}")),
            Err(error) => Some(format!("Could not save: {}", message_of(&error))),
        };
        set_text("result", &words.unwrap_or_else(|| "Saved.".into())).ok();
    })?;
    on("cancel", "click", |_| async move {
        let _ = ask_background(&ToBackground::MarkCancel).await;
    })?;
    Ok(())
}
