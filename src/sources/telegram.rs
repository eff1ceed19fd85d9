//! Telegram through the Bot API (teloxide, long polling): channel posts, group messages and
//! their edits become raw messages for the sources that read their chats; private messages go to
//! the copilot.

use anyhow::Context;
use teloxide::Bot;
use tokio::sync::mpsc;

use crate::config::{TelegramConfig, TelegramSourceConfig};
use crate::engine::EngineHandle;
use crate::model::Millis;

/// A message someone wrote to the bot in a private chat: for the copilot.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateMessage {
    pub chat_id: i64,
    pub user_id: i64,
    /// The user's name as Telegram shows it (first name, last name, @username).
    pub user_name: String,
    pub text: String,
    pub sent_at: Millis,
}

/// The bot `cfg` describes. Its `Debug` shows the token: never log it.
pub fn bot(cfg: &TelegramConfig) -> anyhow::Result<Bot> {
    let url = url::Url::parse(&cfg.api_url)
        .with_context(|| format!("telegram.api_url {:?} is not an address", cfg.api_url))?;
    Ok(Bot::new(cfg.token.0.clone()).set_api_url(url))
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
    let _ = (bot, cfg, sources, engine, private);
    todo!("the poller")
}
