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
            max_backoff: timing.max_backoff.max(timing.backoff),
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
/// waits is joined into the next message. A message Telegram cannot take yet (a network error,
/// a server's, a 429) goes back to the front of the queue and is tried again, without a limit:
/// only [`MAX_PENDING`] bounds what waits. One Telegram refuses for good is given up at once.
async fn chat_worker(
    chat: i64,
    mut rx: mpsc::UnboundedReceiver<String>,
    sender: Arc<Sender>,
    gap: Duration,
) {
    let mut unsent = Unsent {
        chat,
        pending: VecDeque::new(),
        sending: Vec::new(),
    };
    let pending = &mut unsent.pending;
    let mut next_send = Instant::now();
    let mut backoff = sender.backoff;
    // Tries of the message at the front against an error that may not heal.
    let mut tries = 0;
    // Whether the chat's refusal (and what to do about it) was logged: once, until it heals.
    let mut refusal_told = false;
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
        let parts = take_batch(pending, MESSAGE_LIMIT);
        let text = parts.join(JOINT);
        // Telegram refuses a blank message; there is nothing in it to lose.
        if text.trim().is_empty() {
            continue;
        }
        sender.global_slot().await;
        unsent.sending = parts;
        let sent = sender.bot.send_message(ChatId(chat), text).send().await;
        let parts = std::mem::take(&mut unsent.sending);
        let error = match sent {
            Ok(_) => {
                backoff = sender.backoff;
                tries = 0;
                refusal_told = false;
                next_send = Instant::now() + gap;
                continue;
            }
            Err(error) => error,
        };
        let why = sender.why(&error);
        let wait = match retry_of(&error) {
            Retry::Never => {
                if !refusal_told {
                    error!(
                        chat,
                        "Telegram refuses messages to chat {chat}: {why}. To fix it: {}. Until then each message to it is given up (and logged).",
                        remedy(&error)
                    );
                    refusal_told = true;
                }
                lost(chat, &parts, "refused by Telegram");
                tries = 0;
                next_send = Instant::now() + gap;
                continue;
            }
            Retry::Limited => {
                tries += 1;
                if tries >= sender.attempts {
                    error!(
                        chat,
                        "the message to chat {chat} failed {tries} times, giving up: {why}"
                    );
                    lost(chat, &parts, "given up");
                    tries = 0;
                    next_send = Instant::now() + gap;
                    continue;
                }
                sender.next_backoff(&mut backoff)
            }
            Retry::After(wait) => wait,
            Retry::Backoff => sender.next_backoff(&mut backoff),
        };
        let waiting = parts.len() + pending.len();
        for part in parts.into_iter().rev() {
            pending.push_front(part);
        }
        warn!(
            chat,
            "the message to chat {chat} failed: {why}; again in {wait:?} ({waiting} text(s) waiting)"
        );
        next_send = Instant::now() + wait;
    }
}

/// Log each text of a message given up, whole: a message joins several, and each one is news.
fn lost(chat: i64, parts: &[String], how: &str) {
    let n = parts.len();
    for (i, text) in parts.iter().enumerate() {
        if n == 1 {
            error!(chat, "message to chat {chat} lost ({how}): {text}");
        } else {
            error!(
                chat,
                "message to chat {chat} lost ({how}), part {} of {n}: {text}",
                i + 1
            );
        }
    }
}

/// A chat's texts not sent yet. Any still here when the worker is stopped (SignalOS stopping
/// before they could go) are logged as lost: never dropped silently.
struct Unsent {
    chat: i64,
    pending: VecDeque<String>,
    /// The texts being sent: lost too if the worker stops before Telegram answers.
    sending: Vec<String>,
}

