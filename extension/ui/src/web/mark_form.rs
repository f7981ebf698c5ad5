//! The mark form, shown in an extension-origin frame beside the chosen
//! element: the page's own scripts cannot read what the tester types here.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};

use super::api::{call, get, message_of, object};
use super::html::{by_id, on, set_text};

/// Wire the mark form.
#[wasm_bindgen]
pub async fn mark_form_main() -> Result<(), JsValue> {
    if let Ok(comment) = by_id::<HtmlTextAreaElement>("comment") {
        let _ = comment.focus();
    }
    on("form", "submit", |event: web_sys::Event| async move {
        event.prevent_default();
        let value = |id: &str| {
            by_id::<HtmlSelectElement>(id)
                .map(|s| s.value())
                .unwrap_or_default()
        };
        let comment = by_id::<HtmlTextAreaElement>("comment")
            .map(|c| c.value())
            .unwrap_or_default();
        let message = object(&[
            ("kind", "mark-save".into()),
            ("comment", comment.into()),
            ("markKind", value("kind").into()),
            ("severity", value("severity").into()),
        ]);
        set_text("result", "Saving…").ok();
        let words = match call("chrome.runtime.sendMessage", &[message]).await {
            Ok(answer) => get(&answer, "error")
                .as_string()
                .map(|e| format!("Could not save: {e}")),
            Err(error) => Some(format!("Could not save: {}", message_of(&error))),
        };
        set_text("result", &words.unwrap_or_else(|| "Saved.".into())).ok();
    })?;
    on("cancel", "click", |_| async move {
        let _ = call(
            "chrome.runtime.sendMessage",
            &[object(&[("kind", "mark-cancel".into())])],
        )
        .await;
    })?;
    Ok(())
}
