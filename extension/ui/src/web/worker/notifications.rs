//! The tester's notification when a report reached the server, and what a
//! click on it does (open the share link).

use repro_extension_messages::web::js::object;
use repro_extension_messages::web::runtime::call;
use wasm_bindgen::prelude::*;

use crate::session::{report_key, Report, UploadState, REPORT_PREFIX};
use crate::web::reports::load_report;

/// Tell the tester a report reached the server, unless the popup is open
/// (it shows the link itself). Clicking the notification opens the link.
pub async fn notify_uploaded(report: &Report) -> Result<(), JsValue> {
    let popup: js_sys::Array = std::iter::once(JsValue::from_str("POPUP")).collect();
    let open = call(
        "chrome.runtime.getContexts",
        &[object(&[("contextTypes", popup.into())])],
    )
    .await
    .map(|contexts| js_sys::Array::from(&contexts).length() > 0)
    .unwrap_or(false);
    if open {
        return Ok(());
    }
    let what = if report.title.is_empty() {
        report.page.clone()
    } else {
        report.title.clone()
    };
    let options = object(&[
        ("type", "basic".into()),
        ("iconUrl", "icon-128.png".into()),
        ("title", "Repro: report uploaded".into()),
        (
            "message",
            format!("{what}\nClick to open the share link.").into(),
        ),
    ]);
    call(
        "chrome.notifications.create",
        &[report_key(&report.session).into(), options],
    )
    .await?;
    Ok(())
}

/// A notification was clicked: open its report's link.
#[wasm_bindgen]
pub async fn on_notification_clicked(id: String) -> Result<(), JsValue> {
    let Some(session) = id.strip_prefix(REPORT_PREFIX) else {
        return Ok(());
    };
    if let Some(Report {
        state: UploadState::Done { link },
        ..
    }) = load_report(session).await?
    {
        call("chrome.tabs.create", &[object(&[("url", link.into())])]).await?;
    }
    let _ = call("chrome.notifications.clear", &[id.into()]).await;
    Ok(())
}
