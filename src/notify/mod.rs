//! The Telegram copilot and notifications: an operator origin and a subscriber of the engine.
//!
//! Three parts, each its own task: the copilot answers private messages through the engine's
//! gate; the notifications follow the engine's events; the outbox sends what both queue, paced
//! within Telegram's limits, so that neither ever waits for Telegram.

mod copilot;
mod notifications;
mod outbox;
mod report;

use std::time::Duration;

use teloxide::Bot;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::config::TelegramConfig;
use crate::engine::EngineHandle;
use crate::sources::telegram::PrivateMessage;

/// The copilot's clocks and the outbox's pacing. The defaults are Telegram's limits and the
/// issue's windows; tests shorten the windows so as not to wait them out.
#[derive(Debug, Clone)]
pub struct Timing {
    /// How long a `/stop` waits for `/confirm`.
    pub confirm_window: Duration,
    /// A command sent longer ago than this is not carried out (a backlog after a restart).
    pub stale_after: Duration,
    /// Between two messages to one chat (Telegram: about one a second).
    pub per_chat_gap: Duration,
    /// Between two messages to any chats (Telegram: about 30 a second; 25 leaves room).
    pub global_gap: Duration,
    /// Tries of one call, against an error that may not heal, before what it carried is given
    /// up (and logged). Network and server errors are tried until they heal.
    pub attempts: u32,
    /// The first wait after a network or server error; doubled each time up to `max_backoff`.
    pub backoff: Duration,
    /// The longest wait between two tries.
    pub max_backoff: Duration,
    /// How long a link stays lost before the notifications say so (a blip is no news).
    pub link_grace: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            confirm_window: Duration::from_secs(30),
            stale_after: Duration::from_secs(60),
            per_chat_gap: Duration::from_secs(1),
            global_gap: Duration::from_millis(40),
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            link_grace: Duration::from_secs(20),
        }
    }
}

/// Start the copilot (answering `private`) and the notifications.
pub fn start(
    bot: Bot,
    cfg: TelegramConfig,
    engine: EngineHandle,
    private: mpsc::Receiver<PrivateMessage>,
) -> Vec<JoinHandle<()>> {
    start_with(bot, cfg, engine, private, Timing::default())
}

/// [`start`] with other clocks.
pub fn start_with(
    bot: Bot,
    cfg: TelegramConfig,
    engine: EngineHandle,
    private: mpsc::Receiver<PrivateMessage>,
    timing: Timing,
) -> Vec<JoinHandle<()>> {
    let (outbox, outbox_task) = outbox::Outbox::start(bot.clone(), cfg.token.0.clone(), &timing);
    let mut tasks = vec![outbox_task];
    if !cfg.operators.is_empty() {
        tasks.push(tokio::spawn(copilot::register(bot, outbox.clone())));
    }
    if !cfg.notify_chats.is_empty() && !cfg.notify.is_empty() {
        tasks.push(tokio::spawn(notifications::run(
            engine.clone(),
            cfg.notify,
            cfg.notify_chats,
            outbox.clone(),
            timing.link_grace,
        )));
    }
    // Strangers are answered (refused) even with no operators: the refusal is audited.
    tasks.push(tokio::spawn(copilot::run(
        engine,
        cfg.operators,
        outbox,
        private,
        timing,
    )));
    tasks
}
