//! The page window's own messages (`window.postMessage`) between the page
//! hook, in the page's world, and the recorder, in the extension's
//! isolated world. They are tagged under [`WINDOW_SIGNAL_KEY`] rather
//! than `kind`, so that a page's own messages are never taken for them.

/// The DOM event the page hook fires on a form control whose value or
/// checkedness a script set (`input.value = …` fires no event of its own),
/// once per control and task; the recorder records it like an `input`.
pub const SCRIPT_SET_VALUE_EVENT: &str = "repro:script-set-value";

/// The DOM event the page hook fires on a `<style>` element whose sheet a
/// script changed through the CSS object model (`insertRule`,
/// `deleteRule`: CSS-in-JS libraries add their rules so, with no text and
/// no mutation), once per element and task.
pub const STYLE_RULES_CHANGED_EVENT: &str = "repro:style-rules-changed";

/// The DOM event the page hook fires on an element a script attached a
/// shadow root to (`attachShadow`, open or closed: the attachment makes no
/// mutation record), composed so that it reaches the document.
pub const SHADOW_ATTACHED_EVENT: &str = "repro:shadow-attached";

/// The DOM event the page hook fires on the document after a script
/// changed the page's address (`history.pushState`, `replaceState`: a
/// single-page app's router), which fires no event of its own.
pub const HISTORY_CHANGED_EVENT: &str = "repro:history-changed";

/// The DOM event the recorder fires on a shadow root (or the document) to
/// ask the page hook for the texts scripts gave its adopted, constructed
/// sheets (`replace`, `replaceSync`). Chromium writes some rules back
/// wrong: a shorthand holding `var()` whose longhand is then set apart
/// (`border: solid var(--w); border-top-width: 3px`) serializes its other
/// longhands empty, so the rules alone would replay without them.
pub const SHEET_TEXTS_ASKED_EVENT: &str = "repro:sheet-texts-asked";

/// The hook's answer, fired on the same root at once: a `CustomEvent`
/// whose `detail` is a JSON array with, for each of the root's adopted
/// sheets in order, the text a script gave it, or `null` (none, or
/// changed since by `insertRule`/`deleteRule`).
pub const SHEET_TEXTS_EVENT: &str = "repro:sheet-texts";

/// The DOM event the page hook fires on a shadow root or a document whose
/// adopted stylesheets changed (`adoptedStyleSheets` set, or one of its
/// constructed sheets replaced or given or rid of a rule), which changes no
/// node; once per root and task.
pub const ADOPTED_SHEETS_CHANGED_EVENT: &str = "repro:adopted-sheets-changed";

/// The property that carries a [`WindowSignal`]'s name.
pub const WINDOW_SIGNAL_KEY: &str = "__repro";

/// A message on the page's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSignal {
    /// A batch of the hook's console and network entries (in `batch`).
    Hook,
    /// The recorder listens: the hook sends its pre-roll and then live.
    RecorderReady,
    /// The recorder stopped: the hook keeps a pre-roll again.
    RecorderStopped,
    /// The hook has just started in this window (it may have come after a
    /// recorder listening there said it was ready, as in a frame of the
    /// page's origin, which the page's recorder records): a recorder that
    /// listens says so again.
    HookHere,
    /// Posted by the recorder of a frame of another origin to its parent
    /// window, with its frame id in `frame`: the message's source tells
    /// the parent's recorder which frame element shows that frame.
    FrameHere,
}

impl WindowSignal {
    /// Every signal.
    pub const ALL: [WindowSignal; 5] = [
        WindowSignal::Hook,
        WindowSignal::RecorderReady,
        WindowSignal::RecorderStopped,
        WindowSignal::HookHere,
        WindowSignal::FrameHere,
    ];

    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            WindowSignal::Hook => "hook",
            WindowSignal::RecorderReady => "recorder-ready",
            WindowSignal::RecorderStopped => "recorder-stopped",
            WindowSignal::HookHere => "hook-here",
            WindowSignal::FrameHere => "frame-here",
        }
    }

    /// The signal called `name`, if there is one.
    pub fn parse(name: &str) -> Option<WindowSignal> {
        WindowSignal::ALL.into_iter().find(|s| s.name() == name)
    }
}
