//! The boundary between the engine and a broker.
//!
//! The engine speaks [`BrokerRequest`]s and hears [`BrokerEvent`]s, nothing else. Both are plain
//! serde data so that the bridge can carry them as JSON lines to the MT5 Expert Advisor; the
//! simulator answers the same messages, so the default path is the real path.

pub mod bridge;
pub mod sim;

pub use crate::model::{BrokerRequest, BrokerSnapshot, CloseReason, TradeOutcome};

use serde::{Deserialize, Serialize};

use crate::model::{Account, Link, Millis, PendingOrder, Position, Quote};

/// The return code of a request SignalOS refused before it reached the terminal (no EA connected,
/// a symbol the terminal does not offer): certainly not executed. MT5's own codes start at 10004.
pub const RETCODE_NOT_SENT: u32 = 0;

/// What the engine asks of the broker.
#[derive(Debug, Clone, PartialEq)]
pub enum BrokerCommand {
    /// Execute this request (once: the cid makes a repeat harmless).
    Trade(BrokerRequest),
    /// What became of the request with this cid? Asked when its outcome is unknown, before
    /// anything is resent; answered by [`BrokerEvent::Found`].
    Query { cid: String },
    /// Drop the link so that the terminal reconnects and sends its whole picture again.
    Resync,
}

/// Where the terminal found a client order id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CidState {
    Position,
    Order,
    /// Executed and since closed: in the deal history.
    Deal,
    /// A pending order that was placed and left the book unfilled: cancelled, expired, or
    /// rejected at activation.
    Cancelled,
    /// Never executed.
    Absent,
}

/// Why a pending order left the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderRemoval {
    /// Triggered and became a position.
    Filled,
    Cancelled,
    Expired,
}

/// Something the broker tells the engine. Sent in order; the engine is the only reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BrokerEvent {
    /// The link is up and this is the whole truth at the broker: the engine reconciles against it.
    Synced(BrokerSnapshot),
    /// The link is gone; requests in flight have an unknown outcome.
    Disconnected {
        reason: String,
    },
    /// The link's state changed without losing it: handshaking, degraded, synced again, or
    /// still waiting for an EA (with why, e.g. the last one was refused).
    Link(Link),
    /// The answer to a [`BrokerCommand::Query`].
    Found {
        cid: String,
        state: CidState,
        ticket: Option<u64>,
        price: Option<f64>,
        volume: Option<f64>,
    },
    /// The answer to the request with this cid.
    Result {
        cid: String,
        outcome: TradeOutcome,
    },
    Quote {
        symbol: String,
        quote: Quote,
    },
    Account(Account),
    /// A position was opened or changed (new SL/TP, partial close leaves the rest here).
    Position(Position),
    PositionClosed {
        ticket: u64,
        price: f64,
        profit: f64,
        reason: CloseReason,
        time: Millis,
    },
    /// A pending order was placed or changed.
    Order(PendingOrder),
    OrderRemoved {
        ticket: u64,
        reason: OrderRemoval,
    },
}
