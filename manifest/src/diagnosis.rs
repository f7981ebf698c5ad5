//! What probably went wrong, from the evidence in the recording alone:
//! deterministic rules over the steps, the requests and the console, each
//! finding naming its evidence (moments, requests, console entries) so
//! that the viewer links to them. Ranked, most likely cause first: a
//! failed request after a step, the page showing no change after it, a
//! console error after a step, a click after which nothing happened at
//! all, repeated clicks, slow requests; and a mark the tester put on the
//! control of a step that went wrong. No network service is asked
//! anything.

use serde::Serialize;

use crate::{
    steps, Bundle, ConsoleLevel, DomEvent, EventRecord, Mark, NetworkKind, Step, ACTIVE_ATTRIBUTE,
    FOCUS_ATTRIBUTE, HOVER_ATTRIBUTE,
};

/// What follows a step is its doing until the next step, or at most this long.
const FOLLOWS_WITHIN_MS: u64 = 5_000;
/// A request slower than this is worth saying.
const SLOW_MS: u64 = 3_000;
/// A click after which nothing happens for this long did nothing.
const DEAD_AFTER_MS: u64 = 1_000;
/// A step repeated this many times or more is worth saying.
const REPEATED: u32 = 3;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// When its evidence starts, ms from the session start.
    pub t: u64,
    /// What was found, in words.
    pub text: String,
    /// How likely a cause it is: lower comes first.
    pub rank: u8,
}

/// The path of `url` (its origin left out), for saying a request.
fn path_of(url: &str) -> &str {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or(url)
}

/// The steps a person took (clicks, entries) and the window of time that is
/// each one's doing: from it to the next step (at most [`FOLLOWS_WITHIN_MS`]).
fn windows(steps: &[Step]) -> Vec<(&Step, u64, u64)> {
    let actions: Vec<&Step> = steps.iter().filter(|s| s.element.is_some()).collect();
    actions
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let next = actions.get(i + 1).map_or(u64::MAX, |n| n.t);
            (*step, step.t, next.min(step.until + FOLLOWS_WITHIN_MS))
        })
        .collect()
}

/// A click: when, on which page, on what, where.
type ClickAt = (u64, u32, u32, i32, i32);

/// A mark the tester put on the control `step` clicked: one whose box
/// (in the viewport, at the mark's moment) holds a click of the step.
fn marked_in<'a>(
    marks: &'a [Mark],
    clicks: &[ClickAt],
    step: &Step,
    from: u64,
    to: u64,
) -> Option<&'a Mark> {
    let points: Vec<(f64, f64)> = clicks
        .iter()
        .filter(|(t, page, id, _, _)| {
            *page == step.page && Some(*id) == step.element && *t >= from && *t < to
        })
        .map(|(_, _, _, x, y)| (f64::from(*x), f64::from(*y)))
        .collect();
    marks.iter().find(|mark| {
        let r = mark.rect;
        mark.page == step.page
            && r.w > 0.0
            && r.h > 0.0
            && points
                .iter()
                .any(|(x, y)| *x >= r.x && *x <= r.x + r.w && *y >= r.y && *y <= r.y + r.h)
    })
}

