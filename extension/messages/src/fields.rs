//! The field names on the wire. JS values are read into the typed messages
//! through `JSON.stringify` with [`TYPED_FIELDS`] as its list of allowed
//! keys, so bulk texts are skipped without a copy; a test checks that every
//! field of every message is listed.

/// Every typed field of every message and answer, `kind` included.
pub const TYPED_FIELDS: &[&str] = &[
    "kind",
    "build",
    "url",
    "title",
    "width",
    "height",
    "dpr",
    "language",
    "userAgent",
    "release",
    "part",
    "parts",
    "error",
    "tab",
    "session",
    "comment",
    "markKind",
    "severity",
    "formUrl",
    "recording",
    "sessionStart",
    "page",
    "policy",
    "ready",
    "stored",
    "held",
    "ok",
    "capture",
    "frame",
    "preRoll",
    "viewportWidth",
    "boxes",
    "masks",
    "images",
];

/// Fields that carry bulk JS strings beside the typed ones: `chunks` (an
/// array of sealed chunks' JSON texts) and `text` (one part of a chunk).
pub const BULK_FIELDS: &[&str] = &["chunks", "text"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;
    use std::collections::HashSet;

    fn keys_of(value: &impl serde::Serialize) -> Vec<String> {
        match serde_json::to_value(value).expect("serializable") {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn every_request() -> Vec<ToBackground> {
        let tab = 7;
        let session = "s".to_string();
        vec![
            ToBackground::Hello(Hello {
                release: Some("1.2".into()),
                ..Hello::default()
            }),
            ToBackground::Chunks,
            ToBackground::ChunkPart { part: 0, parts: 2 },
            ToBackground::RecorderFailed { error: "e".into() },
            ToBackground::RecorderJs,
            ToBackground::Status { tab },
            ToBackground::Start { tab },
            ToBackground::Mark { tab },
            ToBackground::MarkSave(MarkSave::default()),
            ToBackground::MarkCancel,
            ToBackground::Stop { tab },
            ToBackground::Share { tab },
            ToBackground::Retry { tab },
            ToBackground::Discard { tab },
            ToBackground::RetryReport {
                session: session.clone(),
            },
            ToBackground::DiscardReport {
                session: session.clone(),
            },
            ToBackground::RemoveReport { session },
            ToBackground::TabPixels(TabPixels {
                viewport_width: 800.0,
                boxes: vec![[1.0, 2.0, 3.0, 4.0]],
                masks: Vec::new(),
            }),
        ]
    }

    fn every_command() -> Vec<ToRecorder> {
        vec![
            ToRecorder::Stop,
            ToRecorder::Pick {
                form_url: "u".into(),
            },
            ToRecorder::MarkCommit,
            ToRecorder::MarkCancel,
            ToRecorder::FrameChunks {
                frame: 3,
                url: "u".into(),
            },
        ]
    }

    /// A new variant must be added to the samples above: this match stops
    /// compiling until it is, and the count below fails until it is sampled.
    fn variant_count(request: &ToBackground) -> usize {
        match request {
            ToBackground::Hello(_)
            | ToBackground::Chunks
            | ToBackground::ChunkPart { .. }
            | ToBackground::RecorderFailed { .. }
            | ToBackground::RecorderJs
            | ToBackground::Status { .. }
            | ToBackground::Start { .. }
            | ToBackground::Mark { .. }
            | ToBackground::MarkSave(_)
            | ToBackground::MarkCancel
            | ToBackground::Stop { .. }
            | ToBackground::Share { .. }
            | ToBackground::Retry { .. }
            | ToBackground::Discard { .. }
            | ToBackground::RetryReport { .. }
            | ToBackground::DiscardReport { .. }
            | ToBackground::RemoveReport { .. }
            | ToBackground::TabPixels(_) => 18,
        }
    }

    #[test]
    fn every_request_variant_is_sampled() {
        let requests = every_request();
        let distinct: HashSet<_> = requests.iter().map(std::mem::discriminant).collect();
        assert_eq!(distinct.len(), variant_count(&requests[0]));
    }

    #[test]
    fn every_field_on_the_wire_is_listed_and_none_is_bulk() {
        let mut keys = Vec::new();
        for request in every_request() {
            keys.extend(keys_of(&request));
        }
        for command in every_command() {
            keys.extend(keys_of(&command));
        }
        keys.extend(keys_of(&HelloAnswer::default()));
        keys.extend(keys_of(&StatusAnswer::default()));
        keys.extend(keys_of(&StoreAnswer::default()));
        keys.extend(keys_of(&PickAnswer::default()));
        keys.extend(keys_of(&CommitAnswer::default()));
        keys.extend(keys_of(&TabPixelsAnswer::default()));
        for key in keys {
            assert!(TYPED_FIELDS.contains(&key.as_str()), "{key} is not listed");
            assert!(!BULK_FIELDS.contains(&key.as_str()), "{key} is bulk");
        }
    }

    #[test]
    fn requests_round_trip_through_their_wire_form() {
        for request in every_request() {
            let text = serde_json::to_string(&request).expect("serializable");
            let back: ToBackground = serde_json::from_str(&text).expect(&text);
            assert_eq!(back, request);
        }
        for command in every_command() {
            let text = serde_json::to_string(&command).expect("serializable");
            let back: ToRecorder = serde_json::from_str(&text).expect(&text);
            assert_eq!(back, command);
        }
    }

    #[test]
    fn the_wire_form_is_the_loaders_form() {
        let text = serde_json::to_string(&ToBackground::RetryReport {
            session: "abc".into(),
        })
        .expect("serializable");
        assert_eq!(text, r#"{"kind":"retry-report","session":"abc"}"#);
        let pick = serde_json::to_string(&ToRecorder::Pick {
            form_url: "x".into(),
        })
        .expect("serializable");
        assert_eq!(pick, r#"{"kind":"pick","formUrl":"x"}"#);
        let hello: ToBackground =
            serde_json::from_str(r#"{"kind":"hello","userAgent":"UA","width":800}"#)
                .expect("hello");
        assert_eq!(
            hello,
            ToBackground::Hello(Hello {
                user_agent: "UA".into(),
                width: 800.0,
                ..Hello::default()
            })
        );
    }

    #[test]
    fn a_misspelt_kind_is_refused() {
        assert!(serde_json::from_str::<ToBackground>(r#"{"kind":"shar","tab":1}"#).is_err());
        assert!(serde_json::from_str::<ToBackground>(r#"{"tab":1}"#).is_err());
    }
}
