//! Frames as text. Most are serialized whole; the two that carry the whole state are assembled
//! around a state encoded once, since a thousand viewers subscribing at once would otherwise
//! encode it a thousand times.

use serde::Serialize;
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tracing::error;

use crate::relay::protocol::ServerFrame;

/// `value` as JSON. Our types always serialize; should one not, the error is logged and the
/// client gets an `error` frame rather than a broken one.
pub fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        error!("a relay frame could not be encoded: {e}");
        r#"{"type":"error","code":"unavailable","message":"the server could not encode this frame"}"#
            .to_string()
    })
}

pub fn encode(frame: &ServerFrame) -> Utf8Bytes {
    json(frame).into()
}

/// A `snapshot` frame around an encoded state.
pub fn snapshot(run: &str, seq: u64, state: &str, reason: Option<&str>) -> Utf8Bytes {
    let reason = reason.map_or_else(String::new, |r| format!(r#","reason":{}"#, json(&r)));
    format!(
        r#"{{"type":"snapshot","run":{},"seq":{seq},"state":{state}{reason}}}"#,
        json(&run)
    )
    .into()
}

/// The `reply` to a `state` request, around an encoded state.
pub fn state_reply(id: u64, run: &str, seq: u64, state: &str) -> Utf8Bytes {
    format!(
        r#"{{"type":"reply","id":{id},"answer":{{"answer":"state","run":{},"seq":{seq},"state":{state}}}}}"#,
        json(&run)
    )
    .into()
}
