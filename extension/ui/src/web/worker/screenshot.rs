//! Screenshots of a mark: the visible tab, with every masked or blocked
//! region blacked out in the pixels themselves, the marked element outlined,
//! and a crop of the element. Drawn on an OffscreenCanvas in the service
//! worker; nothing unmasked is ever stored.

use repro_manifest::{MarkCapture, Rect, Screenshot};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{OffscreenCanvas, OffscreenCanvasRenderingContext2d};

use repro_extension_messages::web::js::{get, object};
use repro_extension_messages::web::runtime::call;
use repro_extension_messages::TabPixels;

/// The colour masked regions are painted with.
pub const MASK_COLOUR: &str = "#000000";

pub(super) fn context(
    canvas: &OffscreenCanvas,
) -> Result<OffscreenCanvasRenderingContext2d, JsValue> {
    let context = canvas.get_context("2d")?.ok_or("no 2d context")?;
    context
        .dyn_into()
        .map_err(|_| JsValue::from_str("not a 2d context"))
}

async fn encode(canvas: &OffscreenCanvas, t: u64) -> Result<Screenshot, JsValue> {
    let options = web_sys::ImageEncodeOptions::new();
    options.set_type("image/png");
    let blob: web_sys::Blob = JsFuture::from(canvas.convert_to_blob_with_options(&options)?)
        .await?
        .dyn_into()?;
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(Screenshot {
        t,
        width: canvas.width(),
        height: canvas.height(),
        mime: "image/png".into(),
        data: base64(&bytes),
    })
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whether `tab` is the tab its window shows, and that window's id.
async fn shown(tab: i64) -> Result<(bool, JsValue), JsValue> {
    let info = call("chrome.tabs.get", &[(tab as f64).into()]).await?;
    Ok((
        get(&info, "active").as_bool() == Some(true),
        get(&info, "windowId"),
    ))
}

/// The visible part of `tab`'s window drawn on a canvas, if `tab` was the
/// tab it showed before and after the picture was taken (the capture is of
/// whatever tab the window shows: a tester may switch tabs meanwhile).
pub(super) async fn visible_tab(tab: i64) -> Result<Option<OffscreenCanvas>, JsValue> {
    let (active, window) = shown(tab).await?;
    if !active {
        return Ok(None);
    }
    let data_url = call(
        "chrome.tabs.captureVisibleTab",
        &[window, object(&[("format", "png".into())])],
    )
    .await?;
    if !shown(tab).await?.0 {
        return Ok(None);
    }
    Ok(Some(
        canvas_of(&data_url.as_string().ok_or("no image")?).await?,
    ))
}

/// The image at `data_url`, decoded and drawn on a canvas of its size.
pub(super) async fn canvas_of(data_url: &str) -> Result<OffscreenCanvas, JsValue> {
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response: web_sys::Response = JsFuture::from(global.fetch_with_str(data_url))
        .await?
        .dyn_into()?;
    let blob: web_sys::Blob = JsFuture::from(response.blob()?).await?.dyn_into()?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(global.create_image_bitmap_with_blob(&blob)?)
        .await?
        .dyn_into()?;
    let canvas = OffscreenCanvas::new(bitmap.width(), bitmap.height())?;
    context(&canvas)?.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)?;
    Ok(canvas)
}

/// The visible part of `tab`, brought to the front for it (again, up to
/// three times, if another tab came to the front while it was taken).
async fn visible_tab_in_front(tab: i64) -> Result<OffscreenCanvas, JsValue> {
    for _ in 0..3 {
        call(
            "chrome.tabs.update",
            &[(tab as f64).into(), object(&[("active", true.into())])],
        )
        .await?;
        if let Some(canvas) = visible_tab(tab).await? {
            return Ok(canvas);
        }
    }
    Err(JsValue::from_str(
        "another tab kept coming to the front while the screenshot was taken",
    ))
}

