//! Telegram through the Bot API (teloxide, long polling): channel posts, group messages and
//! their edits become raw messages for the sources that read their chats; private messages go to
//! the copilot. Only what is Bot-API-specific is here (the calls, what an update is, what an
//! error means); routing, delivery and links are the transport-neutral [`super::chats`].

use std::future::IntoFuture;
use std::time::Duration;

use anyhow::Context;
use teloxide::payloads::GetUpdatesSetters;
use teloxide::requests::Requester;
use teloxide::types::{AllowedUpdate, ChatId, Me, Recipient, Update, UpdateKind, UserId};
use teloxide::{ApiError, Bot, RequestError};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{info, warn};

mod check;
mod errors;

pub use super::chats::PrivateMessage;
use super::chats::{
    Backoff, ChatPost, Incoming, Reader, Standing, Trouble, seconds, shared_standings,
};
use crate::config::{ChatRef, TelegramConfig, TelegramSourceConfig};
use crate::engine::{EngineGone, EngineHandle, LinkState};
use crate::model::now_millis;
pub use check::{Finding, check};
pub use errors::{chain, redact};
use errors::{classify, trouble_of, webhook_detail};

/// How much longer than the long poll a request may take before it is given up: Telegram
/// answers a poll when it times out, so only a lost connection takes longer.
const REQUEST_MARGIN: Duration = Duration::from_secs(15);
/// How long to wait before trying again a token that was refused, a webhook that is set: the
/// user has to act, and Telegram should not be asked in a loop meanwhile.
const SLOW_RETRY: Duration = Duration::from_secs(60);
/// The first wait after a failed request: a hiccup is retried soon, never absurdly soon.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// How often chats that could not be read are checked again (the bot may have been made an
/// admin, a username fixed).
const RECHECK: Duration = Duration::from_secs(60);
/// The updates asked for: channel posts, group messages, and their edits (private messages to
/// the bot are `Message`s too).
const ALLOWED: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::ChannelPost,
    AllowedUpdate::EditedChannelPost,
];

/// The bot `cfg` describes. Its `Debug` shows the token: never log it.
pub fn bot(cfg: &TelegramConfig) -> anyhow::Result<Bot> {
    with_timeout(
        cfg,
        Duration::from_secs(u64::from(cfg.poll_timeout_secs)) + REQUEST_MARGIN,
    )
}

/// The bot, whose requests give up after `timeout`: teloxide's client gives up after 17 s,
/// which would cut every long poll longer than that.
fn with_timeout(cfg: &TelegramConfig, timeout: Duration) -> anyhow::Result<Bot> {
    let url = url::Url::parse(&cfg.api_url)
        .with_context(|| format!("telegram.api_url {:?} is not an address", cfg.api_url))?;
    let client = teloxide::net::default_reqwest_settings()
        .timeout(timeout)
        .build()
        .context("cannot make an HTTP client for Telegram")?;
    Ok(Bot::with_client(cfg.token.0.clone(), client).set_api_url(url))
}

/// Poll the bot until the engine stops: messages of `sources`' chats to the engine, private
/// messages to `private`.
pub async fn run(
    bot: Bot,
    cfg: TelegramConfig,
    sources: Vec<TelegramSourceConfig>,
    engine: EngineHandle,
    private: mpsc::Sender<PrivateMessage>,
) {
    run_rechecking(bot, cfg, sources, engine, private, RECHECK).await;
}

/// [`run`], checking chats that could not be read every `recheck`: for tests.
#[doc(hidden)]
pub async fn run_rechecking(
    bot: Bot,
    cfg: TelegramConfig,
    sources: Vec<TelegramSourceConfig>,
    engine: EngineHandle,
    private: mpsc::Sender<PrivateMessage>,
    recheck: Duration,
) {
    let mut reader = Reader::new(engine, &sources, private);
    let mut api = Api::new(bot, &cfg);
    // Err: the engine is gone, and so is the reason to poll.
    let _ = poll(&mut api, &mut reader, cfg.poll_timeout_secs, recheck).await;
}

