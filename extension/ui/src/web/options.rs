//! The options page: the companion server's URL and the upload token.

use wasm_bindgen::prelude::*;

use super::api::{load, message_of, save};
use super::html::{by_id, on, set_text};
use crate::session::{Config, CONFIG_KEY};

/// Wire the options page.
#[wasm_bindgen]
pub async fn options_main() -> Result<(), JsValue> {
    let server: web_sys::HtmlInputElement = by_id("server")?;
    let token: web_sys::HtmlInputElement = by_id("token")?;
    if let Some(config) = load::<Config>(CONFIG_KEY).await? {
        server.set_value(&config.server_url);
        token.set_value(&config.token);
    }
    on("form", "submit", |event: web_sys::Event| async move {
        event.prevent_default();
        let read = |id: &str| {
            by_id::<web_sys::HtmlInputElement>(id)
                .map(|i| i.value())
                .unwrap_or_default()
        };
        let outcome = match Config::from_form(&read("server"), &read("token")) {
            Ok(config) => save(CONFIG_KEY, &config)
                .await
                .map(|_| "Saved.".to_string())
                .unwrap_or_else(|e| format!("Could not save: {}", message_of(&e))),
            Err(problem) => problem,
        };
        set_text("result", &outcome).ok();
    })?;
    Ok(())
}
