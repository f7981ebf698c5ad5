//! Structured logs: one JSON object per line on standard error, with the
//! time (UTC), a level, a message, and fields such as the request id.

/// Write one log line.
pub fn event(level: &str, message: &str, fields: serde_json::Value) {
    let mut line = serde_json::json!({
        "ts": crate::dates::utc_millis(crate::store::now_ms()),
        "level": level,
        "msg": message,
    });
    if let (Some(line), serde_json::Value::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    eprintln!("{line}");
}
