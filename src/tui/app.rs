//! The console's own state: focus, zoom, selections, filters, the open prompt (form, filter,
//! palette, help), the armed confirmation and the status line. Keys become named actions;
//! dangerous ones need a second press; commands leave through an outbox.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;
use tracing::Level;

use crate::api::{Action, Gone, Link, Reply, Role, State};
use crate::config::keymap::{Context, Keymap, UiAction};
use crate::model::{Decision, Millis, SignalRecord};
use crate::store::Step;
use crate::telemetry::LogLine;
use crate::tui::form::{Form, FormKind};
use crate::tui::rows;

/// How long a first press of a dangerous action waits for the second.
pub const CONFIRM_WINDOW: Duration = Duration::from_secs(2);
/// How long an engine reply stays in the status line.
pub const STATUS_FOR: Duration = Duration::from_secs(5);
/// How long an unread message stays in the status line: it comes unasked, to a trader who may
/// be looking elsewhere, and asks for action by hand.
pub const UNREAD_FOR: Duration = Duration::from_secs(30);
/// How many rows page keys move.
const PAGE: usize = 10;
/// The session equity curve keeps at most this many points; older ones are thinned evenly.
const EQUITY_POINTS: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Positions,
    Orders,
    Signals,
    Detail,
    Chart,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Positions,
        Pane::Orders,
        Pane::Signals,
        Pane::Detail,
        Pane::Chart,
        Pane::Log,
    ];

    pub fn context(self) -> Context {
        match self {
            Pane::Positions => Context::Positions,
            Pane::Orders => Context::Orders,
            Pane::Signals => Context::Signals,
            Pane::Detail => Context::Detail,
            Pane::Chart => Context::Chart,
            Pane::Log => Context::Log,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Positions => "Positions",
            Pane::Orders => "Pending orders",
            Pane::Signals => "Signals",
            Pane::Detail => "Detail",
            Pane::Chart => "Equity",
            Pane::Log => "Log",
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
    pub risky: Risky,
    pub until: Instant,
}

/// What can be armed, with what it is aimed at: the second press sends exactly what the first
/// named, and a match on it has no case to fall through to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risky {
    EmergencyStop,
    Resume,
    Stealth,
    Resync,
    /// The position it is aimed at: a second press on another row must not act on this one.
    ClosePosition(u64),
    Breakeven(u64),
    CancelOrder(u64),
}

