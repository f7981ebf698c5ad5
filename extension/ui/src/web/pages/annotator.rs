//! The review page's screenshot editor: each mark's screenshot with an
//! Annotate button; the editor (a modal dialog) draws rectangles, arrows,
//! text and black-outs on a canvas the size of the screenshot, and Save
//! writes them into the stored image's pixels (the black-outs into the
//! mark's crop of the element too). Nothing leaves the browser here: the
//! annotated images are what Share uploads.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlDialogElement, HtmlImageElement,
    HtmlInputElement, PointerEvent,
};

use super::page_elements::{by_id, document, on, set_text};
use crate::annotation::{
    arrow_head, black_outs_within, line_width, shape_of, Area, Point, Shape, Tool,
};
use crate::session::{mark_prefix, StoredMark};
use crate::web::storage::{load, load_prefixed, save};
use repro_extension_messages::web::js::message_of;
use repro_manifest::Screenshot;

/// The colour of rectangles, arrows and text (the mark outline's red).
const INK: &str = "#d93025";

/// The screenshot being annotated.
struct Editing {
    /// Storage key of its mark.
    key: String,
    /// Its mark, as stored.
    stored: StoredMark,
    /// The screenshot as loaded, drawn first on every redraw.
    image: HtmlImageElement,
    /// What the tester drew, oldest first.
    shapes: Vec<Shape>,
    /// Where the drag in progress started.
    drag: Option<Point>,
}

thread_local! {
    static EDITING: RefCell<Option<Editing>> = const { RefCell::new(None) };
}

fn data_url(shot: &Screenshot) -> String {
    format!("data:{};base64,{}", shot.mime, shot.data)
}

/// List the marks of session `session_id` with their screenshots, and wire
/// the editor.
pub async fn list_marks(session_id: &str) -> Result<(), JsValue> {
    let document = document()?;
    let list: Element = by_id("mark-list")?;
    let marks = load_prefixed(&mark_prefix(session_id)).await?;
    for (number, (key, text)) in marks.iter().enumerate() {
        let Ok(stored) = serde_json::from_str::<StoredMark>(text) else {
            continue;
        };
        let Some(shot) = &stored.screenshot else {
            continue;
        };
        let item = document.create_element("li")?;
        let image: HtmlImageElement = document.create_element("img")?.dyn_into()?;
        image.set_src(&data_url(shot));
        image.set_alt(&format!("Screenshot of mark {}", number + 1));
        image.set_attribute("data-key", key)?;
        let words = document.create_element("p")?;
        words.set_text_content(Some(&format!(
            "Mark {}: {}",
            number + 1,
            stored.mark.comment
        )));
        let button = document.create_element("button")?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-key", key)?;
        button.set_text_content(Some(&format!("Annotate mark {}", number + 1)));
        for part in [&image as &web_sys::Node, &words, &button] {
            item.append_child(part)?;
        }
        list.append_child(&item)?;
    }
    if marks.is_empty() {
        let item = document.create_element("li")?;
        item.set_text_content(Some("None."));
        list.append_child(&item)?;
    }
    on("mark-list", "click", |event: web_sys::Event| async move {
        let key = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .filter(|e| e.local_name() == "button")
            .and_then(|button| button.get_attribute("data-key"));
        if let Some(key) = key {
            if let Err(error) = open(key).await {
                set_text("annotation-result", &message_of(&error)).ok();
            }
        }
    })?;
    wire_editor()
}

async fn load_image(url: &str) -> Result<HtmlImageElement, JsValue> {
    let image = HtmlImageElement::new()?;
    image.set_src(url);
    JsFuture::from(image.decode()).await?;
    Ok(image)
}

/// Open the editor on the screenshot of the mark stored under `key`.
async fn open(key: String) -> Result<(), JsValue> {
    let stored: StoredMark = load(&key).await?.ok_or("the mark is no longer stored")?;
    let shot = stored
        .screenshot
        .as_ref()
        .ok_or("the mark has no screenshot")?;
    let image = load_image(&data_url(shot)).await?;
    let canvas: HtmlCanvasElement = by_id("annotation-canvas")?;
    canvas.set_width(image.natural_width());
    canvas.set_height(image.natural_height());
    EDITING.with(|editing| {
        *editing.borrow_mut() = Some(Editing {
            key,
            stored,
            image,
            shapes: Vec::new(),
            drag: None,
        })
    });
    redraw(None)?;
    by_id::<HtmlDialogElement>("annotator")?.show_modal()
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| JsValue::from_str("not a 2d context"))
}