async fn poll(
    api: &mut Api,
    reader: &mut Reader,
    timeout: u32,
    every: Duration,
) -> Result<(), EngineGone> {
    reader.publish().await?;
    let bot = api.bot.clone();
    let me = api.until_ok(reader, "getMe", || bot.get_me()).await?;
    info!(
        "telegram: bot @{} (id {}); group privacy mode {}",
        me.username(),
        me.id.0,
        if me.can_read_all_group_messages {
            "off"
        } else {
            "on"
        }
    );
    loop {
        let hook = api
            .until_ok(reader, "getWebhookInfo", || bot.get_webhook_info())
            .await?;
        let Some(url) = hook.url else { break };
        let detail = format!(
            "{} ({}); checking again in {}",
            webhook_detail(&api.api_url),
            redact(url.as_str(), &api.token),
            seconds(SLOW_RETRY)
        );
        reader
            .trouble(Trouble {
                state: LinkState::Down,
                detail,
                wait: SLOW_RETRY,
            })
            .await?;
    }
    let chats: Vec<ChatRef> = reader.router.chats().cloned().collect();
    check_chats(api, reader, &me, &chats).await?;
    // getWebhookInfo has just answered: the transport works.
    reader.working().await?;
    let key = format!("telegram:{}", me.id.0);
    let mut offset = reader.engine.cursor(&key).await?;
    let mut recheck = Instant::now() + every;
    // The last getUpdates failed: the next one does not wait for updates, so that the links
    // say up as soon as Telegram answers, not when a long poll runs out.
    let mut failing = false;
    loop {
        if Instant::now() >= recheck {
            let stale = reader.health.unreadable();
            check_chats(api, reader, &me, &stale).await?;
            recheck = Instant::now() + every;
        }
        let wait = if failing { 0 } else { timeout };
        let mut request = bot.get_updates().timeout(wait).allowed_updates(ALLOWED);
        if let Some(offset) = offset {
            // Telegram's update ids fit an i32 (teloxide's type for the offset).
            request = request.offset(i32::try_from(offset).unwrap_or(i32::MAX));
        }
        match request.await {
            Ok(updates) => {
                api.backoff.reset();
                failing = false;
                let Some(last) = updates.iter().map(|u| i64::from(u.id.0)).max() else {
                    reader.working().await?;
                    continue;
                };
                let batch = updates.iter().map(incoming).collect();
                // Journaled with their offset before the next poll confirms them to Telegram.
                reader.take(batch, (key.clone(), last + 1)).await?;
                offset = Some(last + 1);
            }
            Err(e) => {
                failing = true;
                let trouble = api.trouble(&e, "getUpdates");
                reader.trouble(trouble).await?;
            }
        }
    }
}

/// Check `chats` (resolve them, see whether the bot can read them), trying again through any
/// trouble of the transport until each has an answer. The links say the transport works only
/// when Telegram has answered: with no chat to check, nothing was asked, and they stay as they
/// are (a failing poll's trouble is not cleared by a check that asked nothing).
async fn check_chats(
    api: &mut Api,
    reader: &mut Reader,
    me: &Me,
    chats: &[ChatRef],
) -> Result<(), EngineGone> {
    for chat in chats {
        let found = loop {
            match check_chat(&api.bot, me, chat).await {
                Ok(found) => break found,
                Err(e) => {
                    let trouble = api.trouble(&e, "getChat");
                    reader.trouble(trouble).await?;
                }
            }
        };
        if let Some(id) = found.id {
            reader.router.resolved(chat, id);
        }
        match &found.standing {
            Standing::Readable(what) => info!("telegram: {chat} is {what}"),
            Standing::Partly(why) | Standing::Unreadable(why) => warn!("telegram: {why}"),
            Standing::Unchecked => {}
        }
        reader.health.chat(chat, found.standing);
        // The same chat configured twice (by @username and by id, or in two sources): only one
        // of them reads it, said on each.
        let Some(id) = found.id else { continue };
        let sharing = reader.router.sharing(id);
        if sharing.len() > 1 {
            let standings = shared_standings(id, &sharing);
            if let Some(Standing::Partly(why)) = standings.first() {
                warn!("telegram: {why}");
            }
            for ((source, chat), standing) in sharing.iter().zip(standings) {
                reader.health.chat_of(source, chat, standing);
            }
        }
    }
    if chats.is_empty() {
        return Ok(());
    }
    reader.working().await
}

