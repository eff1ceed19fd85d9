//! Every message the bot sends, replies and notifications alike: queued per chat, paced within
//! Telegram's limits, joined into one message under a burst, retried, and logged as an error when
//! it cannot be sent. Queuing never waits, so neither the engine's subscriber nor the copilot is
//! ever held up by Telegram.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::{Mutex, mpsc};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tracing::{error, warn};

use super::Timing;
// The poller's: one way of keeping the token out of every log.
use crate::sources::telegram::{chain, redact};

/// Telegram's limit on one message, in UTF-16 code units (how it counts characters).
pub const MESSAGE_LIMIT: usize = 4096;

/// Texts waiting for one chat beyond which the oldest are given up (and logged): a chat
/// Telegram refuses for hours must not hold the process's memory.
const MAX_PENDING: usize = 500;

/// Between two texts joined into one message.
const JOINT: &str = "\n\n";

/// A cheap, cloneable way to queue messages.
#[derive(Clone)]
pub struct Outbox {
    queue: mpsc::UnboundedSender<(i64, String)>,
    sender: Arc<Sender>,
}

impl Outbox {
    /// The outbox and its task, which ends once every `Outbox` is dropped and all is sent.
    pub fn start(bot: Bot, token: String, timing: &Timing) -> (Outbox, JoinHandle<()>) {
        let (queue, rx) = mpsc::unbounded_channel();
        let sender = Arc::new(Sender {
            bot,
            token,
            attempts: timing.attempts,
            backoff: timing.backoff,
            global_gap: timing.global_gap,
            next_global: Mutex::new(Instant::now()),
        });
        let task = tokio::spawn(dispatch(rx, sender.clone(), timing.per_chat_gap));
        (Outbox { queue, sender }, task)
    }

    /// Queue `text` for `chat`. Never waits.
    pub fn send(&self, chat: i64, text: String) {
        if let Err(mpsc::error::SendError((chat, text))) = self.queue.send((chat, text)) {
            error!(
                chat,
                "the outbox has stopped; message to chat {chat} lost: {text}"
            );
        }
    }

    /// Make a Bot API call other than a message (`setMyCommands`) with the same retries.
    pub async fn call<T, F, Fut>(&self, what: &str, call: F) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        self.sender.with_retries(what, call).await
    }
}

/// Hands each text to its chat's worker, starting one for a chat not seen yet. The workers are
/// held in a set, so that stopping this task stops them too.
async fn dispatch(
    mut rx: mpsc::UnboundedReceiver<(i64, String)>,
    sender: Arc<Sender>,
    per_chat_gap: Duration,
) {
    let mut chats: HashMap<i64, mpsc::UnboundedSender<String>> = HashMap::new();
    let mut workers = JoinSet::new();
    while let Some((chat, text)) = rx.recv().await {
        let queue = chats.entry(chat).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            workers.spawn(chat_worker(chat, rx, sender.clone(), per_chat_gap));
            tx
        });
        // The worker only stops when its sender is dropped, which happens below, never here.
        let _ = queue.send(text);
    }
    drop(chats);
    while workers.join_next().await.is_some() {}
}

/// One chat's messages, one at a time and at most one per `gap`: whatever arrives while it
/// waits is joined into the next message.
async fn chat_worker(
    chat: i64,
    mut rx: mpsc::UnboundedReceiver<String>,
    sender: Arc<Sender>,
    gap: Duration,
) {
    let mut unsent = Unsent {
        chat,
        pending: VecDeque::new(),
        sending: None,
    };
    let pending = &mut unsent.pending;
    let mut next_send = Instant::now();
    loop {
        if pending.is_empty() {
            match rx.recv().await {
                Some(text) => pending.push_back(text),
                None => return,
            }
        }
        tokio::time::sleep_until(next_send).await;
        while let Ok(text) = rx.try_recv() {
            pending.push_back(text);
        }
        while pending.len() > MAX_PENDING {
            if let Some(lost) = pending.pop_front() {
                error!(
                    chat,
                    "more than {MAX_PENDING} messages wait for chat {chat}; the oldest is given up: {lost}"
                );
            }
        }
        let text = take_batch(pending, MESSAGE_LIMIT);
        // Telegram refuses a blank message; there is nothing in it to lose.
        if text.trim().is_empty() {
            continue;
        }
        sender.global_slot().await;
        let what = format!("the message to chat {chat}");
        unsent.sending = Some(text.clone());
        let sent = sender
            .with_retries(&what, || {
                sender.bot.send_message(ChatId(chat), text.clone()).send()
            })
            .await;
        unsent.sending = None;
        if sent.is_none() {
            error!(chat, "message to chat {chat} lost: {text}");
        }
        next_send = Instant::now() + gap;
    }
}

