//! Mark saves in progress, per tab: a Stop waits for them, so that a mark
//! saved just before Stop is in the report. Kept apart from the marks'
//! handlers so that the background's Stop can wait without depending on them.

use std::cell::RefCell;

use wasm_bindgen::JsCast;

/// Resolve after `ms` milliseconds (the worker's timer).
pub(super) async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = global.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

thread_local! {
    /// The tabs whose marks are being saved (a tab once per save).
    static SAVING: RefCell<Vec<i64>> = const { RefCell::new(Vec::new()) };
}

/// A mark save in progress in a tab, from the tester's Save until the mark
/// is stored or has failed.
pub(super) struct SaveInProgress(i64);

impl SaveInProgress {
    pub(super) fn begin(tab: i64) -> Self {
        SAVING.with(|saving| saving.borrow_mut().push(tab));
        SaveInProgress(tab)
    }
}

impl Drop for SaveInProgress {
    fn drop(&mut self) {
        SAVING.with(|saving| {
            let mut saving = saving.borrow_mut();
            if let Some(at) = saving.iter().position(|&tab| tab == self.0) {
                saving.swap_remove(at);
            }
        });
    }
}

/// How long a Stop waits for marks still being saved in its tab.
const SAVE_WAIT_MS: i32 = 10_000;

/// Wait until no mark of `tab` is being saved (or [`SAVE_WAIT_MS`] has
/// passed): a Stop pressed right after Save must not leave the mark out.
/// The form closes before the mark is stored (the screenshot is taken
/// without it), so a quick tester can press Stop in between.
pub(super) async fn saves_done(tab: i64) {
    const STEP_MS: i32 = 50;
    let saving = || SAVING.with(|saving| saving.borrow().contains(&tab));
    let mut waited = 0;
    while saving() && waited < SAVE_WAIT_MS {
        sleep(STEP_MS).await;
        waited += STEP_MS;
    }
}