/// What a check found of a configured chat.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatFound {
    /// Its id, when Telegram knows it.
    pub id: Option<i64>,
    pub standing: Standing,
}

/// Resolve `chat` and see whether the bot can read it. `Err`: the transport failed, ask again.
async fn check_chat(bot: &Bot, me: &Me, chat: &ChatRef) -> Result<ChatFound, RequestError> {
    let recipient = match chat {
        ChatRef::Id(id) => Recipient::Id(ChatId(*id)),
        ChatRef::Username(name) => Recipient::ChannelUsername(name.clone()),
    };
    let info = match bot.get_chat(recipient).await {
        Ok(info) => info,
        Err(RequestError::Api(e)) if !matches!(e, ApiError::InvalidToken) => {
            let what = match chat {
                ChatRef::Id(_) => "the id (a channel's is -100 then its number)",
                ChatRef::Username(_) => "the @username's spelling",
            };
            return Ok(ChatFound {
                id: None,
                standing: Standing::Unreadable(format!(
                    "{chat}: Telegram cannot find this chat ({e}): check {what} in the source's chats, and that @{} was added to it",
                    me.username()
                )),
            });
        }
        Err(e) => return Err(e),
    };
    let title = info.title().unwrap_or("(no title)");
    let bot_name = me.username();
    if info.is_private() {
        return Ok(ChatFound {
            id: Some(info.id.0),
            standing: Standing::Unreadable(format!(
                "{chat} is a private chat, not a channel or a group: a source reads channels and groups (write to the bot in private for the copilot)"
            )),
        });
    }
    let admin = match bot.get_chat_member(info.id, UserId(me.id.0)).await {
        Ok(member) => member.is_privileged(),
        // Telegram hides a channel's members from a bot that is not one of its admins.
        Err(RequestError::Api(_)) => false,
        Err(e) => return Err(e),
    };
    let kind = if info.is_channel() {
        "channel"
    } else if info.is_supergroup() {
        "supergroup"
    } else {
        "group"
    };
    let standing = if admin {
        Standing::Readable(format!("{kind} “{title}”, the bot is an admin"))
    } else if info.is_channel() {
        Standing::Unreadable(format!(
            "{chat}: @{bot_name} is not an administrator of channel “{title}”, and Telegram shows a bot a channel's posts only then: add @{bot_name} to the channel's administrators (no rights are needed)"
        ))
    } else if me.can_read_all_group_messages {
        Standing::Readable(format!("{kind} “{title}”, privacy mode off"))
    } else {
        Standing::Partly(format!(
            "{chat}: group privacy mode is on and @{bot_name} is not an admin of “{title}”, so it sees only commands and replies to it: in @BotFather send /setprivacy → Disable, then remove @{bot_name} from the group and add it again; or make it an admin"
        ))
    };
    Ok(ChatFound {
        id: Some(info.id.0),
        standing,
    })
}