impl Drop for Unsent {
    fn drop(&mut self) {
        let chat = self.chat;
        for text in self.sending.drain(..).chain(self.pending.drain(..)) {
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
    max_backoff: Duration,
    global_gap: Duration,
    next_global: Mutex<Instant>,
}

/// What to do after a failed call.
#[derive(Debug, PartialEq)]
enum Retry {
    /// Telegram said when (a 429): exactly then, however often.
    After(Duration),
    /// A network error or a server's (5xx): later, each time later up to a cap, until it heals.
    Backoff,
    /// An error that may not heal (a bad request Telegram does not name): a few tries.
    Limited,
    /// Telegram refused it for good (chat not found, bot blocked …): trying again changes nothing.
    Never,
}

/// What Telegram's description starts with when it refuses a request, not the server failing.
const REFUSALS: &[&str] = &["bad request", "forbidden", "unauthorized", "not found"];

fn retry_of(error: &RequestError) -> Retry {
    match error {
        RequestError::RetryAfter(secs) => Retry::After(secs.duration()),
        // teloxide reads every answer the same way: a 5xx's description ("Bad Gateway") is one
        // it does not know, and so is a refusal newer than it ("Forbidden: bot can't initiate
        // conversation with a user").
        RequestError::Api(ApiError::Unknown(description)) => {
            let lower = description.to_lowercase();
            if known_remedy(&lower).is_some() {
                Retry::Never
            } else if REFUSALS.iter().any(|r| lower.starts_with(r)) {
                Retry::Limited
            } else {
                Retry::Backoff
            }
        }
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            Retry::Backoff
        }
        RequestError::Api(_) | RequestError::MigrateToChatId(_) => Retry::Never,
    }
}

/// What to do about a refusal whose description (lower case) says what it is.
fn known_remedy(description: &str) -> Option<&'static str> {
    let has = |words: &[&str]| words.iter().any(|w| description.contains(w));
    Some(if has(&["can't initiate conversation"]) {
        "send /start to the bot from that account (it is in telegram.notify_chats or telegram.operators); a bot may not write first"
    } else if has(&["bot was blocked"]) {
        "unblock the bot in that account and send it /start"
    } else if has(&["user is deactivated"]) {
        "that account is deleted: take its id out of telegram.notify_chats"
    } else if has(&["chat not found", "user not found", "peer_id_invalid"]) {
        "the chat id in telegram.notify_chats (or operators) is wrong, or the bot was never in that chat: check the id"
    } else if has(&["kicked", "not a member", "rights", "chat_write_forbidden"]) {
        "add the bot back to that chat, allowed to post"
    } else {
        return None;
    })
}