/// A chat's texts not sent yet. Any still here when the worker is stopped (SignalOS stopping
/// before they could go) are logged as lost: never dropped silently.
struct Unsent {
    chat: i64,
    pending: VecDeque<String>,
    /// The text being sent: lost too if the worker stops before Telegram answers.
    sending: Option<String>,
}

impl Drop for Unsent {
    fn drop(&mut self) {
        let chat = self.chat;
        for text in self
            .sending
            .take()
            .into_iter()
            .chain(self.pending.drain(..))
        {
            error!(
                chat,
                "message to chat {chat} not sent before SignalOS stopped: {text}"
            );
        }
    }
}

/// What makes the calls, with the pacing shared by every chat.
struct Sender {
    bot: Bot,
    /// Redacted from every error logged: a network error's text holds the URL, token included.
    token: String,
    attempts: u32,
    backoff: Duration,
    global_gap: Duration,
    next_global: Mutex<Instant>,
}

/// What to do after a failed call.
#[derive(Debug, PartialEq)]
enum Retry {
    /// Telegram said when (a 429): exactly then.
    After(Duration),
    /// A network error or a server's: later, each time later.
    Backoff,
    /// Telegram refused it for good (chat not found, bot blocked …): trying again changes nothing.
    Never,
}

fn retry_of(error: &RequestError) -> Retry {
    match error {
        RequestError::RetryAfter(secs) => Retry::After(secs.duration()),
        // teloxide reads every answer the same way, and a 5xx's description is none it knows.
        RequestError::Api(ApiError::Unknown(_))
        | RequestError::Network(_)
        | RequestError::Io(_)
        | RequestError::InvalidJson { .. } => Retry::Backoff,
        RequestError::Api(_) | RequestError::MigrateToChatId(_) => Retry::Never,
    }
}

