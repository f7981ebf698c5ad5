//! Running the extension's scripts in a tab's frames: the page hook in the
//! page's own world, the recorder (or its wasm2js build) in ours, in the
//! top frame or in chosen frames.

use wasm_bindgen::prelude::*;

use repro_extension_messages::web::js::object;
use repro_extension_messages::web::runtime::call;

/// The recorder's wasm glue, then its loader: each injection evaluates the
/// glue afresh, so a new recording gets a new instance (and a stopped one's
/// memory can be collected).
pub const RECORDER_FILES: [&str; 2] = ["pkg/repro_recorder.js", "content.js"];

/// The page hook (console, network, value setters; the page's own world).
pub const PAGE_HOOK_FILE: &str = "page-hook.js";

/// The wasm2js build of the recorder, which the loader asks for where the
/// page's CSP forbids compiling WebAssembly.
pub const RECORDER_JS_FILE: &str = "pkg-js/repro_recorder.js";

/// Run extension files in the tab, in order: the page hook in the page's
/// world, the recorder in ours.
pub async fn inject(tab: i64, files: &[&str], main_world: bool) -> Result<(), JsValue> {
    let files: js_sys::Array = files.iter().map(|f| JsValue::from_str(f)).collect();
    let mut options = vec![
        ("target", object(&[("tabId", (tab as f64).into())])),
        ("files", files.into()),
    ];
    if main_world {
        options.push(("world", "MAIN".into()));
        options.push(("injectImmediately", true.into()));
    }
    call("chrome.scripting.executeScript", &[object(&options)]).await?;
    Ok(())
}

/// Run `files` in frames `frames` of `tab`: in our world, or (`main_world`,
/// the page hook) in the frames' own, at once.
pub async fn inject_into_frames(
    tab: i64,
    frames: &[i64],
    files: &[&str],
    main_world: bool,
) -> Result<(), JsValue> {
    let files: js_sys::Array = files.iter().map(|f| JsValue::from_str(f)).collect();
    let frame_ids: js_sys::Array = frames.iter().map(|f| JsValue::from(*f as f64)).collect();
    let target = object(&[
        ("tabId", (tab as f64).into()),
        ("frameIds", frame_ids.into()),
    ]);
    let mut options = vec![("target", target), ("files", files.into())];
    if main_world {
        options.push(("world", "MAIN".into()));
        options.push(("injectImmediately", true.into()));
    }
    call("chrome.scripting.executeScript", &[object(&options)]).await?;
    Ok(())
}