/// What to do about a refusal, for the log.
fn remedy(error: &RequestError) -> String {
    match error {
        RequestError::MigrateToChatId(to) => {
            format!("the group is now the supergroup {to}: put that id in telegram.notify_chats")
        }
        RequestError::Api(ApiError::InvalidToken) => {
            "the bot token (telegram.token) is wrong or revoked".into()
        }
        RequestError::Api(api) => {
            let description = match api {
                ApiError::Unknown(d) => d.to_lowercase(),
                other => other.to_string().to_lowercase(),
            };
            known_remedy(&description)
                .unwrap_or("check that chat's id in telegram.notify_chats and that the bot may write there")
                .into()
        }
        _ => "none known".into(),
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

    /// The wait before the next try, and the one after it (doubled, capped).
    fn next_backoff(&self, backoff: &mut Duration) -> Duration {
        let wait = *backoff;
        *backoff = (*backoff * 2).min(self.max_backoff);
        wait
    }

    /// An error in words, without the token.
    fn why(&self, error: &RequestError) -> String {
        let text = match error {
            RequestError::Api(ApiError::Unknown(description)) => {
                format!("Telegram answered “{description}”")
            }
            RequestError::Api(api) => format!("Telegram answered “{api}”"),
            RequestError::RetryAfter(secs) => format!(
                "Telegram asks to slow down (429), for {} s",
                secs.duration().as_secs()
            ),
            RequestError::MigrateToChatId(to) => {
                format!("Telegram answered that the group is now the supergroup {to}")
            }
            other => chain(other),
        };
        redact(&text, &self.token)
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
            let why = self.why(&error);
            let wait = match retry_of(&error) {
                Retry::Never => {
                    error!(
                        "{what} was refused by Telegram: {why}. To fix it: {}",
                        remedy(&error)
                    );
                    return None;
                }
                Retry::After(wait) => wait,
                Retry::Backoff | Retry::Limited => self.next_backoff(&mut backoff),
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

/// The next message's texts: as many waiting texts, oldest first, as fit in `limit` joined by
/// [`JOINT`]; a text longer than `limit` alone is split, at a line break where there is one.
fn take_batch(pending: &mut VecDeque<String>, limit: usize) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut used = 0;
    while let Some(next) = pending.front_mut() {
        let joint = if parts.is_empty() { 0 } else { units(JOINT) };
        if used + joint + units(next) <= limit {
            used += joint + units(next);
            parts.extend(pending.pop_front());
        } else {
            if parts.is_empty() {
                let cut = cut_at(next, limit);
                parts.push(next[..cut].trim_end().to_string());
                *next = next[cut..].trim_start().to_string();
            }
            break;
        }
    }
    parts
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
        assert_eq!(take_batch(&mut pending, 11).join(JOINT), "one\n\ntwo");
        assert_eq!(take_batch(&mut pending, 11).join(JOINT), "three");
        assert!(pending.is_empty());
    }

    #[test]
    fn a_text_too_long_for_one_message_is_split_at_a_line() {
        let long = format!("{}\n{}", "a".repeat(3000), "b".repeat(3000));
        let mut pending: VecDeque<String> = [long, "next".to_string()].into();
        assert!(take_batch(&mut pending, MESSAGE_LIMIT).join(JOINT) == "a".repeat(3000));
        // The rest of it is a text like any other: the next one joins it.
        assert!(
            take_batch(&mut pending, MESSAGE_LIMIT).join(JOINT)
                == format!("{}\n\nnext", "b".repeat(3000))
        );
        assert!(pending.is_empty());
    }

    #[test]
    fn a_line_too_long_is_cut_on_a_character() {
        // Each of these is two UTF-16 units: Telegram's count, not the characters'.
        let mut pending: VecDeque<String> = ["😀".repeat(3000)].into();
        let first = take_batch(&mut pending, MESSAGE_LIMIT).join(JOINT);
        assert_eq!(units(&first), MESSAGE_LIMIT);
        let rest = take_batch(&mut pending, MESSAGE_LIMIT).join(JOINT);
        assert_eq!(first.chars().count() + rest.chars().count(), 3000);
    }

    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A Bot API on loopback answering every call with `status` and `description`; how many
    /// calls it got.
    async fn refusing_api(status: u16, description: &str) -> (url::Url, Arc<AtomicUsize>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = url::Url::parse(&format!(
            "http://{}/",
            listener.local_addr().expect("an address")
        ))
        .expect("a URL");
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let body =
            serde_json::json!({"ok": false, "error_code": status, "description": description})
                .to_string();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let body = body.clone();
                tokio::spawn(async move {
                    // The whole request: its headers and a body well under this.
                    let mut buf = vec![0u8; 64 * 1024];
                    let _ = socket.read(&mut buf).await;
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                });
            }
        });
        (url, calls)
    }

    #[tokio::test]
    async fn a_refused_message_is_logged_whole_once_with_what_to_do() {
        let (logs, _guard) = crate::telemetry::captured::capture();
        let (url, calls) = refusing_api(
            403,
            "Forbidden: bot can't initiate conversation with a user",
        )
        .await;
        let token = "999:very-secret";
        let timing = Timing {
            backoff: Duration::from_millis(10),
            per_chat_gap: Duration::from_millis(10),
            ..Timing::default()
        };
        let (outbox, task) = Outbox::start(Bot::new(token).set_api_url(url), token.into(), &timing);
        // Queued before the worker runs: joined into one message.
        outbox.send(42, "Done: ACTIVE — resumed".into());
        outbox.send(42, "OPENED #7 BUY 0.10 XAUUSD".into());
        drop(outbox);
        task.await.expect("the outbox ends once all is tried");
        let text = logs.text();
        assert_eq!(calls.load(Ordering::SeqCst), 1, "never retried: {text}");
        for part in ["Done: ACTIVE — resumed", "OPENED #7 BUY 0.10 XAUUSD"] {
            assert!(
                text.contains("lost (refused by Telegram), part ") && text.contains(part),
                "{part} logged: {text}"
            );
        }
        assert_eq!(text.matches("send /start to the bot").count(), 1, "{text}");
        assert!(
            text.contains("Telegram answered “Forbidden: bot can't initiate conversation"),
            "{text}"
        );
        assert!(!text.contains("A Telegram's error"), "{text}");
        assert!(!text.contains("very-secret"), "{text}");
    }

    #[tokio::test]
    async fn a_server_error_is_retried_past_the_try_limit() {
        let (logs, _guard) = crate::telemetry::captured::capture();
        let (url, calls) = refusing_api(502, "Bad Gateway").await;
        let token = "999:very-secret";
        let timing = Timing {
            attempts: 1,
            backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..Timing::default()
        };
        let (outbox, task) = Outbox::start(Bot::new(token).set_api_url(url), token.into(), &timing);
        outbox.send(42, "CLOSED #7 -50.00 USD".into());
        // teloxide waits 10 s on a 5xx before it reads the answer: this is patience, not tries.
        tokio::time::timeout(Duration::from_secs(25), async {
            while calls.load(Ordering::SeqCst) < 2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("tried again");
        let text = logs.text();
        assert!(!text.contains("lost"), "{text}");
        assert!(text.contains("Telegram answered “Bad Gateway”"), "{text}");
        drop(outbox);
        task.abort();
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
        for refusal in [
            "Forbidden: bot can't initiate conversation with a user",
            "Forbidden: bot was blocked by the user",
            "Bad Request: chat not found",
        ] {
            assert_eq!(
                retry_of(&RequestError::Api(ApiError::Unknown(refusal.into()))),
                Retry::Never,
                "{refusal}"
            );
        }
        assert_eq!(
            retry_of(&RequestError::Api(ApiError::Unknown(
                "Bad Request: something new".into()
            ))),
            Retry::Limited
        );
    }
}
