//! A report's thumbnail, for the team's list of reports: the tab at Stop
//! (its masked boxes blacked out before it is made small), or, when the tab
//! is not in view then (closed, or another tab in front), the first mark's
//! screenshot, which was masked when it was taken. 320 pixels wide, WebP.

use repro_manifest::{Rect, Screenshot};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::OffscreenCanvas;

use super::screenshot::{base64, black_out, canvas_of, context, visible_tab};
use repro_extension_messages::TabPixels;

/// How wide a report's thumbnail is, in pixels.
const THUMBNAIL_WIDTH: u32 = 320;

/// The thumbnail of the tab at Stop, with `pixels.masks` blacked out
/// first; nothing when `tab` is not the tab its window shows.
pub async fn of_tab(tab: i64, pixels: &TabPixels) -> Result<Option<Screenshot>, JsValue> {
    let Some(canvas) = visible_tab(tab).await? else {
        return Ok(None);
    };
    let scale = canvas.width() as f64 / pixels.viewport_width.max(1.0);
    let rect = |[x, y, w, h]: [f64; 4]| Rect { x, y, w, h };
    let masks: Vec<Rect> = pixels.masks.iter().copied().map(rect).collect();
    black_out(&context(&canvas)?, &masks, scale);
    made_small(&canvas).await
}

/// The thumbnail made from a mark's screenshot (masked already).
pub async fn of_mark(shot: &Screenshot) -> Result<Option<Screenshot>, JsValue> {
    let canvas = canvas_of(&format!("data:{};base64,{}", shot.mime, shot.data)).await?;
    made_small(&canvas).await
}

/// `canvas` made 320 pixels wide and encoded as WebP, at the best quality
/// that fits the format's limit; nothing when none does.
async fn made_small(canvas: &OffscreenCanvas) -> Result<Option<Screenshot>, JsValue> {
    let (width, height) = (canvas.width().max(1), canvas.height().max(1));
    let small_height = (THUMBNAIL_WIDTH as f64 * height as f64 / width as f64)
        .round()
        .clamp(1.0, repro_manifest::THUMBNAIL_MAX_SIDE as f64) as u32;
    let small = OffscreenCanvas::new(THUMBNAIL_WIDTH, small_height)?;
    context(&small)?.draw_image_with_offscreen_canvas_and_dw_and_dh(
        canvas,
        0.0,
        0.0,
        THUMBNAIL_WIDTH as f64,
        small_height as f64,
    )?;
    for quality in [0.75, 0.5, 0.3] {
        let options = web_sys::ImageEncodeOptions::new();
        options.set_type("image/webp");
        options.set_quality(quality);
        let blob: web_sys::Blob = JsFuture::from(small.convert_to_blob_with_options(&options)?)
            .await?
            .dyn_into()?;
        let buffer = JsFuture::from(blob.array_buffer()).await?;
        let data = base64(&js_sys::Uint8Array::new(&buffer).to_vec());
        if data.len() <= repro_manifest::THUMBNAIL_MAX_BASE64 {
            return Ok(Some(Screenshot {
                t: 0,
                width: THUMBNAIL_WIDTH,
                height: small_height,
                mime: blob.type_(),
                data,
            }));
        }
    }
    Ok(None)
}
