//! The viewer's **Comments** panel: the report's comments (who, when, and
//! the moment of the replay each is about, which a click seeks to), ticks
//! on the timeline for those at a moment, and for a signed-in token holder
//! a form to add one, at the moment shown or about the whole report. Every
//! comment is shown as text.

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use super::player::{listen, seek_to, time, Shared};
use super::{by_id, document};
use crate::timeline::clock;

#[derive(Deserialize)]
struct Comment {
    who: String,
    created_at: f64,
    #[serde(default)]
    t_ms: Option<u64>,
    body: String,
}

#[derive(Deserialize)]
struct Holder {
    label: String,
    csrf: String,
}

#[derive(Deserialize)]
struct Listing {
    comments: Vec<Comment>,
    holder: Option<Holder>,
}

/// This report's comments' address.
fn address() -> Result<String, JsValue> {
    super::moment_link::report_address()
        .map(|report| format!("{report}/comments"))
        .ok_or_else(|| JsValue::from_str("no address"))
}

fn say(text: &str) {
    if let Ok(status) = by_id::<HtmlElement>("comment-status") {
        status.set_text_content(Some(text));
    }
}

/// Show `listing`: the list, the ticks, the form or the way to sign in.
fn show(player: &Shared, listing: &Listing) -> Result<(), JsValue> {
    let list: Element = by_id("comments")?;
    list.set_inner_html("");
    let document = document()?;
    let duration = super::player::duration(player).max(1) as f64;
    let pins: Element = by_id("pins")?;
    for tick in pins.query_selector_all(".comment-tick")?.values() {
        if let Some(tick) = tick.ok().and_then(|t| t.dyn_into::<Element>().ok()) {
            tick.remove();
        }
    }
    if listing.comments.is_empty() {
        let item = document.create_element("li")?;
        item.set_text_content(Some("No comments yet."));
        list.append_child(&item)?;
    }
    for comment in &listing.comments {
        let item = document.create_element("li")?;
        let head = document.create_element("span")?;
        head.set_class_name("time");
        let date = js_sys::Date::new(&JsValue::from_f64(comment.created_at));
        let when = date.to_iso_string().as_string().unwrap_or_default();
        let moment = comment
            .t_ms
            .map(|t| format!(" at {}", clock(t)))
            .unwrap_or_default();
        head.set_text_content(Some(&format!(
            "{} · {} UTC{moment}",
            comment.who,
            when.get(..16).unwrap_or_default().replace('T', " ")
        )));
        let text = document.create_element("p")?;
        text.set_text_content(Some(&comment.body));
        item.append_child(&head)?;
        item.append_child(&text)?;
        if let Some(t) = comment.t_ms {
            item.set_class_name("at-moment");
            let player = player.clone();
            listen(&item, "click", move |_| seek_to(&player, t))?;
            let tick = document.create_element("span")?;
            tick.set_class_name("comment-tick");
            tick.set_attribute(
                "style",
                &format!("left:{:.2}%", t as f64 / duration * 100.0),
            )?;
            tick.set_attribute("title", &format!("Comment by {}", comment.who))?;
            pins.append_child(&tick)?;
        }
        list.append_child(&item)?;
    }
    let form: HtmlElement = by_id("comment-form")?;
    let sign_in: HtmlElement = by_id("comment-sign-in")?;
    form.set_hidden(listing.holder.is_none());
    sign_in.set_hidden(listing.holder.is_some());
    if let Some(holder) = &listing.holder {
        form.set_attribute("data-csrf", &holder.csrf)?;
        by_id::<HtmlElement>("comment-as")?
            .set_text_content(Some(&format!("Commenting as {}", holder.label)));
    }
    Ok(())
}

async fn load(player: Shared) -> Result<(), JsValue> {
    let text = super::fetch_text(&address()?).await?;
    let listing: Listing = serde_json::from_str(&text)
        .map_err(|e| JsValue::from_str(&format!("the comments do not parse: {e}")))?;
    show(&player, &listing)
}

/// Post the form's comment; show the comments now.
async fn post(player: Shared) -> Result<(), JsValue> {
    let body: HtmlTextAreaElement = by_id("comment-body")?;
    let at_moment: HtmlInputElement = by_id("comment-at-moment")?;
    let csrf = by_id::<HtmlElement>("comment-form")?
        .get_attribute("data-csrf")
        .unwrap_or_default();
    let mut fields = serde_json::json!({ "csrf": csrf, "body": body.value() });
    if at_moment.checked() {
        fields["t_ms"] = time(&player).into();
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&fields.to_string()));
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "application/json")?;
    init.set_headers(&headers);
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(&address()?, &init))
            .await?
            .dyn_into()?;
    let text = wasm_bindgen_futures::JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    if !response.ok() {
        let error = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or_else(|| format!("the server answered {}", response.status()));
        return Err(JsValue::from_str(&error));
    }
    let listing: Listing = serde_json::from_str(&text)
        .map_err(|e| JsValue::from_str(&format!("the comments do not parse: {e}")))?;
    body.set_value("");
    show(&player, &listing)
}

/// Load the comments and wire the form.
pub(super) fn wire(player: &Shared) -> Result<(), JsValue> {
    wasm_bindgen_futures::spawn_local({
        let player = player.clone();
        async move {
            if let Err(e) = load(player).await {
                say(&format!(
                    "Comments could not be loaded: {}",
                    e.as_string().unwrap_or_default()
                ));
            }
        }
    });
    let form: web_sys::EventTarget = by_id::<HtmlElement>("comment-form")?.into();
    let player = player.clone();
    listen(&form, "submit", move |event| {
        event.prevent_default();
        let player = player.clone();
        wasm_bindgen_futures::spawn_local(async move {
            say("Posting…");
            match post(player).await {
                Ok(()) => say("Comment posted."),
                Err(e) => say(&format!(
                    "Not posted: {}",
                    e.as_string().unwrap_or_default()
                )),
            }
        });
    })
}
