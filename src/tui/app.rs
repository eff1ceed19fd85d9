//! The console's own state: focus, selections, the armed confirmation and the status line. Keys
//! become named actions; dangerous ones need a second press; commands leave through an outbox.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;
use tokio::sync::mpsc;

use crate::config::keymap::{Context, Keymap, UiAction};
use crate::engine::{Action, Command, EngineGone, Origin, Reply, State};

/// How long a first press of a dangerous action waits for the second.
pub const CONFIRM_WINDOW: Duration = Duration::from_secs(2);
/// How long an engine reply stays in the status line.
pub const STATUS_FOR: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Positions,
    Signals,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Positions, Pane::Signals, Pane::Log];

    pub fn context(self) -> Context {
        match self {
            Pane::Positions => Context::Positions,
            Pane::Signals => Context::Signals,
            Pane::Log => Context::Log,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// A dangerous action pressed once, waiting for its second press.
#[derive(Debug, Clone, PartialEq)]
pub struct Armed {
    pub action: UiAction,
    /// The position a close is aimed at: a second press on another row must not close this one.
    pub ticket: Option<u64>,
    pub until: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Accepted,
    Refused,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
    pub until: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// What the keys have done to the console, apart from the replica.
#[derive(Debug)]
pub struct App {
    pub focus: Pane,
    /// The selected position, by ticket so that the selection survives positions coming and going.
    pub position: Option<u64>,
    /// The selected signal, counted from the newest.
    pub signal: usize,
    /// How many lines the log is scrolled back from the newest; 0 follows new lines.
    pub log_scroll: usize,
    pub armed: Option<Armed>,
    pub status: Option<Status>,
    confirm_emergency_stop: bool,
    outbox: mpsc::UnboundedSender<Command>,
}

impl App {
    pub fn new(confirm_emergency_stop: bool, outbox: mpsc::UnboundedSender<Command>) -> App {
        App {
            focus: Pane::Positions,
            position: None,
            signal: 0,
            log_scroll: 0,
            armed: None,
            status: None,
            confirm_emergency_stop,
            outbox,
        }
    }

    /// A key press: looked up in the focused pane's table, then `global`.
    pub fn on_key(
        &mut self,
        keymap: &Keymap,
        key: KeyEvent,
        state: &State,
        log_len: usize,
        now: Instant,
    ) -> Flow {
        match keymap.action(self.focus.context(), key) {
            Some(action) => self.on_action(action, state, log_len, now),
            None => {
                // Any other key calls off an armed action: the second press must follow the first.
                self.disarm();
                Flow::Continue
            }
        }
    }

    pub fn on_action(
        &mut self,
        action: UiAction,
        state: &State,
        log_len: usize,
        now: Instant,
    ) -> Flow {
        self.expire(now);
        if self.needs_confirmation(action) {
            self.confirm(action, state, now);
            return Flow::Continue;
        }
        self.disarm();
        match action {
            UiAction::Quit => return Flow::Quit,
            UiAction::EmergencyStop => self.send(Action::EmergencyStop, now),
            UiAction::Pause => self.send(Action::Pause, now),
            UiAction::Resume => self.send(
                Action::Resume {
                    reason: "console resume".into(),
                },
                now,
            ),
            UiAction::ClosePosition => {
                if let Some(ticket) = self.selected_position(state) {
                    self.send(Action::ClosePosition { ticket }, now);
                }
            }
            UiAction::FocusNext => self.focus = self.focus.next(),
            UiAction::FocusPrev => self.focus = self.focus.prev(),
            UiAction::SelectPrev
            | UiAction::SelectNext
            | UiAction::SelectFirst
            | UiAction::SelectLast => self.select(action, state, log_len),
        }
        Flow::Continue
    }

    fn needs_confirmation(&self, action: UiAction) -> bool {
        action.needs_confirmation()
            && (action != UiAction::EmergencyStop || self.confirm_emergency_stop)
    }

    /// First press arms; a second press of the same action on the same target, in time, sends.
    fn confirm(&mut self, action: UiAction, state: &State, now: Instant) {
        let ticket = match action {
            UiAction::ClosePosition => match self.selected_position(state) {
                Some(ticket) => Some(ticket),
                None => {
                    self.disarm();
                    self.set_status("no position selected", StatusKind::Refused, now);
                    return;
                }
            },
            _ => None,
        };
        let confirmed = self
            .armed
            .as_ref()
            .is_some_and(|a| a.action == action && a.ticket == ticket && now < a.until);
        if !confirmed {
            self.armed = Some(Armed {
                action,
                ticket,
                until: now + CONFIRM_WINDOW,
            });
            return;
        }
        self.armed = None;
        let command = match (action, ticket) {
            (UiAction::EmergencyStop, _) => Action::EmergencyStop,
            (UiAction::ClosePosition, Some(ticket)) => Action::ClosePosition { ticket },
            _ => Action::Resume {
                reason: "console resume".into(),
            },
        };
        self.send(command, now);
    }

    fn disarm(&mut self) {
        self.armed = None;
    }

    fn send(&mut self, action: Action, now: Instant) {
        let what = describe(&action);
        let command = Command {
            origin: Origin::console(),
            action,
        };
        match self.outbox.send(command) {
            Ok(()) => self.set_status(
                format!("{what}: sent, waiting for the engine…"),
                StatusKind::Info,
                now,
            ),
            Err(_) => self.set_status(
                format!("{what}: NOT sent, the engine has stopped"),
                StatusKind::Refused,
                now,
            ),
        }
    }

    /// The engine's answer to a command this console sent.
    pub fn on_reply(&mut self, action: &Action, reply: Result<Reply, EngineGone>, now: Instant) {
        let what = describe(action);
        let (text, kind) = match reply {
            Ok(Reply::Accepted { detail }) => {
                (format!("{what}: accepted — {detail}"), StatusKind::Accepted)
            }
            Ok(Reply::Refused { reason }) => {
                (format!("{what}: REFUSED — {reason}"), StatusKind::Refused)
            }
            Err(EngineGone) => (
                format!("{what}: no answer, the engine has stopped"),
                StatusKind::Refused,
            ),
        };
        self.set_status(text, kind, now);
    }

    fn set_status(&mut self, text: impl Into<String>, kind: StatusKind, now: Instant) {
        self.status = Some(Status {
            text: text.into(),
            kind,
            until: now + STATUS_FOR,
        });
    }

    /// Drop what has timed out; true when the screen must change.
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut changed = false;
        if self.armed.as_ref().is_some_and(|a| now >= a.until) {
            self.armed = None;
            changed = true;
        }
        if self.status.as_ref().is_some_and(|s| now >= s.until) {
            self.status = None;
            changed = true;
        }
        changed
    }

    /// The selected position, or the first one when the selection is gone.
    pub fn selected_position(&self, state: &State) -> Option<u64> {
        self.position
            .filter(|t| state.positions.contains_key(t))
            .or_else(|| state.positions.keys().next().copied())
    }

    /// Keep selections inside what the replica now holds.
    pub fn follow(&mut self, state: &State) {
        self.position = self.selected_position(state);
        self.signal = self.signal.min(state.signals.len().saturating_sub(1));
        if let Some(armed) = &self.armed
            && let Some(ticket) = armed.ticket
            && !state.positions.contains_key(&ticket)
        {
            self.armed = None;
        }
    }

    fn select(&mut self, action: UiAction, state: &State, log_len: usize) {
        match self.focus {
            Pane::Positions => {
                let tickets: Vec<u64> = state.positions.keys().copied().collect();
                let at = self
                    .selected_position(state)
                    .and_then(|t| tickets.iter().position(|x| *x == t))
                    .unwrap_or(0);
                let to = step(action, at, tickets.len());
                self.position = tickets.get(to).copied();
            }
            Pane::Signals => self.signal = step(action, self.signal, state.signals.len()),
            // The log reads upwards: "previous" is an older line, further from the newest.
            Pane::Log => {
                let flipped = match action {
                    UiAction::SelectPrev => UiAction::SelectNext,
                    UiAction::SelectNext => UiAction::SelectPrev,
                    UiAction::SelectFirst => UiAction::SelectLast,
                    _ => UiAction::SelectFirst,
                };
                self.log_scroll = step(flipped, self.log_scroll, log_len);
            }
        }
    }
}

fn step(action: UiAction, at: usize, len: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        UiAction::SelectPrev => at.saturating_sub(1),
        UiAction::SelectNext => (at + 1).min(last),
        UiAction::SelectFirst => 0,
        _ => last,
    }
}

/// The words the status line uses for a command.
pub fn describe(action: &Action) -> String {
    match action {
        Action::EmergencyStop => "EMERGENCY STOP".into(),
        Action::Pause => "pause".into(),
        Action::Resume { .. } => "resume".into(),
        Action::ClosePosition { ticket } => format!("close #{ticket}"),
        Action::ClosePart { ticket, fraction } => {
            format!("close {:.0}% of #{ticket}", fraction * 100.0)
        }
        Action::ModifyPosition { ticket, .. } => format!("modify #{ticket}"),
        Action::Breakeven { ticket } => format!("breakeven #{ticket}"),
        Action::Resync => "resync".into(),
        Action::Stealth { on } => format!("stealth {}", if *on { "on" } else { "off" }),
        Action::Trail { ticket, pips } => format!("trail #{ticket} by {pips} pips"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::keymap::builtin_keymap;
    use crate::tui::fixture;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    use tokio::sync::mpsc::error::TryRecvError;

    fn keymap() -> Keymap {
        Keymap::parse("default", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"))
    }

    struct Harness {
        app: App,
        keymap: Keymap,
        state: State,
        outbox: mpsc::UnboundedReceiver<Command>,
        now: Instant,
    }

    impl Harness {
        fn new(confirm: bool) -> Harness {
            let (tx, rx) = mpsc::unbounded_channel();
            Harness {
                app: App::new(confirm, tx),
                keymap: keymap(),
                state: fixture::state(crate::model::Mode::Active),
                outbox: rx,
                now: Instant::now(),
            }
        }

        fn press(&mut self, c: char) -> Flow {
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.key(KeyCode::Char(c), modifiers)
        }

        fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Flow {
            self.app.on_key(
                &self.keymap,
                KeyEvent::new(code, modifiers),
                &self.state,
                10,
                self.now,
            )
        }

        fn wait(&mut self, d: Duration) {
            self.now += d;
        }

        fn sent(&mut self) -> Option<Action> {
            match self.outbox.try_recv() {
                Ok(command) => {
                    assert_eq!(command.origin, Origin::console());
                    Some(command.action)
                }
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => panic!("outbox closed"),
            }
        }
    }

    #[test]
    fn x_once_arms_x_twice_sends_emergency_stop() {
        let mut h = Harness::new(true);
        h.press('X');
        assert_eq!(
            h.app.armed.as_ref().map(|a| a.action),
            Some(UiAction::EmergencyStop)
        );
        assert_eq!(h.sent(), None, "one press must not stop anything");
        h.wait(Duration::from_millis(800));
        h.press('X');
        assert_eq!(h.sent(), Some(Action::EmergencyStop));
        assert_eq!(h.app.armed, None);
        assert_eq!(h.sent(), None, "exactly one command");
    }

    #[test]
    fn the_confirmation_expires_after_two_seconds() {
        let mut h = Harness::new(true);
        h.press('X');
        h.wait(Duration::from_millis(2100));
        assert!(h.app.expire(h.now));
        assert_eq!(h.app.armed, None);
        h.press('X');
        assert_eq!(h.sent(), None, "a late second press only arms again");
        assert!(h.app.armed.is_some());
    }

    #[test]
    fn another_key_between_the_presses_disarms() {
        let mut h = Harness::new(true);
        h.press('X');
        h.press('j');
        h.press('X');
        assert_eq!(h.sent(), None);
        let mut h = Harness::new(true);
        h.press('X');
        h.press('x'); // unbound: still calls it off
        h.press('X');
        assert_eq!(h.sent(), None);
    }

    #[test]
    fn without_confirmation_the_first_press_stops() {
        let mut h = Harness::new(false);
        h.press('X');
        assert_eq!(h.sent(), Some(Action::EmergencyStop));
    }

    #[test]
    fn pause_is_immediate_resume_needs_two_presses() {
        let mut h = Harness::new(true);
        h.press('P');
        assert_eq!(h.sent(), Some(Action::Pause));
        h.press('R');
        assert_eq!(h.sent(), None);
        h.press('R');
        assert_eq!(
            h.sent(),
            Some(Action::Resume {
                reason: "console resume".into()
            })
        );
    }

    #[test]
    fn close_position_aims_at_the_selected_row() {
        let mut h = Harness::new(true);
        let tickets: Vec<u64> = h.state.positions.keys().copied().collect();
        h.press('j');
        assert_eq!(h.app.position, Some(tickets[1]));
        h.press('c');
        h.press('c');
        assert_eq!(h.sent(), Some(Action::ClosePosition { ticket: tickets[1] }));
        // moving the selection between the presses does not close the first row
        h.press('c');
        h.press('k');
        h.press('c');
        assert_eq!(h.sent(), None);
    }

    #[test]
    fn close_position_is_a_positions_key_only() {
        let mut h = Harness::new(true);
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(h.app.focus, Pane::Signals);
        h.press('c');
        h.press('c');
        assert_eq!(h.sent(), None);
        assert_eq!(h.press('q'), Flow::Quit);
    }

    #[test]
    fn focus_cycles_both_ways() {
        let mut h = Harness::new(true);
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(h.app.focus, Pane::Log);
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(h.app.focus, Pane::Positions);
        h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(h.app.focus, Pane::Log);
    }

    #[test]
    fn a_closed_outbox_is_reported_not_ignored() {
        let mut h = Harness::new(false);
        h.outbox.close();
        h.press('X');
        let status = h.app.status.as_ref().map(|s| (s.kind, s.text.clone()));
        assert!(
            matches!(&status, Some((StatusKind::Refused, text)) if text.contains("NOT sent")),
            "{status:?}"
        );
    }

    #[test]
    fn replies_show_in_the_status_line_then_expire() {
        let mut h = Harness::new(true);
        let refused = Ok(Reply::Refused {
            reason: "already HALTED".into(),
        });
        h.app.on_reply(&Action::EmergencyStop, refused, h.now);
        assert_eq!(
            h.app.status.as_ref().map(|s| s.text.as_str()),
            Some("EMERGENCY STOP: REFUSED — already HALTED")
        );
        h.wait(STATUS_FOR);
        assert!(h.app.expire(h.now));
        assert_eq!(h.app.status, None);
    }
}
