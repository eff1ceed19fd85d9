//! The trading state the engine owns, and the events that change it.
//!
//! The engine changes its state only by applying a [`Change`] through [`State::apply`], and
//! publishes the same change as an [`Event`]. A subscriber holding a snapshot at seq N that applies
//! events N+1, N+2, … with the same function therefore holds exactly the engine's state.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::model::{
    Account, BrokerSnapshot, CloseReason, Millis, Mode, PendingOrder, Position, Quote,
    SignalRecord, SymbolSpec,
};
pub use crate::model::{Link, LinkState};

/// How many recent signals the state keeps; the journal keeps them all.
pub const RECENT_SIGNALS: usize = 500;

/// What became of an order request so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    /// Journaled, sent, no answer yet.
    Sent,
    Done,
    Rejected,
    /// The link dropped or the request timed out: the terminal must be asked before anything else.
    Unknown,
}

/// An order request the engine journaled, as the console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    pub cid: String,
    pub signal: Option<u64>,
    /// One line a trader reads: "BUY 0.10 XAUUSD SL 2340 TP 2355".
    pub summary: String,
    pub status: IntentStatus,
    pub detail: String,
    pub at: Millis,
}

/// Everything the engine knows. Plain data: clone it for a snapshot.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct State {
    /// This journal's id: the prefix of every cid it sends, so a trade another journal's cid
    /// names can be told apart.
    pub instance: String,
    pub mode: Mode,
    /// Why the mode was last changed, and by whom.
    pub mode_reason: String,
    pub account: Option<Account>,
    /// Equity when this engine first heard from the broker: the base of the session P&L.
    pub session_start_equity: Option<f64>,
    pub symbols: BTreeMap<String, SymbolSpec>,
    pub quotes: BTreeMap<String, Quote>,
    #[serde(with = "by_ticket")]
    pub positions: BTreeMap<u64, Position>,
    #[serde(with = "by_ticket")]
    pub orders: BTreeMap<u64, PendingOrder>,
    /// The most recent signals, oldest first.
    pub signals: VecDeque<SignalRecord>,
    /// Connection states by name: "broker", "source:demo", …
    pub links: BTreeMap<String, Link>,
    /// Requests not yet answered, and the last answered ones, by cid.
    pub intents: BTreeMap<String, Intent>,
    /// Profit realised by closes seen in this session.
    pub session_realized: f64,
    /// Stop losses and take profits are held by SignalOS and not sent to the broker: positions
    /// are unprotected whenever SignalOS is not running.
    pub stealth: bool,
    /// The trading day's equity book and the daily limits it is held to.
    pub day: Option<DayStatus>,
}

/// The day's book as the console shows it: day P&L against the daily limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayStatus {
    /// The trading day, as the UTC date it began on.
    pub day: String,
    pub start_equity: f64,
    pub high_equity: f64,
    /// `guards.daily_loss_limit_percent` (0: off).
    pub loss_limit_percent: f64,
    /// `guards.max_drawdown_percent` (0: off).
    pub drawdown_limit_percent: f64,
    /// The limit that tripped today, in words.
    pub tripped: Option<String>,
}

/// One state change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Mode {
        mode: Mode,
        reason: String,
    },
    /// The broker's full picture after (re)connecting: replaces positions, orders and symbols.
    Synced(BrokerSnapshot),
    Account(Account),
    Quote {
        symbol: String,
        quote: Quote,
    },
    /// A position opened or changed.
    Position(Position),
    PositionClosed {
        ticket: u64,
        price: f64,
        profit: f64,
        reason: CloseReason,
    },
    Order(PendingOrder),
    OrderRemoved {
        ticket: u64,
    },
    /// A new signal, or a later decision on one already listed (same seq). Boxed: a record is
    /// twice the size of any other change, and quotes, far more frequent, would pay for it.
    Signal(Box<SignalRecord>),
    /// Stealth turned on or off: stop losses and take profits held by SignalOS, not the broker.
    Stealth {
        on: bool,
    },
    Day(DayStatus),
    Link {
        name: String,
        link: Link,
    },
    Intent(Intent),
}