/// The findings of `bundle`, most likely cause first.
pub fn diagnose(bundle: &Bundle) -> Vec<Finding> {
    let steps = steps(bundle);
    let mut findings = Vec::new();
    // What the tester could see change: the page's own changes, not the
    // recording's marks of where the pointer and the focus were.
    let own_mark =
        |name: &str| [HOVER_ATTRIBUTE, ACTIVE_ATTRIBUTE, FOCUS_ATTRIBUTE].contains(&name);
    let changes: Vec<u64> = bundle
        .events
        .iter()
        .filter_map(|e| match e {
            EventRecord::Known(DomEvent::Mutation {
                t,
                removes,
                adds,
                attrs,
                texts,
                ..
            }) if !removes.is_empty()
                || !adds.is_empty()
                || !texts.is_empty()
                || attrs.iter().any(|a| !own_mark(&a.name)) =>
            {
                Some(*t)
            }
            _ => None,
        })
        .collect();
    let navigations: Vec<u64> = bundle
        .events
        .iter()
        .filter_map(|e| match e {
            EventRecord::Known(event @ DomEvent::Navigation { .. }) => Some(event.t()),
            _ => None,
        })
        .chain(bundle.pages.iter().skip(1).map(|p| p.t))
        .collect();
    // The clicks, once (for the marks on a step's control); none to look
    // at without marks.
    let clicks: Vec<ClickAt> = if bundle.marks.is_empty() {
        Vec::new()
    } else {
        bundle
            .events
            .iter()
            .filter_map(|e| match e {
                EventRecord::Known(DomEvent::Click {
                    t, page, id, x, y, ..
                }) => Some((*t, *page, *id, *x, *y)),
                _ => None,
            })
            .collect()
    };
    for (step, from, to) in windows(&steps) {
        let within = |t: u64| t >= from && t < to;
        let failed: Vec<_> = bundle
            .network
            .iter()
            .filter(|r| within(r.t) && r.kind != NetworkKind::Resource)
            .filter(|r| r.status.is_some_and(|s| s >= 400) || r.error.is_some())
            .collect();
        let errors: Vec<_> = bundle
            .console
            .iter()
            .filter(|e| within(e.t) && e.level == ConsoleLevel::Error)
            .collect();
        let when = format!("after the step: {}", step.line());
        let went_wrong = !failed.is_empty() || !errors.is_empty();
        if went_wrong {
            if let Some(mark) = marked_in(&bundle.marks, &clicks, step, from, to) {
                findings.push(Finding {
                    t: mark.t,
                    text: format!(
                        "The tester marked the control of the step {} (\u{201c}{}\u{201d}), where it went wrong",
                        step.line(),
                        mark.comment.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                    rank: 1,
                });
            }
        }
        if let Some(request) = failed.first() {
            let outcome = match (request.status, &request.error) {
                (Some(status), _) => format!("answered {status}"),
                (None, Some(error)) => format!("failed ({error})"),
                (None, None) => "failed".to_string(),
            };
            let times = match failed.len() {
                1 => String::new(),
                n => format!(" ({n} times)"),
            };
            findings.push(Finding {
                t: request.t,
                text: format!(
                    "{} {} {outcome}{times} {when}",
                    request.method,
                    path_of(&request.url)
                ),
                rank: 0,
            });
            let last = failed
                .iter()
                .map(|r| r.t + r.duration_ms.unwrap_or(0))
                .max()
                .unwrap_or(from);
            if !changes
                .iter()
                .any(|t| *t > last && *t < to.max(last + 1_000))
            {
                findings.push(Finding {
                    t: last,
                    text: format!(
                        "The page showed no change after {} {} {outcome}: no error was shown to the tester",
                        request.method,
                        path_of(&request.url)
                    ),
                    rank: 1,
                });
            }
        }
        if let Some(error) = errors.first() {
            let times = match errors.len() {
                1 => String::new(),
                n => format!(" ({n} times)"),
            };
            let message = error.args.join(" ");
            let first_frame = error
                .stack
                .as_deref()
                // (Frames of an extension's own code, Repro's hook first, are not the page's.)
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.trim_start().starts_with("at ") && !l.contains("-extension://"))
                })
                .map(|l| format!(", {}", l.trim()))
                .unwrap_or_default();
            findings.push(Finding {
                t: error.t,
                text: format!(
                    "Console error{times} {when}: \u{201c}{message}\u{201d}{first_frame}"
                ),
                rank: 2,
            });
        }
        // A dead click: a named control clicked, and within a second of the
        // last click nothing at all: no change, no request, no navigation.
        let quiet_until = to.min(step.until + DEAD_AFTER_MS);
        let quiet = |t: u64| t < from || t >= quiet_until;
        if step.text.starts_with("Clicked \u{201c}")
            && changes.iter().all(|t| quiet(*t))
            && bundle.network.iter().all(|r| quiet(r.t))
            && navigations.iter().all(|t| quiet(*t))
        {
            findings.push(Finding {
                t: step.t,
                text: format!(
                    "Nothing happened after the step: {} (no change on the page, no request, no navigation within {} s)",
                    step.line(),
                    DEAD_AFTER_MS / 1000
                ),
                rank: 3,
            });
        }
        if step.count >= REPEATED && step.text.starts_with("Clicked ") {
            let seconds = (step.until - step.t) as f64 / 1000.0;
            findings.push(Finding {
                t: step.t,
                text: format!(
                    "{} {} times in {seconds:.1} s: the tester expected something to happen",
                    step.text, step.count
                ),
                rank: 3,
            });
        }
    }
    for request in &bundle.network {
        if request.kind != NetworkKind::Resource
            && request.duration_ms.is_some_and(|d| d >= SLOW_MS)
        {
            findings.push(Finding {
                t: request.t,
                text: format!(
                    "{} {} took {:.1} s",
                    request.method,
                    path_of(&request.url),
                    request.duration_ms.unwrap_or(0) as f64 / 1000.0
                ),
                rank: 4,
            });
        }
    }
    findings.sort_by_key(|f| (f.rank, f.t));
    findings
}
