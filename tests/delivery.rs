//! Deliveries: a source that confirms messages upstream (Telegram's update offset) hands the
//! engine a batch and its place after it; the engine journals both together before answering.
//! And versions a source does not count (Telegram gives an edit date, not an edit number) are
//! numbered from the journal, so the count survives restarts and a version sent again is dropped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use scripted::{raw, start};
use signalos::api::RawMessage;
use signalos::model::SignalRecord;
use signalos::store::Journal;

const CURSOR: &str = "telegram:42";

fn journaled(dir: &std::path::Path) -> Vec<SignalRecord> {
    let journal = Journal::open(dir).unwrap();
    journal.signals(1).map(Result::unwrap).collect()
}

/// Version of message `id` made at `at` (ms), as Telegram reports an edit.
fn edited(id: i64, at: i64, text: &str) -> RawMessage {
    RawMessage {
        edited_at: Some(at),
        ..raw(id, text)
    }
}

#[tokio::test]
async fn a_delivery_is_journaled_with_its_cursor_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path()).await;
    assert_eq!(s.engine.cursor(CURSOR).await.unwrap(), None);
    let batch = vec![raw(1, "good morning traders"), raw(2, "gold looks strong")];
    s.engine
        .deliver(batch.clone(), Some((CURSOR.into(), 101)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.engine.cursor(CURSOR).await.unwrap(), Some(101));
    // The same batch again (Telegram sends what was not confirmed): nothing twice.
    s.engine
        .deliver(batch, Some((CURSOR.into(), 101)))
        .await
        .unwrap()
        .unwrap();
    // A batch with no cursor (no place to save) is still journaled before the answer.
    s.engine
        .deliver(vec![raw(3, "tp1 hit")], None)
        .await
        .unwrap()
        .unwrap();
    s.stop().await;
    let ids: Vec<i64> = journaled(dir.path()).iter().map(|r| r.msg_id).collect();
    assert_eq!(ids, [1, 2, 3]);

    let s = start(dir.path()).await;
    assert_eq!(s.engine.cursor(CURSOR).await.unwrap(), Some(101));
    assert_eq!(s.engine.cursor("telegram:7").await.unwrap(), None);
    s.stop().await;
}

#[tokio::test]
async fn edits_are_numbered_from_the_journal_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path()).await;
    let deliver = |m: RawMessage| {
        let engine = s.engine.clone();
        async move { engine.deliver(vec![m], None).await.unwrap().unwrap() }
    };
    deliver(raw(5, "XAUUSD buy zone soon")).await;
    deliver(edited(5, 1_000, "XAUUSD buy zone soon, stay tuned")).await;
    // Sent again with the same date and words: already journaled.
    deliver(edited(5, 1_000, "XAUUSD buy zone soon, stay tuned")).await;
    // A later edit that changes no words (formatting, a picture): nothing new.
    deliver(edited(5, 2_000, "XAUUSD buy zone soon, stay tuned")).await;
    deliver(edited(5, 3_000, "XAUUSD buy zone soon, get ready")).await;
    // Another message's first edit starts its own count, even when its original was never seen.
    deliver(edited(6, 3_500, "EURUSD later")).await;
    s.stop().await;

    let s = start(dir.path()).await;
    s.engine
        .deliver(vec![edited(5, 4_000, "XAUUSD buy zone now")], None)
        .await
        .unwrap()
        .unwrap();
    s.stop().await;

    let versions: Vec<(i64, u32, Option<i64>, String)> = journaled(dir.path())
        .into_iter()
        .map(|r| (r.msg_id, r.edit, r.edited_at, r.text))
        .collect();
    assert_eq!(
        versions,
        [
            (5, 0, None, "XAUUSD buy zone soon".to_string()),
            (5, 1, Some(1_000), "XAUUSD buy zone soon, stay tuned".into()),
            (5, 2, Some(3_000), "XAUUSD buy zone soon, get ready".into()),
            (6, 1, Some(3_500), "EURUSD later".into()),
            (5, 3, Some(4_000), "XAUUSD buy zone now".into()),
        ]
    );
}
