//! The extension's keyboard shortcuts (the manifest's `commands`, which the
//! tester can change at the browser's shortcut settings): start or stop
//! recording the tab in front, and mark an element on it. What the popup
//! would have said when one cannot be done (a site on the never-record
//! list, a full budget) comes as a notification: there is no popup open.

use repro_extension_messages::web::js::{get, message_of, object};
use repro_extension_messages::web::runtime::call;
use wasm_bindgen::prelude::*;

use super::{marking, recording};

/// Start or stop recording the tab in front.
pub const TOGGLE_RECORDING: &str = "toggle-recording";
/// Mark an element on the tab in front.
pub const MARK_ELEMENT: &str = "mark-element";

/// A shortcut was pressed on `tab`.
#[wasm_bindgen]
pub async fn on_command(command: String, tab: JsValue) -> Result<(), JsValue> {
    let tab = match get(&tab, "id").as_f64() {
        Some(id) => id as i64,
        None => return Ok(()),
    };
    let outcome = match command.as_str() {
        TOGGLE_RECORDING if recording::is_recording(tab).await? => recording::stop(tab, None).await,
        TOGGLE_RECORDING => recording::start(tab, false).await,
        MARK_ELEMENT => marking::begin(tab).await,
        _ => return Ok(()),
    };
    if let Err(error) = outcome {
        let options = object(&[
            ("type", "basic".into()),
            ("iconUrl", "icon-128.png".into()),
            ("title", "Repro".into()),
            ("message", message_of(&error).into()),
        ]);
        call("chrome.notifications.create", &[options]).await?;
    }
    Ok(())
}
