//! Canvas and video pixels while a document is recorded. The DOM does not
//! hold what a `<canvas>` drew or a `<video>` shows, so every recorded
//! canvas and video outside a masked or blocked region (the walk notes
//! them) is looked at twice a second while it is in view, and its pixels
//! are recorded as a WebP image whenever they changed
//! ([`DomEvent::Pixels`], paced by `core::pixel_pacing`).
//!
//! The browser encodes off the main thread (`toBlob`). What the page itself
//! could not read back comes from the tab's own pixels instead, cropped by
//! the background at the element's box with masked content blacked out
//! first: a WebGL drawing (its buffer is cleared once shown), a canvas
//! tainted by another origin's picture, a video from another origin. Only
//! the top document asks (its boxes are the tab's), at most once a second.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlCanvasElement, HtmlVideoElement, Node};

use repro_extension_messages::web::runtime::ask_background;
use repro_extension_messages::web::wire::answer_from_js;
use repro_extension_messages::{TabPixels, TabPixelsAnswer, ToBackground};
use repro_manifest::DomEvent;

use super::dom_reads;
use super::mask_boxes::mask_rects;
use super::recorder::{Recorder, RecorderCell};
use super::tasks::sleep;
use crate::core::pixel_pacing::{
    next_tab_pixels_wait, FrameVerdict, PixelPacing, FRAME_QUALITY, SAMPLE_EVERY_MS,
    TAB_PIXELS_EVERY_MS,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Document)]
    type ProtoDocument;
    /// Read through the prototype (a page may shadow it by name).
    #[wasm_bindgen(method, getter, final, js_name = visibilityState)]
    fn visibility_state(this: &ProtoDocument) -> String;
}

/// Is the top document's tab the one shown (the tester sees it)?
fn tab_shown() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.unchecked_ref::<ProtoDocument>().visibility_state() == "visible")
}

/// An encoded frame this small may be a transparent one: it is looked at.
const SMALL_FRAME_BYTES: f64 = 2_048.0;
/// A canvas whose bitmap has more than this many times the pixels it shows
/// is scaled down to its shown size before it is encoded.
const OVERSIZE: f64 = 2.0;

/// What reading an element's pixels gave.
enum Read {
    /// Its pixels, as a `data:` URL.
    Image(String),
    /// Nothing the page can read back (transparent, or refused because
    /// another origin's picture tainted it): the tab's pixels may show it.
    Unreadable,
    /// Nothing to record now (no size, no frame yet, out of view).
    Nothing,
}

/// A recorded canvas or video.
struct Source {
    element: Element,
    video: bool,
}

/// Record the pixels of this document's canvases and videos until the
/// recording (the one running when called) stops.
pub async fn sample_while_recording(cell: RecorderCell) {
    let Some(session) = cell.with(|r| r.session_start) else {
        return;
    };
    let top = is_top_window();
    let mut sources: Vec<Source> = Vec::new();
    let mut pacing = PixelPacing::default();
    let mut tab_pixels_at = f64::NEG_INFINITY;
    let mut tab_pixels_wait = TAB_PIXELS_EVERY_MS;
    loop {
        let new = cell
            .with(|r| (r.session_start == session).then(|| r.serializer.dom().take_pixel_sources()))
            .flatten();
        let Some(new) = new else {
            return;
        };
        for element in new {
            if !sources.iter().any(|s| s.element == element) {
                let video = dom_reads::local_name(&element) == "video";
                sources.push(Source { element, video });
            }
        }
        sources.retain(|s| dom_reads::is_connected(s.element.unchecked_ref()));
        if pacing.spent() {
            sources.clear();
        }
        // A tab in the background shows nothing: nothing to look at.
        if !tab_shown() {
            sleep(SAMPLE_EVERY_MS).await;
            continue;
        }
        let mut unreadable = Vec::new();
        for source in &sources {
            let Some(id) = cell.with(|r| shown_id(r, &source.element)).flatten() else {
                continue;
            };
            match read(source).await {
                Read::Image(image) => {
                    keep(&cell, &mut pacing, id, image);
                }
                Read::Unreadable => unreadable.push((source.element.clone(), id)),
                Read::Nothing => {}
            }
        }
        let now = js_sys::Date::now();
        if top && !unreadable.is_empty() && now - tab_pixels_at >= tab_pixels_wait {
            tab_pixels_at = now;
            let images = tab_pixels(&cell, &unreadable).await;
            // Nothing captured (the tab was hidden meanwhile): not a sign
            // that nothing changes.
            let captured = !images.is_empty();
            let mut changed = false;
            for (id, image) in images {
                changed |= keep(&cell, &mut pacing, id, image);
            }
            tab_pixels_wait = match captured {
                true => next_tab_pixels_wait(tab_pixels_wait, changed),
                false => TAB_PIXELS_EVERY_MS,
            };
        }
        sleep(SAMPLE_EVERY_MS).await;
    }
}