/// What `update` is for SignalOS.
pub fn incoming(update: &Update) -> Incoming {
    let (message, edited) = match &update.kind {
        UpdateKind::Message(m) | UpdateKind::ChannelPost(m) => (m, false),
        UpdateKind::EditedMessage(m) | UpdateKind::EditedChannelPost(m) => (m, true),
        UpdateKind::Error(_) => {
            // teloxide reads an update it does not understand as an error, keeping its id so
            // that polling goes on: said loudly, since it may have been a signal.
            warn!(
                "telegram: update {} could not be read (a Bot API change teloxide does not know?): skipped",
                update.id.0
            );
            return Incoming::Skip(format!("update {} unreadable", update.id.0));
        }
        _ => {
            return Incoming::Skip(format!(
                "update {} is neither a message nor a post",
                update.id.0
            ));
        }
    };
    let id = i64::from(message.id.0);
    let chat_id = message.chat.id.0;
    if message.chat.is_private() {
        // A command is acted on once: its edits are not commands again.
        if edited {
            return Incoming::Skip(format!("an edit of private message {id}"));
        }
        let (Some(text), Some(from)) = (message.text(), message.from.as_ref()) else {
            return Incoming::Skip(format!("private message {id} has no text"));
        };
        let Ok(user_id) = i64::try_from(from.id.0) else {
            return Incoming::Skip(format!("private message {id} from user id {}", from.id.0));
        };
        let user_name = match &from.username {
            Some(username) => format!("{} (@{username})", from.full_name()),
            None => from.full_name(),
        };
        return Incoming::Private(PrivateMessage {
            chat_id,
            user_id,
            user_name,
            text: text.to_string(),
            sent_at: message.date.timestamp_millis(),
        });
    }
    // A forwarded post carries its text like any other; a photo carries it as a caption.
    let words = message.text().or_else(|| message.caption());
    let Some(text) = words.filter(|t| !t.trim().is_empty()) else {
        return Incoming::Skip(format!(
            "message {id} of chat {chat_id} has no text or caption"
        ));
    };
    Incoming::Post(ChatPost {
        chat_id,
        username: message.chat.username().map(str::to_string),
        id,
        text: text.to_string(),
        reply_to: message.reply_to_message().map(|r| i64::from(r.id.0)),
        sent_at: message.date.timestamp_millis(),
        edited_at: edited.then(|| {
            message
                .edit_date()
                .map_or_else(now_millis, |d| d.timestamp_millis())
        }),
    })
}

/// The bot, and what its failures mean.
struct Api {
    bot: Bot,
    /// Where the Bot API is, as a trader would recognise it ("api.telegram.org").
    host: String,
    api_url: String,
    token: String,
    backoff: Backoff,
}