impl Risky {
    /// The action whose key arms it.
    pub fn action(self) -> UiAction {
        match self {
            Risky::EmergencyStop => UiAction::EmergencyStop,
            Risky::Resume => UiAction::Resume,
            Risky::Stealth => UiAction::Stealth,
            Risky::Resync => UiAction::Resync,
            Risky::ClosePosition(_) => UiAction::ClosePosition,
            Risky::Breakeven(_) => UiAction::Breakeven,
            Risky::CancelOrder(_) => UiAction::CancelOrder,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Accepted,
    Refused,
    /// A message the parser could not read arrived.
    Unread,
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

/// What takes the keyboard over the panes: printable keys type into it.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    /// Typing the focused pane's filter.
    Filter,
    /// The command palette: a query and the selected row of the actions it matches.
    Palette {
        query: String,
        selected: usize,
    },
    Help {
        scroll: usize,
    },
    Form(Form),
}

/// The selected signal's story as the journal tells it.
#[derive(Debug, Clone, PartialEq)]
pub enum Story {
    Loading,
    Told(Vec<Step>),
    Missing(String),
}

/// Everything the console knows about what the operator is doing, apart from the replica.
#[derive(Debug)]
pub struct App {
    pub focus: Pane,
    pub zoomed: bool,
    /// Which of signals, detail, chart and log has the shared slot when the screen is small.
    pub slot: Pane,
    /// The selected position, by ticket so that the selection survives positions coming and going.
    pub position: Option<u64>,
    pub order: Option<u64>,
    /// The selected signal by seq; `None` follows the newest.
    pub signal: Option<u64>,
    /// How many lines the log is scrolled back from the newest; 0 follows new lines.
    pub log_scroll: usize,
    pub log_level: Level,
    pub detail_scroll: usize,
    pub filters: [String; 6],
    pub prompt: Option<Prompt>,
    pub armed: Option<Armed>,
    pub status: Option<Status>,
    /// The story shown in the detail pane, and which signal it is of.
    pub story: Option<(u64, Story)>,
    /// The session's equity, oldest first.
    pub equity: Vec<(Millis, f64)>,
    confirm_emergency_stop: bool,
    outbox: mpsc::UnboundedSender<Action>,
    /// What this console may do: a viewer's keys that act are shown disabled, and say why.
    pub role: Role,
    /// How the console reaches a remote engine (`signalos view`); none in the engine's process.
    pub engine_link: Option<Link>,
}

/// Why a viewer's console does not act.
pub const READ_ONLY: &str =
    "this console is a viewer (read-only token): acting needs an operator token";

impl App {
    pub fn new(confirm_emergency_stop: bool, outbox: mpsc::UnboundedSender<Action>) -> App {
        App {
            focus: Pane::Positions,
            zoomed: false,
            slot: Pane::Signals,
            position: None,
            order: None,
            signal: None,
            log_scroll: 0,
            log_level: Level::INFO,
            detail_scroll: 0,
            filters: Default::default(),
            prompt: None,
            armed: None,
            status: None,
            story: None,
            equity: Vec::new(),
            confirm_emergency_stop,
            outbox,
            role: Role::Operator,
            engine_link: None,
        }
    }

    /// Why this console may not act, if it may not.
    pub fn read_only(&self) -> Option<&'static str> {
        (self.role != Role::Operator).then_some(READ_ONLY)
    }

    pub fn filter(&self, pane: Pane) -> &str {
        &self.filters[pane.index()]
    }

    /// A key press. The emergency stop of `[global]` acts first, whatever is open; a prompt takes
    /// the keys next; then the focused pane's table and `global`.
    pub fn on_key(
        &mut self,
        keymap: &Keymap,
        key: KeyEvent,
        state: &State,
        logs: &[LogLine],
        now: Instant,
    ) -> Flow {
        if keymap.bound(Context::Global, key) == Some(UiAction::EmergencyStop) {
            return self.on_action(UiAction::EmergencyStop, state, logs, now);
        }
        if self.prompt.is_some() {
            self.disarm();
            self.on_prompt_key(keymap, key, state, logs, now);
            return Flow::Continue;
        }
        match keymap.action(self.focus.context(), key) {
            Some(action) => self.on_action(action, state, logs, now),
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
        logs: &[LogLine],
        now: Instant,
    ) -> Flow {
        self.expire(now);
        if action.acts()
            && let Some(why) = self.read_only()
        {
            self.disarm();
            self.set_status(
                format!("{}: disabled — {why}", action.label()),
                StatusKind::Refused,
                now,
            );
            return Flow::Continue;
        }
        if self.needs_confirmation(action) {
            self.confirm(action, state, now);
            return Flow::Continue;
        }
        self.disarm();
        match action {
            UiAction::Quit => return Flow::Quit,
            UiAction::EmergencyStop => self.send(Action::EmergencyStop, now),
            UiAction::Pause => self.send(Action::Pause, now),
            UiAction::FocusNext => self.focus_on(self.focus.next()),
            UiAction::FocusPrev => self.focus_on(self.focus.prev()),
            UiAction::Zoom => self.zoomed = !self.zoomed,
            UiAction::Help => self.prompt = Some(Prompt::Help { scroll: 0 }),
            UiAction::Palette => {
                self.prompt = Some(Prompt::Palette {
                    query: String::new(),
                    selected: 0,
                })
            }
            UiAction::Filter => self.prompt = Some(Prompt::Filter),
            UiAction::SelectPrev
            | UiAction::SelectNext
            | UiAction::SelectFirst
            | UiAction::SelectLast
            | UiAction::PageUp
            | UiAction::PageDown => self.select(action, state, logs),
            UiAction::ClosePart => self.open_form(FormKind::ClosePart, state, now),
            UiAction::Modify => self.open_form(FormKind::Modify, state, now),
            UiAction::Trail => self.open_form(FormKind::Trail, state, now),
            UiAction::ShowDetail => {
                self.focus_on(Pane::Detail);
                self.detail_scroll = 0;
            }
            UiAction::LogLevel => {
                self.log_level = match self.log_level {
                    Level::ERROR => Level::WARN,
                    Level::WARN => Level::INFO,
                    Level::INFO => Level::DEBUG,
                    _ => Level::ERROR,
                };
                self.log_scroll = 0;
            }
            // Confirmed actions arrive through `confirm`; prompt actions only act in a prompt.
            UiAction::Resume
            | UiAction::Stealth
            | UiAction::Resync
            | UiAction::ClosePosition
            | UiAction::Breakeven
            | UiAction::CancelOrder
            | UiAction::Submit
            | UiAction::Cancel
            | UiAction::NextField
            | UiAction::PrevField => {}
        }
        Flow::Continue
    }

    fn focus_on(&mut self, pane: Pane) {
        self.focus = pane;
        if matches!(pane, Pane::Signals | Pane::Detail | Pane::Chart | Pane::Log) {
            self.slot = pane;
        }
    }

    fn needs_confirmation(&self, action: UiAction) -> bool {
        action.needs_confirmation()
            && (action != UiAction::EmergencyStop || self.confirm_emergency_stop)
    }

    /// First press arms; a second press of the same action on the same target, in time, sends.
    fn confirm(&mut self, action: UiAction, state: &State, now: Instant) {
        let risky = match action {
            UiAction::EmergencyStop => Risky::EmergencyStop,
            UiAction::Resume => Risky::Resume,
            UiAction::Stealth => Risky::Stealth,
            UiAction::Resync => Risky::Resync,
            UiAction::ClosePosition | UiAction::Breakeven => {
                let Some(ticket) = self.selected_position(state) else {
                    self.disarm();
                    self.set_status("no position selected", StatusKind::Refused, now);
                    return;
                };
                if action == UiAction::ClosePosition {
                    Risky::ClosePosition(ticket)
                } else {
                    Risky::Breakeven(ticket)
                }
            }
            UiAction::CancelOrder => {
                let Some(ticket) = self.selected_order(state) else {
                    self.disarm();
                    self.set_status("no pending order selected", StatusKind::Refused, now);
                    return;
                };
                Risky::CancelOrder(ticket)
            }
            // Fails closed: an action this does not know is sent as nothing else.
            other => {
                self.disarm();
                self.set_status(
                    format!("{} cannot be confirmed", other.name()),
                    StatusKind::Refused,
                    now,
                );
                return;
            }
        };
        let confirmed = self
            .armed
            .as_ref()
            .is_some_and(|a| a.risky == risky && now < a.until);
        if !confirmed {
            self.armed = Some(Armed {
                risky,
                until: now + CONFIRM_WINDOW,
            });
            return;
        }
        self.armed = None;
        let command = match risky {
            Risky::EmergencyStop => Action::EmergencyStop,
            Risky::Resume => Action::Resume {
                reason: "console resume".into(),
            },
            Risky::Stealth => Action::Stealth { on: !state.stealth },
            Risky::Resync => Action::Resync,
            Risky::ClosePosition(ticket) => Action::ClosePosition { ticket },
            Risky::Breakeven(ticket) => Action::Breakeven { ticket },
            Risky::CancelOrder(ticket) => Action::CancelOrder { ticket },
        };
        self.send(command, now);
    }

    fn disarm(&mut self) {
        self.armed = None;
    }

    fn open_form(&mut self, kind: FormKind, state: &State, now: Instant) {
        let position = self
            .selected_position(state)
            .and_then(|t| state.positions.get(&t));
        match position {
            Some(p) => {
                self.prompt = Some(Prompt::Form(Form::open(
                    kind,
                    p,
                    state.symbols.get(&p.symbol),
                )))
            }
            None => self.set_status("no position selected", StatusKind::Refused, now),
        }
    }

    fn on_prompt_key(
        &mut self,
        keymap: &Keymap,
        key: KeyEvent,
        state: &State,
        logs: &[LogLine],
        now: Instant,
    ) {
        let Some(prompt) = self.prompt.take() else {
            return;
        };
        let action = keymap.bound(Context::Prompt, key);
        let typed = match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        };
        let backspace = key.code == KeyCode::Backspace;
        self.prompt = match prompt {
            Prompt::Filter => {
                let filter = &mut self.filters[self.focus.index()];
                match action {
                    Some(UiAction::Submit) => None,
                    Some(UiAction::Cancel) => {
                        filter.clear();
                        None
                    }
                    _ => {
                        if let Some(c) = typed {
                            filter.push(c);
                        } else if backspace {
                            filter.pop();
                        }
                        self.reset_selection();
                        Some(Prompt::Filter)
                    }
                }
            }
            Prompt::Help { scroll } => match action {
                Some(UiAction::SelectPrev) => Some(Prompt::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                Some(UiAction::SelectNext) => Some(Prompt::Help { scroll: scroll + 1 }),
                Some(UiAction::PageUp) => Some(Prompt::Help {
                    scroll: scroll.saturating_sub(PAGE),
                }),
                Some(UiAction::PageDown) => Some(Prompt::Help {
                    scroll: scroll + PAGE,
                }),
                Some(_) => None,
                // The help key closes help too.
                None if keymap.bound(Context::Global, key) == Some(UiAction::Help) => None,
                None => Some(Prompt::Help { scroll }),
            },
            Prompt::Palette {
                mut query,
                mut selected,
            } => {
                let found = palette_matches(&query).len();
                match action {
                    Some(UiAction::Cancel) => None,
                    Some(UiAction::Submit) => {
                        if let Some(chosen) = palette_matches(&query).get(selected) {
                            // As if its key were pressed where the focus is: dangerous actions
                            // still want their second press.
                            self.on_action(*chosen, state, logs, now);
                        }
                        return;
                    }
                    Some(UiAction::SelectPrev) => {
                        selected = selected.saturating_sub(1);
                        Some(Prompt::Palette { query, selected })
                    }
                    Some(UiAction::SelectNext) => {
                        selected = (selected + 1).min(found.saturating_sub(1));
                        Some(Prompt::Palette { query, selected })
                    }
                    _ => {
                        if let Some(c) = typed {
                            query.push(c);
                            selected = 0;
                        } else if backspace {
                            query.pop();
                            selected = 0;
                        }
                        Some(Prompt::Palette { query, selected })
                    }
                }
            }
            Prompt::Form(mut form) => match action {
                Some(UiAction::Cancel) => None,
                Some(UiAction::Submit) => match form.evaluate(state) {
                    Ok(preview) => {
                        self.send(preview.action, now);
                        None
                    }
                    // The form stays open and shows why; nothing is sent.
                    Err(_) => Some(Prompt::Form(form)),
                },
                Some(UiAction::NextField | UiAction::SelectNext) => {
                    form.next_field();
                    Some(Prompt::Form(form))
                }
                Some(UiAction::PrevField | UiAction::SelectPrev) => {
                    form.prev_field();
                    Some(Prompt::Form(form))
                }
                _ => {
                    if let Some(c) = typed {
                        form.type_char(c);
                    } else if backspace {
                        form.backspace();
                    }
                    Some(Prompt::Form(form))
                }
            },
        };
    }

    fn reset_selection(&mut self) {
        match self.focus {
            Pane::Signals => self.signal = None,
            Pane::Log => self.log_scroll = 0,
            _ => {}
        }
    }

    fn send(&mut self, action: Action, now: Instant) {
        let what = action.to_string();
        match self.outbox.send(action) {
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
    pub fn on_reply(&mut self, action: &Action, reply: Result<Reply, Gone>, now: Instant) {
        let what = action.to_string();
        let (text, kind) = match reply {
            Ok(Reply::Accepted { detail }) => {
                (format!("{what}: accepted — {detail}"), StatusKind::Accepted)
            }
            Ok(Reply::Refused { reason }) => {
                (format!("{what}: REFUSED — {reason}"), StatusKind::Refused)
            }
            Err(gone) => (format!("{what}: NO ANSWER — {gone}"), StatusKind::Refused),
        };
        self.set_status(text, kind, now);
    }

    /// A signal the engine published, read against the state `before` it: an unread message
    /// new to this console is said in the status line, for the trader to act on by hand.
    pub fn on_signal(&mut self, before: &State, record: &SignalRecord, now: Instant) {
        let Decision::Unread { reason } = &record.decision else {
            return;
        };
        let known = before
            .signals
            .iter()
            .any(|s| s.seq == record.seq && matches!(s.decision, Decision::Unread { .. }));
        if !known {
            self.status = Some(Status {
                text: format!("unread message from {}: {reason}", record.chat),
                kind: StatusKind::Unread,
                until: now + UNREAD_FOR,
            });
        }
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

    /// The ids of the rows a list pane shows through its filter, in screen order: tickets of
    /// positions and orders, seqs of signals (newest first).
    fn ids(&self, pane: Pane, state: &State) -> Vec<u64> {
        let filter = self.filter(pane);
        match pane {
            Pane::Positions => rows::positions(state, filter)
                .iter()
                .map(|p| p.ticket)
                .collect(),
            Pane::Orders => rows::orders(state, filter)
                .iter()
                .map(|o| o.ticket)
                .collect(),
            Pane::Signals => rows::signals(state, filter).iter().map(|s| s.seq).collect(),
            Pane::Detail | Pane::Chart | Pane::Log => Vec::new(),
        }
    }

    /// The selected position among those the filter shows, or the first of them.
    pub fn selected_position(&self, state: &State) -> Option<u64> {
        kept(self.position, &self.ids(Pane::Positions, state))
    }

    pub fn selected_order(&self, state: &State) -> Option<u64> {
        kept(self.order, &self.ids(Pane::Orders, state))
    }

    /// The selected signal's seq: the chosen one while it is listed, else the newest listed.
    pub fn selected_signal(&self, state: &State) -> Option<u64> {
        kept(self.signal, &self.ids(Pane::Signals, state))
    }

    /// The signal whose story the detail pane should show, when it differs from the one it has.
    pub fn story_wanted(&self, state: &State) -> Option<u64> {
        let seq = self.selected_signal(state)?;
        match &self.story {
            Some((shown, _)) if *shown == seq => None,
            _ => Some(seq),
        }
    }

    pub fn on_story(&mut self, seq: u64, story: Story) {
        if self.story.as_ref().is_none_or(|(shown, _)| *shown != seq) {
            self.detail_scroll = 0;
        }
        self.story = Some((seq, story));
    }

    /// Keep selections inside what the replica now holds, and sample the equity curve.
    pub fn follow(&mut self, state: &State, now: Millis) {
        self.position = self.selected_position(state);
        self.order = self.selected_order(state);
        // An armed action whose position or order has gone is called off.
        if let Some(armed) = &self.armed {
            let there = match armed.risky {
                Risky::CancelOrder(ticket) => state.orders.contains_key(&ticket),
                Risky::ClosePosition(ticket) | Risky::Breakeven(ticket) => {
                    state.positions.contains_key(&ticket)
                }
                Risky::EmergencyStop | Risky::Resume | Risky::Stealth | Risky::Resync => true,
            };
            if !there {
                self.armed = None;
            }
        }
        if let Some(account) = &state.account {
            self.sample_equity(now, account.equity);
        }
    }

    /// A point when the equity moves, one per second at most; a quiet account adds nothing, so an
    /// idle chart stays still. When full, every other old point goes: the curve keeps the whole
    /// session at a coarser grain.
    fn sample_equity(&mut self, now: Millis, equity: f64) {
        let Some(&(at, last)) = self.equity.last() else {
            self.equity.push((now, equity));
            return;
        };
        if equity == last {
            return;
        }
        if now - at < 1000 {
            if let Some(point) = self.equity.last_mut() {
                point.1 = equity;
            }
        } else {
            // Flat since the last point: a step, not a slope from it.
            if now - at > 2000 {
                self.equity.push((now - 1000, last));
            }
            self.equity.push((now, equity));
        }
        if self.equity.len() > EQUITY_POINTS {
            let mut i = 0;
            self.equity.retain(|_| {
                i += 1;
                i % 2 == 1
            });
        }
    }

    fn select(&mut self, action: UiAction, state: &State, logs: &[LogLine]) {
        match self.focus {
            Pane::Positions => {
                let at = self.selected_position(state);
                self.position = step_among(action, self.ids(Pane::Positions, state), at);
            }
            Pane::Orders => {
                let at = self.selected_order(state);
                self.order = step_among(action, self.ids(Pane::Orders, state), at);
            }
            Pane::Signals => {
                let ids = self.ids(Pane::Signals, state);
                let newest = ids.first().copied();
                let at = self.selected_signal(state);
                // Back on the newest row: follow new signals again.
                self.signal = step_among(action, ids, at).filter(|seq| Some(*seq) != newest);
            }
            Pane::Detail => self.detail_scroll = step(action, self.detail_scroll, usize::MAX),
            Pane::Chart => {}
            // The log reads upwards: "previous" is an older line, further from the newest.
            Pane::Log => {
                let shown = rows::logs(logs, self.log_level, self.filter(Pane::Log)).len();
                let flipped = match action {
                    UiAction::SelectPrev => UiAction::SelectNext,
                    UiAction::SelectNext => UiAction::SelectPrev,
                    UiAction::SelectFirst => UiAction::SelectLast,
                    UiAction::SelectLast => UiAction::SelectFirst,
                    UiAction::PageUp => UiAction::PageDown,
                    _ => UiAction::PageUp,
                };
                self.log_scroll = step(flipped, self.log_scroll, shown);
            }
        }
    }
}

/// The actions the palette lists for `query`: every action a pane or `[global]` can bind, whose
/// name or description holds the query.
pub fn palette_matches(query: &str) -> Vec<UiAction> {
    let query = query.to_lowercase();
    let listed = || UiAction::all().filter(|a| !a.fits(Context::Prompt) || a.fits(Context::Global));
    // Names that hold the query first, then actions whose description does.
    let mut found: Vec<UiAction> = listed().filter(|a| a.name().contains(&query)).collect();
    found.extend(
        listed().filter(|a| {
            !a.name().contains(&query) && a.description().to_lowercase().contains(&query)
        }),
    );
    found
}

/// The chosen id while it is among those shown, else the first shown.
fn kept(chosen: Option<u64>, shown: &[u64]) -> Option<u64> {
    chosen
        .filter(|c| shown.contains(c))
        .or_else(|| shown.first().copied())
}

fn step_among(action: UiAction, ids: Vec<u64>, at: Option<u64>) -> Option<u64> {
    let index = at
        .and_then(|id| ids.iter().position(|x| *x == id))
        .unwrap_or(0);
    ids.get(step(action, index, ids.len())).copied()
}

fn step(action: UiAction, at: usize, len: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        UiAction::SelectPrev => at.saturating_sub(1),
        UiAction::SelectNext => (at + 1).min(last),
        UiAction::PageUp => at.saturating_sub(PAGE),
        UiAction::PageDown => (at + PAGE).min(last),
        UiAction::SelectFirst => 0,
        _ => last,
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
        outbox: mpsc::UnboundedReceiver<Action>,
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

        fn with_keymap(name: &str) -> Harness {
            let mut h = Harness::new(true);
            h.keymap = Keymap::parse(name, builtin_keymap(name).unwrap_or_default())
                .unwrap_or_else(|p| panic!("{p}"));
            h
        }

        /// Type characters; `\n` is enter, `\x1b` esc, `\t` tab, `\x08` backspace.
        fn keys(&mut self, keys: &str) {
            for c in keys.chars() {
                match c {
                    '\n' => self.key(KeyCode::Enter, KeyModifiers::NONE),
                    '\x1b' => self.key(KeyCode::Esc, KeyModifiers::NONE),
                    '\t' => self.key(KeyCode::Tab, KeyModifiers::NONE),
                    '\x08' => self.key(KeyCode::Backspace, KeyModifiers::NONE),
                    c => self.press(c),
                };
            }
        }

        fn form(&self) -> Option<&Form> {
            match &self.app.prompt {
                Some(Prompt::Form(form)) => Some(form),
                _ => None,
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
                &[],
                self.now,
            )
        }

        fn wait(&mut self, d: Duration) {
            self.now += d;
        }

        fn sent(&mut self) -> Option<Action> {
            match self.outbox.try_recv() {
                Ok(action) => Some(action),
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
            h.app.armed.as_ref().map(|a| a.risky),
            Some(Risky::EmergencyStop)
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
        let mut seen = Vec::new();
        for _ in 0..5 {
            h.key(KeyCode::Tab, KeyModifiers::NONE);
            seen.push(h.app.focus);
        }
        assert_eq!(
            seen,
            [
                Pane::Orders,
                Pane::Signals,
                Pane::Detail,
                Pane::Chart,
                Pane::Log
            ]
        );
        assert_eq!(
            h.app.slot,
            Pane::Log,
            "the small screen's slot follows the focus"
        );
        h.key(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(h.app.focus, Pane::Positions);
        h.key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(h.app.focus, Pane::Log);
    }

    #[test]
    fn stealth_resync_and_breakeven_want_two_presses() {
        let mut h = Harness::new(true);
        let ticket = h.app.selected_position(&h.state);
        h.keys("S");
        assert_eq!(h.sent(), None);
        h.keys("S");
        assert_eq!(h.sent(), Some(Action::Stealth { on: true }));
        h.state.stealth = true;
        h.keys("SS");
        assert_eq!(h.sent(), Some(Action::Stealth { on: false }));
        h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
        h.key(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(h.sent(), Some(Action::Resync));
        h.keys("bb");
        assert_eq!(h.sent(), ticket.map(|ticket| Action::Breakeven { ticket }));
    }

    #[test]
    fn a_pending_order_is_cancelled_with_two_presses_in_its_pane() {
        let mut h = Harness::new(true);
        let order = h.state.orders.keys().next().copied();
        h.keys("cc");
        assert!(
            matches!(h.sent(), Some(Action::ClosePosition { .. })),
            "c in positions closes a position"
        );
        h.keys("\t");
        assert_eq!(h.app.focus, Pane::Orders);
        h.keys("c");
        assert_eq!(h.sent(), None);
        h.keys("c");
        assert_eq!(h.sent(), order.map(|ticket| Action::CancelOrder { ticket }));
        // Armed, then the order fills: the second press cancels nothing.
        h.keys("c");
        h.state.orders.clear();
        h.app.follow(&h.state, 0);
        h.keys("c");
        assert_eq!(h.sent(), None);
    }

    #[test]
    fn a_form_sends_what_it_shows_and_nothing_while_it_is_wrong() {
        let mut h = Harness::new(true);
        let ticket = h.app.selected_position(&h.state).unwrap_or_default();
        h.keys("p");
        assert!(h.form().is_some(), "p opens the close-part form");
        h.keys("\x08\x0830\n");
        assert_eq!(
            h.sent(),
            Some(Action::ClosePart {
                ticket,
                fraction: 0.3
            })
        );
        assert_eq!(h.app.prompt, None);
        // 0% is refused in the form: nothing sent, the form stays open.
        h.keys("p\x08\x080\n");
        assert_eq!(h.sent(), None);
        assert!(h.form().is_some());
        h.keys("\x1b");
        assert_eq!(h.app.prompt, None);
        assert_eq!(h.sent(), None, "cancel sends nothing");
        // Modify: clear the SL, type a new one, leave the TP as it was.
        h.keys("m");
        let sl_len = h.form().map_or(0, |f| f.fields[0].text.len());
        h.keys(&"\x08".repeat(sl_len));
        h.keys("4145.5\n");
        assert_eq!(
            h.sent(),
            Some(Action::ModifyPosition {
                ticket,
                sl: Some(4145.5),
                tp: Some(4155.0)
            })
        );
        h.keys("t15\n");
        assert_eq!(h.sent(), Some(Action::Trail { ticket, pips: 15.0 }));
    }

    #[test]
    fn the_emergency_stop_works_from_every_pane_and_every_prompt() {
        for opener in [
            "",
            "p",
            "m",
            "t",
            ":",
            "?",
            "/",
            "\t",
            "\t\t",
            "\t\t\t",
            "\t\t\t\t",
            "\t\t\t\t\t",
            "z",
        ] {
            let mut h = Harness::new(true);
            h.keys(opener);
            h.keys("XX");
            assert_eq!(
                h.sent(),
                Some(Action::EmergencyStop),
                "after {opener:?} (prompt {:?}, focus {:?})",
                h.app.prompt,
                h.app.focus
            );
        }
    }

    #[test]
    fn the_palette_runs_an_action_by_name() {
        let mut h = Harness::new(true);
        h.keys(":pause\n");
        assert_eq!(h.sent(), Some(Action::Pause));
        assert_eq!(h.app.prompt, None);
        // A dangerous one still wants its second press.
        h.keys(":emergency\n");
        assert_eq!(h.sent(), None);
        assert!(h.app.armed.is_some());
        h.keys("X");
        assert_eq!(h.sent(), Some(Action::EmergencyStop));
        assert!(palette_matches("").len() > 20);
        assert!(!palette_matches("").contains(&UiAction::Submit));
    }

    #[test]
    fn help_zoom_level_and_filter_keys() {
        let mut h = Harness::new(true);
        h.keys("?");
        assert_eq!(h.app.prompt, Some(Prompt::Help { scroll: 0 }));
        h.key(KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(h.app.prompt, Some(Prompt::Help { scroll: 1 }));
        h.keys("?");
        assert_eq!(h.app.prompt, None, "the help key closes help");
        h.keys("z");
        assert!(h.app.zoomed);
        h.keys("z");
        assert!(!h.app.zoomed);
        h.keys("\t\t\t\t\t");
        assert_eq!(h.app.focus, Pane::Log);
        h.keys("l");
        assert_eq!(h.app.log_level, Level::DEBUG);
        h.keys("ll");
        assert_eq!(h.app.log_level, Level::WARN);
        // The filter belongs to the pane it was typed in.
        h.keys("/warn\n");
        assert_eq!(h.app.filter(Pane::Log), "warn");
        assert_eq!(h.app.filter(Pane::Positions), "");
        h.keys("/\x1b");
        assert_eq!(h.app.filter(Pane::Log), "");
    }

    #[test]
    fn a_filter_moves_the_selection_among_what_it_shows() {
        let mut h = Harness::new(true);
        h.keys("/eur\n");
        let eur = h
            .state
            .positions
            .values()
            .find(|p| p.symbol == "EURUSD")
            .map(|p| p.ticket);
        assert_eq!(h.app.selected_position(&h.state), eur);
        h.keys("cc");
        assert_eq!(h.sent(), eur.map(|ticket| Action::ClosePosition { ticket }));
    }

    #[test]
    fn the_vim_keymap_closes_with_dd_and_edits_with_e() {
        let mut h = Harness::with_keymap("vim");
        let tickets: Vec<u64> = h.state.positions.keys().copied().collect();
        h.keys("G");
        assert_eq!(h.app.position, tickets.last().copied());
        h.keys("dd");
        assert_eq!(
            h.sent(),
            tickets
                .last()
                .map(|&ticket| Action::ClosePosition { ticket })
        );
        h.keys("e");
        assert!(matches!(h.form(), Some(f) if f.kind == FormKind::Modify));
        h.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(h.app.prompt, None, "ctrl-c cancels a form in vim.toml");
    }

    #[test]
    fn the_equity_curve_moves_only_when_the_equity_does() {
        let state = fixture::state(crate::model::Mode::Active);
        let at = |app: &mut App, t: Millis, equity: f64| {
            let mut state = state.clone();
            if let Some(a) = state.account.as_mut() {
                a.equity = equity;
            }
            app.follow(&state, t);
        };
        let mut app = App::new(true, mpsc::unbounded_channel().0);
        at(&mut app, 0, 100.0);
        at(&mut app, 5_000, 100.0);
        at(&mut app, 9_000, 100.0);
        assert_eq!(app.equity, [(0, 100.0)], "a quiet account adds nothing");
        at(&mut app, 10_000, 90.0);
        at(&mut app, 10_400, 95.0);
        assert_eq!(
            app.equity,
            [(0, 100.0), (9_000, 100.0), (10_000, 95.0)],
            "flat, then a step; moves within a second share a point"
        );
        for i in 0..5000u32 {
            at(&mut app, 20_000 + i64::from(i) * 1000, f64::from(i % 7));
        }
        assert!(app.equity.len() <= EQUITY_POINTS);
        assert_eq!(
            app.equity[0],
            (0, 100.0),
            "thinning keeps the session's start"
        );
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

    #[test]
    fn an_unread_message_shows_in_the_status_line_once_then_expires() {
        let mut h = Harness::new(true);
        let unread = fixture::unread("XAUUSD something 2350 weird");
        h.app.on_signal(&h.state, &unread, h.now);
        let status = h.app.status.clone().unwrap_or_else(|| panic!("no notice"));
        assert_eq!(status.kind, StatusKind::Unread);
        assert!(
            status
                .text
                .starts_with("unread message from Gold VIP: names XAUUSD and 2350, read as none: "),
            "{}",
            status.text
        );
        // Outlives a command's reply: it asks for action, unasked.
        h.wait(STATUS_FOR);
        assert!(!h.app.expire(h.now));
        h.wait(UNREAD_FOR - STATUS_FOR);
        assert!(h.app.expire(h.now));

        // Published again once the console holds it (a stale event): no second notice.
        h.state
            .apply(&crate::api::Change::Signal(Box::new(unread.clone())));
        h.app.on_signal(&h.state, &unread, h.now);
        assert_eq!(h.app.status, None);
        // Chatter is no news.
        let mut chatter = fixture::unread("hello everyone");
        chatter.seq = 19;
        chatter.decision = Decision::Ignored {
            reason: "kind: none — no symbol".into(),
        };
        h.app.on_signal(&h.state, &chatter, h.now);
        assert_eq!(h.app.status, None);
    }
}