/// The id of a recorded `element` whose pixels may be recorded now: still
/// recorded, and not moved into a masked region since.
fn shown_id(recorder: &Recorder, element: &Element) -> Option<u32> {
    let node: &Node = element.unchecked_ref();
    let id = recorder.serializer.id_of(node)?;
    let parent = dom_reads::parent_node(node);
    let masked = recorder.serializer.masks_text_under(parent.as_ref());
    (!recorder.serializer.masks_images_of(node, masked)).then_some(id)
}

/// Record `image` as element `id`'s pixels if it changed, within the
/// page's budget; whether it was recorded.
fn keep(cell: &RecorderCell, pacing: &mut PixelPacing, id: u32, image: String) -> bool {
    // Base64 is letters and digits: a run of them may, by chance, have
    // the shape of a secret, and the server refuses any bundle holding
    // one. Such a frame is left out, not the report.
    if repro_manifest::pii::first(&image).is_some() {
        return false;
    }
    cell.with(|r| {
        let t = r.now();
        match pacing.admit(id, &image, t, r.page) {
            FrameVerdict::Keep => {
                r.push(DomEvent::Pixels {
                    t,
                    page: r.page,
                    id,
                    image,
                });
                true
            }
            FrameVerdict::OverBudget(Some(note)) => {
                r.outbox.chunk.console.push(note);
                false
            }
            _ => false,
        }
    })
    .unwrap_or(false)
}

fn is_top_window() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let top = window.top().ok().flatten().map(JsValue::from);
    top.as_ref() == Some(&JsValue::from(window))
}

/// The element's box in its viewport, when any of it is in view.
fn box_in_view(element: &Element) -> Option<web_sys::DomRect> {
    let rect = dom_reads::bounding_rect(element);
    let window = dom_reads::owner_document(element).and_then(|d| dom_reads::default_view(&d))?;
    let size = dom_reads::viewport(&window);
    let shown = rect.width() >= 1.0
        && rect.height() >= 1.0
        && rect.right() > 0.0
        && rect.bottom() > 0.0
        && rect.left() < size.w as f64
        && rect.top() < size.h as f64;
    shown.then_some(rect)
}

async fn read(source: &Source) -> Read {
    let Some(rect) = box_in_view(&source.element) else {
        return Read::Nothing;
    };
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let shown = (rect.width() * dpr, rect.height() * dpr);
    let drawn = match source.video {
        true => video_frame(source.element.unchecked_ref(), shown),
        false => canvas_to_encode(source.element.unchecked_ref(), shown),
    };
    let canvas = match drawn {
        Ok(Some(canvas)) => canvas,
        Ok(None) => return Read::Nothing,
        Err(_) => return Read::Unreadable,
    };
    let blob = match encode(&canvas).await {
        Ok(Some(blob)) => blob,
        Ok(None) => return Read::Nothing,
        // Tainted by another origin's picture or film.
        Err(_) => return Read::Unreadable,
    };
    if blob.size() < SMALL_FRAME_BYTES && is_transparent(&canvas) {
        return Read::Unreadable;
    }
    match data_url(&blob).await {
        Some(image) => Read::Image(image),
        None => Read::Nothing,
    }
}

/// A canvas of the recorder's own in the page's document (never put in
/// it; a new one each time, since one tainted stays tainted).
fn new_canvas(width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = dom_reads::create_element(&document, "canvas")
        .ok()?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(JsCast::unchecked_into)
}

/// The canvas to encode for `canvas`, shown at `shown` device pixels: the
/// canvas itself, or a copy at its shown size when its bitmap is far
/// larger; `None` when it has no pixels.
fn canvas_to_encode(
    canvas: &HtmlCanvasElement,
    shown: (f64, f64),
) -> Result<Option<HtmlCanvasElement>, JsValue> {
    let (width, height) = (canvas.width() as f64, canvas.height() as f64);
    if width < 1.0 || height < 1.0 {
        return Ok(None);
    }
    if width * height <= OVERSIZE * shown.0 * shown.1 {
        return Ok(Some(canvas.clone()));
    }
    let (w, h) = (shown.0.round().max(1.0), shown.1.round().max(1.0));
    let Some(copy) = new_canvas(w as u32, h as u32) else {
        return Ok(None);
    };
    let context = context_2d(&copy).ok_or("no 2d context")?;
    context.draw_image_with_html_canvas_element_and_dw_and_dh(canvas, 0.0, 0.0, w, h)?;
    Ok(Some(copy))
}