/// Black out `masks` (viewport boxes, scaled by `scale`) in the pixels themselves.
pub(super) fn black_out(ctx: &OffscreenCanvasRenderingContext2d, masks: &[Rect], scale: f64) {
    ctx.set_fill_style_str(MASK_COLOUR);
    for rect in masks {
        let (x, y, w, h) = (
            rect.x * scale,
            rect.y * scale,
            rect.w * scale,
            rect.h * scale,
        );
        ctx.fill_rect(x.floor(), y.floor(), w.ceil() + 1.0, h.ceil() + 1.0);
    }
}

/// The part of `canvas` at `(x, y, w, h)` (its own pixels), cut to the
/// canvas, on a canvas of its own; `None` when nothing of it is inside.
fn crop(canvas: &OffscreenCanvas, (x, y, w, h): (f64, f64, f64, f64)) -> Option<OffscreenCanvas> {
    let (width, height) = (canvas.width() as f64, canvas.height() as f64);
    let (cx, cy) = (x.max(0.0), y.max(0.0));
    let (cw, ch) = ((x + w).min(width) - cx, (y + h).min(height) - cy);
    if cw < 1.0 || ch < 1.0 {
        return None;
    }
    let crop = OffscreenCanvas::new(cw.round() as u32, ch.round() as u32).ok()?;
    context(&crop)
        .ok()?
        .draw_image_with_offscreen_canvas_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            canvas, cx, cy, cw, ch, 0.0, 0.0, cw, ch,
        )
        .ok()?;
    Some(crop)
}

/// The tab's own pixels at `request`'s boxes, its masks blacked out first,
/// each as a WebP `data:` URL: what a recorder gets for drawings it cannot
/// read back. Nothing unless `tab` is the one its window shows (the
/// capture is of the shown tab).
pub async fn tab_pixels(tab: i64, request: &TabPixels) -> Result<Vec<Option<String>>, JsValue> {
    let Some(canvas) = visible_tab(tab).await? else {
        return Ok(vec![None; request.boxes.len()]);
    };
    let scale = canvas.width() as f64 / request.viewport_width.max(1.0);
    let rect = |[x, y, w, h]: [f64; 4]| Rect { x, y, w, h };
    let masks: Vec<Rect> = request.masks.iter().copied().map(rect).collect();
    black_out(&context(&canvas)?, &masks, scale);
    let mut images = Vec::with_capacity(request.boxes.len());
    for [x, y, w, h] in &request.boxes {
        let image = match crop(&canvas, (x * scale, y * scale, w * scale, h * scale)) {
            Some(part) => {
                let options = web_sys::ImageEncodeOptions::new();
                options.set_type("image/webp");
                options.set_quality(0.8);
                let blob: web_sys::Blob =
                    JsFuture::from(part.convert_to_blob_with_options(&options)?)
                        .await?
                        .dyn_into()?;
                let buffer = JsFuture::from(blob.array_buffer()).await?;
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                Some(format!("data:{};base64,{}", blob.type_(), base64(&bytes)))
            }
            None => None,
        };
        images.push(image);
    }
    Ok(images)
}

/// Capture the visible part of `tab` (brought to the front) and make the
/// mark's two images.
pub async fn capture(
    tab: i64,
    capture: &MarkCapture,
) -> Result<(Screenshot, Option<Screenshot>), JsValue> {
    let canvas = visible_tab_in_front(tab).await?;
    let width = canvas.width();
    let ctx = context(&canvas)?;
    let scale = width as f64 / capture.viewport.w.max(1) as f64;
    black_out(&ctx, &capture.mask_rects, scale);
    let scaled = |r: &Rect| (r.x * scale, r.y * scale, r.w * scale, r.h * scale);
    let (x, y, w, h) = scaled(&capture.rect);
    let crop = match crop(&canvas, (x, y, w, h)) {
        Some(part) => Some(encode(&part, capture.t).await?),
        None => None,
    };
    ctx.set_stroke_style_str("#d93025");
    ctx.set_line_width(3.0 * scale);
    ctx.stroke_rect(x, y, w, h);
    Ok((encode(&canvas, capture.t).await?, crop))
}
