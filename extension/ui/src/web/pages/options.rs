//! The options page: the companion server, review-or-auto upload, and the
//! tester's privacy rules.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::page_elements::{by_id, document, on_submit, set_text};
use crate::config::{Config, ConfigForm, CONFIG_KEY};
use crate::web::storage::{load, save};
use repro_extension_messages::web::js::message_of;

fn input(id: &str) -> Result<HtmlInputElement, JsValue> {
    by_id(id)
}

/// Wire the options page.
#[wasm_bindgen]
pub async fn options_main() -> Result<(), JsValue> {
    if let Some(config) = load::<Config>(CONFIG_KEY).await? {
        input("server")?.set_value(&config.server_url);
        input("token")?.set_value(&config.token);
        input("auto-upload")?.set_checked(config.auto_upload);
        input("mask-all")?.set_checked(config.mask_all_text);
        input("pre-roll")?.set_checked(config.pre_roll);
        input("keep-copies")?.set_checked(config.keep_local_copies);
        input("store-images")?.set_checked(config.store_images);
        input("budget")?.set_value(&config.storage_budget_mb.to_string());
        by_id::<HtmlSelectElement>("link-expiry")?.set_value(&config.link_expiry_days.to_string());
        input("mask-selectors")?.set_value(&config.mask_selectors);
        input("block-selectors")?.set_value(&config.block_selectors);
        by_id::<HtmlTextAreaElement>("skip-sites")?.set_value(&config.skip_sites.join("\n"));
    }
    on_submit("form", || async move {
        let outcome = match read_form() {
            Ok(form) => match Config::from_form(&form, is_selector) {
                Ok(config) => save(CONFIG_KEY, &config)
                    .await
                    .map(|_| "Saved.".to_string())
                    .unwrap_or_else(|e| format!("Could not save: {}", message_of(&e))),
                Err(problem) => problem,
            },
            Err(error) => message_of(&error),
        };
        set_text("result", &outcome).ok();
    })?;
    // Only now may the tester type: the saved values are in, Save is wired.
    by_id::<web_sys::HtmlFieldSetElement>("settings")?.set_disabled(false);
    Ok(())
}

fn read_form() -> Result<ConfigForm, JsValue> {
    Ok(ConfigForm {
        server_url: input("server")?.value(),
        token: input("token")?.value(),
        auto_upload: input("auto-upload")?.checked(),
        mask_all_text: input("mask-all")?.checked(),
        pre_roll: input("pre-roll")?.checked(),
        keep_local_copies: input("keep-copies")?.checked(),
        store_images: input("store-images")?.checked(),
        storage_budget_mb: input("budget")?.value(),
        link_expiry_days: by_id::<HtmlSelectElement>("link-expiry")?
            .value()
            .parse()
            .unwrap_or(0),
        mask_selectors: input("mask-selectors")?.value(),
        block_selectors: input("block-selectors")?.value(),
        skip_sites: by_id::<HtmlTextAreaElement>("skip-sites")?.value(),
    })
}

/// Does the browser parse `selectors`?
fn is_selector(selectors: &str) -> bool {
    document().is_ok_and(|d| d.query_selector(selectors).is_ok())
}