impl Api {
    fn new(bot: Bot, cfg: &TelegramConfig) -> Api {
        let host = url::Url::parse(&cfg.api_url)
            .ok()
            .and_then(|u| {
                let host = u.host_str()?.to_string();
                Some(match u.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host,
                })
            })
            .unwrap_or_else(|| cfg.api_url.clone());
        Api {
            bot,
            host,
            api_url: cfg.api_url.clone(),
            token: cfg.token.0.clone(),
            backoff: Backoff::new(FIRST_RETRY, Duration::from_secs(30)),
        }
    }

    /// Ask until Telegram answers, saying on the links why it does not.
    async fn until_ok<T, F, R>(
        &mut self,
        reader: &mut Reader,
        method: &str,
        mut request: F,
    ) -> Result<T, EngineGone>
    where
        F: FnMut() -> R,
        R: IntoFuture<Output = Result<T, RequestError>>,
    {
        loop {
            match request().await {
                Ok(answer) => {
                    self.backoff.reset();
                    return Ok(answer);
                }
                Err(e) => {
                    let trouble = self.trouble(&e, method);
                    reader.trouble(trouble).await?;
                }
            }
        }
    }

    /// What the links say about `e` from `method`, and how long to wait.
    fn trouble(&mut self, e: &RequestError, method: &str) -> Trouble {
        trouble_of(
            classify(e, &self.token),
            method,
            &self.host,
            &self.api_url,
            &mut self.backoff,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An update as teloxide reads Telegram's answer: from its text (from a `Value`, teloxide
    /// reads every update as unreadable).
    fn update(json: serde_json::Value) -> Update {
        serde_json::from_str(&json.to_string()).unwrap()
    }

    fn channel(id: i64) -> serde_json::Value {
        serde_json::json!({"id": id, "type": "channel", "title": "Gold VIP", "username": "goldvip"})
    }

    #[test]
    fn a_channel_post_is_a_post_with_its_date_and_reply() {
        let u = update(serde_json::json!({"update_id": 7, "channel_post": {
            "message_id": 12, "date": 1_765_013_400, "chat": channel(-1001),
            "text": "close half",
            "reply_to_message": {"message_id": 10, "date": 1_765_013_000, "chat": channel(-1001), "text": "XAUUSD BUY"}
        }}));
        assert_eq!(
            incoming(&u),
            Incoming::Post(ChatPost {
                chat_id: -1001,
                username: Some("goldvip".into()),
                id: 12,
                text: "close half".into(),
                reply_to: Some(10),
                sent_at: 1_765_013_400_000,
                edited_at: None,
            })
        );
    }

    #[test]
    fn an_edit_carries_its_edit_date_and_a_caption_is_the_text() {
        let u = update(serde_json::json!({"update_id": 8, "edited_channel_post": {
            "message_id": 12, "date": 1_765_013_400, "edit_date": 1_765_013_460,
            "chat": channel(-1001), "caption": "SL 2300",
            "photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}]
        }}));
        let Incoming::Post(post) = incoming(&u) else {
            panic!("a post expected")
        };
        assert_eq!(post.text, "SL 2300");
        assert_eq!(post.sent_at, 1_765_013_400_000);
        assert_eq!(post.edited_at, Some(1_765_013_460_000));
    }

    #[test]
    fn a_group_message_is_a_post_and_a_forward_keeps_its_text() {
        let u = update(serde_json::json!({"update_id": 9, "message": {
            "message_id": 3, "date": 1_765_013_400,
            "chat": {"id": -1002, "type": "supergroup", "title": "Signals"},
            "from": {"id": 5, "is_bot": false, "first_name": "Ann"},
            "forward_origin": {"type": "channel", "chat": channel(-1001), "message_id": 44, "date": 1_765_013_000},
            "text": "EURUSD SELL"
        }}));
        let Incoming::Post(post) = incoming(&u) else {
            panic!("a post expected")
        };
        assert_eq!((post.chat_id, post.text.as_str()), (-1002, "EURUSD SELL"));
    }

    #[test]
    fn a_private_text_is_for_the_copilot_and_its_edit_is_not() {
        let message = serde_json::json!({
            "message_id": 4, "date": 1_765_013_400, "edit_date": 1_765_013_401,
            "chat": {"id": 77, "type": "private", "first_name": "Ann"},
            "from": {"id": 77, "is_bot": false, "first_name": "Ann", "last_name": "Lee", "username": "ann"},
            "text": "/status"
        });
        let u = update(serde_json::json!({"update_id": 10, "message": message}));
        assert_eq!(
            incoming(&u),
            Incoming::Private(PrivateMessage {
                chat_id: 77,
                user_id: 77,
                user_name: "Ann Lee (@ann)".into(),
                text: "/status".into(),
                sent_at: 1_765_013_400_000,
            })
        );
        let u = update(serde_json::json!({"update_id": 11, "edited_message": message}));
        assert!(matches!(incoming(&u), Incoming::Skip(_)));
    }

    #[test]
    fn a_message_without_words_and_an_unknown_update_are_skipped() {
        let u = update(serde_json::json!({"update_id": 12, "channel_post": {
            "message_id": 13, "date": 1_765_013_400, "chat": channel(-1001),
            "photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}]
        }}));
        assert!(matches!(incoming(&u), Incoming::Skip(_)));
        let u = update(serde_json::json!({"update_id": 13, "something_new": {"x": 1}}));
        assert!(matches!(incoming(&u), Incoming::Skip(_)));
    }
}
