//! Annotations a tester draws on a mark's screenshot before sharing it: a
//! rectangle, an arrow, a line of text, or a black-out. They are drawn into
//! the image's pixels when saved, never kept as a layer beside it, so what is
//! blacked out cannot be uncovered by anyone who receives the report.
//!
//! This module is the geometry (native, tested here); the review page's
//! editor (`web::pages::annotator`) draws it on a canvas.

/// A point in the screenshot's own pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A box in the screenshot's own pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// What the tester draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Rectangle,
    Arrow,
    Text,
    BlackOut,
}

impl Tool {
    /// The tool named by a radio button's value (`rectangle`, `arrow`,
    /// `text`, `black-out`).
    pub fn named(name: &str) -> Option<Tool> {
        match name {
            "rectangle" => Some(Tool::Rectangle),
            "arrow" => Some(Tool::Arrow),
            "text" => Some(Tool::Text),
            "black-out" => Some(Tool::BlackOut),
            _ => None,
        }
    }
}

/// One annotation.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// An outlined box.
    Rectangle(Area),
    /// An arrow pointing from `from` to `to`.
    Arrow { from: Point, to: Point },
    /// A line of text whose baseline starts at `at`.
    Text { at: Point, text: String },
    /// A box painted solid black.
    BlackOut(Area),
}

/// The longest text a tester can place (a note, not a paragraph).
pub const TEXT_LIMIT: usize = 200;

/// A drag shorter than this (in the screenshot's pixels) on either axis is
/// a slip of the hand, not a box.
const SMALLEST_DRAG: f64 = 3.0;

/// The box a drag from `from` to `to` spans, whichever way it went.
pub fn area_between(from: Point, to: Point) -> Area {
    Area {
        x: from.x.min(to.x),
        y: from.y.min(to.y),
        w: (to.x - from.x).abs(),
        h: (to.y - from.y).abs(),
    }
}

/// The shape `tool` makes from a drag (or a click, where `from == to`)
/// with `text` for the text tool; `None` when there is nothing to draw (a
/// box or arrow too small to be meant, a text left empty).
pub fn shape_of(tool: Tool, from: Point, to: Point, text: &str) -> Option<Shape> {
    let area = area_between(from, to);
    let big_enough = area.w >= SMALLEST_DRAG && area.h >= SMALLEST_DRAG;
    match tool {
        Tool::Rectangle if big_enough => Some(Shape::Rectangle(area)),
        Tool::BlackOut if big_enough => Some(Shape::BlackOut(area)),
        Tool::Arrow if area.w.hypot(area.h) >= SMALLEST_DRAG * 3.0 => {
            Some(Shape::Arrow { from, to })
        }
        Tool::Text => {
            let text: String = text.trim().chars().take(TEXT_LIMIT).collect();
            (!text.is_empty()).then_some(Shape::Text { at: to, text })
        }
        _ => None,
    }
}

/// The two ends of an arrow's head at `to`, each `length` back along the
/// shaft and turned 30° off it; `None` for an arrow of no length.
pub fn arrow_head(from: Point, to: Point, length: f64) -> Option<[Point; 2]> {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    if dx == 0.0 && dy == 0.0 {
        return None;
    }
    let angle = dy.atan2(dx);
    let spread = std::f64::consts::PI / 6.0;
    let end = |turn: f64| Point {
        x: to.x - length * (angle + turn).cos(),
        y: to.y - length * (angle + turn).sin(),
    };
    Some([end(spread), end(-spread)])
}

/// How thick lines are on an image `width` pixels wide: 3 on a laptop's
/// screenshot, thicker on a wide or high-density one so they stay visible.
pub fn line_width(width: f64) -> f64 {
    (width / 400.0).max(3.0).round()
}

