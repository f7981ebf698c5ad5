//! The steps a person can follow to do again what the tester did, read
//! from the recording alone: pages opened, in-page navigations, clicks
//! (named the way a person names the control: the label the recorder
//! read at the moment), what was typed where (how many characters, never
//! what: masked values stay masked), boxes checked, resizes and marks.
//! Repeated identical actions fold into one step with a count ("3×") and
//! the moments of the first and the last. Shared by the viewer (the
//! **Steps** panel) and the server (exports to come).

use std::collections::HashMap;

use serde::Serialize;

use crate::{Bundle, DomEvent, EventRecord, Mark, Page};

/// Identical clicks further apart than this are separate steps.
const FOLD_WITHIN_MS: u64 = 10_000;

/// One step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// When it (its first repetition) happened, ms from the session start.
    pub t: u64,
    /// When its last repetition happened.
    pub until: u64,
    /// The page it happened on.
    pub page: u32,
    /// How many times in a row.
    pub count: u32,
    /// What happened, in words.
    pub text: String,
    /// The element it happened to, when it is one (its recorded id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<u32>,
    /// What was done, as data (for exports that do it again).
    pub action: Action,
}

/// What a step did, as data: what a generated test does again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// The first page opened.
    Open {
        /// Its address.
        url: String,
    },
    /// A later page loaded.
    Load {
        /// Its address.
        url: String,
    },
    /// A click on the control named `label`.
    Click {
        /// What a person calls the control.
        label: Option<String>,
    },
    /// A box checked or unchecked.
    Check {
        /// What a person calls the box.
        label: Option<String>,
        /// Checked after it.
        checked: bool,
    },
    /// Text entered into a field: its value in the end (masked: stars).
    Type {
        /// What a person calls the field.
        label: Option<String>,
        /// The value, as recorded.
        value: String,
    },
    /// An in-page navigation.
    Navigate {
        /// The address after it.
        url: String,
    },
    /// The window resized.
    Resize {
        /// Width.
        w: u32,
        /// Height.
        h: u32,
    },
    /// The tester marked an element.
    Mark {
        /// The tester's comment.
        comment: String,
    },
}

impl Step {
    /// The step as a line: its words, and the count when repeated.
    pub fn line(&self) -> String {
        match self.count {
            1 => self.text.clone(),
            n => format!("{} {n}×", self.text),
        }
    }
}

fn quoted(label: &str) -> String {
    format!("\u{201c}{label}\u{201d}")
}

/// A step done once.
fn step(t: u64, page: u32, text: String, element: Option<u32>, action: Action) -> Step {
    Step {
        t,
        until: t,
        page,
        count: 1,
        text,
        element,
        action,
    }
}

/// Add `step` after the steps so far, or fold it into the last one when
/// `fold` says it is the same action (again, or going on).
fn push(steps: &mut Vec<Step>, step: Step, fold: Fold) {
    if let Some(last) = steps.last_mut() {
        let same = last.page == step.page && last.element == step.element;
        // A click that checked a box or put the caret in a field is told
        // by what it did ("Checked …", "Entered … into …").
        if same && step.element.is_some() && fold.is_field() && last.text.starts_with("Clicked ") {
            let t = last.t;
            *last = Step { t, ..step };
            return;
        }
        match fold {
            Fold::Repeat
                if same
                    && last.text == step.text
                    && step.t.saturating_sub(last.until) <= FOLD_WITHIN_MS =>
            {
                last.count += 1;
                last.until = step.t;
                return;
            }
            // (A box's `input` and `change` both say it.)
            Fold::Field(FieldFold::Once) if same && last.text == step.text => {
                last.until = step.t;
                return;
            }
            Fold::Replace | Fold::Field(FieldFold::Going)
                if same && first_word(&last.text) == first_word(&step.text) =>
            {
                last.text = step.text;
                last.action = step.action;
                last.until = step.t;
                return;
            }
            _ => {}
        }
    }
    steps.push(step);
}

