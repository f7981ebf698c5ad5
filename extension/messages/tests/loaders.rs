//! The few-line JS loaders send messages too. Every `kind: '…'` they send
//! to the background and every `__repro: '…'` signal on the page's window
//! must be one this crate knows, or the Rust side would drop it silently.

use repro_extension_messages::{
    ToBackground, WindowSignal, HISTORY_CHANGED_EVENT, SCRIPT_SET_VALUE_EVENT,
    SHADOW_ATTACHED_EVENT, STYLE_RULES_CHANGED_EVENT, WINDOW_SIGNAL_KEY,
};

/// Every `'…'` literal that follows `key: ` or `key === ` in `source`.
fn literals_after(source: &str, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in [
        format!("{key}: '"),
        format!("{key} === '"),
        format!("{key} !== '"),
    ] {
        let mut rest = source;
        while let Some(at) = rest.find(&marker) {
            rest = &rest[at + marker.len()..];
            if let Some(end) = rest.find('\'') {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

fn loader(name: &str) -> String {
    let path = format!("{}/../static/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_content_loader_sends_known_kinds() {
    let source = loader("content.js");
    let kinds = literals_after(&source, "kind");
    assert!(
        kinds.len() >= 2,
        "the loader's messages were not found: {kinds:?}"
    );
    for kind in kinds {
        let message = format!(r#"{{"kind":"{kind}","error":""}}"#);
        assert!(
            serde_json::from_str::<ToBackground>(&message).is_ok(),
            "content.js sends '{kind}', which the background does not know"
        );
    }
}

#[test]
fn the_page_hook_uses_known_window_signals() {
    let source = loader("page-hook.js");
    let signals = literals_after(&source, &format!("data.{WINDOW_SIGNAL_KEY}"))
        .into_iter()
        .chain(literals_after(&source, WINDOW_SIGNAL_KEY))
        .collect::<Vec<_>>();
    assert!(
        signals.len() >= 3,
        "the hook's signals were not found: {signals:?}"
    );
    for signal in signals {
        assert!(
            WindowSignal::parse(&signal).is_some(),
            "page-hook.js uses '{signal}', which the recorder does not know"
        );
    }
}

#[test]
fn the_page_hook_fires_the_event_the_recorder_listens_for() {
    let source = loader("page-hook.js");
    for event in [
        SCRIPT_SET_VALUE_EVENT,
        STYLE_RULES_CHANGED_EVENT,
        SHADOW_ATTACHED_EVENT,
        HISTORY_CHANGED_EVENT,
    ] {
        assert!(
            source.contains(&format!("'{event}'")),
            "page-hook.js does not fire {event}"
        );
    }
}
