//! The Telegram copilot and notifications: an operator origin and a subscriber of the engine.

use teloxide::Bot;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::config::TelegramConfig;
use crate::engine::EngineHandle;
use crate::sources::telegram::PrivateMessage;

/// Start the copilot (answering `private`) and the notifications.
pub fn start(
    bot: Bot,
    cfg: TelegramConfig,
    engine: EngineHandle,
    private: mpsc::Receiver<PrivateMessage>,
) -> Vec<JoinHandle<()>> {
    let _ = (bot, cfg, engine, private);
    todo!("the copilot and notifications")
}