/// The steps of `bundle`, in time order.
pub fn steps(bundle: &Bundle) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    // Field labels come with a field's first input; later ones reuse them.
    let mut field_labels: HashMap<(u32, u32), String> = HashMap::new();
    let mut pages = bundle.pages.iter().enumerate().peekable();
    let mut marks = bundle.marks.iter().peekable();
    for record in &bundle.events {
        let EventRecord::Known(event) = record else {
            continue;
        };
        let t = event.t();
        while let Some((index, page)) = pages.next_if(|(_, p)| p.t <= t) {
            push(&mut steps, page_step(index, page), Fold::Never);
        }
        while let Some(mark) = marks.next_if(|m| m.t <= t) {
            push(&mut steps, mark_step(mark), Fold::Never);
        }
        match event {
            DomEvent::Click {
                page, id, label, ..
            } => {
                let name = match label.as_deref() {
                    Some(label) if !label.is_empty() => quoted(label),
                    _ => "an element".to_string(),
                };
                let action = Action::Click {
                    label: label.clone().filter(|l| !l.is_empty()),
                };
                push(
                    &mut steps,
                    step(t, *page, format!("Clicked {name}"), Some(*id), action),
                    Fold::Repeat,
                );
            }
            DomEvent::Input {
                page,
                id,
                value,
                checked,
                label,
                ..
            } => {
                if let Some(label) = label.as_deref().filter(|l| !l.is_empty()) {
                    field_labels.insert((*page, *id), label.to_string());
                }
                let known = field_labels.get(&(*page, *id)).cloned();
                let field = known
                    .as_deref()
                    .map(quoted)
                    .unwrap_or_else(|| "a field".to_string());
                let label = known;
                let (text, fold, action) = match (checked, value) {
                    (Some(checked), _) => {
                        let verb = if *checked { "Checked" } else { "Unchecked" };
                        let action = Action::Check {
                            label,
                            checked: *checked,
                        };
                        (format!("{verb} {field}"), FieldFold::Once, action)
                    }
                    (None, Some(value)) => {
                        let n = value.chars().count();
                        let s = if n == 1 { "" } else { "s" };
                        let action = Action::Type {
                            label,
                            value: value.clone(),
                        };
                        (
                            format!("Entered {n} character{s} into {field}"),
                            FieldFold::Going,
                            action,
                        )
                    }
                    (None, None) => continue,
                };
                push(
                    &mut steps,
                    step(t, *page, text, Some(*id), action),
                    Fold::Field(fold),
                );
            }
            DomEvent::Navigation { page, url, .. } => {
                let action = Action::Navigate { url: url.clone() };
                push(
                    &mut steps,
                    step(t, *page, format!("Went to {url}"), None, action),
                    Fold::Never,
                );
            }
            DomEvent::Viewport { page, size, .. } => {
                let text = format!("Resized the window to {} × {}", size.w, size.h);
                let action = Action::Resize {
                    w: size.w,
                    h: size.h,
                };
                push(
                    &mut steps,
                    step(t, *page, text, None, action),
                    Fold::Replace,
                );
            }
            _ => {}
        }
    }
    // Pages and marks after the last event.
    for (index, page) in pages {
        push(&mut steps, page_step(index, page), Fold::Never);
    }
    for mark in marks {
        push(&mut steps, mark_step(mark), Fold::Never);
    }
    steps
}

/// Page `index` opened (the first) or loaded (any later one).
fn page_step(index: usize, page: &Page) -> Step {
    let url = page.url.clone();
    let (verb, action) = if index == 0 {
        ("Opened", Action::Open { url })
    } else {
        ("Loaded", Action::Load { url })
    };
    step(
        page.t,
        index as u32,
        format!("{verb} {}", page.url),
        None,
        action,
    )
}

/// The tester marked an element.
fn mark_step(mark: &Mark) -> Step {
    let text = format!("Marked an element: {}", quoted(&mark.comment));
    let action = Action::Mark {
        comment: mark.comment.clone(),
    };
    step(mark.t, mark.page, text, None, action)
}

fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or_default()
}

/// How a step joins the one before it, when they are alike.
#[derive(Clone, Copy, PartialEq)]
enum Fold {
    /// A separate step, always.
    Never,
    /// What happened to a field (from an input): it also takes the place
    /// of the click on it that came just before.
    Field(FieldFold),
    /// The same action again: counted.
    Repeat,
    /// The same action going on (resizing): the step says where it ended.
    Replace,
}

/// How a field's step joins the one before it.
#[derive(Clone, Copy, PartialEq)]
enum FieldFold {
    /// A box checked or unchecked: a step of its own.
    Once,
    /// Typing going on: the step says how much in the end.
    Going,
}

impl Fold {
    fn is_field(self) -> bool {
        matches!(self, Fold::Field(_))
    }
}
