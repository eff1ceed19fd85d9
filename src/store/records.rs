use serde::{Deserialize, Serialize};

use crate::api::{Action, Origin, Reply};
pub use crate::api::{OrderEntry, OrderEvent};
use crate::model::{Decision, Millis, Mode};
use crate::risk::daily::DayBook;

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