/// Draw the screenshot, every shape, and `preview` (the drag in progress).
fn redraw(preview: Option<Shape>) -> Result<(), JsValue> {
    let canvas: HtmlCanvasElement = by_id("annotation-canvas")?;
    let ctx = context(&canvas)?;
    EDITING.with(|editing| {
        let editing = editing.borrow();
        let Some(editing) = editing.as_ref() else {
            return Ok(());
        };
        ctx.draw_image_with_html_image_element(&editing.image, 0.0, 0.0)?;
        let width = line_width(canvas.width() as f64);
        for shape in editing.shapes.iter().chain(preview.as_ref()) {
            draw(&ctx, shape, width)?;
        }
        Ok(())
    })
}

fn draw(ctx: &CanvasRenderingContext2d, shape: &Shape, width: f64) -> Result<(), JsValue> {
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(INK);
    ctx.set_fill_style_str(INK);
    match shape {
        Shape::Rectangle(Area { x, y, w, h }) => ctx.stroke_rect(*x, *y, *w, *h),
        Shape::BlackOut(area) => fill_black(ctx, area),
        Shape::Arrow { from, to } => {
            ctx.begin_path();
            ctx.move_to(from.x, from.y);
            ctx.line_to(to.x, to.y);
            if let Some([a, b]) = arrow_head(*from, *to, width * 5.0) {
                ctx.move_to(a.x, a.y);
                ctx.line_to(to.x, to.y);
                ctx.line_to(b.x, b.y);
            }
            ctx.stroke();
        }
        Shape::Text { at, text } => {
            ctx.set_font(&format!("bold {}px sans-serif", width * 6.0));
            ctx.set_stroke_style_str("#ffffff");
            ctx.stroke_text(text, at.x, at.y)?;
            ctx.fill_text(text, at.x, at.y)?;
        }
    }
    Ok(())
}

/// Paint `area` solid black, its edges rounded outward to whole pixels.
fn fill_black(ctx: &CanvasRenderingContext2d, area: &Area) {
    ctx.set_fill_style_str("#000000");
    let (left, top) = (area.x.floor(), area.y.floor());
    let (right, bottom) = ((area.x + area.w).ceil(), (area.y + area.h).ceil());
    ctx.fill_rect(left, top, right - left, bottom - top);
}

