//! The console: a replica of the engine state on screen, and keys that send commands.
//!
//! The console never changes trading state itself: it applies the engine's events to its replica
//! and sends commands through the engine's gate, showing the answer. It draws only when something
//! changed, at most `ui.max_fps` times a second.

pub mod app;
mod format;
pub mod input;
mod panes;
pub mod terminal;
pub mod view;

#[cfg(test)]
mod fixture;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tracing::Level;

use crate::config::UiConfig;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::engine::{Action, Command, EngineGone, EngineHandle, Replica, Reply, Step};
use crate::model::now_millis;
use crate::telemetry::{LogBuffer, LogLine};

pub use app::{App, Flow, Pane};
pub use view::{View, draw};

/// How many log lines the console holds for its pane and scrollback.
const LOG_LINES: usize = 1000;

/// Run the console until the user quits, the engine stops, or SIGTERM / SIGHUP arrives. The caller
/// shuts the engine down afterwards; the terminal is restored before this returns.
pub async fn run(
    engine: EngineHandle,
    keymap: Keymap,
    theme: Theme,
    ui: UiConfig,
    logs: LogBuffer,
) -> anyhow::Result<()> {
    let feed = Replica::subscribe(&engine)
        .await
        .context("the engine stopped before the console could subscribe")?;
    let mut sigterm = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut sighup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    let mut guard = terminal::TerminalGuard::enter().context("cannot set up the terminal")?;
    // Declared after the guard so it is dropped (and joined) before the terminal is given back.
    let mut input = input::InputThread::spawn().context("cannot start reading the keyboard")?;
    let mut console = Console::new(engine, keymap, theme, &ui, logs, feed);
    let frame_every = Duration::from_secs_f64(1.0 / f64::from(ui.max_fps.clamp(1, 240)));
    let mut last_draw = Instant::now() - frame_every;
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(MissedTickBehavior::Skip);

    let result: anyhow::Result<()> = loop {
        tokio::select! {
            // First, so that a flood of events still lets a frame through at the frame rate; the
            // other branches drain what is ready in between.
            biased;
            () = tokio::time::sleep_until(last_draw + frame_every), if console.dirty => {
                let drawn = guard.terminal.draw(|frame| draw(frame, &console.view()));
                if let Err(e) = drawn {
                    break Err(anyhow::Error::new(e).context("cannot draw the console"));
                }
                console.dirty = false;
                last_draw = Instant::now();
            }
            _ = sigterm.recv() => break Ok(()),
            _ = sighup.recv() => break Ok(()),
            received = input.events.recv() => match received {
                Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                    if console.on_key(key) == Flow::Quit {
                        break Ok(());
                    }
                }
                Some(Ok(TermEvent::Resize(..))) => console.dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(anyhow::Error::new(e).context("cannot read the keyboard")),
                None => break Err(anyhow::anyhow!("the keyboard reader stopped")),
            },
            received = console.feed.recv() => {
                if console.on_event(received).await.is_err() {
                    break Ok(());
                }
            }
            Some(command) = console.outbox.recv() => console.dispatch(command),
            Some((action, reply)) = console.replies.recv() => {
                console.app.on_reply(&action, reply, Instant::now().into_std());
                console.dirty = true;
            }
            changed = console.log_watch.changed(), if console.logs_live => {
                match changed {
                    Ok(()) => console.reload_logs(),
                    Err(_) => console.logs_live = false,
                }
            }
            _ = clock.tick() => console.tick(),
        }
    };
    drop(input);
    drop(guard);
    result
}

/// The loop's state, apart from the terminal.
struct Console {
    engine: EngineHandle,
    keymap: Keymap,
    theme: Theme,
    logs: LogBuffer,
    feed: Replica,
    app: App,
    outbox: mpsc::UnboundedReceiver<Command>,
    replies: mpsc::UnboundedReceiver<(Action, Result<Reply, EngineGone>)>,
    reply_tx: mpsc::UnboundedSender<(Action, Result<Reply, EngineGone>)>,
    log_watch: tokio::sync::watch::Receiver<u64>,
    logs_live: bool,
    log_lines: Vec<LogLine>,
    dirty: bool,
}

impl Console {
    fn new(
        engine: EngineHandle,
        keymap: Keymap,
        theme: Theme,
        ui: &UiConfig,
        logs: LogBuffer,
        feed: Replica,
    ) -> Console {
        let (outbox_tx, outbox) = mpsc::unbounded_channel();
        let (reply_tx, replies) = mpsc::unbounded_channel();
        let mut app = App::new(ui.confirm_emergency_stop, outbox_tx);
        app.follow(&feed.state);
        let log_watch = logs.watch();
        let log_lines = logs.recent(LOG_LINES, Level::INFO);
        Console {
            engine,
            keymap,
            theme,
            logs,
            feed,
            app,
            outbox,
            replies,
            reply_tx,
            log_watch,
            logs_live: true,
            log_lines,
            dirty: true,
        }
    }

    fn view(&self) -> View<'_> {
        View {
            state: &self.feed.state,
            app: &self.app,
            logs: &self.log_lines,
            theme: &self.theme,
            keymap: &self.keymap,
            now: now_millis(),
        }
    }

    fn on_key(&mut self, key: ratatui::crossterm::event::KeyEvent) -> Flow {
        self.dirty = true;
        self.app.on_key(
            &self.keymap,
            key,
            &self.feed.state,
            self.log_lines.len(),
            Instant::now().into_std(),
        )
    }

    /// Apply an engine event; `Err` when the engine is gone.
    async fn on_event(
        &mut self,
        received: Result<Arc<crate::engine::Event>, tokio::sync::broadcast::error::RecvError>,
    ) -> Result<(), EngineGone> {
        match self.feed.handle(received) {
            Step::Applied => {}
            Step::Stale => return Ok(()),
            Step::Resync => {
                tracing::debug!(
                    seq = self.feed.seq,
                    "console replica out of step, resubscribing"
                );
                self.feed.resubscribe(&self.engine).await?;
            }
            Step::Closed => return Err(EngineGone),
        }
        self.app.follow(&self.feed.state);
        self.dirty = true;
        Ok(())
    }

    /// Send without waiting: the answer comes back on `replies` and the screen keeps drawing.
    fn dispatch(&self, command: Command) {
        let engine = self.engine.clone();
        let replies = self.reply_tx.clone();
        tokio::spawn(async move {
            let action = command.action.clone();
            let reply = engine.command(command).await;
            let _ = replies.send((action, reply));
        });
    }

    fn reload_logs(&mut self) {
        let before = self.log_lines.len();
        self.log_lines = self.logs.recent(LOG_LINES, Level::INFO);
        // Keep a scrolled-back view on the same lines while new ones arrive below (once the
        // buffer is full the count is unknown, and the view drifts: acceptable for a log).
        if self.app.log_scroll > 0 {
            let added = self.log_lines.len().saturating_sub(before);
            self.app.log_scroll =
                (self.app.log_scroll + added).min(self.log_lines.len().saturating_sub(1));
        }
        self.dirty = true;
    }

    fn tick(&mut self) {
        self.app.expire(Instant::now().into_std());
        // The clock and the ages move every second.
        self.dirty = true;
    }
}