/// The black-outs among `shapes` as they fall on a part of the screenshot
/// cut out at `part` (the mark's crop): moved into the part's own pixels and
/// cut to it; those that miss it are left out. Whatever was blacked out in
/// the screenshot is blacked out in the crop too.
pub fn black_outs_within(shapes: &[Shape], part: Area) -> Vec<Area> {
    shapes
        .iter()
        .filter_map(|shape| match shape {
            Shape::BlackOut(area) => {
                let left = area.x.max(part.x);
                let top = area.y.max(part.y);
                let right = (area.x + area.w).min(part.x + part.w);
                let bottom = (area.y + area.h).min(part.y + part.h);
                (right > left && bottom > top).then_some(Area {
                    x: left - part.x,
                    y: top - part.y,
                    w: right - left,
                    h: bottom - top,
                })
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn a_drag_makes_the_same_box_whichever_way_it_goes() {
        let forward = area_between(at(10.0, 20.0), at(50.0, 80.0));
        let backward = area_between(at(50.0, 80.0), at(10.0, 20.0));
        assert_eq!(forward, backward);
        assert_eq!(
            forward,
            Area {
                x: 10.0,
                y: 20.0,
                w: 40.0,
                h: 60.0
            }
        );
    }

    #[test]
    fn slips_of_the_hand_and_empty_text_draw_nothing() {
        assert_eq!(
            shape_of(Tool::BlackOut, at(5.0, 5.0), at(6.0, 40.0), ""),
            None
        );
        assert_eq!(
            shape_of(Tool::Rectangle, at(5.0, 5.0), at(5.0, 5.0), ""),
            None
        );
        assert_eq!(shape_of(Tool::Arrow, at(5.0, 5.0), at(8.0, 8.0), ""), None);
        assert_eq!(
            shape_of(Tool::Text, at(5.0, 5.0), at(5.0, 5.0), "   "),
            None
        );
        assert!(matches!(
            shape_of(Tool::BlackOut, at(5.0, 5.0), at(60.0, 40.0), ""),
            Some(Shape::BlackOut(_))
        ));
    }

    #[test]
    fn text_is_trimmed_and_kept_short() {
        let long = "x".repeat(500);
        let Some(Shape::Text { text, at: place }) = shape_of(
            Tool::Text,
            at(1.0, 2.0),
            at(3.0, 4.0),
            &format!("  {long} "),
        ) else {
            panic!("no text shape");
        };
        assert_eq!(text.chars().count(), TEXT_LIMIT);
        assert_eq!(place, at(3.0, 4.0));
    }

    #[test]
    fn an_arrow_head_points_back_along_the_shaft() {
        let [a, b] = arrow_head(at(0.0, 0.0), at(100.0, 0.0), 10.0).unwrap();
        assert!((a.x - (100.0 - 10.0 * 30f64.to_radians().cos())).abs() < 1e-9);
        assert!((a.y + b.y).abs() < 1e-9, "symmetric about the shaft");
        assert!(a.y.abs() > 4.9 && a.y.abs() < 5.1);
        assert_eq!(arrow_head(at(3.0, 3.0), at(3.0, 3.0), 10.0), None);
    }

    #[test]
    fn black_outs_follow_into_the_crop_and_are_cut_to_it() {
        let shapes = vec![
            Shape::BlackOut(Area {
                x: 90.0,
                y: 90.0,
                w: 40.0,
                h: 20.0,
            }),
            Shape::Rectangle(Area {
                x: 100.0,
                y: 100.0,
                w: 10.0,
                h: 10.0,
            }),
            Shape::BlackOut(Area {
                x: 0.0,
                y: 0.0,
                w: 10.0,
                h: 10.0,
            }),
        ];
        let crop = Area {
            x: 100.0,
            y: 100.0,
            w: 50.0,
            h: 50.0,
        };
        assert_eq!(
            black_outs_within(&shapes, crop),
            vec![Area {
                x: 0.0,
                y: 0.0,
                w: 30.0,
                h: 10.0
            }]
        );
    }

    #[test]
    fn lines_stay_visible_on_wide_screenshots() {
        assert_eq!(line_width(800.0), 3.0);
        assert_eq!(line_width(3840.0), 10.0);
    }

    #[test]
    fn tools_are_named_as_the_editor_names_them() {
        assert_eq!(Tool::named("black-out"), Some(Tool::BlackOut));
        assert_eq!(Tool::named("arrow"), Some(Tool::Arrow));
        assert_eq!(Tool::named("eraser"), None);
    }
}
