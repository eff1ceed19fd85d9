//! Answers to `request` frames. Commands go through the engine's gate as the token's holder; the
//! journal is read from a `Reader` on a blocking thread, never through the engine's task.

use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::Shared;
use super::frames;
use super::tokens::Token;
use crate::api::{Command, Origin, OriginKind};
use crate::relay::protocol::{Answer, ErrorCode, JournalKind, Request, ServerFrame};
use crate::store::{JournalError, Reader};

/// The most journal entries one `journal` request returns; `next` pages on.
pub const MAX_JOURNAL: usize = 1000;
/// Entries returned when a `journal` request names no limit.
pub const DEFAULT_JOURNAL: usize = 100;
/// The most log lines one `log` request returns.
pub const MAX_LOG: usize = 5000;

fn reply(id: u64, answer: Answer) -> Utf8Bytes {
    frames::encode(&ServerFrame::Reply { id, answer })
}

fn unavailable() -> Answer {
    Answer::Error {
        code: ErrorCode::Unavailable,
        message: "the engine has stopped".into(),
    }
}

fn journal_error(e: impl std::fmt::Display) -> Answer {
    Answer::Error {
        code: ErrorCode::Journal,
        message: format!("the journal could not be read: {e}"),
    }
}

/// The `reply` frame for request `id` from the holder of `token`.
pub async fn answer(shared: &Shared, token: &Token, id: u64, request: Request) -> Utf8Bytes {
    match request {
        Request::State => {
            let (seq, state) = shared.hub.state();
            frames::state_reply(id, shared.hub.run(), seq, &state)
        }
        Request::Command { action } => {
            // Whatever the role: a viewer's command is refused, and audited, by the gate itself.
            let command = Command {
                origin: Origin {
                    kind: OriginKind::Relay,
                    who: token.name.clone(),
                    role: token.role,
                },
                action,
            };
            match shared.engine.command(command).await {
                Ok(reply_) => reply(id, Answer::Command { reply: reply_ }),
                Err(_) => reply(id, unavailable()),
            }
        }
        Request::Story { signal } => {
            let reader = shared.reader.clone();
            let read = tokio::task::spawn_blocking(move || reader.story(signal)).await;
            reply(
                id,
                match read {
                    Ok(Ok(steps)) => Answer::Story { steps },
                    Ok(Err(e)) => journal_error(e),
                    Err(e) => journal_error(e),
                },
            )
        }
        Request::Journal { kind, since, limit } => {
            let reader = shared.reader.clone();
            let limit = limit.unwrap_or(DEFAULT_JOURNAL).clamp(1, MAX_JOURNAL);
            let read =
                tokio::task::spawn_blocking(move || journal_page(&reader, kind, since, limit))
                    .await;
            reply(
                id,
                match read {
                    Ok(Ok((entries, next))) => Answer::Journal { entries, next },
                    Ok(Err(e)) => journal_error(e),
                    Err(e) => journal_error(e),
                },
            )
        }
        Request::Log { lines } => reply(
            id,
            Answer::Log {
                lines: shared
                    .logs
                    .recent(lines.min(MAX_LOG), tracing::Level::TRACE),
            },
        ),
    }
}

/// Up to `limit` entries of one journal from seq `since`, and the seq to ask from for more.
fn journal_page(
    reader: &Reader,
    kind: JournalKind,
    since: u64,
    limit: usize,
) -> Result<(Vec<serde_json::Value>, Option<u64>), JournalError> {
    fn page<T: serde::Serialize>(
        entries: impl Iterator<Item = Result<T, JournalError>>,
        limit: usize,
    ) -> Result<(Vec<serde_json::Value>, Option<u64>), JournalError> {
        let mut out = Vec::new();
        // One entry past the page says whether there is more, and from where.
        for entry in entries.take(limit + 1) {
            let value = serde_json::to_value(entry?).unwrap_or(serde_json::Value::Null);
            out.push(value);
        }
        let next = if out.len() > limit {
            out.pop()
                .and_then(|v| v.get("seq").and_then(serde_json::Value::as_u64))
        } else {
            None
        };
        Ok((out, next))
    }
    match kind {
        JournalKind::Signals => page(reader.signals(since), limit),
        JournalKind::Orders => page(reader.orders(since), limit),
        JournalKind::Audit => page(reader.audit(since), limit),
        JournalKind::Decisions => page(reader.decisions(since), limit),
    }
}