/// The video's current frame at the size it is shown (`shown`, device
/// pixels, never larger than the film's own), on a canvas; `None` before
/// it has a frame.
fn video_frame(
    video: &HtmlVideoElement,
    shown: (f64, f64),
) -> Result<Option<HtmlCanvasElement>, JsValue> {
    const HAVE_CURRENT_DATA: u16 = 2;
    let (width, height) = (video.video_width() as f64, video.video_height() as f64);
    if video.ready_state() < HAVE_CURRENT_DATA || width < 1.0 || height < 1.0 {
        return Ok(None);
    }
    let scale = (shown.0 / width).min(shown.1 / height).min(1.0);
    let (w, h) = (
        (width * scale).round().max(1.0),
        (height * scale).round().max(1.0),
    );
    let Some(canvas) = new_canvas(w as u32, h as u32) else {
        return Ok(None);
    };
    let context = context_2d(&canvas).ok_or("no 2d context")?;
    context.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)?;
    Ok(Some(canvas))
}

/// `canvas` encoded as WebP by the browser (off the main thread); an error
/// when the browser refuses (a tainted canvas), `None` when it gives nothing.
async fn encode(canvas: &HtmlCanvasElement) -> Result<Option<web_sys::Blob>, JsValue> {
    let mut called = Ok(());
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        called = canvas.to_blob_with_type_and_encoder_options(
            &resolve,
            "image/webp",
            &JsValue::from_f64(FRAME_QUALITY),
        );
    });
    called?;
    let blob = JsFuture::from(promise).await?;
    Ok(blob.dyn_into().ok())
}

/// Is every pixel of `canvas` transparent (looked at scaled to 4 × 4)?
fn is_transparent(canvas: &HtmlCanvasElement) -> bool {
    let Some(probe) = new_canvas(4, 4) else {
        return false;
    };
    let Some(context) = context_2d(&probe) else {
        return false;
    };
    if context
        .draw_image_with_html_canvas_element_and_dw_and_dh(canvas, 0.0, 0.0, 4.0, 4.0)
        .is_err()
    {
        return false;
    }
    match context.get_image_data(0.0, 0.0, 4.0, 4.0) {
        Ok(data) => data
            .data()
            .iter()
            .skip(3)
            .step_by(4)
            .all(|alpha| *alpha == 0),
        Err(_) => false,
    }
}

/// `blob` as a `data:` URL (base64 by the browser).
async fn data_url(blob: &web_sys::Blob) -> Option<String> {
    let reader = web_sys::FileReader::new().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(&resolve));
        reader.set_onerror(Some(&reject));
    });
    reader.read_as_data_url(blob).ok()?;
    JsFuture::from(promise).await.ok()?;
    reader.result().ok()?.as_string()
}

/// The tab's pixels at the boxes of `elements` (with their ids), in the
/// top document, masked content blacked out first.
async fn tab_pixels(cell: &RecorderCell, elements: &[(Element, u32)]) -> Vec<(u32, String)> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let top_document = window.document().map(JsValue::from);
    let mut ids = Vec::new();
    let mut boxes = Vec::new();
    for (element, id) in elements {
        let document = dom_reads::owner_document(element).map(JsValue::from);
        let Some(rect) = box_in_view(element).filter(|_| document == top_document) else {
            continue;
        };
        // The content box: where a canvas draws and a video plays.
        let (left, top) = dom_reads::client_offset(element);
        boxes.push([
            rect.left() + left,
            rect.top() + top,
            (rect.width() - 2.0 * left).max(1.0),
            (rect.height() - 2.0 * top).max(1.0),
        ]);
        ids.push(*id);
    }
    if boxes.is_empty() {
        return Vec::new();
    }
    let Some(all_masks) =
        cell.with(|r| mask_rects(r.serializer.policy(), Some(r.serializer.dom())))
    else {
        return Vec::new();
    };
    let overlaps = |m: &repro_manifest::Rect| {
        boxes
            .iter()
            .any(|[x, y, w, h]| m.x < x + w && m.x + m.w > *x && m.y < y + h && m.y + m.h > *y)
    };
    let masks = all_masks
        .into_iter()
        .filter(overlaps)
        .map(|m| [m.x, m.y, m.w, m.h])
        .collect();
    let request = ToBackground::TabPixels(TabPixels {
        viewport_width: dom_reads::viewport(&window).w as f64,
        boxes,
        masks,
    });
    let Ok(answer) = ask_background(&request).await else {
        return Vec::new();
    };
    let Ok(answer) = answer_from_js::<TabPixelsAnswer>(&answer) else {
        return Vec::new();
    };
    ids.into_iter()
        .zip(answer.images)
        .filter_map(|(id, image)| Some((id, image?)))
        .filter(|(_, image)| repro_manifest::is_pixel_image(image))
        .collect()
}
