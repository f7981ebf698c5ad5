//! The viewer's issue buttons: **Copy issue (Markdown)** (the server's
//! `issue.md`, to the clipboard), and **New GitHub issue** / **New GitLab
//! issue**, which open the forge's new-issue page prefilled, for the
//! repository the server names (`data-issue-repository`) or the one the
//! developer types (remembered in this browser). Nothing is sent anywhere
//! until the developer clicks.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use super::{by_id, document, player::listen};
use crate::issue_links::{new_issue_url, title_of, Forge};

/// Where the typed repository is remembered.
const REMEMBERED: &str = "repro-issue-repository";

fn say(text: &str) {
    if let Ok(status) = by_id::<HtmlElement>("issue-status") {
        status.set_text_content(Some(text));
    }
}

/// The report's own address, `…/r/{id}`.
fn report_address() -> Result<String, JsValue> {
    super::moment_link::report_address().ok_or_else(|| JsValue::from_str("no address"))
}

async fn fetch_issue() -> Result<String, JsValue> {
    super::fetch_text(&format!("{}/issue.md", report_address()?)).await
}

/// Put `text` on the clipboard: the Clipboard API, else a selected text
/// area copied (pages served over plain HTTP have no Clipboard API).
async fn copy(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let clipboard = window.navigator().clipboard();
    if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
    {
        return Ok(());
    }
    let document = document()?;
    let area: web_sys::HtmlTextAreaElement = document.create_element("textarea")?.dyn_into()?;
    area.set_value(text);
    document.body().ok_or("no body")?.append_child(&area)?;
    area.select();
    let copied = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .map(|d| d.exec_command("copy").unwrap_or(false))
        .unwrap_or(false);
    area.remove();
    if copied {
        Ok(())
    } else {
        Err(JsValue::from_str("the browser refused the clipboard"))
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Wire the buttons.
pub(super) fn wire() -> Result<(), JsValue> {
    let input: HtmlInputElement = by_id("issue-repository")?;
    if input.value().is_empty() {
        if let Some(remembered) = storage().and_then(|s| s.get_item(REMEMBERED).ok().flatten()) {
            input.set_value(&remembered);
        }
    }
    listen(
        &by_id::<web_sys::EventTarget>("copy-issue")?,
        "click",
        |_| {
            wasm_bindgen_futures::spawn_local(async {
                say("Copying…");
                let outcome = match fetch_issue().await {
                    Ok(markdown) => copy(&markdown).await,
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(()) => say("Issue copied as Markdown."),
                    Err(e) => say(&format!(
                        "Could not copy the issue: {}",
                        e.as_string()
                            .unwrap_or_else(|| "the browser refused".into())
                    )),
                }
            });
        },
    )?;
    for (button, forge) in [
        ("new-github-issue", Forge::GitHub),
        ("new-gitlab-issue", Forge::GitLab),
    ] {
        let input = input.clone();
        listen(
            &by_id::<web_sys::EventTarget>(button)?,
            "click",
            move |_| {
                let repository = input.value();
                if let Some(storage) = storage() {
                    let _ = storage.set_item(REMEMBERED, repository.trim());
                }
                // The window is opened now, while the click is a user's
                // gesture; its address follows once the issue is fetched.
                let Some(opened) = web_sys::window().and_then(|w| {
                    w.open_with_url_and_target("about:blank", "_blank")
                        .ok()
                        .flatten()
                }) else {
                    say("The browser blocked the new window: allow pop-ups for this page.");
                    return;
                };
                let _ = opened
                    .opener()
                    .map(|_| js_sys::Reflect::set(&opened, &"opener".into(), &JsValue::NULL));
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = async {
                        let markdown = fetch_issue()
                            .await
                            .map_err(|e| e.as_string().unwrap_or_default())?;
                        let whole =
                            format!("{}/issue.md", report_address().map_err(|_| String::new())?);
                        new_issue_url(forge, &repository, &title_of(&markdown), &markdown, &whole)
                    }
                    .await;
                    match outcome {
                        Ok(url) => {
                            let _ = opened.location().set_href(&url);
                            say("Opened a new issue, prefilled.");
                        }
                        Err(message) => {
                            let _ = opened.close();
                            say(&message);
                        }
                    }
                });
            },
        )?;
    }
    Ok(())
}
