//! The console: a replica of the engine state on screen, and keys that send commands.
//!
//! The console never changes trading state itself: it applies the engine's events to its replica
//! and sends commands through the engine's gate, showing the answer. It draws only when something
//! changed, at most `ui.max_fps` times a second.

pub mod app;
mod form;
pub(crate) mod format;
pub mod input;
mod panes;
mod rows;
pub mod terminal;
pub mod view;

#[cfg(test)]
pub(crate) mod fixture;

use std::time::Duration;

use anyhow::Context as _;
use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use ratatui::layout::Rect;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tracing::Level;

use crate::api::{
    Action, Change, Client, Gone, Link, Received, Replica, ReplicaStep as Step, Reply,
};
use crate::config::UiConfig;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::model::now_millis;
use crate::telemetry::{LogBuffer, LogLine};

pub use app::{App, Flow, Pane, Story};
pub use view::{View, draw};

/// How many log lines the console holds for its pane and scrollback.
const LOG_LINES: usize = 1000;

/// Run the console until the user quits, the engine stops, or SIGTERM / SIGHUP arrives. The caller
/// shuts the engine down afterwards; the terminal is restored before this returns.
pub async fn run<C: Client>(
    engine: C,
    keymap: Keymap,
    theme: Theme,
    ui: UiConfig,
    logs: LogBuffer,
) -> anyhow::Result<()> {
    let feed = Replica::subscribe(&engine)
        .await
        .context("cannot follow the engine")?;
    let mut sigterm = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut sighup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    let mut guard = terminal::TerminalGuard::enter().context("cannot set up the terminal")?;
    // Declared after the guard so it is dropped (and joined) before the terminal is given back.
    let mut input = input::InputThread::spawn().context("cannot start reading the keyboard")?;
    let mut console = Console::new(engine, keymap, theme, &ui, logs, feed);
    console.screen = guard
        .terminal
        .size()
        .map_or_else(|_| Rect::default(), Rect::from);
    let frame_every = Duration::from_secs_f64(1.0 / f64::from(ui.max_fps.clamp(1, 240)));
    let mut last_draw = Instant::now() - frame_every;
    let mut shown = None;
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(MissedTickBehavior::Skip);

    let result: anyhow::Result<()> = loop {
        tokio::select! {
            // First, so that a flood of events still lets a frame through at the frame rate; the
            // other branches drain what is ready in between.
            biased;
            () = tokio::time::sleep_until(last_draw + frame_every), if console.dirty => {
                let view = console.view();
                let drawn = terminal::paint(&mut guard.terminal, &mut shown, |frame| draw(frame, &view));
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
                    console.fetch_story();
                }
                Some(Ok(TermEvent::Resize(width, height))) => {
                    console.screen = Rect::new(0, 0, width, height);
                    console.dirty = true;
                    console.fetch_story();
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(anyhow::Error::new(e).context("cannot read the keyboard")),
                None => break Err(anyhow::anyhow!("the keyboard reader stopped")),
            },
            received = console.feed.recv() => {
                if let Err(gone) = console.on_event(received).await {
                    // The engine stopping ends its own console; a remote one losing its engine
                    // for good says why, and does not pass for a normal quit.
                    break match console.engine.link() {
                        None => Ok(()),
                        Some(link) => {
                            let why = link.borrow().detail.clone();
                            Err(anyhow::anyhow!(
                                "lost the engine for good: {}",
                                if why.is_empty() { gone.to_string() } else { why }
                            ))
                        }
                    };
                }
                console.fetch_story();
            }
            Some((seq, story)) = console.stories.recv() => {
                console.story_in_flight = None;
                console.app.on_story(seq, story);
                console.dirty = true;
                console.fetch_story();
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
            changed = changed_link(&mut console.engine_link) => match changed {
                Some(link) => {
                    console.app.engine_link = Some(link);
                    console.dirty = true;
                }
                None => console.engine_link = None,
            },
            _ = clock.tick() => console.tick(),
        }
    };
    drop(input);
    drop(guard);
    result
}

/// Whether a change, about to be applied to `state`, can alter what the console shows: the
/// simulator and a terminal quote every symbol several times a second and report an unchanged
/// account as often, and re-rendering for those costs CPU for nothing.
fn changes_the_screen(state: &crate::api::State, change: &Change) -> bool {
    match change {
        Change::Quote { symbol, .. } => {
            state.positions.values().any(|p| &p.symbol == symbol)
                || state.orders.values().any(|o| &o.symbol == symbol)
        }
        Change::Account(account) => state.account.as_ref() != Some(account),
        _ => true,
    }
}

/// The link to a remote engine when it changes; `None` once its client is gone (pending forever
/// for a console in the engine's process).
async fn changed_link(link: &mut Option<watch::Receiver<Link>>) -> Option<Link> {
    match link {
        Some(rx) => match rx.changed().await {
            Ok(()) => Some(rx.borrow_and_update().clone()),
            Err(_) => None,
        },
        None => std::future::pending().await,
    }
}

/// The loop's state, apart from the terminal.
struct Console<C> {
    engine: C,
    keymap: Keymap,
    theme: Theme,
    logs: LogBuffer,
    feed: Replica,
    app: App,
    outbox: mpsc::UnboundedReceiver<Action>,
    replies: mpsc::UnboundedReceiver<(Action, Result<Reply, Gone>)>,
    reply_tx: mpsc::UnboundedSender<(Action, Result<Reply, Gone>)>,
    log_watch: watch::Receiver<u64>,
    /// How a remote console reaches its engine.
    engine_link: Option<watch::Receiver<Link>>,
    logs_live: bool,
    log_lines: Vec<LogLine>,
    stories: mpsc::UnboundedReceiver<(u64, Story)>,
    story_tx: mpsc::UnboundedSender<(u64, Story)>,
    story_in_flight: Option<u64>,
    /// The shown story has news in the journal (a later decision, an order's answer).
    story_stale: bool,
    /// The terminal's size, to know which panes are on screen.
    screen: Rect,
    dirty: bool,
}

impl<C: Client> Console<C> {
    fn new(
        engine: C,
        keymap: Keymap,
        theme: Theme,
        ui: &UiConfig,
        logs: LogBuffer,
        feed: Replica,
    ) -> Console<C> {
        let (outbox_tx, outbox) = mpsc::unbounded_channel();
        let (reply_tx, replies) = mpsc::unbounded_channel();
        let mut app = App::new(ui.confirm_emergency_stop, outbox_tx);
        app.role = engine.role();
        let engine_link = engine.link();
        app.engine_link = engine_link.as_ref().map(|rx| rx.borrow().clone());
        app.follow(&feed.state, now_millis());
        let log_watch = logs.watch();
        let log_lines = logs.recent(LOG_LINES, Level::DEBUG);
        let (story_tx, stories) = mpsc::unbounded_channel();
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
            engine_link,
            logs_live: true,
            log_lines,
            stories,
            story_tx,
            story_in_flight: None,
            story_stale: false,
            screen: Rect::default(),
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
            &self.log_lines,
            Instant::now().into_std(),
        )
    }

    /// Apply an engine event; `Err` when the engine is gone.
    async fn on_event(&mut self, received: Received) -> Result<(), Gone> {
        let shown = self.app.story.as_ref().map(|(seq, _)| *seq);
        if let (Some(shown), Received::Event(event)) = (shown, &received) {
            self.story_stale |= match &event.change {
                Change::Signal(record) => record.seq == shown || record.linked == Some(shown),
                Change::Intent(intent) => intent.signal == Some(shown),
                _ => false,
            };
        }
        if let Received::Event(event) = &received
            && let Change::Signal(record) = &event.change
        {
            self.app
                .on_signal(&self.feed.state, record, Instant::now().into_std());
        }
        let visible = match &received {
            Received::Event(event) => changes_the_screen(&self.feed.state, &event.change),
            Received::Missed | Received::Closed => true,
        };
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
            Step::Closed => return Err(Gone::stopped()),
        }
        self.app.follow(&self.feed.state, now_millis());
        self.dirty |= visible;
        Ok(())
    }

    /// Ask the journal for the selected signal's story when it is not the one shown, or the shown
    /// one has news; one question at a time, the answer asks again if the selection moved.
    fn fetch_story(&mut self) {
        if self.story_in_flight.is_some() || !view::shows(&self.app, self.screen, Pane::Detail) {
            return;
        }
        let stale = self
            .story_stale
            .then(|| self.app.story.as_ref().map(|(seq, _)| *seq))
            .flatten();
        let Some(seq) = self.app.story_wanted(&self.feed.state).or(stale) else {
            return;
        };
        self.story_stale = false;
        self.story_in_flight = Some(seq);
        if self
            .app
            .story
            .as_ref()
            .is_none_or(|(shown, _)| *shown != seq)
        {
            self.app.on_story(seq, Story::Loading);
        }
        let engine = self.engine.clone();
        let answers = self.story_tx.clone();
        tokio::spawn(async move {
            let story = match engine.story(seq).await {
                Ok(Ok(Some(steps))) => Story::Told(steps),
                Ok(Ok(None)) => Story::Missing(format!("signal #{seq} is not in the journal")),
                Ok(Err(e)) => Story::Missing(e),
                Err(gone) => Story::Missing(gone.to_string()),
            };
            let _ = answers.send((seq, story));
        });
    }

    /// Send without waiting: the answer comes back on `replies` and the screen keeps drawing.
    fn dispatch(&self, action: Action) {
        let engine = self.engine.clone();
        let replies = self.reply_tx.clone();
        tokio::spawn(async move {
            let reply = engine.command(action.clone()).await;
            let _ = replies.send((action, reply));
        });
    }

    fn reload_logs(&mut self) {
        let before = self.log_lines.len();
        self.log_lines = self.logs.recent(LOG_LINES, Level::DEBUG);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mode, Quote};

    #[test]
    fn quotes_nothing_shows_and_an_unchanged_account_redraw_nothing() {
        let state = fixture::state(Mode::Active);
        let quote = |symbol: &str| Change::Quote {
            symbol: symbol.into(),
            quote: Quote {
                bid: 1.0,
                ask: 1.1,
                time: 0,
            },
        };
        assert!(
            changes_the_screen(&state, &quote("XAUUSD")),
            "a position's symbol"
        );
        assert!(
            !changes_the_screen(&state, &quote("BTCUSD")),
            "nothing on screen"
        );
        let account = state.account.clone().expect("the fixture has an account");
        assert!(!changes_the_screen(
            &state,
            &Change::Account(account.clone())
        ));
        let richer = crate::model::Account {
            equity: account.equity + 1.0,
            ..account
        };
        assert!(changes_the_screen(&state, &Change::Account(richer)));
        assert!(changes_the_screen(&state, &Change::Stealth { on: true }));
    }
}
