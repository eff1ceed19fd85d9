//! A signal's story as the journal tells it: every version of its message, how it was read, what
//! was decided and why, and each order attempt with the broker's answer.

use serde::{Deserialize, Serialize};

use crate::model::{BrokerRequest, Decision, Millis, Parsed, TradeOutcome};

/// One step of the story, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// A version of the message (edit 0 is the original).
    Message {
        signal: u64,
        at: Millis,
        source: String,
        chat: String,
        msg_id: i64,
        edit: u32,
        text: String,
    },
    /// How the message was read, with the trace of every rule that fired.
    Parse { signal: u64, parsed: Parsed },
    /// What was decided, and why.
    Decision {
        signal: u64,
        at: Millis,
        decision: Decision,
    },
    /// An order intent, outcome, unknown or settlement.
    Order(OrderEntry),
}

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
