//! The player's controls beyond Play and the timeline: the speed (1× to
//! 8×), **Skip inactivity**, the keyboard (space plays or pauses, the
//! arrows seek 5 s, `[` and `]` go to the previous and next moment worth
//! seeing, `F` full screen), and **Copy link to this moment** (the address names the
//! moment shown once paused: `moment_link`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};

use super::by_id;
use super::layout::toggle_full_screen;
use super::moment_link::moment_address;
use super::player::{listen, seek_to, time, toggle, Shared};

/// How far the arrow keys seek, in ms.
const ARROW_SEEK_MS: u64 = 5_000;

/// Wire the speed, skip, keyboard and link controls.
pub(super) fn wire(player: &Shared) -> Result<(), JsValue> {
    let speed: HtmlSelectElement = by_id("speed")?;
    {
        let (player, select) = (player.clone(), speed.clone());
        listen(&speed, "change", move |_| {
            let value = select.value().trim_end_matches('×').parse().unwrap_or(1);
            player.borrow_mut().speed = value;
        })?;
    }
    let skip: HtmlInputElement = by_id("skip-inactivity")?;
    {
        let (player, checkbox) = (player.clone(), skip.clone());
        listen(&skip, "change", move |_| {
            player.borrow_mut().skip_inactivity = checkbox.checked();
        })?;
    }
    {
        let player = player.clone();
        listen(
            &by_id::<web_sys::EventTarget>("copy-moment")?,
            "click",
            move |_| {
                let Some(address) = moment_address(time(&player)) else {
                    return;
                };
                let status: Option<HtmlElement> = by_id("moment-status").ok();
                wasm_bindgen_futures::spawn_local(async move {
                    let copied = match web_sys::window() {
                        Some(window) => wasm_bindgen_futures::JsFuture::from(
                            window.navigator().clipboard().write_text(&address),
                        )
                        .await
                        .is_ok(),
                        None => false,
                    };
                    if let Some(status) = status {
                        status.set_text_content(Some(if copied {
                            "Link copied."
                        } else {
                            "The browser refused the clipboard: the address bar holds the link."
                        }));
                    }
                });
            },
        )?;
    }
    let document: web_sys::EventTarget = super::document()?.into();
    let player = player.clone();
    listen(&document, "keydown", move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if key.ctrl_key() || key.meta_key() || key.alt_key() || typing_in_a_field(key) {
            return;
        }
        let now = time(&player);
        let target = match key.key().as_str() {
            " " => {
                event.prevent_default();
                toggle(&player);
                return;
            }
            "f" | "F" => {
                event.prevent_default();
                toggle_full_screen();
                return;
            }
            "ArrowLeft" => Some(now.saturating_sub(ARROW_SEEK_MS)),
            "ArrowRight" => Some(now + ARROW_SEEK_MS),
            "[" => player.borrow().playback.previous(now),
            "]" => player.borrow().playback.next(now),
            _ => return,
        };
        event.prevent_default();
        if let Some(t) = target {
            seek_to(&player, t);
        }
    })
}

/// Is the key for a field that takes typing itself (a search box, the
/// repository, a select)? Buttons, checkboxes and the timeline are not:
/// the player's keys act there (and the button is not pressed twice).
fn typing_in_a_field(key: &KeyboardEvent) -> bool {
    let Some(element) = key
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    let kind = element.get_attribute("type").unwrap_or_default();
    let takes_text = match tag.as_str() {
        "input" => !matches!(kind.as_str(), "range" | "checkbox" | "button"),
        "textarea" | "select" => true,
        _ => false,
    };
    takes_text || element.has_attribute("contenteditable")
}
