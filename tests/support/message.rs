//! Raw messages as a source hands them to the engine. Include it with
//! `#[path = "support/message.rs"] mod message;`.

#![allow(dead_code)]

use signalos::api::RawMessage;
use signalos::model::now_millis;

/// Message `id` of the test chat, just received.
pub fn raw(id: i64, text: &str) -> RawMessage {
    RawMessage {
        source: "test".into(),
        chat: "vip".into(),
        id,
        text: text.into(),
        reply_to: None,
        edit: 0,
        received_at: now_millis(),
        sent_at: None,
        edited_at: None,
    }
}