/// A change with its place in the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Consecutive from 1 in one engine run; a snapshot at N is followed by event N+1.
    pub seq: u64,
    pub at: Millis,
    pub change: Change,
}

/// The state at one point of the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub seq: u64,
    pub state: State,
}

/// How many answered intents the state keeps for display.
const RECENT_INTENTS: usize = 200;

impl State {
    pub fn apply(&mut self, change: &Change) {
        match change {
            Change::Mode { mode, reason } => {
                self.mode = *mode;
                self.mode_reason.clone_from(reason);
            }
            Change::Stealth { on } => self.stealth = *on,
            Change::Day(day) => self.day = Some(day.clone()),
            Change::Synced(BrokerSnapshot {
                account,
                symbols,
                quotes,
                positions,
                orders,
            }) => {
                self.session_start_equity.get_or_insert(account.equity);
                self.account = Some(account.clone());
                self.symbols = symbols
                    .iter()
                    .map(|s| (s.name.clone(), s.clone()))
                    .collect();
                self.quotes = quotes.iter().cloned().collect();
                self.positions = positions.iter().map(|p| (p.ticket, p.clone())).collect();
                self.orders = orders.iter().map(|o| (o.ticket, o.clone())).collect();
            }
            Change::Account(account) => {
                self.session_start_equity.get_or_insert(account.equity);
                self.account = Some(account.clone());
            }
            Change::Quote { symbol, quote } => {
                self.quotes.insert(symbol.clone(), *quote);
                if let Some(spec) = self.symbols.get(symbol) {
                    for p in self.positions.values_mut().filter(|p| &p.symbol == symbol) {
                        p.mark(quote, spec);
                    }
                }
            }
            Change::Position(p) => {
                self.positions.insert(p.ticket, p.clone());
            }
            Change::PositionClosed { ticket, profit, .. } => {
                self.positions.remove(ticket);
                self.session_realized += profit;
            }
            Change::Order(o) => {
                self.orders.insert(o.ticket, o.clone());
            }
            Change::OrderRemoved { ticket } => {
                self.orders.remove(ticket);
            }
            Change::Signal(record) => {
                match self.signals.iter_mut().rev().find(|s| s.seq == record.seq) {
                    Some(existing) => *existing = (**record).clone(),
                    None => {
                        self.signals.push_back((**record).clone());
                        while self.signals.len() > RECENT_SIGNALS {
                            self.signals.pop_front();
                        }
                    }
                }
            }
            Change::Link { name, link } => {
                self.links.insert(name.clone(), link.clone());
            }
            Change::Intent(intent) => {
                self.intents.insert(intent.cid.clone(), intent.clone());
                if self.intents.len() > RECENT_INTENTS {
                    let answered: Vec<String> = self
                        .intents
                        .values()
                        .filter(|i| matches!(i.status, IntentStatus::Done | IntentStatus::Rejected))
                        .map(|i| (i.at, i.cid.clone()))
                        .min()
                        .map(|(_, cid)| cid)
                        .into_iter()
                        .collect();
                    for cid in answered {
                        self.intents.remove(&cid);
                    }
                }
            }
        }
    }

    /// Floating profit of all open positions, net of swap and commission.
    pub fn floating_pnl(&self) -> f64 {
        self.positions.values().map(Position::net_profit).sum()
    }

    /// True when the broker holds nothing of ours: no position, no pending order.
    pub fn is_flat(&self) -> bool {
        self.positions.is_empty() && self.orders.is_empty()
    }
}

/// Maps by ticket, whose keys JSON writes as strings. serde reads those back as numbers only
/// straight from JSON: inside an internally tagged enum (a relay's `snapshot`, a `state` answer)
/// the keys arrive as strings, which a `u64` refuses. Read as strings, then parsed.
mod by_ticket {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        map: &BTreeMap<u64, T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        map.serialize(s)
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<u64, T>, D::Error> {
        BTreeMap::<String, T>::deserialize(d)?
            .into_iter()
            .map(|(key, value)| match key.parse() {
                Ok(ticket) => Ok((ticket, value)),
                Err(_) => Err(serde::de::Error::custom(format!(
                    "{key:?} is not a ticket: expected a whole number"
                ))),
            })
            .collect()
    }
}