impl Sender {
    /// Wait for a turn under the overall limit (Telegram allows about 30 messages a second).
    async fn global_slot(&self) {
        let at = {
            let mut next = self.next_global.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.global_gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// `call` until it succeeds or `attempts` are spent; `None` (logged) when it never did.
    async fn with_retries<T, F, Fut>(&self, what: &str, mut call: F) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, RequestError>>,
    {
        let mut backoff = self.backoff;
        for attempt in 1..=self.attempts {
            let error = match call().await {
                Ok(answer) => return Some(answer),
                Err(error) => error,
            };
            let why = redact(&chain(&error), &self.token);
            let wait = match retry_of(&error) {
                Retry::Never => {
                    let hint = match error {
                        RequestError::MigrateToChatId(to) => {
                            format!(" (the group is now the supergroup {to}: use that id)")
                        }
                        _ => String::new(),
                    };
                    error!("{what} was refused by Telegram: {why}{hint}");
                    return None;
                }
                Retry::After(wait) => wait,
                Retry::Backoff => {
                    let wait = backoff;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    wait
                }
            };
            if attempt == self.attempts {
                error!("{what} failed {attempt} times, giving up: {why}");
                return None;
            }
            warn!("{what} failed (attempt {attempt}): {why}; again in {wait:?}");
            tokio::time::sleep(wait).await;
        }
        None
    }
}

/// Length as Telegram counts it.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The next message: as many waiting texts, oldest first, as fit in `limit` together; a text
/// longer than `limit` alone is split, at a line break where there is one.
fn take_batch(pending: &mut VecDeque<String>, limit: usize) -> String {
    let mut out = String::new();
    while let Some(next) = pending.front_mut() {
        let joint = if out.is_empty() { 0 } else { units(JOINT) };
        if units(&out) + joint + units(next) <= limit {
            if !out.is_empty() {
                out.push_str(JOINT);
            }
            out.push_str(next);
            pending.pop_front();
        } else {
            if out.is_empty() {
                let cut = cut_at(next, limit);
                out = next[..cut].trim_end().to_string();
                *next = next[cut..].trim_start().to_string();
            }
            break;
        }
    }
    out
}

/// The byte index where the first `limit` units of `text` end: after its last line break there
/// when there is one, else at the last whole character.
fn cut_at(text: &str, limit: usize) -> usize {
    let mut used = 0;
    let mut end = 0;
    let mut line_end = None;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > limit {
            break;
        }
        end = i + c.len_utf8();
        if c == '\n' {
            line_end = Some(end);
        }
    }
    line_end.unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_texts_join_into_one_message_within_the_limit() {
        let mut pending: VecDeque<String> = ["one", "two", "three"].map(String::from).into();
        assert_eq!(take_batch(&mut pending, 11), "one\n\ntwo");
        assert_eq!(take_batch(&mut pending, 11), "three");
        assert!(pending.is_empty());
    }

    #[test]
    fn a_text_too_long_for_one_message_is_split_at_a_line() {
        let long = format!("{}\n{}", "a".repeat(3000), "b".repeat(3000));
        let mut pending: VecDeque<String> = [long, "next".to_string()].into();
        assert!(take_batch(&mut pending, MESSAGE_LIMIT) == "a".repeat(3000));
        // The rest of it is a text like any other: the next one joins it.
        assert!(take_batch(&mut pending, MESSAGE_LIMIT) == format!("{}\n\nnext", "b".repeat(3000)));
        assert!(pending.is_empty());
    }

    #[test]
    fn a_line_too_long_is_cut_on_a_character() {
        // Each of these is two UTF-16 units: Telegram's count, not the characters'.
        let mut pending: VecDeque<String> = ["😀".repeat(3000)].into();
        let first = take_batch(&mut pending, MESSAGE_LIMIT);
        assert_eq!(units(&first), MESSAGE_LIMIT);
        let rest = take_batch(&mut pending, MESSAGE_LIMIT);
        assert_eq!(first.chars().count() + rest.chars().count(), 3000);
    }

    /// What the tracing events of this thread write.
    #[derive(Clone, Default)]
    struct Logs(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Logs {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_message_that_cannot_be_sent_is_logged_as_lost_without_the_token() {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        // A port nothing listens on: every attempt is a network error, whose text has the URL.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let token = "999:very-secret";
        let url = url::Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a URL");
        let timing = Timing {
            attempts: 2,
            backoff: Duration::from_millis(10),
            ..Timing::default()
        };
        let (outbox, task) = Outbox::start(Bot::new(token).set_api_url(url), token.into(), &timing);
        outbox.send(42, "HALTED — emergency stop".into());
        drop(outbox);
        task.await.expect("the outbox ends once all is tried");
        let text =
            String::from_utf8_lossy(&logs.0.lock().unwrap_or_else(|p| p.into_inner())).to_string();
        assert!(text.contains("failed 2 times, giving up"), "{text}");
        assert!(
            text.contains("message to chat 42 lost: HALTED — emergency stop"),
            "{text}"
        );
        assert!(text.contains("Connection refused"), "why, in full: {text}");
        assert!(!text.contains("very-secret"), "{text}");
    }

    #[test]
    fn a_429_waits_what_telegram_says_and_a_refusal_is_final() {
        use teloxide::types::Seconds;
        assert_eq!(
            retry_of(&RequestError::RetryAfter(Seconds::from_seconds(7))),
            Retry::After(Duration::from_secs(7))
        );
        assert_eq!(
            retry_of(&RequestError::Api(ApiError::Unknown("Bad Gateway".into()))),
            Retry::Backoff
        );
        assert_eq!(
            retry_of(&RequestError::Api(ApiError::BotBlocked)),
            Retry::Never
        );
    }
}
