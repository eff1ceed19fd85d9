use serde::{Deserialize, Serialize};

use crate::api::{Action, Origin, Reply};
use crate::broker::{BrokerRequest, TradeOutcome};
use crate::model::{Decision, Millis, Mode};
use crate::risk::daily::DayBook;

/// A line of the orders journal: an intent before it is sent, or what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEntry {
    pub seq: u64,
    pub at: Millis,
    pub cid: String,
    /// The signal the order belongs to; none for operator commands.
    pub signal: Option<u64>,
    /// The audit entry of the operator command that caused it, if any.
    pub command: Option<u64>,
    #[serde(flatten)]
    pub event: OrderEvent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderEvent {
    /// Written and flushed before the request leaves the engine.
    Intent {
        request: BrokerRequest,
        summary: String,
    },
    /// The broker's answer.
    Outcome { outcome: TradeOutcome },
    /// No answer will come (the link dropped, the request timed out, the engine restarted): the
    /// terminal must be asked about this cid before anything is resent. `link_lost`: it went with
    /// the link (or the engine), not because the terminal had it and said nothing, so the attempt
    /// does not count towards the limit on sending it again.
    Unknown {
        reason: String,
        #[serde(default)]
        link_lost: bool,
    },
    /// What the terminal said when asked about an unknown cid.
    Resolved { found: bool, detail: String },
    /// At the broker after reconnecting with this instance's cid, but this journal never sent
    /// it (a restored or foreign journal): shown, never touched.
    Orphan { ticket: u64, detail: String },
    /// A position this cid opened closed while the link was down: its close was not seen.
    ClosedUnseen { ticket: u64, detail: String },
    /// The position this cid opened left the book: at what price and profit, and what closed it
    /// (`by`: the cid of the close request that did, else why it closed).
    Closed {
        ticket: u64,
        price: f64,
        profit: f64,
        by: String,
    },
    /// In stealth, the levels SignalOS holds for the trade this cid opened instead of the broker
    /// (none: the broker holds them again).
    Hidden { sl: Option<f64>, tp: Option<f64> },
}

/// A later decision on a signal journaled as waiting for the broker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEntry {
    pub seq: u64,
    pub at: Millis,
    /// The signal decided.
    pub signal: u64,
    pub decision: Decision,
    /// The earlier signal a follow-up decided now acts on (its story tells it).
    #[serde(default)]
    pub linked: Option<u64>,
}

/// A line of the audit log: an operator command, who sent it, and the gate's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Millis,
    pub origin: Origin,
    pub action: Action,
    pub reply: Reply,
}

/// The engine's persistent settings and counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Meta {
    /// A short id made when the journal is created; it prefixes every client order id.
    pub instance: String,
    pub mode: Mode,
    pub mode_reason: String,
    pub mode_changed_at: Millis,
    pub counters: Counters,
    /// The trading day's equity and whether a daily limit tripped.
    pub day: DayBook,
    /// Stop losses and take profits held by SignalOS, not sent to the broker.
    pub stealth: bool,
    /// Trailing distances in pips an operator set on positions, by ticket.
    pub trails: std::collections::BTreeMap<u64, f64>,
    /// Positions and orders at the broker that carry a cid this journal never sent, which an
    /// operator has seen and let be (by resuming): they no longer hold back new entries.
    pub accepted_orphans: std::collections::BTreeSet<u64>,
    /// Where each source that confirms upstream stands (a Telegram bot's update offset), saved
    /// with the messages it covers.
    pub cursors: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Counters {
    pub messages: u64,
    pub opens: u64,
    pub refused: u64,
    pub orders: u64,
    pub emergency_stops: u64,
}
