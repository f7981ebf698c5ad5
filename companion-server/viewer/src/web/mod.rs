//! The viewer in the browser (wasm32 only): fetch the bundle, lay out the
//! panels, and drive the replay from the controls.

mod comments;
mod controls;
mod issue_actions;
mod layout;
mod marks;
mod moment_link;
mod panels;
mod player;
mod replay;
mod timeline_ticks;

use repro_manifest::Bundle;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

fn by_id<T: JsCast>(id: &str) -> Result<T, JsValue> {
    document()?
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("#{id} is missing")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("#{id} has the wrong type")))
}

/// Load the bundle named by `<body data-bundle>` and show it.
#[wasm_bindgen]
pub async fn viewer_main() -> Result<(), JsValue> {
    let outcome = load_and_show().await;
    if let Err(error) = &outcome {
        let text = error.as_string().unwrap_or_else(|| format!("{error:?}"));
        if let Ok(banner) = by_id::<web_sys::HtmlElement>("viewer-error") {
            banner.set_text_content(Some(&format!("This report could not be shown: {text}")));
            banner.set_hidden(false);
        }
    }
    outcome
}

/// The text at `url` (of this server), or why not.
pub(super) async fn fetch_text(url: &str) -> Result<String, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
            .await?
            .dyn_into()?;
    if !response.ok() {
        return Err(JsValue::from_str(&format!(
            "the server answered {}",
            response.status()
        )));
    }
    Ok(wasm_bindgen_futures::JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default())
}

async fn load_and_show() -> Result<(), JsValue> {
    let body = document()?.body().ok_or("no body")?;
    let url = body
        .get_attribute("data-bundle")
        .ok_or("no bundle address")?;
    let text = fetch_text(&url).await?;
    let bundle: Bundle = serde_json::from_str(&text)
        .map_err(|e| JsValue::from_str(&format!("the bundle does not parse: {e}")))?;
    panels::environment(&bundle)?;
    let player = player::start(bundle)?;
    controls::wire(&player)?;
    layout::wire(&player)?;
    issue_actions::wire()?;
    comments::wire(&player)?;
    marks::wire(&player, &player::bundle(&player))
}