/// The pointer's place in the screenshot's own pixels.
fn point_of(event: &PointerEvent, canvas: &HtmlCanvasElement) -> Point {
    let scale_x = canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let scale_y = canvas.height() as f64 / canvas.client_height().max(1) as f64;
    // `offsetX` as the fraction Chrome gives (web-sys reads it as a whole number).
    let offset = |name: &str| {
        js_sys::Reflect::get(event, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    Point {
        x: offset("offsetX") * scale_x,
        y: offset("offsetY") * scale_y,
    }
}

fn chosen_tool() -> Tool {
    document()
        .ok()
        .and_then(|d| d.query_selector("input[name=tool]:checked").ok().flatten())
        .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
        .and_then(|input| Tool::named(&input.value()))
        .unwrap_or(Tool::Rectangle)
}

fn placed_text() -> String {
    by_id::<HtmlInputElement>("annotation-text")
        .map(|input| input.value())
        .unwrap_or_default()
}

/// The shape the drag in progress would make if it ended at `event`.
fn dragged(event: &PointerEvent) -> Option<Shape> {
    let canvas: HtmlCanvasElement = by_id("annotation-canvas").ok()?;
    let from = EDITING.with(|e| e.borrow().as_ref().and_then(|e| e.drag))?;
    shape_of(
        chosen_tool(),
        from,
        point_of(event, &canvas),
        &placed_text(),
    )
}

fn wire_editor() -> Result<(), JsValue> {
    on("annotation-canvas", "pointerdown", |event| async move {
        let Ok(event) = event.dyn_into::<PointerEvent>() else {
            return;
        };
        let Ok(canvas) = by_id::<HtmlCanvasElement>("annotation-canvas") else {
            return;
        };
        let _ = canvas.set_pointer_capture(event.pointer_id());
        let start = point_of(&event, &canvas);
        EDITING.with(|e| {
            if let Some(editing) = e.borrow_mut().as_mut() {
                editing.drag = Some(start);
            }
        });
    })?;
    on("annotation-canvas", "pointermove", |event| async move {
        if let Ok(event) = event.dyn_into::<PointerEvent>() {
            if let Some(shape) = dragged(&event) {
                redraw(Some(shape)).ok();
            }
        }
    })?;
    on("annotation-canvas", "pointerup", |event| async move {
        let Ok(event) = event.dyn_into::<PointerEvent>() else {
            return;
        };
        let shape = dragged(&event);
        EDITING.with(|e| {
            if let Some(editing) = e.borrow_mut().as_mut() {
                editing.drag = None;
                editing.shapes.extend(shape);
            }
        });
        redraw(None).ok();
    })?;
    on("annotation-undo", "click", |_| async move {
        EDITING.with(|e| {
            if let Some(editing) = e.borrow_mut().as_mut() {
                editing.shapes.pop();
            }
        });
        redraw(None).ok();
    })?;
    on("annotation-cancel", "click", |_| async move {
        close().ok();
    })?;
    on("annotation-save", "click", |_| async move {
        let words = match save_annotations().await {
            Ok(words) => words,
            Err(error) => format!("Could not save the annotations: {}", message_of(&error)),
        };
        set_text("annotation-result", &words).ok();
    })
}

fn close() -> Result<(), JsValue> {
    EDITING.with(|e| e.borrow_mut().take());
    by_id::<HtmlDialogElement>("annotator")?.close();
    Ok(())
}

/// The canvas's pixels as a PNG screenshot taken at `t`.
fn encoded(canvas: &HtmlCanvasElement, t: u64) -> Result<Screenshot, JsValue> {
    let url = canvas.to_data_url_with_type("image/png")?;
    let data = url.split_once(',').map(|(_, data)| data).unwrap_or("");
    Ok(Screenshot {
        t,
        width: canvas.width(),
        height: canvas.height(),
        mime: "image/png".into(),
        data: data.to_owned(),
    })
}

/// The mark's crop with `black_outs` painted on it.
async fn blacked_out_crop(crop: &Screenshot, black_outs: &[Area]) -> Result<Screenshot, JsValue> {
    let image = load_image(&data_url(crop)).await?;
    let canvas: HtmlCanvasElement = document()?.create_element("canvas")?.dyn_into()?;
    canvas.set_width(image.natural_width());
    canvas.set_height(image.natural_height());
    let ctx = context(&canvas)?;
    ctx.draw_image_with_html_image_element(&image, 0.0, 0.0)?;
    for area in black_outs {
        fill_black(&ctx, area);
    }
    encoded(&canvas, crop.t)
}

/// Write the shapes into the stored screenshot (and the black-outs into the
/// crop), store the mark, and close the editor.
async fn save_annotations() -> Result<String, JsValue> {
    redraw(None)?;
    let canvas: HtmlCanvasElement = by_id("annotation-canvas")?;
    let Some((key, mut stored, shapes)) = EDITING.with(|e| {
        e.borrow()
            .as_ref()
            .map(|e| (e.key.clone(), e.stored.clone(), e.shapes.clone()))
    }) else {
        return Ok(String::new());
    };
    let t = stored.screenshot.as_ref().map_or(0, |s| s.t);
    stored.screenshot = Some(encoded(&canvas, t)?);
    if let Some(crop) = &stored.crop {
        // The crop was cut from the screenshot at the element's box.
        let scale = canvas.width() as f64 / stored.mark.viewport.w.max(1) as f64;
        let rect = &stored.mark.rect;
        let part = Area {
            x: (rect.x * scale).max(0.0),
            y: (rect.y * scale).max(0.0),
            w: crop.width as f64,
            h: crop.height as f64,
        };
        let black_outs = black_outs_within(&shapes, part);
        if !black_outs.is_empty() {
            stored.crop = Some(blacked_out_crop(crop, &black_outs).await?);
        }
    }
    save(&key, &stored).await?;
    if let Some(shot) = &stored.screenshot {
        let selector = format!("img[data-key=\"{key}\"]");
        if let Some(image) = document()?.query_selector(&selector)? {
            image.set_attribute("src", &data_url(shot))?;
        }
    }
    close()?;
    Ok(format!(
        "Saved {} into the screenshot's pixels.",
        match shapes.len() {
            1 => "1 annotation".to_owned(),
            n => format!("{n} annotations"),
        }
    ))
}
